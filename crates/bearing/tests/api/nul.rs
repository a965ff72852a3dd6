//! NUL and other control characters in input (issue 10). PostgreSQL's
//! `text` cannot hold NUL, so before the fix a NUL in a customer's domain
//! was stored on SQLite and a 500 on PostgreSQL. Now every text field of
//! every create and update, every query-string parameter and the page
//! forms refuse it the same way on both databases: a 422 naming the field,
//! and nothing written.
//!
//! Each field is tried twice. With NUL the JSON extractor's defence in
//! depth answers (the field named by its JSON path, `labels[0]`); with ESC
//! (U+001B), which the extractor lets through, the domain's `plain_text`
//! rule must answer, naming the field as the domain does (`labels`) — so
//! the table proves the domain rule covers every field, not only that the
//! extractor does.

use super::csrf::{fixture, form_case, signed_in, with_token};
use super::{csrf_of, idea};
use bearing_testkit::snapshot::snapshot;
use bearing_testkit::{DemoApp, TestApp, backend_test};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The two characters tried in every field: NUL, and ESC standing for the
/// other C0 controls the domain refuses.
const CHARS: [char; 2] = ['\0', '\u{1b}'];

/// An API call that must succeed; its JSON answer.
async fn ok(t: &TestApp, method: Method, path: &str, body: Value) -> Value {
    let (s, v) = t.call(method, path, Some(body)).await;
    assert!(s.is_success(), "{path}: {s} {v}");
    v
}

/// The id in `v` at `pointer` (a JSON pointer).
fn id(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no id at {pointer} in {v}"))
        .to_string()
}

/// The slot in `body` at `at`, a path as the API names fields
/// (`new_idea.labels[0]`).
fn slot<'v>(body: &'v mut Value, at: &str) -> &'v mut Value {
    at.split('.')
        .fold(body, |v, part| match part.split_once('[') {
            Some((name, i)) => {
                let i: usize = i.trim_end_matches(']').parse().expect("an index");
                &mut v[name][i]
            }
            None => &mut v[part],
        })
}

/// `body` with `c` added to the string at `at`, or (for a number or id
/// that is not a string) put there as a string of its own.
fn inject(body: &Value, at: &str, c: char) -> Value {
    let mut b = body.clone();
    let s = slot(&mut b, at);
    *s = Value::String(match s.as_str() {
        Some(text) => format!("{text}{c}"),
        None => c.to_string(),
    });
    b
}

/// One create or update endpoint: a body that succeeds, and its fields.
/// A field is `path` (both characters are named by it) or
/// `path>domain_name` when the domain names it differently from its JSON
/// path (a list item is named by its list).
struct Endpoint {
    method: Method,
    url: String,
    body: Value,
    fields: &'static [&'static str],
}

fn ep(method: Method, url: String, body: Value, fields: &'static [&'static str]) -> Endpoint {
    Endpoint {
        method,
        url,
        body,
        fields,
    }
}

/// A valid idea body with every text field filled in.
fn idea_body(area: &str) -> Value {
    json!({"title": "Export boards", "problem": "Boards cannot leave Bearing",
        "proposal": "A CSV export", "area_id": area, "status": "new", "timeframe": "future",
        "due_date": "2027-01-31", "labels": ["export"], "tracker_links": ["https://example.com/t/1"]})
}

const IDEA_FIELDS: &[&str] = &[
    "title",
    "problem",
    "proposal",
    "area_id",
    "status",
    "timeframe",
    "due_date",
    "labels[0]>labels",
    "tracker_links[0]>tracker_links",
];

