//! What a database holds, in brief, for asserting that a refused request
//! wrote nothing: the row count of every table (as [`crate::schema`] lists
//! them, so a new table is counted without changing this file), the newest
//! activity entry, every idea's `updated_at` and, for each table with an
//! `updated_at` column, the sum of those values, which moves when any row
//! is touched. Compare two [`Snapshot`]s with `assert_eq!`.

use crate::schema;
use bearing_store::Db;
use sqlx::AssertSqlSafe;
use std::collections::BTreeMap;

/// A summary of a database's contents at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// Rows per table.
    pub rows: BTreeMap<String, i64>,
    /// Sum of `updated_at` per table that has the column.
    pub updated_sums: BTreeMap<String, i64>,
    /// The id of the newest activity entry (ids are UUIDv7, so the largest
    /// is the newest), if any.
    pub last_activity: Option<uuid::Uuid>,
    /// Every idea's `updated_at`, by id.
    pub ideas_updated: BTreeMap<uuid::Uuid, i64>,
}

/// One integer from `sql` on either backend.
async fn scalar(db: &Db, sql: String) -> Result<i64, sqlx::Error> {
    match db {
        Db::Sqlite(p) => {
            sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql))
                .fetch_one(p)
                .await
        }
        Db::Postgres(p) => {
            sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql))
                .fetch_one(p)
                .await
        }
    }
}

/// Take a [`Snapshot`] of `db`.
pub async fn snapshot(db: &Db) -> Result<Snapshot, sqlx::Error> {
    let described = schema::describe(db).await?;
    let mut rows = BTreeMap::new();
    let mut updated_sums = BTreeMap::new();
    for table in described.tables() {
        // Names come from the database's own catalogue; quoting keeps any
        // reserved word (e.g. a table called `sessions`) a plain name.
        let quoted = format!("\"{}\"", table.replace('"', "\"\""));
        let count = scalar(db, format!("SELECT count(*) FROM {quoted}")).await?;
        rows.insert(table.clone(), count);
        if described
            .columns
            .iter()
            .any(|c| c.table == table && c.name == "updated_at")
        {
            let sum = scalar(
                db,
                format!("SELECT CAST(COALESCE(sum(updated_at), 0) AS BIGINT) FROM {quoted}"),
            )
            .await?;
            updated_sums.insert(table, sum);
        }
    }
    const LAST_ACTIVITY: &str = "SELECT id FROM activity ORDER BY id DESC LIMIT 1";
    const IDEAS: &str = "SELECT id, updated_at FROM ideas";
    let (last_activity, ideas): (Option<uuid::Uuid>, Vec<(uuid::Uuid, i64)>) = match db {
        Db::Sqlite(p) => (
            sqlx::query_scalar(LAST_ACTIVITY).fetch_optional(p).await?,
            sqlx::query_as(IDEAS).fetch_all(p).await?,
        ),
        Db::Postgres(p) => (
            sqlx::query_scalar(LAST_ACTIVITY).fetch_optional(p).await?,
            sqlx::query_as(IDEAS).fetch_all(p).await?,
        ),
    };
    Ok(Snapshot {
        rows,
        updated_sums,
        last_activity,
        ideas_updated: ideas.into_iter().collect(),
    })
}
