//! Ideas, areas, comments and followers: round trips, label index and
//! filters, update history, unique area keys, comment order and following.

use super::*;
use bearing_testkit::backend_test;
use std::collections::BTreeSet;

async fn idea_ids(db: &Db, f: IdeaFilter) -> BTreeSet<IdeaId> {
    let page = db
        .list_ideas(
            &f,
            IdeaSort::Newest,
            &PageRequest {
                after: None,
                limit: 200,
            },
        )
        .await
        .unwrap();
    assert!(page.next_cursor.is_none());
    page.items.into_iter().map(|i| i.id).collect()
}

fn set(ideas: &[&Idea]) -> BTreeSet<IdeaId> {
    ideas.iter().map(|i| i.id).collect()
}

backend_test!(idea_round_trips_every_field, |t| async move {
    let pat = pm(&t.db).await;
    let auth =
        t.db.insert_area(new_area("Auth"), Some(pat.user.id))
            .await
            .unwrap();
    let input = NewIdea {
        title: "  SAML SSO ".into(),
        problem: "Enterprise buyers need central sign-on".into(),
        proposal: "Support SAML 2.0 with Okta and Azure AD".into(),
        area_id: Some(auth.id),
        owner_id: Some(pat.user.id),
        status: IdeaStatus::Planned,
        effort_months: Some(2.5),
        timeframe: Some(Timeframe::ThreeMonths),
        due_date: Some("2026-03-31".into()),
        labels: vec!["Customer+".into(), "direction".into(), "customer+".into()],
        tracker_links: vec!["https://tracker.example/PROJ-1".into()],
    }
    .validate()
    .unwrap();
    let idea = t.db.insert_idea(input, Some(pat.user.id)).await.unwrap();
    assert_eq!(idea.title, "SAML SSO");
    assert_eq!(idea.area_id, Some(auth.id));
    assert_eq!(idea.owner_id, Some(pat.user.id));
    assert_eq!(idea.status, IdeaStatus::Planned);
    assert_eq!(idea.effort_months, Some(2.5));
    assert_eq!(idea.timeframe, Some(Timeframe::ThreeMonths));
    assert_eq!(idea.due_date.as_deref(), Some("2026-03-31"));
    assert_eq!(idea.labels, ["customer+", "direction"]);
    assert_eq!(idea.tracker_links, ["https://tracker.example/PROJ-1"]);
    assert_eq!(idea.created_at, idea.updated_at);
    assert_eq!(t.db.idea(idea.id).await.unwrap(), idea);
    assert_eq!(
        t.db.ideas_by_ids(&[idea.id, IdeaId::new()]).await.unwrap(),
        std::slice::from_ref(&idea)
    );
    assert!(t.db.ideas_by_ids(&[]).await.unwrap().is_empty());

    let minimal = t.db.insert_idea(new_idea("Dark mode"), None).await.unwrap();
    assert_eq!(
        (
            minimal.area_id,
            minimal.owner_id,
            minimal.effort_months,
            minimal.timeframe
        ),
        (None, None, None, None)
    );
    assert!(minimal.labels.is_empty() && minimal.tracker_links.is_empty());
    assert_eq!(t.db.idea(minimal.id).await.unwrap(), minimal);

    let history = t.db.activity_of(idea.id.0, 10).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        (history[0].entity_type.as_str(), history[0].action.as_str()),
        ("idea", "created")
    );
    assert_eq!(history[0].after.as_ref().unwrap()["status"], "planned");
    assert_not_found(t.db.idea(IdeaId::new()).await);
});

backend_test!(
    updating_an_idea_replaces_labels_and_records_history,
    |t| async move {
        let pat = pm(&t.db).await;
        let mut input = new_idea("Audit log");
        input.labels = vec!["customer".into(), "security".into()];
        let idea = t.db.insert_idea(input, None).await.unwrap();
        let ch = IdeaChanges {
            title: Some("Audit log export".into()),
            status: Some(IdeaStatus::InProgress),
            effort_months: Some(1.0),
            labels: Some(vec!["Security".into(), "Compliance".into()]),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let updated =
            t.db.update_idea(idea.id, ch, Some(pat.user.id))
                .await
                .unwrap();
        assert_eq!(updated.title, "Audit log export");
        assert_eq!(updated.status, IdeaStatus::InProgress);
        assert_eq!(updated.labels, ["security", "compliance"]);
        assert_eq!(updated.problem, idea.problem);
        assert_eq!(t.db.idea(idea.id).await.unwrap(), updated);

        let label = |l: &str| {
            idea_ids(
                &t.db,
                IdeaFilter {
                    label: Some(l.into()),
                    ..Default::default()
                },
            )
        };
        assert!(
            label("customer").await.is_empty(),
            "a removed label must not find the idea"
        );
        assert_eq!(label("COMPLIANCE").await, set(&[&updated]));

        let history = t.db.activity_of(idea.id.0, 10).await.unwrap();
        let actions: Vec<&str> = history.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, ["updated", "created"]);
        let (before, after) = (
            history[0].before.as_ref().unwrap(),
            history[0].after.as_ref().unwrap(),
        );
        assert_eq!(
            (&before["title"], &after["title"]),
            (
                &serde_json::json!("Audit log"),
                &serde_json::json!("Audit log export")
            )
        );
        assert_eq!(
            (&before["status"], &after["status"]),
            (&serde_json::json!("new"), &serde_json::json!("in_progress"))
        );
        assert_eq!(history[0].actor_id, Some(pat.user.id));

        assert_app_not_found(
            t.db.update_idea(IdeaId::new(), IdeaChanges::default(), None)
                .await,
        );
    }
);

