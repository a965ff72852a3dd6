//! Storage errors, classified by kind so callers never match on driver text.

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value is already taken (e.g. a customer name).
    #[error("already exists: {0}")]
    Conflict(String),
    /// A reference or rule in the schema was broken (e.g. unknown customer id).
    #[error("constraint violated: {0}")]
    Constraint(String),
    /// The database was too busy to take the write in time.
    #[error("database busy, try again")]
    Busy,
    /// A stored value could not be read back as a domain value.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The database URL or configuration is unusable.
    #[error("configuration: {0}")]
    Config(String),
    /// Anything else from the driver; logged, never shown to users.
    #[error("database error: {0}")]
    Backend(sqlx::Error),
}

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => {
                let msg = db.message().to_string();
                match db.kind() {
                    ErrorKind::UniqueViolation => StoreError::Conflict(msg),
                    ErrorKind::ForeignKeyViolation
                    | ErrorKind::NotNullViolation
                    | ErrorKind::CheckViolation => StoreError::Constraint(msg),
                    // SQLite reports BUSY/LOCKED as codes 5 and 6 (and extended variants).
                    _ if matches!(db.code().as_deref(), Some("5" | "6" | "517" | "262")) => {
                        StoreError::Busy
                    }
                    _ => StoreError::Backend(e),
                }
            }
            sqlx::Error::PoolTimedOut => StoreError::Busy,
            _ => StoreError::Backend(e),
        }
    }
}

impl From<bearing_domain::ValidationError> for StoreError {
    fn from(e: bearing_domain::ValidationError) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}
