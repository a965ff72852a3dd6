//! CSRF over real HTTP. Every page form route, listed by the same
//! `bearing_web::html::form_paths()` the router is built from, refuses a
//! post with no token and with a wrong one (403, and the database exactly as
//! before), and takes the same post with the right token (303, and the
//! database changed, so the no-write check could have failed). The sign-in
//! form's login-CSRF cookie pair, and the JSON API's cookie fallback, which
//! needs the session's token in `X-CSRF-Token` for anything that may write.

use super::{csrf_of, idea};
use bearing_app::AppConfig;
use bearing_testkit::app::{hidden_csrf, set_cookie};
use bearing_testkit::snapshot::snapshot;
use bearing_testkit::{DemoApp, TestApp, TestDb, backend_test};
use bearing_web::WebConfig;
use bearing_web::csrf::REFUSED;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Sign in and return the session cookie and the session's CSRF token (read
/// from a page's form, as a browser would submit it).
pub(super) async fn signed_in(t: &TestApp) -> (String, String) {
    let cookie = t.sign_in_cookie().await;
    let (s, html) = t.page(&cookie, "/inbox").await;
    assert_eq!(s, StatusCode::OK);
    (cookie, csrf_of(&html))
}

/// A call as the admin that must succeed; its JSON answer.
async fn ok(t: &TestApp, method: Method, path: &str, body: Value) -> Value {
    let (s, v) = t.call(method, path, Some(body)).await;
    assert!(s.is_success(), "{path}: {s} {v}");
    v
}

/// Real records in the states each form needs to succeed, so that a refused
/// post is refused for its token alone. Separate records per form, so no
/// form's success depends on the order `form_paths()` lists them in.
pub(super) struct Fixture {
    note: String,
    idea: String,
    merge_from: String,
    merge_into: String,
    merge_id: String,
    exercise_scores: String,
    exercise_close: String,
    exercise_adopt: String,
    step_idea: String,
    step_area: String,
    session_nominate: String,
    session_vote: String,
    vote_idea: String,
    session_retract: String,
    vote_id: String,
    session_close: String,
}

async fn exercise(t: &TestApp, idea: &str) -> String {
    let e = ok(
        t,
        Method::POST,
        "/api/v1/exercises",
        json!({"title": "CSRF probe exercise", "idea_ids": [idea]}),
    )
    .await;
    e["exercise"]["id"].as_str().unwrap().to_string()
}

async fn session(t: &TestApp) -> String {
    let s = ok(
        t,
        Method::POST,
        "/api/v1/sessions",
        json!({"title": "CSRF probe session", "milestone": "M1"}),
    )
    .await;
    s["id"].as_str().unwrap().to_string()
}

