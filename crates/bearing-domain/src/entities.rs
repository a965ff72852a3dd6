//! The stored things, as read back: users, customers, contacts, areas, notes,
//! ideas, links, comments and activity entries. Inputs for creating and
//! changing them live in `inputs`.

use crate::enums::*;
use crate::ids::*;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

/// A person who signs in to Bearing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Sign-in email, stored as given; matched case-insensitively.
    pub email: String,
    /// Display name.
    pub name: String,
    /// What the user may do.
    pub role: Role,
    /// When the account was made.
    pub created_at: Timestamp,
}

/// A customer company. ARR is whole currency units (US dollars).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// Identifier.
    pub id: CustomerId,
    /// Company name, unique case-insensitively.
    pub name: String,
    /// Web domain, e.g. `northwind.example`.
    pub domain: Option<String>,
    /// Annual recurring revenue in whole dollars.
    pub arr: i64,
    /// Segment or tier.
    pub segment: Segment,
    /// The CSM or AE who owns the account.
    pub owner_id: Option<UserId>,
    /// When it was added.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A person at a customer company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Identifier.
    pub id: ContactId,
    /// The company they work for.
    pub customer_id: CustomerId,
    /// Full name.
    pub name: String,
    /// Email address, if known.
    pub email: Option<String>,
    /// Job title, if known.
    pub title: Option<String>,
    /// When it was added.
    pub created_at: Timestamp,
}

/// A product area, the slice of the product one PM owns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Area {
    /// Identifier.
    pub id: AreaId,
    /// Short URL-safe key, unique.
    pub key: String,
    /// Display name.
    pub name: String,
    /// One line on what the area covers.
    pub description: String,
    /// When it was added.
    pub created_at: Timestamp,
}

/// A piece of feedback: who said it, who logged it, where and what.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Identifier.
    pub id: NoteId,
    /// The feedback itself.
    pub text: String,
    /// Where it came from.
    pub source: NoteSource,
    /// How much it matters to the customer.
    pub importance: Importance,
    /// The customer company that asked, if known.
    pub customer_id: Option<CustomerId>,
    /// The person at the customer who asked, if known.
    pub contact_id: Option<ContactId>,
    /// The internal person who logged it.
    pub reporter_id: Option<UserId>,
    /// Free tags.
    pub tags: Vec<String>,
    /// May this note appear on public surfaces (portal, public roadmap)?
    pub public_safe: bool,
    /// Triage state.
    pub state: NoteState,
    /// Why it was declined, when `state` is won't do.
    pub wont_do_reason: Option<String>,
    /// The need behind the request, recorded while processing.
    pub underlying_need: Option<String>,
    /// A workaround offered, recorded while processing.
    pub workaround: Option<String>,
    /// Who processed it.
    pub processed_by: Option<UserId>,
    /// When it was processed or declined.
    pub processed_at: Option<Timestamp>,
    /// When it was logged.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

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
    pub rice: Option<crate::rice::Rice>,
    /// The reach scale the score was made on (scores on different scales
    /// do not compare).
    pub rice_reach_mode: Option<crate::rice::ReachMode>,
    /// Customer demand score from linked feedback (see `demand`).
    pub demand_score: f64,
    /// Position on its area's ranked board (a fractional key; see `rank`).
    pub board_rank: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A note linked to an idea, optionally quoting the excerpt that matters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// Identifier.
    pub id: LinkId,
    /// The feedback.
    pub note_id: NoteId,
    /// The idea it supports.
    pub idea_id: IdeaId,
    /// The highlighted part of the note.
    pub excerpt: Option<String>,
    /// Who made the link.
    pub created_by: Option<UserId>,
    /// When it was made.
    pub created_at: Timestamp,
}

/// A comment on an idea.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    /// Identifier.
    pub id: CommentId,
    /// The idea commented on.
    pub idea_id: IdeaId,
    /// Who wrote it.
    pub author_id: Option<UserId>,
    /// The comment (plain text).
    pub body: String,
    /// When it was written.
    pub created_at: Timestamp,
}

/// One change in the activity log: who did what to which thing, with the
/// state before and after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Identifier.
    pub id: ActivityId,
    /// Kind of thing changed: `note`, `idea`, `customer`, …
    pub entity_type: String,
    /// Id of the thing changed.
    pub entity_id: uuid::Uuid,
    /// Who made the change (none for system changes).
    pub actor_id: Option<UserId>,
    /// What happened, e.g. `created`, `updated`, `processed`, `linked`.
    pub action: String,
    /// JSON of the relevant fields before, if any.
    pub before: Option<serde_json::Value>,
    /// JSON of the relevant fields after, if any.
    pub after: Option<serde_json::Value>,
    /// When it happened.
    pub at: Timestamp,
}

/// An API token's public record; the secret is shown once at creation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    /// Identifier.
    pub id: TokenId,
    /// The user the token acts as.
    pub user_id: UserId,
    /// A label to recognise it by.
    pub name: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was last used, if ever.
    pub last_used_at: Option<Timestamp>,
}
