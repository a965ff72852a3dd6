//! Links: a note attached to an idea as evidence, optionally quoting the
//! excerpt that matters. Links feed an idea's demand (see
//! `prioritisation::demand`).

use crate::account::UserId;
use crate::error::ValidationError;
use crate::idea::IdeaId;
use crate::note::NoteId;
use crate::text::plain_opt;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

id_type!(
    /// A link between a note and an idea.
    LinkId
);

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

/// Link a note to an existing idea, optionally quoting the part that matters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// The idea to link to.
    pub idea_id: IdeaId,
    /// The highlighted excerpt: must be text from the note.
    #[serde(default)]
    pub excerpt: Option<String>,
}

/// Validate an excerpt against the note it quotes: it must appear in it.
pub fn clean_excerpt(
    note_text: &str,
    excerpt: Option<&str>,
) -> Result<Option<String>, ValidationError> {
    plain_opt("excerpt", excerpt)?;
    match excerpt.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) if note_text.contains(e) => Ok(Some(e.to_string())),
        Some(_) => Err(ValidationError::new(
            "excerpt",
            "the excerpt must be copied from the note's text",
        )),
    }
}
