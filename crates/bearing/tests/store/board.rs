//! The ranked board in storage: random moves through `move_on_board` keep a
//! total order that matches a model list, with unique ranks, on both
//! backends. (The pure rank rule is property-tested over 100,000 moves of
//! 10,000 items in `bearing-domain`; here the point is the storage path.)

use crate::store::Seed;
use bearing_domain::*;
use bearing_testkit::backend_test;
use rand::{Rng, SeedableRng};

backend_test!(random_moves_keep_a_stable_total_order, |t| async move {
    let db = &t.db;
    let area = db
        .insert_area(crate::store::new_area("Board"), None)
        .await
        .unwrap();
    let mut model: Vec<IdeaId> = Vec::new();
    for k in 0..60 {
        let idea = NewIdea {
            title: format!("idea {k}"),
            problem: "p".into(),
            proposal: String::new(),
            area_id: Some(area.id),
            owner_id: None,
            status: IdeaStatus::New,
            effort_months: None,
            timeframe: None,
            due_date: None,
            labels: vec![],
            tracker_links: vec![],
        };
        model.push(db.insert_idea(idea, None).await.unwrap().id);
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for _ in 0..400 {
        let from = rng.random_range(0..model.len());
        let id = model.remove(from);
        let to = rng.random_range(0..=model.len());
        let after = to.checked_sub(1).map(|i| model[i]);
        let before = model.get(to).copied();
        model.insert(to, id);
        db.move_on_board(id, after, before, None).await.unwrap();
    }
    let page = db
        .board(
            area.id,
            &PageRequest {
                after: None,
                limit: 200,
            },
        )
        .await
        .unwrap();
    let stored: Vec<IdeaId> = page.items.iter().map(|i| i.id).collect();
    assert_eq!(stored, model, "the board order is the model order");
    let mut ranks: Vec<String> = page
        .items
        .iter()
        .map(|i| i.board_rank.clone().unwrap())
        .collect();
    assert!(
        ranks.windows(2).all(|w| w[0] < w[1]),
        "ranks strictly increase (no collisions)"
    );
    ranks.dedup();
    assert_eq!(ranks.len(), model.len());
});

// The worst case for fractional keys: idea after idea dropped into the same
// gap (second place) halves that gap each time, growing the key by about a
// character per 6 drops. Past `LONG_RANK` the move renumbers the board.
backend_test!(
    drops_into_one_gap_renumber_the_board_in_order,
    |t| async move {
        let db = &t.db;
        let area = db
            .insert_area(crate::store::new_area("Gap"), None)
            .await
            .unwrap();
        let mut model: Vec<IdeaId> = Vec::new();
        for k in 0..8 {
            let mut idea = crate::store::new_idea(&format!("idea {k}"));
            idea.area_id = Some(area.id);
            model.push(db.insert_idea(idea, None).await.unwrap().id);
        }
        let board = async || {
            db.board(
                area.id,
                &PageRequest {
                    after: None,
                    limit: 50,
                },
            )
            .await
            .unwrap()
            .items
        };
        board().await; // ranks the new ideas
        let (mut longest, mut renumbered) = (0, false);
        for _ in 0..500 {
            let id = model.pop().unwrap();
            db.move_on_board(id, Some(model[0]), Some(model[1]), None)
                .await
                .unwrap();
            model.insert(1, id);
            let len = db.idea(id).await.unwrap().board_rank.unwrap().len();
            renumbered |= len < longest;
            longest = len;
            assert!(
                len <= bearing_domain::prioritisation::board::LONG_RANK,
                "a key of {len} characters"
            );
        }
        assert!(renumbered, "500 drops into one gap outgrow LONG_RANK");
        let items = board().await;
        assert_eq!(
            items.iter().map(|i| i.id).collect::<Vec<_>>(),
            model,
            "renumbering keeps the order"
        );
        assert!(items.windows(2).all(|w| w[0].board_rank < w[1].board_rank));
    }
);