/// Every create and update endpoint of `/api/v1` (see `api::routes`),
/// over records made for it. Endpoints that change their record for good
/// (process, merge) have records of their own, since each is finally
/// sent clean to show the body was valid.
async fn endpoints(t: &TestApp) -> Vec<Endpoint> {
    let api = "/api/v1";
    let c = ok(
        t,
        Method::POST,
        "/api/v1/customers",
        json!({"name": "Acme"}),
    )
    .await;
    let customer = id(&c, "/id");
    let k = ok(
        t,
        Method::POST,
        "/api/v1/contacts",
        json!({"customer_id": customer, "name": "Kim"}),
    )
    .await;
    let contact = id(&k, "/id");
    let a = ok(t, Method::POST, "/api/v1/areas", json!({"name": "Reports"})).await;
    let area = id(&a, "/id");
    let note_text = "We need SAML single sign-on today";
    let note = async || {
        let n = ok(
            t,
            Method::POST,
            "/api/v1/notes",
            json!({"text": note_text, "source": "email"}),
        )
        .await;
        id(&n, "/id")
    };
    let (note_edit, note_link, note_linked, note_declined) =
        (note().await, note().await, note().await, note().await);
    let idea_in_area = async |title: &str| {
        let i = ok(
            t,
            Method::POST,
            "/api/v1/ideas",
            json!({"title": title, "problem": "Why", "area_id": area}),
        )
        .await;
        id(&i, "/id")
    };
    let main = idea_in_area("Main").await;
    let other = idea_in_area("Other").await;
    let (merge_from, merge_into) = (
        idea(t, "Merge from", &[]).await,
        idea(t, "Merge into", &[]).await,
    );
    let cm = ok(
        t,
        Method::POST,
        &format!("{api}/ideas/{main}/comments"),
        json!({"body": "First"}),
    )
    .await;
    let comment = id(&cm, "/id");
    let e = ok(
        t,
        Method::POST,
        "/api/v1/exercises",
        json!({"title": "Q3", "idea_ids": [main]}),
    )
    .await;
    let exercise = id(&e, "/exercise/id");
    let session = async || {
        let s = ok(
            t,
            Method::POST,
            "/api/v1/sessions",
            json!({"title": "Q3 planning", "milestone": "M1"}),
        )
        .await;
        id(&s, "/id")
    };
    let (nominating, voting) = (session().await, session().await);
    ok(
        t,
        Method::POST,
        &format!("{api}/sessions/{voting}/nominations"),
        json!({"idea_id": main}),
    )
    .await;
    let rice = json!({"reach": 6, "impact": 1, "confidence": 0.8, "effort_months": 2});
    const RICE: &[&str] = &["reach", "impact", "confidence", "effort_months"];
    let mut new_idea = idea_body(&area);
    new_idea["title"] = json!("From the note");

    vec![
        ep(
            Method::POST,
            format!("{api}/customers"),
            json!({"name": "Globex", "domain": "globex.test", "segment": "enterprise", "owner_id": t.admin.id}),
            &["name", "domain", "segment", "owner_id"],
        ),
        ep(
            Method::PATCH,
            format!("{api}/customers/{customer}"),
            json!({"name": "Acme Inc", "domain": "acme.test", "segment": "smb"}),
            &["name", "domain", "segment"],
        ),
        ep(
            Method::POST,
            format!("{api}/contacts"),
            json!({"customer_id": customer, "name": "Lee", "email": "lee@acme.test", "title": "CTO"}),
            &["customer_id", "name", "email", "title"],
        ),
        ep(
            Method::PATCH,
            format!("{api}/contacts/{contact}"),
            json!({"name": "Kim Li", "email": "kim@acme.test", "title": "CFO"}),
            &["name", "email", "title"],
        ),
        ep(
            Method::POST,
            format!("{api}/areas"),
            json!({"name": "Billing", "key": "billing", "description": "Invoices"}),
            &["name", "key", "description"],
        ),
        ep(
            Method::PATCH,
            format!("{api}/areas/{area}"),
            json!({"name": "Reporting", "description": "Charts"}),
            &["name", "description"],
        ),
        ep(
            Method::POST,
            format!("{api}/notes"),
            json!({"text": "Dark mode please", "source": "email", "importance": "critical",
                "customer_id": customer, "contact_id": contact, "tags": ["ui"]}),
            &[
                "text",
                "source",
                "importance",
                "customer_id",
                "contact_id",
                "tags[0]>tags",
            ],
        ),
        ep(
            Method::PATCH,
            format!("{api}/notes/{note_edit}"),
            json!({"text": "Dark mode, please", "source": "forum", "importance": "important", "tags": ["ui"]}),
            &["text", "source", "importance", "tags[0]>tags"],
        ),
        ep(
            Method::POST,
            format!("{api}/notes/{note_linked}/process"),
            json!({"links": [{"idea_id": main, "excerpt": "SAML"}], "new_idea": new_idea,
                "new_idea_excerpt": "single sign-on", "underlying_need": "One login", "workaround": "Passwords"}),
            &[
                "links[0].idea_id",
                "links[0].excerpt>excerpt",
                "new_idea.title",
                "new_idea.problem",
                "new_idea.proposal",
                "new_idea.status",
                "new_idea.due_date",
                "new_idea.labels[0]>new_idea.labels",
                "new_idea.tracker_links[0]>new_idea.tracker_links",
                "new_idea_excerpt",
                "underlying_need",
                "workaround",
            ],
        ),
        ep(
            Method::POST,
            format!("{api}/notes/{note_declined}/process"),
            json!({"wont_do_reason": "Out of scope", "underlying_need": "One login", "workaround": "Passwords"}),
            &["wont_do_reason", "underlying_need", "workaround"],
        ),
        ep(
            Method::POST,
            format!("{api}/ideas"),
            idea_body(&area),
            IDEA_FIELDS,
        ),
        ep(
            Method::PATCH,
            format!("{api}/ideas/{main}"),
            idea_body(&area),
            IDEA_FIELDS,
        ),
        ep(
            Method::POST,
            format!("{api}/ideas/{main}/comments"),
            json!({"body": "Agreed"}),
            &["body"],
        ),
        ep(
            Method::PATCH,
            format!("{api}/comments/{comment}"),
            json!({"body": "Edited"}),
            &["body"],
        ),
        ep(
            Method::POST,
            format!("{api}/links"),
            json!({"note_id": note_link, "idea_id": main, "excerpt": "single sign-on"}),
            &["note_id", "idea_id", "excerpt"],
        ),
        ep(
            Method::POST,
            format!("{api}/ideas/{merge_from}/merge"),
            json!({"into": merge_into}),
            &["into"],
        ),
        ep(
            Method::POST,
            format!("{api}/exercises"),
            json!({"title": "Q4", "idea_ids": [main], "participant_ids": [t.admin.id]}),
            &["title", "idea_ids[0]", "participant_ids[0]"],
        ),
        ep(
            Method::PUT,
            format!("{api}/exercises/{exercise}/scores/{main}"),
            rice.clone(),
            RICE,
        ),
        ep(
            Method::POST,
            format!("{api}/sessions"),
            json!({"title": "Q4 planning", "milestone": "M2", "participants": [t.admin.id]}),
            &["title", "milestone", "participants[0]"],
        ),
        ep(
            Method::POST,
            format!("{api}/sessions/{nominating}/nominations"),
            json!({"idea_id": main}),
            &["idea_id"],
        ),
        ep(
            Method::POST,
            format!("{api}/sessions/{voting}/votes"),
            json!({"idea_id": main, "kind": "importance"}),
            &["idea_id", "kind"],
        ),
        ep(
            Method::PUT,
            format!("{api}/settings/prioritisation"),
            json!({"reach_mode": "absolute"}),
            &["reach_mode"],
        ),
        ep(Method::PUT, format!("{api}/ideas/{main}/rice"), rice, RICE),
        ep(
            Method::POST,
            format!("{api}/ideas/{other}/move"),
            json!({"after_id": main}),
            &["after_id"],
        ),
    ]
}

