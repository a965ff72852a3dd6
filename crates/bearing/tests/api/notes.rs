//! Notes over the API: create, read, update, list, filter, paginate, persist.

use bearing_app::AppConfig;
use bearing_testkit::{TestApp, backend_test};
use bearing_web::WebConfig;
use reqwest::StatusCode;
use serde_json::json;

async fn customer(t: &TestApp, name: &str, arr: i64) -> String {
    let (s, c) = t
        .post(
            "/api/v1/customers",
            json!({"name": name, "arr": arr, "segment": "enterprise"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    c["id"].as_str().unwrap().to_string()
}

backend_test!(create_read_update_a_note, |t: TestApp| async move {
    let cid = customer(&t, "Northwind", 240_000).await;
    let (s, n) = t.post("/api/v1/notes", json!({
        "text": "We need SAML SSO before renewal.", "source": "sales_call", "importance": "critical",
        "customer_id": cid, "tags": ["SSO", " security "], "public_safe": false
    })).await;
    assert_eq!(s, StatusCode::CREATED, "{n}");
    assert_eq!(n["state"], "unprocessed");
    assert_eq!(n["tags"], json!(["sso", "security"]));
    assert_eq!(n["reporter_id"], json!(t.admin.id));
    let id = n["id"].as_str().unwrap();

    let (s, d) = t.get(&format!("/api/v1/notes/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["customer"]["name"], "Northwind");
    assert_eq!(d["note"]["importance"], "critical");

    let (s, u) = t
        .patch(
            &format!("/api/v1/notes/{id}"),
            json!({"importance": "important", "tags": ["okta"]}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["importance"], "important");
    assert_eq!(u["tags"], json!(["okta"]));
    assert_eq!(u["text"], "We need SAML SSO before renewal.");
});

backend_test!(
    list_filters_and_paginates_by_cursor,
    |t: TestApp| async move {
        let cid = customer(&t, "Acme", 10_000).await;
        for i in 0..7 {
            let src = if i % 2 == 0 { "email" } else { "forum" };
            let mut body = json!({"text": format!("note {i}"), "source": src});
            if i < 3 {
                body["customer_id"] = json!(cid);
            }
            let (s, _) = t.post("/api/v1/notes", body).await;
            assert_eq!(s, StatusCode::CREATED);
        }
        let (_, b) = t.get("/api/v1/notes?source=email").await;
        assert_eq!(b["items"].as_array().unwrap().len(), 4);
        let (_, b) = t.get(&format!("/api/v1/notes?customer_id={cid}")).await;
        assert_eq!(b["items"].as_array().unwrap().len(), 3);
        assert_eq!(b["items"][0]["customer_name"], "Acme");

        // Walk newest-first in pages of 3: every note once, newest first.
        let mut seen: Vec<String> = vec![];
        let mut path = "/api/v1/notes?state=unprocessed&limit=3".to_string();
        loop {
            let (s, b) = t.get(&path).await;
            assert_eq!(s, StatusCode::OK, "{b}");
            for n in b["items"].as_array().unwrap() {
                seen.push(n["text"].as_str().unwrap().to_string());
            }
            match b["next_cursor"].as_str() {
                Some(c) => path = format!("/api/v1/notes?state=unprocessed&limit=3&cursor={c}"),
                None => break,
            }
        }
        let expected: Vec<String> = (0..7).rev().map(|i| format!("note {i}")).collect();
        assert_eq!(seen, expected);

        let (_, b) = t.get("/api/v1/notes?sort=oldest&limit=2").await;
        assert_eq!(b["items"][0]["text"], "note 0");
    }
);

backend_test!(
    bad_list_parameters_name_the_parameter,
    |t: TestApp| async move {
        let (s, b) = t.get("/api/v1/notes?state=open").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["error"]["field"], "state");
        assert!(
            b["error"]["message"]
                .as_str()
                .unwrap()
                .contains("unprocessed, processed, wont_do")
        );
        let (s, b) = t.get("/api/v1/notes?colour=red").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["error"]["field"], "colour");
        let (s, b) = t.get("/api/v1/notes?cursor=garbage").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["error"]["field"], "cursor");
        let (s, b) = t.get("/api/v1/notes?limit=5000").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["error"]["field"], "limit");
    }
);

backend_test!(data_survives_a_restart, |t: TestApp| async move {
    let (s, n) = t
        .post(
            "/api/v1/notes",
            json!({"text": "persist me", "source": "survey"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let id = n["id"].as_str().unwrap().to_string();
    let db = t.shut_down().await;
    let t2 = TestApp::spawn_on(db, AppConfig::default(), WebConfig::default()).await;
    let (s, d) = t2.get(&format!("/api/v1/notes/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(d["note"]["text"], "persist me");
});
