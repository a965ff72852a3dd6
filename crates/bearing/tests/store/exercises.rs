//! Async RICE exercises in the store: opening, upserting scorecards, the
//! guarded writes (not invited, idea not in the exercise, already
//! submitted, closed, unscored ideas), counts in the list.

use super::*;
use crate::store::seed::NewExerciseRecord;
use bearing_domain::prioritisation::exercise::{ExerciseId, ExerciseRefusal, ExerciseState};
use bearing_testkit::backend_test;

fn rice(reach: f64, impact: f64, confidence: f64, effort: f64) -> Rice {
    RiceInput {
        reach,
        impact,
        confidence,
        effort_months: effort,
    }
    .validate(ReachMode::Standard)
    .unwrap()
}

backend_test!(exercise_scorecards_and_guards, |t| async move {
    let db = &t.db;
    let pm = pm(db).await;
    let ann = user(db, "Ann Contributor", Role::Contributor).await;
    let out = user(db, "Out Sider", Role::Pm).await;
    let a = db.insert_idea(new_idea("Alpha"), None).await.unwrap();
    let b = db.insert_idea(new_idea("Beta"), None).await.unwrap();
    let other = db.insert_idea(new_idea("Gamma"), None).await.unwrap();
    let ex = db
        .insert_exercise(NewExerciseRecord {
            title: "Round one",
            ideas: &[a.id, b.id, a.id],
            participants: &[pm.user.id, ann.user.id],
            created_by: Some(pm.user.id),
        })
        .await
        .unwrap();
    assert_eq!(ex.state, ExerciseState::Open);
    let back = db.exercise(ex.id).await.unwrap();
    assert_eq!(back, ex);
    let mut ideas = db.exercise_ideas(ex.id).await.unwrap();
    ideas.sort();
    let mut want = vec![a.id, b.id];
    want.sort();
    assert_eq!(ideas, want);
    assert_eq!(db.exercise_participants(ex.id).await.unwrap().len(), 2);
    assert!(
        db.exercise_participant(ex.id, out.user.id)
            .await
            .unwrap()
            .is_none()
    );

    // Upsert: the second save replaces the first.
    let card = db
        .save_scorecard(ex.id, a.id, ann.user.id, &rice(10.0, 1.0, 1.0, 1.0))
        .await
        .unwrap();
    assert_eq!(card.rice.score, 10.0);
    db.save_scorecard(ex.id, a.id, ann.user.id, &rice(6.0, 1.0, 0.5, 1.0))
        .await
        .unwrap();
    let mine = db.scorecards_of_user(ex.id, ann.user.id).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].rice.reach, 6.0);
    assert_eq!(mine[0].rice.score, 3.0);

    // Guards.
    assert_refused(
        db.save_scorecard(ex.id, a.id, out.user.id, &rice(6.0, 1.0, 1.0, 1.0))
            .await,
        ExerciseRefusal::NotParticipant,
    );
    assert_refused(
        db.save_scorecard(ex.id, other.id, ann.user.id, &rice(6.0, 1.0, 1.0, 1.0))
            .await,
        ExerciseRefusal::IdeaNotInExercise,
    );
    // Several cards at once are all-or-nothing: with one idea outside the
    // exercise, B's valid card is not saved either.
    assert_refused(
        db.save_scorecards(
            ex.id,
            ann.user.id,
            &[
                (b.id, rice(3.0, 2.0, 0.8, 2.0)),
                (other.id, rice(6.0, 1.0, 1.0, 1.0)),
            ],
        )
        .await,
        ExerciseRefusal::IdeaNotInExercise,
    );
    assert_refused(
        db.submit_scorecards(ex.id, ann.user.id).await,
        ExerciseRefusal::Unscored(vec![(b.id, b.title.clone())]),
    );
    db.save_scorecard(ex.id, b.id, ann.user.id, &rice(3.0, 2.0, 0.8, 2.0))
        .await
        .unwrap();
    assert!(db.submit_scorecards(ex.id, ann.user.id).await.is_ok());
    assert_refused(
        db.submit_scorecards(ex.id, ann.user.id).await,
        ExerciseRefusal::AlreadySubmitted,
    );
    assert_refused(
        db.save_scorecard(ex.id, a.id, ann.user.id, &rice(10.0, 1.0, 1.0, 1.0))
            .await,
        ExerciseRefusal::AlreadySubmitted,
    );
    let me = db
        .exercise_participant(ex.id, ann.user.id)
        .await
        .unwrap()
        .unwrap();
    assert!(me.submitted_at.is_some());

    // The list, as each participant sees it.
    let page = db
        .exercises_of(ann.user.id, &PageRequest::default())
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    let s = &page.items[0];
    assert_eq!(
        (s.idea_count, s.participant_count, s.submitted_count),
        (2, 2, 1)
    );
    assert!(s.my_submitted_at.is_some());
    let page = db
        .exercises_of(pm.user.id, &PageRequest::default())
        .await
        .unwrap();
    assert!(page.items[0].my_submitted_at.is_none());
    assert!(
        db.exercises_of(out.user.id, &PageRequest::default())
            .await
            .unwrap()
            .items
            .is_empty()
    );

    // Closing ends scoring, once.
    let closed = db.close_exercise(ex.id, Some(pm.user.id)).await.unwrap();
    assert_eq!(closed.state, ExerciseState::Closed);
    assert!(closed.closed_at.is_some());
    assert_eq!(db.exercise(ex.id).await.unwrap(), closed);
    match db.close_exercise(ex.id, Some(pm.user.id)).await {
        Err(AppError::Conflict(m)) => assert!(m.contains("already closed"), "{m}"),
        other => panic!("a second close is a conflict: {other:?}"),
    }
    assert_refused(
        db.save_scorecard(ex.id, a.id, pm.user.id, &rice(10.0, 1.0, 1.0, 1.0))
            .await,
        ExerciseRefusal::Closed,
    );
    assert_eq!(db.exercise_scorecards(ex.id).await.unwrap().len(), 2);
    assert_eq!(db.activity_of(ex.id.0, 10).await.unwrap().len(), 3);
    assert_not_found(db.exercise(ExerciseId::new()).await);
});

backend_test!(exercises_page_newest_first, |t| async move {
    let db = &t.db;
    let pm = pm(db).await;
    let i = db.insert_idea(new_idea("Only"), None).await.unwrap();
    let mut made = Vec::new();
    for n in 0..5 {
        let title = format!("E{n}");
        made.push(
            db.insert_exercise(NewExerciseRecord {
                title: &title,
                ideas: &[i.id],
                participants: &[pm.user.id],
                created_by: Some(pm.user.id),
            })
            .await
            .unwrap()
            .id,
        );
    }
    let pages = walk(2, async |p| db.exercises_of(pm.user.id, &p).await.unwrap()).await;
    let seen: Vec<_> = pages.concat().into_iter().map(|s| s.exercise.id).collect();
    made.reverse();
    assert_eq!(seen, made);
    assert_eq!(pages.len(), 3);
});
