//! HTTP API tests: the real router on 127.0.0.1:0, called over HTTP, on
//! SQLite and PostgreSQL.

mod auth;
mod csrf;
mod customers;
mod docs;
mod errors;
mod exercises;
mod ideas;
mod idempotency;
mod merges;
mod notes;
mod nul;
mod openapi;
mod prioritisation;
mod process;
mod search;
mod sessions;
mod signin_limit;

use bearing_testkit::TestApp;
use reqwest::StatusCode;
use serde_json::json;

/// Create an idea with `labels` as the admin and return its id.
pub async fn idea(t: &TestApp, title: &str, labels: &[&str]) -> String {
    let (s, i) = t
        .post(
            "/api/v1/ideas",
            json!({"title": title, "problem": format!("Why {title}"), "labels": labels}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    i["id"].as_str().unwrap().to_string()
}

/// The CSRF token in a page's form (`name="csrf" value="…"`).
pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    html[at..].split('"').next().unwrap().to_string()
}
