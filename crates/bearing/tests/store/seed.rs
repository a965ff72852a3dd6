//! The app's use cases under the short names the storage tests were written
//! with: `db.insert_idea(…)`, `db.process_note(…)`, … Since the house
//! refactoring (issue #9) the store has no workflows of its own — it reads
//! and writes rows in a unit of work — so each of these goes through the
//! app's workflow exactly as a request would, acting as the user whose id
//! is given (or as `Actor::system()` for `None`). What the tests assert
//! about the stored result is unchanged.

use bearing_app::{Actor, App, AppConfig, AppResult};
use bearing_domain::prioritisation::exercise::{Exercise, ExerciseId, StoredScorecard};
use bearing_domain::prioritisation::rice::Rice;
use bearing_domain::*;
use bearing_store::Db;

/// A note as the old store insert took it: validated input plus who and when.
#[derive(Clone)]
pub struct NoteRecord {
    /// Validated input.
    pub input: NewNote,
    /// Who logged it.
    pub reporter: Option<UserId>,
    /// Initial state.
    pub state: NoteState,
    /// Reason, when it starts as won't do.
    pub wont_do_reason: Option<String>,
    /// When it was logged.
    pub created_at: Timestamp,
}

impl NoteRecord {
    /// The note this record stores, with id `id`.
    pub fn note(self, id: NoteId) -> Note {
        Note::logged(
            id,
            self.input,
            self.reporter,
            self.state,
            self.wont_do_reason,
            self.created_at,
        )
    }
}

/// Records with their ids as notes, for bulk inserts.
pub fn notes(records: &[(NoteId, NoteRecord)]) -> Vec<Note> {
    records.iter().map(|(id, r)| r.clone().note(*id)).collect()
}

/// What opening an exercise took.
pub struct NewExerciseRecord<'a> {
    /// Title.
    pub title: &'a str,
    /// Ideas to score.
    pub ideas: &'a [IdeaId],
    /// Invited users.
    pub participants: &'a [UserId],
    /// The opener.
    pub created_by: Option<UserId>,
}

async fn actor(db: &Db, id: Option<UserId>) -> Actor {
    match id {
        Some(id) => Actor {
            user: db.user(id).await.expect("acting user exists"),
        },
        None => Actor::system(),
    }
}

fn app(db: &Db) -> App {
    App::new(db.clone(), AppConfig::default())
}

/// A validated plan back as the request that makes it.
fn request(plan: ProcessPlan) -> ProcessNote {
    match plan {
        ProcessPlan::Link {
            links,
            new_idea,
            underlying_need,
            workaround,
        } => {
            let (new_idea, new_idea_excerpt) = match new_idea.map(|b| *b) {
                Some((i, e)) => (Some(i), e),
                None => (None, None),
            };
            ProcessNote {
                links,
                new_idea,
                new_idea_excerpt,
                underlying_need,
                workaround,
                wont_do_reason: None,
            }
        }
        ProcessPlan::Decline {
            reason,
            underlying_need,
            workaround,
        } => ProcessNote {
            wont_do_reason: Some(reason),
            underlying_need,
            workaround,
            ..Default::default()
        },
    }
}

