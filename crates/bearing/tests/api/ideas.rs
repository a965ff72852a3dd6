//! Ideas over the API: create, update, list with filters, comments, follow.

use bearing_testkit::{TestApp, backend_test};
use reqwest::{Method, StatusCode};
use serde_json::json;

backend_test!(create_update_and_filter_ideas, |t: TestApp| async move {
    let (s, area) = t
        .post(
            "/api/v1/areas",
            json!({"name": "Admin & Security", "description": "SSO, audit"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{area}");
    assert_eq!(area["key"], "admin-security");
    let aid = area["id"].as_str().unwrap();
    let (s, i) = t.post("/api/v1/ideas", json!({
        "title": "Audit log export", "problem": "Compliance teams need evidence of who changed what.",
        "proposal": "Export the audit log as CSV.", "area_id": aid, "effort_months": 1.5,
        "timeframe": "6_months", "labels": ["Customer+", "direction"], "tracker_links": ["https://github.com/acme/app/issues/12"]
    })).await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    assert_eq!(i["labels"], json!(["customer+", "direction"]));
    let id = i["id"].as_str().unwrap();
    let (s, _) = t
        .post(
            "/api/v1/ideas",
            json!({"title": "Dark mode", "problem": "Eye strain at night.", "status": "planned"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);

    let (_, l) = t.get("/api/v1/ideas?label=customer%2B").await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    assert_eq!(l["items"][0]["area_name"], "Admin & Security");
    let (_, l) = t.get("/api/v1/ideas?status=planned").await;
    assert_eq!(l["items"][0]["title"], "Dark mode");
    let (_, l) = t.get(&format!("/api/v1/ideas?area_id={aid}")).await;
    assert_eq!(l["items"].as_array().unwrap().len(), 1);
    let (_, l) = t.get("/api/v1/ideas?sort=title").await;
    assert_eq!(l["items"][0]["title"], "Audit log export");

    let (s, u) = t
        .patch(
            &format!("/api/v1/ideas/{id}"),
            json!({"status": "in_progress", "labels": []}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["status"], "in_progress");
    let (_, l) = t.get("/api/v1/ideas?label=direction").await;
    assert!(l["items"].as_array().unwrap().is_empty());

    let (s, b) = t
        .post(
            "/api/v1/ideas",
            json!({"title": "x", "problem": "y", "effort_months": 0}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "effort_months");
    let (s, b) = t
        .post(
            "/api/v1/ideas",
            json!({"title": "x", "problem": "y", "tracker_links": ["ftp://x"]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "tracker_links");
});

backend_test!(comments_and_followers, |t: TestApp| async move {
    let (_, i) = t
        .post(
            "/api/v1/ideas",
            json!({"title": "Slack alerts", "problem": "On-call misses emails."}),
        )
        .await;
    let id = i["id"].as_str().unwrap();
    let (s, c) = t
        .post(
            &format!("/api/v1/ideas/{id}/comments"),
            json!({"body": "Three enterprise deals mention this."}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let (_, cs) = t.get(&format!("/api/v1/ideas/{id}/comments")).await;
    assert_eq!(
        cs["items"][0]["body"],
        "Three enterprise deals mention this."
    );
    let (_, d) = t.get(&format!("/api/v1/ideas/{id}")).await;
    assert_eq!(
        d["followers"][0]["id"],
        json!(t.admin.id),
        "commenters follow"
    );
    let (s, _) = t
        .call(Method::DELETE, &format!("/api/v1/ideas/{id}/follow"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (_, d) = t.get(&format!("/api/v1/ideas/{id}")).await;
    assert!(d["followers"].as_array().unwrap().is_empty());
    let (s, _) = t
        .call(Method::PUT, &format!("/api/v1/ideas/{id}/follow"), None)
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let (s, b) = t
        .post(&format!("/api/v1/ideas/{id}/comments"), json!({"body": ""}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "body");
});

backend_test!(
    comments_are_edited_by_author_or_manager_only,
    |t: TestApp| async move {
        use bearing_domain::Role;
        let (_, i) = t
            .post(
                "/api/v1/ideas",
                json!({"title": "CSV import", "problem": "Moving off spreadsheets."}),
            )
            .await;
        let id = i["id"].as_str().unwrap();
        let (_, alice) = t
            .user_with_token("alice@test.local", Role::Contributor)
            .await;
        let (_, bob) = t.user_with_token("bob@test.local", Role::Contributor).await;
        let (s, c) = t
            .call_as(
                &alice,
                Method::POST,
                &format!("/api/v1/ideas/{id}/comments"),
                Some(json!({"body": "typo teh"})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let path = format!("/api/v1/comments/{}", c["id"].as_str().unwrap());
        let (s, _) = t
            .call_as(&bob, Method::PATCH, &path, Some(json!({"body": "hijack"})))
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, u) = t
            .call_as(
                &alice,
                Method::PATCH,
                &path,
                Some(json!({"body": "typo the"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{u}");
        assert_eq!(u["body"], "typo the");
        let (s, _) = t.patch(&path, json!({"body": "redacted by admin"})).await;
        assert_eq!(s, StatusCode::OK);
        let (_, cs) = t.get(&format!("/api/v1/ideas/{id}/comments")).await;
        assert_eq!(cs["items"][0]["body"], "redacted by admin");
    }
);
