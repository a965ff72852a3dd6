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
use crate::notes::NOTE_COLUMNS;
use crate::rows::to_json_list;
use bearing_domain::{AreaId, IdeaId, LinkId, Note, NoteId, Rice, Timestamp};

/// Rows per INSERT: 17 columns × 1,000 rows stays under both engines' bind limits.
const ROWS_PER_STATEMENT: usize = 1_000;

/// The INSERT text for `rows` rows. SQLite gets anonymous `?` placeholders:
/// it resolves `$n` names by a linear scan while preparing, which turns a
/// 17,000-parameter statement quadratic (40× slower, measured).
fn insert_sql(rows: usize, numbered: bool) -> String {
    format!(
        "INSERT INTO notes ({}) VALUES {}",
        NOTE_COLUMNS.join(", "),
        values_sql(rows, NOTE_COLUMNS.len(), numbered)
    )
}

macro_rules! bind_notes {
    ($q:expr, $chunk:expr) => {{
        let mut q = $q;
        for n in $chunk {
            q = q
                .bind(n.id.0)
                .bind(n.text.as_str())
                .bind(n.source.as_str())
                .bind(n.importance.as_str())
                .bind(n.customer_id.map(|c| c.0))
                .bind(n.contact_id.map(|c| c.0))
                .bind(n.reporter_id.map(|u| u.0))
                .bind(to_json_list(&n.tags))
                .bind(n.public_safe)
                .bind(n.state.as_str())
                .bind(n.wont_do_reason.as_deref())
                .bind(n.underlying_need.as_deref())
                .bind(n.workaround.as_deref())
                .bind(n.processed_by.map(|u| u.0))
                .bind(n.processed_at.map(|t| t.0))
                .bind(n.created_at.0)
                .bind(n.updated_at.0);
        }
        q
    }};
}

/// Placeholder list for `rows` rows of `cols` columns, `$n` or `?` style.
fn values_sql(rows: usize, cols: usize, numbered: bool) -> String {
    let mut sql = String::with_capacity(rows * cols * 6);
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

/// One synthetic idea for [`Db::bulk_insert_ideas`].
pub struct BulkIdea {
    /// Its id.
    pub id: IdeaId,
    /// Title.
    pub title: String,
    /// Problem statement.
    pub problem: String,
    /// Area.
    pub area_id: AreaId,
    /// RICE, if scored.
    pub rice: Option<Rice>,
    /// Board rank.
    pub board_rank: String,
    /// Creation time.
    pub created_at: i64,
}

const IDEA_BULK_COLUMNS: [&str; 19] = [
    "id",
    "title",
    "title_lower",
    "problem",
    "proposal",
    "area_id",
    "status",
    "labels",
    "tracker_links",
    "created_at",
    "updated_at",
    "effort_months",
    "rice_reach",
    "rice_impact",
    "rice_confidence",
    "rice_score",
    "rice_sort",
    "rice_reach_mode",
    "board_rank",
];
const LINK_BULK_COLUMNS: [&str; 4] = ["id", "note_id", "idea_id", "created_at"];
const NOTE_IDS: &str = "SELECT id FROM notes ORDER BY id LIMIT $1";

macro_rules! bind_ideas {
    ($q:expr, $chunk:expr) => {{
        let mut q = $q;
        for i in $chunk {
            let r = i.rice.as_ref();
            q = q
                .bind(i.id.0)
                .bind(i.title.as_str())
                .bind(i.title.to_lowercase())
                .bind(i.problem.as_str())
                .bind("")
                .bind(i.area_id.0)
                .bind("new")
                .bind("[]")
                .bind("[]")
                .bind(i.created_at)
                .bind(i.created_at)
                .bind(r.map(|r| r.effort_months))
                .bind(r.map(|r| r.reach))
                .bind(r.map(|r| r.impact))
                .bind(r.map(|r| r.confidence))
                .bind(r.map(|r| r.score))
                .bind(crate::rows::rice_sort(r.map(|r| r.score)))
                .bind(r.map(|_| "standard"))
                .bind(i.board_rank.as_str());
        }
        q
    }};
}

macro_rules! bind_links {
    ($q:expr, $chunk:expr, $now:expr) => {{
        let mut q = $q;
        for (note, idea) in $chunk {
            q = q.bind(LinkId::new().0).bind(note.0).bind(idea.0).bind($now);
        }
        q
    }};
}

impl Db {
    /// Insert many synthetic ideas (no labels, no activity) in one transaction.
    pub async fn bulk_insert_ideas(&self, ideas: &[BulkIdea]) -> StoreResult<()> {
        let numbered = matches!(self, Db::Postgres(_));
        let mut tx = self.begin().await?;
        for chunk in ideas.chunks(1_000) {
            let sql = format!(
                "INSERT INTO ideas ({}) VALUES {}",
                IDEA_BULK_COLUMNS.join(", "),
                values_sql(chunk.len(), IDEA_BULK_COLUMNS.len(), numbered)
            );
            match &mut tx {
                Tx::Sqlite(t) => {
                    bind_ideas!(sqlx::query(sqlx::AssertSqlSafe(sql)), chunk)
                        .execute(&mut **t)
                        .await?;
                }
                Tx::Postgres(t) => {
                    bind_ideas!(sqlx::query(sqlx::AssertSqlSafe(sql)), chunk)
                        .execute(&mut **t)
                        .await?;
                }
            }
        }
        tx.commit().await
    }

    /// Insert many note–idea links (no excerpts, no activity, demand not
    /// refreshed: recompute demand after, as `bearing gen` does).
    pub async fn bulk_insert_links(&self, links: &[(NoteId, IdeaId)]) -> StoreResult<()> {
        let numbered = matches!(self, Db::Postgres(_));
        let now = Timestamp::now().0;
        let mut tx = self.begin().await?;
        for chunk in links.chunks(5_000) {
            let sql = format!(
                "INSERT INTO links ({}) VALUES {} ON CONFLICT (note_id, idea_id) DO NOTHING",
                LINK_BULK_COLUMNS.join(", "),
                values_sql(chunk.len(), LINK_BULK_COLUMNS.len(), numbered)
            );
            match &mut tx {
                Tx::Sqlite(t) => {
                    bind_links!(sqlx::query(sqlx::AssertSqlSafe(sql)), chunk, now)
                        .execute(&mut **t)
                        .await?;
                }
                Tx::Postgres(t) => {
                    bind_links!(sqlx::query(sqlx::AssertSqlSafe(sql)), chunk, now)
                        .execute(&mut **t)
                        .await?;
                }
            }
        }
        tx.commit().await
    }

    /// The ids of up to `limit` notes, oldest first (for synthetic links).
    pub async fn note_ids(&self, limit: i64) -> StoreResult<Vec<NoteId>> {
        let ids: Vec<uuid::Uuid> =
            on_db!(self, p => sqlx::query_scalar(NOTE_IDS).bind(limit).fetch_all(p).await)?;
        Ok(ids.into_iter().map(NoteId).collect())
    }

    /// Insert many notes (without tags or activity entries) in one transaction.
    pub async fn bulk_insert_notes(&self, notes: &[Note]) -> StoreResult<()> {
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

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[NOTE_IDS];

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