pub(super) async fn fixture(t: &TestApp) -> Fixture {
    let (_, notes) = t.get("/api/v1/notes?state=unprocessed&limit=1").await;
    let note = notes["items"][0]["id"].as_str().unwrap().to_string();
    let idea_id = idea(t, "CSRF probe", &[]).await;
    let merge_from = idea(t, "CSRF merge from", &[]).await;
    let merge_into = idea(t, "CSRF merge into", &[]).await;
    let (a, b) = (
        idea(t, "CSRF unmerge a", &[]).await,
        idea(t, "CSRF unmerge b", &[]).await,
    );
    let m = ok(
        t,
        Method::POST,
        &format!("/api/v1/ideas/{a}/merge"),
        json!({"into": b}),
    )
    .await;
    let merge_id = m["merge_id"].as_str().unwrap().to_string();

    let exercise_scores = exercise(t, &idea_id).await;
    let exercise_close = exercise(t, &idea_id).await;
    let exercise_adopt = exercise(t, &idea_id).await;
    let ex = format!("/api/v1/exercises/{exercise_adopt}");
    ok(
        t,
        Method::PUT,
        &format!("{ex}/scores/{idea_id}"),
        json!({"reach": 10, "impact": 1, "confidence": 1, "effort_months": 1}),
    )
    .await;
    ok(t, Method::POST, &format!("{ex}/submit"), json!({})).await;
    ok(t, Method::POST, &format!("{ex}/close"), json!({})).await;

    // The second idea on the first demo board, to move up.
    let (_, areas) = t.get("/api/v1/areas").await;
    let area = &areas["items"][0];
    let (_, board) = t
        .get(&format!(
            "/api/v1/areas/{}/board",
            area["id"].as_str().unwrap()
        ))
        .await;
    let step_idea = board["items"][1]["id"].as_str().unwrap().to_string();
    let step_area = area["key"].as_str().unwrap().to_string();

    let session_nominate = session(t).await;
    let session_vote = session(t).await;
    let vote_idea = idea(t, "CSRF vote", &[]).await;
    ok(
        t,
        Method::POST,
        &format!("/api/v1/sessions/{session_vote}/nominations"),
        json!({"idea_id": vote_idea}),
    )
    .await;
    let session_retract = session(t).await;
    let base = format!("/api/v1/sessions/{session_retract}");
    ok(
        t,
        Method::POST,
        &format!("{base}/nominations"),
        json!({"idea_id": vote_idea}),
    )
    .await;
    let v = ok(
        t,
        Method::POST,
        &format!("{base}/votes"),
        json!({"idea_id": vote_idea, "kind": "importance"}),
    )
    .await;
    let vote_id = v["id"].as_str().unwrap().to_string();
    let session_close = session(t).await;
    Fixture {
        note,
        idea: idea_id,
        merge_from,
        merge_into,
        merge_id,
        exercise_scores,
        exercise_close,
        exercise_adopt,
        step_idea,
        step_area,
        session_nominate,
        session_vote,
        vote_idea,
        session_retract,
        vote_id,
        session_close,
    }
}

/// The URL and a body that succeeds (given the right token) for a form
/// route, or `None` for a route this test does not know yet.
pub(super) fn form_case(
    path: &str,
    f: &Fixture,
    t: &TestApp,
) -> Option<(String, Vec<(String, String)>)> {
    let fields = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    };
    let idea = f.idea.as_str();
    let (url, body) = match path {
        "/signin" => (
            path.to_string(),
            fields(&[
                ("email", &t.email),
                ("password", &t.password),
                ("next", "/inbox"),
            ]),
        ),
        "/signout" => (path.to_string(), vec![]),
        "/notes" => (
            path.to_string(),
            fields(&[
                ("text", "Please let us export boards to CSV"),
                ("source", "email"),
                ("importance", "important"),
            ]),
        ),
        "/notes/{id}/process" => (
            format!("/notes/{}/process", f.note),
            fields(&[("action", "wont_do"), ("wont_do_reason", "Out of scope")]),
        ),
        "/ideas" => (
            path.to_string(),
            fields(&[("title", "CSRF created"), ("problem", "Why not")]),
        ),
        "/ideas/{id}/comments" => (
            format!("/ideas/{idea}/comments"),
            fields(&[("body", "Looks right")]),
        ),
        "/ideas/{id}/follow" => (
            format!("/ideas/{}/follow", f.step_idea),
            fields(&[("follow", "1")]),
        ),
        "/ideas/{id}/rice" => (
            format!("/ideas/{idea}/rice"),
            fields(&[
                ("reach", "10"),
                ("impact", "1"),
                ("confidence", "1"),
                ("effort_months", "2"),
            ]),
        ),
        "/ideas/{id}/merge" => (
            format!("/ideas/{}/merge", f.merge_from),
            fields(&[("into", &f.merge_into)]),
        ),
        "/merges/{merge_id}/unmerge" => (format!("/merges/{}/unmerge", f.merge_id), vec![]),
        "/exercises" => (
            path.to_string(),
            fields(&[("title", "CSRF exercise"), ("idea_ids", idea)]),
        ),
        "/exercises/{id}/scores" => (
            format!("/exercises/{}/scores", f.exercise_scores),
            fields(&[
                (&format!("reach-{idea}"), "10"),
                (&format!("impact-{idea}"), "1"),
                (&format!("confidence-{idea}"), "1"),
                (&format!("effort_months-{idea}"), "1"),
                ("action", "save"),
            ]),
        ),
        "/exercises/{id}/close" => (format!("/exercises/{}/close", f.exercise_close), vec![]),
        "/exercises/{id}/adopt/{idea_id}" => (
            format!("/exercises/{}/adopt/{idea}", f.exercise_adopt),
            vec![],
        ),
        "/settings" => (path.to_string(), fields(&[("reach_mode", "absolute")])),
        "/ideas/{id}/step" => (
            format!("/ideas/{}/step", f.step_idea),
            fields(&[("dir", "up"), ("area", &f.step_area)]),
        ),
        "/sessions" => (
            path.to_string(),
            fields(&[
                ("title", "CSRF session"),
                ("milestone", "M2"),
                ("max_nominations", "3"),
                ("importance_votes", "3"),
                ("feasibility_votes", "3"),
            ]),
        ),
        "/sessions/{id}/nominations" => (
            format!("/sessions/{}/nominations", f.session_nominate),
            fields(&[("idea_id", idea)]),
        ),
        "/sessions/{id}/votes" => (
            format!("/sessions/{}/votes", f.session_vote),
            fields(&[("idea_id", &f.vote_idea), ("kind", "importance")]),
        ),
        "/sessions/{id}/votes/retract" => (
            format!("/sessions/{}/votes/retract", f.session_retract),
            fields(&[("vote_id", &f.vote_id)]),
        ),
        "/sessions/{id}/close" => (format!("/sessions/{}/close", f.session_close), vec![]),
        _ => return None,
    };
    Some((url, body))
}

