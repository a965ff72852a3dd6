//! Application errors: few, stable kinds that the web layer maps to HTTP
//! statuses and the CLI to messages. Internal causes are logged, not shown.

use bearing_domain::{Refusal, RefusalKind, ValidationError};
use bearing_store::StoreError;

/// What went wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing asked for does not exist; names what.
    #[error("{0} not found")]
    NotFound(String),
    /// Not signed in or bad credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// Signed in but not allowed.
    #[error("{0}")]
    Forbidden(String),
    /// Input broke a rule.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The request clashes with how things stand (a taken name, a closed
    /// session, …).
    #[error("{0}")]
    Conflict(String),
    /// The database is busy; retry.
    #[error("the database is busy; try again in a moment")]
    Busy,
    /// Anything else; the message is for logs only.
    #[error("internal error: {0}")]
    Internal(String),
}

/// Result of a use case.
pub type AppResult<T> = Result<T, AppError>;

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound("the requested item".into()),
            StoreError::Conflict { what } => {
                AppError::Conflict(format!("that {what} already exists"))
            }
            StoreError::Invalid { field, reason } => AppError::Invalid(ValidationError::new(
                field,
                if field.is_empty() {
                    reason
                } else {
                    format!("{field} {reason}")
                },
            )),
            StoreError::Busy => AppError::Busy,
            StoreError::Backend(cause) => AppError::Internal(cause.to_string()),
        }
    }
}

/// A store read of something a request named, answered as the app answers
/// it: a missing row is "<what> not found".
pub(crate) trait OrNotFound<T> {
    /// The value, or [`AppError::NotFound`] naming `what`.
    fn or_not_found(self, what: &str) -> AppResult<T>;
}

impl<T> OrNotFound<T> for Result<T, StoreError> {
    fn or_not_found(self, what: &str) -> AppResult<T> {
        self.map_err(AppError::from)
            .map_err(AppError::not_found(what))
    }
}

impl AppError {
    /// A not-found error naming the kind of thing.
    pub fn not_found(what: &str) -> impl FnOnce(AppError) -> AppError + '_ {
        move |e| match e {
            AppError::NotFound(_) => AppError::NotFound(what.to_string()),
            other => other,
        }
    }

    /// The answer to a refusal from any aggregate's rules: its message,
    /// and the kind its rule gives it.
    pub fn refused(r: &impl Refusal) -> AppError {
        let message = r.to_string();
        match r.kind() {
            RefusalKind::Invalid { field } => {
                AppError::Invalid(ValidationError::new(field, message))
            }
            RefusalKind::Conflict => AppError::Conflict(message),
            RefusalKind::Forbidden => AppError::Forbidden(message),
            RefusalKind::NotFound { what } => AppError::NotFound(what.into()),
        }
    }
}
