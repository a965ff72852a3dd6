//! PostgreSQL's two ways to find a search's newest matches (GIN with the
//! planner's plan, or the ordered RUM index of migration 0005) return the
//! same rows, under every filter and page; and the word shares the choice
//! is made from come from the planner's statistics. On SQLite, which has
//! one way, the same calls must simply agree.

use super::*;
use bearing_domain::search::{SearchFilter, SearchKind};
use bearing_store::search_plan::ScanPlan;
use bearing_testkit::{Backend, TestDb, backend_test};

const DAY: i64 = 86_400_000;

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_string).collect()
}
const WORDS: [&str; 6] = ["audit", "log", "export", "csv", "siem", "latency"];

backend_test!(
    ordered_and_plain_scans_give_the_same_rows,
    |t: TestDb| async move {
        let db = &t.db;
        let acme = db
            .insert_customer(new_customer("Acme", 10_000, Segment::Smb), None)
            .await
            .unwrap();
        let area = db.insert_area(new_area("Compliance"), None).await.unwrap();
        let mut in_area = new_idea("Audit log export to SIEM");
        in_area.area_id = Some(area.id);
        let linked = db.insert_idea(in_area, None).await.unwrap();
        for k in 0..8 {
            let mut idea = new_idea(&format!("{} {} idea {k}", WORDS[k % 6], WORDS[(k + 1) % 6]));
            idea.status = if k % 2 == 0 {
                IdeaStatus::New
            } else {
                IdeaStatus::Planned
            };
            db.insert_idea(idea, None).await.unwrap();
        }
        let base = Timestamp::now().0 - 90 * DAY;
        let mut notes = Vec::new();
        for k in 0..60usize {
            let text = format!(
                "{} {} please, {} too (note {k})",
                WORDS[k % 6],
                WORDS[(k / 6) % 6],
                WORDS[(k / 2) % 6]
            );
            let mut n = new_note(&text, &[]);
            n.customer_id = (k % 3 == 0).then_some(acme.id);
            notes.push((
                NoteId::new(),
                NoteRecord {
                    input: n,
                    reporter: None,
                    state: if k % 4 == 0 {
                        NoteState::Processed
                    } else {
                        NoteState::Unprocessed
                    },
                    wont_do_reason: None,
                    created_at: Timestamp(base + k as i64 * DAY),
                },
            ));
        }
        db.bulk_insert_notes(&crate::store::seed::notes(&notes))
            .await
            .unwrap();
        let links: Vec<(NoteId, IdeaId)> = notes
            .iter()
            .step_by(5)
            .map(|(n, _)| (*n, linked.id))
            .collect();
        db.bulk_insert_links(&links).await.unwrap();

        let filters = [
            SearchFilter::default(),
            SearchFilter {
                note_state: Some(NoteState::Processed),
                ..Default::default()
            },
            SearchFilter {
                idea_status: Some(IdeaStatus::Planned),
                ..Default::default()
            },
            SearchFilter {
                customer_id: Some(acme.id),
                ..Default::default()
            },
            SearchFilter {
                area_id: Some(area.id),
                ..Default::default()
            },
            SearchFilter {
                from: Some(Timestamp(base + 20 * DAY)),
                to: Some(Timestamp(base + 40 * DAY)),
                ..Default::default()
            },
        ];
        let mut compared = 0;
        for q in [
            "audit log",
            "\"audit log\" siem",
            "export -csv",
            "latency",
            "csv siem audit",
        ] {
            for f in &filters {
                for kind in [SearchKind::Note, SearchKind::Idea] {
                    for page in [(0, 50), (2, 3)] {
                        let by_id = search_rows(db, kind, q, f, page, ScanPlan::ById).await;
                        let by_rum = search_rows(db, kind, q, f, page, ScanPlan::ByRum).await;
                        assert_eq!(by_id, by_rum, "{kind:?} {q:?} {f:?} {page:?}");
                        compared += usize::from(!by_id.is_empty());
                    }
                }
            }
        }
        assert!(compared >= 40, "only {compared} non-empty comparisons");
        // And the rows are the right ones (on SQLite, which has one way,
        // this is the check that counts): every note saying "latency".
        let mut want: Vec<uuid::Uuid> = notes
            .iter()
            .filter(|(_, r)| r.input.text.contains("latency"))
            .map(|(id, _)| id.0)
            .collect();
        want.sort();
        for plan in [ScanPlan::ById, ScanPlan::ByRum] {
            let mut got: Vec<uuid::Uuid> =
                search_rows(db, SearchKind::Note, "latency", &filters[0], (0, 50), plan)
                    .await
                    .into_iter()
                    .map(|r| r.id)
                    .collect();
            got.sort();
            assert_eq!(got, want, "{plan:?}");
        }

        // Similar ideas: the any-of look-up over ideas' own text.
        for text in [
            &["audit", "siem"][..],
            &["export", "csv", "latency"],
            &["zebra"],
        ] {
            let terms: Vec<String> = text.iter().map(|t| t.to_string()).collect();
            let by_id = db
                .similar_idea_signals_with(&terms, None, 50, 100, ScanPlan::ById)
                .await
                .unwrap();
            let by_rum = db
                .similar_idea_signals_with(&terms, None, 50, 100, ScanPlan::ByRum)
                .await
                .unwrap();
            assert_eq!(by_id.by_idea_text, by_rum.by_idea_text, "{text:?}");
            assert_eq!(by_id.by_idea_text.is_empty(), text == ["zebra"]);
        }
    }
);

