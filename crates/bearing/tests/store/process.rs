//! Links and processing: linking a note to existing and new ideas, the
//! all-or-nothing guarantee of `process_note`, declining as won't do, link
//! upserts and removal, and the notes of an idea.

use super::*;
use bearing_testkit::backend_test;

fn link_plan(
    links: &[(IdeaId, Option<&str>)],
    new: Option<(NewIdea, Option<&str>)>,
) -> ProcessPlan {
    ProcessPlan::Link {
        links: links
            .iter()
            .map(|(id, e)| LinkRequest {
                idea_id: *id,
                excerpt: e.map(Into::into),
            })
            .collect(),
        new_idea: new.map(|(i, e)| Box::new((i, e.map(Into::into)))),
        underlying_need: Some("Central control of access".into()),
        workaround: Some("Use Google sign-in meanwhile".into()),
    }
}

backend_test!(processing_links_existing_and_new_ideas, |t| async move {
    let db = &t.db;
    let pat = pm(db).await;
    let note = insert_note(
        db,
        new_note("We need SAML and SCIM for Okta", &["sso"]),
        None,
    )
    .await;
    let sso = db.insert_idea(new_idea("SAML SSO"), None).await.unwrap();
    let mut scim = new_idea("SCIM provisioning");
    scim.labels = vec!["customer".into()];
    // Timestamps are milliseconds: step past the one just written.
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;

    let done = db
        .process_note(
            note.id,
            link_plan(
                &[(sso.id, Some("SAML"))],
                Some((scim.validate().unwrap(), Some("SCIM"))),
            ),
            Some(pat.user.id),
        )
        .await
        .unwrap();
    let new_id = done.new_idea.expect("a new idea was asked for");
    assert_eq!(done.linked, [sso.id, new_id]);
    assert_eq!(done.note.state, NoteState::Processed);
    assert_eq!(done.note.processed_by, Some(pat.user.id));
    assert!(done.note.processed_at.is_some());
    assert_eq!(
        done.note.underlying_need.as_deref(),
        Some("Central control of access")
    );
    assert_eq!(
        done.note.workaround.as_deref(),
        Some("Use Google sign-in meanwhile")
    );
    assert_eq!(
        db.note(note.id).await.unwrap(),
        done.note,
        "what process_note returns is what was stored"
    );

    let created = db.idea(new_id).await.unwrap();
    assert_eq!(created.title, "SCIM provisioning");
    assert_eq!(created.labels, ["customer"]);

    let links = db.links_of_note(note.id).await.unwrap();
    let linked: Vec<(IdeaId, Option<&str>, Option<UserId>)> = links
        .iter()
        .map(|l| (l.idea_id, l.excerpt.as_deref(), l.created_by))
        .collect();
    assert_eq!(
        linked,
        [
            (sso.id, Some("SAML"), Some(pat.user.id)),
            (new_id, Some("SCIM"), Some(pat.user.id))
        ]
    );
    let of_idea = db.notes_of_idea(sso.id, 10).await.unwrap();
    assert_eq!(of_idea.len(), 1);
    assert_eq!(of_idea[0].1, done.note);
    assert_eq!(of_idea[0].0, links[0]);

    let history = db.activity_of(note.id.0, 10).await.unwrap();
    assert_eq!(history[0].action, "processed");
    assert_eq!(history[0].before.as_ref().unwrap()["state"], "unprocessed");
    assert_eq!(history[0].after.as_ref().unwrap()["state"], "processed");
    assert_eq!(
        history[0].after.as_ref().unwrap()["ideas"],
        serde_json::json!([sso.id, new_id])
    );
    let sso_history = db.activity_of(sso.id.0, 10).await.unwrap();
    assert_eq!(sso_history[0].action, "linked_note");
    assert!(
        db.idea(sso.id).await.unwrap().updated_at > sso.updated_at,
        "linking touches the idea"
    );
});

