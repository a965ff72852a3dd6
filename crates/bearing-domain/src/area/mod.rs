//! Product areas: the slices of the product each PM owns. Every area has
//! a ranked board of its ideas (see `prioritisation::board`).

use crate::error::ValidationError;
use crate::limits::MAX_TITLE_CHARS;
use crate::text::{plain_opt, plain_text, required_text, slugify};
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

id_type!(
    /// A product area (the unit a PM owns).
    AreaId
);

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

/// A new product area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewArea {
    /// URL-safe key; made from the name if not given.
    #[serde(default)]
    pub key: Option<String>,
    /// Display name.
    pub name: String,
    /// What it covers.
    #[serde(default)]
    pub description: String,
}

impl NewArea {
    /// Validate and normalise.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = required_text("name", &self.name, MAX_TITLE_CHARS)?;
        // Checked before slugify, which would quietly drop the character.
        plain_opt("key", self.key.as_deref())?;
        plain_text("description", &self.description)?;
        let key = slugify(self.key.as_deref().unwrap_or(&self.name));
        if key.is_empty() || key.len() > 60 {
            return Err(ValidationError::new(
                "key",
                "key needs 1 to 60 letters or digits",
            ));
        }
        self.key = Some(key);
        self.description = self.description.trim().to_string();
        Ok(self)
    }
}