backend_test!(
    nul_in_any_field_of_any_create_or_update_is_a_422_naming_it,
    |t: TestApp| async move {
        let mut tried = 0;
        for e in endpoints(&t).await {
            // One snapshot around all of an endpoint's refusals: a write by
            // any of them would move it (and one per case is slow on
            // PostgreSQL).
            let before = snapshot(&t.db.db).await.unwrap();
            for spec in e.fields {
                let (at, domain) = spec.split_once('>').unwrap_or((spec, spec));
                for c in CHARS {
                    let body = inject(&e.body, at, c);
                    let (s, v) = t.call(e.method.clone(), &e.url, Some(body)).await;
                    let want = if c == '\0' { at } else { domain };
                    let case = format!("{} {} {at} with {c:?}", e.method, e.url);
                    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{case}: {v}");
                    assert_eq!(v["error"]["field"], want, "{case}: {v}");
                    tried += 1;
                }
            }
            let after = snapshot(&t.db.db).await.unwrap();
            assert_eq!(after, before, "{} {}: nothing written", e.method, e.url);
            // The same body without the character is accepted, so each
            // refusal above was for the character alone.
            let (s, v) = t.call(e.method.clone(), &e.url, Some(e.body.clone())).await;
            assert!(s.is_success(), "{} {} clean: {s} {v}", e.method, e.url);
        }
        assert!(tried > 150, "only {tried} cases");
    }
);

