//! "Who is asking" for an idea counts every linked note, however many: the
//! idea page and `GET /api/v1/ideas/{id}/demand` both read one GROUP BY,
//! not a capped list of notes (they used to stop at 500 and 10,000).

use super::*;
use bearing_testkit::backend_test;

backend_test!(who_is_asking_counts_every_linked_note, |t| async move {
    let app = app(&t);
    let big =
        t.db.insert_customer(new_customer("BigCo", 900_000, Segment::Enterprise), None)
            .await
            .unwrap();
    let small =
        t.db.insert_customer(new_customer("SmallCo", 1_000, Segment::Smb), None)
            .await
            .unwrap();
    let idea = t.db.insert_idea(new_idea("Audit log"), None).await.unwrap();
    // 600 notes from BigCo (one of them critical), 3 from SmallCo, 2 anonymous.
    let mut notes = Vec::new();
    for k in 0..605 {
        let mut n = new_note(&format!("audit log please {k}"), &[]);
        n.customer_id = match k {
            0..600 => Some(big.id),
            600..603 => Some(small.id),
            _ => None,
        };
        if k == 17 {
            n.importance = Importance::Critical;
        }
        let record = NoteRecord {
            input: n,
            reporter: None,
            state: NoteState::Unprocessed,
            wont_do_reason: None,
            created_at: Timestamp::now(),
        };
        notes.push((NoteId::new(), record));
    }
    t.db.bulk_insert_notes(&crate::store::seed::notes(&notes))
        .await
        .unwrap();
    let links: Vec<(NoteId, IdeaId)> = notes.iter().map(|(n, _)| (*n, idea.id)).collect();
    t.db.bulk_insert_links(&links).await.unwrap();
    app.refresh_all_demand().await.unwrap();

    let d = app.demand_breakdown(idea.id).await.unwrap();
    let rows: Vec<(&str, usize, Importance)> = d
        .customers
        .iter()
        .map(|c| (c.customer.name.as_str(), c.notes, c.importance))
        .collect();
    assert_eq!(
        rows,
        [
            ("BigCo", 600, Importance::Critical),
            ("SmallCo", 3, Importance::Important)
        ]
    );
    assert_eq!(d.anonymous_notes, 2);
    assert_eq!(d.total_arr, 901_000);
    assert!(d.score > 0.0);
    // The idea page shows the same breakdown, though it lists 500 notes.
    let detail = app.idea_detail(idea.id).await.unwrap();
    assert_eq!(detail.notes.len(), 500);
    assert_eq!(detail.note_count, 605);
    assert_eq!(detail.demand.customers[0].notes, 600);
    assert_eq!(detail.demand.anonymous_notes, 2);
});