backend_test!(
    word_shares_come_from_the_planner_statistics,
    |t: TestDb| async move {
        let db = &t.db;
        for k in 0..200 {
            let word = if k % 4 == 0 { "export" } else { "latency" };
            insert_note(db, new_note(&format!("dashboard {word} {k}"), &[]), None).await;
        }
        // Whatever the plan, search finds what it should: "export" is in
        // every fourth note.
        let page = (0, 100);
        let found = search_rows(
            db,
            SearchKind::Note,
            "export",
            &SearchFilter::default(),
            page,
            ScanPlan::Auto,
        )
        .await;
        assert_eq!(found.len(), 50);
        let Some(before) = db
            .search_word_shares(&words("dashboard export"))
            .await
            .unwrap()
        else {
            assert_eq!(t.backend, Backend::Sqlite, "only SQLite has no shares");
            return;
        };
        assert!(
            before.notes_index && before.ideas_index,
            "the ordered indexes exist (scripts/test installs postgresql-15-rum)"
        );
        assert_eq!(before.notes, [0.0, 0.0], "no statistics before ANALYZE");
        db.optimize_search().await.unwrap();
        // Remembered for ten minutes per word: ask with other words.
        let after = db
            .search_word_shares(&words("dashboards exports siem the"))
            .await
            .unwrap()
            .unwrap();
        let close = |a: f64, b: f64| (a - b).abs() < 0.02;
        assert_eq!(after.notes.len(), 3, "stop words are left out: {after:?}");
        assert!(
            close(after.notes[0], 1.0) && close(after.notes[1], 0.25),
            "{after:?}"
        );
        assert_eq!(after.notes[2], 0.0, "absent words count as rare");
        assert!(!after.ordered(SearchKind::Note), "one word in every note");
    }
);

backend_test!(
    ordered_indexes_drop_for_bulk_loads_and_come_back,
    |t: TestDb| async move {
        let db = &t.db;
        let indexes = async |w: &str| {
            db.search_word_shares(&words(w))
                .await
                .unwrap()
                .map(|s| (s.notes_index, s.ideas_index))
        };
        // Only PostgreSQL has ordered indexes to report; on SQLite the calls
        // do nothing and search carries on.
        let (with, without) = match t.backend {
            Backend::Postgres => (Some((true, true)), Some((false, false))),
            Backend::Sqlite => (None, None),
        };
        assert_eq!(indexes("okta").await, with);
        db.drop_ordered_search().await.unwrap();
        // Dropping and building forget what was remembered about the indexes.
        assert_eq!(indexes("okta sso").await, without);
        let n = insert_note(db, new_note("okta sso please", &[]), None).await;
        db.ensure_ordered_search().await.unwrap();
        db.ensure_ordered_search().await.unwrap();
        assert_eq!(indexes("okta sso saml").await, with);
        let found = search_rows(
            db,
            SearchKind::Note,
            "okta sso",
            &SearchFilter::default(),
            (0, 10),
            ScanPlan::ByRum,
        )
        .await;
        assert_eq!(found.iter().map(|r| r.id).collect::<Vec<_>>(), [n.id.0]);
    }
);
