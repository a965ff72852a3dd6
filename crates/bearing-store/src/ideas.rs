//! Ideas: insert, read, change and list. Labels are kept whole on the row and
//! in `idea_labels` for filtering, written in the same transaction.

use crate::activity::Change;
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::list::{SortKey, keyset, page_of};
use crate::rows::{key, string_list, to_json_list};
use bearing_domain::*;
use sea_query::{Expr, ExprTrait, Query};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct IdeaRow {
    id: Uuid,
    title: String,
    problem: String,
    proposal: String,
    area_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    status: String,
    effort_months: Option<f64>,
    timeframe: Option<String>,
    due_date: Option<String>,
    labels: String,
    tracker_links: String,
    created_at: i64,
    updated_at: i64,
    rice_reach: Option<f64>,
    rice_impact: Option<f64>,
    rice_confidence: Option<f64>,
    rice_score: Option<f64>,
    rice_reach_mode: Option<String>,
    demand_score: f64,
    board_rank: Option<String>,
}

impl TryFrom<IdeaRow> for Idea {
    type Error = StoreError;
    fn try_from(r: IdeaRow) -> StoreResult<Idea> {
        Ok(Idea {
            id: IdeaId(r.id),
            title: r.title,
            problem: r.problem,
            proposal: r.proposal,
            area_id: r.area_id.map(AreaId),
            owner_id: r.owner_id.map(UserId),
            status: key(&r.status, "status")?,
            effort_months: r.effort_months,
            timeframe: r
                .timeframe
                .as_deref()
                .map(|t| key(t, "timeframe"))
                .transpose()?,
            due_date: r.due_date,
            labels: string_list(&r.labels),
            tracker_links: string_list(&r.tracker_links),
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
            rice: match (
                r.rice_reach,
                r.rice_impact,
                r.rice_confidence,
                r.effort_months,
                r.rice_score,
            ) {
                (Some(reach), Some(impact), Some(confidence), Some(effort_months), Some(score)) => {
                    Some(rice::Rice {
                        reach,
                        impact,
                        confidence,
                        effort_months,
                        score,
                    })
                }
                _ => None,
            },
            rice_reach_mode: r
                .rice_reach_mode
                .as_deref()
                .map(|m| rice::ReachMode::parse_field(m, "rice_reach_mode"))
                .transpose()?,
            demand_score: r.demand_score,
            board_rank: r.board_rank,
        })
    }
}

pub(crate) const IDEA_COLUMNS: [&str; 21] = [
    "id",
    "title",
    "problem",
    "proposal",
    "area_id",
    "owner_id",
    "status",
    "effort_months",
    "timeframe",
    "due_date",
    "labels",
    "tracker_links",
    "created_at",
    "updated_at",
    "rice_reach",
    "rice_impact",
    "rice_confidence",
    "rice_score",
    "rice_reach_mode",
    "demand_score",
    "board_rank",
];

const INSERT_IDEA: &str = "INSERT INTO ideas (id, title, title_lower, problem, proposal, area_id, owner_id, status, effort_months, timeframe, due_date, labels, tracker_links, created_at, updated_at, board_rank) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
const UPDATE_IDEA: &str = "UPDATE ideas SET title = $2, title_lower = $3, problem = $4, proposal = $5, area_id = $6, owner_id = $7, status = $8, effort_months = $9, timeframe = $10, due_date = $11, labels = $12, tracker_links = $13, updated_at = $14, rice_score = $15, rice_sort = $16, board_rank = $17 WHERE id = $1";
const IDEA_BY_ID: &str = "SELECT id, title, problem, proposal, area_id, owner_id, status, effort_months, timeframe, due_date, labels, tracker_links, created_at, updated_at, rice_reach, rice_impact, rice_confidence, rice_score, rice_reach_mode, demand_score, board_rank FROM ideas WHERE id = $1";
const INSERT_LABEL: &str = "INSERT INTO idea_labels (idea_id, label) VALUES ($1, $2) ON CONFLICT (idea_id, label) DO NOTHING";
const DELETE_LABELS: &str = "DELETE FROM idea_labels WHERE idea_id = $1";
const TOUCH_IDEA: &str = "UPDATE ideas SET updated_at = $2 WHERE id = $1";

