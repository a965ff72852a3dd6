//! Units of work under concurrency, on both databases: workflows that
//! check and write in one transaction cannot be separated by another
//! request. Many ideas joining one board at once, moves, re-areas and
//! merges into one idea all land with distinct ranks; a merge racing an
//! edit leaves either the edit before the merge or a refusal, never an edit
//! to a merged-away idea.

use super::*;
use bearing_testkit::backend_test;
use futures::future::join_all;
use std::collections::HashSet;

/// Every idea on `area`'s board, top first, checking the ranks are distinct.
async fn board_of(app: &App, area: AreaId) -> Vec<Idea> {
    let page = app
        .board(
            area,
            &PageRequest {
                after: None,
                limit: 200,
            },
        )
        .await
        .unwrap();
    let ranks: HashSet<&str> = page
        .items
        .iter()
        .map(|i| i.board_rank.as_deref().expect("a ranked idea"))
        .collect();
    assert_eq!(ranks.len(), page.items.len(), "ranks are distinct");
    page.items
}

fn in_area(title: &str, area: AreaId) -> NewIdea {
    NewIdea {
        area_id: Some(area),
        ..new_idea(title)
    }
}

backend_test!(
    fifty_ideas_created_at_once_all_join_the_board,
    |t| async move {
        let app = app(&t);
        let pat = pm(&t.db).await;
        let area = app.create_area(&pat, new_area("Crowded")).await.unwrap();
        let made = join_all((0..50).map(|i| {
            let (app, pat) = (app.clone(), pat.clone());
            tokio::spawn(async move {
                app.create_idea(&pat, in_area(&format!("Idea {i}"), area.id))
                    .await
            })
        }))
        .await;
        let ids: HashSet<IdeaId> = made
            .into_iter()
            .map(|r| r.unwrap().expect("every create succeeds").id)
            .collect();
        assert_eq!(ids.len(), 50);
        let board = board_of(&app, area.id).await;
        assert_eq!(board.iter().map(|i| i.id).collect::<HashSet<_>>(), ids);
    }
);

backend_test!(concurrent_moves_keep_the_board_whole, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let area = app.create_area(&pat, new_area("Moves")).await.unwrap();
    let mut ideas = Vec::new();
    for i in 0..30 {
        ideas.push(
            app.create_idea(&pat, in_area(&format!("Idea {i:02}"), area.id))
                .await
                .unwrap()
                .id,
        );
    }
    // Twenty ideas sent to the bottom at once: every move lands.
    let moved: Vec<IdeaId> = ideas[..20].to_vec();
    let results = join_all(moved.iter().map(|id| {
        let (app, pat, id) = (app.clone(), pat.clone(), *id);
        tokio::spawn(async move { app.move_idea(&pat, id, None, None).await })
    }))
    .await;
    for r in results {
        r.unwrap().expect("a move to the bottom always lands");
    }
    let board = board_of(&app, area.id).await;
    assert_eq!(board.len(), 30);
    let order: Vec<IdeaId> = board.iter().map(|i| i.id).collect();
    assert_eq!(
        order[..10],
        ideas[20..],
        "the unmoved ten keep the top, in order"
    );
    assert_eq!(
        order[10..].iter().copied().collect::<HashSet<_>>(),
        moved.iter().copied().collect::<HashSet<_>>()
    );
    // Ten moves into the same gap, each with the neighbours it read before
    // any landed: each lands or is told the board changed, never a clash.
    let (a, b) = (order[0], order[1]);
    let results = join_all(order[20..].iter().map(|id| {
        let (app, pat, id) = (app.clone(), pat.clone(), *id);
        tokio::spawn(async move { app.move_idea(&pat, id, Some(a), Some(b)).await })
    }))
    .await;
    let mut landed = 0;
    for r in results {
        match r.unwrap() {
            Ok(_) => landed += 1,
            Err(AppError::Conflict(m)) => assert!(m.contains("board changed"), "{m}"),
            Err(e) => panic!("a stale move must be a conflict, not {e:?}"),
        }
    }
    assert!(landed >= 1);
    let after = board_of(&app, area.id).await;
    assert_eq!(after.len(), 30);
    assert_eq!(after[0].id, a);
});

