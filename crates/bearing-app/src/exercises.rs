//! Async RICE exercises: a PM opens an exercise over a set of ideas and
//! invites people; each participant scores every idea on their own, without
//! seeing anyone else's scores until they submit; the result shows every
//! submitted scorecard, the spread of each factor and an aggregate (median
//! per factor, then the score — see `bearing_domain::exercise`), which the PM
//! can adopt as an idea's RICE.
//!
//! The visibility rules live here, in one place ([`App::exercise_view`]):
//! before submitting, a participant sees only their own scorecards and how
//! many others have submitted. After submitting — or for everyone invited
//! once the exercise is closed — every *submitted* scorecard is shown.
//! Drafts of people who never submitted are never shown or aggregated.

use crate::{Actor, App, AppError, AppResult};
use bearing_domain::prioritisation::exercise::{ExerciseResult, Scorecard, aggregate};
use bearing_domain::*;
use bearing_store::exercises::{NewExerciseRecord, Refusal};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};

pub use bearing_store::exercises::{
    Exercise, ExerciseId, ExerciseState, ExerciseSummary, Participant, StoredScorecard,
};

/// The most ideas one exercise may cover.
pub const MAX_EXERCISE_IDEAS: usize = 50;
/// The most people one exercise may invite.
pub const MAX_EXERCISE_PARTICIPANTS: usize = 100;
/// The longest exercise title, in characters.
pub const MAX_EXERCISE_TITLE: usize = 200;

/// What a PM sends to open an exercise.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewExercise {
    /// What is being scored, e.g. "Q3 candidates".
    pub title: String,
    /// The ideas to score (1 to [`MAX_EXERCISE_IDEAS`]).
    pub idea_ids: Vec<IdeaId>,
    /// Who to invite; the opener is always included.
    #[serde(default)]
    pub participant_ids: Vec<UserId>,
}

/// An invited person, by name, and whether they have submitted.
#[derive(Clone, Debug)]
pub struct ParticipantView {
    /// The user.
    pub user_id: UserId,
    /// Their display name.
    pub name: String,
    /// When they submitted, if they have.
    pub submitted_at: Option<Timestamp>,
}

/// One submitted scorecard in a result, with who made it.
#[derive(Clone, Debug)]
pub struct CardView {
    /// Who scored.
    pub user_id: UserId,
    /// Their display name.
    pub name: String,
    /// Their factors and score.
    pub rice: Rice,
}

/// The outcome of an exercise for one idea.
#[derive(Clone, Debug)]
pub struct IdeaOutcome {
    /// The idea.
    pub idea_id: IdeaId,
    /// Its title.
    pub title: String,
    /// Every submitted scorecard for it, by participant name.
    pub cards: Vec<CardView>,
    /// Spread and aggregate; `None` when nobody has submitted yet.
    pub result: Option<ExerciseResult>,
}

/// An exercise as one viewer may see it.
#[derive(Clone, Debug)]
pub struct ExerciseView {
    /// The exercise.
    pub exercise: Exercise,
    /// The opener's name.
    pub opener: Option<String>,
    /// The ideas being scored, by title.
    pub ideas: Vec<Idea>,
    /// Everyone invited.
    pub participants: Vec<ParticipantView>,
    /// The viewer's own participation; `None` for an admin looking in.
    pub me: Option<Participant>,
    /// The viewer's own scorecards.
    pub my_scorecards: Vec<StoredScorecard>,
    /// How many participants have submitted.
    pub submitted_count: usize,
    /// Per-idea results; `None` while they are hidden from this viewer.
    pub results: Option<Vec<IdeaOutcome>>,
    /// May the viewer still save scores?
    pub can_score: bool,
    /// May the viewer close the exercise?
    pub can_close: bool,
    /// May the viewer adopt results as ideas' RICE?
    pub can_adopt: bool,
}

/// Does `actor` run this exercise: the PM who opened it, or an admin?
fn facilitates(actor: &Actor, e: &Exercise) -> bool {
    actor.user.role.can_manage()
        && (e.created_by == Some(actor.user.id) || actor.user.role == Role::Admin)
}

