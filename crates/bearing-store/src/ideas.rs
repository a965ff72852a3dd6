//! Ideas: reading them (one, by ids, a filtered page) and, inside a unit
//! of work, writing them (`tx.ideas()`). Labels are kept whole on the row
//! and in `idea_labels` for filtering, written in the same transaction.
//! What a change means (re-scoring, re-ranking, merging) is the app's and
//! the domain's; this file only reads and writes rows.

use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::list::{SortKey, keyset, page_of};
use crate::rows::{key, rice_sort, string_list, to_json_list};
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
                    Some(Rice {
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
                .map(|m| ReachMode::parse_field(m, "rice_reach_mode"))
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
const SET_LABELS: &str = "UPDATE ideas SET labels = $2 WHERE id = $1";
const TOUCH_IDEA: &str = "UPDATE ideas SET updated_at = $2 WHERE id = $1";
// A no-op write: on PostgreSQL it holds the row until commit, so checks
// made after it (merged? live?) cannot be overtaken by a concurrent merge.
const LOCK_IDEA: &str = "UPDATE ideas SET updated_at = updated_at WHERE id = $1";
const MERGED_INTO: &str = "SELECT merged_into FROM ideas WHERE id = $1";
const SET_RICE: &str = "UPDATE ideas SET rice_reach = $2, rice_impact = $3, rice_confidence = $4, effort_months = $5, rice_score = $6, rice_sort = $7, rice_reach_mode = $8, updated_at = $9 WHERE id = $1";
const MARK_MERGED: &str =
    "UPDATE ideas SET merged_into = $2, merged_at = $3, board_rank = NULL WHERE id = $1";
const CLEAR_MERGED: &str =
    "UPDATE ideas SET merged_into = NULL, merged_at = NULL, board_rank = $2 WHERE id = $1";

/// Ideas inside a unit of work: `tx.ideas()`.
pub struct IdeaTx<'t>(&'t mut Tx);

impl Tx {
    /// Read and write ideas in this transaction.
    pub fn ideas(&mut self) -> IdeaTx<'_> {
        IdeaTx(self)
    }
}

