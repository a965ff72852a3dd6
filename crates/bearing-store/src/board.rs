//! Each area's ranked board: the fractional ranks on ideas. Reading a page
//! of a board and an idea's neighbours, and, inside a unit of work
//! (`tx.board()`), locking a board and writing ranks. Where an idea goes is
//! the app's decision over `bearing_domain::prioritisation::board`.
//!
//! The invariant that keeps boards whole under concurrency: every write to
//! a board's ranks first takes that board's lock ([`BoardTx::lock`], its
//! area row) in the same transaction. On PostgreSQL (READ COMMITTED) a
//! writer then reads the ranks a previous writer committed; SQLite's write
//! transactions are serial anyway.

use crate::db::{Db, Tx};
use crate::error::StoreResult;
use crate::ideas::{IDEA_COLUMNS, IdeaRow};
use crate::list::{SortKey, keyset, page_of};
use bearing_domain::prioritisation::board::Placement;
use bearing_domain::*;
use sea_query::{Expr, ExprTrait, Query};
use uuid::Uuid;

const MAX_RANK_IN_AREA: &str = "SELECT MAX(board_rank) FROM ideas WHERE area_id = $1";

// Every write to a board's ranks first takes its area's row lock, so on
// PostgreSQL (READ COMMITTED) a move cannot read keys a concurrent
// renumbering is replacing. SQLite's write transactions are serial anyway.
const LOCK_BOARD: &str = "UPDATE areas SET name = name WHERE id = $1";

const RANK_OF: &str = "SELECT area_id, board_rank FROM ideas WHERE id = $1";

const RANKED_IN_AREA: &str =
    "SELECT id FROM ideas WHERE area_id = $1 AND board_rank IS NOT NULL ORDER BY board_rank";

// Ranks are unique per area: clear them all before writing the new keys,
// which may equal old keys of other ideas.
const CLEAR_RANKS: &str =
    "UPDATE ideas SET board_rank = NULL WHERE area_id = $1 AND board_rank IS NOT NULL";

// A merged-away idea keeps its area but leaves the board (merging clears
// its rank), so "unranked" means unranked and live.
const UNRANKED_IN_AREA: &str = "SELECT id FROM ideas WHERE area_id = $1 AND board_rank IS NULL AND merged_into IS NULL ORDER BY id";

const ANY_UNRANKED: &str = "SELECT id FROM ideas WHERE area_id = $1 AND board_rank IS NULL AND merged_into IS NULL LIMIT 1";

const SET_RANK: &str = "UPDATE ideas SET board_rank = $2 WHERE id = $1";

const RANK_HOLDER: &str = "SELECT id FROM ideas WHERE area_id = $1 AND board_rank = $2";
const ABOVE: &str =
    "SELECT id FROM ideas WHERE area_id = $1 AND board_rank < $2 ORDER BY board_rank DESC LIMIT 2";

const BELOW: &str =
    "SELECT id FROM ideas WHERE area_id = $1 AND board_rank > $2 ORDER BY board_rank ASC LIMIT 2";

/// A board inside a unit of work: `tx.board()`.
pub struct BoardTx<'t>(&'t mut Tx);

impl Tx {
    /// Lock boards and write ranks in this transaction.
    pub fn board(&mut self) -> BoardTx<'_> {
        BoardTx(self)
    }
}

