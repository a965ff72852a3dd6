//! Async RICE exercises over the API (and a smoke test of the pages):
//! scores hidden until you submit, submit needs every idea, the aggregate is
//! the median per factor, adopting sets the idea's RICE, outsiders get 403,
//! off-scale values get 422 with the allowed values.

use super::{csrf_of, idea};
use bearing_domain::Role;
use bearing_testkit::{TestApp, backend_test};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Open an exercise as the caller with `token`; returns its id.
async fn open(t: &TestApp, token: &str, title: &str, ideas: &[&str], people: &[&str]) -> String {
    let (s, e) = t
        .call_as(
            token,
            Method::POST,
            "/api/v1/exercises",
            Some(json!({"title": title, "idea_ids": ideas, "participant_ids": people})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{e}");
    e["exercise"]["id"].as_str().unwrap().to_string()
}

/// Save a scorecard as the caller with `token`.
async fn score(
    t: &TestApp,
    token: &str,
    ex: &str,
    idea: &str,
    card: [f64; 4],
) -> (StatusCode, Value) {
    t.call_as(
        token,
        Method::PUT,
        &format!("/api/v1/exercises/{ex}/scores/{idea}"),
        Some(json!({"reach": card[0], "impact": card[1], "confidence": card[2], "effort_months": card[3]})),
    )
    .await
}

async fn post_as(t: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    t.call_as(token, Method::POST, path, None).await
}

async fn get_as(t: &TestApp, token: &str, path: &str) -> (StatusCode, Value) {
    t.call_as(token, Method::GET, path, None).await
}

fn close_to(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-9)
}

backend_test!(
    scores_stay_hidden_until_you_submit,
    |t: TestApp| async move {
        let sso = idea(&t, "SSO", &[]).await;
        let dark = idea(&t, "Dark mode", &[]).await;
        let (bob, bob_t) = t.user_with_token("bob@test.local", Role::Contributor).await;
        let (carol, carol_t) = t.user_with_token("carol@test.local", Role::Pm).await;
        let bob_id = bob.id.to_string();
        let carol_id = carol.id.to_string();
        let ex = open(&t, &t.token, "Q3", &[&sso, &dark], &[&bob_id, &carol_id]).await;
        let path = format!("/api/v1/exercises/{ex}");

        for i in [&sso, &dark] {
            let (s, c) = score(&t, &bob_t, &ex, i, [10.0, 2.0, 80.0, 2.0]).await;
            assert_eq!(s, StatusCode::OK, "{c}");
        }
        let (s, c) = score(&t, &carol_t, &ex, &sso, [3.0, 0.5, 0.5, 4.0]).await;
        assert_eq!(s, StatusCode::OK, "{c}");
        assert!(
            close_to(&c["confidence"], 0.5) && close_to(&c["score"], 0.1875),
            "{c}"
        );

        // Carol sees only her own card; Bob's values are nowhere in her view.
        let (s, v) = get_as(&t, &carol_t, &path).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["results_visible"], false);
        assert!(v["results"].is_null());
        assert_eq!(v["my_scorecards"].as_array().unwrap().len(), 1);
        assert_eq!(v["submitted_count"], 0);
        assert_eq!(v["me"]["can_score"], true);
        assert!(!v.to_string().contains("\"impact\":2.0"), "{v}");

        // Bob submits: from now on he sees every submitted card (only his so far;
        // Carol's draft is not shown).
        let (s, v) = post_as(&t, &bob_t, &format!("{path}/submit")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["results_visible"], true);
        assert_eq!(v["me"]["submitted"], true);
        assert_eq!(v["me"]["can_score"], false);
        let results = v["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        for r in results {
            let cards = r["scorecards"].as_array().unwrap();
            assert_eq!(cards.len(), 1, "{r}");
            assert_eq!(cards[0]["user_id"], bob_id.as_str());
            assert_eq!(cards[0]["name"], "bob@test.local");
        }

        // Carol still sees only her own card, and that one person has submitted.
        let (_, v) = get_as(&t, &carol_t, &path).await;
        assert!(v["results"].is_null());
        assert_eq!(v["submitted_count"], 1);
        let bob_row = v["participants"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["user_id"] == bob_id.as_str())
            .unwrap()
            .clone();
        assert_eq!(bob_row["submitted"], true);

        // Submitted scores are final.
        let (s, b) = score(&t, &bob_t, &ex, &sso, [6.0, 1.0, 1.0, 1.0]).await;
        assert_eq!(s, StatusCode::CONFLICT, "{b}");
        assert!(
            b["error"]["message"]
                .as_str()
                .unwrap()
                .contains("already submitted"),
            "{b}"
        );
        let (s, _) = post_as(&t, &bob_t, &format!("{path}/submit")).await;
        assert_eq!(s, StatusCode::CONFLICT);

        // Carol finishes and submits: both cards now show for both ideas she scored.
        let (s, _) = score(&t, &carol_t, &ex, &dark, [6.0, 1.0, 1.0, 1.0]).await;
        assert_eq!(s, StatusCode::OK);
        let (s, v) = post_as(&t, &carol_t, &format!("{path}/submit")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["submitted_count"], 2);
        assert_eq!(v["results"].as_array().unwrap().len(), 2, "{v}");
        for r in v["results"].as_array().unwrap() {
            assert_eq!(r["scorecards"].as_array().unwrap().len(), 2, "{r}");
        }

        // The list shows the exercise to the people in it, with progress.
        let (_, l) = get_as(&t, &carol_t, "/api/v1/exercises").await;
        assert_eq!(l["items"][0]["id"], ex.as_str());
        assert_eq!(l["items"][0]["submitted_count"], 2);
        assert_eq!(l["items"][0]["participant_count"], 3);
        assert_eq!(l["items"][0]["idea_count"], 2);
        assert!(l["items"][0]["my_submitted_at"].is_string());
    }
);

