//! Comments on an idea: the discussion beside it.

use super::IdeaId;
use crate::account::UserId;
use crate::error::ValidationError;
use crate::limits::MAX_LONG_TEXT_BYTES;
use crate::text::required_text;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

id_type!(
    /// A comment on an idea.
    CommentId
);

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

/// A new comment on an idea.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// The comment.
    pub body: String,
}

impl NewComment {
    /// Validate and normalise.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        if self.body.len() > MAX_LONG_TEXT_BYTES {
            return Err(ValidationError::too_large(
                "body",
                "a comment is at most 64 KiB",
            ));
        }
        self.body = required_text("body", &self.body, usize::MAX)?;
        Ok(self)
    }
}