/// See the module docs.
#[allow(async_fn_in_trait)]
pub trait Seed {
    /// `App::create_idea`.
    async fn insert_idea(&self, i: NewIdea, by: Option<UserId>) -> AppResult<Idea>;
    /// `App::update_idea`.
    async fn update_idea(&self, id: IdeaId, ch: IdeaChanges, by: Option<UserId>)
    -> AppResult<Idea>;
    /// `App::create_customer`.
    async fn insert_customer(&self, c: NewCustomer, by: Option<UserId>) -> AppResult<Customer>;
    /// `App::update_customer`.
    async fn update_customer(
        &self,
        id: CustomerId,
        ch: CustomerChanges,
        by: Option<UserId>,
    ) -> AppResult<Customer>;
    /// `App::create_contact`, as the system.
    async fn insert_contact(&self, c: NewContact) -> AppResult<Contact>;
    /// `App::create_area`.
    async fn insert_area(&self, a: NewArea, by: Option<UserId>) -> AppResult<Area>;
    /// `App::update_area`.
    async fn update_area(
        &self,
        id: AreaId,
        name: &str,
        description: &str,
        by: Option<UserId>,
    ) -> AppResult<Area>;
    /// A note stored as given (state and time included), as an import
    /// would: through a unit of work, recorded.
    async fn insert_note(&self, r: NoteRecord) -> AppResult<Note>;
    /// `App::update_note`.
    async fn update_note(&self, id: NoteId, ch: NoteChanges, by: Option<UserId>)
    -> AppResult<Note>;
    /// `App::link_note`.
    async fn link_note(
        &self,
        note: NoteId,
        idea: IdeaId,
        excerpt: Option<&str>,
        by: Option<UserId>,
    ) -> AppResult<Link>;
    /// `App::unlink`.
    async fn unlink(&self, id: LinkId, by: Option<UserId>) -> AppResult<()>;
    /// `App::process_note`, from a plan.
    async fn process_note(
        &self,
        id: NoteId,
        plan: ProcessPlan,
        by: Option<UserId>,
    ) -> AppResult<bearing_app::notes::Processed>;
    /// `App::comment`.
    async fn insert_comment(
        &self,
        idea: IdeaId,
        by: Option<UserId>,
        body: &str,
    ) -> AppResult<Comment>;
    /// `App::follow`.
    async fn set_following(&self, idea: IdeaId, user: UserId, follow: bool) -> AppResult<()>;
    /// `App::move_idea`.
    async fn move_on_board(
        &self,
        idea: IdeaId,
        after: Option<IdeaId>,
        before: Option<IdeaId>,
        by: Option<UserId>,
    ) -> AppResult<Idea>;
    /// `App::score_idea` (standard scale).
    async fn set_rice(&self, idea: IdeaId, rice: &Rice, by: Option<UserId>) -> AppResult<Idea>;
    /// `App::open_exercise`.
    async fn insert_exercise(&self, e: NewExerciseRecord<'_>) -> AppResult<Exercise>;
    /// `App::save_exercise_score`.
    async fn save_scorecard(
        &self,
        id: ExerciseId,
        idea: IdeaId,
        user: UserId,
        rice: &Rice,
    ) -> AppResult<StoredScorecard>;
    /// `App::save_exercise_scores`.
    async fn save_scorecards(
        &self,
        id: ExerciseId,
        user: UserId,
        cards: &[(IdeaId, Rice)],
    ) -> AppResult<Vec<StoredScorecard>>;
    /// `App::submit_exercise`.
    async fn submit_scorecards(&self, id: ExerciseId, user: UserId) -> AppResult<Timestamp>;
    /// `App::close_exercise`.
    async fn close_exercise(&self, id: ExerciseId, by: Option<UserId>) -> AppResult<Exercise>;
}

impl Seed for Db {
    async fn insert_idea(&self, i: NewIdea, by: Option<UserId>) -> AppResult<Idea> {
        app(self).create_idea(&actor(self, by).await, i).await
    }
    async fn update_idea(
        &self,
        id: IdeaId,
        ch: IdeaChanges,
        by: Option<UserId>,
    ) -> AppResult<Idea> {
        app(self).update_idea(&actor(self, by).await, id, ch).await
    }
    async fn insert_customer(&self, c: NewCustomer, by: Option<UserId>) -> AppResult<Customer> {
        app(self).create_customer(&actor(self, by).await, c).await
    }
    async fn update_customer(
        &self,
        id: CustomerId,
        ch: CustomerChanges,
        by: Option<UserId>,
    ) -> AppResult<Customer> {
        app(self)
            .update_customer(&actor(self, by).await, id, ch)
            .await
    }
    async fn insert_contact(&self, c: NewContact) -> AppResult<Contact> {
        app(self).create_contact(&Actor::system(), c).await
    }
    async fn insert_area(&self, a: NewArea, by: Option<UserId>) -> AppResult<Area> {
        app(self).create_area(&actor(self, by).await, a).await
    }
    async fn update_area(
        &self,
        id: AreaId,
        name: &str,
        description: &str,
        by: Option<UserId>,
    ) -> AppResult<Area> {
        app(self)
            .update_area(&actor(self, by).await, id, Some(name), Some(description))
            .await
    }
    async fn insert_note(&self, r: NoteRecord) -> AppResult<Note> {
        app(self)
            .import_note(
                &Actor::system(),
                r.input,
                r.reporter,
                r.state,
                r.wont_do_reason,
                r.created_at,
            )
            .await
    }
    async fn update_note(
        &self,
        id: NoteId,
        ch: NoteChanges,
        by: Option<UserId>,
    ) -> AppResult<Note> {
        app(self).update_note(&actor(self, by).await, id, ch).await
    }
    async fn link_note(
        &self,
        note: NoteId,
        idea: IdeaId,
        excerpt: Option<&str>,
        by: Option<UserId>,
    ) -> AppResult<Link> {
        let req = LinkRequest {
            idea_id: idea,
            excerpt: excerpt.map(Into::into),
        };
        app(self).link_note(&actor(self, by).await, note, req).await
    }
    async fn unlink(&self, id: LinkId, by: Option<UserId>) -> AppResult<()> {
        app(self).unlink(&actor(self, by).await, id).await
    }
    async fn process_note(
        &self,
        id: NoteId,
        plan: ProcessPlan,
        by: Option<UserId>,
    ) -> AppResult<bearing_app::notes::Processed> {
        app(self)
            .process_note(&actor(self, by).await, id, request(plan))
            .await
    }
    async fn insert_comment(
        &self,
        idea: IdeaId,
        by: Option<UserId>,
        body: &str,
    ) -> AppResult<Comment> {
        let c = NewComment { body: body.into() };
        app(self).comment(&actor(self, by).await, idea, c).await
    }
    async fn set_following(&self, idea: IdeaId, user: UserId, follow: bool) -> AppResult<()> {
        app(self)
            .follow(&actor(self, Some(user)).await, idea, follow)
            .await
    }
    async fn move_on_board(
        &self,
        idea: IdeaId,
        after: Option<IdeaId>,
        before: Option<IdeaId>,
        by: Option<UserId>,
    ) -> AppResult<Idea> {
        app(self)
            .move_idea(&actor(self, by).await, idea, after, before)
            .await
    }
    async fn set_rice(&self, idea: IdeaId, rice: &Rice, by: Option<UserId>) -> AppResult<Idea> {
        app(self)
            .score_idea(&actor(self, by).await, idea, rice.input())
            .await
    }
    async fn insert_exercise(&self, e: NewExerciseRecord<'_>) -> AppResult<Exercise> {
        let opener = actor(self, e.created_by).await;
        let input = bearing_app::exercises::NewExercise {
            title: e.title.into(),
            idea_ids: e.ideas.to_vec(),
            participant_ids: e.participants.to_vec(),
        };
        app(self).open_exercise(&opener, input).await
    }
    async fn save_scorecard(
        &self,
        id: ExerciseId,
        idea: IdeaId,
        user: UserId,
        rice: &Rice,
    ) -> AppResult<StoredScorecard> {
        app(self)
            .save_exercise_score(&actor(self, Some(user)).await, id, idea, rice.input())
            .await
    }
    async fn save_scorecards(
        &self,
        id: ExerciseId,
        user: UserId,
        cards: &[(IdeaId, Rice)],
    ) -> AppResult<Vec<StoredScorecard>> {
        let cards = cards.iter().map(|(i, r)| (*i, r.input())).collect();
        app(self)
            .save_exercise_scores(&actor(self, Some(user)).await, id, cards)
            .await
    }
    async fn submit_scorecards(&self, id: ExerciseId, user: UserId) -> AppResult<Timestamp> {
        app(self)
            .submit_exercise(&actor(self, Some(user)).await, id)
            .await
    }
    async fn close_exercise(&self, id: ExerciseId, by: Option<UserId>) -> AppResult<Exercise> {
        app(self).close_exercise(&actor(self, by).await, id).await
    }
}
