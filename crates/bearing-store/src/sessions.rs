//! Prioritisation sessions: the session row, its participants and their
//! budgets, nominated ideas and votes. Read from the pool; written in a
//! unit of work (`tx.sessions()`). Who may act, what a refusal says and
//! what the tallies mean are the app's and `bearing_domain::session`'s.
//!
//! Budgets are enforced by the database, never by read-then-check in Rust:
//! spending runs `UPDATE prio_participants SET importance_used =
//! importance_used + 1 WHERE … AND importance_used < (the session's budget)`
//! and the caller goes on only when exactly one row changed. On PostgreSQL
//! the row lock serialises concurrent votes by one participant and the
//! `WHERE` is re-checked against the committed count; on SQLite write
//! transactions begin IMMEDIATE, so they run one at a time.
//!
//! Closing first touches every participant row ([`SessionTx::lock_participants`]),
//! so it waits for votes in flight, and a vote reads the session state after
//! taking its participant row lock: no vote can land after a close commits.

use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::rows::key;
use bearing_domain::prioritisation::session::*;
use bearing_domain::*;
use uuid::Uuid;

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
        let state = key(&r.state, "session state")?;
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
            id: VoteId(r.id),
            idea_id: IdeaId(r.idea_id),
            user_id: UserId(r.user_id),
            kind: vote_kind(&r.kind)?,
            created_at: Timestamp(r.created_at),
        })
    }
}

fn vote_kind(s: &str) -> StoreResult<VoteKind> {
    VoteKind::parse_field(s, "kind")
        .map_err(|_| StoreError::corrupt(format!("unknown vote kind '{s}' in database")))
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

/// Sessions inside a unit of work: `tx.sessions()`.
pub struct SessionTx<'t>(&'t mut Tx);

impl Tx {
    /// Read and write prioritisation sessions in this transaction.
    pub fn sessions(&mut self) -> SessionTx<'_> {
        SessionTx(self)
    }
}

impl SessionTx<'_> {
    /// A session, read inside the transaction.
    pub async fn get(&mut self, id: PrioSessionId) -> StoreResult<PrioSession> {
        let row: SessionRow =
            on_tx!(&mut *self.0, c => sqlx::query_as(SESSION_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Open a session with its participants (the facilitator included).
    pub async fn insert(&mut self, s: &PrioSession, participants: &[UserId]) -> StoreResult<()> {
        let limit = |v: u32| i64::from(v);
        on_tx!(&mut *self.0, c => sqlx::query(INSERT_SESSION)
            .bind(s.id.0).bind(&s.title).bind(&s.milestone).bind(s.facilitator_id.map(|u| u.0))
            .bind(limit(s.limits.max_nominations)).bind(limit(s.limits.importance_votes)).bind(limit(s.limits.feasibility_votes))
            .bind(s.created_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        for u in participants {
            on_tx!(&mut *self.0, c => sqlx::query(INSERT_PARTICIPANT).bind(s.id.0).bind(u.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    /// Whether `user` takes part.
    pub async fn is_participant(&mut self, id: PrioSessionId, user: UserId) -> StoreResult<bool> {
        let row: Option<ParticipantRow> = on_tx!(&mut *self.0, c => sqlx::query_as(PARTICIPANT).bind(id.0).bind(user.0).fetch_optional(c).await)?;
        Ok(row.is_some())
    }

    /// Whether `idea` is nominated in the session.
    pub async fn is_nominated(&mut self, id: PrioSessionId, idea: IdeaId) -> StoreResult<bool> {
        let row: Option<Uuid> = on_tx!(&mut *self.0, c => sqlx::query_scalar(IS_NOMINATED).bind(id.0).bind(idea.0).fetch_optional(c).await)?;
        Ok(row.is_some())
    }

    /// Take one unit of `user`'s `budget`, holding their participant row;
    /// false if nothing was taken (not a participant, or the budget is spent).
    pub async fn spend(
        &mut self,
        id: PrioSessionId,
        user: UserId,
        budget: Budget,
    ) -> StoreResult<bool> {
        let sql = match budget {
            Budget::Nominations => USE_NOMINATION,
            Budget::Votes(VoteKind::Importance) => USE_IMPORTANCE,
            Budget::Votes(VoteKind::Feasibility) => USE_FEASIBILITY,
        };
        let n = on_tx!(&mut *self.0, c => sqlx::query(sql).bind(id.0).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Give one vote of `kind` back to `user`'s budget, holding their row.
    pub async fn give_back(
        &mut self,
        id: PrioSessionId,
        user: UserId,
        kind: VoteKind,
    ) -> StoreResult<()> {
        let sql = match kind {
            VoteKind::Importance => RETURN_IMPORTANCE,
            VoteKind::Feasibility => RETURN_FEASIBILITY,
        };
        on_tx!(&mut *self.0, c => sqlx::query(sql).bind(id.0).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Nominate `idea` for `user` at `at`; false if it was nominated already.
    pub async fn nominate(
        &mut self,
        id: PrioSessionId,
        idea: IdeaId,
        user: UserId,
        at: Timestamp,
    ) -> StoreResult<bool> {
        let n = on_tx!(&mut *self.0, c => sqlx::query(INSERT_NOMINATION).bind(id.0).bind(idea.0).bind(user.0).bind(at.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Record a vote.
    pub async fn insert_vote(&mut self, id: PrioSessionId, v: &PrioVote) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(INSERT_VOTE)
            .bind(v.id.0).bind(id.0).bind(v.idea_id.0).bind(v.user_id.0).bind(v.kind.as_str()).bind(v.created_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// One of `user`'s votes in the session (`NotFound` if not theirs).
    pub async fn vote(
        &mut self,
        id: PrioSessionId,
        user: UserId,
        vote: VoteId,
    ) -> StoreResult<PrioVote> {
        let row: VoteRow = on_tx!(&mut *self.0, c => sqlx::query_as(VOTE_BY_ID).bind(vote.0).bind(id.0).bind(user.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Delete one of `user`'s votes (`NotFound` if there is none).
    pub async fn delete_vote(
        &mut self,
        id: PrioSessionId,
        user: UserId,
        vote: VoteId,
    ) -> StoreResult<()> {
        let n = on_tx!(&mut *self.0, c => sqlx::query(DELETE_VOTE).bind(vote.0).bind(id.0).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Hold every participant row, waiting for votes in flight.
    pub async fn lock_participants(&mut self, id: PrioSessionId) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(LOCK_PARTICIPANTS).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Close the session at `at`; false if it was closed already.
    pub async fn close(&mut self, id: PrioSessionId, at: Timestamp) -> StoreResult<bool> {
        let n = on_tx!(&mut *self.0, c => sqlx::query(CLOSE_SESSION).bind(id.0).bind(at.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}

impl Db {
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
