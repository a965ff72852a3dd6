//! Bulk insertion of notes for imports and the synthetic generator: many
//! rows per statement inside one transaction, which is what makes
//! `bearing gen` insert over 100,000 notes a second. Tags and the activity
//! log are skipped: bulk-generated rows carry neither.
//!
//! This is one of the few places with SQL text assembled in code: a
//! multi-row VALUES list of `$n` placeholders (no data is ever spliced in),
//! built once per chunk size and reused so each backend prepares it once.

use crate::db::{Db, Tx};
use crate::error::StoreResult;
use crate::notes::{NOTE_COLUMNS, NoteRecord};
use crate::rows::to_json_list;
use bearing_domain::NoteId;

/// Rows per INSERT: 17 columns × 1,000 rows stays under both engines' bind limits.
const ROWS_PER_STATEMENT: usize = 1_000;

/// The INSERT text for `rows` rows. SQLite gets anonymous `?` placeholders:
/// it resolves `$n` names by a linear scan while preparing, which turns a
/// 17,000-parameter statement quadratic (40× slower, measured).
fn insert_sql(rows: usize, numbered: bool) -> String {
    let cols = NOTE_COLUMNS.len();
    let mut sql = format!("INSERT INTO notes ({}) VALUES ", NOTE_COLUMNS.join(", "));
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols {
            if c > 0 {
                sql.push_str(", ");
            }
            if numbered {
                sql.push_str(&format!("${}", r * cols + c + 1));
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql
}

macro_rules! bind_notes {
    ($q:expr, $chunk:expr) => {{
        let mut q = $q;
        for (id, r) in $chunk {
            let n = &r.input;
            q = q
                .bind(id.0)
                .bind(n.text.as_str())
                .bind(n.source.as_str())
                .bind(n.importance.as_str())
                .bind(n.customer_id.map(|c| c.0))
                .bind(n.contact_id.map(|c| c.0))
                .bind(r.reporter.map(|u| u.0))
                .bind(to_json_list(&n.tags))
                .bind(n.public_safe)
                .bind(r.state.as_str())
                .bind(r.wont_do_reason.as_deref())
                .bind(None::<&str>)
                .bind(None::<&str>)
                .bind(None::<uuid::Uuid>)
                .bind(None::<i64>)
                .bind(r.created_at.0)
                .bind(r.created_at.0);
        }
        q
    }};
}

impl Db {
    /// Insert many notes (without tags or activity entries) in one transaction.
    pub async fn bulk_insert_notes(&self, notes: &[(NoteId, NoteRecord)]) -> StoreResult<()> {
        let numbered = matches!(self, Db::Postgres(_));
        let full = insert_sql(ROWS_PER_STATEMENT, numbered);
        let mut tx = self.begin().await?;
        for chunk in notes.chunks(ROWS_PER_STATEMENT) {
            let sql = if chunk.len() == ROWS_PER_STATEMENT {
                full.clone()
            } else {
                insert_sql(chunk.len(), numbered)
            };
            match &mut tx {
                Tx::Sqlite(t) => {
                    let q = bind_notes!(sqlx::query(sqlx::AssertSqlSafe(sql)), chunk);
                    q.execute(&mut **t).await?;
                }
                Tx::Postgres(t) => {
                    let q = bind_notes!(sqlx::query(sqlx::AssertSqlSafe(sql)), chunk);
                    q.execute(&mut **t).await?;
                }
            }
        }
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_row_by_row() {
        let sql = insert_sql(2, true);
        assert!(sql.contains("($1, $2,"));
        assert!(sql.contains("$17), ($18,"));
        assert!(sql.ends_with("$34)"));
        assert!(insert_sql(2, false).ends_with("?, ?)"));
    }
}