backend_test!(nul_messages_say_what_is_wrong, |t: TestApp| async move {
    // The reported case: a NUL in a customer's domain.
    let (s, v) = t
        .post(
            "/api/v1/customers",
            json!({"name": "Acme", "domain": "acme\u{0}.com"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "invalid");
    assert_eq!(v["error"]["field"], "domain");
    assert_eq!(
        v["error"]["message"],
        "domain may not contain a NUL character"
    );
    let (_, v) = t
        .post(
            "/api/v1/customers",
            json!({"name": "Acme\u{7}", "domain": "acme.com"}),
        )
        .await;
    assert_eq!(
        v["error"]["message"],
        "name may not contain the control character U+0007"
    );
    // A key holding NUL is named (escaped), whatever the endpoint.
    let (s, v) = t
        .post("/api/v1/customers", json!({"name": "Acme", "x\u{0}": 1}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["field"], "x\\0");
    // Tab, line feed and carriage return are ordinary text.
    let (s, v) = t
        .post(
            "/api/v1/notes",
            json!({"text": "Line one\r\n\tLine two", "source": "email"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["text"], "Line one\r\n\tLine two");
});

backend_test!(
    nul_in_a_query_parameter_is_a_422_naming_it,
    |t: TestApp| async move {
        let area = ok(
            &t,
            Method::POST,
            "/api/v1/areas",
            json!({"name": "Reports"}),
        )
        .await;
        let area = id(&area, "/id");
        let cases: &[(&str, &str)] = &[
            ("/api/v1/customers?segment=smb", "segment"),
            ("/api/v1/customers?owner_id=x", "owner_id"),
            ("/api/v1/customers?sort=name", "sort"),
            ("/api/v1/notes?tag=sso", "tag"),
            ("/api/v1/notes?state=unprocessed", "state"),
            ("/api/v1/notes?source=email", "source"),
            ("/api/v1/notes?cursor=abc", "cursor"),
            ("/api/v1/notes?limit=5", "limit"),
            ("/api/v1/ideas?label=sso", "label"),
            ("/api/v1/ideas?status=new", "status"),
            ("/api/v1/ideas?min_rice=1", "min_rice"),
            ("/api/v1/search?q=sso", "q"),
            ("/api/v1/search?q=sso&state=open", "state"),
            ("/api/v1/search?q=sso&from=2026-01-01", "from"),
            ("/api/v1/search?q=sso&type=note", "type"),
            ("/api/v1/ideas/similar?text=single+sign-on", "text"),
            ("/api/v1/exercises?cursor=abc", "cursor"),
        ];
        let board = format!("/api/v1/areas/{area}/board?cursor=abc");
        let cases = cases
            .iter()
            .map(|(u, p)| (u.to_string(), *p))
            .chain([(board, "cursor")]);
        for (url, param) in cases {
            for c in ["%00", "%1B"] {
                let at = url.find(&format!("{param}=")).unwrap() + param.len() + 1;
                let end = url[at..].find('&').map_or(url.len(), |i| at + i);
                let bad = format!("{}{c}{}", &url[..end], &url[end..]);
                let (s, v) = t.get(&bad).await;
                assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {v}");
                assert_eq!(v["error"]["field"], param, "{bad}: {v}");
            }
        }
        // A parameter name with NUL is refused too, and never echoed raw.
        let (s, v) = t.get("/api/v1/notes?ta%00g=sso").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["error"]["field"], "ta\\0g");
        // A path segment that is not an id is simply not found.
        for path in [
            "/api/v1/customers/%00",
            "/api/v1/ideas/x%00",
            "/api/v1/areas/%00/board",
        ] {
            let (s, v) = t.get(path).await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{path}: {v}");
        }
    }
);

backend_test!(
    nul_in_a_page_form_is_an_inline_error,
    |t: TestApp| async move {
        let cookie = t.sign_in_cookie().await;
        let (s, html) = t.page(&cookie, "/notes/new").await;
        assert_eq!(s, StatusCode::OK);
        let csrf = csrf_of(&html);
        let before = snapshot(&t.db.db).await.unwrap();
        let (s, html) = t
            .form(
                &cookie,
                "/notes",
                &[
                    ("csrf", &csrf),
                    ("text", "Please add\u{0} SSO"),
                    ("source", "email"),
                    ("importance", "important"),
                ],
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
        assert!(
            html.contains("text may not contain a NUL character"),
            "{html}"
        );
        assert_eq!(snapshot(&t.db.db).await.unwrap(), before, "nothing written");
        // Query strings of pages, and the sign-in form's redirect target.
        let (s, _) = t.page(&cookie, "/ideas?label=sso%00").await;
        assert!(s.is_client_error(), "{s}");
        let (s, _) = t.page(&cookie, "/search?q=sso%00").await;
        assert!(s.is_client_error() || s == StatusCode::OK, "{s}");
        let (s, _) = t.page(&cookie, "/board?area=%00").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (signin_cookie, csrf) = t.sign_in_form().await;
        let resp = t
            .client
            .post(t.url("/signin"))
            .header("cookie", signin_cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", t.email.as_str()),
                ("password", t.password.as_str()),
                ("next", "/inbox\u{0}"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        assert_eq!(resp.headers()["location"], "/inbox");
        let (signin_cookie, csrf) = t.sign_in_form().await;
        let resp = t
            .client
            .post(t.url("/signin"))
            .header("cookie", signin_cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", "admin\u{0}@test.local"),
                ("password", t.password.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
);

backend_test!(
    nul_in_any_field_of_any_page_form_is_never_a_server_error,
    |d: DemoApp| async move {
        // Every page form (the CSRF test's working posts), each field in
        // turn with NUL added: forms reach the domain without the JSON
        // extractor's net, so this is the domain rule alone on PostgreSQL.
        let t = &d.0;
        let f = fixture(t).await;
        let (cookie, token) = signed_in(t).await;
        let mut tried = 0;
        for path in bearing_web::html::form_paths() {
            if matches!(path, "/signin" | "/signout") {
                continue; // sign-in is tried above; sign-out has no fields
            }
            let Some((url, fields)) = form_case(path, &f, t) else {
                continue;
            };
            for i in 0..fields.len() {
                let mut bad = fields.clone();
                bad[i].1.push('\0');
                let (s, body) = t.form(&cookie, &url, &with_token(&bad, Some(&token))).await;
                assert!(
                    !s.is_server_error(),
                    "POST {url} with NUL in {}: {s} {body}",
                    bad[i].0
                );
                tried += 1;
            }
        }
        assert!(tried > 20, "only {tried} cases");
    }
);
