//! Prioritisation sessions through the app and the store: budgets enforced
//! by the database (also under concurrency), refusals and their messages,
//! exclusions, taking votes back, closing and the tallies behind the matrix.

use super::*;
use bearing_app::AppError;
use bearing_app::sessions::{EXCLUDED_MESSAGE, NewSession};
use bearing_domain::prioritisation::session::{Budget, PrioSessionId, PrioState, SessionRefusal};
use bearing_testkit::backend_test;

fn session_input(participants: Vec<UserId>, limits: (u32, u32, u32)) -> NewSession {
    NewSession {
        title: "Q3 planning".into(),
        milestone: "17.3".into(),
        participants,
        max_nominations: Some(limits.0),
        importance_votes: Some(limits.1),
        feasibility_votes: Some(limits.2),
    }
}

fn sid(v: &bearing_app::sessions::SessionView) -> PrioSessionId {
    v.id
}

#[track_caller]
fn assert_invalid<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str, message: &str) {
    match r {
        Err(AppError::Invalid(v)) => {
            assert_eq!(v.field, field);
            assert_eq!(v.message, message);
        }
        other => panic!("expected Invalid({field}), got {other:?}"),
    }
}

backend_test!(nominate_vote_close_and_tally, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let cas = user(&t.db, "Cas Contributor", Role::Contributor).await;
    let stranger = user(&t.db, "Sam Stranger", Role::Pm).await;
    let a = t.db.insert_idea(new_idea("SAML SSO"), None).await.unwrap();
    let b = t.db.insert_idea(new_idea("Dark mode"), None).await.unwrap();
    let c =
        t.db.insert_idea(new_idea("CSV export"), None)
            .await
            .unwrap();

    let s = app
        .create_session(&pat, session_input(vec![cas.user.id], (2, 3, 2)))
        .await
        .unwrap();
    assert_eq!(s.state, "open");
    assert_eq!(s.facilitator_id, Some(pat.user.id));
    assert_eq!(s.facilitator_name.as_deref(), Some("Pat PM"));
    let id = sid(&s);
    let parts = t.db.prio_participants(id).await.unwrap();
    assert_eq!(parts.len(), 2, "facilitator takes part too");

    app.nominate(&pat, id, a.id).await.unwrap();
    app.nominate(&cas, id, b.id).await.unwrap();
    // Someone else's nomination cannot be repeated.
    match app.nominate(&cas, id, a.id).await {
        Err(AppError::Conflict(m)) => assert!(m.contains("already nominated"), "{m}"),
        other => panic!("expected Conflict, got {other:?}"),
    }
    app.nominate(&pat, id, c.id).await.unwrap();
    let d = t.db.insert_idea(new_idea("Webhooks"), None).await.unwrap();
    assert_invalid(
        app.nominate(&pat, id, d.id).await,
        "idea_id",
        "you have already nominated 2 ideas, the most this session allows",
    );
    // The refused duplicate did not use up Cas's nomination.
    let cas_row =
        t.db.prio_participants(id)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.user_id == cas.user.id)
            .unwrap();
    assert_eq!(cas_row.nominations_used, 1);
    match app.nominate(&stranger, id, d.id).await {
        Err(AppError::Forbidden(m)) => assert!(m.contains("not a participant"), "{m}"),
        other => panic!("expected Forbidden, got {other:?}"),
    }

    for _ in 0..3 {
        app.vote(&pat, id, a.id, VoteKind::Importance)
            .await
            .unwrap();
    }
    assert_invalid(
        app.vote(&pat, id, b.id, VoteKind::Importance).await,
        "kind",
        "you have used all 3 importance votes",
    );
    app.vote(&pat, id, b.id, VoteKind::Feasibility)
        .await
        .unwrap();
    app.vote(&cas, id, b.id, VoteKind::Feasibility)
        .await
        .unwrap();
    app.vote(&cas, id, b.id, VoteKind::Feasibility)
        .await
        .unwrap();
    app.vote(&cas, id, c.id, VoteKind::Importance)
        .await
        .unwrap();
    assert_invalid(
        app.vote(&cas, id, d.id, VoteKind::Importance).await,
        "idea_id",
        "that idea is not nominated in this session; nominate it first",
    );

    // Open: no results, my budgets and my votes only.
    let detail = app.session_detail(&cas, id).await.unwrap();
    assert!(detail.results.is_none());
    assert!(!detail.can_close);
    let me = detail.me.unwrap();
    assert_eq!((me.importance_left, me.feasibility_left), (2, 0));
    assert_eq!(detail.my_votes.len(), 3);
    assert!(detail.my_votes.iter().all(|v| v.idea_id != a.id));
    assert_eq!(
        detail
            .nominations
            .iter()
            .map(|n| n.title.as_str())
            .collect::<Vec<_>>(),
        ["CSV export", "Dark mode", "SAML SSO"]
    );
    assert!(matches!(
        app.session_matrix(id).await,
        Err(AppError::Conflict(_))
    ));

    // Only the facilitator (or an admin) closes.
    assert!(matches!(
        app.close_session(&cas, id).await,
        Err(AppError::Forbidden(_))
    ));
    let closed = app.close_session(&pat, id).await.unwrap();
    assert_eq!(closed.session.state, "closed");
    assert!(closed.session.closed_at.is_some());
    let results = closed.results.unwrap();
    let row = |idea: IdeaId| results.iter().find(|r| r.idea_id == idea).unwrap();
    assert_eq!(
        (row(a.id).point.importance, row(a.id).point.feasibility),
        (3, 0)
    );
    assert_eq!(
        (row(b.id).point.importance, row(b.id).point.feasibility),
        (0, 3)
    );
    assert_eq!(
        (row(c.id).point.importance, row(c.id).point.feasibility),
        (1, 0)
    );
    assert_eq!(row(a.id).point.quadrant, Quadrant::BigBets);
    assert_eq!(row(b.id).point.quadrant, Quadrant::QuickWins);
    assert_eq!(row(c.id).point.quadrant, Quadrant::Reconsider);
    assert_eq!(results[0].title, "SAML SSO", "most important first");
    let matrix = app.session_matrix(id).await.unwrap();
    assert_eq!(matrix.len(), 3);

    // Closed means final.
    assert!(matches!(
        app.vote(&cas, id, c.id, VoteKind::Importance).await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        app.nominate(&cas, id, d.id).await,
        Err(AppError::Conflict(_))
    ));
    assert!(matches!(
        app.close_session(&pat, id).await,
        Err(AppError::Conflict(_))
    ));
    assert_eq!(
        t.db.prio_session(id).await.unwrap().state,
        PrioState::Closed
    );
    let history = t.db.activity_of(id.0, 10).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|a| a.action.as_str()).collect();
    assert!(actions.contains(&"created") && actions.contains(&"closed"));
});

