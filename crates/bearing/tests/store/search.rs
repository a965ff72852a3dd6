//! Search in the store: each backend's own search SQL prepares on that
//! backend, the full-text index follows inserts, updates and deletes in the
//! same transaction (including a rolled-back one), and the similar-idea
//! signals leave out the note being processed.

use super::*;
use bearing_domain::search::SearchKind;
use bearing_testkit::sql::prepare_all;
use bearing_testkit::{TestDb, backend_test};

backend_test!(
    dialect_statements_prepare_on_their_engine,
    |t: TestDb| async move {
        let (sqlite, postgres) = bearing_store::search::dialect_statements();
        let mine = match t.db.backend() {
            bearing_store::Backend::Sqlite => sqlite,
            bearing_store::Backend::Postgres => postgres,
        };
        let failures = prepare_all(&t.db, &mine).await;
        assert!(
            failures.is_empty(),
            "{}",
            failures
                .iter()
                .map(|f| f.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
);

backend_test!(index_follows_insert_update_delete, |t: TestDb| async move {
    let n = insert_note(&t.db, new_note("Capybara charts render blank", &[]), None).await;
    assert_eq!(
        hits(&t.db, SearchKind::Note, "capybara").await,
        vec![n.id.0]
    );
    t.db.update_note(
        n.id,
        NoteChanges {
            text: Some("Axolotl charts render blank".into()),
            ..Default::default()
        }
        .validate(64 * 1024)
        .unwrap(),
        None,
    )
    .await
    .unwrap();
    assert!(hits(&t.db, SearchKind::Note, "capybara").await.is_empty());
    assert_eq!(hits(&t.db, SearchKind::Note, "axolotl").await, vec![n.id.0]);
    // Stemming: both engines use English stemming.
    assert_eq!(
        hits(&t.db, SearchKind::Note, "rendering").await,
        vec![n.id.0]
    );

    let i =
        t.db.insert_idea(new_idea("Axolotl theme"), None)
            .await
            .unwrap();
    assert_eq!(hits(&t.db, SearchKind::Idea, "axolotl").await, vec![i.id.0]);

    // Deletes (merges and cascades delete rows) drop out of the index.
    match &t.db {
        Db::Sqlite(p) => {
            sqlx::query("DELETE FROM notes WHERE id = $1")
                .bind(n.id.0)
                .execute(p)
                .await
                .unwrap();
            sqlx::query("DELETE FROM ideas WHERE id = $1")
                .bind(i.id.0)
                .execute(p)
                .await
                .unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query("DELETE FROM notes WHERE id = $1")
                .bind(n.id.0)
                .execute(p)
                .await
                .unwrap();
            sqlx::query("DELETE FROM ideas WHERE id = $1")
                .bind(i.id.0)
                .execute(p)
                .await
                .unwrap();
        }
    }
    assert!(hits(&t.db, SearchKind::Note, "axolotl").await.is_empty());
    assert!(hits(&t.db, SearchKind::Idea, "axolotl").await.is_empty());
});

backend_test!(
    a_rolled_back_write_leaves_no_trace_in_the_index,
    |t: TestDb| async move {
        let mut tx = t.db.begin().await.unwrap();
        let rec = crate::store::NoteRecord {
            input: new_note("Pangolin exports", &[]),
            reporter: None,
            state: NoteState::Unprocessed,
            wont_do_reason: None,
            created_at: Timestamp::now(),
        };
        tx.notes().insert(&rec.note(NoteId::new())).await.unwrap();
        drop(tx); // rolled back
        assert!(hits(&t.db, SearchKind::Note, "pangolin").await.is_empty());
        let n = insert_note(&t.db, new_note("Pangolin exports", &[]), None).await;
        assert_eq!(
            hits(&t.db, SearchKind::Note, "pangolin").await,
            vec![n.id.0]
        );
    }
);

backend_test!(
    similar_signals_leave_out_the_note_itself,
    |t: TestDb| async move {
        let a = app(&t);
        let pm = pm(&t.db).await;
        let idea =
            t.db.insert_idea(new_idea("Unrelated title"), None)
                .await
                .unwrap();
        let n = insert_note(&t.db, new_note("Flamingo gradient legend", &[]), None).await;
        a.process_note(
            &pm,
            n.id,
            ProcessNote {
                links: vec![LinkRequest {
                    idea_id: idea.id,
                    excerpt: None,
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let terms = vec!["flamingo".to_string(), "gradient".to_string()];
        let with =
            t.db.similar_idea_signals(&terms, None, 10, 10)
                .await
                .unwrap();
        assert_eq!(
            with.by_linked_notes.iter().map(|x| x.0).collect::<Vec<_>>(),
            vec![idea.id]
        );
        let without =
            t.db.similar_idea_signals(&terms, Some(n.id), 10, 10)
                .await
                .unwrap();
        assert!(without.by_linked_notes.is_empty(), "{without:?}");
    }
);

backend_test!(
    optimizing_the_index_keeps_every_result_and_order,
    |t: TestDb| async move {
        // One write per transaction leaves the index in many small segments.
        let mut ids = Vec::new();
        for i in 0..30 {
            let text = format!("Quokka dashboards note {i}{}", " quokka".repeat(i % 4));
            ids.push(insert_note(&t.db, new_note(&text, &[]), None).await.id.0);
        }
        let before = hits(&t.db, SearchKind::Note, "quokka dashboards").await;
        assert_eq!(before.len(), 30);
        t.db.optimize_search().await.unwrap();
        assert_eq!(
            hits(&t.db, SearchKind::Note, "quokka dashboards").await,
            before
        );
        let later = insert_note(&t.db, new_note("Quokka exports", &[]), None).await;
        assert_eq!(
            hits(&t.db, SearchKind::Note, "exports").await,
            vec![later.id.0]
        );
        // On SQLite (BM25) more repeats of a word rank higher; PostgreSQL's
        // ts_rank_cd counts covers of the query, so any repeat ranks above
        // none, and the notes without one come last, oldest id first.
        match t.db.backend() {
            bearing_store::Backend::Sqlite => {
                let top = &before[..5];
                assert!(
                    top.iter()
                        .all(|id| ids.iter().position(|x| x == id).unwrap() % 4 == 3),
                    "the notes saying quokka four times come first: {top:?}"
                );
            }
            bearing_store::Backend::Postgres => {
                let plain: Vec<uuid::Uuid> = ids.iter().step_by(4).copied().collect();
                assert_eq!(before[30 - plain.len()..], plain[..]);
            }
        }
    }
);
