//! Merging ideas through the app and the store: everything moves to the
//! survivor with duplicates collapsed, refusals, the 30-day un-merge window,
//! activity on both ideas, and an un-merge that restores every row. The
//! property test drives random links, votes, followers and comments between
//! three ideas (seeded, so a failure names its seed) and checks the count
//! invariants: distinct links and followers are the union, votes are
//! preserved exactly, and un-merging gives back the pre-merge state.

use super::*;
use bearing_app::AppError;
use bearing_app::exercises::NewExercise;
use bearing_app::sessions::NewSession;
use bearing_domain::prioritisation::exercise::ExerciseId;
use bearing_domain::prioritisation::session::PrioSessionId;
use bearing_domain::search::{SearchFilter, SearchKind};
use bearing_testkit::backend_test;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;

const DAY: i64 = 86_400_000;

/// Everything about one idea that a merge moves, in comparable form.
#[derive(Debug, PartialEq)]
struct Snapshot {
    notes: BTreeSet<NoteId>,
    comments: BTreeSet<CommentId>,
    followers: BTreeSet<UserId>,
    labels: Vec<String>,
    rice: Option<Rice>,
    effort_months: Option<f64>,
    votes: (u32, u32),
    nominated: bool,
    in_exercise: bool,
    scorecards: BTreeSet<UserId>,
    on_board: bool,
    demand: f64,
}

async fn snapshot(
    db: &Db,
    idea: IdeaId,
    session: Option<PrioSessionId>,
    exercise: Option<ExerciseId>,
) -> Snapshot {
    let i = db.idea(idea).await.unwrap();
    let (votes, nominated) = match session {
        Some(s) => {
            let t = db
                .prio_tallies(s)
                .await
                .unwrap()
                .into_iter()
                .find(|t| t.idea_id == idea.0);
            let n = db
                .prio_nominations(s)
                .await
                .unwrap()
                .iter()
                .any(|n| n.idea_id == idea);
            (t.map_or((0, 0), |t| (t.importance, t.feasibility)), n)
        }
        None => ((0, 0), false),
    };
    let (in_exercise, scorecards) = match exercise {
        Some(e) => (
            db.exercise_ideas(e).await.unwrap().contains(&idea),
            db.exercise_scorecards(e)
                .await
                .unwrap()
                .into_iter()
                .filter(|c| c.idea_id == idea)
                .map(|c| c.user_id)
                .collect(),
        ),
        None => (false, BTreeSet::new()),
    };
    Snapshot {
        notes: db
            .notes_of_idea(idea, 1000)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, n)| n.id)
            .collect(),
        comments: db
            .comments_of(idea, 1000)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect(),
        followers: db.followers_of(idea).await.unwrap().into_iter().collect(),
        labels: i.labels,
        rice: i.rice,
        effort_months: i.effort_months,
        votes,
        nominated,
        in_exercise,
        scorecards,
        on_board: i.board_rank.is_some(),
        demand: i.demand_score,
    }
}

/// The ids of the ideas a search for `q` finds, best first.
async fn idea_hits(app: &App, q: &str) -> Vec<uuid::Uuid> {
    let f = SearchFilter {
        kind: Some(SearchKind::Idea),
        ..SearchFilter::default()
    };
    let page = app.search(q, &f, None, None).await.unwrap();
    page.items.into_iter().map(|h| h.id).collect()
}

fn link(idea: IdeaId) -> LinkRequest {
    LinkRequest {
        idea_id: idea,
        excerpt: None,
    }
}

fn comment(body: &str) -> NewComment {
    NewComment { body: body.into() }
}

fn session_input(participants: Vec<UserId>) -> NewSession {
    NewSession {
        title: "Merge test".into(),
        milestone: "1.0".into(),
        participants,
        max_nominations: Some(5),
        importance_votes: Some(10),
        feasibility_votes: Some(10),
    }
}

fn rice(reach: f64) -> RiceInput {
    RiceInput {
        reach,
        impact: 1.0,
        confidence: 0.8,
        effort_months: 2.0,
    }
}

#[track_caller]
fn assert_conflict<T: std::fmt::Debug>(r: Result<T, AppError>, needle: &str) {
    match r {
        Err(AppError::Conflict(m)) => assert!(m.contains(needle), "{m}"),
        other => panic!("expected Conflict({needle}), got {other:?}"),
    }
}

#[track_caller]
fn assert_invalid<T: std::fmt::Debug>(r: Result<T, AppError>, field: &str) {
    match r {
        Err(AppError::Invalid(v)) => assert_eq!(v.field, field, "{v:?}"),
        other => panic!("expected Invalid({field}), got {other:?}"),
    }
}

