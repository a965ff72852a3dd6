//! The one error the domain raises: input that breaks a rule, naming the
//! field and saying how to fix it.

/// What kind of rule the input broke; decides the HTTP status upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationKind {
    /// A value is malformed, off its scale or inconsistent (422).
    Invalid,
    /// A required value is missing or empty (422).
    Missing,
    /// A value is larger than the configured limit (413).
    TooLarge,
}

/// Input that breaks a domain rule. `field` names the offending input field
/// (as the API spells it) so forms and JSON errors can point at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// The input field at fault, e.g. `text` or `importance`.
    pub field: String,
    /// What was wrong and how to fix it.
    pub message: String,
    /// Which kind of rule was broken.
    pub kind: ValidationKind,
}

impl ValidationError {
    /// A malformed or out-of-range value in `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            kind: ValidationKind::Invalid,
        }
    }

    /// A required `field` that is missing or blank.
    pub fn missing(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: ValidationKind::Missing,
            ..Self::new(field, message)
        }
    }

    /// A `field` over its size limit.
    pub fn too_large(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            kind: ValidationKind::TooLarge,
            ..Self::new(field, message)
        }
    }
}
