//! Prioritisation sessions: open one for a milestone, nominate ideas, vote
//! for importance and feasibility, close it and read the 2×2 priority
//! matrix. This file decides who may do what and turns the store's refusals
//! into messages; the budgets themselves are enforced atomically by the
//! store (`bearing_store::sessions`), and the refusals and matrix rules live
//! in `bearing_domain::prioritisation::session`.
//!
//! Sessions have two states: `open` (nominating and voting both allowed, for
//! as long as the facilitator likes, so a session can run asynchronously
//! over days) and `closed`. While a session is open nobody sees the
//! tallies, only their own votes and budgets: hiding running totals keeps
//! early votes from anchoring later ones. Closing reveals the tallies and
//! the matrix to everyone.

use crate::error::OrNotFound;
use crate::{Actor, App, AppError, AppResult, missing_ref};
use bearing_domain::prioritisation::session::*;
use bearing_domain::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The longest session title or milestone accepted, in characters.
pub const MAX_SESSION_TEXT: usize = 200;

/// The message for nominating a security or availability item.
pub const EXCLUDED_MESSAGE: &str =
    "security and availability items have forced priority and are excluded";

/// How many ideas the nomination picker offers.
const PICKER_SIZE: usize = 200;

/// Input for a new session; limits left out default to 5 each.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    /// Title, e.g. "Q3 planning".
    pub title: String,
    /// The milestone it prioritises.
    #[serde(default)]
    pub milestone: String,
    /// Who takes part besides the facilitator (the creator).
    #[serde(default)]
    pub participants: Vec<UserId>,
    /// Ideas each participant may nominate (1–50, default 5).
    #[serde(default)]
    pub max_nominations: Option<u32>,
    /// Importance votes per participant (1–50, default 5).
    #[serde(default)]
    pub importance_votes: Option<u32>,
    /// Feasibility votes per participant (1–50, default 5).
    #[serde(default)]
    pub feasibility_votes: Option<u32>,
}

/// A session as shown in lists and responses.
#[derive(Clone, Debug, Serialize)]
pub struct SessionView {
    /// Id.
    pub id: PrioSessionId,
    /// Title.
    pub title: String,
    /// Milestone.
    pub milestone: String,
    /// `open` or `closed`.
    pub state: &'static str,
    /// Facilitator's id.
    pub facilitator_id: Option<UserId>,
    /// Facilitator's name.
    pub facilitator_name: Option<String>,
    /// Budgets per participant.
    pub limits: SessionLimits,
    /// Opened.
    pub created_at: Timestamp,
    /// Closed.
    pub closed_at: Option<Timestamp>,
}

impl SessionView {
    fn new(s: PrioSession, names: &HashMap<UserId, String>) -> Self {
        SessionView {
            id: s.id,
            facilitator_name: s.facilitator_id.and_then(|f| names.get(&f).cloned()),
            title: s.title,
            milestone: s.milestone,
            state: s.state.as_str(),
            facilitator_id: s.facilitator_id,
            limits: s.limits,
            created_at: s.created_at,
            closed_at: s.closed_at,
        }
    }

    /// Is it still taking nominations and votes?
    pub fn is_open(&self) -> bool {
        self.state == PrioState::Open.as_str()
    }
}

/// A session in a list, with whether the viewer takes part.
#[derive(Clone, Debug, Serialize)]
pub struct SessionListItem {
    /// The session.
    #[serde(flatten)]
    pub session: SessionView,
    /// Does the viewer take part?
    pub participating: bool,
}

/// A participant's spent and remaining budgets.
#[derive(Clone, Debug, Serialize)]
pub struct ParticipantView {
    /// The user.
    pub user_id: UserId,
    /// Their name.
    pub name: String,
    /// Ideas nominated.
    pub nominations_used: u32,
    /// Nominations left.
    pub nominations_left: u32,
    /// Importance votes cast.
    pub importance_used: u32,
    /// Importance votes left.
    pub importance_left: u32,
    /// Feasibility votes cast.
    pub feasibility_used: u32,
    /// Feasibility votes left.
    pub feasibility_left: u32,
}