backend_test!(
    merge_moves_everything_and_unmerge_restores_it,
    |t| async move {
        let app = app(&t);
        let pat = pm(&t.db).await;
        let cas = user(&t.db, "Cas Contributor", Role::Contributor).await;
        let dee = user(&t.db, "Dee Designer", Role::Contributor).await;
        let area = t.db.insert_area(new_area("Identity"), None).await.unwrap();
        let mut ia = new_idea("SAML SSO");
        ia.area_id = Some(area.id);
        ia.labels = vec!["customer".into()];
        let mut ib = new_idea("Single sign-on with SAML");
        ib.area_id = Some(area.id);
        ib.labels = vec!["customer".into(), "direction".into()];
        let a = t.db.insert_idea(ia, None).await.unwrap();
        let b = t.db.insert_idea(ib, None).await.unwrap();
        let c = t.db.insert_idea(new_idea("Unrelated"), None).await.unwrap();
        app.score_idea(&pat, b.id, rice(3.0)).await.unwrap();

        let n1 = insert_note(&t.db, new_note("both", &[]), None).await;
        let n2 = insert_note(&t.db, new_note("only b", &[]), None).await;
        let n3 = insert_note(&t.db, new_note("only a", &[]), None).await;
        app.link_note(&pat, n1.id, link(a.id)).await.unwrap();
        app.link_note(&pat, n1.id, link(b.id)).await.unwrap();
        app.link_note(&pat, n2.id, link(b.id)).await.unwrap();
        app.link_note(&pat, n3.id, link(a.id)).await.unwrap();
        app.comment(&cas, a.id, comment("on a")).await.unwrap();
        app.comment(&cas, b.id, comment("on b")).await.unwrap();
        app.follow(&dee, b.id, true).await.unwrap();

        let s = app
            .create_session(&pat, session_input(vec![cas.user.id]))
            .await
            .unwrap();
        let sid = s.id;
        app.nominate(&pat, sid, a.id).await.unwrap();
        app.nominate(&cas, sid, b.id).await.unwrap();
        app.vote(&pat, sid, a.id, VoteKind::Importance)
            .await
            .unwrap();
        app.vote(&pat, sid, b.id, VoteKind::Importance)
            .await
            .unwrap();
        app.vote(&cas, sid, b.id, VoteKind::Feasibility)
            .await
            .unwrap();
        app.vote(&cas, sid, b.id, VoteKind::Importance)
            .await
            .unwrap();

        let e = app
            .open_exercise(
                &pat,
                NewExercise {
                    title: "Q3".into(),
                    idea_ids: vec![a.id, b.id],
                    participant_ids: vec![cas.user.id],
                },
            )
            .await
            .unwrap();
        app.save_exercise_score(&pat, e.id, a.id, rice(10.0))
            .await
            .unwrap();
        app.save_exercise_score(&pat, e.id, b.id, rice(6.0))
            .await
            .unwrap();
        app.save_exercise_score(&cas, e.id, b.id, rice(1.5))
            .await
            .unwrap();

        let (sid, eid) = (Some(sid), Some(e.id));
        let before_a = snapshot(&t.db, a.id, sid, eid).await;
        let before_b = snapshot(&t.db, b.id, sid, eid).await;
        assert!(before_b.on_board && before_b.rice.is_some() && before_a.rice.is_none());

        // Refusals before anything moves.
        assert_invalid(app.merge_ideas(&pat, a.id, a.id).await, "into");
        match app.merge_ideas(&cas, b.id, a.id).await {
            Err(AppError::Forbidden(_)) => {}
            other => panic!("contributors cannot merge: {other:?}"),
        }
        assert_invalid(app.merge_ideas(&pat, b.id, IdeaId::new()).await, "into");

        let m = app.merge_ideas(&pat, b.id, a.id).await.unwrap();
        assert_eq!(m.merge.survivor_id, a.id);
        assert!(m.can_unmerge);
        assert_eq!(
            m.merge.ledger.dropped_count("links"),
            1,
            "n1 was linked to both"
        );
        assert_eq!(m.merged_title, "Single sign-on with SAML");

        let after_a = snapshot(&t.db, a.id, sid, eid).await;
        let after_b = snapshot(&t.db, b.id, sid, eid).await;
        assert_eq!(after_a.notes, [n1.id, n2.id, n3.id].into_iter().collect());
        assert!(after_b.notes.is_empty());
        assert_eq!(
            after_a.comments,
            before_a
                .comments
                .union(&before_b.comments)
                .copied()
                .collect()
        );
        assert!(after_b.comments.is_empty());
        assert_eq!(
            after_a.followers,
            [cas.user.id, dee.user.id].into_iter().collect()
        );
        assert_eq!(after_a.labels, ["customer", "direction"]);
        assert_eq!(
            after_a.rice, before_b.rice,
            "A had no RICE, so it takes B's"
        );
        assert_eq!(after_a.votes, (3, 1), "every vote moves");
        assert!(after_a.nominated && !after_b.nominated);
        assert!(after_a.in_exercise && !after_b.in_exercise);
        assert_eq!(
            after_a.scorecards,
            [pat.user.id, cas.user.id].into_iter().collect(),
            "A keeps Pat's own card; Cas's moves over"
        );
        assert!(!after_b.on_board, "B leaves its board");
        // ...and stays off it: viewing the board ranks unranked ideas, but
        // not merged-away ones; nor is B suggested as a similar idea.
        let board = app
            .board(
                area.id,
                &PageRequest {
                    after: None,
                    limit: 50,
                },
            )
            .await
            .unwrap();
        assert_eq!(board.items.iter().map(|i| i.id).collect::<Vec<_>>(), [a.id]);
        assert!(t.db.idea(b.id).await.unwrap().board_rank.is_none());
        let similar = app
            .similar_ideas("Single sign-on with SAML", None, &[], 5)
            .await
            .unwrap();
        assert!(similar.iter().any(|s| s.id == a.id), "{similar:?}");
        assert!(similar.iter().all(|s| s.id != b.id), "{similar:?}");
        // Search finds the survivor, not the merged-away idea.
        assert_eq!(idea_hits(&app, "SAML").await, [a.id.0]);
        assert!(after_a.demand >= before_a.demand);
        assert_eq!(after_b.demand, 0.0);
        assert_eq!(app.merged_into(b.id).await.unwrap(), Some(a.id));
        assert_eq!(app.merged_into(a.id).await.unwrap(), None);
        let listed = app
            .list_ideas(
                &IdeaFilter::default(),
                IdeaSort::Newest,
                &PageRequest {
                    after: None,
                    limit: 50,
                },
            )
            .await
            .unwrap();
        assert!(listed.items.iter().all(|r| r.idea.id != b.id));
        assert_eq!(listed.items.len(), 2);
        for id in [a.id, b.id] {
            let log = t.db.activity_of(id.0, 10).await.unwrap();
            assert_eq!(log[0].action, "merged", "{id}: {log:?}");
            assert_eq!(
                log[0].after.as_ref().unwrap()["merge_id"],
                m.merge.id.to_string()
            );
        }

        // Merges of or into a merged-away idea are refused.
        assert_conflict(app.merge_ideas(&pat, b.id, a.id).await, "already merged");
        assert_invalid(app.merge_ideas(&pat, c.id, b.id).await, "into");
        assert_eq!(app.merges_into(a.id).await.unwrap().len(), 1);

        let u = app.unmerge(&pat, m.merge.id).await.unwrap();
        assert!(u.merge.unmerged_at.is_some() && !u.can_unmerge);
        assert_eq!(snapshot(&t.db, a.id, sid, eid).await, before_a);
        assert_eq!(snapshot(&t.db, b.id, sid, eid).await, before_b);
        assert_eq!(app.merged_into(b.id).await.unwrap(), None);
        let mut found = idea_hits(&app, "SAML").await;
        found.sort();
        let mut both = vec![a.id.0, b.id.0];
        both.sort();
        assert_eq!(found, both, "un-merged, B is found again");
        for id in [a.id, b.id] {
            assert_eq!(
                t.db.activity_of(id.0, 1).await.unwrap()[0].action,
                "unmerged"
            );
        }
        assert_conflict(app.unmerge(&pat, m.merge.id).await, "already undone");
    }
);

