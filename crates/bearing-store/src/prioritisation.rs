//! Prioritisation data on ideas: RICE scores, the customer demand score kept
//! in step with linked feedback, the ranked board's fractional ranks, and the
//! workspace settings that govern them (the reach scale).
//!
//! Demand is stored on the idea and refreshed inside every transaction that
//! changes its inputs (a link added or removed, a note's importance or
//! customer changed, a customer's ARR changed), so ranking 100,000 ideas by
//! demand is an index scan rather than an aggregate over a million notes.

use crate::activity::Change;
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::ideas::{IDEA_COLUMNS, IdeaRow};
use crate::list::{SortKey, keyset, page_of};
use crate::rows::key;
use bearing_domain::demand::{DemandSignal, demand_score};
use bearing_domain::rice::{ReachMode, Rice};
use bearing_domain::*;
use sea_query::{Expr, ExprTrait, Query};
use std::collections::HashMap;
use uuid::Uuid;

const MAX_RANK_IN_AREA: &str = "SELECT MAX(board_rank) FROM ideas WHERE area_id = $1";
const SET_RICE: &str = "UPDATE ideas SET rice_reach = $2, rice_impact = $3, rice_confidence = $4, effort_months = $5, rice_score = $6, rice_sort = $7, rice_reach_mode = $8, updated_at = $9 WHERE id = $1";
const DEMAND_SIGNALS: &str = "SELECT n.customer_id, c.arr, n.importance FROM links l JOIN notes n ON n.id = l.note_id LEFT JOIN customers c ON c.id = n.customer_id WHERE l.idea_id = $1";
const ALL_DEMAND_SIGNALS: &str = "SELECT l.idea_id, n.customer_id, c.arr, n.importance FROM links l JOIN notes n ON n.id = l.note_id LEFT JOIN customers c ON c.id = n.customer_id ORDER BY l.idea_id";
// Unchanged scores are not rewritten (maintenance recomputes them all).
const SET_DEMAND: &str = "UPDATE ideas SET demand_score = $2 WHERE id = $1 AND demand_score <> $2";
const ZERO_UNLINKED_DEMAND: &str = "UPDATE ideas SET demand_score = 0 WHERE demand_score <> 0 AND NOT EXISTS (SELECT 1 FROM links l WHERE l.idea_id = ideas.id)";
const DEMAND_COUNTS: &str = "SELECT n.customer_id, n.importance, count(*) FROM links l JOIN notes n ON n.id = l.note_id WHERE l.idea_id = $1 GROUP BY n.customer_id, n.importance";
const IDEAS_OF_NOTE: &str = "SELECT idea_id FROM links WHERE note_id = $1";
const IDEAS_OF_CUSTOMER: &str = "SELECT DISTINCT l.idea_id FROM links l JOIN notes n ON n.id = l.note_id WHERE n.customer_id = $1";
// A merged-away idea keeps its area but leaves the board (merging clears
// its rank), so "unranked" means unranked and live.
const UNRANKED_IN_AREA: &str = "SELECT id FROM ideas WHERE area_id = $1 AND board_rank IS NULL AND merged_into IS NULL ORDER BY id";
const ANY_UNRANKED: &str = "SELECT id FROM ideas WHERE area_id = $1 AND board_rank IS NULL AND merged_into IS NULL LIMIT 1";
const SET_RANK: &str = "UPDATE ideas SET board_rank = $2 WHERE id = $1";
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
const ABOVE: &str =
    "SELECT id FROM ideas WHERE area_id = $1 AND board_rank < $2 ORDER BY board_rank DESC LIMIT 2";
const BELOW: &str =
    "SELECT id FROM ideas WHERE area_id = $1 AND board_rank > $2 ORDER BY board_rank ASC LIMIT 2";
const GET_SETTING: &str = "SELECT value FROM settings WHERE key = $1";
const PUT_SETTING: &str = "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

/// How many of an idea's linked notes come from one customer (or from no
/// customer) at one importance: the rows "who is asking" is built from.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandCount {
    /// The customer, or `None` for notes without one.
    pub customer_id: Option<CustomerId>,
    /// The notes' importance.
    pub importance: Importance,
    /// How many linked notes.
    pub notes: usize,
}

