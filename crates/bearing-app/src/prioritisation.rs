//! Prioritisation use cases on ideas: score with RICE on the workspace's
//! reach scale, read the demand breakdown (who is asking), and run the
//! ranked board (list and move).

use crate::error::OrNotFound;
use crate::unit::{bottom_ranks, live_idea};
use crate::{Actor, App, AppError, AppResult, board_refused, missing_ref};
use bearing_domain::prioritisation::board::{
    BoardRefusal, initial_ranks, needs_renumbering, neighbour_rank, rank_for_move,
};
use bearing_domain::prioritisation::demand::{DemandBreakdown, breakdown_of};
use bearing_domain::prioritisation::rice::{ReachMode, RiceInput};
use bearing_domain::*;
use bearing_store::Tx;

/// Settings key for the workspace's reach scale.
pub const REACH_MODE_SETTING: &str = "rice.reach_mode";

impl App {
    /// The workspace's reach scale (standard unless changed).
    pub async fn reach_mode(&self) -> AppResult<ReachMode> {
        Ok(match self.db.setting(REACH_MODE_SETTING).await? {
            Some(v) => ReachMode::parse_field(&v, "reach_mode")?,
            None => ReachMode::Standard,
        })
    }

    /// Change the workspace's reach scale. Existing scores keep the scale
    /// they were made on (shown beside them) until re-scored.
    pub async fn set_reach_mode(&self, actor: &Actor, mode: ReachMode) -> AppResult<ReachMode> {
        actor.must_admin()?;
        let mut tx = self.db.begin().await?;
        let before = tx.settings().get(REACH_MODE_SETTING).await?;
        tx.settings()
            .put(REACH_MODE_SETTING, mode.as_str(), Timestamp::now())
            .await?;
        tx.record(
            &Change::new(
                EntityKind::Workspace,
                uuid::Uuid::nil(),
                ChangeAction::SettingChanged,
                actor.id(),
            )
            .before(serde_json::json!({ REACH_MODE_SETTING: before }))
            .after(serde_json::json!({ REACH_MODE_SETTING: mode })),
        )
        .await?;
        tx.commit().await?;
        Ok(mode)
    }

    /// Score an idea with RICE on the workspace's scale.
    pub async fn score_idea(
        &self,
        actor: &Actor,
        idea: IdeaId,
        input: RiceInput,
    ) -> AppResult<Idea> {
        actor.must_manage()?;
        let mode = self.reach_mode().await?;
        let rice = input.validate(mode)?;
        let mut tx = self.db.begin().await?;
        live_idea(&mut tx, idea, "id").await?;
        let scored = set_rice_in(&mut tx, actor, idea, Some(&rice), mode).await?;
        tx.commit().await?;
        Ok(scored)
    }

    /// Remove an idea's RICE score.
    pub async fn clear_rice(&self, actor: &Actor, idea: IdeaId) -> AppResult<Idea> {
        actor.must_manage()?;
        let mode = self.reach_mode().await?;
        let mut tx = self.db.begin().await?;
        tx.ideas().lock(idea).await.or_not_found("idea")?;
        let cleared = set_rice_in(&mut tx, actor, idea, None, mode).await?;
        tx.commit().await?;
        Ok(cleared)
    }

    /// Who is asking for an idea: customers with ARR, segment and notes,
    /// weighed as the demand score weighs them.
    pub async fn demand_breakdown(&self, idea: IdeaId) -> AppResult<DemandBreakdown> {
        let i = self.idea(idea).await?;
        self.demand_of(&i).await
    }

    /// Who is asking for `idea`, counting every linked note.
    pub(crate) async fn demand_of(&self, idea: &Idea) -> AppResult<DemandBreakdown> {
        let counts = self.db.demand_counts(idea.id).await?;
        let customers = self
            .customers_of(counts.iter().filter_map(|c| c.customer_id))
            .await?;
        Ok(breakdown_of(idea.demand_score, &counts, &customers))
    }

    /// One page of an area's ranked board, top first.
    pub async fn board(&self, area: AreaId, page: &PageRequest) -> AppResult<Page<Idea>> {
        self.area(area).await?;
        self.ensure_board_ranks(area).await?;
        Ok(self.db.board(area, page).await?)
    }