backend_test!(creating_checks_limits_people_and_role, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let viewer = user(&t.db, "Vic Viewer", Role::Viewer).await;
    let cas = user(&t.db, "Cas Contributor", Role::Contributor).await;
    assert!(matches!(
        app.create_session(&cas, session_input(vec![], (5, 5, 5)))
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert_invalid(
        app.create_session(&pat, session_input(vec![], (5, 0, 5)))
            .await,
        "importance_votes",
        "importance_votes must be from 1 to 50, not 0",
    );
    assert_invalid(
        app.create_session(&pat, session_input(vec![], (51, 5, 5)))
            .await,
        "max_nominations",
        "max_nominations must be from 1 to 50, not 51",
    );
    assert_invalid(
        app.create_session(&pat, session_input(vec![viewer.user.id], (5, 5, 5)))
            .await,
        "participants",
        "Vic Viewer is a viewer and cannot vote",
    );
    let stranger = UserId::new();
    assert_invalid(
        app.create_session(&pat, session_input(vec![stranger], (5, 5, 5)))
            .await,
        "participants",
        &format!("no user with id {stranger}"),
    );
    let mut blank = session_input(vec![], (5, 5, 5));
    blank.title = "  ".into();
    assert!(matches!(
        app.create_session(&pat, blank).await,
        Err(AppError::Invalid(v)) if v.field == "title"
    ));
    let defaults = NewSession {
        title: "Defaults".into(),
        milestone: "M1".into(),
        participants: vec![pat.user.id, pat.user.id],
        ..Default::default()
    };
    let s = app.create_session(&pat, defaults).await.unwrap();
    assert_eq!(s.limits, SessionLimits::default());
    assert_eq!(t.db.prio_participants(sid(&s)).await.unwrap().len(), 1);
    let list = app.sessions(&pat).await.unwrap();
    assert_eq!(list.len(), 1);
    assert!(list[0].participating);
    assert!(!app.sessions(&cas).await.unwrap()[0].participating);
});

backend_test!(
    security_and_availability_items_are_excluded,
    |t| async move {
        let app = app(&t);
        let pat = pm(&t.db).await;
        let mut sec = new_idea("Rotate signing keys");
        sec.labels = vec!["type::security".into()];
        let sec = t.db.insert_idea(sec, None).await.unwrap();
        let mut avail = new_idea("Multi-region failover");
        avail.labels = vec!["availability".into()];
        let avail = t.db.insert_idea(avail, None).await.unwrap();
        let ok =
            t.db.insert_idea(new_idea("Saved views"), None)
                .await
                .unwrap();
        let s = app
            .create_session(&pat, session_input(vec![], (5, 5, 5)))
            .await
            .unwrap();
        let id = sid(&s);
        for idea in [sec.id, avail.id] {
            assert_invalid(
                app.nominate(&pat, id, idea).await,
                "idea_id",
                EXCLUDED_MESSAGE,
            );
        }
        assert_invalid(
            app.nominate(&pat, id, IdeaId::new()).await,
            "idea_id",
            "no idea with that id",
        );
        let offered = app.nominatable_ideas(id).await.unwrap();
        assert_eq!(offered, vec![(ok.id, "Saved views".to_string())]);
        app.nominate(&pat, id, ok.id).await.unwrap();
        assert!(app.nominatable_ideas(id).await.unwrap().is_empty());
        let parts = t.db.prio_participants(id).await.unwrap();
        assert_eq!(parts[0].nominations_used, 1, "refusals spend nothing");
    }
);

backend_test!(votes_can_be_taken_back_while_open, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let other = user(&t.db, "Olly Other", Role::Pm).await;
    let a = t.db.insert_idea(new_idea("Audit log"), None).await.unwrap();
    let s = app
        .create_session(&pat, session_input(vec![other.user.id], (5, 2, 2)))
        .await
        .unwrap();
    let id = sid(&s);
    app.nominate(&pat, id, a.id).await.unwrap();
    let v1 = app
        .vote(&pat, id, a.id, VoteKind::Importance)
        .await
        .unwrap();
    app.vote(&pat, id, a.id, VoteKind::Importance)
        .await
        .unwrap();
    assert!(
        app.vote(&pat, id, a.id, VoteKind::Importance)
            .await
            .is_err()
    );
    // Someone else's vote is not yours to take back.
    assert!(matches!(
        app.retract_vote(&other, id, v1.id).await,
        Err(AppError::NotFound(_))
    ));
    app.retract_vote(&pat, id, v1.id).await.unwrap();
    assert!(matches!(
        app.retract_vote(&pat, id, v1.id).await,
        Err(AppError::NotFound(_))
    ));
    let v3 = app
        .vote(&pat, id, a.id, VoteKind::Importance)
        .await
        .unwrap();
    let me = app.session_detail(&pat, id).await.unwrap().me.unwrap();
    assert_eq!((me.importance_used, me.importance_left), (2, 0));
    app.close_session(&pat, id).await.unwrap();
    assert!(matches!(
        app.retract_vote(&pat, id, v3.id).await,
        Err(AppError::Conflict(_))
    ));
    assert_eq!(t.db.prio_tallies(id).await.unwrap()[0].importance, 2);
});