/// A nominated idea, with the viewer's own votes on it.
#[derive(Clone, Debug, Serialize)]
pub struct NominationView {
    /// The idea.
    pub idea_id: IdeaId,
    /// Its title.
    pub title: String,
    /// Who nominated it.
    pub nominated_by: Option<UserId>,
    /// Their name.
    pub nominated_by_name: Option<String>,
    /// The viewer's importance votes on it.
    pub my_importance: u32,
    /// The viewer's feasibility votes on it.
    pub my_feasibility: u32,
}

/// One of the viewer's votes.
#[derive(Clone, Debug, Serialize)]
pub struct VoteView {
    /// Id, to take it back.
    pub id: VoteId,
    /// The idea.
    pub idea_id: IdeaId,
    /// Importance or feasibility.
    pub kind: VoteKind,
    /// When.
    pub created_at: Timestamp,
}

impl From<PrioVote> for VoteView {
    fn from(v: PrioVote) -> Self {
        VoteView {
            id: v.id,
            idea_id: v.idea_id,
            kind: v.kind,
            created_at: v.created_at,
        }
    }
}

/// A nominated idea's result: its tallies and its place on the matrix.
#[derive(Clone, Debug, Serialize)]
pub struct ResultRow {
    /// The idea.
    pub idea_id: IdeaId,
    /// Its title.
    pub title: String,
    /// The matrix point (tallies, quadrant, x and y).
    #[serde(flatten)]
    pub point: MatrixPoint,
}

/// Everything a session page or `GET /sessions/{id}` shows.
#[derive(Clone, Debug, Serialize)]
pub struct SessionDetail {
    /// The session.
    pub session: SessionView,
    /// Participants with budgets.
    pub participants: Vec<ParticipantView>,
    /// Nominated ideas, by title.
    pub nominations: Vec<NominationView>,
    /// The viewer's budgets, if they take part.
    pub me: Option<ParticipantView>,
    /// The viewer's votes, oldest first.
    pub my_votes: Vec<VoteView>,
    /// May the viewer close it?
    pub can_close: bool,
    /// Tallies and matrix, most important first; only once closed.
    pub results: Option<Vec<ResultRow>>,
}

fn left(limit: u32, used: u32) -> u32 {
    limit.saturating_sub(used)
}

fn check_text(field: &str, value: &str, required: bool) -> Result<String, ValidationError> {
    plain_text(field, value)?;
    let v = value.trim();
    if required && v.is_empty() {
        return Err(ValidationError::missing(
            field,
            format!("{field} is required"),
        ));
    }
    if v.chars().count() > MAX_SESSION_TEXT {
        return Err(ValidationError::new(
            field,
            format!("{field} must be at most {MAX_SESSION_TEXT} characters"),
        ));
    }
    Ok(v.to_string())
}