    /// Give every unranked idea in `area` a place at the bottom of its
    /// board, oldest first (ideas made before boards existed, or loaded in
    /// bulk). A derived fill, not a change anyone made, so it records none.
    pub(crate) async fn ensure_board_ranks(&self, area: AreaId) -> AppResult<()> {
        // Almost always there is nothing to do: check with a read before
        // taking the write lock, or every board view would queue on it.
        if !self.db.any_unranked(area).await? {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        fill_unranked(&mut tx, area).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Move an idea on its board to sit just below `after` and just above
    /// `before` (either absent for an end; both absent for the bottom of the
    /// board). Writes one row, or, when the new
    /// key grows past `LONG_RANK` (many drops into the same gap), renumbers
    /// the board in the same transaction, order unchanged.
    pub async fn move_idea(
        &self,
        actor: &Actor,
        idea: IdeaId,
        after: Option<IdeaId>,
        before: Option<IdeaId>,
    ) -> AppResult<Idea> {
        actor.must_manage()?;
        let mut tx = self.db.begin().await?;
        let i = live_idea(&mut tx, idea, "id").await?;
        if after == Some(idea) || before == Some(idea) {
            return Err(ValidationError::new(
                "after_id",
                "an idea cannot be placed next to itself",
            )
            .into());
        }
        let Some(area) = i.area_id else {
            return Err(board_refused(BoardRefusal::NotOnABoard));
        };
        tx.board().lock(area).await?;
        fill_unranked(&mut tx, area).await?;
        let old = tx.board().placement(idea).await?.and_then(|p| p.rank);
        let mut neighbour = async |field, named: Option<IdeaId>| -> AppResult<Option<String>> {
            let placement = match named {
                Some(n) => tx.board().placement(n).await?,
                None => None,
            };
            neighbour_rank(field, named, placement, area).map_err(board_refused)
        };
        let above = neighbour("after_id", after).await?;
        let below = neighbour("before_id", before).await?;
        let mut rank = if above.is_none() && below.is_none() {
            // No neighbours named: to the bottom of the board.
            bottom_ranks(&mut tx, area, 1)
                .await?
                .pop()
                .ok_or_else(|| AppError::Internal("no rank at the bottom".into()))?
        } else {
            rank_for_move(above.as_deref(), below.as_deref()).map_err(board_refused)?
        };
        // Neighbours read before another move landed between them give
        // that move's key again: the board changed under the caller.
        if tx
            .board()
            .holder(area, &rank)
            .await?
            .is_some_and(|h| h != idea)
        {
            return Err(board_refused(BoardRefusal::BoardChanged));
        }
        tx.board().set_rank(idea, &rank).await?;
        if needs_renumbering(&rank) {
            rank = renumber(&mut tx, area, idea).await?;
        }
        tx.record(
            &Change::new(EntityKind::Idea, idea, ChangeAction::Reranked, actor.id())
                .before(serde_json::json!({"board_rank": old}))
                .after(serde_json::json!({"board_rank": rank})),
        )
        .await?;
        let moved = tx.ideas().get(idea).await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Move an idea one place up or down its board (for keyboards and
    /// browsers without JavaScript). At either end it stays put.
    pub async fn step_idea(&self, actor: &Actor, idea: IdeaId, up: bool) -> AppResult<Idea> {
        actor.must_manage()?;
        let i = self.idea(idea).await?;
        if let Some(a) = i.area_id {
            self.ensure_board_ranks(a).await?;
        }
        let (above, below) = self.db.board_neighbours(idea).await?;
        let (after, before) = match (up, above.as_slice(), below.as_slice()) {
            (true, [first, rest @ ..], _) => (rest.first().copied(), Some(*first)),
            (false, _, [first, rest @ ..]) => (Some(*first), rest.first().copied()),
            _ => return Ok(i),
        };
        self.move_idea(actor, idea, after, before).await
    }

    /// An area's ideas ranked by RICE or demand, one page at a time.
    pub async fn ranked(
        &self,
        area: Option<AreaId>,
        sort: IdeaSort,
        page: &PageRequest,
    ) -> AppResult<Page<crate::views::IdeaRow>> {
        if let Some(a) = area {
            self.db
                .area(a)
                .await
                .map_err(AppError::from)
                .map_err(missing_ref("area_id", "area"))?;
        }
        self.list_ideas(
            &IdeaFilter {
                area_id: area,
                ..Default::default()
            },
            sort,
            page,
        )
        .await
    }
}

/// Set (or clear) an idea's RICE inside a unit of work and record it.
/// Effort is the idea's effort SWAG, so setting RICE sets it too.
pub(crate) async fn set_rice_in(
    tx: &mut Tx,
    actor: &Actor,
    idea: IdeaId,
    rice: Option<&Rice>,
    mode: ReachMode,
) -> AppResult<Idea> {
    let before = tx.ideas().get(idea).await?;
    let effort = rice.map(|r| r.effort_months).or(before.effort_months);
    tx.ideas()
        .set_rice(idea, rice, rice.map(|_| mode), effort, Timestamp::now())
        .await?;
    let action = if rice.is_some() {
        ChangeAction::Scored
    } else {
        ChangeAction::Unscored
    };
    tx.record(
        &Change::new(EntityKind::Idea, idea, action, actor.id())
            .before(serde_json::json!({"rice": before.rice, "reach_mode": before.rice_reach_mode}))
            .after(serde_json::json!({"rice": rice, "reach_mode": rice.map(|_| mode)})),
    )
    .await?;
    Ok(tx.ideas().get(idea).await?)
}

/// Rank every unranked live idea in `area` at the bottom of its board.
async fn fill_unranked(tx: &mut Tx, area: AreaId) -> AppResult<()> {
    let unranked = tx.board().unranked(area).await?;
    if unranked.is_empty() {
        return Ok(());
    }
    let ranks = bottom_ranks(tx, area, unranked.len()).await?;
    for (id, r) in unranked.into_iter().zip(ranks) {
        tx.board().set_rank(id, &r).await?;
    }
    Ok(())
}

/// Give `area`'s board fresh, short, evenly spaced keys in its current
/// order; returns the new key of `idea`. The board is locked already.
async fn renumber(tx: &mut Tx, area: AreaId, idea: IdeaId) -> AppResult<String> {
    let ids = tx.board().ranked(area).await?;
    tx.board().clear(area).await?;
    let keys = initial_ranks(ids.len());
    for (id, key) in ids.iter().zip(&keys) {
        tx.board().set_rank(*id, key).await?;
    }
    ids.iter()
        .position(|id| *id == idea)
        .map(|i| keys[i].clone())
        .ok_or_else(|| AppError::Internal("a renumbered idea left its board".into()))
}
