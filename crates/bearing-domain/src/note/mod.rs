//! Notes: the feedback inbox. A note is one piece of feedback — who said
//! it, where, how much it matters — and where it stands in triage.
//! Processing a note (linking it to ideas or declining it) is in `process`.

mod input;
mod process;
mod rules;

pub use input::*;
pub use process::*;

use crate::account::UserId;
use crate::customer::{ContactId, CustomerId};
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

id_type!(
    /// A piece of feedback in the inbox.
    NoteId
);

vocabulary!(
    /// Where a piece of feedback came from.
    NoteSource {
        SalesCall => "sales_call", "Sales call";
        SupportTicket => "support_ticket", "Support ticket";
        CsCall => "cs_call", "CS call";
        Forum => "forum", "Forum";
        Social => "social", "Social";
        Portal => "portal", "Portal";
        Email => "email", "Email";
        Interview => "interview", "Interview";
        Survey => "survey", "Survey";
    }
);

vocabulary!(
    /// How much the request matters to the customer who made it.
    Importance {
        NiceToHave => "nice_to_have", "Nice to have";
        Important => "important", "Important";
        Critical => "critical", "Critical";
    }
);

vocabulary!(
    /// Where a note is in triage.
    NoteState {
        Unprocessed => "unprocessed", "Unprocessed";
        Processed => "processed", "Processed";
        WontDo => "wont_do", "Won't do";
    }
);

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

sort_order!(
    /// Orders for notes.
    NoteSort {
        /// Most recently logged first.
        #[default]
        Newest => "newest", "Newest first";
        /// Oldest first, for working a backlog down.
        Oldest => "oldest", "Oldest first";
    }
);

/// Filters for the notes list; every set field narrows the list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoteFilter {
    /// Triage state.
    pub state: Option<NoteState>,
    /// Source.
    pub source: Option<NoteSource>,
    /// Importance.
    pub importance: Option<Importance>,
    /// From this customer.
    pub customer_id: Option<CustomerId>,
    /// Linked to this idea.
    pub idea_id: Option<crate::idea::IdeaId>,
    /// Linked to an idea in this area.
    pub area_id: Option<crate::area::AreaId>,
    /// Carrying this tag.
    pub tag: Option<String>,
    /// Only public-safe notes.
    pub public_safe: Option<bool>,
}