/// `fields` as the `&[(&str, &str)]` that `TestApp::form` takes, plus `csrf`
/// when given.
pub(super) fn with_token<'a>(
    fields: &'a [(String, String)],
    csrf: Option<&'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut out: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    if let Some(c) = csrf {
        out.push(("csrf", c));
    }
    out
}

backend_test!(
    every_form_route_refuses_a_missing_or_wrong_token,
    |d: DemoApp| async move {
        let t = &d.0;
        let f = fixture(t).await;
        let (signin_cookie, signin_token) = t.sign_in_form().await;
        let (mut cookie, mut csrf) = signed_in(t).await;
        let paths = bearing_web::html::form_paths();
        assert!(paths.contains(&"/notes") && paths.contains(&"/signin"));
        let mut unknown = Vec::new();
        for path in paths {
            let Some((url, fields)) = form_case(path, &f, t) else {
                unknown.push(path);
                continue;
            };
            // Both cookies, so /signin is refused for its field, not for a
            // missing cookie, and page forms for theirs, not for a missing session.
            let cookies = format!("{cookie}; {signin_cookie}");
            let before = snapshot(&t.db.db).await.unwrap();
            for (what, token) in [("no csrf field", None), ("a wrong token", Some("forged"))] {
                let (s, body) = t.form(&cookies, &url, &with_token(&fields, token)).await;
                assert_eq!(s, StatusCode::FORBIDDEN, "POST {url} with {what}: {body}");
                assert_eq!(body, REFUSED, "POST {url} with {what}");
            }
            let after = snapshot(&t.db.db).await.unwrap();
            assert_eq!(after, before, "POST {url} wrote despite a bad token");

            // The same post with the right token goes through and writes.
            let right = if path == "/signin" {
                &signin_token
            } else {
                &csrf
            };
            let (s, to) = t
                .form(&cookies, &url, &with_token(&fields, Some(right)))
                .await;
            assert_eq!(
                s,
                StatusCode::SEE_OTHER,
                "POST {url} with the right token: {to}"
            );
            let done = snapshot(&t.db.db).await.unwrap();
            assert_ne!(
                done, before,
                "POST {url} with the right token wrote nothing"
            );
            if path == "/signout" {
                (cookie, csrf) = signed_in(t).await;
            }
        }
        assert!(
            unknown.is_empty(),
            "new form routes {unknown:?}: give them a body that succeeds in form_case"
        );
    }
);