fn signal(customer: Option<Uuid>, arr: Option<i64>, importance: &str) -> StoreResult<DemandSignal> {
    Ok(DemandSignal {
        customer,
        arr: arr.unwrap_or(0),
        importance: key(importance, "importance")?,
    })
}

impl Tx {
    /// A rank below every idea on `area`'s board.
    pub async fn rank_at_bottom(&mut self, area: AreaId) -> StoreResult<String> {
        let mut ranks = self.ranks_at_bottom(area, 1).await?;
        ranks
            .pop()
            .ok_or_else(|| StoreError::Constraint("board: no rank".into()))
    }

    /// `n` increasing ranks below every idea on `area`'s board.
    pub async fn ranks_at_bottom(&mut self, area: AreaId, n: usize) -> StoreResult<Vec<String>> {
        let max: Option<String> = on_tx!(self, c => sqlx::query_scalar(MAX_RANK_IN_AREA).bind(area.0).fetch_one(c).await)?;
        Ok(rank::ranks_between(max.as_deref(), None, n)?)
    }

    /// Give `area`'s board fresh, short, evenly spaced keys in its current
    /// order (`rank::initial_ranks`): for when a key has grown past
    /// `rank::LONG_RANK`. Returns the new key of `idea`. Call with the
    /// board locked, as `move_on_board` does.
    pub(crate) async fn renumber_board(
        &mut self,
        area: AreaId,
        idea: IdeaId,
    ) -> StoreResult<String> {
        let ids: Vec<Uuid> =
            on_tx!(self, c => sqlx::query_scalar(RANKED_IN_AREA).bind(area.0).fetch_all(c).await)?;
        on_tx!(self, c => sqlx::query(CLEAR_RANKS).bind(area.0).execute(c).await.map(|r| r.rows_affected()))?;
        let keys = rank::initial_ranks(ids.len());
        for (id, key) in ids.iter().zip(&keys) {
            on_tx!(self, c => sqlx::query(SET_RANK).bind(id).bind(key).execute(c).await.map(|r| r.rows_affected()))?;
        }
        ids.iter()
            .position(|id| *id == idea.0)
            .map(|i| keys[i].clone())
            .ok_or_else(|| StoreError::Constraint("idea: not on this board".into()))
    }

    /// Recompute one idea's demand score from its linked notes.
    pub async fn refresh_demand(&mut self, idea: IdeaId) -> StoreResult<f64> {
        let rows: Vec<(Option<Uuid>, Option<i64>, String)> =
            on_tx!(self, c => sqlx::query_as(DEMAND_SIGNALS).bind(idea.0).fetch_all(c).await)?;
        let signals = rows
            .iter()
            .map(|(c, a, i)| signal(*c, *a, i))
            .collect::<StoreResult<Vec<_>>>()?;
        let score = demand_score(&signals);
        on_tx!(self, c => sqlx::query(SET_DEMAND).bind(idea.0).bind(score).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(score)
    }

    /// Recompute demand for every idea a note is linked to.
    pub async fn refresh_demand_of_note(&mut self, note: NoteId) -> StoreResult<()> {
        let ideas: Vec<Uuid> =
            on_tx!(self, c => sqlx::query_scalar(IDEAS_OF_NOTE).bind(note.0).fetch_all(c).await)?;
        for i in ideas {
            self.refresh_demand(IdeaId(i)).await?;
        }
        Ok(())
    }

    /// Recompute demand for every idea a customer asked for.
    pub async fn refresh_demand_of_customer(&mut self, customer: CustomerId) -> StoreResult<()> {
        let ideas: Vec<Uuid> = on_tx!(self, c => sqlx::query_scalar(IDEAS_OF_CUSTOMER).bind(customer.0).fetch_all(c).await)?;
        for i in ideas {
            self.refresh_demand(IdeaId(i)).await?;
        }
        Ok(())
    }
}

impl Db {
    /// Every linked note of `idea`, counted per customer and importance:
    /// all of them, however many (a GROUP BY, not a list).
    pub async fn demand_counts(&self, idea: IdeaId) -> StoreResult<Vec<DemandCount>> {
        let rows: Vec<(Option<Uuid>, String, i64)> =
            on_db!(self, p => sqlx::query_as(DEMAND_COUNTS).bind(idea.0).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(c, i, n)| {
                Ok(DemandCount {
                    customer_id: c.map(CustomerId),
                    importance: key(&i, "importance")?,
                    notes: usize::try_from(n).unwrap_or(0),
                })
            })
            .collect()
    }

