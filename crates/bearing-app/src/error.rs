//! Application errors: few, stable kinds that the web layer maps to HTTP
//! statuses and the CLI to messages. Internal causes are logged, not shown.

use bearing_domain::ValidationError;
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
    /// A unique value is taken.
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
            StoreError::Conflict(m) => AppError::Conflict(format!("already exists ({m})")),
            StoreError::Constraint(m) => AppError::Invalid(ValidationError::new(
                m.split_once(':')
                    .map(|(f, _)| f)
                    .filter(|f| !f.contains(' '))
                    .unwrap_or(""),
                m.split_once(':')
                    .filter(|(f, _)| !f.contains(' '))
                    .map(|(_, r)| r.trim().to_string())
                    .unwrap_or(m.clone()),
            )),
            StoreError::Busy => AppError::Busy,
            other => AppError::Internal(other.to_string()),
        }
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
}
