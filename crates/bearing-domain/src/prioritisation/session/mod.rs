//! Prioritisation sessions: a facilitator opens a session for a milestone,
//! participants nominate ideas and spend budgets of importance and
//! feasibility votes on them, and closing it reveals the tallies and the
//! 2×2 priority matrix. The entities and refusals are here; the budgets,
//! tallies and matrix rules are in `voting`.
//!
//! "Session" in Bearing always means a prioritisation session; a browser's
//! signed-in cookie is a *sign-in* (see `crate::account`).

mod voting;

pub use voting::*;

use crate::account::UserId;
use crate::error::{Refusal, RefusalKind};
use crate::idea::IdeaId;
use crate::timestamp::Timestamp;

id_type!(
    /// A prioritisation session.
    PrioSessionId
);

id_type!(
    /// One vote cast in a session (to take it back).
    VoteId
);

vocabulary!(
    /// Where a session is in its life.
    PrioState {
        /// Participants may nominate and vote, for as long as it takes.
        Open => "open", "Open";
        /// The facilitator closed it; the results are final.
        Closed => "closed", "Closed";
    }
);

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
    pub id: VoteId,
    /// The idea voted for.
    pub idea_id: IdeaId,
    /// The voter.
    pub user_id: UserId,
    /// Importance or feasibility.
    pub kind: VoteKind,
    /// When.
    pub created_at: Timestamp,
}

/// What a new session needs, checked.
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

/// Which budget an action spends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// Nominating an idea.
    Nominations,
    /// Casting a vote of this kind.
    Votes(VoteKind),
}

impl Budget {
    /// How many units of this budget each participant has.
    pub fn allowance(self, limits: &SessionLimits) -> u32 {
        match self {
            Budget::Nominations => limits.max_nominations,
            Budget::Votes(VoteKind::Importance) => limits.importance_votes,
            Budget::Votes(VoteKind::Feasibility) => limits.feasibility_votes,
        }
    }
}

/// Why a nomination, vote or close was refused; nothing changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionRefusal {
    /// The session is closed.
    Closed,
    /// The user is not a participant.
    NotParticipant,
    /// The budget is spent.
    LimitReached {
        /// Which budget.
        budget: Budget,
        /// How many units it allowed.
        allowed: u32,
    },
    /// The idea is already nominated in this session.
    AlreadyNominated,
    /// The idea is not nominated in this session.
    NotNominated,
}

impl std::fmt::Display for SessionRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SessionRefusal::Closed => {
                f.write_str("this session is closed; its nominations and votes are final")
            }
            SessionRefusal::NotParticipant => {
                f.write_str("you are not a participant in this session")
            }
            SessionRefusal::LimitReached {
                budget: Budget::Nominations,
                allowed,
            } => write!(
                f,
                "you have already nominated {allowed} ideas, the most this session allows"
            ),
            SessionRefusal::LimitReached {
                budget: Budget::Votes(kind),
                allowed,
            } => write!(f, "you have used all {allowed} {} votes", kind.as_str()),
            SessionRefusal::AlreadyNominated => {
                f.write_str("that idea is already nominated in this session")
            }
            SessionRefusal::NotNominated => {
                f.write_str("that idea is not nominated in this session; nominate it first")
            }
        }
    }
}

impl Refusal for SessionRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            SessionRefusal::Closed | SessionRefusal::AlreadyNominated => RefusalKind::Conflict,
            SessionRefusal::NotParticipant => RefusalKind::Forbidden,
            SessionRefusal::LimitReached {
                budget: Budget::Nominations,
                ..
            }
            | SessionRefusal::NotNominated => RefusalKind::Invalid { field: "idea_id" },
            SessionRefusal::LimitReached {
                budget: Budget::Votes(_),
                ..
            } => RefusalKind::Invalid { field: "kind" },
        }
    }
}

/// Why spending a unit of `budget` was refused (or, having taken it, must
/// still be refused), given the session as it stands and whether the user
/// takes part: a closed session first, then a stranger, else the budget.
/// `spent` says whether the unit was taken; a taken unit is refused only
/// when the session is closed.
pub fn spend_refusal(
    spent: bool,
    session: &PrioSession,
    is_participant: bool,
    budget: Budget,
) -> Option<SessionRefusal> {
    if session.state != PrioState::Open {
        return Some(SessionRefusal::Closed);
    }
    if spent {
        return None;
    }
    if !is_participant {
        return Some(SessionRefusal::NotParticipant);
    }
    Some(SessionRefusal::LimitReached {
        budget,
        allowed: budget.allowance(&session.limits),
    })
}

/// Why a vote must be refused, if it must: `spend` is [`spend_refusal`]'s
/// answer. A closed session or a stranger outranks the idea check; a spent
/// budget does not, so a vote for an idea outside the session says so
/// rather than reporting the budget.
pub fn vote_refusal(spend: Option<SessionRefusal>, nominated: bool) -> Option<SessionRefusal> {
    match spend {
        Some(r @ (SessionRefusal::Closed | SessionRefusal::NotParticipant)) => Some(r),
        _ if !nominated => Some(SessionRefusal::NotNominated),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(state: PrioState) -> PrioSession {
        PrioSession {
            id: PrioSessionId::new(),
            title: "Q3".into(),
            milestone: String::new(),
            facilitator_id: None,
            state,
            limits: SessionLimits {
                max_nominations: 2,
                importance_votes: 3,
                feasibility_votes: 4,
            },
            created_at: Timestamp(0),
            closed_at: None,
        }
    }

    #[test]
    fn closed_outranks_everything() {
        let s = session(PrioState::Closed);
        for spent in [true, false] {
            for p in [true, false] {
                assert_eq!(
                    spend_refusal(spent, &s, p, Budget::Nominations),
                    Some(SessionRefusal::Closed)
                );
            }
        }
    }

    #[test]
    fn an_unspent_budget_names_its_allowance() {
        let s = session(PrioState::Open);
        let imp = Budget::Votes(VoteKind::Importance);
        assert_eq!(spend_refusal(true, &s, true, imp), None);
        assert_eq!(
            spend_refusal(false, &s, true, imp),
            Some(SessionRefusal::LimitReached {
                budget: imp,
                allowed: 3
            })
        );
        assert_eq!(
            spend_refusal(false, &s, false, imp),
            Some(SessionRefusal::NotParticipant)
        );
    }

    #[test]
    fn an_idea_outside_the_session_outranks_a_spent_budget() {
        let spent = SessionRefusal::LimitReached {
            budget: Budget::Votes(VoteKind::Feasibility),
            allowed: 3,
        };
        assert_eq!(
            vote_refusal(Some(spent), false),
            Some(SessionRefusal::NotNominated)
        );
        assert_eq!(
            vote_refusal(Some(SessionRefusal::Closed), false),
            Some(SessionRefusal::Closed)
        );
        assert_eq!(vote_refusal(None, true), None);
        assert_eq!(vote_refusal(Some(spent), true), Some(spent));
        assert_eq!(spent.to_string(), "you have used all 3 feasibility votes");
        assert_eq!(spent.kind(), RefusalKind::Invalid { field: "kind" });
    }
}