/// Ids without repeats, first occurrence first.
fn dedup<T: Copy + Eq + std::hash::Hash>(ids: &[T]) -> Vec<T> {
    let mut seen = HashSet::new();
    ids.iter().copied().filter(|i| seen.insert(*i)).collect()
}

impl App {
    /// Turn a store refusal into the error people see.
    async fn refused(&self, r: Refusal) -> AppError {
        match r {
            Refusal::NotParticipant => {
                AppError::Forbidden("only people invited to this exercise can score it".into())
            }
            Refusal::Closed => AppError::Conflict(
                "this exercise is closed; its scores can no longer change".into(),
            ),
            Refusal::AlreadySubmitted => AppError::Conflict(
                "you have already submitted your scores for this exercise; they can no longer be changed"
                    .into(),
            ),
            Refusal::IdeaNotInExercise => AppError::NotFound("idea in this exercise".into()),
            Refusal::Unscored(ids) => {
                let titles: HashMap<IdeaId, String> = self
                    .db
                    .ideas_by_ids(&ids)
                    .await
                    .unwrap_or_default()
                    .into_iter()
                    .map(|i| (i.id, i.title))
                    .collect();
                let names: Vec<String> = ids
                    .iter()
                    .map(|id| match titles.get(id) {
                        Some(t) => format!("\"{t}\" ({id})"),
                        None => id.to_string(),
                    })
                    .collect();
                AppError::Invalid(ValidationError::new(
                    "scores",
                    format!(
                        "score every idea before submitting; still missing: {}",
                        names.join(", ")
                    ),
                ))
            }
        }
    }