backend_test!(list_ideas_filters_narrow_the_list, |t| async move {
    let db = &t.db;
    let pat = pm(db).await;
    let sam = user(db, "Sam PM", Role::Pm).await;
    let auth = db.insert_area(new_area("Auth"), None).await.unwrap();
    let reports = db.insert_area(new_area("Reports"), None).await.unwrap();
    let acme = db
        .insert_customer(new_customer("Acme", 1, Segment::Smb), None)
        .await
        .unwrap();
    let globex = db
        .insert_customer(new_customer("Globex", 1, Segment::Smb), None)
        .await
        .unwrap();

    let make = async |title: &str,
                      area: Option<AreaId>,
                      owner: Option<UserId>,
                      status: IdeaStatus,
                      labels: &[&str]| {
        let mut i = new_idea(title);
        i.area_id = area;
        i.owner_id = owner;
        i.status = status;
        i.labels = labels.iter().map(|l| l.to_string()).collect();
        db.insert_idea(i.validate().unwrap(), None).await.unwrap()
    };
    let sso = make(
        "SSO",
        Some(auth.id),
        Some(pat.user.id),
        IdeaStatus::Planned,
        &["customer+"],
    )
    .await;
    let mfa = make(
        "MFA",
        Some(auth.id),
        Some(sam.user.id),
        IdeaStatus::New,
        &["customer", "security"],
    )
    .await;
    let csv = make(
        "CSV export",
        Some(reports.id),
        Some(pat.user.id),
        IdeaStatus::New,
        &["customer"],
    )
    .await;
    let themes = make("Themes", None, None, IdeaStatus::WontDo, &[]).await;

    // Customers ask through linked notes.
    let mut from_acme = new_note("acme wants sso and csv", &[]);
    from_acme.customer_id = Some(acme.id);
    let from_acme = insert_note(db, from_acme, None).await;
    let mut from_globex = new_note("globex wants csv", &[]);
    from_globex.customer_id = Some(globex.id);
    let from_globex = insert_note(db, from_globex, None).await;
    db.link_note(from_acme.id, sso.id, None, None)
        .await
        .unwrap();
    db.link_note(from_acme.id, csv.id, None, None)
        .await
        .unwrap();
    db.link_note(from_globex.id, csv.id, None, None)
        .await
        .unwrap();

    assert_eq!(
        idea_ids(db, IdeaFilter::default()).await,
        set(&[&sso, &mfa, &csv, &themes])
    );
    let cases: Vec<(&str, IdeaFilter, BTreeSet<IdeaId>)> = vec![
        (
            "status new",
            IdeaFilter {
                status: Some(IdeaStatus::New),
                ..Default::default()
            },
            set(&[&mfa, &csv]),
        ),
        (
            "status wont_do",
            IdeaFilter {
                status: Some(IdeaStatus::WontDo),
                ..Default::default()
            },
            set(&[&themes]),
        ),
        (
            "area",
            IdeaFilter {
                area_id: Some(auth.id),
                ..Default::default()
            },
            set(&[&sso, &mfa]),
        ),
        (
            "label",
            IdeaFilter {
                label: Some("customer".into()),
                ..Default::default()
            },
            set(&[&mfa, &csv]),
        ),
        (
            "label case",
            IdeaFilter {
                label: Some("Customer+".into()),
                ..Default::default()
            },
            set(&[&sso]),
        ),
        (
            "owner",
            IdeaFilter {
                owner_id: Some(pat.user.id),
                ..Default::default()
            },
            set(&[&sso, &csv]),
        ),
        (
            "customer acme",
            IdeaFilter {
                customer_id: Some(acme.id),
                ..Default::default()
            },
            set(&[&sso, &csv]),
        ),
        (
            "customer globex",
            IdeaFilter {
                customer_id: Some(globex.id),
                ..Default::default()
            },
            set(&[&csv]),
        ),
        (
            "area + label",
            IdeaFilter {
                area_id: Some(auth.id),
                label: Some("customer".into()),
                ..Default::default()
            },
            set(&[&mfa]),
        ),
        (
            "owner + customer",
            IdeaFilter {
                owner_id: Some(pat.user.id),
                customer_id: Some(globex.id),
                ..Default::default()
            },
            set(&[&csv]),
        ),
        (
            "unknown area",
            IdeaFilter {
                area_id: Some(AreaId::new()),
                ..Default::default()
            },
            BTreeSet::new(),
        ),
    ];
    for (what, filter, expected) in cases {
        assert_eq!(idea_ids(db, filter).await, expected, "filter: {what}");
    }
});