impl IdeaTx<'_> {
    /// An idea, read inside the transaction.
    pub async fn get(&mut self, id: IdeaId) -> StoreResult<Idea> {
        let row: IdeaRow =
            on_tx!(&mut *self.0, c => sqlx::query_as(IDEA_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Hold an idea's row until the transaction ends (`NotFound` if there
    /// is none). Take several in id order, so two workflows cannot deadlock.
    pub async fn lock(&mut self, id: IdeaId) -> StoreResult<()> {
        let n = on_tx!(&mut *self.0, c => sqlx::query(LOCK_IDEA).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Where an idea was merged into, if it was (`NotFound` if no such idea).
    pub async fn merged_into(&mut self, id: IdeaId) -> StoreResult<Option<IdeaId>> {
        let v: Option<Option<Uuid>> = on_tx!(&mut *self.0, c => sqlx::query_scalar(MERGED_INTO).bind(id.0).fetch_optional(c).await)?;
        Ok(v.ok_or(StoreError::NotFound)?.map(IdeaId))
    }

    /// Insert a new idea and its label rows.
    pub async fn insert(&mut self, i: &Idea) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(INSERT_IDEA)
            .bind(i.id.0).bind(&i.title).bind(i.title.to_lowercase()).bind(&i.problem).bind(&i.proposal)
            .bind(i.area_id.map(|x| x.0)).bind(i.owner_id.map(|x| x.0)).bind(i.status.as_str()).bind(i.effort_months)
            .bind(i.timeframe.map(|t| t.as_str())).bind(i.due_date.as_deref()).bind(to_json_list(&i.labels))
            .bind(to_json_list(&i.tracker_links)).bind(i.created_at.0).bind(i.updated_at.0).bind(i.board_rank.as_deref())
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.write_label_rows(i.id, &i.labels).await
    }

    /// Write an idea's fields as they now are (its RICE score and board rank
    /// included; RICE factors are [`IdeaTx::set_rice`]'s). Rewrites the
    /// label rows when `labels_changed`.
    pub async fn update(&mut self, i: &Idea, labels_changed: bool) -> StoreResult<()> {
        let score = i.rice.as_ref().map(|r| r.score);
        let n = on_tx!(&mut *self.0, c => sqlx::query(UPDATE_IDEA)
            .bind(i.id.0).bind(&i.title).bind(i.title.to_lowercase()).bind(&i.problem).bind(&i.proposal)
            .bind(i.area_id.map(|x| x.0)).bind(i.owner_id.map(|x| x.0)).bind(i.status.as_str()).bind(i.effort_months)
            .bind(i.timeframe.map(|t| t.as_str())).bind(i.due_date.as_deref()).bind(to_json_list(&i.labels))
            .bind(to_json_list(&i.tracker_links)).bind(i.updated_at.0)
            .bind(score).bind(rice_sort(score)).bind(i.board_rank.as_deref())
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        if labels_changed {
            on_tx!(&mut *self.0, c => sqlx::query(DELETE_LABELS).bind(i.id.0).execute(c).await.map(|r| r.rows_affected()))?;
            self.write_label_rows(i.id, &i.labels).await?;
        }
        Ok(())
    }

    /// Replace an idea's labels (the row's list and the filter rows).
    pub async fn set_labels(&mut self, id: IdeaId, labels: &[String]) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(SET_LABELS).bind(id.0).bind(to_json_list(labels)).execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(&mut *self.0, c => sqlx::query(DELETE_LABELS).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        self.write_label_rows(id, labels).await
    }

    async fn write_label_rows(&mut self, id: IdeaId, labels: &[String]) -> StoreResult<()> {
        for l in labels {
            on_tx!(&mut *self.0, c => sqlx::query(INSERT_LABEL).bind(id.0).bind(l).execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    /// Mark an idea changed at `at` (a link or comment was added).
    pub async fn touch(&mut self, id: IdeaId, at: Timestamp) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(TOUCH_IDEA).bind(id.0).bind(at.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Set (or clear, with `None`) an idea's RICE factors and score on the
    /// reach scale `mode`, with its effort SWAG `effort` (RICE's effort is
    /// the idea's effort), at `at`.
    pub async fn set_rice(
        &mut self,
        id: IdeaId,
        rice: Option<&Rice>,
        mode: Option<ReachMode>,
        effort: Option<f64>,
        at: Timestamp,
    ) -> StoreResult<()> {
        let score = rice.map(|r| r.score);
        on_tx!(&mut *self.0, c => sqlx::query(SET_RICE)
            .bind(id.0).bind(rice.map(|r| r.reach)).bind(rice.map(|r| r.impact)).bind(rice.map(|r| r.confidence))
            .bind(effort).bind(score).bind(rice_sort(score)).bind(mode.map(|m| m.as_str())).bind(at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Point idea `id` at the idea it was merged `into`, taking it off its board.
    pub async fn mark_merged(
        &mut self,
        id: IdeaId,
        into: IdeaId,
        at: Timestamp,
    ) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(MARK_MERGED).bind(id.0).bind(into.0).bind(at.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Make a merged-away idea live again, at `rank` on its board.
    pub async fn clear_merged(&mut self, id: IdeaId, rank: Option<&str>) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(CLEAR_MERGED).bind(id.0).bind(rank).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// An idea by id.
    pub async fn idea(&self, id: IdeaId) -> StoreResult<Idea> {
        let row: IdeaRow =
            on_db!(self, p => sqlx::query_as(IDEA_BY_ID).bind(id.0).fetch_one(p).await)?;
        row.try_into()
    }

    /// The idea `id` was merged into, if it was (`NotFound` if no such idea).
    pub async fn merged_into(&self, id: IdeaId) -> StoreResult<Option<IdeaId>> {
        let v: Option<Option<Uuid>> =
            on_db!(self, p => sqlx::query_scalar(MERGED_INTO).bind(id.0).fetch_optional(p).await)?;
        Ok(v.ok_or(StoreError::NotFound)?.map(IdeaId))
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
                CursorKey::Float(rice_sort(i.rice.as_ref().map(|r| r.score))),
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

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    INSERT_IDEA,
    UPDATE_IDEA,
    IDEA_BY_ID,
    INSERT_LABEL,
    DELETE_LABELS,
    SET_LABELS,
    TOUCH_IDEA,
    LOCK_IDEA,
    MERGED_INTO,
    SET_RICE,
    MARK_MERGED,
    CLEAR_MERGED,
];