backend_test!(unmerge_is_refused_after_thirty_days, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let a = t.db.insert_idea(new_idea("A"), None).await.unwrap();
    let b = t.db.insert_idea(new_idea("B"), None).await.unwrap();
    let c = t.db.insert_idea(new_idea("C"), None).await.unwrap();
    let now = Timestamp::now();
    let m = app.merge_ideas_at(&pat, b.id, a.id, now).await.unwrap();
    assert_eq!(m.unmerge_until, Timestamp(now.0 + 30 * DAY));
    assert_conflict(
        app.unmerge_at(&pat, m.merge.id, Timestamp(now.0 + 31 * DAY))
            .await,
        "within 30 days",
    );
    // A survivor merged away itself must be un-merged first.
    let m2 = app.merge_ideas_at(&pat, a.id, c.id, now).await.unwrap();
    assert_eq!(
        app.merged_into(b.id).await.unwrap(),
        Some(c.id),
        "chains resolve"
    );
    assert_conflict(
        app.unmerge_at(&pat, m.merge.id, now).await,
        "undo that merge first",
    );
    app.unmerge_at(&pat, m2.merge.id, Timestamp(now.0 + 29 * DAY))
        .await
        .unwrap();
    app.unmerge_at(&pat, m.merge.id, Timestamp(now.0 + 29 * DAY))
        .await
        .unwrap();
    assert_eq!(app.merged_into(b.id).await.unwrap(), None);
    match app
        .unmerge(&pat, bearing_domain::merge::MergeId::new())
        .await
    {
        Err(AppError::NotFound(what)) => assert_eq!(what, "merge"),
        other => panic!("expected NotFound, got {other:?}"),
    }
});

