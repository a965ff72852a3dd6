//! Async RICE exercises: the exercise row, the ideas it covers, who was
//! invited (and whether they have submitted), and each participant's
//! scorecards. Read from the pool; written in a unit of work
//! (`tx.exercises()`).
//!
//! Guarded writes (saving a scorecard, submitting, closing) first lock the
//! exercise row while it is open and the participant row while it is
//! unsubmitted — with a no-op `UPDATE` that both engines accept and that
//! takes a row lock on PostgreSQL — so a save racing a submit or a close
//! cannot slip through. Who may see which scorecards, how they aggregate
//! and what a refusal says are the app's and the domain's.

use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::list::{SortKey, keyset, page_of};
use crate::rows::key;
use bearing_domain::prioritisation::exercise::*;
use bearing_domain::*;
use sea_query::{Expr, ExprTrait, Query, SelectStatement};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ExerciseRow {
    id: Uuid,
    title: String,
    created_by: Option<Uuid>,
    state: String,
    reach_mode: String,
    created_at: i64,
    closed_at: Option<i64>,
}

impl TryFrom<ExerciseRow> for Exercise {
    type Error = StoreError;
    fn try_from(r: ExerciseRow) -> StoreResult<Exercise> {
        Ok(Exercise {
            id: ExerciseId(r.id),
            title: r.title,
            created_by: r.created_by.map(UserId),
            state: key(&r.state, "exercise state")?,
            reach_mode: key(&r.reach_mode, "reach mode")?,
            created_at: Timestamp(r.created_at),
            closed_at: r.closed_at.map(Timestamp),
        })
    }
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    exercise: ExerciseRow,
    idea_count: i64,
    participant_count: i64,
    submitted_count: i64,
    my_submitted_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ParticipantRow {
    user_id: Uuid,
    submitted_at: Option<i64>,
}

impl From<ParticipantRow> for Participant {
    fn from(r: ParticipantRow) -> Participant {
        Participant {
            user_id: UserId(r.user_id),
            submitted_at: r.submitted_at.map(Timestamp),
        }
    }
}

#[derive(sqlx::FromRow)]
struct ScorecardRow {
    idea_id: Uuid,
    user_id: Uuid,
    reach: f64,
    impact: f64,
    confidence: f64,
    effort_months: f64,
    score: f64,
    updated_at: i64,
}

impl From<ScorecardRow> for StoredScorecard {
    fn from(r: ScorecardRow) -> StoredScorecard {
        StoredScorecard {
            idea_id: IdeaId(r.idea_id),
            user_id: UserId(r.user_id),
            rice: Rice {
                reach: r.reach,
                impact: r.impact,
                confidence: r.confidence,
                effort_months: r.effort_months,
                score: r.score,
            },
            updated_at: Timestamp(r.updated_at),
        }
    }
}

const EXERCISE_COLUMNS: [&str; 7] = [
    "id",
    "title",
    "created_by",
    "state",
    "reach_mode",
    "created_at",
    "closed_at",
];

const INSERT_EXERCISE: &str = "INSERT INTO rice_exercises (id, title, created_by, state, reach_mode, created_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)";
const INSERT_EXERCISE_IDEA: &str = "INSERT INTO rice_exercise_ideas (exercise_id, idea_id) VALUES ($1, $2) ON CONFLICT (exercise_id, idea_id) DO NOTHING";
const INSERT_PARTICIPANT: &str = "INSERT INTO rice_exercise_participants (exercise_id, user_id, submitted_at) VALUES ($1, $2, NULL) ON CONFLICT (exercise_id, user_id) DO NOTHING";
const EXERCISE_BY_ID: &str = "SELECT id, title, created_by, state, reach_mode, created_at, closed_at FROM rice_exercises WHERE id = $1";
const EXERCISE_IDEAS: &str =
    "SELECT idea_id FROM rice_exercise_ideas WHERE exercise_id = $1 ORDER BY idea_id";
const PARTICIPANTS: &str = "SELECT user_id, submitted_at FROM rice_exercise_participants WHERE exercise_id = $1 ORDER BY user_id";
const PARTICIPANT: &str = "SELECT user_id, submitted_at FROM rice_exercise_participants WHERE exercise_id = $1 AND user_id = $2";
// A no-op write that succeeds only while the exercise is open and, on
// PostgreSQL, holds the row until commit so a concurrent close waits.
const LOCK_OPEN_EXERCISE: &str =
    "UPDATE rice_exercises SET state = state WHERE id = $1 AND state = $2";
// Likewise for a participant who has not submitted yet.
const LOCK_UNSUBMITTED: &str = "UPDATE rice_exercise_participants SET submitted_at = submitted_at WHERE exercise_id = $1 AND user_id = $2 AND submitted_at IS NULL";
const IDEA_IN_EXERCISE: &str =
    "SELECT idea_id FROM rice_exercise_ideas WHERE exercise_id = $1 AND idea_id = $2";
const UPSERT_SCORECARD: &str = "INSERT INTO rice_scorecards (exercise_id, idea_id, user_id, reach, impact, confidence, effort_months, score, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (exercise_id, idea_id, user_id) DO UPDATE SET reach = excluded.reach, impact = excluded.impact, confidence = excluded.confidence, effort_months = excluded.effort_months, score = excluded.score, updated_at = excluded.updated_at";
const UNSCORED_IDEAS: &str = "SELECT i.idea_id FROM rice_exercise_ideas i WHERE i.exercise_id = $1 AND NOT EXISTS (SELECT 1 FROM rice_scorecards s WHERE s.exercise_id = i.exercise_id AND s.idea_id = i.idea_id AND s.user_id = $2) ORDER BY i.idea_id";
const SUBMIT: &str = "UPDATE rice_exercise_participants SET submitted_at = $3 WHERE exercise_id = $1 AND user_id = $2 AND submitted_at IS NULL";
const CLOSE_EXERCISE: &str =
    "UPDATE rice_exercises SET state = $2, closed_at = $3 WHERE id = $1 AND state = $4";
const SCORECARDS: &str = "SELECT idea_id, user_id, reach, impact, confidence, effort_months, score, updated_at FROM rice_scorecards WHERE exercise_id = $1 ORDER BY idea_id, user_id";
const SCORECARDS_OF_USER: &str = "SELECT idea_id, user_id, reach, impact, confidence, effort_months, score, updated_at FROM rice_scorecards WHERE exercise_id = $1 AND user_id = $2 ORDER BY idea_id";

/// `(SELECT COUNT(*) FROM table WHERE exercise_id = rice_exercises.id [AND …])`.
fn count_of(table: &'static str, submitted_only: bool) -> Expr {
    let mut q: SelectStatement = Query::select();
    q.expr(Expr::col((table, "exercise_id")).count())
        .from(table)
        .and_where(Expr::col((table, "exercise_id")).equals(("rice_exercises", "id")));
    if submitted_only {
        q.and_where(Expr::col((table, "submitted_at")).is_not_null());
    }
    Expr::SubQuery(None, Box::new(q.into()))
}

/// Exercises inside a unit of work: `tx.exercises()`.
pub struct ExerciseTx<'t>(&'t mut Tx);

