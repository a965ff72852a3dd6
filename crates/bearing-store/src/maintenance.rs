//! Reclaiming the space deleted rows leave behind (`bearing maintenance
//! --vacuum`). Search-index upkeep lives with the search SQL
//! (`Db::optimize_search`, `Db::rebuild_search`).

use crate::db::Db;
use crate::error::StoreResult;

const VACUUM: &str = "VACUUM";

impl Db {
    /// Reclaim the space of deleted rows (SQLite rewrites the file, returning
    /// free pages to the operating system; PostgreSQL marks dead rows
    /// reusable). On SQLite the search indexes are
    /// rebuilt afterwards, because `VACUUM` may renumber the rowids they
    /// point at. Takes the database's write lock for its duration.
    /// Returns whether it rebuilt the search indexes.
    pub async fn vacuum(&self) -> StoreResult<bool> {
        on_db!(self, p => sqlx::query(VACUUM).execute(p).await.map(|r| r.rows_affected()))?;
        let rebuild = matches!(self, Db::Sqlite(_));
        if rebuild {
            self.rebuild_search().await?;
        }
        Ok(rebuild)
    }
}