backend_test!(processing_is_all_or_nothing, |t| async move {
    let db = &t.db;
    let pat = pm(db).await;
    let note = insert_note(db, new_note("Please add audit logs", &[]), None).await;
    let existing = db.insert_idea(new_idea("Audit log"), None).await.unwrap();
    let missing = IdeaId::new();
    let ideas_before = db
        .list_ideas(
            &IdeaFilter::default(),
            IdeaSort::Newest,
            &PageRequest::default(),
        )
        .await
        .unwrap()
        .items;

    // The existing idea is linked first, then the missing one fails: the
    // first link, the new idea and the state change must all roll back.
    let plan = link_plan(
        &[(existing.id, Some("audit")), (missing, None)],
        Some((new_idea("Audit export"), None)),
    );
    match db.process_note(note.id, plan, Some(pat.user.id)).await {
        Err(AppError::Invalid(v)) => assert!(v.message.contains(&missing.to_string()), "{v}"),
        other => panic!("expected a constraint error naming the missing idea, got {other:?}"),
    }

    assert_eq!(
        db.note(note.id).await.unwrap(),
        note,
        "the note is untouched"
    );
    assert!(
        db.links_of_note(note.id).await.unwrap().is_empty(),
        "no link survives"
    );
    assert!(db.notes_of_idea(existing.id, 10).await.unwrap().is_empty());
    assert_eq!(
        db.idea(existing.id).await.unwrap(),
        existing,
        "the existing idea is untouched"
    );
    let ideas_after = db
        .list_ideas(
            &IdeaFilter::default(),
            IdeaSort::Newest,
            &PageRequest::default(),
        )
        .await
        .unwrap()
        .items;
    assert_eq!(ideas_after, ideas_before, "no new idea was created");
    let actions: Vec<String> = db
        .activity_of(note.id.0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["created"]);
    let actions: Vec<String> = db
        .activity_of(existing.id.0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["created"]);
    let mut counts = db.note_counts().await.unwrap();
    counts.sort();
    assert_eq!(counts, [(NoteState::Unprocessed, 1)]);

    // The same note then processes fine, and the pool is still usable.
    let ok = db
        .process_note(
            note.id,
            link_plan(&[(existing.id, None)], None),
            Some(pat.user.id),
        )
        .await
        .unwrap();
    assert_eq!(ok.linked, [existing.id]);
    assert_eq!(db.links_of_note(note.id).await.unwrap().len(), 1);
    assert_app_not_found(
        db.process_note(NoteId::new(), link_plan(&[(existing.id, None)], None), None)
            .await,
    );
});

backend_test!(declining_sets_wont_do_and_the_reason, |t| async move {
    let db = &t.db;
    let pat = pm(db).await;
    let note = insert_note(db, new_note("Make it run on Windows 95", &[]), None).await;
    let decline = ProcessPlan::Decline {
        reason: "We only support current operating systems".into(),
        underlying_need: Some("Legacy hardware".into()),
        workaround: None,
    };
    let done = db
        .process_note(note.id, decline, Some(pat.user.id))
        .await
        .unwrap();
    assert_eq!(done.note.state, NoteState::WontDo);
    assert_eq!(
        done.note.wont_do_reason.as_deref(),
        Some("We only support current operating systems")
    );
    assert_eq!(
        done.note.underlying_need.as_deref(),
        Some("Legacy hardware")
    );
    assert_eq!(done.note.processed_by, Some(pat.user.id));
    assert!(done.linked.is_empty() && done.new_idea.is_none());
    assert_eq!(db.note(note.id).await.unwrap(), done.note);
    assert!(db.links_of_note(note.id).await.unwrap().is_empty());
    let history = db.activity_of(note.id.0, 10).await.unwrap();
    assert_eq!(history[0].action, "declined");
    assert_eq!(
        history[0].after.as_ref().unwrap()["wont_do_reason"],
        "We only support current operating systems"
    );

    // Reconsidered later: linking clears the reason and keeps the need.
    let idea = db
        .insert_idea(new_idea("Legacy OS support"), None)
        .await
        .unwrap();
    let plan = ProcessPlan::Link {
        links: vec![LinkRequest {
            idea_id: idea.id,
            excerpt: None,
        }],
        new_idea: None,
        underlying_need: None,
        workaround: None,
    };
    let again = db
        .process_note(note.id, plan, Some(pat.user.id))
        .await
        .unwrap();
    assert_eq!(again.note.state, NoteState::Processed);
    assert_eq!(again.note.wont_do_reason, None);
    assert_eq!(
        again.note.underlying_need.as_deref(),
        Some("Legacy hardware")
    );
    assert_eq!(db.note(note.id).await.unwrap(), again.note);
});