backend_test!(concurrent_re_areas_join_the_new_board, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let from = app.create_area(&pat, new_area("From")).await.unwrap();
    let to = app.create_area(&pat, new_area("To")).await.unwrap();
    app.create_idea(&pat, in_area("Already there", to.id))
        .await
        .unwrap();
    let mut ideas = Vec::new();
    for i in 0..30 {
        ideas.push(
            app.create_idea(&pat, in_area(&format!("Idea {i}"), from.id))
                .await
                .unwrap()
                .id,
        );
    }
    let results = join_all(ideas.iter().map(|id| {
        let (app, pat, id) = (app.clone(), pat.clone(), *id);
        tokio::spawn(async move {
            let ch = IdeaChanges {
                area_id: Some(to.id),
                ..Default::default()
            };
            app.update_idea(&pat, id, ch).await
        })
    }))
    .await;
    for r in results {
        r.unwrap().expect("every re-area succeeds");
    }
    assert_eq!(board_of(&app, to.id).await.len(), 31);
    assert!(board_of(&app, from.id).await.is_empty());
});

backend_test!(concurrent_merges_into_one_idea_and_back, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let area = app.create_area(&pat, new_area("Dupes")).await.unwrap();
    let survivor = app
        .create_idea(&pat, in_area("Single sign-on", area.id))
        .await
        .unwrap();
    let note = app
        .create_note(&pat, new_note("We need SSO", &[]))
        .await
        .unwrap();
    let mut dupes = Vec::new();
    for i in 0..20 {
        let d = app
            .create_idea(&pat, in_area(&format!("SSO again {i}"), area.id))
            .await
            .unwrap();
        // Every duplicate shares one note: merging keeps one link of it.
        app.link_note(
            &pat,
            note.id,
            LinkRequest {
                idea_id: d.id,
                excerpt: None,
            },
        )
        .await
        .unwrap();
        dupes.push(d.id);
    }
    let merges = join_all(dupes.iter().map(|id| {
        let (app, pat, id) = (app.clone(), pat.clone(), *id);
        tokio::spawn(async move { app.merge_ideas(&pat, id, survivor.id).await })
    }))
    .await;
    let merges: Vec<_> = merges
        .into_iter()
        .map(|r| r.unwrap().expect("every merge succeeds"))
        .collect();
    assert_eq!(board_of(&app, area.id).await.len(), 1);
    // One link to the note survives: the others were duplicates of it.
    assert_eq!(t.db.notes_of_idea(survivor.id, 100).await.unwrap().len(), 1);
    let undone = join_all(merges.iter().map(|m| {
        let (app, pat, id) = (app.clone(), pat.clone(), m.merge.id);
        tokio::spawn(async move { app.unmerge(&pat, id).await })
    }))
    .await;
    for r in undone {
        r.unwrap().expect("every un-merge succeeds");
    }
    assert_eq!(board_of(&app, area.id).await.len(), 21);
    for d in &dupes {
        assert_eq!(t.db.merged_into(*d).await.unwrap(), None);
        assert_eq!(t.db.notes_of_idea(*d, 10).await.unwrap().len(), 1);
    }
});

backend_test!(
    a_merge_racing_an_edit_leaves_a_consistent_state,
    |t| async move {
        let app = app(&t);
        let pat = pm(&t.db).await;
        let (mut edited, mut refused) = (0, 0);
        for round in 0..12 {
            let a = app
                .create_idea(&pat, new_idea(&format!("Survivor {round}")))
                .await
                .unwrap();
            let b = app
                .create_idea(&pat, new_idea(&format!("Duplicate {round}")))
                .await
                .unwrap();
            let edit = {
                let (app, pat) = (app.clone(), pat.clone());
                tokio::spawn(async move {
                    let ch = IdeaChanges {
                        title: Some("Edited".into()),
                        ..Default::default()
                    };
                    app.update_idea(&pat, b.id, ch).await
                })
            };
            let merge = {
                let (app, pat) = (app.clone(), pat.clone());
                tokio::spawn(async move { app.merge_ideas(&pat, b.id, a.id).await })
            };
            let (edit, merge) = (edit.await.unwrap(), merge.await.unwrap());
            merge.expect("the merge always lands");
            assert_eq!(t.db.merged_into(b.id).await.unwrap(), Some(a.id));
            let stored = t.db.idea(b.id).await.unwrap();
            let log: Vec<String> =
                t.db.activity_of(b.id.0, 10)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|x| x.action)
                    .collect();
            match edit {
                // The edit committed first: it is kept, and logged before the merge.
                Ok(_) => {
                    edited += 1;
                    assert_eq!(stored.title, "Edited");
                    assert_eq!(log, ["merged", "updated", "created"]);
                }
                // The merge committed first: the edit is refused, naming the survivor.
                Err(AppError::Invalid(v)) => {
                    refused += 1;
                    assert!(v.message.contains(&a.id.to_string()), "{v}");
                    assert_eq!(stored.title, format!("Duplicate {round}"));
                    assert_eq!(log, ["merged", "created"]);
                }
                Err(e) => panic!("an edit racing a merge: {e:?}"),
            }
        }
        assert_eq!(edited + refused, 12);
    }
);
