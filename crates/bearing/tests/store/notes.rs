//! Notes: insert and read back, tag normalisation and the tag index, updates
//! with their before/after history, the contact-belongs-to-customer rule,
//! every list filter, counts by state, bulk insertion, and data surviving a
//! reconnect.

use super::*;
use crate::store::NoteRecord;
use bearing_testkit::{backend_test, test_options};
use std::collections::BTreeSet;

/// The ids of every note matching `f`, as a set.
async fn ids(db: &Db, f: NoteFilter) -> BTreeSet<NoteId> {
    let page = db
        .list_notes(
            &f,
            NoteSort::Newest,
            &PageRequest {
                after: None,
                limit: 200,
            },
        )
        .await
        .unwrap();
    assert!(page.next_cursor.is_none(), "fixture too large for one page");
    page.items.into_iter().map(|n| n.id).collect()
}

fn set(notes: &[&Note]) -> BTreeSet<NoteId> {
    notes.iter().map(|n| n.id).collect()
}

backend_test!(note_round_trips_with_normalised_tags, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let acme =
        t.db.insert_customer(new_customer("Acme", 50_000, Segment::Enterprise), None)
            .await
            .unwrap();
    let jane =
        t.db.insert_contact(NewContact {
            customer_id: acme.id,
            name: "Jane Doe".into(),
            email: Some("jane@acme.example".into()),
            title: None,
        })
        .await
        .unwrap();
    let input = NewNote {
        text: "  We need SAML single sign-on before renewal.  ".into(),
        source: NoteSource::SalesCall,
        importance: Importance::Critical,
        customer_id: Some(acme.id),
        contact_id: Some(jane.id),
        tags: vec![" SSO ".into(), "sso".into(), "".into(), "Okta".into()],
        public_safe: true,
    };
    let note = app.create_note(&pat, input).await.unwrap();
    assert_eq!(note.text, "We need SAML single sign-on before renewal.");
    assert_eq!(note.tags, ["sso", "okta"]);
    assert_eq!(note.source, NoteSource::SalesCall);
    assert_eq!(note.importance, Importance::Critical);
    assert_eq!(note.customer_id, Some(acme.id));
    assert_eq!(note.contact_id, Some(jane.id));
    assert_eq!(note.reporter_id, Some(pat.user.id));
    assert!(note.public_safe);
    assert_eq!(note.state, NoteState::Unprocessed);
    assert_eq!(
        (
            note.wont_do_reason.as_deref(),
            note.processed_by,
            note.processed_at
        ),
        (None, None, None)
    );
    assert_eq!(note.created_at, note.updated_at);

    assert_eq!(
        t.db.note(note.id).await.unwrap(),
        note,
        "reading back gives what insert returned"
    );

    // The tag index is written with the row, and the filter is case-insensitive.
    for tag in ["sso", "SSO", "okta"] {
        assert_eq!(
            ids(
                &t.db,
                NoteFilter {
                    tag: Some(tag.into()),
                    ..Default::default()
                }
            )
            .await,
            set(&[&note]),
            "tag {tag}"
        );
    }
    assert!(
        ids(
            &t.db,
            NoteFilter {
                tag: Some("saml".into()),
                ..Default::default()
            }
        )
        .await
        .is_empty()
    );

    let history = t.db.activity_of(note.id.0, 10).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].entity_type.as_str(), history[0].action.as_str()),
        ("note", "created")
    );
    assert_eq!(history[0].actor_id, Some(pat.user.id));
    assert_eq!(history[0].before, None);
    assert_eq!(history[0].after.as_ref().unwrap()["source"], "sales_call");
});

