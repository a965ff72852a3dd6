//! Keyset pagination: for every sort order of notes, ideas and customers,
//! walking the pages with small limits visits every row exactly once, in
//! the same order as one big page, and that order is the documented one
//! (sort key, then id as tie-breaker). Fixtures include ties on the sort key
//! (equal ARR, titles differing only in case, equal update times).

use super::*;
use bearing_testkit::backend_test;
use std::cmp::Reverse;
use std::collections::BTreeSet;
use std::fmt::Debug;

/// Page sizes to walk with: tiny, awkward, and around the total.
fn limits(total: usize) -> Vec<u32> {
    let t = total as u32;
    vec![1, 2, 3, 7, t - 1, t, t + 1]
}

/// Check a walk against the one-page listing and the expected order.
fn check_walk<K: PartialEq + Debug>(
    what: &str,
    pages: Vec<Vec<K>>,
    one_page: &[K],
    expected: &[K],
) {
    let walked: Vec<K> = pages.into_iter().flatten().collect();
    assert_eq!(walked.len(), expected.len(), "{what}: wrong number of rows");
    assert_eq!(walked, one_page, "{what}: pages differ from a single page");
    assert_eq!(walked, expected, "{what}: not in the documented order");
}

fn unique<K: Ord + Clone>(keys: &[K]) -> bool {
    keys.iter().cloned().collect::<BTreeSet<K>>().len() == keys.len()
}

const ALL_AT_ONCE: PageRequest = PageRequest {
    after: None,
    limit: 200,
};

backend_test!(notes_paginate_in_every_order, |t| async move {
    let db = &t.db;
    let base = Timestamp::now().0;
    let mut ids = Vec::new();
    for i in 0..11 {
        let mut input = new_note(&format!("note {i}"), &[]);
        input.source = if i % 3 == 0 {
            NoteSource::Forum
        } else {
            NoteSource::Email
        };
        let rec = crate::store::NoteRecord {
            input,
            reporter: None,
            state: NoteState::Unprocessed,
            wont_do_reason: None,
            // Same created_at for all: order is by id alone.
            created_at: Timestamp(base),
        };
        ids.push(db.insert_note(rec).await.unwrap().id);
    }
    assert!(unique(&ids));
    for sort in NoteSort::ALL {
        let mut expected = ids.clone();
        expected.sort();
        if *sort == NoteSort::Newest {
            expected.reverse();
        }
        let f = NoteFilter::default();
        let one: Vec<NoteId> = db
            .list_notes(&f, *sort, &ALL_AT_ONCE)
            .await
            .unwrap()
            .items
            .iter()
            .map(|n| n.id)
            .collect();
        for limit in limits(ids.len()) {
            let pages = walk(limit, async |p| db.list_notes(&f, *sort, &p).await.unwrap()).await;
            let pages = pages
                .into_iter()
                .map(|p| p.into_iter().map(|n| n.id).collect())
                .collect();
            check_walk(
                &format!("notes {sort:?} limit {limit}"),
                pages,
                &one,
                &expected,
            );
        }
    }
    // With a filter, the walk covers exactly the matching rows.
    let forum: Vec<NoteId> = ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 == 0)
        .map(|(_, id)| *id)
        .collect();
    let f = NoteFilter {
        source: Some(NoteSource::Forum),
        ..Default::default()
    };
    let pages = walk(2, async |p| {
        db.list_notes(&f, NoteSort::Oldest, &p).await.unwrap()
    })
    .await;
    let walked: Vec<NoteId> = pages.into_iter().flatten().map(|n| n.id).collect();
    assert_eq!(walked, forum);
});