backend_test!(parallel_votes_never_exceed_the_budget, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let a = t.db.insert_idea(new_idea("Bulk edit"), None).await.unwrap();
    let b =
        t.db.insert_idea(new_idea("Slack alerts"), None)
            .await
            .unwrap();
    let s = app
        .create_session(&pat, session_input(vec![], (5, 5, 5)))
        .await
        .unwrap();
    let id = sid(&s);
    app.nominate(&pat, id, a.id).await.unwrap();
    app.nominate(&pat, id, b.id).await.unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let app = app.clone();
            let pat = pat.clone();
            let idea = if i % 2 == 0 { a.id } else { b.id };
            tokio::spawn(async move { app.vote(&pat, id, idea, VoteKind::Importance).await })
        })
        .collect();
    let mut cast = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => cast += 1,
            Err(e) => assert_eq!(
                format!("{e:?}"),
                format!(
                    "{:?}",
                    AppError::refused(&SessionRefusal::LimitReached {
                        budget: Budget::Votes(VoteKind::Importance),
                        allowed: 5
                    })
                )
            ),
        }
    }
    assert_eq!(cast, 5);
    let tallies = t.db.prio_tallies(id).await.unwrap();
    assert_eq!(tallies.iter().map(|t| t.importance).sum::<u32>(), 5);
    let me = &t.db.prio_participants(id).await.unwrap()[0];
    assert_eq!(me.importance_used, 5);
    assert_eq!(t.db.prio_votes_of(id, pat.user.id).await.unwrap().len(), 5);
});