impl Tx {
    /// Insert an idea, its labels and an activity entry.
    pub async fn insert_idea(
        &mut self,
        id: IdeaId,
        i: &NewIdea,
        actor: Option<UserId>,
        at: Timestamp,
    ) -> StoreResult<()> {
        let rank = match i.area_id {
            Some(a) => Some(self.rank_at_bottom(a).await?),
            None => None,
        };
        on_tx!(self, c => sqlx::query(INSERT_IDEA)
            .bind(id.0).bind(&i.title).bind(i.title.to_lowercase()).bind(&i.problem).bind(&i.proposal)
            .bind(i.area_id.map(|x| x.0)).bind(i.owner_id.map(|x| x.0)).bind(i.status.as_str()).bind(i.effort_months)
            .bind(i.timeframe.map(|t| t.as_str())).bind(i.due_date.as_deref()).bind(to_json_list(&i.labels))
            .bind(to_json_list(&i.tracker_links)).bind(at.0).bind(at.0).bind(rank.as_deref())
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.write_labels(id, &i.labels, false).await?;
        self.record(Change {
            entity_type: "idea",
            entity_id: id.0,
            actor,
            action: "created",
            before: None,
            after: Some(serde_json::json!({"title": i.title, "status": i.status})),
        })
        .await
    }

    /// Write an idea's label rows (the `labels` column is the caller's):
    /// add `labels`, after deleting every existing one if `replace`.
    pub(crate) async fn write_labels(
        &mut self,
        id: IdeaId,
        labels: &[String],
        replace: bool,
    ) -> StoreResult<()> {
        if replace {
            on_tx!(self, c => sqlx::query(DELETE_LABELS).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        for l in labels {
            on_tx!(self, c => sqlx::query(INSERT_LABEL).bind(id.0).bind(l).execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    /// An idea, read inside the transaction.
    pub async fn idea(&mut self, id: IdeaId) -> StoreResult<Idea> {
        let row: IdeaRow =
            on_tx!(self, c => sqlx::query_as(IDEA_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Mark an idea changed (a link or comment was added).
    pub async fn touch_idea(&mut self, id: IdeaId) -> StoreResult<()> {
        on_tx!(self, c => sqlx::query(TOUCH_IDEA).bind(id.0).bind(Timestamp::now().0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// Insert one idea in its own transaction.
    pub async fn insert_idea(&self, i: NewIdea, actor: Option<UserId>) -> StoreResult<Idea> {
        let id = IdeaId::new();
        let mut tx = self.begin().await?;
        tx.insert_idea(id, &i, actor, Timestamp::now()).await?;
        tx.commit().await?;
        self.idea(id).await
    }

    /// An idea by id.
    pub async fn idea(&self, id: IdeaId) -> StoreResult<Idea> {
        let row: IdeaRow =
            on_db!(self, p => sqlx::query_as(IDEA_BY_ID).bind(id.0).fetch_one(p).await)?;
        row.try_into()
    }

    /// Apply validated changes to an idea, recording before and after.
    pub async fn update_idea(
        &self,
        id: IdeaId,
        ch: IdeaChanges,
        actor: Option<UserId>,
    ) -> StoreResult<Idea> {
        let mut tx = self.begin().await?;
        let before = tx.idea(id).await?;
        let mut i = before.clone();
        if let Some(v) = ch.title {
            i.title = v;
        }
        if let Some(v) = ch.problem {
            i.problem = v;
        }
        if let Some(v) = ch.proposal {
            i.proposal = v;
        }
        if let Some(v) = ch.area_id {
            i.area_id = Some(v);
        }
        if let Some(v) = ch.owner_id {
            i.owner_id = Some(v);
        }
        if let Some(v) = ch.status {
            i.status = v;
        }
        if let Some(v) = ch.effort_months {
            i.effort_months = Some(v);
        }
        if let Some(v) = ch.timeframe {
            i.timeframe = Some(v);
        }
        if ch.due_date.is_some() {
            i.due_date = ch.due_date;
        }
        let labels_changed = ch.labels.is_some();
        if let Some(v) = ch.labels {
            i.labels = v;
        }
        if let Some(v) = ch.tracker_links {
            i.tracker_links = v;
        }
        i.updated_at = Timestamp::now();
        // Effort is RICE's denominator: a new SWAG re-scores the idea.
        if let (Some(r), Some(effort)) = (&mut i.rice, i.effort_months) {
            *r = rice::Rice::from_factors(r.reach, r.impact, r.confidence, effort);
        }
        let rice_score = i.rice.as_ref().map(|r| r.score);
        // Moving to another area puts the idea at the bottom of that board.
        if i.area_id != before.area_id {
            i.board_rank = match i.area_id {
                Some(a) => Some(tx.rank_at_bottom(a).await?),
                None => None,
            };
        }
        on_tx!(&mut tx, c => sqlx::query(UPDATE_IDEA)
            .bind(id.0).bind(&i.title).bind(i.title.to_lowercase()).bind(&i.problem).bind(&i.proposal)
            .bind(i.area_id.map(|x| x.0)).bind(i.owner_id.map(|x| x.0)).bind(i.status.as_str()).bind(i.effort_months)
            .bind(i.timeframe.map(|t| t.as_str())).bind(i.due_date.as_deref()).bind(to_json_list(&i.labels))
            .bind(to_json_list(&i.tracker_links)).bind(i.updated_at.0)
            .bind(rice_score).bind(crate::rows::rice_sort(rice_score)).bind(i.board_rank.as_deref())
            .execute(c).await.map(|r| r.rows_affected()))?;
        if labels_changed {
            tx.write_labels(id, &i.labels, true).await?;
        }
        tx.record(Change {
            entity_type: "idea",
            entity_id: id.0,
            actor,
            action: "updated",
            before: Some(idea_fields(&before)),
            after: Some(idea_fields(&i)),
        })
        .await?;
        tx.commit().await?;
        Ok(i)
    }

    /// List ideas matching `f`, in `sort` order, one page at a time.
    pub async fn list_ideas(
        &self,
        f: &IdeaFilter,
        sort: IdeaSort,
        page: &PageRequest,
    ) -> StoreResult<Page<Idea>> {
        let mut q = Query::select();
        q.from("ideas").columns(IDEA_COLUMNS.map(|c| ("ideas", c)));
        // Merged-away ideas live on only as redirects to their survivor.
        q.and_where(Expr::col(("ideas", "merged_into")).is_null());
        if let Some(s) = f.status {
            q.and_where(Expr::col(("ideas", "status")).eq(s.as_str()));
        }
        if let Some(a) = f.area_id {
            q.and_where(Expr::col(("ideas", "area_id")).eq(a.0));
        }
        if let Some(o) = f.owner_id {
            q.and_where(Expr::col(("ideas", "owner_id")).eq(o.0));
        }
        if let Some(l) = &f.label {
            q.and_where(
                Expr::col(("ideas", "id")).in_subquery(
                    Query::select()
                        .column("idea_id")
                        .from("idea_labels")
                        .and_where(Expr::col("label").eq(l.to_lowercase()))
                        .to_owned(),
                ),
            );
        }
        if let Some(m) = f.min_rice {
            q.and_where(Expr::col(("ideas", "rice_sort")).gte(m));
        }
        if let Some(c) = f.customer_id {
            q.and_where(
                Expr::col(("ideas", "id")).in_subquery(
                    Query::select()
                        .column(("links", "idea_id"))
                        .from("links")
                        .inner_join(
                            "notes",
                            Expr::col(("notes", "id")).equals(("links", "note_id")),
                        )
                        .and_where(Expr::col(("notes", "customer_id")).eq(c.0))
                        .to_owned(),
                ),
            );
        }
        let (key, desc) = match sort {
            IdeaSort::Newest => (SortKey::Id, true),
            IdeaSort::Oldest => (SortKey::Id, false),
            IdeaSort::Updated => (SortKey::Int("updated_at"), true),
            IdeaSort::Title => (SortKey::Text("title_lower"), false),
            IdeaSort::Rice => (SortKey::Float("rice_sort"), true),
            IdeaSort::Demand => (SortKey::Float("demand_score"), true),
        };
        keyset(&mut q, "ideas", key, desc, page);
        let rows: Vec<IdeaRow> = fetch_built!(self, q, IdeaRow)?;
        let ideas = rows
            .into_iter()
            .map(Idea::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(page_of(ideas, page.limit, |i| match sort {
            IdeaSort::Newest | IdeaSort::Oldest => (CursorKey::None, i.id.0),
            IdeaSort::Updated => (CursorKey::Int(i.updated_at.0), i.id.0),
            IdeaSort::Title => (CursorKey::Text(i.title.to_lowercase()), i.id.0),
            IdeaSort::Rice => (
                CursorKey::Float(crate::rows::rice_sort(i.rice.as_ref().map(|r| r.score))),
                i.id.0,
            ),
            IdeaSort::Demand => (CursorKey::Float(i.demand_score), i.id.0),
        }))
    }

    /// Ideas by id, for showing many links at once.
    pub async fn ideas_by_ids(&self, ids: &[IdeaId]) -> StoreResult<Vec<Idea>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut q = Query::select();
        q.from("ideas")
            .columns(IDEA_COLUMNS.map(|c| ("ideas", c)))
            .and_where(Expr::col(("ideas", "id")).is_in(ids.iter().map(|i| i.0)));
        let rows: Vec<IdeaRow> = fetch_built!(self, q, IdeaRow)?;
        rows.into_iter().map(Idea::try_from).collect()
    }
}

/// The fields of an idea worth showing in its history.
pub(crate) fn idea_fields(i: &Idea) -> serde_json::Value {
    serde_json::json!({
        "title": i.title, "problem": i.problem, "proposal": i.proposal, "area_id": i.area_id,
        "owner_id": i.owner_id, "status": i.status, "effort_months": i.effort_months,
        "timeframe": i.timeframe, "due_date": i.due_date, "labels": i.labels, "tracker_links": i.tracker_links,
    })
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    INSERT_IDEA,
    UPDATE_IDEA,
    IDEA_BY_ID,
    INSERT_LABEL,
    DELETE_LABELS,
    TOUCH_IDEA,
];
