//! Async RICE exercises: the exercise row, the ideas it covers, who was
//! invited (and whether they have submitted), and each participant's
//! scorecards. Every guarded write (saving a scorecard, submitting, closing)
//! runs in one transaction that first locks the exercise row while it is
//! open and the participant row while it is unsubmitted — with a no-op
//! `UPDATE`, which both engines accept and which takes a row lock on
//! PostgreSQL — so a save racing a submit or a close cannot slip through.
//!
//! What the store does *not* decide: who may see which scorecards, and how
//! they aggregate. That is the app's job (`bearing_app::exercises`) over the
//! pure rules in `bearing_domain::exercise`.

use crate::activity::Change;
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::list::{SortKey, keyset, page_of};
use crate::rows::key;
use bearing_domain::*;
use sea_query::{Expr, ExprTrait, Query, SelectStatement};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// Identifier of an async RICE exercise (UUIDv7, so newest sorts last).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExerciseId(pub Uuid);

impl ExerciseId {
    /// A fresh, time-ordered id.
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }
}

impl Default for ExerciseId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for ExerciseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for ExerciseId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

/// Whether participants may still score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExerciseState {
    /// Participants are scoring.
    Open,
    /// Scoring has ended; the result is final.
    Closed,
}

impl ExerciseState {
    /// The stable key stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ExerciseState::Open => "open",
            ExerciseState::Closed => "closed",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ExerciseState::Open => "Open",
            ExerciseState::Closed => "Closed",
        }
    }
}

impl FromStr for ExerciseState {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "open" => Ok(ExerciseState::Open),
            "closed" => Ok(ExerciseState::Closed),
            other => Err(ValidationError::new(
                "state",
                format!("'{other}' is not an exercise state; allowed values: open, closed"),
            )),
        }
    }
}

/// An exercise as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Exercise {
    /// Identifier.
    pub id: ExerciseId,
    /// What is being scored, e.g. "Q3 candidates".
    pub title: String,
    /// The PM who opened it (the facilitator).
    pub created_by: Option<UserId>,
    /// Open or closed.
    pub state: ExerciseState,
    /// How Reach is measured in this exercise (fixed when it is opened).
    pub reach_mode: ReachMode,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
}

/// An invited participant and whether they have submitted.
#[derive(Clone, Debug, PartialEq)]
pub struct Participant {
    /// The user.
    pub user_id: UserId,
    /// When they submitted their scorecards; `None` while still scoring.
    pub submitted_at: Option<Timestamp>,
}

/// One participant's stored scores for one idea.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredScorecard {
    /// The idea scored.
    pub idea_id: IdeaId,
    /// Who scored it.
    pub user_id: UserId,
    /// The validated factors and score.
    pub rice: Rice,
    /// When it was last saved.
    pub updated_at: Timestamp,
}

/// An exercise in a list, with its counts and the viewer's own progress.
#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseSummary {
    /// The exercise.
    pub exercise: Exercise,
    /// How many ideas it covers.
    pub idea_count: i64,
    /// How many people were invited.
    pub participant_count: i64,
    /// How many of them have submitted.
    pub submitted_count: i64,
    /// When the viewer submitted, if they have.
    pub my_submitted_at: Option<Timestamp>,
}

/// What opening an exercise writes. The caller has checked that the ideas
/// and users exist and that the lists are within limits.
#[derive(Clone, Debug)]
pub struct NewExerciseRecord<'a> {
    /// Title.
    pub title: &'a str,
    /// Ideas to score.
    pub ideas: &'a [IdeaId],
    /// Invited users (the opener included).
    pub participants: &'a [UserId],
    /// How Reach is measured.
    pub reach_mode: ReachMode,
    /// The opener.
    pub created_by: Option<UserId>,
}