impl Tx {
    /// Read and write exercises in this transaction.
    pub fn exercises(&mut self) -> ExerciseTx<'_> {
        ExerciseTx(self)
    }
}

impl ExerciseTx<'_> {
    /// An exercise, read inside the transaction.
    pub async fn get(&mut self, id: ExerciseId) -> StoreResult<Exercise> {
        let row: ExerciseRow = on_tx!(&mut *self.0, c => sqlx::query_as(EXERCISE_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Open an exercise over `ideas` for `participants`.
    pub async fn insert(
        &mut self,
        e: &Exercise,
        ideas: &[IdeaId],
        participants: &[UserId],
    ) -> StoreResult<()> {
        let id = e.id.0;
        on_tx!(&mut *self.0, c => sqlx::query(INSERT_EXERCISE)
            .bind(id).bind(&e.title).bind(e.created_by.map(|u| u.0)).bind(e.state.as_str())
            .bind(e.reach_mode.as_str()).bind(e.created_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        for idea in ideas {
            on_tx!(&mut *self.0, c => sqlx::query(INSERT_EXERCISE_IDEA).bind(id).bind(idea.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        for user in participants {
            on_tx!(&mut *self.0, c => sqlx::query(INSERT_PARTICIPANT).bind(id).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    /// One participant, or `None` if `user` was not invited.
    pub async fn participant(
        &mut self,
        id: ExerciseId,
        user: UserId,
    ) -> StoreResult<Option<Participant>> {
        let row: Option<ParticipantRow> = on_tx!(&mut *self.0, c => sqlx::query_as(PARTICIPANT).bind(id.0).bind(user.0).fetch_optional(c).await)?;
        Ok(row.map(Participant::from))
    }

    /// Hold the exercise while it is open; false if it is closed.
    pub async fn lock_open(&mut self, id: ExerciseId) -> StoreResult<bool> {
        let n = on_tx!(&mut *self.0, c => sqlx::query(LOCK_OPEN_EXERCISE).bind(id.0).bind(ExerciseState::Open.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Hold the participant while unsubmitted; false if they have submitted.
    pub async fn lock_unsubmitted(&mut self, id: ExerciseId, user: UserId) -> StoreResult<bool> {
        let n = on_tx!(&mut *self.0, c => sqlx::query(LOCK_UNSUBMITTED).bind(id.0).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Whether `idea` is one of the exercise's ideas.
    pub async fn covers(&mut self, id: ExerciseId, idea: IdeaId) -> StoreResult<bool> {
        let v: Option<Uuid> = on_tx!(&mut *self.0, c => sqlx::query_scalar(IDEA_IN_EXERCISE).bind(id.0).bind(idea.0).fetch_optional(c).await)?;
        Ok(v.is_some())
    }

    /// Save (insert or replace) a scorecard.
    pub async fn save_scorecard(
        &mut self,
        id: ExerciseId,
        card: &StoredScorecard,
    ) -> StoreResult<()> {
        let r = &card.rice;
        on_tx!(&mut *self.0, c => sqlx::query(UPSERT_SCORECARD)
            .bind(id.0).bind(card.idea_id.0).bind(card.user_id.0).bind(r.reach).bind(r.impact)
            .bind(r.confidence).bind(r.effort_months).bind(r.score).bind(card.updated_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The exercise's ideas `user` has not scored yet.
    pub async fn unscored(&mut self, id: ExerciseId, user: UserId) -> StoreResult<Vec<IdeaId>> {
        let ids: Vec<Uuid> = on_tx!(&mut *self.0, c => sqlx::query_scalar(UNSCORED_IDEAS).bind(id.0).bind(user.0).fetch_all(c).await)?;
        Ok(ids.into_iter().map(IdeaId).collect())
    }

    /// Mark `user`'s scorecards submitted at `at`.
    pub async fn submit(&mut self, id: ExerciseId, user: UserId, at: Timestamp) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(SUBMIT).bind(id.0).bind(user.0).bind(at.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Close the exercise at `at`; false if it was closed already.
    pub async fn close(&mut self, id: ExerciseId, at: Timestamp) -> StoreResult<bool> {
        let n = on_tx!(&mut *self.0, c => sqlx::query(CLOSE_EXERCISE)
            .bind(id.0).bind(ExerciseState::Closed.as_str()).bind(at.0).bind(ExerciseState::Open.as_str())
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }
}

impl Db {
    /// An exercise by id.
    pub async fn exercise(&self, id: ExerciseId) -> StoreResult<Exercise> {
        let row: ExerciseRow =
            on_db!(self, p => sqlx::query_as(EXERCISE_BY_ID).bind(id.0).fetch_one(p).await)?;
        row.try_into()
    }

    /// The ideas an exercise covers, in id (creation) order.
    pub async fn exercise_ideas(&self, id: ExerciseId) -> StoreResult<Vec<IdeaId>> {
        let rows: Vec<Uuid> =
            on_db!(self, p => sqlx::query_scalar(EXERCISE_IDEAS).bind(id.0).fetch_all(p).await)?;
        Ok(rows.into_iter().map(IdeaId).collect())
    }

    /// Everyone invited to an exercise, with whether they have submitted.
    pub async fn exercise_participants(&self, id: ExerciseId) -> StoreResult<Vec<Participant>> {
        let rows: Vec<ParticipantRow> =
            on_db!(self, p => sqlx::query_as(PARTICIPANTS).bind(id.0).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Participant::from).collect())
    }

    /// One participant of an exercise, or `None` if `user` was not invited.
    pub async fn exercise_participant(
        &self,
        id: ExerciseId,
        user: UserId,
    ) -> StoreResult<Option<Participant>> {
        let row: Option<ParticipantRow> = on_db!(self, p => sqlx::query_as(PARTICIPANT).bind(id.0).bind(user.0).fetch_optional(p).await)?;
        Ok(row.map(Participant::from))
    }

    /// The exercises `user` was invited to, newest first, one page at a time,
    /// with counts and the user's own submission time.
    pub async fn exercises_of(
        &self,
        user: UserId,
        page: &PageRequest,
    ) -> StoreResult<Page<ExerciseSummary>> {
        let mut q = Query::select();
        q.from("rice_exercises")
            .columns(EXERCISE_COLUMNS.map(|c| ("rice_exercises", c)))
            .expr_as(count_of("rice_exercise_ideas", false), "idea_count")
            .expr_as(
                count_of("rice_exercise_participants", false),
                "participant_count",
            )
            .expr_as(
                count_of("rice_exercise_participants", true),
                "submitted_count",
            )
            .expr_as(Expr::col(("me", "submitted_at")), "my_submitted_at")
            .join_as(
                sea_query::JoinType::InnerJoin,
                "rice_exercise_participants",
                "me",
                Expr::col(("me", "exercise_id"))
                    .equals(("rice_exercises", "id"))
                    .and(Expr::col(("me", "user_id")).eq(user.0)),
            );
        keyset(&mut q, "rice_exercises", SortKey::Id, true, page);
        let rows: Vec<SummaryRow> = fetch_built!(self, q, SummaryRow)?;
        let items = rows
            .into_iter()
            .map(|r| {
                Ok(ExerciseSummary {
                    exercise: r.exercise.try_into()?,
                    idea_count: r.idea_count,
                    participant_count: r.participant_count,
                    submitted_count: r.submitted_count,
                    my_submitted_at: r.my_submitted_at.map(Timestamp),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(page_of(items, page.limit, |s| {
            (CursorKey::None, s.exercise.id.0)
        }))
    }

    /// Every scorecard in an exercise, by idea then user. Who may see them
    /// is for the caller to decide.
    pub async fn exercise_scorecards(&self, id: ExerciseId) -> StoreResult<Vec<StoredScorecard>> {
        let rows: Vec<ScorecardRow> =
            on_db!(self, p => sqlx::query_as(SCORECARDS).bind(id.0).fetch_all(p).await)?;
        Ok(rows.into_iter().map(StoredScorecard::from).collect())
    }

    /// One user's scorecards in an exercise, by idea.
    pub async fn scorecards_of_user(
        &self,
        id: ExerciseId,
        user: UserId,
    ) -> StoreResult<Vec<StoredScorecard>> {
        let rows: Vec<ScorecardRow> = on_db!(self, p => sqlx::query_as(SCORECARDS_OF_USER).bind(id.0).bind(user.0).fetch_all(p).await)?;
        Ok(rows.into_iter().map(StoredScorecard::from).collect())
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    INSERT_EXERCISE,
    INSERT_EXERCISE_IDEA,
    INSERT_PARTICIPANT,
    EXERCISE_BY_ID,
    EXERCISE_IDEAS,
    PARTICIPANTS,
    PARTICIPANT,
    LOCK_OPEN_EXERCISE,
    LOCK_UNSUBMITTED,
    IDEA_IN_EXERCISE,
    UPSERT_SCORECARD,
    UNSCORED_IDEAS,
    SUBMIT,
    CLOSE_EXERCISE,
    SCORECARDS,
    SCORECARDS_OF_USER,
];
