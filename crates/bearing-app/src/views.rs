//! Read models: a thing together with what a page or API response shows
//! beside it (a note with its customer and linked ideas, an idea with who
//! asked for it). Built by the use cases from several store reads.

use bearing_domain::*;
use serde::Serialize;
use std::collections::HashMap;

/// A note in a list: the note and its customer's name. Serialised as the
/// note's fields plus `customer_name` (by hand: `serde(flatten)` buffers
/// every row through a map, and this is the inbox's hot path).
#[derive(Clone, Debug)]
pub struct NoteRow {
    /// The note.
    pub note: Note,
    /// The customer's name, if any.
    pub customer_name: Option<String>,
}

/// A note with everything its detail page shows.
#[derive(Clone, Debug, Serialize)]
pub struct NoteDetail {
    /// The note.
    pub note: Note,
    /// Who asked.
    pub customer: Option<Customer>,
    /// The person at the customer.
    pub contact: Option<Contact>,
    /// Who logged it.
    pub reporter: Option<User>,
    /// Who processed it.
    pub processed_by: Option<User>,
    /// Ideas it is linked to, with the link.
    pub ideas: Vec<LinkedIdea>,
    /// Its history.
    pub activity: Vec<Activity>,
}

/// An idea as seen from a note or customer, with the link that joins them.
#[derive(Clone, Debug, Serialize)]
pub struct LinkedIdea {
    /// The link.
    pub link: Link,
    /// The idea.
    pub idea: Idea,
}

/// A note as seen from an idea: the note, its link and its customer.
#[derive(Clone, Debug, Serialize)]
pub struct LinkedNote {
    /// The link (with the excerpt).
    pub link: Link,
    /// The note.
    pub note: Note,
    /// Who asked.
    pub customer: Option<Customer>,
}

/// An idea in a list: the idea and its area's name.
#[derive(Clone, Debug, Serialize)]
pub struct IdeaRow {
    /// The idea.
    #[serde(flatten)]
    pub idea: Idea,
    /// The area's name.
    pub area_name: Option<String>,
}

/// An idea with everything its detail page shows.
#[derive(Clone, Debug, Serialize)]
pub struct IdeaDetail {
    /// The idea.
    pub idea: Idea,
    /// Its area.
    pub area: Option<Area>,
    /// Its owner.
    pub owner: Option<User>,
    /// Linked feedback, newest first (at most 500).
    pub notes: Vec<LinkedNote>,
    /// How many notes are linked, all of them.
    pub note_count: i64,
    /// Who is asking, over every linked note.
    pub demand: bearing_domain::prioritisation::demand::DemandBreakdown,
    /// Comments, oldest first, with author names.
    pub comments: Vec<(Comment, Option<String>)>,
    /// Followers' names.
    pub followers: Vec<User>,
    /// Its history, newest first, with actor names.
    pub activity: Vec<(Activity, Option<String>)>,
}

/// A customer with everything its detail page shows.
#[derive(Clone, Debug, Serialize)]
pub struct CustomerDetail {
    /// The customer.
    pub customer: Customer,
    /// Account owner.
    pub owner: Option<User>,
    /// People at the company.
    pub contacts: Vec<Contact>,
    /// Their latest notes.
    pub notes: Vec<Note>,
    /// Ideas they asked for.
    pub ideas: Vec<Idea>,
}

/// Index users by id for labelling.
pub fn users_by_id(users: Vec<User>) -> HashMap<UserId, User> {
    users.into_iter().map(|u| (u.id, u)).collect()
}

impl crate::App {
    /// Check that every id in `ids` names a user who may contribute (one
    /// read of the users, not one per id). Errors name `field`; a viewer's
    /// ends "<name> is a viewer and cannot <cannot>".
    pub(crate) async fn check_contributors(
        &self,
        field: &str,
        ids: &[UserId],
        cannot: &str,
    ) -> crate::AppResult<()> {
        let users = users_by_id(self.db.users().await?);
        for id in ids {
            match users.get(id) {
                None => {
                    return Err(bearing_domain::ValidationError::new(
                        field,
                        format!("no user with id {id}"),
                    )
                    .into());
                }
                Some(u) if !u.role.can_contribute() => {
                    return Err(bearing_domain::ValidationError::new(
                        field,
                        format!("{} is a viewer and cannot {cannot}", u.name),
                    )
                    .into());
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}

impl Serialize for NoteRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let n = &self.note;
        let mut st = s.serialize_struct("NoteRow", 18)?;
        st.serialize_field("id", &n.id)?;
        st.serialize_field("text", &n.text)?;
        st.serialize_field("source", &n.source)?;
        st.serialize_field("importance", &n.importance)?;
        st.serialize_field("customer_id", &n.customer_id)?;
        st.serialize_field("contact_id", &n.contact_id)?;
        st.serialize_field("reporter_id", &n.reporter_id)?;
        st.serialize_field("tags", &n.tags)?;
        st.serialize_field("public_safe", &n.public_safe)?;
        st.serialize_field("state", &n.state)?;
        st.serialize_field("wont_do_reason", &n.wont_do_reason)?;
        st.serialize_field("underlying_need", &n.underlying_need)?;
        st.serialize_field("workaround", &n.workaround)?;
        st.serialize_field("processed_by", &n.processed_by)?;
        st.serialize_field("processed_at", &n.processed_at)?;
        st.serialize_field("created_at", &n.created_at)?;
        st.serialize_field("updated_at", &n.updated_at)?;
        st.serialize_field("customer_name", &self.customer_name)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_row_serialises_every_note_field_plus_customer_name() {
        let note = Note {
            id: NoteId::new(),
            text: "t".into(),
            source: NoteSource::Email,
            importance: Importance::Critical,
            customer_id: None,
            contact_id: None,
            reporter_id: None,
            tags: vec!["a".into()],
            public_safe: true,
            state: NoteState::Unprocessed,
            wont_do_reason: None,
            underlying_need: None,
            workaround: None,
            processed_by: None,
            processed_at: None,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        };
        let mut expected = serde_json::to_value(&note).unwrap();
        expected["customer_name"] = serde_json::json!("Acme");
        let row = NoteRow {
            note,
            customer_name: Some("Acme".into()),
        };
        assert_eq!(serde_json::to_value(&row).unwrap(), expected);
    }
}