/// Why a guarded exercise write was refused. Returned inside `Ok` so the
/// caller can word it for people; storage failures stay in the outer error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The user was not invited.
    NotParticipant,
    /// The exercise is closed.
    Closed,
    /// The user has already submitted.
    AlreadySubmitted,
    /// The idea is not one of the exercise's ideas.
    IdeaNotInExercise,
    /// These ideas have no scorecard from the user yet.
    Unscored(Vec<IdeaId>),
}

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

impl Tx {
    async fn exercise(&mut self, id: ExerciseId) -> StoreResult<Exercise> {
        let row: ExerciseRow =
            on_tx!(self, c => sqlx::query_as(EXERCISE_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Check the user is invited, then lock the exercise while open and the
    /// participant while unsubmitted; the first failing check is the refusal.
    async fn guard_scoring(
        &mut self,
        id: ExerciseId,
        user: UserId,
    ) -> StoreResult<Result<Exercise, Refusal>> {
        let exercise = self.exercise(id).await?;
        let me: Option<ParticipantRow> = on_tx!(self, c => sqlx::query_as(PARTICIPANT).bind(id.0).bind(user.0).fetch_optional(c).await)?;
        if me.is_none() {
            return Ok(Err(Refusal::NotParticipant));
        }
        let open = on_tx!(self, c => sqlx::query(LOCK_OPEN_EXERCISE).bind(id.0).bind(ExerciseState::Open.as_str()).execute(c).await.map(|r| r.rows_affected()))?;
        if open == 0 {
            return Ok(Err(Refusal::Closed));
        }
        let unsubmitted = on_tx!(self, c => sqlx::query(LOCK_UNSUBMITTED).bind(id.0).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        if unsubmitted == 0 {
            return Ok(Err(Refusal::AlreadySubmitted));
        }
        Ok(Ok(exercise))
    }
}

impl Db {
    /// Open an exercise over `e.ideas` for `e.participants`, recording it.
    pub async fn insert_exercise(&self, e: NewExerciseRecord<'_>) -> StoreResult<Exercise> {
        let exercise = Exercise {
            id: ExerciseId::new(),
            title: e.title.to_string(),
            created_by: e.created_by,
            state: ExerciseState::Open,
            reach_mode: e.reach_mode,
            created_at: Timestamp::now(),
            closed_at: None,
        };
        let id = exercise.id.0;
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(INSERT_EXERCISE)
            .bind(id).bind(&exercise.title).bind(e.created_by.map(|u| u.0)).bind(exercise.state.as_str())
            .bind(exercise.reach_mode.as_str()).bind(exercise.created_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        for idea in e.ideas {
            on_tx!(&mut tx, c => sqlx::query(INSERT_EXERCISE_IDEA).bind(id).bind(idea.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        for user in e.participants {
            on_tx!(&mut tx, c => sqlx::query(INSERT_PARTICIPANT).bind(id).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.record(Change {
            entity_type: "exercise",
            entity_id: id,
            actor: e.created_by,
            action: "created",
            before: None,
            after: Some(serde_json::json!({
                "title": exercise.title, "reach_mode": exercise.reach_mode.as_str(),
                "ideas": e.ideas, "participants": e.participants,
            })),
        })
        .await?;
        tx.commit().await?;
        Ok(exercise)
    }

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

    /// Save (insert or replace) `user`'s scorecard for `idea`, provided the
    /// exercise is open, the user was invited and has not submitted, and the
    /// idea is part of the exercise.
    pub async fn save_scorecard(
        &self,
        id: ExerciseId,
        idea: IdeaId,
        user: UserId,
        rice: &Rice,
    ) -> StoreResult<Result<StoredScorecard, Refusal>> {
        let saved = self
            .save_scorecards(id, user, &[(idea, rice.clone())])
            .await?;
        Ok(saved.map(|mut cards| cards.remove(0)))
    }

    /// Save several of `user`'s scorecards in one transaction: all are
    /// saved, or (on a refusal) none.
    pub async fn save_scorecards(
        &self,
        id: ExerciseId,
        user: UserId,
        cards: &[(IdeaId, Rice)],
    ) -> StoreResult<Result<Vec<StoredScorecard>, Refusal>> {
        let mut tx = self.begin().await?;
        if let Err(refusal) = tx.guard_scoring(id, user).await? {
            return Ok(Err(refusal));
        }
        let now = Timestamp::now();
        let mut saved = Vec::with_capacity(cards.len());
        for (idea, rice) in cards {
            let in_exercise: Option<Uuid> = on_tx!(&mut tx, c => sqlx::query_scalar(IDEA_IN_EXERCISE).bind(id.0).bind(idea.0).fetch_optional(c).await)?;
            if in_exercise.is_none() {
                return Ok(Err(Refusal::IdeaNotInExercise));
            }
            on_tx!(&mut tx, c => sqlx::query(UPSERT_SCORECARD)
                .bind(id.0).bind(idea.0).bind(user.0).bind(rice.reach).bind(rice.impact)
                .bind(rice.confidence).bind(rice.effort_months).bind(rice.score).bind(now.0)
                .execute(c).await.map(|r| r.rows_affected()))?;
            saved.push(StoredScorecard {
                idea_id: *idea,
                user_id: user,
                rice: rice.clone(),
                updated_at: now,
            });
        }
        tx.commit().await?;
        Ok(Ok(saved))
    }

    /// Submit `user`'s scorecards: refused while any idea lacks one (the
    /// refusal lists them). After this the user's scores are final.
    pub async fn submit_scorecards(
        &self,
        id: ExerciseId,
        user: UserId,
    ) -> StoreResult<Result<Timestamp, Refusal>> {
        let mut tx = self.begin().await?;
        if let Err(refusal) = tx.guard_scoring(id, user).await? {
            return Ok(Err(refusal));
        }
        let unscored: Vec<Uuid> = on_tx!(&mut tx, c => sqlx::query_scalar(UNSCORED_IDEAS).bind(id.0).bind(user.0).fetch_all(c).await)?;
        if !unscored.is_empty() {
            return Ok(Err(Refusal::Unscored(
                unscored.into_iter().map(IdeaId).collect(),
            )));
        }
        let now = Timestamp::now();
        on_tx!(&mut tx, c => sqlx::query(SUBMIT).bind(id.0).bind(user.0).bind(now.0).execute(c).await.map(|r| r.rows_affected()))?;
        tx.record(Change {
            entity_type: "exercise",
            entity_id: id.0,
            actor: Some(user),
            action: "submitted",
            before: None,
            after: None,
        })
        .await?;
        tx.commit().await?;
        Ok(Ok(now))
    }

    /// Close an open exercise: nobody can score or submit after this.
    pub async fn close_exercise(
        &self,
        id: ExerciseId,
        actor: Option<UserId>,
    ) -> StoreResult<Result<Exercise, Refusal>> {
        let mut tx = self.begin().await?;
        let mut exercise = tx.exercise(id).await?;
        let now = Timestamp::now();
        let closed = on_tx!(&mut tx, c => sqlx::query(CLOSE_EXERCISE)
            .bind(id.0).bind(ExerciseState::Closed.as_str()).bind(now.0).bind(ExerciseState::Open.as_str())
            .execute(c).await.map(|r| r.rows_affected()))?;
        if closed == 0 {
            return Ok(Err(Refusal::Closed));
        }
        tx.record(Change {
            entity_type: "exercise",
            entity_id: id.0,
            actor,
            action: "closed",
            before: Some(serde_json::json!({"state": ExerciseState::Open.as_str()})),
            after: Some(serde_json::json!({"state": ExerciseState::Closed.as_str()})),
        })
        .await?;
        tx.commit().await?;
        exercise.state = ExerciseState::Closed;
        exercise.closed_at = Some(now);
        Ok(Ok(exercise))
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