    /// An exercise by id.
    pub async fn exercise(&self, id: ExerciseId) -> AppResult<Exercise> {
        self.db
            .exercise(id)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("exercise"))
    }

    /// Open an exercise (PMs and admins). The ideas and people must exist;
    /// the opener is invited too; Reach is measured as the workspace does.
    pub async fn open_exercise(&self, actor: &Actor, input: NewExercise) -> AppResult<Exercise> {
        actor.must_manage()?;
        let title = input.title.trim();
        if title.is_empty() {
            return Err(ValidationError::missing("title", "give the exercise a title").into());
        }
        if title.chars().count() > MAX_EXERCISE_TITLE {
            return Err(ValidationError::new(
                "title",
                format!("the title can be at most {MAX_EXERCISE_TITLE} characters"),
            )
            .into());
        }
        let ideas = dedup(&input.idea_ids);
        if ideas.is_empty() {
            return Err(
                ValidationError::missing("idea_ids", "choose at least one idea to score").into(),
            );
        }
        if ideas.len() > MAX_EXERCISE_IDEAS {
            return Err(ValidationError::new(
                "idea_ids",
                format!(
                    "an exercise can cover at most {MAX_EXERCISE_IDEAS} ideas; {} were chosen",
                    ideas.len()
                ),
            )
            .into());
        }
        let found: HashSet<IdeaId> = self
            .db
            .ideas_by_ids(&ideas)
            .await?
            .into_iter()
            .map(|i| i.id)
            .collect();
        if let Some(missing) = ideas.iter().find(|i| !found.contains(i)) {
            return Err(
                ValidationError::new("idea_ids", format!("no idea with id {missing}")).into(),
            );
        }
        let mut invited = vec![actor.user.id];
        invited.extend(input.participant_ids.iter().copied());
        let invited = dedup(&invited);
        if invited.len() > MAX_EXERCISE_PARTICIPANTS {
            return Err(ValidationError::new(
                "participant_ids",
                format!("an exercise can invite at most {MAX_EXERCISE_PARTICIPANTS} people"),
            )
            .into());
        }
        self.check_contributors(
            "participant_ids",
            &invited,
            "score; invite contributors, PMs or admins",
        )
        .await?;
        let reach_mode = self.reach_mode().await?;
        Ok(self
            .db
            .insert_exercise(NewExerciseRecord {
                title,
                ideas: &ideas,
                participants: &invited,
                reach_mode,
                created_by: actor.id(),
            })
            .await?)
    }

    /// The exercises the actor was invited to, newest first.
    pub async fn exercises(
        &self,
        actor: &Actor,
        page: &PageRequest,
    ) -> AppResult<Page<ExerciseSummary>> {
        Ok(self.db.exercises_of(actor.user.id, page).await?)
    }

    /// An exercise as `actor` may see it (see the module docs). Refused to
    /// anyone not invited, except admins.
    pub async fn exercise_view(&self, actor: &Actor, id: ExerciseId) -> AppResult<ExerciseView> {
        let exercise = self.exercise(id).await?;
        let me = self.db.exercise_participant(id, actor.user.id).await?;
        if me.is_none() && actor.user.role != Role::Admin {
            return Err(AppError::Forbidden(
                "only people invited to this exercise can see it".into(),
            ));
        }
        let users = crate::views::users_by_id(self.db.users().await?);
        let name = |u: UserId| {
            users
                .get(&u)
                .map(|u| u.name.clone())
                .unwrap_or_else(|| "Someone".into())
        };
        let mut ideas = self
            .db
            .ideas_by_ids(&self.db.exercise_ideas(id).await?)
            .await?;
        ideas.sort_by_key(|i| (i.title.to_lowercase(), i.id));
        let mut participants: Vec<ParticipantView> = self
            .db
            .exercise_participants(id)
            .await?
            .into_iter()
            .map(|p| ParticipantView {
                name: name(p.user_id),
                user_id: p.user_id,
                submitted_at: p.submitted_at,
            })
            .collect();
        participants.sort_by_key(|p| p.name.to_lowercase());
        let submitted: HashSet<UserId> = participants
            .iter()
            .filter(|p| p.submitted_at.is_some())
            .map(|p| p.user_id)
            .collect();
        let open = exercise.state == ExerciseState::Open;
        let i_submitted = me.as_ref().is_some_and(|m| m.submitted_at.is_some());
        let visible = i_submitted || !open;
        let results = if visible {
            let cards = self.db.exercise_scorecards(id).await?;
            Some(
                ideas
                    .iter()
                    .map(|idea| outcome(idea, &cards, &submitted, &name))
                    .collect(),
            )
        } else {
            None
        };
        let my_scorecards = match &me {
            Some(_) => self.db.scorecards_of_user(id, actor.user.id).await?,
            None => Vec::new(),
        };
        let facilitator = facilitates(actor, &exercise);
        Ok(ExerciseView {
            opener: exercise.created_by.map(name),
            can_score: open && me.is_some() && !i_submitted && actor.user.role.can_contribute(),
            can_close: open && facilitator,
            can_adopt: !open && facilitator,
            submitted_count: submitted.len(),
            exercise,
            ideas,
            participants,
            me,
            my_scorecards,
            results,
        })
    }

    /// Save the actor's scorecard for one idea, validated on the exercise's
    /// Reach scale. Refused once they have submitted or the exercise closed.
    pub async fn save_exercise_score(
        &self,
        actor: &Actor,
        id: ExerciseId,
        idea: IdeaId,
        input: RiceInput,
    ) -> AppResult<StoredScorecard> {
        let mut saved = self
            .save_exercise_scores(actor, id, vec![(idea, input)])
            .await?;
        Ok(saved.remove(0))
    }

    /// Save several of the actor's scorecards at once: every input is
    /// checked first, then all are saved in one transaction or none are.
    pub async fn save_exercise_scores(
        &self,
        actor: &Actor,
        id: ExerciseId,
        cards: Vec<(IdeaId, RiceInput)>,
    ) -> AppResult<Vec<StoredScorecard>> {
        let exercise = self.exercise(id).await?;
        if self
            .db
            .exercise_participant(id, actor.user.id)
            .await?
            .is_none()
        {
            return Err(self.refused(Refusal::NotParticipant).await);
        }
        actor.must_contribute()?;
        let rices = cards
            .into_iter()
            .map(|(idea, input)| Ok((idea, input.validate(exercise.reach_mode)?)))
            .collect::<AppResult<Vec<_>>>()?;
        match self.db.save_scorecards(id, actor.user.id, &rices).await? {
            Ok(saved) => Ok(saved),
            Err(r) => Err(self.refused(r).await),
        }
    }

    /// Submit the actor's scorecards: every idea must have one. After this
    /// they are final, and the actor sees everyone's submitted scores.
    pub async fn submit_exercise(&self, actor: &Actor, id: ExerciseId) -> AppResult<Timestamp> {
        self.exercise(id).await?;
        match self.db.submit_scorecards(id, actor.user.id).await? {
            Ok(at) => Ok(at),
            Err(r) => Err(self.refused(r).await),
        }
    }

    /// Close an exercise (the PM who opened it, or an admin): scoring ends
    /// and the result is final.
    pub async fn close_exercise(&self, actor: &Actor, id: ExerciseId) -> AppResult<Exercise> {
        actor.must_manage()?;
        let exercise = self.exercise(id).await?;
        if !facilitates(actor, &exercise) {
            return Err(AppError::Forbidden(
                "only the PM who opened this exercise, or an admin, can close it".into(),
            ));
        }
        match self.db.close_exercise(id, actor.id()).await? {
            Ok(e) => Ok(e),
            Err(Refusal::Closed) => {
                Err(AppError::Conflict("this exercise is already closed".into()))
            }
            Err(r) => Err(self.refused(r).await),
        }
    }

    /// Adopt a closed exercise's aggregate as the idea's RICE (the PM who
    /// opened it, or an admin). The aggregate's factors are stored as they
    /// are, even between scale points (see `bearing_domain::exercise`).
    pub async fn adopt_exercise_result(
        &self,
        actor: &Actor,
        id: ExerciseId,
        idea: IdeaId,
    ) -> AppResult<Idea> {
        actor.must_manage()?;
        let exercise = self.exercise(id).await?;
        if !facilitates(actor, &exercise) {
            return Err(AppError::Forbidden(
                "only the PM who opened this exercise, or an admin, can adopt its result".into(),
            ));
        }
        if exercise.state != ExerciseState::Closed {
            return Err(AppError::Conflict(
                "close the exercise before adopting a result, so the aggregate is final".into(),
            ));
        }
        if !self.db.exercise_ideas(id).await?.contains(&idea) {
            return Err(AppError::NotFound("idea in this exercise".into()));
        }
        let submitted: HashSet<UserId> = self
            .db
            .exercise_participants(id)
            .await?
            .into_iter()
            .filter(|p| p.submitted_at.is_some())
            .map(|p| p.user_id)
            .collect();
        let cards: Vec<Scorecard> = self
            .db
            .exercise_scorecards(id)
            .await?
            .into_iter()
            .filter(|c| c.idea_id == idea && submitted.contains(&c.user_id))
            .map(|c| Scorecard {
                participant: c.user_id.0,
                rice: c.rice,
            })
            .collect();
        let Some(result) = aggregate(&cards) else {
            return Err(ValidationError::new(
                "idea_id",
                "nobody submitted scores for this idea, so there is no aggregate to adopt",
            )
            .into());
        };
        self.db
            .set_rice(
                idea,
                Some(&result.aggregate),
                exercise.reach_mode,
                actor.id(),
            )
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("idea"))
    }
}

/// The submitted scorecards for `idea`, named, with their spread and aggregate.
fn outcome(
    idea: &Idea,
    cards: &[StoredScorecard],
    submitted: &HashSet<UserId>,
    name: &impl Fn(UserId) -> String,
) -> IdeaOutcome {
    let mut mine: Vec<CardView> = cards
        .iter()
        .filter(|c| c.idea_id == idea.id && submitted.contains(&c.user_id))
        .map(|c| CardView {
            user_id: c.user_id,
            name: name(c.user_id),
            rice: c.rice.clone(),
        })
        .collect();
    mine.sort_by_key(|c| c.name.to_lowercase());
    let scorecards: Vec<Scorecard> = mine
        .iter()
        .map(|c| Scorecard {
            participant: c.user_id.0,
            rice: c.rice.clone(),
        })
        .collect();
    IdeaOutcome {
        idea_id: idea.id,
        title: idea.title.clone(),
        result: aggregate(&scorecards),
        cards: mine,
    }
}
