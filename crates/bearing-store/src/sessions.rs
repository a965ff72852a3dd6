//! Prioritisation sessions: the session row, its participants and their
//! budgets, nominated ideas and votes. It does not decide who may act or
//! what the tallies mean (that is `bearing-app` and `bearing_domain::voting`).
//!
//! Budgets are enforced by the database, never by read-then-check in Rust:
//! casting a vote runs `UPDATE prio_participants SET importance_used =
//! importance_used + 1 WHERE … AND importance_used < (the session's budget)`
//! and only inserts the vote when exactly one row changed. On PostgreSQL the
//! row lock serialises concurrent votes by one participant and the `WHERE` is
//! re-checked against the committed count; on SQLite write transactions begin
//! IMMEDIATE, so they run one at a time. Nominations work the same way.
//!
//! Closing first touches every participant row, so it waits for votes in
//! flight, and every vote re-reads the session state after taking its
//! participant row lock: no vote can land after a close commits.
//!
//! A refused action (closed session, spent budget, …) is not a storage error:
//! those calls return `Ok(Err(Refusal))` after rolling back.

use crate::activity::Change;
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use bearing_domain::*;
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// A prioritisation session's id (UUIDv7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PrioSessionId(pub Uuid);

impl PrioSessionId {
    /// A fresh, time-ordered id.
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }
}

impl Default for PrioSessionId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for PrioSessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for PrioSessionId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

/// Where a session is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrioState {
    /// Participants may nominate and vote, for as long as it takes.
    Open,
    /// The facilitator closed it; the results are final.
    Closed,
}

impl PrioState {
    /// The stored key.
    pub fn as_str(self) -> &'static str {
        match self {
            PrioState::Open => "open",
            PrioState::Closed => "closed",
        }
    }
}

/// A session as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct PrioSession {
    /// Id.
    pub id: PrioSessionId,
    /// Title, e.g. "Q3 planning".
    pub title: String,
    /// The milestone it prioritises, as free text.
    pub milestone: String,
    /// Who runs it (None if that user was deleted).
    pub facilitator_id: Option<UserId>,
    /// Open or closed.
    pub state: PrioState,
    /// Per-participant budgets.
    pub limits: SessionLimits,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it was closed.
    pub closed_at: Option<Timestamp>,
}

/// A participant and how much of each budget they have spent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrioParticipant {
    /// The user.
    pub user_id: UserId,
    /// Ideas nominated.
    pub nominations_used: u32,
    /// Importance votes cast.
    pub importance_used: u32,
    /// Feasibility votes cast.
    pub feasibility_used: u32,
}

impl PrioParticipant {
    /// Votes of `kind` cast.
    pub fn used(&self, kind: VoteKind) -> u32 {
        match kind {
            VoteKind::Importance => self.importance_used,
            VoteKind::Feasibility => self.feasibility_used,
        }
    }
}

/// An idea nominated into a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrioNomination {
    /// The idea.
    pub idea_id: IdeaId,
    /// Its title (read with the nomination).
    pub idea_title: String,
    /// Who nominated it.
    pub nominated_by: Option<UserId>,
    /// When.
    pub created_at: Timestamp,
}

/// One vote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrioVote {
    /// Id (to take the vote back).
    pub id: Uuid,
    /// The idea voted for.
    pub idea_id: IdeaId,
    /// The voter.
    pub user_id: UserId,
    /// Importance or feasibility.
    pub kind: VoteKind,
    /// When.
    pub created_at: Timestamp,
}

/// What a new session needs.
#[derive(Clone, Debug)]
pub struct NewPrioSession {
    /// Title (already trimmed and checked).
    pub title: String,
    /// Milestone text.
    pub milestone: String,
    /// The facilitator, also a participant.
    pub facilitator: UserId,
    /// Every participant (the facilitator is added if missing).
    pub participants: Vec<UserId>,
    /// Validated budgets.
    pub limits: SessionLimits,
}

