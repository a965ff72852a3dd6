//! Customers and contacts over the API.

use bearing_testkit::{TestApp, backend_test};
use reqwest::StatusCode;
use serde_json::json;

backend_test!(
    customers_contacts_and_what_they_asked_for,
    |t: TestApp| async move {
        let (s, c) = t.post("/api/v1/customers", json!({"name": "Globex", "arr": 480000, "segment": "enterprise", "domain": "Globex.example"})).await;
        assert_eq!(s, StatusCode::CREATED, "{c}");
        assert_eq!(c["domain"], "globex.example");
        let cid = c["id"].as_str().unwrap();
        let (s, b) = t.post("/api/v1/customers", json!({"name": "GLOBEX"})).await;
        assert_eq!(
            s,
            StatusCode::UNPROCESSABLE_ENTITY,
            "names are unique case-insensitively"
        );
        assert_eq!(b["error"]["field"], "name");
        let (s, b) = t
            .post("/api/v1/customers", json!({"name": "Neg", "arr": -5}))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["error"]["field"], "arr");

        let (s, p) = t.post("/api/v1/contacts", json!({"customer_id": cid, "name": "Hank Scorpio", "email": "hank@globex.example", "title": "CEO"})).await;
        assert_eq!(s, StatusCode::CREATED, "{p}");
        let (s, b) = t
            .post(
                "/api/v1/contacts",
                json!({"customer_id": cid, "name": "X", "email": "nope"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(b["error"]["field"], "email");

        let (_, n) = t.post("/api/v1/notes", json!({"text": "Need audit logs", "source": "cs_call", "customer_id": cid, "contact_id": p["id"]})).await;
        let (_, i) = t
            .post(
                "/api/v1/ideas",
                json!({"title": "Audit log", "problem": "Compliance evidence"}),
            )
            .await;
        let (s, _) = t
            .post(
                &format!("/api/v1/notes/{}/process", n["id"].as_str().unwrap()),
                json!({"links": [{"idea_id": i["id"]}]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, d) = t.get(&format!("/api/v1/customers/{cid}")).await;
        assert_eq!(d["contacts"][0]["name"], "Hank Scorpio");
        assert_eq!(d["idea_ids"][0], i["id"]);
        let (_, l) = t.get(&format!("/api/v1/ideas?customer_id={cid}")).await;
        assert_eq!(l["items"][0]["title"], "Audit log");

        let names = |l: &serde_json::Value| -> Vec<String> {
            l["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string())
                .collect()
        };
        let (s, _) = t
            .post(
                "/api/v1/customers",
                json!({"name": "Initech", "arr": 490000, "segment": "enterprise"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let (_, l) = t.get("/api/v1/customers?sort=arr").await;
        assert_eq!(names(&l), ["Initech", "Globex"], "highest ARR first");
        let (s, u) = t
            .patch(&format!("/api/v1/customers/{cid}"), json!({"arr": 500000}))
            .await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(u["arr"], 500000);
        let (_, l) = t.get("/api/v1/customers?sort=arr").await;
        assert_eq!(names(&l), ["Globex", "Initech"], "the new ARR re-sorts");
        let (_, l) = t.get("/api/v1/customers?segment=smb").await;
        assert!(l["items"].as_array().unwrap().is_empty());
    }
);

backend_test!(contacts_can_be_changed, |t: TestApp| async move {
    let (_, c) = t
        .post("/api/v1/customers", json!({"name": "Initech"}))
        .await;
    let (_, p) = t
        .post(
            "/api/v1/contacts",
            json!({"customer_id": c["id"], "name": "Bill", "email": "bill@initech.example"}),
        )
        .await;
    let pid = p["id"].as_str().unwrap();
    let (s, u) = t
        .patch(
            &format!("/api/v1/contacts/{pid}"),
            json!({"title": "Division VP", "email": ""}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["title"], "Division VP");
    assert_eq!(u["email"], serde_json::Value::Null);
    assert_eq!(u["name"], "Bill");
    let (s, b) = t
        .patch(
            &format!("/api/v1/contacts/{pid}"),
            json!({"email": "not-mail"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "email");
    let (_, list) = t
        .get(&format!(
            "/api/v1/customers/{}/contacts",
            c["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(list["items"][0]["title"], "Division VP");
});
