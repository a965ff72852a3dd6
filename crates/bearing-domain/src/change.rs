//! Changes: the one record every mutation makes. A [`Change`] says which
//! thing changed (its [`EntityKind`] and id), what happened
//! ([`ChangeAction`]), who did it and the relevant fields before and after.
//! The app hands each one to the unit of work's change hook inside the
//! transaction that makes the change; today it becomes an [`Activity`]
//! entry, and the audit log, notifications and webhooks start from the
//! same record.

use crate::account::UserId;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

id_type!(
    /// An entry in the activity log.
    ActivityId
);

vocabulary!(
    /// The kinds of thing a change can be made to. The key is what the
    /// activity log stores as `entity_type`.
    EntityKind {
        Note => "note", "Note";
        Idea => "idea", "Idea";
        Customer => "customer", "Customer";
        Contact => "contact", "Contact";
        Area => "area", "Product area";
        PrioSession => "prio_session", "Prioritisation session";
        Exercise => "exercise", "RICE exercise";
        User => "user", "User";
        ApiToken => "api_token", "API token";
        /// The workspace as a whole (its settings); its id is the nil UUID.
        Workspace => "workspace", "Workspace";
    }
);

vocabulary!(
    /// What happened to the thing. The key is what the activity log stores
    /// as `action`.
    ChangeAction {
        Created => "created", "created";
        Updated => "updated", "updated";
        Processed => "processed", "processed";
        Declined => "declined", "declined";
        LinkedNote => "linked_note", "linked a note";
        UnlinkedNote => "unlinked_note", "unlinked a note";
        Commented => "commented", "commented";
        EditedComment => "edited_comment", "edited a comment";
        Scored => "scored", "scored";
        Unscored => "unscored", "removed the score";
        Reranked => "reranked", "moved on the board";
        Merged => "merged", "merged";
        Unmerged => "unmerged", "undid a merge";
        Nominated => "nominated", "nominated an idea";
        Submitted => "submitted", "submitted scores";
        Closed => "closed", "closed";
        SettingChanged => "setting_changed", "changed a setting";
    }
);

/// One change to record: made by `actor` to the thing `entity`/`id`, with
/// the relevant fields before and after (as JSON, since each kind of thing
/// shows different fields in its history).
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// Kind of thing changed.
    pub entity: EntityKind,
    /// Its id.
    pub entity_id: uuid::Uuid,
    /// What happened.
    pub action: ChangeAction,
    /// Who did it (none for system changes such as demo data).
    pub actor: Option<UserId>,
    /// Relevant fields before, if any.
    pub before: Option<serde_json::Value>,
    /// Relevant fields after, if any.
    pub after: Option<serde_json::Value>,
}

impl Change {
    /// A change with no fields recorded yet: add them with
    /// [`Change::before`] and [`Change::after`].
    pub fn new(
        entity: EntityKind,
        entity_id: impl Into<uuid::Uuid>,
        action: ChangeAction,
        actor: Option<UserId>,
    ) -> Self {
        Self {
            entity,
            entity_id: entity_id.into(),
            action,
            actor,
            before: None,
            after: None,
        }
    }

    /// The same change with the fields before it.
    pub fn before(mut self, v: serde_json::Value) -> Self {
        self.before = Some(v);
        self
    }

    /// The same change with the fields after it.
    pub fn after(mut self, v: serde_json::Value) -> Self {
        self.after = Some(v);
        self
    }
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