/// Why the database refused a nomination, vote or close. The transaction was
/// rolled back; nothing changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The session is closed.
    Closed,
    /// The user is not a participant.
    NotParticipant,
    /// The budget is spent: it allowed this many.
    LimitReached(u32),
    /// The idea is already nominated in this session.
    AlreadyNominated,
    /// The idea is not nominated in this session.
    NotNominated,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id: Uuid,
    title: String,
    milestone: String,
    facilitator_id: Option<Uuid>,
    state: String,
    max_nominations: i64,
    importance_votes: i64,
    feasibility_votes: i64,
    created_at: i64,
    closed_at: Option<i64>,
}

fn count(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

impl TryFrom<SessionRow> for PrioSession {
    type Error = StoreError;
    fn try_from(r: SessionRow) -> StoreResult<PrioSession> {
        let state = match r.state.as_str() {
            "open" => PrioState::Open,
            "closed" => PrioState::Closed,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "unknown session state '{other}' in database"
                )));
            }
        };
        Ok(PrioSession {
            id: PrioSessionId(r.id),
            title: r.title,
            milestone: r.milestone,
            facilitator_id: r.facilitator_id.map(UserId),
            state,
            limits: SessionLimits {
                max_nominations: count(r.max_nominations),
                importance_votes: count(r.importance_votes),
                feasibility_votes: count(r.feasibility_votes),
            },
            created_at: Timestamp(r.created_at),
            closed_at: r.closed_at.map(Timestamp),
        })
    }
}

#[derive(sqlx::FromRow)]
struct ParticipantRow {
    user_id: Uuid,
    nominations_used: i64,
    importance_used: i64,
    feasibility_used: i64,
}

impl From<ParticipantRow> for PrioParticipant {
    fn from(r: ParticipantRow) -> Self {
        PrioParticipant {
            user_id: UserId(r.user_id),
            nominations_used: count(r.nominations_used),
            importance_used: count(r.importance_used),
            feasibility_used: count(r.feasibility_used),
        }
    }
}

#[derive(sqlx::FromRow)]
struct NominationRow {
    idea_id: Uuid,
    title: String,
    nominated_by: Option<Uuid>,
    created_at: i64,
}

#[derive(sqlx::FromRow)]
struct VoteRow {
    id: Uuid,
    idea_id: Uuid,
    user_id: Uuid,
    kind: String,
    created_at: i64,
}

impl TryFrom<VoteRow> for PrioVote {
    type Error = StoreError;
    fn try_from(r: VoteRow) -> StoreResult<PrioVote> {
        Ok(PrioVote {
            id: r.id,
            idea_id: IdeaId(r.idea_id),
            user_id: UserId(r.user_id),
            kind: vote_kind(&r.kind)?,
            created_at: Timestamp(r.created_at),
        })
    }
}

fn vote_kind(s: &str) -> StoreResult<VoteKind> {
    VoteKind::parse_field(s, "kind")
        .map_err(|_| StoreError::Corrupt(format!("unknown vote kind '{s}' in database")))
}

const INSERT_SESSION: &str = "INSERT INTO prio_sessions (id, title, milestone, facilitator_id, state, max_nominations, importance_votes, feasibility_votes, created_at, closed_at) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, NULL)";
const INSERT_PARTICIPANT: &str = "INSERT INTO prio_participants (session_id, user_id, nominations_used, importance_used, feasibility_used) VALUES ($1, $2, 0, 0, 0) ON CONFLICT (session_id, user_id) DO NOTHING";
const SESSION_BY_ID: &str = "SELECT id, title, milestone, facilitator_id, state, max_nominations, importance_votes, feasibility_votes, created_at, closed_at FROM prio_sessions WHERE id = $1";
const RECENT_SESSIONS: &str = "SELECT id, title, milestone, facilitator_id, state, max_nominations, importance_votes, feasibility_votes, created_at, closed_at FROM prio_sessions ORDER BY id DESC LIMIT $1";
const PARTICIPANTS_OF: &str = "SELECT user_id, nominations_used, importance_used, feasibility_used FROM prio_participants WHERE session_id = $1 ORDER BY user_id";
const PARTICIPANT: &str = "SELECT user_id, nominations_used, importance_used, feasibility_used FROM prio_participants WHERE session_id = $1 AND user_id = $2";
const SESSIONS_OF_USER: &str =
    "SELECT session_id FROM prio_participants WHERE user_id = $1 ORDER BY session_id DESC LIMIT $2";