impl BoardTx<'_> {
    /// Take `area`'s board lock for the rest of the transaction. Every
    /// write to a board's ranks does this first.
    pub async fn lock(&mut self, area: AreaId) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(LOCK_BOARD).bind(area.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The lowest rank on `area`'s board (the greatest key), if any idea is on it.
    pub async fn lowest_rank(&mut self, area: AreaId) -> StoreResult<Option<String>> {
        Ok(
            on_tx!(&mut *self.0, c => sqlx::query_scalar(MAX_RANK_IN_AREA).bind(area.0).fetch_one(c).await)?,
        )
    }

    /// Where an idea sits (`None` if there is no such idea).
    pub async fn placement(&mut self, idea: IdeaId) -> StoreResult<Option<Placement>> {
        let row: Option<(Option<Uuid>, Option<String>)> = on_tx!(&mut *self.0, c => sqlx::query_as(RANK_OF).bind(idea.0).fetch_optional(c).await)?;
        Ok(row.map(|(a, r)| Placement {
            area_id: a.map(AreaId),
            rank: r,
        }))
    }

    /// The idea holding `rank` on `area`'s board, if any.
    pub async fn holder(&mut self, area: AreaId, rank: &str) -> StoreResult<Option<IdeaId>> {
        let id: Option<Uuid> = on_tx!(&mut *self.0, c => sqlx::query_scalar(RANK_HOLDER).bind(area.0).bind(rank).fetch_optional(c).await)?;
        Ok(id.map(IdeaId))
    }

    /// Give an idea a rank.
    pub async fn set_rank(&mut self, idea: IdeaId, rank: &str) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(SET_RANK).bind(idea.0).bind(rank).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The ideas on `area`'s board, top first.
    pub async fn ranked(&mut self, area: AreaId) -> StoreResult<Vec<IdeaId>> {
        let ids: Vec<Uuid> = on_tx!(&mut *self.0, c => sqlx::query_scalar(RANKED_IN_AREA).bind(area.0).fetch_all(c).await)?;
        Ok(ids.into_iter().map(IdeaId).collect())
    }

    /// Live ideas in `area` without a rank, oldest first.
    pub async fn unranked(&mut self, area: AreaId) -> StoreResult<Vec<IdeaId>> {
        let ids: Vec<Uuid> = on_tx!(&mut *self.0, c => sqlx::query_scalar(UNRANKED_IN_AREA).bind(area.0).fetch_all(c).await)?;
        Ok(ids.into_iter().map(IdeaId).collect())
    }

    /// Clear every rank on `area`'s board, before writing new keys that may
    /// equal old keys of other ideas (ranks are unique per area).
    pub async fn clear(&mut self, area: AreaId) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(CLEAR_RANKS).bind(area.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// Whether `area` holds a live idea without a rank (a cheap read, so
    /// a board view need not take the write lock to find out).
    pub async fn any_unranked(&self, area: AreaId) -> StoreResult<bool> {
        let any: Option<Uuid> = on_db!(self, p => sqlx::query_scalar(ANY_UNRANKED).bind(area.0).fetch_optional(p).await)?;
        Ok(any.is_some())
    }

    /// One page of an area's ranked board, top first.
    pub async fn board(&self, area: AreaId, page: &PageRequest) -> StoreResult<Page<Idea>> {
        let mut q = Query::select();
        q.from("ideas")
            .columns(IDEA_COLUMNS.map(|c| ("ideas", c)))
            .and_where(Expr::col(("ideas", "area_id")).eq(area.0))
            .and_where(Expr::col(("ideas", "board_rank")).is_not_null());
        keyset(&mut q, "ideas", SortKey::Text("board_rank"), false, page);
        let rows: Vec<IdeaRow> = fetch_built!(self, q, IdeaRow)?;
        let ideas = rows
            .into_iter()
            .map(Idea::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(page_of(ideas, page.limit, |i| {
            (
                CursorKey::Text(i.board_rank.clone().unwrap_or_default()),
                i.id.0,
            )
        }))
    }

    /// The two nearest ideas above and below `idea` on its board (nearest
    /// first), for moving one step without JavaScript.
    pub async fn board_neighbours(&self, idea: IdeaId) -> StoreResult<(Vec<IdeaId>, Vec<IdeaId>)> {
        let (area, rank): (Option<Uuid>, Option<String>) =
            on_db!(self, p => sqlx::query_as(RANK_OF).bind(idea.0).fetch_one(p).await)?;
        let (Some(area), Some(rank)) = (area, rank) else {
            return Ok((vec![], vec![]));
        };
        let above: Vec<Uuid> =
            on_db!(self, p => sqlx::query_scalar(ABOVE).bind(area).bind(&rank).fetch_all(p).await)?;
        let below: Vec<Uuid> =
            on_db!(self, p => sqlx::query_scalar(BELOW).bind(area).bind(&rank).fetch_all(p).await)?;
        Ok((
            above.into_iter().map(IdeaId).collect(),
            below.into_iter().map(IdeaId).collect(),
        ))
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    MAX_RANK_IN_AREA,
    LOCK_BOARD,
    RANK_OF,
    RANKED_IN_AREA,
    CLEAR_RANKS,
    UNRANKED_IN_AREA,
    ANY_UNRANKED,
    SET_RANK,
    RANK_HOLDER,
    ABOVE,
    BELOW,
];
