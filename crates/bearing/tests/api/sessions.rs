//! Prioritisation sessions over the API: a session run end to end by two
//! participants, refusals with their status and message, exclusions, the
//! matrix as SVG, and 20 parallel votes by one participant that must stop
//! at the budget.

use super::idea;
use bearing_domain::Role;
use bearing_testkit::{TestApp, backend_test};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn tally(detail: &Value, title: &str) -> (u64, u64, String) {
    let r = detail["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["title"] == title)
        .unwrap_or_else(|| panic!("no result for {title}: {detail}"));
    (
        r["importance"].as_u64().unwrap(),
        r["feasibility"].as_u64().unwrap(),
        r["quadrant"].as_str().unwrap().to_string(),
    )
}

backend_test!(a_session_end_to_end, |t: TestApp| async move {
    let (pat, pat_token) = t.user_with_token("pat@example.test", Role::Pm).await;
    let (_, outsider) = t.user_with_token("out@example.test", Role::Pm).await;
    let (_, viewer) = t.user_with_token("view@example.test", Role::Viewer).await;
    let sso = idea(&t, "SAML SSO", &["enterprise"]).await;
    let dark = idea(&t, "Dark mode", &[]).await;
    let keys = idea(&t, "Rotate keys", &["Security"]).await;
    let csv = idea(&t, "CSV export", &[]).await;

    let (s, b) = t
        .call_as(
            &viewer,
            Method::POST,
            "/api/v1/sessions",
            Some(json!({"title": "x", "milestone": "y"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    let (s, b) = t
        .post(
            "/api/v1/sessions",
            json!({"title": "Q3", "milestone": "17.3", "feasibility_votes": 0}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "feasibility_votes");
    let (s, b) = t
        .post(
            "/api/v1/sessions",
            json!({"title": "Q3", "milestone": "17.3", "colour": "red"}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");

    let (s, created) = t
        .post(
            "/api/v1/sessions",
            json!({"title": "Q3 planning", "milestone": "17.3", "participants": [pat.id], "importance_votes": 3, "feasibility_votes": 3}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(created["state"], "open");
    assert_eq!(created["facilitator_id"], json!(t.admin.id));
    assert_eq!(
        created["limits"],
        json!({"max_nominations": 5, "importance_votes": 3, "feasibility_votes": 3})
    );
    let id = created["id"].as_str().unwrap();
    let base = format!("/api/v1/sessions/{id}");

    let (_, list) = t
        .call_as(&pat_token, Method::GET, "/api/v1/sessions", None)
        .await;
    assert_eq!(list["items"][0]["title"], "Q3 planning");
    assert_eq!(list["items"][0]["participating"], true);
    let (_, list) = t
        .call_as(&outsider, Method::GET, "/api/v1/sessions", None)
        .await;
    assert_eq!(list["items"][0]["participating"], false);

    // Nominations.
    let (s, d) = t
        .post(&format!("{base}/nominations"), json!({"idea_id": sso}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["nominations"][0]["title"], "SAML SSO");
    let (s, b) = t
        .post(&format!("{base}/nominations"), json!({"idea_id": keys}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        b["error"]["message"],
        "security and availability items have forced priority and are excluded"
    );
    assert_eq!(b["error"]["field"], "idea_id");
    let (s, _) = t
        .call_as(
            &pat_token,
            Method::POST,
            &format!("{base}/nominations"),
            Some(json!({"idea_id": sso})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, _) = t
        .call_as(
            &pat_token,
            Method::POST,
            &format!("{base}/nominations"),
            Some(json!({"idea_id": dark})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, b) = t
        .call_as(
            &outsider,
            Method::POST,
            &format!("{base}/nominations"),
            Some(json!({"idea_id": csv})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");

    // Votes.
    let vote = |token: String, idea: String, kind: &'static str| {
        let path = format!("{base}/votes");
        let t = &t;
        async move {
            t.call_as(
                &token,
                Method::POST,
                &path,
                Some(json!({"idea_id": idea, "kind": kind})),
            )
            .await
        }
    };
    for _ in 0..3 {
        let (s, v) = vote(t.token.clone(), sso.clone(), "importance").await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["kind"], "importance");
    }
    let (s, b) = vote(t.token.clone(), dark.clone(), "importance").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        b["error"]["message"],
        "you have used all 3 importance votes"
    );
    let (s, b) = vote(t.token.clone(), dark.clone(), "urgency").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "kind");
    let (s, b) = vote(t.token.clone(), csv.clone(), "feasibility").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "idea_id");
    let (s, _) = vote(t.token.clone(), dark.clone(), "feasibility").await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = vote(pat_token.clone(), dark.clone(), "feasibility").await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, taken_back) = vote(pat_token.clone(), sso.clone(), "feasibility").await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = vote(pat_token.clone(), dark.clone(), "importance").await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, _) = vote(outsider.clone(), dark.clone(), "importance").await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Take a vote back: it returns to the budget.
    let vid = taken_back["id"].as_str().unwrap();
    let (s, _) = t
        .call(Method::DELETE, &format!("{base}/votes/{vid}"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "not the admin's vote");
    let (s, _) = t
        .call_as(
            &pat_token,
            Method::DELETE,
            &format!("{base}/votes/{vid}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);

    // While open: own votes and budgets only, no tallies, no matrix.
    let (s, d) = t.call_as(&pat_token, Method::GET, &base, None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(d["results"].is_null());
    assert_eq!(d["can_close"], false);
    assert_eq!(d["me"]["importance_left"], 2);
    assert_eq!(d["me"]["feasibility_left"], 2);
    assert_eq!(d["my_votes"].as_array().unwrap().len(), 2);
    assert_eq!(d["participants"].as_array().unwrap().len(), 2);
    let (s, _) = t.get(&format!("{base}/matrix.svg")).await;
    assert_eq!(s, StatusCode::CONFLICT);

    // Close: only the facilitator.
    let (s, _) = t
        .call_as(&pat_token, Method::POST, &format!("{base}/close"), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, d) = t.call(Method::POST, &format!("{base}/close"), None).await;
    assert_eq!(s, StatusCode::OK, "{d}");
    assert_eq!(d["session"]["state"], "closed");
    assert_eq!(tally(&d, "SAML SSO"), (3, 0, "big_bets".into()));
    assert_eq!(tally(&d, "Dark mode"), (1, 2, "quick_wins".into()));
    assert_eq!(d["results"][0]["title"], "SAML SSO");
    // Everyone sees the results once closed.
    let (_, d) = t.call_as(&outsider, Method::GET, &base, None).await;
    assert_eq!(tally(&d, "Dark mode"), (1, 2, "quick_wins".into()));
    assert!(d["me"].is_null());

    let (s, b) = vote(pat_token.clone(), dark.clone(), "importance").await;
    assert_eq!(s, StatusCode::CONFLICT, "{b}");
    let (s, _) = t.call(Method::POST, &format!("{base}/close"), None).await;
    assert_eq!(s, StatusCode::CONFLICT);

    let resp = t
        .client
        .get(t.url(&format!("{base}/matrix.svg")))
        .bearer_auth(&outsider)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("image/svg+xml")
    );
    let svg = resp.text().await.unwrap();
    assert!(svg.starts_with("<svg"));
    for text in [
        "SAML SSO",
        "Dark mode",
        "Do first",
        "Big bets",
        "Quick wins",
        "Reconsider",
    ] {
        assert!(svg.contains(text), "{text} in {svg}");
    }

    let (s, _) = t
        .get("/api/v1/sessions/0190c0de-0000-7000-8000-000000000009")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = t.get("/api/v1/sessions/not-an-id").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});

backend_test!(
    twenty_parallel_votes_stop_at_the_budget,
    |t: TestApp| async move {
        let (voter, token) = t.user_with_token("voter@example.test", Role::Pm).await;
        let a = idea(&t, "Bulk edit", &[]).await;
        let b = idea(&t, "Slack alerts", &[]).await;
        let (s, created) = t
            .post(
                "/api/v1/sessions",
                json!({"title": "Race", "milestone": "M", "participants": [voter.id], "importance_votes": 5}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{created}");
        let base = format!("/api/v1/sessions/{}", created["id"].as_str().unwrap());
        for i in [&a, &b] {
            let (s, _) = t
                .post(&format!("{base}/nominations"), json!({"idea_id": i}))
                .await;
            assert_eq!(s, StatusCode::CREATED);
        }
        let path = format!("{base}/votes");
        let calls = (0..20).map(|n| {
            let idea = if n % 2 == 0 { &a } else { &b };
            t.call_as(
                &token,
                Method::POST,
                &path,
                Some(json!({"idea_id": idea, "kind": "importance"})),
            )
        });
        let answers = futures::future::join_all(calls).await;
        let ok = answers
            .iter()
            .filter(|(s, _)| *s == StatusCode::CREATED)
            .count();
        assert_eq!(ok, 5, "{answers:?}");
        for (s, b) in answers.iter().filter(|(s, _)| *s != StatusCode::CREATED) {
            assert_eq!(*s, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
            assert_eq!(
                b["error"]["message"],
                "you have used all 5 importance votes"
            );
        }
        let (_, d) = t.call_as(&token, Method::GET, &base, None).await;
        assert_eq!(d["me"]["importance_used"], 5);
        assert_eq!(d["me"]["importance_left"], 0);
        assert_eq!(d["my_votes"].as_array().unwrap().len(), 5);
        let (s, d) = t.call(Method::POST, &format!("{base}/close"), None).await;
        assert_eq!(s, StatusCode::OK);
        let total: u64 = d["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["importance"].as_u64().unwrap())
            .sum();
        assert_eq!(total, 5);
    }
);
