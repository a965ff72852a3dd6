//! Idempotent POSTs over real HTTP: a retry with the same `Idempotency-Key`
//! and body replays the first answer and creates nothing more, on both
//! databases, including many copies of one request sent at once; a key
//! reused for another request is refused; keys are per caller and lapse
//! after 24 hours; an unfinished first attempt makes a retry wait, and one
//! abandoned for a minute is taken over; 4xx answers are replayed too;
//! without the header nothing changes.

use bearing_domain::Role;
use bearing_domain::idempotency::KEY_RETENTION_MS;
use bearing_store::Db;
use bearing_testkit::snapshot::snapshot;
use bearing_testkit::{TestApp, backend_test};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// One answer: status, headers and body (JSON, or the text if not JSON).
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::String(self.text.clone()))
    }

    fn replayed(&self) -> bool {
        self.headers
            .get("idempotent-replayed")
            .is_some_and(|v| v == "true")
    }
}

/// POST `body` to `path` with `token` and, if given, an `Idempotency-Key`.
async fn post(t: &TestApp, token: &str, key: Option<&str>, path: &str, body: &Value) -> Answer {
    let mut req = t.client.post(t.url(path)).bearer_auth(token).json(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    let resp = req.send().await.unwrap();
    Answer {
        status: resp.status(),
        headers: resp.headers().clone(),
        text: resp.text().await.unwrap(),
    }
}

/// How many rows `table` holds.
async fn rows(t: &TestApp, table: &str) -> i64 {
    snapshot(&t.db.db).await.unwrap().rows[table]
}

fn note(text: &str) -> Value {
    json!({"text": text, "source": "email"})
}

/// Run one statement that changes key records, to make states a test
/// cannot reach by waiting (a day-old key, an abandoned attempt).
async fn exec(db: &Db, sql: &'static str) {
    match db {
        Db::Sqlite(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
    }
    .unwrap();
}

/// Age every key record by `ms`.
async fn age_keys(db: &Db, ms: i64) {
    match db {
        Db::Sqlite(p) => sqlx::query("UPDATE idempotency_keys SET created_at = created_at - $1")
            .bind(ms)
            .execute(p)
            .await
            .map(|_| ()),
        Db::Postgres(p) => sqlx::query("UPDATE idempotency_keys SET created_at = created_at - $1")
            .bind(ms)
            .execute(p)
            .await
            .map(|_| ()),
    }
    .unwrap();
}

/// Make every key record look like a first attempt still running.
async fn back_in_flight(db: &Db) {
    exec(
        db,
        "UPDATE idempotency_keys SET state = 'in_flight', response_status = NULL, response_content_type = NULL, response_body = NULL",
    )
    .await;
}

backend_test!(
    idempotency_retry_replays_the_first_answer,
    |t: TestApp| async move {
        let before = rows(&t, "notes").await;
        let body = note("Retry me: SSO for the importer");
        let first = post(&t, &t.token, Some("import-42"), "/api/v1/notes", &body).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
        assert!(!first.replayed());
        let again = post(&t, &t.token, Some("import-42"), "/api/v1/notes", &body).await;
        assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
        assert!(again.replayed(), "{:?}", again.headers);
        assert_eq!(again.text, first.text, "the same body, byte for byte");
        assert_eq!(
            again.headers.get("content-type"),
            first.headers.get("content-type")
        );
        assert_eq!(rows(&t, "notes").await, before + 1);

        // The list agrees: one note with that text.
        let (s, list) = t.get("/api/v1/notes?limit=100").await;
        assert_eq!(s, StatusCode::OK);
        let same = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["text"] == "Retry me: SSO for the importer")
            .count();
        assert_eq!(same, 1, "{list}");
    }
);

backend_test!(
    idempotency_key_reused_for_another_request_is_refused,
    |t: TestApp| async move {
        let first = post(&t, &t.token, Some("k1"), "/api/v1/notes", &note("one")).await;
        assert_eq!(first.status, StatusCode::CREATED);
        let before = snapshot(&t.db.db).await.unwrap();
        for (path, body) in [
            ("/api/v1/notes", note("two")),
            (
                "/api/v1/ideas",
                json!({"title": "one", "problem": "Why one"}),
            ),
        ] {
            let other = post(&t, &t.token, Some("k1"), path, &body).await;
            assert_eq!(
                other.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{}",
                other.text
            );
            let e = &other.json()["error"];
            assert_eq!(e["code"], "idempotency_key_reused", "{e}");
            assert_eq!(e["field"], "Idempotency-Key");
            assert!(
                e["message"].as_str().unwrap().contains("different request"),
                "{e}"
            );
            assert!(!other.replayed());
        }
        assert_eq!(snapshot(&t.db.db).await.unwrap(), before, "nothing written");
        // The first request still replays.
        let again = post(&t, &t.token, Some("k1"), "/api/v1/notes", &note("one")).await;
        assert!(again.replayed());
        assert_eq!(again.text, first.text);
    }
);

backend_test!(idempotency_keys_are_per_caller, |t: TestApp| async move {
    let (_, other) = t
        .user_with_token("casey@test.local", Role::Contributor)
        .await;
    let body = note("shared key, separate callers");
    let a = post(&t, &t.token, Some("same-key"), "/api/v1/notes", &body).await;
    let b = post(&t, &other, Some("same-key"), "/api/v1/notes", &body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text);
    assert_eq!(b.status, StatusCode::CREATED, "{}", b.text);
    assert!(!a.replayed() && !b.replayed());
    assert_ne!(a.json()["id"], b.json()["id"]);
    assert_eq!(rows(&t, "notes").await, 2);
    // Each replays its own.
    let b2 = post(&t, &other, Some("same-key"), "/api/v1/notes", &body).await;
    assert!(b2.replayed());
    assert_eq!(b2.text, b.text);

    // A second token of the same user shares the first token's keys.
    let (_, second) = t.app.create_token(&t.admin, "second").await.unwrap();
    let a2 = post(&t, &second, Some("same-key"), "/api/v1/notes", &body).await;
    assert!(a2.replayed());
    assert_eq!(a2.text, a.text);
    assert_eq!(rows(&t, "notes").await, 2);
});

backend_test!(
    idempotency_key_older_than_a_day_runs_again,
    |t: TestApp| async move {
        let body = note("daily import row");
        let first = post(&t, &t.token, Some("day-old"), "/api/v1/notes", &body).await;
        assert_eq!(first.status, StatusCode::CREATED);
        age_keys(&t.db.db, KEY_RETENTION_MS).await;
        let again = post(&t, &t.token, Some("day-old"), "/api/v1/notes", &body).await;
        assert_eq!(again.status, StatusCode::CREATED, "{}", again.text);
        assert!(!again.replayed(), "an expired key is not replayed");
        assert_ne!(again.json()["id"], first.json()["id"]);
        assert_eq!(rows(&t, "notes").await, 2);
        // The key now holds the new request, fresh for another day.
        let third = post(&t, &t.token, Some("day-old"), "/api/v1/notes", &body).await;
        assert!(third.replayed());
        assert_eq!(third.text, again.text);

        // An expired key is free for a different request too, and the
        // purge removes expired keys only.
        age_keys(&t.db.db, KEY_RETENTION_MS).await;
        let other = post(&t, &t.token, Some("day-old"), "/api/v1/notes", &note("new")).await;
        assert_eq!(other.status, StatusCode::CREATED, "{}", other.text);
        let fresh = post(&t, &t.token, Some("fresh"), "/api/v1/notes", &note("x")).await;
        assert_eq!(fresh.status, StatusCode::CREATED);
        age_keys(&t.db.db, KEY_RETENTION_MS).await;
        let fresh2 = post(&t, &t.token, Some("fresh2"), "/api/v1/notes", &note("y")).await;
        assert_eq!(fresh2.status, StatusCode::CREATED);
        assert_eq!(rows(&t, "idempotency_keys").await, 3);
        assert_eq!(t.app.purge_idempotency_keys().await.unwrap(), 2);
        assert_eq!(rows(&t, "idempotency_keys").await, 1);
    }
);

backend_test!(
    idempotency_unfinished_attempt_makes_a_retry_wait,
    |t: TestApp| async move {
        let body = note("slow first attempt");
        let first = post(&t, &t.token, Some("slow"), "/api/v1/notes", &body).await;
        assert_eq!(first.status, StatusCode::CREATED);
        // As if the first attempt were still running on another server.
        back_in_flight(&t.db.db).await;
        let wait = post(&t, &t.token, Some("slow"), "/api/v1/notes", &body).await;
        assert_eq!(wait.status, StatusCode::CONFLICT, "{}", wait.text);
        assert_eq!(wait.json()["error"]["code"], "idempotency_in_progress");
        assert_eq!(wait.headers.get("retry-after").unwrap(), "1");
        // Another request with the key is still refused as a reuse.
        let other = post(&t, &t.token, Some("slow"), "/api/v1/notes", &note("x")).await;
        assert_eq!(other.json()["error"]["code"], "idempotency_key_reused");
        assert_eq!(rows(&t, "notes").await, 1);

        // A minute on, the server is presumed gone: the retry runs.
        age_keys(&t.db.db, 60_000).await;
        let takeover = post(&t, &t.token, Some("slow"), "/api/v1/notes", &body).await;
        assert_eq!(takeover.status, StatusCode::CREATED, "{}", takeover.text);
        assert!(!takeover.replayed());
        let replay = post(&t, &t.token, Some("slow"), "/api/v1/notes", &body).await;
        assert!(replay.replayed());
        assert_eq!(replay.text, takeover.text);
    }
);

backend_test!(
    idempotency_concurrent_retries_create_one_row,
    |t: TestApp| async move {
        for round in 0..3 {
            let key = format!("burst-{round}");
            let body = note(&format!("sent eight times at once, round {round}"));
            let before = rows(&t, "notes").await;
            let answers = futures::future::join_all(
                (0..8).map(|_| post(&t, &t.token, Some(&key), "/api/v1/notes", &body)),
            )
            .await;
            assert_eq!(rows(&t, "notes").await, before + 1, "round {round}");
            let firsts: Vec<&Answer> = answers
                .iter()
                .filter(|a| a.status == StatusCode::CREATED && !a.replayed())
                .collect();
            assert_eq!(firsts.len(), 1, "exactly one attempt ran");
            for a in &answers {
                match a.status {
                    StatusCode::CREATED => assert_eq!(a.text, firsts[0].text),
                    StatusCode::CONFLICT => {
                        assert_eq!(a.json()["error"]["code"], "idempotency_in_progress");
                        assert!(a.headers.contains_key("retry-after"));
                    }
                    other => panic!("unexpected {other}: {}", a.text),
                }
            }
            // Once it settles, every retry replays.
            let after = post(&t, &t.token, Some(&key), "/api/v1/notes", &body).await;
            assert!(after.replayed());
            assert_eq!(after.text, firsts[0].text);
        }

        // Two at once, as the issue puts it, with tokio::join!.
        let body = note("two at once");
        let (a, b) = tokio::join!(
            post(&t, &t.token, Some("pair"), "/api/v1/notes", &body),
            post(&t, &t.token, Some("pair"), "/api/v1/notes", &body),
        );
        let ran = [&a, &b]
            .iter()
            .filter(|x| x.status == StatusCode::CREATED && !x.replayed())
            .count();
        assert_eq!(ran, 1, "{} {} / {} {}", a.status, a.text, b.status, b.text);
        assert_eq!(rows(&t, "notes").await, 4);
    }
);

backend_test!(
    idempotency_client_errors_are_replayed,
    |t: TestApp| async move {
        let bad = json!({"source": "email"});
        let first = post(&t, &t.token, Some("bad-1"), "/api/v1/notes", &bad).await;
        assert_eq!(first.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(first.json()["error"]["code"], "missing_field");
        let again = post(&t, &t.token, Some("bad-1"), "/api/v1/notes", &bad).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.replayed());
        assert_eq!(again.text, first.text);
        // A 404 (no such idea to merge) too.
        let path = format!("/api/v1/ideas/{}/merge", uuid::Uuid::now_v7());
        let body = json!({"into": uuid::Uuid::now_v7()});
        let missing = post(&t, &t.token, Some("merge-1"), &path, &body).await;
        assert!(missing.status.is_client_error(), "{}", missing.text);
        let again = post(&t, &t.token, Some("merge-1"), &path, &body).await;
        assert_eq!(again.status, missing.status);
        assert!(again.replayed());
        assert_eq!(rows(&t, "notes").await, 0);
    }
);

backend_test!(
    idempotency_without_the_header_nothing_changes,
    |t: TestApp| async move {
        let body = note("no key, two notes");
        let a = post(&t, &t.token, None, "/api/v1/notes", &body).await;
        let b = post(&t, &t.token, None, "/api/v1/notes", &body).await;
        assert_eq!(
            (a.status, b.status),
            (StatusCode::CREATED, StatusCode::CREATED)
        );
        assert!(!a.replayed() && !b.replayed());
        assert_eq!(rows(&t, "notes").await, 2);
        assert_eq!(rows(&t, "idempotency_keys").await, 0);

        // Only POSTs take keys: a PATCH with one runs each time and keeps nothing.
        let id = a.json()["id"].as_str().unwrap().to_string();
        for importance in ["critical", "important"] {
            let resp = t
                .client
                .patch(t.url(&format!("/api/v1/notes/{id}")))
                .bearer_auth(&t.token)
                .header("Idempotency-Key", "patch-key")
                .json(&json!({ "importance": importance }))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), StatusCode::OK);
            assert!(resp.headers().get("idempotent-replayed").is_none());
            let n: Value = resp.json().await.unwrap();
            assert_eq!(n["importance"], importance);
        }
        assert_eq!(rows(&t, "idempotency_keys").await, 0);
    }
);