backend_test!(areas_round_trip_and_keys_are_unique, |t| async move {
    let pat = pm(&t.db).await;
    let reports =
        t.db.insert_area(new_area("Reports & Dashboards"), Some(pat.user.id))
            .await
            .unwrap();
    assert_eq!(reports.key, "reports-dashboards");
    assert_eq!(reports.description, "All about Reports & Dashboards");
    let auth = t.db.insert_area(new_area("Auth"), None).await.unwrap();
    assert_eq!(t.db.area(reports.id).await.unwrap(), reports);
    assert_eq!(t.db.area_by_key("auth").await.unwrap(), auth);
    assert_eq!(
        t.db.areas().await.unwrap(),
        [auth.clone(), reports.clone()],
        "areas are listed by name"
    );

    match t
        .db
        .insert_area(
            NewArea {
                key: Some("auth".into()),
                name: "Authentication".into(),
                description: String::new(),
            }
            .validate()
            .unwrap(),
            None,
        )
        .await
    {
        Err(AppError::Invalid(v)) if v.field == "key" => {}
        other => panic!("expected a key conflict, got {other:?}"),
    }

    let renamed =
        t.db.update_area(auth.id, "Identity", "Sign-in and SSO", Some(pat.user.id))
            .await
            .unwrap();
    assert_eq!(
        (
            renamed.key.as_str(),
            renamed.name.as_str(),
            renamed.description.as_str()
        ),
        ("auth", "Identity", "Sign-in and SSO")
    );
    let history = t.db.activity_of(auth.id.0, 10).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["updated", "created"]);
    assert_eq!(history[0].before.as_ref().unwrap()["name"], "Auth");
    assert_eq!(history[0].after.as_ref().unwrap()["name"], "Identity");
    assert_not_found(t.db.area(AreaId::new()).await);
    assert_not_found(t.db.area_by_key("nope").await);
    assert_app_not_found(t.db.update_area(AreaId::new(), "x", "y", None).await);
});

backend_test!(comments_and_followers, |t| async move {
    let db = &t.db;
    let pat = pm(db).await;
    let cy = user(db, "Cy Contributor", Role::Contributor).await;
    let idea = db.insert_idea(new_idea("Webhooks"), None).await.unwrap();
    // Timestamps are milliseconds: step past the one just written.
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;

    let first = db
        .insert_comment(idea.id, Some(pat.user.id), "First!")
        .await
        .unwrap();
    let second = db
        .insert_comment(idea.id, Some(cy.user.id), "Second")
        .await
        .unwrap();
    let third = db
        .insert_comment(idea.id, Some(pat.user.id), "Third")
        .await
        .unwrap();
    let anonymous = db
        .insert_comment(idea.id, None, "From the system")
        .await
        .unwrap();
    assert_eq!(
        db.comments_of(idea.id, 100).await.unwrap(),
        [first.clone(), second.clone(), third, anonymous],
        "oldest first"
    );
    assert_eq!(
        db.comments_of(idea.id, 2).await.unwrap(),
        [first, second],
        "limit keeps the oldest"
    );

    // Commenting follows the idea, once per person, in the order they arrived.
    assert_eq!(
        db.followers_of(idea.id).await.unwrap(),
        [pat.user.id, cy.user.id]
    );
    db.set_following(idea.id, cy.user.id, true).await.unwrap();
    assert_eq!(
        db.followers_of(idea.id).await.unwrap(),
        [pat.user.id, cy.user.id],
        "following twice is a no-op"
    );
    db.set_following(idea.id, pat.user.id, false).await.unwrap();
    assert_eq!(db.followers_of(idea.id).await.unwrap(), [cy.user.id]);
    db.set_following(idea.id, pat.user.id, false).await.unwrap();
    assert_eq!(
        db.followers_of(idea.id).await.unwrap(),
        [cy.user.id],
        "unfollowing twice is a no-op"
    );

    // Comments touch the idea and are in its history.
    assert!(db.idea(idea.id).await.unwrap().updated_at > idea.updated_at);
    let history = db.activity_of(idea.id.0, 100).await.unwrap();
    assert_eq!(
        history.iter().filter(|a| a.action == "commented").count(),
        4
    );

    assert_app_not_found(
        db.insert_comment(IdeaId::new(), Some(pat.user.id), "lost")
            .await,
    );
    assert_app_not_found(db.set_following(IdeaId::new(), pat.user.id, true).await);
    assert!(db.comments_of(IdeaId::new(), 10).await.unwrap().is_empty());
});
