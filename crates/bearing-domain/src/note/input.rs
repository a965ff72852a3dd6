//! What callers send to log or change a note, and the rules each must
//! satisfy.

use super::{Importance, NoteSource};
use crate::customer::{ContactId, CustomerId};
use crate::error::ValidationError;
use crate::text::{clean_tags, required_text};
use serde::{Deserialize, Serialize};

/// A new piece of feedback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// The feedback itself.
    pub text: String,
    /// Where it came from.
    pub source: NoteSource,
    /// How much it matters to the customer; important if not given.
    #[serde(default = "default_importance")]
    pub importance: Importance,
    /// The customer company, if known.
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
    /// The contact at the customer, if known.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// May this appear on public surfaces? Defaults to no.
    #[serde(default)]
    pub public_safe: bool,
}

fn default_importance() -> Importance {
    Importance::Important
}

impl NewNote {
    /// Validate and normalise against a text size limit in bytes.
    pub fn validate(mut self, max_text_bytes: usize) -> Result<Self, ValidationError> {
        if self.text.len() > max_text_bytes {
            return Err(ValidationError::too_large(
                "text",
                format!(
                    "note text is {} bytes; the limit is {max_text_bytes} bytes",
                    self.text.len()
                ),
            ));
        }
        self.text = required_text("text", &self.text, usize::MAX)?;
        self.tags = clean_tags("tags", &self.tags)?;
        Ok(self)
    }
}

/// A partial change to a note; absent fields are left as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteChanges {
    /// New text.
    pub text: Option<String>,
    /// New source.
    pub source: Option<NoteSource>,
    /// New importance.
    pub importance: Option<Importance>,
    /// New customer (`null` is not distinguishable from absent; use `clear_customer`).
    pub customer_id: Option<CustomerId>,
    /// New contact.
    pub contact_id: Option<ContactId>,
    /// Remove the customer and contact.
    #[serde(default)]
    pub clear_customer: bool,
    /// Replace the tags.
    pub tags: Option<Vec<String>>,
    /// Change public safety.
    pub public_safe: Option<bool>,
}

impl NoteChanges {
    /// Validate the fields that are present.
    pub fn validate(mut self, max_text_bytes: usize) -> Result<Self, ValidationError> {
        if let Some(t) = &self.text {
            if t.len() > max_text_bytes {
                return Err(ValidationError::too_large(
                    "text",
                    format!(
                        "note text is {} bytes; the limit is {max_text_bytes} bytes",
                        t.len()
                    ),
                ));
            }
            self.text = Some(required_text("text", t, usize::MAX)?);
        }
        if let Some(tags) = &self.tags {
            self.tags = Some(clean_tags("tags", tags)?);
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(text: &str) -> NewNote {
        NewNote {
            text: text.into(),
            source: NoteSource::Email,
            importance: Importance::Important,
            customer_id: None,
            contact_id: None,
            tags: vec![],
            public_safe: false,
        }
    }

    #[test]
    fn note_text_over_limit_is_too_large() {
        let err = note(&"x".repeat(101)).validate(100).unwrap_err();
        assert_eq!(err.field, "text");
        assert_eq!(err.kind, crate::error::ValidationKind::TooLarge);
    }

    #[test]
    fn blank_note_is_missing() {
        let err = note("   ").validate(100).unwrap_err();
        assert_eq!(err.kind, crate::error::ValidationKind::Missing);
    }

    #[test]
    fn tags_are_normalised() {
        let mut n = note("hello");
        n.tags = vec![" SSO ".into(), "sso".into(), "".into(), "Okta".into()];
        assert_eq!(
            n.validate(100).unwrap().tags,
            vec!["sso".to_string(), "okta".to_string()]
        );
    }
}