const NOMINATIONS_OF: &str = "SELECT n.idea_id, i.title, n.nominated_by, n.created_at FROM prio_nominations n JOIN ideas i ON i.id = n.idea_id WHERE n.session_id = $1 ORDER BY i.title_lower, n.idea_id";
const IS_NOMINATED: &str =
    "SELECT idea_id FROM prio_nominations WHERE session_id = $1 AND idea_id = $2";
const INSERT_NOMINATION: &str = "INSERT INTO prio_nominations (session_id, idea_id, nominated_by, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (session_id, idea_id) DO NOTHING";
const USE_NOMINATION: &str = "UPDATE prio_participants SET nominations_used = nominations_used + 1 WHERE session_id = $1 AND user_id = $2 AND nominations_used < (SELECT max_nominations FROM prio_sessions WHERE id = $1)";
const USE_IMPORTANCE: &str = "UPDATE prio_participants SET importance_used = importance_used + 1 WHERE session_id = $1 AND user_id = $2 AND importance_used < (SELECT importance_votes FROM prio_sessions WHERE id = $1)";
const USE_FEASIBILITY: &str = "UPDATE prio_participants SET feasibility_used = feasibility_used + 1 WHERE session_id = $1 AND user_id = $2 AND feasibility_used < (SELECT feasibility_votes FROM prio_sessions WHERE id = $1)";
const RETURN_IMPORTANCE: &str = "UPDATE prio_participants SET importance_used = importance_used - 1 WHERE session_id = $1 AND user_id = $2 AND importance_used > 0";
const RETURN_FEASIBILITY: &str = "UPDATE prio_participants SET feasibility_used = feasibility_used - 1 WHERE session_id = $1 AND user_id = $2 AND feasibility_used > 0";
const INSERT_VOTE: &str = "INSERT INTO prio_votes (id, session_id, idea_id, user_id, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
const VOTE_BY_ID: &str = "SELECT id, idea_id, user_id, kind, created_at FROM prio_votes WHERE id = $1 AND session_id = $2 AND user_id = $3";
const DELETE_VOTE: &str =
    "DELETE FROM prio_votes WHERE id = $1 AND session_id = $2 AND user_id = $3";
const VOTES_OF_USER: &str = "SELECT id, idea_id, user_id, kind, created_at FROM prio_votes WHERE session_id = $1 AND user_id = $2 ORDER BY id";
const VOTE_COUNTS: &str = "SELECT idea_id, kind, COUNT(*) AS votes FROM prio_votes WHERE session_id = $1 GROUP BY idea_id, kind";
const LOCK_PARTICIPANTS: &str =
    "UPDATE prio_participants SET nominations_used = nominations_used WHERE session_id = $1";
const CLOSE_SESSION: &str =
    "UPDATE prio_sessions SET state = 'closed', closed_at = $2 WHERE id = $1 AND state = 'open'";

