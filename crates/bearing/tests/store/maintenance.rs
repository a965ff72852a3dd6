//! Maintenance through the app and the store: `VACUUM` (which may renumber
//! the rowids SQLite's search index points at, so it rebuilds the index),
//! rebuilding the search indexes, and recomputing demand scores, including
//! stale ones on ideas that lost their links.

use super::*;
use bearing_app::maintenance::MaintenanceOptions;
use bearing_domain::search::{SearchFilter, SearchKind};
use bearing_store::search_plan::ScanPlan;
use bearing_testkit::backend_test;

/// (id, title) of every note matching `q`, by id.
async fn note_hits(db: &Db, q: &str) -> Vec<(uuid::Uuid, String)> {
    let f = SearchFilter::default();
    let mut rows: Vec<(uuid::Uuid, String)> =
        search_rows(db, SearchKind::Note, q, &f, (0, 50), ScanPlan::Auto)
            .await
            .into_iter()
            .map(|r| (r.id, r.title))
            .collect();
    rows.sort();
    rows
}

/// Run one raw statement with one id, to set up a state the app never makes.
async fn exec(db: &Db, sql: &'static str, id: uuid::Uuid) {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).bind(id).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql).bind(id).execute(p).await.map(|_| ()),
    }
    .unwrap();
}

backend_test!(vacuum_and_rebuild_keep_search_in_step, |t| async move {
    // A merged-away idea is no result, and a rebuild must not bring it back.
    let app = app(&t);
    let pat = pm(&t.db).await;
    let kept =
        t.db.insert_idea(new_idea("Zephyr dashboards"), None)
            .await
            .unwrap();
    let gone =
        t.db.insert_idea(new_idea("Zephyr dashboards again"), None)
            .await
            .unwrap();
    app.merge_ideas(&pat, gone.id, kept.id).await.unwrap();
    assert_eq!(hits(&t.db, SearchKind::Idea, "zephyr").await, [kept.id.0]);
    let mut notes = Vec::new();
    for word in ["alpha", "beta", "gamma", "delta"] {
        let n = insert_note(
            &t.db,
            new_note(&format!("zephyr {word} request"), &[]),
            None,
        )
        .await;
        notes.push(n);
    }
    // Deleting early rows (Bearing deletes notes only through cascades, so
    // by hand here) leaves gaps a VACUUM may close up.
    for n in [&notes[0], &notes[2]] {
        exec(&t.db, "DELETE FROM notes WHERE id = $1", n.id.0).await;
    }
    let mut expected: Vec<(uuid::Uuid, String)> = [&notes[1], &notes[3]]
        .iter()
        .map(|n| (n.id.0, n.text.clone()))
        .collect();
    expected.sort();
    assert_eq!(note_hits(&t.db, "zephyr").await, expected);

    t.db.vacuum().await.unwrap();
    assert_eq!(note_hits(&t.db, "zephyr").await, expected, "after VACUUM");
    assert_eq!(
        note_hits(&t.db, "delta").await,
        [(notes[3].id.0, notes[3].text.clone())]
    );
    assert_eq!(
        hits(&t.db, SearchKind::Idea, "zephyr").await,
        [kept.id.0],
        "after VACUUM"
    );
    t.db.rebuild_search().await.unwrap();
    assert_eq!(note_hits(&t.db, "zephyr").await, expected, "after rebuild");
    assert!(note_hits(&t.db, "alpha").await.is_empty());
    assert_eq!(
        hits(&t.db, SearchKind::Idea, "zephyr").await,
        [kept.id.0],
        "after rebuild"
    );
});

backend_test!(maintenance_recomputes_stale_demand, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let customer =
        t.db.insert_customer(new_customer("Acme", 50_000, Segment::MidMarket), None)
            .await
            .unwrap();
    let linked = t.db.insert_idea(new_idea("Linked"), None).await.unwrap();
    let unlinked = t.db.insert_idea(new_idea("Unlinked"), None).await.unwrap();
    let mut n = new_note("need it", &[]);
    n.customer_id = Some(customer.id);
    let note = insert_note(&t.db, n, None).await;
    app.link_note(
        &pat,
        note.id,
        LinkRequest {
            idea_id: linked.id,
            excerpt: None,
        },
    )
    .await
    .unwrap();
    let right = t.db.idea(linked.id).await.unwrap().demand_score;
    assert!(right > 0.0);
    // Scores that drifted (say, edited by hand): both wrong.
    for idea in [linked.id, unlinked.id] {
        exec(
            &t.db,
            "UPDATE ideas SET demand_score = 99 WHERE id = $1",
            idea.0,
        )
        .await;
    }

    let mut reported = Vec::new();
    app.maintain(
        MaintenanceOptions {
            vacuum: true,
            rebuild_search: true,
        },
        |s| reported.push(s.done.clone()),
    )
    .await
    .unwrap();
    assert_eq!(reported.len(), 5, "{reported:?}");
    assert!(reported[4].starts_with("Removed expired"), "{reported:?}");
    assert!(
        reported[2].contains("1 ideas have linked notes"),
        "{reported:?}"
    );
    assert_eq!(t.db.idea(linked.id).await.unwrap().demand_score, right);
    assert_eq!(t.db.idea(unlinked.id).await.unwrap().demand_score, 0.0);
});
