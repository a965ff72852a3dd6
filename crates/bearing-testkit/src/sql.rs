//! Statement-level checks: prepare SQL text on a live database without
//! running it, so a dialect slip (a function one engine lacks, a parameter
//! whose type PostgreSQL cannot infer, a misspelt column) fails a test
//! before any behaviour test reaches that statement.

use bearing_store::Db;
use sqlx::{Executor, SqlSafeStr};

/// A statement that failed to prepare, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrepareFailure {
    /// The SQL text.
    pub sql: &'static str,
    /// The driver's error message.
    pub error: String,
}

impl std::fmt::Display for PrepareFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\n    -> {}", self.sql, self.error)
    }
}

/// Prepare every statement on one pooled connection of `db`. Returns every
/// failure (not just the first); empty means all prepared. Panics only if
/// no connection can be had at all.
pub async fn prepare_all(db: &Db, statements: &[&'static str]) -> Vec<PrepareFailure> {
    let mut failures = Vec::new();
    match db {
        Db::Sqlite(p) => {
            let mut conn = p
                .acquire()
                .await
                .unwrap_or_else(|e| panic!("acquiring a connection: {e}"));
            for sql in statements {
                if let Err(e) = conn.prepare(sql.into_sql_str()).await {
                    failures.push(PrepareFailure {
                        sql,
                        error: e.to_string(),
                    });
                }
            }
        }
        Db::Postgres(p) => {
            let mut conn = p
                .acquire()
                .await
                .unwrap_or_else(|e| panic!("acquiring a connection: {e}"));
            for sql in statements {
                if let Err(e) = conn.prepare(sql.into_sql_str()).await {
                    failures.push(PrepareFailure {
                        sql,
                        error: e.to_string(),
                    });
                }
            }
        }
    }
    failures
}
