//! What callers send to create or change customers and contacts, and the
//! rules each must satisfy.

use super::{CustomerId, Segment};
use crate::account::UserId;
use crate::error::ValidationError;
use crate::limits::MAX_TITLE_CHARS;
use crate::text::{looks_like_email, optional_text, plain_text, required_text};
use serde::{Deserialize, Serialize};

/// A new customer company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    /// Company name.
    pub name: String,
    /// Web domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// ARR in whole dollars.
    #[serde(default)]
    pub arr: i64,
    /// Segment; SMB if not given.
    #[serde(default = "default_segment")]
    pub segment: Segment,
    /// Account owner.
    #[serde(default)]
    pub owner_id: Option<UserId>,
}

fn default_segment() -> Segment {
    Segment::Smb
}

fn clean_arr(arr: i64) -> Result<i64, ValidationError> {
    if (0..=1_000_000_000_000).contains(&arr) {
        Ok(arr)
    } else {
        Err(ValidationError::new(
            "arr",
            "ARR is whole dollars, from 0 to 1,000,000,000,000",
        ))
    }
}

impl NewCustomer {
    /// Validate and normalise.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = required_text("name", &self.name, MAX_TITLE_CHARS)?;
        self.domain =
            optional_text("domain", self.domain.as_deref(), 253)?.map(|d| d.to_lowercase());
        self.arr = clean_arr(self.arr)?;
        Ok(self)
    }
}

/// A partial change to a customer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerChanges {
    /// New name.
    pub name: Option<String>,
    /// New domain.
    pub domain: Option<String>,
    /// New ARR.
    pub arr: Option<i64>,
    /// New segment.
    pub segment: Option<Segment>,
    /// New owner.
    pub owner_id: Option<UserId>,
}

impl CustomerChanges {
    /// Validate the fields that are present.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        if let Some(n) = &self.name {
            self.name = Some(required_text("name", n, MAX_TITLE_CHARS)?);
        }
        if let Some(a) = self.arr {
            self.arr = Some(clean_arr(a)?);
        }
        if let Some(d) = &self.domain {
            self.domain = optional_text("domain", Some(d), 253)?.map(|d| d.to_lowercase());
        }
        Ok(self)
    }
}

/// A new contact at a customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    /// Company.
    pub customer_id: CustomerId,
    /// Full name.
    pub name: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
}

impl NewContact {
    /// Validate and normalise.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = required_text("name", &self.name, MAX_TITLE_CHARS)?;
        self.email = optional_text("email", self.email.as_deref(), 254)?;
        if let Some(e) = &self.email
            && !looks_like_email(e)
        {
            return Err(ValidationError::new(
                "email",
                format!("'{e}' is not an email address"),
            ));
        }
        self.title = optional_text("title", self.title.as_deref(), 200)?;
        Ok(self)
    }
}

/// A partial change to a contact.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactChanges {
    /// New name.
    pub name: Option<String>,
    /// New email.
    pub email: Option<String>,
    /// New job title.
    pub title: Option<String>,
}

impl ContactChanges {
    /// Validate the fields that are present.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        if let Some(n) = &self.name {
            self.name = Some(required_text("name", n, MAX_TITLE_CHARS)?);
        }
        if let Some(e) = &self.email {
            plain_text("email", e)?;
            let e = e.trim();
            if !e.is_empty() && !looks_like_email(e) {
                return Err(ValidationError::new(
                    "email",
                    format!("'{e}' is not an email address"),
                ));
            }
            self.email = Some(e.to_string());
        }
        if let Some(t) = &self.title {
            self.title = Some(optional_text("title", Some(t), 200)?.unwrap_or_default());
        }
        Ok(self)
    }
}