backend_test!(
    idempotency_bad_keys_and_callers_are_refused,
    |t: TestApp| async move {
        let body = note("never written");
        let long = "k".repeat(256);
        for key in ["", long.as_str()] {
            let a = post(&t, &t.token, Some(key), "/api/v1/notes", &body).await;
            assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text);
            let e = &a.json()["error"];
            assert_eq!(e["code"], "invalid", "{e}");
            assert_eq!(e["field"], "Idempotency-Key", "{e}");
        }
        let resp = t
            .client
            .post(t.url("/api/v1/notes"))
            .bearer_auth(&t.token)
            .header(
                "Idempotency-Key",
                reqwest::header::HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap(),
            )
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let e: Value = resp.json().await.unwrap();
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("printable ASCII"),
            "{e}"
        );
        let twice = t
            .client
            .post(t.url("/api/v1/notes"))
            .bearer_auth(&t.token)
            .header("Idempotency-Key", "a")
            .header("Idempotency-Key", "b")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY);

        // No caller, or a wrong token: the usual 401, and no key kept.
        let anon = t
            .client
            .post(t.url("/api/v1/notes"))
            .header("Idempotency-Key", "anon")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
        let e: Value = anon.json().await.unwrap();
        assert_eq!(e["error"]["code"], "unauthorized");
        let wrong = post(&t, "brg_wrong", Some("anon"), "/api/v1/notes", &body).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);

        // A viewer's refusal is the caller's own answer, kept like any 4xx.
        let (_, viewer) = t.user_with_token("vic@test.local", Role::Viewer).await;
        let v = post(&t, &viewer, Some("v1"), "/api/v1/notes", &body).await;
        assert_eq!(v.status, StatusCode::FORBIDDEN);
        assert_eq!(rows(&t, "notes").await, 0);
        assert_eq!(rows(&t, "idempotency_keys").await, 1);
    }
);