    /// Set (or clear, with `None`) an idea's RICE. Effort is the idea's
    /// effort SWAG, so setting RICE sets it too.
    pub async fn set_rice(
        &self,
        idea: IdeaId,
        rice: Option<&Rice>,
        mode: ReachMode,
        actor: Option<UserId>,
    ) -> StoreResult<Idea> {
        let mut tx = self.begin().await?;
        let before = tx.idea(idea).await?;
        let effort = rice.map(|r| r.effort_months).or(before.effort_months);
        on_tx!(&mut tx, c => sqlx::query(SET_RICE)
            .bind(idea.0).bind(rice.map(|r| r.reach)).bind(rice.map(|r| r.impact)).bind(rice.map(|r| r.confidence))
            .bind(effort).bind(rice.map(|r| r.score)).bind(crate::rows::rice_sort(rice.map(|r| r.score)))
            .bind(rice.map(|_| mode.as_str())).bind(Timestamp::now().0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        tx.record(Change {
            entity_type: "idea",
            entity_id: idea.0,
            actor,
            action: if rice.is_some() { "scored" } else { "unscored" },
            before: Some(
                serde_json::json!({"rice": before.rice, "reach_mode": before.rice_reach_mode}),
            ),
            after: Some(serde_json::json!({"rice": rice, "reach_mode": rice.map(|_| mode)})),
        })
        .await?;
        tx.commit().await?;
        self.idea(idea).await
    }

    /// Recompute every idea's demand score in one pass (after bulk loads,
    /// or in maintenance): ideas with linked notes from their signals, any
    /// other idea back to 0. Returns how many ideas have linked notes.
    pub async fn refresh_all_demand(&self) -> StoreResult<u64> {
        on_db!(self, p => sqlx::query(ZERO_UNLINKED_DEMAND).execute(p).await.map(|r| r.rows_affected()))?;
        let rows: Vec<(Uuid, Option<Uuid>, Option<i64>, String)> =
            on_db!(self, p => sqlx::query_as(ALL_DEMAND_SIGNALS).fetch_all(p).await)?;
        let mut by_idea: HashMap<Uuid, Vec<DemandSignal>> = HashMap::new();
        for (idea, c, a, i) in &rows {
            by_idea.entry(*idea).or_default().push(signal(*c, *a, i)?);
        }
        let mut n = 0;
        let scores: Vec<(Uuid, f64)> = by_idea
            .into_iter()
            .map(|(i, s)| (i, demand_score(&s)))
            .collect();
        for chunk in scores.chunks(5_000) {
            let mut tx = self.begin().await?;
            for (idea, score) in chunk {
                on_tx!(&mut tx, c => sqlx::query(SET_DEMAND).bind(*idea).bind(*score).execute(c).await.map(|r| r.rows_affected()))?;
                n += 1;
            }
            tx.commit().await?;
        }
        Ok(n)
    }

    /// Give every unranked idea in `area` a place at the bottom of its
    /// board, oldest first (ideas made before boards existed).
    pub async fn ensure_board_ranks(&self, area: AreaId) -> StoreResult<()> {
        // Almost always there is nothing to do: check with a read before
        // taking the write lock, or every board view would queue on it.
        let any: Option<Uuid> = on_db!(self, p => sqlx::query_scalar(ANY_UNRANKED).bind(area.0).fetch_optional(p).await)?;
        if any.is_none() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(LOCK_BOARD).bind(area.0).execute(c).await.map(|r| r.rows_affected()))?;
        let unranked: Vec<Uuid> = on_tx!(&mut tx, c => sqlx::query_scalar(UNRANKED_IN_AREA).bind(area.0).fetch_all(c).await)?;
        let ranks = tx.ranks_at_bottom(area, unranked.len()).await?;
        for (id, r) in unranked.into_iter().zip(ranks) {
            on_tx!(&mut tx, c => sqlx::query(SET_RANK).bind(id).bind(r).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.commit().await
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

    /// Move an idea on its board to sit just below `after` and just above
    /// `before` (either may be absent for the ends). Writes one row, or, in
    /// the rare case that the new key grows past `rank::LONG_RANK` (many
    /// drops into the same gap), renumbers the whole board in the same
    /// transaction, order unchanged. Both neighbours must be on the same
    /// board; `Conflict` if the board changed under the caller (another move
    /// took the same gap).
    pub async fn move_on_board(
        &self,
        idea: IdeaId,
        after: Option<IdeaId>,
        before: Option<IdeaId>,
        actor: Option<UserId>,
    ) -> StoreResult<Idea> {
        let mut tx = self.begin().await?;
        let (area, old): (Option<Uuid>, Option<String>) =
            on_tx!(&mut tx, c => sqlx::query_as(RANK_OF).bind(idea.0).fetch_one(c).await)?;
        let Some(area) = area else {
            return Err(StoreError::Constraint(
                "idea: only ideas in a product area are on a board".into(),
            ));
        };
        on_tx!(&mut tx, c => sqlx::query(LOCK_BOARD).bind(area).execute(c).await.map(|r| r.rows_affected()))?;
        let mut neighbour = async |n: Option<IdeaId>, field: &str| -> StoreResult<Option<String>> {
            let Some(n) = n else { return Ok(None) };
            let (a, r): (Option<Uuid>, Option<String>) =
                on_tx!(&mut tx, c => sqlx::query_as(RANK_OF).bind(n.0).fetch_optional(c).await)?
                    .ok_or_else(|| {
                        StoreError::Constraint(format!("{field}: no idea with that id"))
                    })?;
            if a != Some(area) || r.is_none() {
                return Err(StoreError::Constraint(format!(
                    "{field}: that idea is not on the same board"
                )));
            }
            Ok(r)
        };
        let above = neighbour(after, "after_id").await?;
        let below = neighbour(before, "before_id").await?;
        let rank = rank::rank_between(above.as_deref(), below.as_deref()).map_err(|_| {
            StoreError::Conflict(
                "the board changed while you were moving; reload and try again".into(),
            )
        })?;
        on_tx!(&mut tx, c => sqlx::query(SET_RANK).bind(idea.0).bind(&rank).execute(c).await.map(|r| r.rows_affected()))?;
        let rank = if rank.len() > rank::LONG_RANK {
            tx.renumber_board(AreaId(area), idea).await?
        } else {
            rank
        };
        tx.record(Change {
            entity_type: "idea",
            entity_id: idea.0,
            actor,
            action: "reranked",
            before: Some(serde_json::json!({"board_rank": old})),
            after: Some(serde_json::json!({"board_rank": rank})),
        })
        .await?;
        tx.commit().await?;
        self.idea(idea).await
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

    /// A workspace setting.
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(on_db!(self, p => sqlx::query_scalar(GET_SETTING).bind(key).fetch_optional(p).await)?)
    }

    /// Change a workspace setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        on_db!(self, p => sqlx::query(PUT_SETTING).bind(key).bind(value).bind(Timestamp::now().0).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    MAX_RANK_IN_AREA,
    LOCK_BOARD,
    RANKED_IN_AREA,
    CLEAR_RANKS,
    SET_RICE,
    DEMAND_SIGNALS,
    ALL_DEMAND_SIGNALS,
    SET_DEMAND,
    ZERO_UNLINKED_DEMAND,
    DEMAND_COUNTS,
    IDEAS_OF_NOTE,
    IDEAS_OF_CUSTOMER,
    UNRANKED_IN_AREA,
    ANY_UNRANKED,
    SET_RANK,
    RANK_OF,
    ABOVE,
    BELOW,
    GET_SETTING,
    PUT_SETTING,
];
