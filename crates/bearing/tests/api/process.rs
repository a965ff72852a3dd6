//! Processing a note: link to ideas, create an idea from it, or decline —
//! all or nothing.

use super::idea;
use bearing_testkit::{TestApp, backend_test};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn note(t: &TestApp, text: &str) -> String {
    let (s, n) = t
        .post(
            "/api/v1/notes",
            json!({"text": text, "source": "support_ticket"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    n["id"].as_str().unwrap().to_string()
}

async fn links(t: &TestApp, note: &str) -> Vec<Value> {
    t.get(&format!("/api/v1/notes/{note}/links")).await.1["items"]
        .as_array()
        .unwrap()
        .clone()
}

backend_test!(
    processing_against_a_missing_idea_changes_nothing,
    |t: TestApp| async move {
        let n = note(&t, "Okta SSO please").await;
        let good = idea(&t, "SAML SSO", &[]).await;
        let missing = "0190c0de-0000-7000-8000-000000000001";
        let (s, b) = t
            .post(
                &format!("/api/v1/notes/{n}/process"),
                json!({"links": [{"idea_id": good}, {"idea_id": missing}]}),
            )
            .await;
        assert!(
            s == StatusCode::UNPROCESSABLE_ENTITY || s == StatusCode::NOT_FOUND,
            "{s} {b}"
        );
        assert_eq!(b["error"]["field"], "links[1].idea_id");
        assert!(links(&t, &n).await.is_empty(), "no partial links");
        let (_, d) = t.get(&format!("/api/v1/notes/{n}")).await;
        assert_eq!(d["note"]["state"], "unprocessed");
        // A bad new idea inside the same request also leaves no trace.
        let (s, b) = t
            .post(
                &format!("/api/v1/notes/{n}/process"),
                json!({"links": [{"idea_id": good}], "new_idea": {"title": "x", "problem": ""}}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["error"]["field"], "new_idea.problem");
        assert!(links(&t, &n).await.is_empty());
        let (_, ideas) = t.get("/api/v1/ideas").await;
        assert_eq!(ideas["items"].as_array().unwrap().len(), 1);
    }
);

backend_test!(
    process_links_existing_and_new_ideas,
    |t: TestApp| async move {
        let n = note(
            &t,
            "We need SCIM provisioning and Okta group sync for 400 seats.",
        )
        .await;
        let existing = idea(&t, "SAML SSO", &[]).await;
        let (s, b) = t.post(&format!("/api/v1/notes/{n}/process"), json!({
        "links": [{"idea_id": existing, "excerpt": "Okta group sync"}],
        "new_idea": {"title": "SCIM provisioning", "problem": "IT must create 400 accounts by hand.", "labels": ["customer"]},
        "new_idea_excerpt": "SCIM provisioning",
        "underlying_need": "Automate onboarding"
    })).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(b["note"]["state"], "processed");
        assert_eq!(b["note"]["underlying_need"], "Automate onboarding");
        assert_eq!(b["note"]["processed_by"], json!(t.admin.id));
        let new_id = b["new_idea_id"].as_str().unwrap();
        assert_eq!(b["linked_idea_ids"].as_array().unwrap().len(), 2);
        let ls = links(&t, &n).await;
        assert_eq!(ls.len(), 2);
        assert!(
            ls.iter()
                .any(|l| l["idea_id"] == existing && l["excerpt"] == "Okta group sync")
        );
        let (_, notes) = t.get(&format!("/api/v1/ideas/{new_id}/notes")).await;
        assert_eq!(notes["items"][0]["note"]["id"], n.as_str());
        assert_eq!(notes["items"][0]["link"]["excerpt"], "SCIM provisioning");
        let (_, processed) = t.get("/api/v1/notes?state=processed").await;
        assert_eq!(processed["items"].as_array().unwrap().len(), 1);
        let (_, unprocessed) = t.get("/api/v1/notes?state=unprocessed").await;
        assert!(unprocessed["items"].as_array().unwrap().is_empty());
    }
);

backend_test!(decline_as_wont_do_with_reason, |t: TestApp| async move {
    let n = note(&t, "Please add a Comic Sans theme").await;
    let (s, b) = t
        .post(
            &format!("/api/v1/notes/{n}/process"),
            json!({"wont_do_reason": "Not aligned with our accessibility guidelines."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["note"]["state"], "wont_do");
    assert_eq!(
        b["note"]["wont_do_reason"],
        "Not aligned with our accessibility guidelines."
    );
    let (s, b) = t
        .post(&format!("/api/v1/notes/{n}/process"), json!({}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "links");
});

backend_test!(excerpt_must_quote_the_note, |t: TestApp| async move {
    let n = note(&t, "Dashboards load slowly").await;
    let i = idea(&t, "Faster dashboards", &[]).await;
    let (s, b) = t
        .post(
            &format!("/api/v1/notes/{n}/process"),
            json!({"links": [{"idea_id": i, "excerpt": "exports fail"}]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "excerpt");
    let (s, l) = t
        .post(
            "/api/v1/links",
            json!({"note_id": n, "idea_id": i, "excerpt": "load slowly"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{l}");
    let lid = l["id"].as_str().unwrap();
    let (s, _) = t
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/links/{lid}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(links(&t, &n).await.is_empty());
});
