//! Bulk insertion of notes for imports and the synthetic generator: many
//! rows per statement inside one transaction, which is what makes
//! `bearing gen` insert hundreds of thousands of notes a second. Tags and the
//! activity log are skipped: bulk-generated rows carry neither.

use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::rows::to_json_list;
use bearing_domain::NoteId;
use sea_query::Query;
use sea_query_sqlx::SqlxBinder;

use crate::notes::{NOTE_COLUMNS, NoteRecord};

/// Rows per INSERT: 17 columns × 1,000 rows stays under both engines' bind limits.
const ROWS_PER_STATEMENT: usize = 1_000;

impl Db {
    /// Insert many notes (without tags or activity entries) in one transaction.
    pub async fn bulk_insert_notes(&self, notes: &[(NoteId, NoteRecord)]) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        for chunk in notes.chunks(ROWS_PER_STATEMENT) {
            let mut q = Query::insert();
            q.into_table("notes").columns(NOTE_COLUMNS);
            for (id, r) in chunk {
                let n = &r.input;
                q.values([
                    id.0.into(),
                    n.text.clone().into(),
                    n.source.as_str().into(),
                    n.importance.as_str().into(),
                    n.customer_id.map(|c| c.0).into(),
                    n.contact_id.map(|c| c.0).into(),
                    r.reporter.map(|u| u.0).into(),
                    to_json_list(&n.tags).into(),
                    n.public_safe.into(),
                    r.state.as_str().into(),
                    r.wont_do_reason.clone().into(),
                    None::<String>.into(),
                    None::<String>.into(),
                    None::<uuid::Uuid>.into(),
                    None::<i64>.into(),
                    r.created_at.0.into(),
                    r.created_at.0.into(),
                ])
                .map_err(|e| StoreError::Corrupt(format!("bulk insert: {e}")))?;
            }
            match &mut tx {
                crate::db::Tx::Sqlite(t) => {
                    let (sql, v) = q.build_sqlx(sea_query::SqliteQueryBuilder);
                    sqlx::query_with(sqlx::AssertSqlSafe(sql), v)
                        .execute(&mut **t)
                        .await?;
                }
                crate::db::Tx::Postgres(t) => {
                    let (sql, v) = q.build_sqlx(sea_query::PostgresQueryBuilder);
                    sqlx::query_with(sqlx::AssertSqlSafe(sql), v)
                        .execute(&mut **t)
                        .await?;
                }
            }
        }
        tx.commit().await
    }
}
