//! The rules for a note's life: how one is logged, which fields a change
//! replaces, what processing does to it, and when a change moves the
//! demand of the ideas it is linked to.

use super::{NewNote, Note, NoteChanges, NoteId, NoteState, ProcessPlan};
use crate::account::UserId;
use crate::timestamp::Timestamp;

impl Note {
    /// A note logged from validated `input` by `reporter` at `at`, in
    /// `state` (imports and demo data may start processed or declined, with
    /// `wont_do_reason`).
    pub fn logged(
        id: NoteId,
        input: NewNote,
        reporter: Option<UserId>,
        state: NoteState,
        wont_do_reason: Option<String>,
        at: Timestamp,
    ) -> Note {
        Note {
            id,
            text: input.text,
            source: input.source,
            importance: input.importance,
            customer_id: input.customer_id,
            contact_id: input.contact_id,
            reporter_id: reporter,
            tags: input.tags,
            public_safe: input.public_safe,
            state,
            wont_do_reason,
            underlying_need: None,
            workaround: None,
            processed_by: None,
            processed_at: None,
            created_at: at,
            updated_at: at,
        }
    }

    /// The note after the validated change `ch`, made at `now`: present
    /// fields replace the note's; `clear_customer` removes the customer and
    /// contact before any new ones are set.
    pub fn with_changes(&self, ch: NoteChanges, now: Timestamp) -> Note {
        let mut n = self.clone();
        if let Some(t) = ch.text {
            n.text = t;
        }
        if let Some(s) = ch.source {
            n.source = s;
        }
        if let Some(i) = ch.importance {
            n.importance = i;
        }
        if ch.clear_customer {
            n.customer_id = None;
            n.contact_id = None;
        }
        if let Some(c) = ch.customer_id {
            n.customer_id = Some(c);
        }
        if let Some(c) = ch.contact_id {
            n.contact_id = Some(c);
        }
        if let Some(p) = ch.public_safe {
            n.public_safe = p;
        }
        if let Some(t) = ch.tags {
            n.tags = t;
        }
        n.updated_at = now;
        n
    }

    /// Whether going from `before` to `self` changes the demand of the
    /// ideas the note is linked to (its importance or its customer).
    pub fn moves_demand(&self, before: &Note) -> bool {
        self.importance != before.importance || self.customer_id != before.customer_id
    }

    /// The note after `plan` was carried out by `actor` at `now`: processed
    /// (linked) or declined with the plan's reason; the need and workaround
    /// recorded, keeping earlier ones where the plan has none.
    pub fn processed(&self, plan: &ProcessPlan, actor: Option<UserId>, now: Timestamp) -> Note {
        let mut n = self.clone();
        let (state, reason, need, workaround) = match plan {
            ProcessPlan::Link {
                underlying_need,
                workaround,
                ..
            } => (NoteState::Processed, None, underlying_need, workaround),
            ProcessPlan::Decline {
                reason,
                underlying_need,
                workaround,
            } => (
                NoteState::WontDo,
                Some(reason.clone()),
                underlying_need,
                workaround,
            ),
        };
        n.state = state;
        n.wont_do_reason = reason;
        n.underlying_need = need.clone().or(n.underlying_need);
        n.workaround = workaround.clone().or(n.workaround);
        n.processed_by = actor;
        n.processed_at = Some(now);
        n.updated_at = now;
        n
    }

    /// The fields of a note worth showing in its history.
    pub fn history_fields(&self) -> serde_json::Value {
        serde_json::json!({
            "text": self.text, "source": self.source, "importance": self.importance,
            "customer_id": self.customer_id, "contact_id": self.contact_id, "tags": self.tags,
            "public_safe": self.public_safe, "state": self.state,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CustomerId, Importance, NoteSource};

    fn note() -> Note {
        let input = NewNote {
            text: "We need SAML".into(),
            source: NoteSource::Email,
            importance: Importance::Important,
            customer_id: Some(CustomerId::new()),
            contact_id: None,
            tags: vec![],
            public_safe: false,
        };
        Note::logged(
            NoteId::new(),
            input,
            None,
            NoteState::Unprocessed,
            None,
            Timestamp(1),
        )
    }

    #[test]
    fn clearing_the_customer_comes_before_setting_one() {
        let n = note();
        let other = CustomerId::new();
        let ch = NoteChanges {
            clear_customer: true,
            customer_id: Some(other),
            ..Default::default()
        };
        let after = n.with_changes(ch, Timestamp(2));
        assert_eq!(after.customer_id, Some(other));
        assert!(after.moves_demand(&n));
        let quiet = n.with_changes(
            NoteChanges {
                text: Some("x".into()),
                ..Default::default()
            },
            Timestamp(3),
        );
        assert!(!quiet.moves_demand(&n));
    }

    #[test]
    fn processing_keeps_an_earlier_need_and_declining_records_why() {
        let mut n = note();
        n.underlying_need = Some("audit".into());
        let plan = ProcessPlan::Decline {
            reason: "out of scope".into(),
            underlying_need: None,
            workaround: Some("export".into()),
        };
        let after = n.processed(&plan, None, Timestamp(9));
        assert_eq!(after.state, NoteState::WontDo);
        assert_eq!(after.wont_do_reason.as_deref(), Some("out of scope"));
        assert_eq!(after.underlying_need.as_deref(), Some("audit"));
        assert_eq!(after.workaround.as_deref(), Some("export"));
        assert_eq!(after.processed_at, Some(Timestamp(9)));
        let linked = after.processed(
            &ProcessPlan::Link {
                links: vec![],
                new_idea: None,
                underlying_need: None,
                workaround: None,
            },
            None,
            Timestamp(10),
        );
        assert_eq!(linked.state, NoteState::Processed);
        assert_eq!(linked.wont_do_reason, None);
    }
}
