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

use crate::error::OrNotFound;
use crate::prioritisation::set_rice_in;
use crate::{Actor, App, AppError, AppResult};
use bearing_domain::prioritisation::exercise::*;
use bearing_domain::*;
use bearing_store::Tx;
use serde::Deserialize;
use std::collections::HashSet;

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

/// The answer to an exercise refusal.
fn refused(r: ExerciseRefusal) -> AppError {
    AppError::refused(&r)
}

/// Check `user` may change their scorecards now, holding the exercise
/// while it is open and the participant while unsubmitted: the first
/// failing check is the refusal.
async fn guard_scoring(tx: &mut Tx, id: ExerciseId, user: UserId) -> AppResult<Exercise> {
    let exercise = tx.exercises().get(id).await.or_not_found("exercise")?;
    if tx.exercises().participant(id, user).await?.is_none() {
        return Err(refused(ExerciseRefusal::NotParticipant));
    }
    if !tx.exercises().lock_open(id).await? {
        return Err(refused(ExerciseRefusal::Closed));
    }
    if !tx.exercises().lock_unsubmitted(id, user).await? {
        return Err(refused(ExerciseRefusal::AlreadySubmitted));
    }
    Ok(exercise)
}

impl App {
    /// An exercise by id.
    pub async fn exercise(&self, id: ExerciseId) -> AppResult<Exercise> {
        self.db.exercise(id).await.or_not_found("exercise")
    }

    /// Open an exercise (PMs and admins). The ideas and people must exist;
    /// the opener is invited too; Reach is measured as the workspace does.
    pub async fn open_exercise(&self, actor: &Actor, input: NewExercise) -> AppResult<Exercise> {
        actor.must_manage()?;
        plain_text("title", &input.title)?;
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
        let exercise = Exercise {
            id: ExerciseId::new(),
            title: title.to_string(),
            created_by: actor.id(),
            state: ExerciseState::Open,
            reach_mode,
            created_at: Timestamp::now(),
            closed_at: None,
        };
        let mut tx = self.db.begin().await?;
        tx.exercises().insert(&exercise, &ideas, &invited).await?;
        tx.record(
            &Change::new(
                EntityKind::Exercise,
                exercise.id,
                ChangeAction::Created,
                actor.id(),
            )
            .after(serde_json::json!({
                "title": exercise.title, "reach_mode": exercise.reach_mode.as_str(),
                "ideas": ideas, "participants": invited,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(exercise)
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
            return Err(refused(ExerciseRefusal::NotParticipant));
        }
        actor.must_contribute()?;
        let rices = cards
            .into_iter()
            .map(|(idea, input)| Ok((idea, input.validate(exercise.reach_mode)?)))
            .collect::<AppResult<Vec<_>>>()?;
        let user = actor.user.id;
        let mut tx = self.db.begin().await?;
        guard_scoring(&mut tx, id, user).await?;
        let now = Timestamp::now();
        let mut saved = Vec::with_capacity(rices.len());
        for (idea, rice) in rices {
            if !tx.exercises().covers(id, idea).await? {
                return Err(refused(ExerciseRefusal::IdeaNotInExercise));
            }
            let card = StoredScorecard {
                idea_id: idea,
                user_id: user,
                rice,
                updated_at: now,
            };
            tx.exercises().save_scorecard(id, &card).await?;
            saved.push(card);
        }
        tx.commit().await?;
        Ok(saved)
    }

    /// Submit the actor's scorecards: every idea must have one. After this
    /// they are final, and the actor sees everyone's submitted scores.
    pub async fn submit_exercise(&self, actor: &Actor, id: ExerciseId) -> AppResult<Timestamp> {
        let user = actor.user.id;
        let mut tx = self.db.begin().await?;
        guard_scoring(&mut tx, id, user).await?;
        let unscored = tx.exercises().unscored(id, user).await?;
        if !unscored.is_empty() {
            let mut named = Vec::with_capacity(unscored.len());
            for i in unscored {
                let title = tx.ideas().get(i).await.map(|i| i.title).unwrap_or_default();
                named.push((i, title));
            }
            return Err(refused(ExerciseRefusal::Unscored(named)));
        }
        let now = Timestamp::now();
        tx.exercises().submit(id, user, now).await?;
        tx.record(&Change::new(
            EntityKind::Exercise,
            id,
            ChangeAction::Submitted,
            actor.id(),
        ))
        .await?;
        tx.commit().await?;
        Ok(now)
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
        let mut tx = self.db.begin().await?;
        let now = Timestamp::now();
        if !tx.exercises().close(id, now).await? {
            return Err(AppError::Conflict("this exercise is already closed".into()));
        }
        tx.record(
            &Change::new(EntityKind::Exercise, id, ChangeAction::Closed, actor.id())
                .before(serde_json::json!({"state": ExerciseState::Open.as_str()}))
                .after(serde_json::json!({"state": ExerciseState::Closed.as_str()})),
        )
        .await?;
        tx.commit().await?;
        Ok(Exercise {
            state: ExerciseState::Closed,
            closed_at: Some(now),
            ..exercise
        })
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
        let mut tx = self.db.begin().await?;
        tx.ideas().lock(idea).await.or_not_found("idea")?;
        let adopted = set_rice_in(
            &mut tx,
            actor,
            idea,
            Some(&result.aggregate),
            exercise.reach_mode,
        )
        .await?;
        tx.commit().await?;
        Ok(adopted)
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