/// One random case: three ideas, a handful of notes, users, votes,
/// follows and comments between them; merge B (and sometimes C) into A,
/// check the invariants, un-merge in a random order, check everything is back.
async fn random_case(t: &TestDb, seed: u64) -> (usize, u32) {
    let mut rng = StdRng::seed_from_u64(seed);
    let app = app(t);
    let pat = pm_named(&t.db, seed).await;
    let mut people = vec![pat.clone()];
    for i in 0..3 {
        people.push(user(&t.db, &format!("P{seed} {i}"), Role::Contributor).await);
    }
    let mut ideas = Vec::new();
    for n in ["A", "B", "C"] {
        let mut i = new_idea(&format!("{n} {seed}"));
        i.labels = ["x", "y", "z"]
            .iter()
            .filter(|_| rng.random_bool(0.4))
            .map(|l| l.to_string())
            .collect();
        ideas.push(t.db.insert_idea(i, None).await.unwrap().id);
    }
    for _ in 0..rng.random_range(0..6) {
        let note = insert_note(&t.db, new_note(&format!("n{seed}"), &[]), None).await;
        for &i in &ideas {
            if rng.random_bool(0.5) {
                app.link_note(&pat, note.id, link(i)).await.unwrap();
            }
        }
    }
    for p in &people {
        for &i in &ideas {
            if rng.random_bool(0.4) {
                app.follow(p, i, true).await.unwrap();
            }
            if rng.random_bool(0.2) {
                app.comment(p, i, comment("hm")).await.unwrap();
            }
        }
    }
    let s = app
        .create_session(
            &pat,
            session_input(people.iter().skip(1).map(|p| p.user.id).collect()),
        )
        .await
        .unwrap();
    let sid = s.id;
    let mut nominated = Vec::new();
    for &i in &ideas {
        if rng.random_bool(0.7) {
            app.nominate(&pat, sid, i).await.unwrap();
            nominated.push(i);
        }
    }
    if !nominated.is_empty() {
        for p in &people {
            for _ in 0..rng.random_range(0..4) {
                let i = nominated[rng.random_range(0..nominated.len())];
                let kind = if rng.random_bool(0.5) {
                    VoteKind::Importance
                } else {
                    VoteKind::Feasibility
                };
                app.vote(p, sid, i, kind).await.unwrap();
            }
        }
    }
    let (a, b, c) = (ideas[0], ideas[1], ideas[2]);
    let before: Vec<Snapshot> = {
        let mut v = Vec::new();
        for &i in &ideas {
            v.push(snapshot(&t.db, i, Some(sid), None).await);
        }
        v
    };
    let total_votes = |v: &[Snapshot]| v.iter().map(|s| s.votes.0 + s.votes.1).sum::<u32>();

    let also_c = rng.random_bool(0.5);
    let mut merges = vec![app.merge_ideas(&pat, b, a).await.unwrap().merge.id];
    let mut absorbed = vec![&before[1]];
    if also_c {
        merges.push(app.merge_ideas(&pat, c, a).await.unwrap().merge.id);
        absorbed.push(&before[2]);
    }
    let mut after = Vec::new();
    for &i in &ideas {
        after.push(snapshot(&t.db, i, Some(sid), None).await);
    }
    let union = |f: fn(&Snapshot) -> &BTreeSet<_>| -> usize {
        let mut u: BTreeSet<_> = f(&before[0]).clone();
        for s in &absorbed {
            u.extend(f(s).iter().copied());
        }
        u.len()
    };
    assert_eq!(
        after[0].notes.len(),
        union(|s| &s.notes),
        "seed {seed}: links are the union"
    );
    assert_eq!(after[0].followers.len(), {
        let mut u = before[0].followers.clone();
        for s in &absorbed {
            u.extend(s.followers.iter().copied());
        }
        u.len()
    });
    assert_eq!(
        total_votes(&after),
        total_votes(&before),
        "seed {seed}: votes are preserved"
    );
    let absorbed_votes: u32 = absorbed.iter().map(|s| s.votes.0 + s.votes.1).sum();
    assert_eq!(
        after[0].votes.0 + after[0].votes.1,
        before[0].votes.0 + before[0].votes.1 + absorbed_votes,
        "seed {seed}"
    );
    let comments: usize = before.iter().map(|s| s.comments.len()).sum();
    assert_eq!(
        after.iter().map(|s| s.comments.len()).sum::<usize>(),
        comments
    );
    for (i, s) in after.iter().enumerate().skip(1) {
        if i == 1 || also_c {
            assert!(
                s.notes.is_empty() && s.followers.is_empty() && s.votes == (0, 0),
                "seed {seed}: merged-away idea {i} keeps nothing: {s:?}"
            );
        } else {
            assert_eq!(s, &before[i], "seed {seed}: C was not merged");
        }
    }

    if rng.random_bool(0.5) {
        merges.reverse();
    }
    for m in merges {
        app.unmerge(&pat, m).await.unwrap();
    }
    for (i, &id) in ideas.iter().enumerate() {
        assert_eq!(
            snapshot(&t.db, id, Some(sid), None).await,
            before[i],
            "seed {seed}: idea {i} after un-merge"
        );
    }
    (
        before.iter().map(|s| s.notes.len()).sum(),
        total_votes(&before),
    )
}

