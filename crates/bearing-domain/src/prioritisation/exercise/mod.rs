//! Async RICE exercises: a PM opens an exercise over some ideas, invites
//! participants, each scores every idea on their own and submits, and the
//! PM closes it and may adopt the aggregate. The entities and refusals are
//! here; how scorecards aggregate is in `result`.

mod result;

pub use result::*;

use crate::account::UserId;
use crate::error::{Refusal, RefusalKind};
use crate::idea::IdeaId;
use crate::prioritisation::rice::{ReachMode, Rice};
use crate::timestamp::Timestamp;

id_type!(
    /// An async RICE exercise.
    ExerciseId
);

vocabulary!(
    /// Whether participants may still score.
    ExerciseState {
        /// Participants are scoring.
        Open => "open", "Open";
        /// Scoring has ended; the result is final.
        Closed => "closed", "Closed";
    }
);

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

/// What opening an exercise writes, checked: the ideas and users exist and
/// the lists are within limits.
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

/// Why a guarded exercise write (saving, submitting, closing) was refused;
/// nothing changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExerciseRefusal {
    /// The user was not invited.
    NotParticipant,
    /// The exercise is closed.
    Closed,
    /// The user has already submitted.
    AlreadySubmitted,
    /// The idea is not one of the exercise's ideas.
    IdeaNotInExercise,
    /// These ideas (id and title) have no scorecard from the user yet.
    Unscored(Vec<(IdeaId, String)>),
}

impl std::fmt::Display for ExerciseRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExerciseRefusal::NotParticipant => {
                f.write_str("only people invited to this exercise can score it")
            }
            ExerciseRefusal::Closed => {
                f.write_str("this exercise is closed; its scores can no longer change")
            }
            ExerciseRefusal::AlreadySubmitted => f.write_str(
                "you have already submitted your scores for this exercise; they can no longer be changed",
            ),
            ExerciseRefusal::IdeaNotInExercise => f.write_str("idea in this exercise not found"),
            ExerciseRefusal::Unscored(ideas) => {
                let names: Vec<String> = ideas
                    .iter()
                    .map(|(id, title)| format!("\"{title}\" ({id})"))
                    .collect();
                write!(
                    f,
                    "score every idea before submitting; still missing: {}",
                    names.join(", ")
                )
            }
        }
    }
}

impl Refusal for ExerciseRefusal {
    fn kind(&self) -> RefusalKind {
        match self {
            ExerciseRefusal::NotParticipant => RefusalKind::Forbidden,
            ExerciseRefusal::Closed | ExerciseRefusal::AlreadySubmitted => RefusalKind::Conflict,
            ExerciseRefusal::IdeaNotInExercise => RefusalKind::NotFound {
                what: "idea in this exercise",
            },
            ExerciseRefusal::Unscored(_) => RefusalKind::Invalid { field: "scores" },
        }
    }
}
