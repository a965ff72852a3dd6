//! Who may call what: tokens, roles.

use bearing_domain::Role;
use bearing_testkit::{TestApp, backend_test};
use reqwest::{Method, StatusCode};
use serde_json::json;

backend_test!(api_requires_a_token, |t: TestApp| async move {
    let resp = t.client.get(t.url("/api/v1/notes")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let (s, b) = t
        .call_as("brg_not-a-real-token", Method::GET, "/api/v1/notes", None)
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not valid")
    );
});

backend_test!(me_names_the_token_owner, |t: TestApp| async move {
    let (s, b) = t.get("/api/v1/me").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(b["user"]["email"], t.email);
    assert_eq!(b["user"]["role"], "admin");
});

backend_test!(viewers_read_but_cannot_write, |t: TestApp| async move {
    let (_, token) = t.user_with_token("viewer@test.local", Role::Viewer).await;
    let (s, _) = t.call_as(&token, Method::GET, "/api/v1/notes", None).await;
    assert_eq!(s, StatusCode::OK);
    let (s, b) = t
        .call_as(
            &token,
            Method::POST,
            "/api/v1/notes",
            Some(json!({"text": "hi", "source": "email"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(b["error"]["code"], "forbidden");
});

backend_test!(
    contributors_log_notes_but_do_not_triage,
    |t: TestApp| async move {
        let (_, token) = t.user_with_token("cs@test.local", Role::Contributor).await;
        let (s, note) = t
            .call_as(
                &token,
                Method::POST,
                "/api/v1/notes",
                Some(json!({"text": "Wants SSO", "source": "cs_call"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let path = format!("/api/v1/notes/{}/process", note["id"].as_str().unwrap());
        let (s, _) = t
            .call_as(
                &token,
                Method::POST,
                &path,
                Some(json!({"wont_do_reason": "no"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
);