backend_test!(updating_a_note_records_before_and_after, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let note = app
        .create_note(&pat, new_note("Export to CSV please", &["export", "csv"]))
        .await
        .unwrap();
    // Timestamps are milliseconds: step past the one just written.
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;

    let changes = NoteChanges {
        text: Some("Export to CSV and XLSX please".into()),
        importance: Some(Importance::NiceToHave),
        tags: Some(vec!["Export".into(), "XLSX".into()]),
        public_safe: Some(true),
        ..Default::default()
    };
    let updated = app.update_note(&pat, note.id, changes).await.unwrap();
    assert_eq!(updated.text, "Export to CSV and XLSX please");
    assert_eq!(updated.tags, ["export", "xlsx"]);
    assert_eq!(updated.importance, Importance::NiceToHave);
    assert!(updated.public_safe);
    assert_eq!(updated.source, note.source, "untouched fields stay");
    assert!(updated.updated_at > note.updated_at);
    assert_eq!(updated.created_at, note.created_at);
    assert_eq!(t.db.note(note.id).await.unwrap(), updated);

    // Tags were replaced in the index too.
    let by_tag = |tag: &str| {
        ids(
            &t.db,
            NoteFilter {
                tag: Some(tag.into()),
                ..Default::default()
            },
        )
    };
    assert!(
        by_tag("csv").await.is_empty(),
        "a removed tag must not find the note"
    );
    assert_eq!(by_tag("xlsx").await, set(&[&updated]));
    assert_eq!(by_tag("export").await, set(&[&updated]));

    let history = t.db.activity_of(note.id.0, 10).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["updated", "created"], "newest first");
    let (before, after) = (
        history[0].before.as_ref().unwrap(),
        history[0].after.as_ref().unwrap(),
    );
    assert_eq!(before["text"], "Export to CSV please");
    assert_eq!(after["text"], "Export to CSV and XLSX please");
    assert_eq!(before["tags"], serde_json::json!(["export", "csv"]));
    assert_eq!(after["tags"], serde_json::json!(["export", "xlsx"]));
    assert_eq!(before["importance"], "important");
    assert_eq!(after["importance"], "nice_to_have");
    assert_eq!(before["public_safe"], false);
    assert_eq!(after["public_safe"], true);
    assert_eq!(history[0].actor_id, Some(pat.user.id));

    // An update without tags leaves the tag index alone.
    app.update_note(
        &pat,
        note.id,
        NoteChanges {
            text: Some("Just text".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(by_tag("xlsx").await, set(&[&updated]));
});

backend_test!(clearing_a_customer_clears_the_contact, |t| async move {
    let acme =
        t.db.insert_customer(new_customer("Acme", 1, Segment::Smb), None)
            .await
            .unwrap();
    let jane =
        t.db.insert_contact(NewContact {
            customer_id: acme.id,
            name: "Jane".into(),
            email: None,
            title: None,
        })
        .await
        .unwrap();
    let mut input = new_note("Hello", &[]);
    input.customer_id = Some(acme.id);
    input.contact_id = Some(jane.id);
    let note = insert_note(&t.db, input, None).await;
    let cleared =
        t.db.update_note(
            note.id,
            NoteChanges {
                clear_customer: true,
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    assert_eq!((cleared.customer_id, cleared.contact_id), (None, None));
    assert_eq!(t.db.note(note.id).await.unwrap(), cleared);
});

backend_test!(
    a_notes_contact_must_exist_and_belong_to_its_customer,
    |t| async move {
        let acme =
            t.db.insert_customer(new_customer("Acme", 1, Segment::Smb), None)
                .await
                .unwrap();
        let globex =
            t.db.insert_customer(new_customer("Globex", 1, Segment::Smb), None)
                .await
                .unwrap();
        let jane =
            t.db.insert_contact(NewContact {
                customer_id: acme.id,
                name: "Jane".into(),
                email: None,
                title: None,
            })
            .await
            .unwrap();
        let record = |customer: Option<CustomerId>, contact: Option<ContactId>| {
            let mut input = new_note("Hello", &[]);
            input.customer_id = customer;
            input.contact_id = contact;
            NoteRecord {
                input,
                reporter: None,
                state: NoteState::Unprocessed,
                wont_do_reason: None,
                created_at: Timestamp::now(),
            }
        };
        match t
            .db
            .insert_note(record(Some(globex.id), Some(jane.id)))
            .await
        {
            Err(AppError::Invalid(v)) => assert!(v.message.contains("different customer"), "{v}"),
            other => panic!("expected a constraint error, got {other:?}"),
        }
        match t.db.insert_note(record(None, Some(ContactId::new()))).await {
            Err(AppError::Invalid(v)) => assert!(v.message.contains("no contact"), "{v}"),
            other => panic!("expected a constraint error, got {other:?}"),
        }
        // An unknown customer is refused by the foreign key.
        match t
            .db
            .insert_note(record(Some(CustomerId::new()), None))
            .await
        {
            Err(AppError::Invalid(v)) => assert_eq!(v.field, "customer_id"),
            other => panic!("expected a validation error, got {other:?}"),
        }
        // Below the app, the foreign key refuses it too, naming no driver text.
        let orphan = Note::logged(
            NoteId::new(),
            new_note("orphan", &[]),
            None,
            NoteState::Unprocessed,
            None,
            Timestamp::now(),
        );
        let mut tx = t.db.begin().await.unwrap();
        match tx
            .notes()
            .insert(&Note {
                customer_id: Some(CustomerId::new()),
                ..orphan
            })
            .await
        {
            Err(StoreError::Invalid { reason, .. }) => {
                assert!(reason.contains("does not exist"), "{reason}")
            }
            other => panic!("expected the foreign key to refuse, got {other:?}"),
        }
        drop(tx);
        // Nothing half-written: no notes, no tags, no history.
        assert!(ids(&t.db, NoteFilter::default()).await.is_empty());
        let ok =
            t.db.insert_note(record(Some(acme.id), Some(jane.id)))
                .await
                .unwrap();
        assert_eq!(ok.contact_id, Some(jane.id));
    }
);

backend_test!(missing_notes_are_not_found, |t| async move {
    assert_not_found(t.db.note(NoteId::new()).await);
    assert_app_not_found(
        t.db.update_note(NoteId::new(), NoteChanges::default(), None)
            .await,
    );
});

backend_test!(list_notes_filters_narrow_the_list, |t| async move {
    let db = &t.db;
    let acme = db
        .insert_customer(new_customer("Acme", 1, Segment::Smb), None)
        .await
        .unwrap();
    let globex = db
        .insert_customer(new_customer("Globex", 1, Segment::Smb), None)
        .await
        .unwrap();
    let auth = db.insert_area(new_area("Auth"), None).await.unwrap();
    let reports = db.insert_area(new_area("Reports"), None).await.unwrap();
    let mut sso_idea = new_idea("SSO");
    sso_idea.area_id = Some(auth.id);
    let sso_idea = db.insert_idea(sso_idea, None).await.unwrap();
    let mut export_idea = new_idea("Export");
    export_idea.area_id = Some(reports.id);
    let export_idea = db.insert_idea(export_idea, None).await.unwrap();

    let make = async |text: &str,
                      source: NoteSource,
                      importance: Importance,
                      customer: Option<CustomerId>,
                      tags: &[&str],
                      public: bool| {
        let mut input = new_note(text, tags);
        input.source = source;
        input.importance = importance;
        input.customer_id = customer;
        input.public_safe = public;
        insert_note(db, input, None).await
    };
    let a = make(
        "a",
        NoteSource::SalesCall,
        Importance::Critical,
        Some(acme.id),
        &["sso"],
        true,
    )
    .await;
    let b = make(
        "b",
        NoteSource::SupportTicket,
        Importance::Important,
        Some(acme.id),
        &["export"],
        false,
    )
    .await;
    let c = make(
        "c",
        NoteSource::SalesCall,
        Importance::NiceToHave,
        Some(globex.id),
        &["sso", "okta"],
        false,
    )
    .await;
    let d = make(
        "d",
        NoteSource::Forum,
        Importance::Important,
        None,
        &[],
        true,
    )
    .await;
    let e = make(
        "e",
        NoteSource::Email,
        Importance::Important,
        Some(globex.id),
        &["export"],
        false,
    )
    .await;

    db.link_note(a.id, sso_idea.id, None, None).await.unwrap();
    db.link_note(c.id, sso_idea.id, None, None).await.unwrap();
    db.link_note(c.id, export_idea.id, None, None)
        .await
        .unwrap();
    db.link_note(b.id, export_idea.id, None, None)
        .await
        .unwrap();
    let plan = |reason: &str| ProcessPlan::Decline {
        reason: reason.into(),
        underlying_need: None,
        workaround: None,
    };
    db.process_note(d.id, plan("not for us"), None)
        .await
        .unwrap();
    let link_plan = ProcessPlan::Link {
        links: vec![LinkRequest {
            idea_id: export_idea.id,
            excerpt: None,
        }],
        new_idea: None,
        underlying_need: None,
        workaround: None,
    };
    db.process_note(e.id, link_plan, None).await.unwrap();

    let all = set(&[&a, &b, &c, &d, &e]);
    assert_eq!(ids(db, NoteFilter::default()).await, all);
    let cases: Vec<(&str, NoteFilter, BTreeSet<NoteId>)> = vec![
        (
            "state unprocessed",
            NoteFilter {
                state: Some(NoteState::Unprocessed),
                ..Default::default()
            },
            set(&[&a, &b, &c]),
        ),
        (
            "state processed",
            NoteFilter {
                state: Some(NoteState::Processed),
                ..Default::default()
            },
            set(&[&e]),
        ),
        (
            "state wont_do",
            NoteFilter {
                state: Some(NoteState::WontDo),
                ..Default::default()
            },
            set(&[&d]),
        ),
        (
            "source",
            NoteFilter {
                source: Some(NoteSource::SalesCall),
                ..Default::default()
            },
            set(&[&a, &c]),
        ),
        (
            "importance",
            NoteFilter {
                importance: Some(Importance::Important),
                ..Default::default()
            },
            set(&[&b, &d, &e]),
        ),
        (
            "customer",
            NoteFilter {
                customer_id: Some(acme.id),
                ..Default::default()
            },
            set(&[&a, &b]),
        ),
        (
            "public",
            NoteFilter {
                public_safe: Some(true),
                ..Default::default()
            },
            set(&[&a, &d]),
        ),
        (
            "not public",
            NoteFilter {
                public_safe: Some(false),
                ..Default::default()
            },
            set(&[&b, &c, &e]),
        ),
        (
            "tag",
            NoteFilter {
                tag: Some("export".into()),
                ..Default::default()
            },
            set(&[&b, &e]),
        ),
        (
            "idea sso",
            NoteFilter {
                idea_id: Some(sso_idea.id),
                ..Default::default()
            },
            set(&[&a, &c]),
        ),
        (
            "idea export",
            NoteFilter {
                idea_id: Some(export_idea.id),
                ..Default::default()
            },
            set(&[&b, &c, &e]),
        ),
        (
            "area auth",
            NoteFilter {
                area_id: Some(auth.id),
                ..Default::default()
            },
            set(&[&a, &c]),
        ),
        (
            "area reports",
            NoteFilter {
                area_id: Some(reports.id),
                ..Default::default()
            },
            set(&[&b, &c, &e]),
        ),
        (
            "customer + tag",
            NoteFilter {
                customer_id: Some(globex.id),
                tag: Some("sso".into()),
                ..Default::default()
            },
            set(&[&c]),
        ),
        (
            "area + state",
            NoteFilter {
                area_id: Some(reports.id),
                state: Some(NoteState::Unprocessed),
                ..Default::default()
            },
            set(&[&b, &c]),
        ),
        (
            "unknown idea",
            NoteFilter {
                idea_id: Some(IdeaId::new()),
                ..Default::default()
            },
            BTreeSet::new(),
        ),
        (
            "unknown tag",
            NoteFilter {
                tag: Some("nope".into()),
                ..Default::default()
            },
            BTreeSet::new(),
        ),
    ];
    for (what, filter, expected) in cases {
        assert_eq!(ids(db, filter).await, expected, "filter: {what}");
    }
});

backend_test!(note_counts_by_state, |t| async move {
    for i in 0..4 {
        insert_note(&t.db, new_note(&format!("note {i}"), &[]), None).await;
    }
    let n = insert_note(&t.db, new_note("declined", &[]), None).await;
    t.db.process_note(
        n.id,
        ProcessPlan::Decline {
            reason: "no".into(),
            underlying_need: None,
            workaround: None,
        },
        None,
    )
    .await
    .unwrap();
    let mut counts = t.db.note_counts().await.unwrap();
    counts.sort();
    assert_eq!(
        counts,
        [(NoteState::Unprocessed, 4), (NoteState::WontDo, 1)]
    );
});

backend_test!(bulk_insert_inserts_every_row, |t| async move {
    // More than one statement's worth (1,000 rows per INSERT).
    const N: usize = 2_345;
    let base = Timestamp::now().0 - 1_000_000;
    let acme =
        t.db.insert_customer(new_customer("Acme", 1, Segment::Smb), None)
            .await
            .unwrap();
    let rows: Vec<(NoteId, NoteRecord)> = (0..N)
        .map(|i| {
            let mut input = new_note(&format!("bulk note {i}"), &["bulk", "generated"]);
            input.customer_id = (i % 3 == 0).then_some(acme.id);
            input.public_safe = i % 2 == 0;
            let state = if i % 5 == 0 {
                NoteState::WontDo
            } else {
                NoteState::Unprocessed
            };
            let wont_do_reason = (state == NoteState::WontDo).then(|| "out of scope".to_string());
            (
                NoteId::new(),
                NoteRecord {
                    input,
                    reporter: None,
                    state,
                    wont_do_reason,
                    created_at: Timestamp(base + i as i64),
                },
            )
        })
        .collect();
    t.db.bulk_insert_notes(&crate::store::seed::notes(&rows))
        .await
        .unwrap();

    let mut counts = t.db.note_counts().await.unwrap();
    counts.sort();
    assert_eq!(
        counts,
        [
            (NoteState::Unprocessed, (N - N.div_ceil(5)) as i64),
            (NoteState::WontDo, N.div_ceil(5) as i64)
        ]
    );

    for i in [0, 1, 999, 1000, 1001, N - 1] {
        let (id, r) = &rows[i];
        let n = t.db.note(*id).await.unwrap();
        assert_eq!(n.text, r.input.text);
        assert_eq!(n.tags, ["bulk", "generated"]);
        assert_eq!(n.customer_id, r.input.customer_id);
        assert_eq!(n.public_safe, r.input.public_safe);
        assert_eq!(n.state, r.state);
        assert_eq!(n.wont_do_reason, r.wont_do_reason);
        assert_eq!((n.created_at, n.updated_at), (r.created_at, r.created_at));
    }
    let acme_notes = walk(200, async |p| {
        t.db.list_notes(
            &NoteFilter {
                customer_id: Some(acme.id),
                ..Default::default()
            },
            NoteSort::Oldest,
            &p,
        )
        .await
        .unwrap()
    })
    .await;
    assert_eq!(
        acme_notes.iter().map(Vec::len).sum::<usize>(),
        N.div_ceil(3)
    );

    // An empty batch is fine.
    t.db.bulk_insert_notes(&[]).await.unwrap();
});

backend_test!(data_survives_reconnecting, |t| async move {
    let pat = pm(&t.db).await;
    let note = insert_note(
        &t.db,
        new_note("Persist me", &["durable"]),
        Some(pat.user.id),
    )
    .await;
    let idea =
        t.db.insert_idea(new_idea("Durability"), Some(pat.user.id))
            .await
            .unwrap();
    t.db.link_note(note.id, idea.id, Some("Persist"), Some(pat.user.id))
        .await
        .unwrap();
    t.db.close().await;

    let db = Db::connect(&t.url, &test_options()).await.unwrap();
    assert!(db.pending_migrations().await.unwrap().is_empty());
    assert_eq!(db.note(note.id).await.unwrap(), note);
    assert_eq!(db.idea(idea.id).await.unwrap().title, "Durability");
    assert_eq!(db.user(pat.user.id).await.unwrap(), pat.user);
    let links = db.links_of_note(note.id).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].excerpt.as_deref(), Some("Persist"));
    assert_eq!(
        ids(
            &db,
            NoteFilter {
                tag: Some("durable".into()),
                ..Default::default()
            }
        )
        .await,
        set(&[&note])
    );
    db.close().await;
});