impl Tx {
    async fn prio_session(&mut self, id: PrioSessionId) -> StoreResult<PrioSession> {
        let row: SessionRow =
            on_tx!(self, c => sqlx::query_as(SESSION_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    async fn prio_participant(
        &mut self,
        id: PrioSessionId,
        user: UserId,
    ) -> StoreResult<Option<PrioParticipant>> {
        let row: Option<ParticipantRow> = on_tx!(self, c => sqlx::query_as(PARTICIPANT).bind(id.0).bind(user.0).fetch_optional(c).await)?;
        Ok(row.map(PrioParticipant::from))
    }

    async fn is_nominated(&mut self, id: PrioSessionId, idea: IdeaId) -> StoreResult<bool> {
        let row: Option<Uuid> = on_tx!(self, c => sqlx::query_scalar(IS_NOMINATED).bind(id.0).bind(idea.0).fetch_optional(c).await)?;
        Ok(row.is_some())
    }

    /// Run a budget `UPDATE`; true if it took one unit of the budget.
    async fn spend(
        &mut self,
        sql: &'static str,
        id: PrioSessionId,
        user: UserId,
    ) -> StoreResult<bool> {
        let n = on_tx!(self, c => sqlx::query(sql).bind(id.0).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Why a budget `UPDATE` changed nothing, or why (having taken a unit)
    /// the action must still be refused: closed, not a participant, or the
    /// budget spent. `budget` picks the limit from the session.
    async fn refusal(
        &mut self,
        id: PrioSessionId,
        user: UserId,
        budget: fn(&SessionLimits) -> u32,
    ) -> StoreResult<Refusal> {
        let s = self.prio_session(id).await?;
        if s.state != PrioState::Open {
            return Ok(Refusal::Closed);
        }
        if self.prio_participant(id, user).await?.is_none() {
            return Ok(Refusal::NotParticipant);
        }
        Ok(Refusal::LimitReached(budget(&s.limits)))
    }
}

impl Db {
    /// Open a session with its participants (the facilitator included).
    pub async fn insert_prio_session(
        &self,
        s: NewPrioSession,
        actor: Option<UserId>,
    ) -> StoreResult<PrioSession> {
        let id = PrioSessionId::new();
        let now = Timestamp::now();
        let limit = |v: u32| i64::from(v);
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(INSERT_SESSION)
            .bind(id.0).bind(&s.title).bind(&s.milestone).bind(s.facilitator.0)
            .bind(limit(s.limits.max_nominations)).bind(limit(s.limits.importance_votes)).bind(limit(s.limits.feasibility_votes))
            .bind(now.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        for u in std::iter::once(&s.facilitator).chain(s.participants.iter()) {
            on_tx!(&mut tx, c => sqlx::query(INSERT_PARTICIPANT).bind(id.0).bind(u.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.record(Change {
            entity_type: "prio_session",
            entity_id: id.0,
            actor,
            action: "created",
            before: None,
            after: Some(serde_json::json!({
                "title": s.title, "milestone": s.milestone,
                "participants": s.participants, "limits": {
                    "max_nominations": s.limits.max_nominations,
                    "importance_votes": s.limits.importance_votes,
                    "feasibility_votes": s.limits.feasibility_votes,
                }
            })),
        })
        .await?;
        tx.commit().await?;
        self.prio_session(id).await
    }

    /// A session by id.
    pub async fn prio_session(&self, id: PrioSessionId) -> StoreResult<PrioSession> {
        let row: SessionRow =
            on_db!(self, p => sqlx::query_as(SESSION_BY_ID).bind(id.0).fetch_one(p).await)?;
        row.try_into()
    }

    /// The latest `limit` sessions, newest first.
    pub async fn recent_prio_sessions(&self, limit: i64) -> StoreResult<Vec<PrioSession>> {
        let rows: Vec<SessionRow> =
            on_db!(self, p => sqlx::query_as(RECENT_SESSIONS).bind(limit).fetch_all(p).await)?;
        rows.into_iter().map(PrioSession::try_from).collect()
    }

    /// Ids of the latest `limit` sessions `user` takes part in.
    pub async fn prio_sessions_of(
        &self,
        user: UserId,
        limit: i64,
    ) -> StoreResult<Vec<PrioSessionId>> {
        let rows: Vec<Uuid> = on_db!(self, p => sqlx::query_scalar(SESSIONS_OF_USER).bind(user.0).bind(limit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(PrioSessionId).collect())
    }

    /// A session's participants with their spent budgets.
    pub async fn prio_participants(&self, id: PrioSessionId) -> StoreResult<Vec<PrioParticipant>> {
        let rows: Vec<ParticipantRow> =
            on_db!(self, p => sqlx::query_as(PARTICIPANTS_OF).bind(id.0).fetch_all(p).await)?;
        Ok(rows.into_iter().map(PrioParticipant::from).collect())
    }

    /// A session's nominated ideas, by title.
    pub async fn prio_nominations(&self, id: PrioSessionId) -> StoreResult<Vec<PrioNomination>> {
        let rows: Vec<NominationRow> =
            on_db!(self, p => sqlx::query_as(NOMINATIONS_OF).bind(id.0).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| PrioNomination {
                idea_id: IdeaId(r.idea_id),
                idea_title: r.title,
                nominated_by: r.nominated_by.map(UserId),
                created_at: Timestamp(r.created_at),
            })
            .collect())
    }

    /// The votes one participant has cast in a session, oldest first.
    pub async fn prio_votes_of(
        &self,
        id: PrioSessionId,
        user: UserId,
    ) -> StoreResult<Vec<PrioVote>> {
        let rows: Vec<VoteRow> = on_db!(self, p => sqlx::query_as(VOTES_OF_USER).bind(id.0).bind(user.0).fetch_all(p).await)?;
        rows.into_iter().map(PrioVote::try_from).collect()
    }

    /// Votes per nominated idea; ideas nobody voted for count zero.
    pub async fn prio_tallies(&self, id: PrioSessionId) -> StoreResult<Vec<Tally>> {
        let mut tallies: Vec<Tally> = self
            .prio_nominations(id)
            .await?
            .into_iter()
            .map(|n| Tally {
                idea_id: n.idea_id.0,
                importance: 0,
                feasibility: 0,
            })
            .collect();
        let rows: Vec<(Uuid, String, i64)> =
            on_db!(self, p => sqlx::query_as(VOTE_COUNTS).bind(id.0).fetch_all(p).await)?;
        for (idea, kind, votes) in rows {
            let votes = u32::try_from(votes).unwrap_or(u32::MAX);
            let Some(t) = tallies.iter_mut().find(|t| t.idea_id == idea) else {
                continue;
            };
            match vote_kind(&kind)? {
                VoteKind::Importance => t.importance = votes,
                VoteKind::Feasibility => t.feasibility = votes,
            }
        }
        Ok(tallies)
    }

    /// Nominate an idea, taking one of the participant's nominations.
    pub async fn nominate(
        &self,
        id: PrioSessionId,
        user: UserId,
        idea: IdeaId,
    ) -> StoreResult<Result<(), Refusal>> {
        let mut tx = self.begin().await?;
        if !tx.spend(USE_NOMINATION, id, user).await? {
            return Ok(Err(tx.refusal(id, user, |l| l.max_nominations).await?));
        }
        // Read after the participant row is locked: a close that committed
        // meanwhile is seen here.
        if tx.prio_session(id).await?.state != PrioState::Open {
            return Ok(Err(Refusal::Closed));
        }
        let now = Timestamp::now();
        let inserted = on_tx!(&mut tx, c => sqlx::query(INSERT_NOMINATION).bind(id.0).bind(idea.0).bind(user.0).bind(now.0).execute(c).await.map(|r| r.rows_affected()))?;
        if inserted == 0 {
            // Dropping the transaction rolls back the spent nomination.
            return Ok(Err(Refusal::AlreadyNominated));
        }
        tx.record(Change {
            entity_type: "prio_session",
            entity_id: id.0,
            actor: Some(user),
            action: "nominated",
            before: None,
            after: Some(serde_json::json!({"idea_id": idea})),
        })
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Cast a vote of `kind` for a nominated idea, taking one unit of the
    /// participant's budget for that kind.
    pub async fn cast_vote(
        &self,
        id: PrioSessionId,
        user: UserId,
        idea: IdeaId,
        kind: VoteKind,
    ) -> StoreResult<Result<PrioVote, Refusal>> {
        let (sql, budget): (&'static str, fn(&SessionLimits) -> u32) = match kind {
            VoteKind::Importance => (USE_IMPORTANCE, |l| l.importance_votes),
            VoteKind::Feasibility => (USE_FEASIBILITY, |l| l.feasibility_votes),
        };
        let mut tx = self.begin().await?;
        let spent = tx.spend(sql, id, user).await?;
        let refusal = if spent {
            // Read after the participant row is locked (see the module docs).
            (tx.prio_session(id).await?.state != PrioState::Open).then_some(Refusal::Closed)
        } else {
            Some(tx.refusal(id, user, budget).await?)
        };
        // A closed session or a non-participant outranks the idea check; a
        // spent budget does not, so a vote for an idea outside the session
        // says so rather than reporting the budget.
        if let Some(r @ (Refusal::Closed | Refusal::NotParticipant)) = refusal {
            return Ok(Err(r));
        }
        if !tx.is_nominated(id, idea).await? {
            return Ok(Err(Refusal::NotNominated));
        }
        if let Some(r) = refusal {
            return Ok(Err(r));
        }
        let vote = PrioVote {
            id: Uuid::now_v7(),
            idea_id: idea,
            user_id: user,
            kind,
            created_at: Timestamp::now(),
        };
        on_tx!(&mut tx, c => sqlx::query(INSERT_VOTE)
            .bind(vote.id).bind(id.0).bind(idea.0).bind(user.0).bind(kind.as_str()).bind(vote.created_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        tx.commit().await?;
        Ok(Ok(vote))
    }

    /// Take back one of the participant's own votes, returning it to their
    /// budget. `NotFound` if there is no such vote of theirs.
    pub async fn retract_vote(
        &self,
        id: PrioSessionId,
        user: UserId,
        vote: Uuid,
    ) -> StoreResult<Result<PrioVote, Refusal>> {
        let mut tx = self.begin().await?;
        let row: VoteRow = on_tx!(&mut tx, c => sqlx::query_as(VOTE_BY_ID).bind(vote).bind(id.0).bind(user.0).fetch_one(c).await)?;
        let v = PrioVote::try_from(row)?;
        let sql = match v.kind {
            VoteKind::Importance => RETURN_IMPORTANCE,
            VoteKind::Feasibility => RETURN_FEASIBILITY,
        };
        // Lock the participant row first, as casting does, then check state.
        tx.spend(sql, id, user).await?;
        if tx.prio_session(id).await?.state != PrioState::Open {
            return Ok(Err(Refusal::Closed));
        }
        let deleted = on_tx!(&mut tx, c => sqlx::query(DELETE_VOTE).bind(vote).bind(id.0).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(Ok(v))
    }

    /// Close an open session. Waits for votes in flight (it locks every
    /// participant row first); refuses a session already closed.
    pub async fn close_prio_session(
        &self,
        id: PrioSessionId,
        actor: Option<UserId>,
    ) -> StoreResult<Result<PrioSession, Refusal>> {
        let mut tx = self.begin().await?;
        tx.prio_session(id).await?;
        on_tx!(&mut tx, c => sqlx::query(LOCK_PARTICIPANTS).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        let now = Timestamp::now();
        let closed = on_tx!(&mut tx, c => sqlx::query(CLOSE_SESSION).bind(id.0).bind(now.0).execute(c).await.map(|r| r.rows_affected()))?;
        if closed == 0 {
            return Ok(Err(Refusal::Closed));
        }
        tx.record(Change {
            entity_type: "prio_session",
            entity_id: id.0,
            actor,
            action: "closed",
            before: Some(serde_json::json!({"state": "open"})),
            after: Some(serde_json::json!({"state": "closed"})),
        })
        .await?;
        tx.commit().await?;
        Ok(Ok(self.prio_session(id).await?))
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    INSERT_SESSION,
    INSERT_PARTICIPANT,
    SESSION_BY_ID,
    RECENT_SESSIONS,
    PARTICIPANTS_OF,
    PARTICIPANT,
    SESSIONS_OF_USER,
    NOMINATIONS_OF,
    IS_NOMINATED,
    INSERT_NOMINATION,
    USE_NOMINATION,
    USE_IMPORTANCE,
    USE_FEASIBILITY,
    RETURN_IMPORTANCE,
    RETURN_FEASIBILITY,
    INSERT_VOTE,
    VOTE_BY_ID,
    DELETE_VOTE,
    VOTES_OF_USER,
    VOTE_COUNTS,
    LOCK_PARTICIPANTS,
    CLOSE_SESSION,
];
