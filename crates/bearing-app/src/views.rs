//! Read models: a thing together with what a page or API response shows
//! beside it (a note with its customer and linked ideas, an idea with who
//! asked for it). Built by the use cases from several store reads.

use bearing_domain::*;
use serde::Serialize;
use std::collections::HashMap;

/// A note in a list: the note and its customer's name.
#[derive(Clone, Debug, Serialize)]
pub struct NoteRow {
    /// The note.
    #[serde(flatten)]
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
    /// Linked feedback, newest first.
    pub notes: Vec<LinkedNote>,
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
