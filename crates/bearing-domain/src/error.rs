//! Errors the domain raises: input that breaks a rule ([`ValidationError`],
//! naming the field and saying how to fix it), and refusals ([`Refusal`]):
//! an action a rule forbids in the current state of things.

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

/// How a refusal is answered: the request named something that breaks a
/// rule (a field to point at), or it clashes with how things stand now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalKind {
    /// The request is wrong as sent: `field` names the input at fault (422).
    Invalid {
        /// The input field at fault, as the API spells it.
        field: &'static str,
    },
    /// The request is fine but the thing's current state forbids it (409).
    Conflict,
    /// The actor has no part in the thing (403), e.g. not invited to it.
    Forbidden,
    /// The request names something that is not there (404).
    NotFound {
        /// What is missing, in words ("idea in this exercise").
        what: &'static str,
    },
}

/// A rule refused an action and nothing changed. Every aggregate's refusal
/// enum (`SessionRefusal`, `ExerciseRefusal`, `MergeRefusal`,
/// `BoardRefusal`) implements this one trait, so the app answers all of
/// them the same way: the message from `Display`, the status from `kind`.
pub trait Refusal: std::fmt::Display {
    /// How to answer it.
    fn kind(&self) -> RefusalKind;
}
