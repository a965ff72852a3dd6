//! Bad input gets a specific error naming the field, and nothing is stored.

use bearing_app::AppConfig;
use bearing_testkit::{TestApp, TestDb, backend_test};
use bearing_web::WebConfig;
use reqwest::StatusCode;
use serde_json::json;

async fn note_count(t: &TestApp) -> usize {
    t.get("/api/v1/notes?limit=200").await.1["items"]
        .as_array()
        .unwrap()
        .len()
}

backend_test!(malformed_json_is_400, |t: TestApp| async move {
    let (s, b) = t
        .post_raw("/api/v1/notes", "application/json", b"{\"text\": ".to_vec())
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(b["error"]["code"], "malformed_json");
    let (s, b) = t
        .post_raw("/api/v1/notes", "text/plain", b"hello".to_vec())
        .await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(b["error"]["code"], "unsupported_media_type");
    assert_eq!(note_count(&t).await, 0);
});

backend_test!(missing_field_is_422_naming_it, |t: TestApp| async move {
    let (s, b) = t.post("/api/v1/notes", json!({"source": "email"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["code"], "missing_field");
    assert_eq!(b["error"]["field"], "text");
    let (s, b) = t
        .post("/api/v1/notes", json!({"text": "   ", "source": "email"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "text");
});

backend_test!(
    unknown_enum_value_is_422_naming_it,
    |t: TestApp| async move {
        let (s, b) = t
            .post(
                "/api/v1/notes",
                json!({"text": "x", "source": "email", "importance": "urgent"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["error"]["field"], "importance");
        assert!(
            b["error"]["message"].as_str().unwrap().contains("critical"),
            "{b}"
        );
        let (s, b) = t
            .post(
                "/api/v1/notes",
                json!({"text": "x", "source": "email", "colour": "red"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            b["error"]["message"].as_str().unwrap().contains("colour"),
            "{b}"
        );
        assert_eq!(note_count(&t).await, 0);
    }
);

backend_test!(oversized_note_is_413_naming_text, |t: TestApp| async move {
    let big = "a".repeat(64 * 1024 + 1);
    let (s, b) = t
        .post("/api/v1/notes", json!({"text": big, "source": "email"}))
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(b["error"]["field"], "text");
    let exact = "a".repeat(64 * 1024);
    let (s, _) = t
        .post("/api/v1/notes", json!({"text": exact, "source": "email"}))
        .await;
    assert_eq!(s, StatusCode::CREATED);
    assert_eq!(note_count(&t).await, 1);
});

backend_test!(note_limit_is_configurable, |db: TestDb| async move {
    let cfg = AppConfig {
        max_note_bytes: 100,
        ..Default::default()
    };
    let t = TestApp::spawn_on(db, cfg, WebConfig::default()).await;
    let (s, b) = t
        .post(
            "/api/v1/notes",
            json!({"text": "b".repeat(101), "source": "email"}),
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("100 bytes")
    );
});

backend_test!(body_over_the_server_limit_is_413, |db: TestDb| async move {
    let t = TestApp::spawn_on(
        db,
        AppConfig::default(),
        WebConfig {
            max_body_bytes: 2048,
            ..Default::default()
        },
    )
    .await;
    let (s, b) = t
        .post(
            "/api/v1/notes",
            json!({"text": "c".repeat(4096), "source": "email"}),
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(b["error"]["code"], "payload_too_large");
});

backend_test!(unknown_ids_are_404_or_422, |t: TestApp| async move {
    let (s, b) = t
        .get("/api/v1/notes/0190c0de-0000-7000-8000-000000000000")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(b["error"]["code"], "not_found");
    let (s, _) = t.get("/api/v1/notes/not-an-id").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, b) = t.post("/api/v1/notes", json!({"text": "x", "source": "email", "customer_id": "0190c0de-0000-7000-8000-000000000000"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "customer_id");
    let (s, _) = t.get("/api/v1/nothing-here").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});

backend_test!(
    every_response_carries_a_request_id,
    |t: TestApp| async move {
        // A fresh id for each request, so a reported error can be found in the logs.
        let ids: Vec<String> = futures::future::join_all((0..2).map(|_| async {
            let r = t.client.get(t.url("/healthz")).send().await.unwrap();
            r.headers()["x-request-id"].to_str().unwrap().to_string()
        }))
        .await;
        assert!(uuid::Uuid::parse_str(&ids[0]).is_ok(), "{ids:?}");
        assert_ne!(ids[0], ids[1]);
        // One a proxy already gave is kept.
        let r = t
            .client
            .get(t.url("/api/v1/notes"))
            .header("x-request-id", "from-the-proxy")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(r.headers()["x-request-id"], "from-the-proxy");
    }
);
