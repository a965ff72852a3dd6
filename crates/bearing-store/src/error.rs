//! Storage errors, classified by kind so callers never match on driver
//! text: the app words each kind for people, and a [`StoreError::Backend`]
//! cause is logged, never shown.

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A unique value is already taken; `what` names the thing in words
    /// ("customer", "area", "user", "link", "board rank").
    #[error("that {what} already exists")]
    Conflict {
        /// The kind of thing whose unique value clashed.
        what: &'static str,
    },
    /// A reference or check in the schema was broken, e.g. an unknown
    /// customer id. `field` is the column at fault when the engine names it
    /// (PostgreSQL does, SQLite does not: then it is empty).
    #[error("{field}: {reason}")]
    Invalid {
        /// The column at fault, or empty.
        field: &'static str,
        /// What was wrong, in words.
        reason: String,
    },
    /// The database was too busy to take the write in time, or two
    /// transactions deadlocked and this one was chosen to give way: retry.
    #[error("database busy, try again")]
    Busy,
    /// Anything else; logged with the request, never shown to users.
    #[error(transparent)]
    Backend(#[from] BackendError),
}

/// The causes of a [`StoreError::Backend`], for the log.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The driver failed (connection lost, SQL error, …).
    #[error("database error: {0}")]
    Driver(sqlx::Error),
    /// A stored value could not be read back as a domain value.
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
    /// The database URL or configuration is unusable.
    #[error("{0}")]
    Config(String),
}

impl StoreError {
    /// A stored value that cannot be read back.
    pub fn corrupt(what: impl Into<String>) -> Self {
        StoreError::Backend(BackendError::Corrupt(what.into()))
    }

    /// An unusable database URL or setting.
    pub fn config(what: impl Into<String>) -> Self {
        StoreError::Backend(BackendError::Config(what.into()))
    }
}

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Unique values, by the table that holds them, named in words: the first
/// word of a PostgreSQL constraint name or of SQLite's "table.column".
const UNIQUE_THINGS: &[(&str, &str)] = &[
    ("users", "user"),
    ("customers", "customer"),
    ("areas", "area"),
    ("links", "link"),
    ("ideas", "board rank"),
    ("api_tokens", "API token"),
    ("sign_ins", "sign-in"),
    ("idempotency_keys", "request"),
];

fn unique_what(table: &str) -> &'static str {
    UNIQUE_THINGS
        .iter()
        .find(|(t, _)| *t == table)
        .map_or("record", |(_, w)| w)
}

/// The column a PostgreSQL constraint is on, from its default name
/// (`notes_customer_id_fkey` → `customer_id`), as a static string from the
/// columns Bearing's schema references.
fn referencing_column(constraint: &str) -> &'static str {
    const COLUMNS: &[&str] = &[
        "customer_id",
        "contact_id",
        "reporter_id",
        "processed_by",
        "owner_id",
        "area_id",
        "idea_id",
        "note_id",
        "user_id",
        "author_id",
        "created_by",
        "facilitator_id",
        "nominated_by",
        "session_id",
        "exercise_id",
        "merged_into",
        "survivor_id",
        "merged_id",
        "actor_id",
    ];
    COLUMNS
        .iter()
        .find(|c| constraint.contains(*c))
        .copied()
        .unwrap_or("")
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => {
                    let table = db
                        .table()
                        .map(str::to_string)
                        .or_else(|| {
                            // SQLite: "UNIQUE constraint failed: customers.name_lower".
                            db.message()
                                .rsplit(": ")
                                .next()
                                .and_then(|cols| cols.split('.').next())
                                .map(str::to_string)
                        })
                        .unwrap_or_default();
                    StoreError::Conflict {
                        what: unique_what(&table),
                    }
                }
                ErrorKind::ForeignKeyViolation => StoreError::Invalid {
                    field: referencing_column(db.constraint().unwrap_or("")),
                    reason: "refers to something that does not exist".into(),
                },
                ErrorKind::NotNullViolation | ErrorKind::CheckViolation => StoreError::Invalid {
                    field: referencing_column(db.constraint().unwrap_or("")),
                    reason: "is missing or out of range".into(),
                },
                // SQLite reports BUSY/LOCKED as codes 5 and 6 (and extended
                // variants); PostgreSQL a deadlock (40P01) or a serialisation
                // failure (40001): the transaction may simply be retried.
                _ if matches!(
                    db.code().as_deref(),
                    Some("5" | "6" | "517" | "262" | "40P01" | "40001")
                ) =>
                {
                    StoreError::Busy
                }
                _ => StoreError::Backend(BackendError::Driver(e)),
            },
            sqlx::Error::PoolTimedOut => StoreError::Busy,
            _ => StoreError::Backend(BackendError::Driver(e)),
        }
    }
}

impl From<bearing_domain::ValidationError> for StoreError {
    fn from(e: bearing_domain::ValidationError) -> Self {
        StoreError::corrupt(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_tables_and_foreign_key_columns_are_named() {
        assert_eq!(unique_what("customers"), "customer");
        assert_eq!(unique_what("mystery"), "record");
        assert_eq!(referencing_column("notes_customer_id_fkey"), "customer_id");
        assert_eq!(referencing_column(""), "");
    }
}