backend_test!(links_upsert_and_unlink, |t| async move {
    let db = &t.db;
    let pat = pm(db).await;
    let note = insert_note(db, new_note("Dark mode for night shifts", &[]), None).await;
    let idea = db.insert_idea(new_idea("Dark mode"), None).await.unwrap();

    let link = db
        .link_note(note.id, idea.id, Some("Dark mode"), Some(pat.user.id))
        .await
        .unwrap();
    assert_eq!(
        (
            link.note_id,
            link.idea_id,
            link.excerpt.as_deref(),
            link.created_by
        ),
        (note.id, idea.id, Some("Dark mode"), Some(pat.user.id))
    );
    assert_eq!(db.link_by_id(link.id).await.unwrap(), link);

    // Linking again updates the excerpt of the one link.
    let relinked = db
        .link_note(note.id, idea.id, Some("night shifts"), Some(pat.user.id))
        .await
        .unwrap();
    assert_eq!(relinked.id, link.id);
    assert_eq!(relinked.excerpt.as_deref(), Some("night shifts"));
    assert_eq!(
        db.links_of_note(note.id).await.unwrap(),
        std::slice::from_ref(&relinked)
    );
    // Linking does not process the note.
    assert_eq!(
        db.note(note.id).await.unwrap().state,
        NoteState::Unprocessed
    );

    db.unlink(link.id, Some(pat.user.id)).await.unwrap();
    assert!(db.links_of_note(note.id).await.unwrap().is_empty());
    assert_not_found(db.link_by_id(link.id).await);
    assert_app_not_found(db.unlink(link.id, None).await);
    let actions: Vec<String> = db
        .activity_of(idea.id.0, 10)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        actions,
        ["unlinked_note", "linked_note", "linked_note", "created"]
    );

    match db.link_note(note.id, IdeaId::new(), None, None).await {
        Err(AppError::Invalid(v)) => assert_eq!(v.field, "idea_id"),
        other => panic!("linking to a missing idea: {other:?}"),
    }
    assert_app_not_found(db.link_note(NoteId::new(), idea.id, None, None).await);
});

backend_test!(notes_of_an_idea_newest_link_first, |t| async move {
    let db = &t.db;
    let idea = db
        .insert_idea(new_idea("Slack integration"), None)
        .await
        .unwrap();
    let mut notes = Vec::new();
    for i in 0..5 {
        let n = insert_note(db, new_note(&format!("Slack please #{i}"), &[]), None).await;
        db.link_note(n.id, idea.id, None, None).await.unwrap();
        notes.push(n.id);
    }
    let other = db
        .insert_idea(new_idea("Teams integration"), None)
        .await
        .unwrap();
    let unrelated = insert_note(db, new_note("Teams please", &[]), None).await;
    db.link_note(unrelated.id, other.id, None, None)
        .await
        .unwrap();

    let got: Vec<NoteId> = db
        .notes_of_idea(idea.id, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, n)| n.id)
        .collect();
    let mut expected = notes.clone();
    expected.reverse();
    assert_eq!(got, expected);
    let latest: Vec<NoteId> = db
        .notes_of_idea(idea.id, 2)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, n)| n.id)
        .collect();
    assert_eq!(latest, expected[..2]);
    assert!(
        db.notes_of_idea(IdeaId::new(), 10)
            .await
            .unwrap()
            .is_empty()
    );
});
