//! Merging ideas over the API: a merge moves notes, comments and followers
//! and answers the survivor; the merged idea's API id answers 308 and its
//! page 303 to the survivor; refusals with their status and message; the
//! merges list; un-merge restores; the page form merges and un-merges
//! without JavaScript.

use super::{csrf_of, idea};
use bearing_domain::Role;
use bearing_testkit::{TestApp, backend_test};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

async fn note_linked_to(t: &TestApp, text: &str, ideas: &[&str]) -> String {
    let (s, n) = t
        .post("/api/v1/notes", json!({"text": text, "source": "email"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    let id = n["id"].as_str().unwrap().to_string();
    for i in ideas {
        let (s, l) = t
            .post("/api/v1/links", json!({"note_id": id, "idea_id": i}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{l}");
    }
    id
}

async fn count(t: &TestApp, path: &str) -> usize {
    let (s, b) = t.get(path).await;
    assert_eq!(s, StatusCode::OK, "{path}: {b}");
    b["items"].as_array().unwrap().len()
}

backend_test!(merge_redirect_and_unmerge, |t: TestApp| async move {
    let a = idea(&t, "SAML SSO", &["customer"]).await;
    let b = idea(&t, "SSO via SAML", &["direction"]).await;
    let c = idea(&t, "Dark mode", &[]).await;
    note_linked_to(&t, "We need SSO", &[&a, &b]).await;
    note_linked_to(&t, "Okta please", &[&b]).await;
    let (s, _) = t
        .post(
            &format!("/api/v1/ideas/{b}/comments"),
            json!({"body": "dup of SAML SSO?"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (_, viewer) = t.user_with_token("v@example.test", Role::Viewer).await;

    // Refusals.
    let (s, e) = t
        .post(&format!("/api/v1/ideas/{a}/merge"), json!({"into": a}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "into");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("into itself")
    );
    let (s, e) = t
        .call_as(
            &viewer,
            Method::POST,
            &format!("/api/v1/ideas/{b}/merge"),
            Some(json!({"into": a})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, e) = t
        .post(&format!("/api/v1/ideas/{b}/merge"), json!({"into": "nope"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    let (s, e) = t
        .post(
            &format!("/api/v1/ideas/{b}/merge"),
            json!({"into": a, "extra": 1}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");

    // Merge B into A.
    let (s, m) = t
        .post(&format!("/api/v1/ideas/{b}/merge"), json!({"into": a}))
        .await;
    assert_eq!(s, StatusCode::OK, "{m}");
    assert_eq!(m["survivor"], a.as_str());
    let merge_id = m["merge_id"].as_str().unwrap().to_string();
    assert_eq!(m["merge"]["can_unmerge"], true);
    assert_eq!(m["merge"]["merged_title"], "SSO via SAML");

    assert_eq!(count(&t, &format!("/api/v1/ideas/{a}/notes")).await, 2);
    assert_eq!(count(&t, &format!("/api/v1/ideas/{a}/comments")).await, 1);
    let (s, shown) = t.get(&format!("/api/v1/ideas/{a}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(shown["idea"]["labels"], json!(["customer", "direction"]));
    assert_eq!(shown["followers"].as_array().unwrap().len(), 1, "{shown}");

    // B's API id and page redirect to A.
    let (s, _) = t.get(&format!("/api/v1/ideas/{b}")).await;
    assert_eq!(s, StatusCode::PERMANENT_REDIRECT);
    let resp = t
        .client
        .get(t.url(&format!("/api/v1/ideas/{b}")))
        .bearer_auth(&t.token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["location"].to_str().unwrap(),
        format!("/api/v1/ideas/{a}")
    );
    let (s, list) = t.get("/api/v1/ideas").await;
    assert_eq!(s, StatusCode::OK);
    let ids: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&b.as_str()) && ids.contains(&a.as_str()));

    // Merging again, or into the merged-away idea, is refused.
    let (s, e) = t
        .post(&format!("/api/v1/ideas/{b}/merge"), json!({"into": c}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, e) = t
        .post(&format!("/api/v1/ideas/{c}/merge"), json!({"into": b}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap()
            .contains("merged into another idea")
    );

    let (s, merges) = t.get(&format!("/api/v1/ideas/{a}/merges")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(merges["items"][0]["id"], merge_id.as_str());
    assert_eq!(merges["items"][0]["merged_id"], b.as_str());

    // Un-merge restores B.
    let (s, u) = t
        .post(&format!("/api/v1/merges/{merge_id}/unmerge"), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert!(u["unmerged_at"].is_string());
    assert_eq!(count(&t, &format!("/api/v1/ideas/{a}/notes")).await, 1);
    assert_eq!(count(&t, &format!("/api/v1/ideas/{b}/notes")).await, 2);
    assert_eq!(count(&t, &format!("/api/v1/ideas/{b}/comments")).await, 1);
    let (s, shown) = t.get(&format!("/api/v1/ideas/{b}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(shown["idea"]["labels"], json!(["direction"]));
    let (_, shown) = t.get(&format!("/api/v1/ideas/{a}")).await;
    assert_eq!(shown["idea"]["labels"], json!(["customer"]));
    let (s, e) = t
        .post(&format!("/api/v1/merges/{merge_id}/unmerge"), json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (s, _) = t
        .post(
            "/api/v1/merges/0190aaaa-0000-7000-8000-000000000000/unmerge",
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = t
        .post("/api/v1/merges/not-an-id/unmerge", Value::Null)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});

backend_test!(
    merge_and_unmerge_from_the_idea_page,
    |t: TestApp| async move {
        let a = idea(&t, "Audit log", &[]).await;
        let b = idea(&t, "Audit trail", &[]).await;
        let cookie = t.sign_in_cookie().await;
        let (s, html) = t.page(&cookie, &format!("/ideas/{b}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Merge into…"), "PMs see the merge form");
        assert!(
            html.contains(&format!("value=\"{a}\">Audit log")),
            "A is offered as a target"
        );
        let csrf = csrf_of(&html);

        let (s, e) = t
            .form(
                &cookie,
                &format!("/ideas/{b}/merge"),
                &[("csrf", "wrong"), ("into", &a)],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
        let (s, e) = t
            .form(
                &cookie,
                &format!("/ideas/{b}/merge"),
                &[("csrf", &csrf), ("into", &b)],
            )
            .await;
        assert!(s.is_client_error(), "{s}");
        assert!(e.contains("cannot be merged into itself"), "{e}");
        let (s, to) = t
            .form(
                &cookie,
                &format!("/ideas/{b}/merge"),
                &[("csrf", &csrf), ("into", &a)],
            )
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(to, format!("/ideas/{a}"));

        // B's page now redirects to A, which offers the un-merge.
        let (s, to) = t.page(&cookie, &format!("/ideas/{b}")).await;
        assert!(s.is_redirection(), "{s}");
        assert_eq!(to, format!("/ideas/{a}"));
        let (s, html) = t.page(&cookie, &format!("/ideas/{a}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            html.contains("Merged from <strong>Audit trail</strong>"),
            "{html}"
        );
        let at = html.find("action=\"/merges/").unwrap() + 8;
        let action = html[at..].split('"').next().unwrap().to_string();
        let (s, to) = t.form(&cookie, &action, &[("csrf", &csrf)]).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{to}");
        assert_eq!(to, format!("/ideas/{b}"));
        let (s, html) = t.page(&cookie, &format!("/ideas/{b}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(html.contains("Audit trail"));
        let (_, html) = t.page(&cookie, &format!("/ideas/{a}")).await;
        assert!(!html.contains("Merged from"));
    }
);

backend_test!(
    a_merged_away_idea_refuses_changes_and_names_the_survivor,
    |t: TestApp| async move {
        let (_, a) = t
            .post(
                "/api/v1/ideas",
                serde_json::json!({"title": "Survivor", "problem": "p"}),
            )
            .await;
        let (_, b) = t
            .post(
                "/api/v1/ideas",
                serde_json::json!({"title": "Duplicate", "problem": "p"}),
            )
            .await;
        let (a, b) = (
            a["id"].as_str().unwrap().to_string(),
            b["id"].as_str().unwrap().to_string(),
        );
        let (s, _) = t
            .post(
                &format!("/api/v1/ideas/{b}/merge"),
                serde_json::json!({"into": a}),
            )
            .await;
        assert_eq!(s, reqwest::StatusCode::OK);
        let (s, e) = t
            .patch(
                &format!("/api/v1/ideas/{b}"),
                serde_json::json!({"title": "x"}),
            )
            .await;
        assert_eq!(s, reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(e["error"]["message"].as_str().unwrap().contains(&a), "{e}");
        let (s, _) = t
            .post(
                &format!("/api/v1/ideas/{b}/comments"),
                serde_json::json!({"body": "hi"}),
            )
            .await;
        assert_eq!(s, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        let (_, n) = t
            .post(
                "/api/v1/notes",
                serde_json::json!({"text": "t", "source": "email"}),
            )
            .await;
        let (s, e) = t
            .post(
                &format!("/api/v1/notes/{}/process", n["id"].as_str().unwrap()),
                serde_json::json!({"links": [{"idea_id": b}]}),
            )
            .await;
        assert_eq!(s, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["error"]["field"], "links[0].idea_id");
        let (s, _) = t.call(reqwest::Method::PUT, &format!("/api/v1/ideas/{b}/rice"), Some(serde_json::json!({"reach": 10, "impact": 1, "confidence": 1, "effort_months": 1}))).await;
        assert_eq!(s, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    }
);
