//! Ideas: a feature idea with its problem statement kept apart from the
//! proposal, its area, owner, status and plans. Inputs are in `input`,
//! comments in `comment`, the rules for changing one in `rules`; RICE,
//! demand and board rank are prioritisation's (`crate::prioritisation`).

mod comment;
mod input;
mod rules;

pub use comment::*;
pub use input::*;

use crate::account::UserId;
use crate::area::AreaId;
use crate::customer::CustomerId;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

id_type!(
    /// A feature idea.
    IdeaId
);

vocabulary!(
    /// The lifecycle of a feature idea.
    IdeaStatus {
        New => "new", "New";
        UnderConsideration => "under_consideration", "Under consideration";
        Planned => "planned", "Planned";
        InProgress => "in_progress", "In progress";
        Shipped => "shipped", "Shipped";
        WontDo => "wont_do", "Won't do";
        AwaitingDemand => "awaiting_demand", "Awaiting further demand";
    }
);

vocabulary!(
    /// A coarse release timeframe, used where a date would over-promise.
    Timeframe {
        ThreeMonths => "3_months", "Next 3 months";
        SixMonths => "6_months", "Next 6 months";
        Future => "future", "Future";
    }
);

/// A feature idea: the problem, a proposal, and where it stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Idea {
    /// Identifier.
    pub id: IdeaId,
    /// Short title.
    pub title: String,
    /// The underlying use case, kept apart from the solution.
    pub problem: String,
    /// The proposed solution.
    pub proposal: String,
    /// The product area it belongs to.
    pub area_id: Option<AreaId>,
    /// The directly responsible individual.
    pub owner_id: Option<UserId>,
    /// Lifecycle status.
    pub status: IdeaStatus,
    /// SWAG effort in person-months.
    pub effort_months: Option<f64>,
    /// Release timeframe.
    pub timeframe: Option<Timeframe>,
    /// Due date, `yyyy-mm-dd`.
    pub due_date: Option<String>,
    /// Labels such as `customer`, `customer+`, `direction`.
    pub labels: Vec<String>,
    /// Links to implementation tickets.
    pub tracker_links: Vec<String>,
    /// RICE factors and score, once scored.
    pub rice: Option<crate::prioritisation::rice::Rice>,
    /// The reach scale the score was made on (scores on different scales
    /// do not compare).
    pub rice_reach_mode: Option<crate::prioritisation::rice::ReachMode>,
    /// Customer demand score from linked feedback (see `demand`).
    pub demand_score: f64,
    /// Position on its area's ranked board (a fractional key; see `rank`).
    pub board_rank: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

sort_order!(
    /// Orders for ideas.
    IdeaSort {
        /// Most recently created first.
        #[default]
        Newest => "newest", "Newest first";
        /// Oldest first.
        Oldest => "oldest", "Oldest first";
        /// Most recently changed first.
        Updated => "updated", "Recently updated";
        /// Alphabetical by title.
        Title => "title", "Title A–Z";
        /// Highest RICE score first; unscored ideas last.
        Rice => "rice", "Highest RICE score";
        /// Highest customer demand first.
        Demand => "demand", "Highest customer demand";
    }
);

/// Filters for the ideas list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IdeaFilter {
    /// Status.
    pub status: Option<IdeaStatus>,
    /// Area.
    pub area_id: Option<AreaId>,
    /// Carrying this label.
    pub label: Option<String>,
    /// Owned by this user.
    pub owner_id: Option<UserId>,
    /// Asked for by this customer (through linked notes).
    pub customer_id: Option<CustomerId>,
    /// RICE score at least this.
    pub min_rice: Option<f64>,
}