impl App {
    async fn user_names(&self) -> AppResult<HashMap<UserId, String>> {
        Ok(self
            .db
            .users()
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }

    async fn prio_session(&self, id: PrioSessionId) -> AppResult<PrioSession> {
        self.db.prio_session(id).await.or_not_found("session")
    }

    /// Open a session; the creator facilitates it and takes part. PMs and
    /// admins only.
    pub async fn create_session(&self, actor: &Actor, input: NewSession) -> AppResult<SessionView> {
        actor.must_manage()?;
        let title = check_text("title", &input.title, true)?;
        let milestone = check_text("milestone", &input.milestone, true)?;
        let d = SessionLimits::default();
        let limits = SessionLimits {
            max_nominations: input.max_nominations.unwrap_or(d.max_nominations),
            importance_votes: input.importance_votes.unwrap_or(d.importance_votes),
            feasibility_votes: input.feasibility_votes.unwrap_or(d.feasibility_votes),
        }
        .validate()?;
        let mut participants = input.participants;
        participants.sort();
        participants.dedup();
        self.check_contributors("participants", &participants, "vote")
            .await?;
        let mut tx = self.db.begin().await?;
        let s = PrioSession {
            id: PrioSessionId::new(),
            title,
            milestone,
            facilitator_id: Some(actor.user.id),
            state: PrioState::Open,
            limits,
            created_at: Timestamp::now(),
            closed_at: None,
        };
        let everyone: Vec<UserId> = std::iter::once(actor.user.id)
            .chain(participants.iter().copied())
            .collect();
        tx.sessions().insert(&s, &everyone).await?;
        tx.record(
            &Change::new(
                EntityKind::PrioSession,
                s.id,
                ChangeAction::Created,
                actor.id(),
            )
            .after(serde_json::json!({
                "title": s.title, "milestone": s.milestone,
                "participants": participants, "limits": {
                    "max_nominations": limits.max_nominations,
                    "importance_votes": limits.importance_votes,
                    "feasibility_votes": limits.feasibility_votes,
                }
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(SessionView::new(s, &self.user_names().await?))
    }

    /// The latest 100 sessions, newest first, marking the viewer's.
    pub async fn sessions(&self, actor: &Actor) -> AppResult<Vec<SessionListItem>> {
        let mine = self.db.prio_sessions_of(actor.user.id, 1000).await?;
        let names = self.user_names().await?;
        Ok(self
            .db
            .recent_prio_sessions(100)
            .await?
            .into_iter()
            .map(|s| SessionListItem {
                participating: mine.contains(&s.id),
                session: SessionView::new(s, &names),
            })
            .collect())
    }

    /// A session with participants, nominations, the viewer's votes and,
    /// once closed, the results. Any signed-in user may look.
    pub async fn session_detail(
        &self,
        actor: &Actor,
        id: PrioSessionId,
    ) -> AppResult<SessionDetail> {
        let s = self.prio_session(id).await?;
        let names = self.user_names().await?;
        let name = |u: UserId| {
            names
                .get(&u)
                .cloned()
                .unwrap_or_else(|| "Former user".into())
        };
        let limits = s.limits;
        let participants: Vec<ParticipantView> = self
            .db
            .prio_participants(id)
            .await?
            .into_iter()
            .map(|p| ParticipantView {
                name: name(p.user_id),
                user_id: p.user_id,
                nominations_used: p.nominations_used,
                nominations_left: left(limits.max_nominations, p.nominations_used),
                importance_used: p.importance_used,
                importance_left: left(limits.importance_votes, p.importance_used),
                feasibility_used: p.feasibility_used,
                feasibility_left: left(limits.feasibility_votes, p.feasibility_used),
            })
            .collect();
        let me = participants
            .iter()
            .find(|p| p.user_id == actor.user.id)
            .cloned();
        let my_votes: Vec<VoteView> = if me.is_some() {
            self.db
                .prio_votes_of(id, actor.user.id)
                .await?
                .into_iter()
                .map(VoteView::from)
                .collect()
        } else {
            Vec::new()
        };
        let nominations_raw = self.db.prio_nominations(id).await?;
        let titles: HashMap<IdeaId, String> = nominations_raw
            .iter()
            .map(|n| (n.idea_id, n.idea_title.clone()))
            .collect();
        let mine = |idea: IdeaId, kind: VoteKind| {
            let n = my_votes
                .iter()
                .filter(|v| v.idea_id == idea && v.kind == kind)
                .count();
            u32::try_from(n).unwrap_or(u32::MAX)
        };
        let nominations = nominations_raw
            .into_iter()
            .map(|n| NominationView {
                my_importance: mine(n.idea_id, VoteKind::Importance),
                my_feasibility: mine(n.idea_id, VoteKind::Feasibility),
                nominated_by_name: n.nominated_by.map(name),
                nominated_by: n.nominated_by,
                title: n.idea_title,
                idea_id: n.idea_id,
            })
            .collect();
        let results = if s.state == PrioState::Closed {
            Some(self.results(id, &titles).await?)
        } else {
            None
        };
        let can_close = s.state == PrioState::Open && may_close(actor, &s);
        Ok(SessionDetail {
            session: SessionView::new(s, &names),
            participants,
            nominations,
            me,
            my_votes,
            can_close,
            results,
        })
    }

    async fn results(
        &self,
        id: PrioSessionId,
        titles: &HashMap<IdeaId, String>,
    ) -> AppResult<Vec<ResultRow>> {
        let tallies = self.db.prio_tallies(id).await?;
        Ok(priority_matrix(&tallies)
            .into_iter()
            .map(|point| {
                let idea_id = IdeaId(point.idea_id);
                ResultRow {
                    title: titles.get(&idea_id).cloned().unwrap_or_default(),
                    idea_id,
                    point,
                }
            })
            .collect())
    }

    /// The matrix points with idea titles, for drawing; only once closed.
    pub async fn session_matrix(&self, id: PrioSessionId) -> AppResult<Vec<(MatrixPoint, String)>> {
        let s = self.prio_session(id).await?;
        if s.state != PrioState::Closed {
            return Err(AppError::Conflict(
                "the priority matrix is drawn when the session is closed".into(),
            ));
        }
        let titles: HashMap<IdeaId, String> = self
            .db
            .prio_nominations(id)
            .await?
            .into_iter()
            .map(|n| (n.idea_id, n.idea_title))
            .collect();
        Ok(self
            .results(id, &titles)
            .await?
            .into_iter()
            .map(|r| (r.point, r.title))
            .collect())
    }

    /// Nominate an idea into an open session, using one of the participant's
    /// nominations. Security and availability items are refused.
    pub async fn nominate(&self, actor: &Actor, id: PrioSessionId, idea: IdeaId) -> AppResult<()> {
        self.prio_session(id).await?;
        let found = self
            .db
            .idea(idea)
            .await
            .map_err(AppError::from)
            .map_err(missing_ref("idea_id", "idea"))?;
        if excluded_from_sessions(&found.labels) {
            return Err(ValidationError::new("idea_id", EXCLUDED_MESSAGE).into());
        }
        let user = actor.user.id;
        let mut tx = self.db.begin().await?;
        let spent = tx.sessions().spend(id, user, Budget::Nominations).await?;
        // Read after the participant row is locked: a close that committed
        // meanwhile is seen here.
        let session = tx.sessions().get(id).await?;
        let member = spent || tx.sessions().is_participant(id, user).await?;
        if let Some(r) = spend_refusal(spent, &session, member, Budget::Nominations) {
            return Err(AppError::refused(&r));
        }
        if !tx
            .sessions()
            .nominate(id, idea, user, Timestamp::now())
            .await?
        {
            // Dropping the transaction gives the nomination back.
            return Err(AppError::refused(&SessionRefusal::AlreadyNominated));
        }
        tx.record(
            &Change::new(
                EntityKind::PrioSession,
                id,
                ChangeAction::Nominated,
                actor.id(),
            )
            .after(serde_json::json!({"idea_id": idea})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Cast a vote of `kind` for a nominated idea. Past the budget it is
    /// refused: "you have used all 5 importance votes".
    pub async fn vote(
        &self,
        actor: &Actor,
        id: PrioSessionId,
        idea: IdeaId,
        kind: VoteKind,
    ) -> AppResult<VoteView> {
        self.prio_session(id).await?;
        let user = actor.user.id;
        let budget = Budget::Votes(kind);
        let mut tx = self.db.begin().await?;
        let spent = tx.sessions().spend(id, user, budget).await?;
        // Read after the participant row is locked (see the store's docs).
        let session = tx.sessions().get(id).await?;
        let member = spent || tx.sessions().is_participant(id, user).await?;
        let spend = spend_refusal(spent, &session, member, budget);
        let nominated = tx.sessions().is_nominated(id, idea).await?;
        if let Some(r) = vote_refusal(spend, nominated) {
            return Err(AppError::refused(&r));
        }
        let vote = PrioVote {
            id: VoteId::new(),
            idea_id: idea,
            user_id: user,
            kind,
            created_at: Timestamp::now(),
        };
        tx.sessions().insert_vote(id, &vote).await?;
        tx.commit().await?;
        Ok(vote.into())
    }

    /// Take back one of your own votes in an open session.
    pub async fn retract_vote(
        &self,
        actor: &Actor,
        id: PrioSessionId,
        vote: VoteId,
    ) -> AppResult<()> {
        self.prio_session(id).await?;
        let user = actor.user.id;
        let mut tx = self.db.begin().await?;
        let v = tx
            .sessions()
            .vote(id, user, vote)
            .await
            .or_not_found("vote")?;
        // Lock the participant row first, as casting does, then check state.
        tx.sessions().give_back(id, user, v.kind).await?;
        if tx.sessions().get(id).await?.state != PrioState::Open {
            return Err(AppError::refused(&SessionRefusal::Closed));
        }
        tx.sessions()
            .delete_vote(id, user, vote)
            .await
            .or_not_found("vote")?;
        tx.commit().await?;
        Ok(())
    }

    /// Close a session: the facilitator (or an admin) ends nominating and
    /// voting and the results appear. Waits for votes in flight.
    pub async fn close_session(
        &self,
        actor: &Actor,
        id: PrioSessionId,
    ) -> AppResult<SessionDetail> {
        let s = self.prio_session(id).await?;
        if !may_close(actor, &s) {
            return Err(AppError::Forbidden(
                "only the facilitator can close this session".into(),
            ));
        }
        let mut tx = self.db.begin().await?;
        tx.sessions().lock_participants(id).await?;
        if !tx.sessions().close(id, Timestamp::now()).await? {
            return Err(AppError::refused(&SessionRefusal::Closed));
        }
        tx.record(
            &Change::new(
                EntityKind::PrioSession,
                id,
                ChangeAction::Closed,
                actor.id(),
            )
            .before(serde_json::json!({"state": "open"}))
            .after(serde_json::json!({"state": "closed"})),
        )
        .await?;
        tx.commit().await?;
        self.session_detail(actor, id).await
    }

    /// Ideas that may be nominated: the first 200 by title that are not
    /// security or availability items, leaving out those already nominated.
    pub async fn nominatable_ideas(&self, id: PrioSessionId) -> AppResult<Vec<(IdeaId, String)>> {
        let taken: Vec<IdeaId> = self
            .db
            .prio_nominations(id)
            .await?
            .into_iter()
            .map(|n| n.idea_id)
            .collect();
        let mut out = Vec::new();
        let mut page = PageRequest {
            after: None,
            limit: PICKER_SIZE as u32,
        };
        // A few pages at most: excluded ideas are a small share.
        for _ in 0..5 {
            let p = self
                .db
                .list_ideas(&IdeaFilter::default(), IdeaSort::Title, &page)
                .await?;
            for i in p.items {
                if out.len() < PICKER_SIZE
                    && !excluded_from_sessions(&i.labels)
                    && !taken.contains(&i.id)
                {
                    out.push((i.id, i.title));
                }
            }
            match p.next_cursor.and_then(|c| Cursor::decode(&c)) {
                Some(c) if out.len() < PICKER_SIZE => page.after = Some(c),
                _ => break,
            }
        }
        Ok(out)
    }
}

fn may_close(actor: &Actor, s: &PrioSession) -> bool {
    s.facilitator_id == Some(actor.user.id) || actor.user.role == Role::Admin
}
