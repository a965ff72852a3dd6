//! Forward-only schema migrations, embedded in the binary. Each migration
//! exists twice with the same version and name, once per dialect, under
//! `migrations/sqlite/` and `migrations/postgres/`.

use crate::db::Db;
use crate::error::StoreResult;
use bearing_domain::Timestamp;

/// One schema change, in both dialects.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Version number; applied in ascending order.
    pub version: i64,
    /// Short name, same as the file name after the number.
    pub name: &'static str,
    /// SQLite script.
    pub sqlite: &'static str,
    /// PostgreSQL script.
    pub postgres: &'static str,
}

/// Every migration, oldest first.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "foundation",
        sqlite: include_str!("../migrations/sqlite/0001_foundation.sql"),
        postgres: include_str!("../migrations/postgres/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        name: "prioritisation",
        sqlite: include_str!("../migrations/sqlite/0002_prioritisation.sql"),
        postgres: include_str!("../migrations/postgres/0002_prioritisation.sql"),
    },
    Migration {
        version: 3,
        name: "search",
        sqlite: include_str!("../migrations/sqlite/0003_search.sql"),
        postgres: include_str!("../migrations/postgres/0003_search.sql"),
    },
    Migration {
        version: 4,
        name: "merges",
        sqlite: include_str!("../migrations/sqlite/0004_merges.sql"),
        postgres: include_str!("../migrations/postgres/0004_merges.sql"),
    },
    Migration {
        version: 5,
        name: "ordered_search",
        sqlite: include_str!("../migrations/sqlite/0005_ordered_search.sql"),
        postgres: include_str!("../migrations/postgres/0005_ordered_search.sql"),
    },
    Migration {
        version: 6,
        name: "merged_ideas_unsearchable",
        sqlite: include_str!("../migrations/sqlite/0006_merged_ideas_unsearchable.sql"),
        postgres: include_str!("../migrations/postgres/0006_merged_ideas_unsearchable.sql"),
    },
    Migration {
        version: 7,
        name: "sign_ins",
        sqlite: include_str!("../migrations/sqlite/0007_sign_ins.sql"),
        postgres: include_str!("../migrations/postgres/0007_sign_ins.sql"),
    },
    Migration {
        version: 8,
        name: "idempotency_keys",
        sqlite: include_str!("../migrations/sqlite/0008_idempotency_keys.sql"),
        postgres: include_str!("../migrations/postgres/0008_idempotency_keys.sql"),
    },
];

const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
const APPLIED: &str = "SELECT version FROM schema_migrations ORDER BY version";
/// Serialises migrations across PostgreSQL servers, until the transaction ends.
const MIGRATION_LOCK: &str = "SELECT pg_advisory_xact_lock(7262727)";
const RECORD: &str =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";

impl Db {
    /// Versions already applied.
    async fn applied_versions(&self) -> StoreResult<Vec<i64>> {
        match self {
            Db::Sqlite(p) => {
                sqlx::query(CREATE_LEDGER).execute(p).await?;
            }
            Db::Postgres(p) => {
                // Concurrent CREATE TABLE IF NOT EXISTS can still collide in
                // PostgreSQL's catalog (pg_type unique violation) when several
                // servers start together: take the migration lock first.
                let mut tx = p.begin().await?;
                sqlx::query(MIGRATION_LOCK).execute(&mut *tx).await?;
                sqlx::query(CREATE_LEDGER).execute(&mut *tx).await?;
                tx.commit().await?;
            }
        }
        let v: Vec<i64> = on_db!(self, p => sqlx::query_scalar(APPLIED).fetch_all(p).await)?;
        Ok(v)
    }

    /// Migrations not yet applied, oldest first (for `migrate --dry-run`).
    pub async fn pending_migrations(&self) -> StoreResult<Vec<Migration>> {
        let applied = self.applied_versions().await?;
        Ok(MIGRATIONS
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .copied()
            .collect())
    }

    /// Apply every pending migration, each in its own transaction. Returns
    /// what was applied. Safe to run from several app servers at once.
    pub async fn migrate(&self) -> StoreResult<Vec<Migration>> {
        let mut done = Vec::new();
        for m in self.pending_migrations().await? {
            let mut tx = self.begin().await?;
            let applied = match &mut tx {
                crate::db::Tx::Sqlite(t) => {
                    // BEGIN IMMEDIATE already holds the write lock; re-check inside it.
                    let exists: Option<i64> = sqlx::query_scalar(
                        "SELECT version FROM schema_migrations WHERE version = $1",
                    )
                    .bind(m.version)
                    .fetch_optional(&mut **t)
                    .await?;
                    if exists.is_none() {
                        sqlx::raw_sql(m.sqlite).execute(&mut **t).await?;
                    }
                    exists.is_none()
                }
                crate::db::Tx::Postgres(t) => {
                    // Several app servers may start together: serialise on an advisory lock.
                    sqlx::query(MIGRATION_LOCK).execute(&mut **t).await?;
                    let exists: Option<i64> = sqlx::query_scalar(
                        "SELECT version FROM schema_migrations WHERE version = $1",
                    )
                    .bind(m.version)
                    .fetch_optional(&mut **t)
                    .await?;
                    if exists.is_none() {
                        sqlx::raw_sql(m.postgres).execute(&mut **t).await?;
                    }
                    exists.is_none()
                }
            };
            if applied {
                on_tx!(&mut tx, c => sqlx::query(RECORD).bind(m.version).bind(m.name).bind(Timestamp::now().0).execute(c).await.map(|r| r.rows_affected()))?;
                done.push(m);
            }
            tx.commit().await?;
        }
        Ok(done)
    }
}