async fn pm_named(db: &Db, seed: u64) -> bearing_app::Actor {
    user(db, &format!("PM {seed}"), Role::Pm).await
}

backend_test!(
    merge_preserves_link_and_vote_counts_over_random_cases,
    |t| async move {
        let (mut links, mut votes) = (0, 0);
        for seed in 0..16 {
            let (l, v) = random_case(&t, seed).await;
            links += l;
            votes += v;
        }
        assert!(
            links > 16 && votes > 16,
            "the cases exercise something: {links} links, {votes} votes"
        );
    }
);

backend_test!(
    every_column_referencing_ideas_is_in_the_merge_registry,
    |t| async move {
        use bearing_store::idea_refs::{IDEA_REFERENCES, OnMerge};
        let schema = bearing_testkit::schema::describe(&t.db).await.unwrap();
        let in_schema: BTreeSet<(String, String)> = schema
            .foreign_keys
            .iter()
            .filter(|f| f.ref_table == "ideas")
            .map(|f| (f.table.clone(), f.column.clone()))
            .collect();
        let registered: BTreeSet<(String, String)> = IDEA_REFERENCES
            .iter()
            .map(|r| (r.table.to_string(), r.column.to_string()))
            .collect();
        assert!(in_schema.len() >= 11, "the schema read found {in_schema:?}");
        let missing: Vec<_> = in_schema.difference(&registered).collect();
        assert!(
            missing.is_empty(),
            "these columns reference ideas but are not in bearing_store::idea_refs::IDEA_REFERENCES, \
         so merge and un-merge would leave their rows behind: {missing:?}"
        );
        let stale: Vec<_> = registered.difference(&in_schema).collect();
        assert!(
            stale.is_empty(),
            "registered but not in the schema: {stale:?}"
        );
        // A moved table's declared columns are all of its columns, so an
        // un-merge re-creates a dropped row whole.
        for r in IDEA_REFERENCES {
            let OnMerge::Move {
                columns,
                key,
                unique_with,
            } = r.on_merge
            else {
                continue;
            };
            let mut actual: Vec<&str> = schema
                .columns
                .iter()
                .filter(|c| c.table == r.table && c.name != r.column)
                .map(|c| c.name.as_str())
                .collect();
            let mut declared: Vec<&str> = columns.iter().map(|c| c.name).collect();
            actual.sort();
            declared.sort();
            assert_eq!(declared, actual, "{}: declared columns", r.table);
            for k in key.iter().chain(unique_with) {
                assert!(
                    declared.contains(k),
                    "{}: {k} is not a declared column",
                    r.table
                );
            }
        }
    }
);
