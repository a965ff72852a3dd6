//! Prioritisation use cases on ideas: score with RICE on the workspace's
//! reach scale, read the demand breakdown (who is asking), and run the
//! ranked board (list and move).

use crate::{Actor, App, AppError, AppResult, missing_ref};
use bearing_domain::prioritisation::demand::{arr_weight, importance_weight};
use bearing_domain::prioritisation::rice::{ReachMode, RiceInput};
use bearing_domain::*;
use bearing_store::prioritisation::DemandCount;
use serde::Serialize;
use std::collections::HashMap;

/// Settings key for the workspace's reach scale.
pub const REACH_MODE_SETTING: &str = "rice.reach_mode";

/// One customer's part in an idea's demand.
#[derive(Clone, Debug, Serialize)]
pub struct CustomerDemand {
    /// The customer.
    pub customer: Customer,
    /// How many of their notes are linked.
    pub notes: usize,
    /// The strongest importance among them.
    pub importance: Importance,
    /// Their contribution to the score.
    pub weight: f64,
}

/// Who is asking for an idea, and the demand score that follows.
#[derive(Clone, Debug, Serialize)]
pub struct DemandBreakdown {
    /// The stored demand score.
    pub score: f64,
    /// Customers, heaviest first.
    pub customers: Vec<CustomerDemand>,
    /// Linked notes with no customer.
    pub anonymous_notes: usize,
    /// Summed ARR of the customers asking.
    pub total_arr: i64,
}

/// Who is asking, from an idea's linked notes counted per customer and
/// importance (`Db::demand_counts`) and those customers (pure). A count
/// whose customer is missing from `customers` counts as anonymous.
pub(crate) fn breakdown_of(
    score: f64,
    counts: &[DemandCount],
    customers: &HashMap<CustomerId, Customer>,
) -> DemandBreakdown {
    let mut per: HashMap<CustomerId, (&Customer, usize, Importance)> = HashMap::new();
    let mut anonymous_notes = 0;
    for n in counts {
        match n.customer_id.and_then(|c| customers.get(&c)) {
            Some(c) => {
                let e = per.entry(c.id).or_insert((c, 0, n.importance));
                e.1 += n.notes;
                e.2 = e.2.max(n.importance);
            }
            None => anonymous_notes += n.notes,
        }
    }
    let mut customers: Vec<CustomerDemand> = per
        .into_values()
        .map(|(c, notes, importance)| CustomerDemand {
            customer: c.clone(),
            notes,
            importance,
            weight: importance_weight(importance) * arr_weight(c.arr),
        })
        .collect();
    customers.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.customer.name.cmp(&b.customer.name))
    });
    let total_arr = customers.iter().map(|c| c.customer.arr).sum();
    DemandBreakdown {
        score,
        customers,
        anonymous_notes,
        total_arr,
    }
}

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
        self.db
            .set_setting(REACH_MODE_SETTING, mode.as_str())
            .await?;
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
        self.ensure_live(idea, "id").await?;
        self.db
            .set_rice(idea, Some(&rice), mode, actor.id())
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("idea"))
    }

    /// Remove an idea's RICE score.
    pub async fn clear_rice(&self, actor: &Actor, idea: IdeaId) -> AppResult<Idea> {
        actor.must_manage()?;
        let mode = self.reach_mode().await?;
        self.db
            .set_rice(idea, None, mode, actor.id())
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("idea"))
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
        self.db.ensure_board_ranks(area).await?;
        Ok(self.db.board(area, page).await?)
    }

    /// Move an idea on its board between two neighbours (one row written).
    pub async fn move_idea(
        &self,
        actor: &Actor,
        idea: IdeaId,
        after: Option<IdeaId>,
        before: Option<IdeaId>,
    ) -> AppResult<Idea> {
        actor.must_manage()?;
        let i = self.idea(idea).await?;
        if let Some(a) = i.area_id {
            self.db.ensure_board_ranks(a).await?;
        }
        self.ensure_live(idea, "id").await?;
        if after == Some(idea) || before == Some(idea) {
            return Err(ValidationError::new(
                "after_id",
                "an idea cannot be placed next to itself",
            )
            .into());
        }
        self.db
            .move_on_board(idea, after, before, actor.id())
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::NotFound(_) => AppError::NotFound("idea".into()),
                other => other,
            })
    }

    /// Move an idea one place up or down its board (for keyboards and
    /// browsers without JavaScript). At either end it stays put.
    pub async fn step_idea(&self, actor: &Actor, idea: IdeaId, up: bool) -> AppResult<Idea> {
        actor.must_manage()?;
        let i = self.idea(idea).await?;
        if let Some(a) = i.area_id {
            self.db.ensure_board_ranks(a).await?;
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