backend_test!(
    submit_requires_a_card_for_every_idea,
    |t: TestApp| async move {
        let a = idea(&t, "Audit log", &[]).await;
        let b = idea(&t, "Bulk edit", &[]).await;
        let ex = open(&t, &t.token, "Needs all", &[&a, &b], &[]).await;
        let (s, _) = score(&t, &t.token, &ex, &a, [10.0, 1.0, 1.0, 1.0]).await;
        assert_eq!(s, StatusCode::OK);
        let (s, e) = t
            .post(&format!("/api/v1/exercises/{ex}/submit"), json!({}))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["field"], "scores");
        let msg = e["error"]["message"].as_str().unwrap();
        assert!(msg.contains("Bulk edit") && msg.contains(&b), "{msg}");
        assert!(!msg.contains("Audit log"), "{msg}");
        // Still scoring: the refusal changed nothing.
        let (_, v) = t.get(&format!("/api/v1/exercises/{ex}")).await;
        assert_eq!(v["me"]["submitted"], false);
        // Saving the same idea again replaces the card rather than adding one.
        let (s, _) = score(&t, &t.token, &ex, &a, [6.0, 1.0, 1.0, 1.0]).await;
        assert_eq!(s, StatusCode::OK);
        let (_, v) = t.get(&format!("/api/v1/exercises/{ex}")).await;
        let mine = v["my_scorecards"].as_array().unwrap();
        assert_eq!(mine.len(), 1);
        assert!(close_to(&mine[0]["reach"], 6.0));
        // An idea outside the exercise is not found.
        let other = idea(&t, "Elsewhere", &[]).await;
        let (s, _) = score(&t, &t.token, &ex, &other, [6.0, 1.0, 1.0, 1.0]).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = score(&t, &t.token, &ex, &b, [6.0, 1.0, 1.0, 1.0]).await;
        assert_eq!(s, StatusCode::OK);
        let (s, v) = t
            .post(&format!("/api/v1/exercises/{ex}/submit"), json!({}))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
);