backend_test!(ideas_paginate_in_every_order, |t| async move {
    let db = &t.db;
    // Titles that tie once lowercased, plus distinct ones.
    let titles = [
        "Bravo", "alpha", "ALPHA", "Alpha", "charlie", "bravo", "delta", "Echo", "echo", "foxtrot",
        "golf", "alpha",
    ];
    let mut ideas = Vec::new();
    for title in titles {
        ideas.push(db.insert_idea(new_idea(title), None).await.unwrap());
    }
    // Touch a few so "updated" differs from creation order (and often ties).
    for i in [3, 0, 7] {
        let ch = IdeaChanges {
            status: Some(IdeaStatus::Planned),
            ..Default::default()
        };
        ideas[i] = db.update_idea(ideas[i].id, ch, None).await.unwrap();
    }
    // Score a few, two with the same score, so RICE order has ties and
    // unscored ideas (sorted last) as well.
    for (i, reach) in [(1, 6.0), (2, 6.0), (5, 10.0)] {
        let rice = bearing_domain::prioritisation::rice::Rice::from_factors(reach, 1.0, 1.0, 2.0);
        db.set_rice(ideas[i].id, &rice, None).await.unwrap();
    }
    let stored: Vec<Idea> = {
        let mut v = Vec::new();
        for i in &ideas {
            v.push(db.idea(i.id).await.unwrap());
        }
        v
    };
    for sort in IdeaSort::ALL {
        let mut expected = stored.clone();
        match sort {
            IdeaSort::Newest => expected.sort_by_key(|i| Reverse(i.id)),
            IdeaSort::Oldest => expected.sort_by_key(|i| i.id),
            IdeaSort::Updated => expected.sort_by_key(|i| Reverse((i.updated_at, i.id))),
            IdeaSort::Title => expected.sort_by_key(|i| (i.title.to_lowercase(), i.id)),
            IdeaSort::Rice => expected.sort_by(|a, b| {
                let score = |i: &Idea| i.rice.as_ref().map_or(-1.0, |r| r.score);
                score(b).total_cmp(&score(a)).then(b.id.cmp(&a.id))
            }),
            IdeaSort::Demand => expected.sort_by(|a, b| {
                b.demand_score
                    .total_cmp(&a.demand_score)
                    .then(b.id.cmp(&a.id))
            }),
        }
        let expected: Vec<IdeaId> = expected.iter().map(|i| i.id).collect();
        let f = IdeaFilter::default();
        let one: Vec<IdeaId> = db
            .list_ideas(&f, *sort, &ALL_AT_ONCE)
            .await
            .unwrap()
            .items
            .iter()
            .map(|i| i.id)
            .collect();
        for limit in limits(stored.len()) {
            let pages = walk(limit, async |p| db.list_ideas(&f, *sort, &p).await.unwrap()).await;
            let pages = pages
                .into_iter()
                .map(|p| p.into_iter().map(|i| i.id).collect())
                .collect();
            check_walk(
                &format!("ideas {sort:?} limit {limit}"),
                pages,
                &one,
                &expected,
            );
        }
    }
});

backend_test!(customers_paginate_in_every_order, |t| async move {
    let db = &t.db;
    // Several customers share an ARR, so the id must break ties.
    let rows = [
        ("Umbrella", 500),
        ("acme", 100),
        ("Globex", 100),
        ("Initech", 0),
        ("Hooli", 100),
        ("Stark", 900),
        ("Wayne", 500),
        ("Wonka", 0),
        ("Cyberdyne", 100),
        ("Tyrell", 250),
        ("Soylent", 0),
    ];
    let mut customers = Vec::new();
    for (name, arr) in rows {
        customers.push(
            db.insert_customer(new_customer(name, arr, Segment::Smb), None)
                .await
                .unwrap(),
        );
    }
    for sort in CustomerSort::ALL {
        let mut expected = customers.clone();
        match sort {
            CustomerSort::Name => expected.sort_by_key(|c| (c.name.to_lowercase(), c.id)),
            CustomerSort::Arr => expected.sort_by_key(|c| Reverse((c.arr, c.id))),
            CustomerSort::Newest => expected.sort_by_key(|c| Reverse(c.id)),
        }
        let expected: Vec<CustomerId> = expected.iter().map(|c| c.id).collect();
        let f = CustomerFilter::default();
        let one: Vec<CustomerId> = db
            .list_customers(&f, *sort, &ALL_AT_ONCE)
            .await
            .unwrap()
            .items
            .iter()
            .map(|c| c.id)
            .collect();
        for limit in limits(customers.len()) {
            let pages = walk(limit, async |p| {
                db.list_customers(&f, *sort, &p).await.unwrap()
            })
            .await;
            let pages = pages
                .into_iter()
                .map(|p| p.into_iter().map(|c| c.id).collect())
                .collect();
            check_walk(
                &format!("customers {sort:?} limit {limit}"),
                pages,
                &one,
                &expected,
            );
        }
    }
});

backend_test!(an_empty_list_is_one_empty_page, |t| async move {
    let notes =
        t.db.list_notes(
            &NoteFilter::default(),
            NoteSort::Newest,
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(notes.items.is_empty() && notes.next_cursor.is_none());
    let ideas =
        t.db.list_ideas(
            &IdeaFilter::default(),
            IdeaSort::Title,
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(ideas.items.is_empty() && ideas.next_cursor.is_none());
    let customers =
        t.db.list_customers(
            &CustomerFilter::default(),
            CustomerSort::Arr,
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert!(customers.items.is_empty() && customers.next_cursor.is_none());
});

backend_test!(
    a_cursor_from_another_order_starts_from_the_top,
    |t| async move {
        let db = &t.db;
        for (name, arr) in [("a", 3), ("b", 2), ("c", 1)] {
            db.insert_customer(new_customer(name, arr, Segment::Smb), None)
                .await
                .unwrap();
        }
        let f = CustomerFilter::default();
        let by_arr = db
            .list_customers(
                &f,
                CustomerSort::Arr,
                &PageRequest {
                    after: None,
                    limit: 1,
                },
            )
            .await
            .unwrap();
        let cursor = Cursor::decode(&by_arr.next_cursor.unwrap()).unwrap();
        let by_name = db
            .list_customers(
                &f,
                CustomerSort::Name,
                &PageRequest {
                    after: Some(cursor),
                    limit: 10,
                },
            )
            .await
            .unwrap();
        let names: Vec<String> = by_name.items.into_iter().map(|c| c.name).collect();
        assert_eq!(names, ["a", "b", "c"]);
    }
);