backend_test!(
    a_form_without_a_session_goes_to_sign_in,
    |t: TestApp| async move {
        let (s, to) = t.form("", "/notes", &[("text", "x")]).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(to, "/signin?next=/notes");
        let (s, _) = t
            .form("bearing_session=stale", "/notes", &[("csrf", "x")])
            .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
    }
);

backend_test!(
    sign_in_needs_its_cookie_and_token,
    |t: TestApp| async move {
        let (cookie, token) = t.sign_in_form().await;
        assert!(cookie.starts_with("bearing_signin=") && !token.is_empty());
        assert_eq!(cookie, format!("bearing_signin={token}"));
        // The same browser keeps its token, so two sign-in tabs both work.
        let again = t
            .client
            .get(t.url("/signin"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert!(set_cookie(&again, "bearing_signin=").is_none());
        assert!(again.text().await.unwrap().contains(&token));

        let good = [
            ("email", t.email.as_str()),
            ("password", t.password.as_str()),
            ("next", "/ideas"),
        ];
        let sign_ins = || async { snapshot(&t.db.db).await.unwrap().rows["sign_ins"] };
        let before = sign_ins().await;
        let post = |cookie: Option<String>, csrf: Option<String>| {
            let mut fields: Vec<(&str, String)> =
                good.iter().map(|(k, v)| (*k, v.to_string())).collect();
            if let Some(c) = csrf {
                fields.push(("csrf", c));
            }
            let mut req = t.client.post(t.url("/signin")).form(&fields);
            if let Some(c) = cookie {
                req = req.header("cookie", c);
            }
            req.send()
        };
        // A page on another site can post the form but has neither the cookie
        // nor (without the cookie) a token that matches.
        for (c, f) in [
            (None, Some(token.clone())),
            (None, None),
            (Some(cookie.clone()), None),
            (Some(cookie.clone()), Some("forged".to_string())),
            (
                Some("bearing_signin=forged".to_string()),
                Some("forged2".into()),
            ),
        ] {
            let r = post(c, f).await.unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
            assert!(set_cookie(&r, "bearing_session=").is_none());
            assert_eq!(r.text().await.unwrap(), REFUSED);
        }
        assert_eq!(sign_ins().await, before, "no sign-in was made");

        // A wrong password shows the form again with the same token.
        let r = t
            .client
            .post(t.url("/signin"))
            .header("cookie", &cookie)
            .form(&[
                ("csrf", token.as_str()),
                ("email", t.email.as_str()),
                ("password", "wrong"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(
            r.text()
                .await
                .unwrap()
                .contains(&format!("value=\"{token}\""))
        );

        let r = post(Some(cookie), Some(token)).await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert_eq!(r.headers()["location"], "/ideas");
        assert!(set_cookie(&r, "bearing_session=").is_some());
        assert_eq!(
            set_cookie(&r, "bearing_signin=").as_deref(),
            Some("bearing_signin="),
            "the spent token's cookie is cleared"
        );
        assert_eq!(sign_ins().await, before + 1);
    }
);

backend_test!(
    the_api_cookie_fallback_needs_the_csrf_header,
    |t: TestApp| async move {
        let cookie = t.sign_in_cookie().await;
        let (s, html) = t.page(&cookie, "/ideas").await;
        assert_eq!(s, StatusCode::OK);
        // Pages hand the token to scripts in a meta tag.
        let meta = "<meta name=\"csrf-token\" content=\"";
        let at = html.find(meta).unwrap() + meta.len();
        let token = html[at..].split('"').next().unwrap().to_string();
        assert_eq!(token, csrf_of(&html));

        let new = json!({"title": "From the cookie", "problem": "p"});
        let before = snapshot(&t.db.db).await.unwrap();
        for sent in [None, Some("forged"), Some("")] {
            let (s, e) = t
                .post_with_cookie(&cookie, sent, "/api/v1/ideas", new.clone())
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
            assert_eq!(e["error"]["code"], "csrf", "{e}");
            assert!(e["error"]["field"].is_null(), "{e}");
            assert!(
                e["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("X-CSRF-Token")
            );
        }
        assert_eq!(snapshot(&t.db.db).await.unwrap(), before, "nothing written");
        // PATCH, PUT and DELETE need it too.
        let id = idea(&t, "Board item", &[]).await;
        let before = snapshot(&t.db.db).await.unwrap();
        for method in [Method::PATCH, Method::PUT, Method::DELETE] {
            let path = match method {
                Method::PATCH => format!("/api/v1/ideas/{id}"),
                Method::PUT => format!("/api/v1/ideas/{id}/follow"),
                _ => format!("/api/v1/ideas/{id}/rice"),
            };
            let r = t
                .client
                .request(method.clone(), t.url(&path))
                .header("cookie", &cookie)
                .json(&json!({"title": "Renamed"}))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method}");
        }
        assert_eq!(snapshot(&t.db.db).await.unwrap(), before, "nothing written");

        // With the header it works; so does a GET without it.
        let (s, made) = t
            .post_with_cookie(&cookie, Some(&token), "/api/v1/ideas", new.clone())
            .await;
        assert_eq!(s, StatusCode::CREATED, "{made}");
        let r = t
            .client
            .get(t.url(&format!("/api/v1/ideas/{}", made["id"].as_str().unwrap())))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        // Another session's token is no good.
        let other = t.sign_in_cookie().await;
        let (s, _) = t
            .post_with_cookie(&other, Some(&token), "/api/v1/ideas", new.clone())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // The board's drag and drop (board.js) moves an idea this way.
        let (_, area) = t.post("/api/v1/areas", json!({"name": "Board"})).await;
        let area = area["id"].as_str().unwrap().to_string();
        for title in ["First", "Second"] {
            ok(
                &t,
                Method::POST,
                "/api/v1/ideas",
                json!({"title": title, "problem": "p", "area_id": area}),
            )
            .await;
        }
        let order = || async {
            let (_, b) = t.get(&format!("/api/v1/areas/{area}/board")).await;
            b["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let first_then_second = order().await;
        let moved = first_then_second.iter().rev().cloned().collect::<Vec<_>>();
        let mv = format!("/api/v1/ideas/{}/move", first_then_second[1]);
        let to_top = json!({"after_id": null, "before_id": first_then_second[0]});
        let (s, _) = t.post_with_cookie(&cookie, None, &mv, to_top.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(order().await, first_then_second);
        let (s, e) = t.post_with_cookie(&cookie, Some(&token), &mv, to_top).await;
        assert!(s.is_success(), "{s} {e}");
        assert_eq!(order().await, moved);

        // A Bearer token needs no CSRF header, cookie or not.
        let (s, _) = t.post("/api/v1/ideas", new.clone()).await;
        assert_eq!(s, StatusCode::CREATED);
        let r = t
            .client
            .post(t.url("/api/v1/ideas"))
            .bearer_auth(&t.token)
            .header("cookie", &cookie)
            .json(&new)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
);

backend_test!(
    secure_cookies_make_the_sign_in_cookie_host_only,
    |db: TestDb| async move {
        let web = WebConfig {
            secure_cookies: true,
            ..WebConfig::default()
        };
        let t = TestApp::spawn_on(db, AppConfig::default(), web).await;
        let r = t.client.get(t.url("/signin")).send().await.unwrap();
        let raw = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("__Host-bearing_signin="))
            .expect("a __Host- sign-in cookie")
            .to_string();
        assert!(
            raw.contains("Secure") && raw.contains("Path=/") && !raw.contains("Domain"),
            "{raw}"
        );
        let token = hidden_csrf(&r.text().await.unwrap()).unwrap();
        let post = |cookie: String| {
            t.client
                .post(t.url("/signin"))
                .header("cookie", cookie)
                .form(&[
                    ("csrf", token.as_str()),
                    ("email", t.email.as_str()),
                    ("password", t.password.as_str()),
                ])
                .send()
        };
        // The unprefixed name, which a sibling subdomain could set, is not read.
        let r = post(format!("bearing_signin={token}")).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        let r = post(format!("__Host-bearing_signin={token}"))
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
);