backend_test!(
    aggregate_is_the_median_of_each_factor_and_can_be_adopted,
    |t: TestApp| async move {
        let id = idea(&t, "Usage alerts", &[]).await;
        let (pat, pat_t) = t.user_with_token("pat@test.local", Role::Pm).await;
        let (sam, sam_t) = t.user_with_token("sam@test.local", Role::Contributor).await;
        let pat_id = pat.id.to_string();
        let sam_id = sam.id.to_string();
        let ex = open(&t, &t.token, "Alerts", &[&id], &[&pat_id, &sam_id]).await;
        let path = format!("/api/v1/exercises/{ex}");
        // Three scorecards; the aggregate takes each factor's median:
        // reach 6, impact 1, confidence 0.8, effort 2 → 6 × 1 × 0.8 ÷ 2 = 2.4.
        for (tok, card) in [
            (&t.token, [10.0, 3.0, 1.0, 1.0]),
            (&pat_t, [6.0, 1.0, 0.8, 2.0]),
            (&sam_t, [0.5, 0.25, 50.0, 8.0]),
        ] {
            let (s, c) = score(&t, tok, &ex, &id, card).await;
            assert_eq!(s, StatusCode::OK, "{c}");
            let (s, v) = post_as(&t, tok, &format!("{path}/submit")).await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }
        let (_, v) = t.get(&path).await;
        let r = &v["results"][0];
        assert_eq!(r["idea_id"], id.as_str());
        assert_eq!(r["scorecards"].as_array().unwrap().len(), 3);
        let agg = &r["aggregate"];
        assert!(close_to(&agg["reach"], 6.0), "{agg}");
        assert!(close_to(&agg["impact"], 1.0), "{agg}");
        assert!(close_to(&agg["confidence"], 0.8), "{agg}");
        assert!(close_to(&agg["effort_months"], 2.0), "{agg}");
        assert!(close_to(&agg["score"], 2.4), "{agg}");
        let spread = &r["spread"];
        assert!(close_to(&spread["reach"]["min"], 0.5), "{spread}");
        assert!(close_to(&spread["reach"]["max"], 10.0), "{spread}");
        assert!(close_to(&spread["reach"]["median"], 6.0), "{spread}");
        assert!(close_to(&spread["score"]["max"], 30.0), "{spread}");
        assert!(close_to(&spread["score"]["median"], 2.4), "{spread}");
        assert!(
            close_to(&spread["score"]["min"], 0.5 * 0.25 * 0.5 / 8.0),
            "{spread}"
        );

        // Adopting needs the exercise closed, and only its opener (or an admin).
        let adopt = format!("{path}/adopt/{id}");
        let (s, e) = t.post(&adopt, json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        let (s, _) = post_as(&t, &pat_t, &format!("{path}/close")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = t.post(&format!("{path}/close"), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["exercise"]["state"], "closed");
        assert_eq!(v["me"]["can_adopt"], true);
        let (s, _) = t.post(&format!("{path}/close"), json!({})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (s, _) = post_as(&t, &pat_t, &adopt).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, adopted) = t.post(&adopt, json!({})).await;
        assert_eq!(s, StatusCode::OK, "{adopted}");
        assert!(close_to(&adopted["rice"]["score"], 2.4), "{adopted}");

        // The idea now carries the aggregate as its RICE.
        let (s, shown) = t.get(&format!("/api/v1/ideas/{id}")).await;
        assert_eq!(s, StatusCode::OK);
        let rice = &shown["idea"]["rice"];
        assert!(close_to(&rice["reach"], 6.0), "{shown}");
        assert!(close_to(&rice["impact"], 1.0), "{shown}");
        assert!(close_to(&rice["confidence"], 0.8), "{shown}");
        assert!(close_to(&rice["effort_months"], 2.0), "{shown}");
        assert!(close_to(&rice["score"], 2.4), "{shown}");

        // After closing nobody can score.
        let (s, e) = score(&t, &t.token, &ex, &id, [10.0, 1.0, 1.0, 1.0]).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
    }
);

backend_test!(
    an_even_count_median_falls_between_scale_points,
    |t: TestApp| async move {
        let id = idea(&t, "Webhooks", &[]).await;
        let (kim, kim_t) = t.user_with_token("kim@test.local", Role::Contributor).await;
        let kim_id = kim.id.to_string();
        let ex = open(&t, &t.token, "Pair", &[&id], &[&kim_id]).await;
        let path = format!("/api/v1/exercises/{ex}");
        for (tok, card) in [
            (&t.token, [3.0, 1.0, 1.0, 1.0]),
            (&kim_t, [6.0, 2.0, 0.5, 3.0]),
        ] {
            score(&t, tok, &ex, &id, card).await;
            let (s, _) = post_as(&t, tok, &format!("{path}/submit")).await;
            assert_eq!(s, StatusCode::OK);
        }
        let (_, v) = t.post(&format!("{path}/close"), json!({})).await;
        let agg = &v["results"][0]["aggregate"];
        assert!(
            close_to(&agg["impact"], 1.5) && close_to(&agg["confidence"], 0.75),
            "{agg}"
        );
        let (s, adopted) = t.post(&format!("{path}/adopt/{id}"), json!({})).await;
        assert_eq!(s, StatusCode::OK, "{adopted}");
        assert!(close_to(&adopted["rice"]["impact"], 1.5), "{adopted}");
    }
);

backend_test!(only_invited_people_take_part, |t: TestApp| async move {
    let id = idea(&t, "Exports", &[]).await;
    let (_, out_t) = t.user_with_token("outsider@test.local", Role::Pm).await;
    let (viewer, viewer_t) = t.user_with_token("viewer@test.local", Role::Viewer).await;
    let ex = open(&t, &t.token, "Private", &[&id], &[]).await;
    let path = format!("/api/v1/exercises/{ex}");

    let (s, e) = get_as(&t, &out_t, &path).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, e) = score(&t, &out_t, &ex, &id, [10.0, 1.0, 1.0, 1.0]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    let (s, _) = post_as(&t, &out_t, &format!("{path}/submit")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = post_as(&t, &out_t, &format!("{path}/close")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = post_as(&t, &out_t, &format!("{path}/adopt/{id}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (_, l) = get_as(&t, &out_t, "/api/v1/exercises").await;
    assert!(l["items"].as_array().unwrap().is_empty(), "{l}");

    // Viewers can neither open exercises nor be invited to score.
    let (s, _) = t
        .call_as(
            &viewer_t,
            Method::POST,
            "/api/v1/exercises",
            Some(json!({"title": "Mine", "idea_ids": [id]})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = t
        .post(
            "/api/v1/exercises",
            json!({"title": "With viewer", "idea_ids": [id], "participant_ids": [viewer.id]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["field"], "participant_ids");

    // An unknown exercise is 404.
    let (s, _) = t
        .get("/api/v1/exercises/0190c0de-0000-7000-8000-000000000009")
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
});

backend_test!(
    off_scale_values_are_refused_with_the_allowed_values,
    |t: TestApp| async move {
        let id = idea(&t, "Search", &[]).await;
        let ex = open(&t, &t.token, "Scales", &[&id], &[]).await;
        let cases: [([f64; 4], &str, &str); 4] = [
            (
                [7.0, 1.0, 1.0, 1.0],
                "reach",
                "10 (≥80% of users), 6 (50–80% of users)",
            ),
            (
                [10.0, 4.0, 1.0, 1.0],
                "impact",
                "3 (Massive), 2 (High), 1 (Medium), 0.5 (Low), 0.25 (Minimal)",
            ),
            ([10.0, 1.0, 90.0, 1.0], "confidence", "100, 80, 50"),
            ([10.0, 1.0, 1.0, 0.0], "effort_months", "greater than 0"),
        ];
        for (card, field, allowed) in cases {
            let (s, e) = score(&t, &t.token, &ex, &id, card).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
            assert_eq!(e["error"]["field"], field, "{e}");
            let msg = e["error"]["message"].as_str().unwrap();
            assert!(msg.contains(allowed), "{msg}");
        }
        let (s, e) = t
        .call(
            Method::PUT,
            &format!("/api/v1/exercises/{ex}/scores/{id}"),
            Some(json!({"reach": 10, "impact": 1, "confidence": 1, "effort_months": 1, "votes": 3})),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        let (_, v) = t.get(&format!("/api/v1/exercises/{ex}")).await;
        assert!(v["my_scorecards"].as_array().unwrap().is_empty());
    }
);

backend_test!(
    opening_checks_title_ideas_and_people,
    |t: TestApp| async move {
        let id = idea(&t, "Roles", &[]).await;
        let bad = "0190c0de-0000-7000-8000-000000000009";
        for (body, field) in [
            (json!({"title": "  ", "idea_ids": [id]}), "title"),
            (json!({"title": "x", "idea_ids": []}), "idea_ids"),
            (json!({"title": "x", "idea_ids": [bad]}), "idea_ids"),
            (
                json!({"title": "x", "idea_ids": [id], "participant_ids": [bad]}),
                "participant_ids",
            ),
            (json!({"idea_ids": [id]}), "title"),
        ] {
            let (s, e) = t.post("/api/v1/exercises", body).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
            assert_eq!(e["error"]["field"], field, "{e}");
        }
        let many: Vec<String> = (0..51)
            .map(|n| format!("0190c0de-0000-7000-8000-{n:012}"))
            .collect();
        let (s, e) = t
            .post("/api/v1/exercises", json!({"title": "x", "idea_ids": many}))
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .contains("at most 50"),
            "{e}"
        );
        // Repeats are ignored; the opener takes part and Reach follows the workspace.
        let (s, v) = t
            .post(
                "/api/v1/exercises",
                json!({"title": "Dupes", "idea_ids": [id, id], "participant_ids": [t.admin.id]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!(v["ideas"].as_array().unwrap().len(), 1);
        assert_eq!(v["participants"].as_array().unwrap().len(), 1);
        assert_eq!(v["exercise"]["reach_mode"], "standard");
        assert_eq!(v["exercise"]["state"], "open");
    }
);

backend_test!(the_list_pages_newest_first, |t: TestApp| async move {
    let id = idea(&t, "Paging", &[]).await;
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(open(&t, &t.token, &format!("E{n}"), &[&id], &[]).await);
    }
    let (s, p1) = t.get("/api/v1/exercises?limit=2").await;
    assert_eq!(s, StatusCode::OK, "{p1}");
    let items = p1["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], ids[2].as_str());
    assert_eq!(items[1]["id"], ids[1].as_str());
    let cursor = p1["next_cursor"].as_str().unwrap();
    let (_, p2) = t
        .get(&format!("/api/v1/exercises?limit=2&cursor={cursor}"))
        .await;
    assert_eq!(p2["items"].as_array().unwrap().len(), 1);
    assert_eq!(p2["items"][0]["id"], ids[0].as_str());
    assert!(p2["next_cursor"].is_null());
    let (s, _) = t.get("/api/v1/exercises?state=open").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
});

backend_test!(pages_open_score_submit_and_adopt, |t: TestApp| async move {
    let id = idea(&t, "Calendar sync", &[]).await;
    let cookie = t.sign_in_cookie().await;
    let (s, html) = t.page(&cookie, "/exercises").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("New exercise") && html.contains("Calendar sync"));
    let csrf = csrf_of(&html);

    // A blank title re-shows the form with the error inline.
    let (s, html) = t
        .form(
            &cookie,
            "/exercises",
            &[("csrf", &csrf), ("title", ""), ("idea_ids", &id)],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("give the exercise a title"));
    let (s, to) = t
        .form(
            &cookie,
            "/exercises",
            &[("csrf", &csrf), ("title", "Sync"), ("idea_ids", &id)],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{to}");
    assert!(to.starts_with("/exercises/"), "{to}");
    let ex = to.trim_start_matches("/exercises/").to_string();

    let (s, html) = t.page(&cookie, &to).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("≥80% of users") && html.contains("Massive") && html.contains("Medium (80%)")
    );
    assert!(html.contains("Save and submit") && html.contains("Close exercise"));

    // An off-scale value typed into the form shows next to the field.
    let f = |k: &str| format!("{k}-{id}");
    let (s, html) = t
        .form(
            &cookie,
            &format!("/exercises/{ex}/scores"),
            &[
                ("csrf", &csrf),
                (&f("reach"), "7"),
                (&f("impact"), "2"),
                (&f("confidence"), "0.8"),
                (&f("effort_months"), "2"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("not on the standard reach scale"));
    let (s, to) = t
        .form(
            &cookie,
            &format!("/exercises/{ex}/scores"),
            &[
                ("csrf", &csrf),
                (&f("reach"), "10"),
                (&f("impact"), "2"),
                (&f("confidence"), "0.8"),
                (&f("effort_months"), "2"),
                ("action", "submit"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{to}");
    let (_, html) = t.page(&cookie, &to).await;
    assert!(
        html.contains("Results") && html.contains("Aggregate") && html.contains("Median"),
        "{html}"
    );
    assert!(!html.contains("Save and submit"));

    let (s, _) = t
        .form(
            &cookie,
            &format!("/exercises/{ex}/close"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = t.page(&cookie, &format!("/exercises/{ex}")).await;
    assert!(html.contains("Adopt as RICE"));
    let (s, _) = t
        .form(
            &cookie,
            &format!("/exercises/{ex}/adopt/{id}"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, shown) = t.get(&format!("/api/v1/ideas/{id}")).await;
    assert!(close_to(&shown["idea"]["rice"]["score"], 8.0), "{shown}");
    // A wrong CSRF token is refused.
    let (s, _) = t
        .form(
            &cookie,
            &format!("/exercises/{ex}/close"),
            &[("csrf", "nope")],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
});
