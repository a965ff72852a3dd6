//! RICE on ideas, the reach scale, demand and the ranked board over the API.

use bearing_domain::Role;
use bearing_testkit::{TestApp, backend_test};
use reqwest::{Method, StatusCode};
use serde_json::json;

async fn idea(t: &TestApp, title: &str, area: Option<&str>) -> String {
    let mut body = json!({"title": title, "problem": "A real problem."});
    if let Some(a) = area {
        body["area_id"] = json!(a);
    }
    let (s, i) = t.post("/api/v1/ideas", body).await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    i["id"].as_str().unwrap().to_string()
}

async fn area(t: &TestApp, name: &str) -> String {
    let (s, a) = t.post("/api/v1/areas", json!({"name": name})).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    a["id"].as_str().unwrap().to_string()
}

backend_test!(rice_scores_on_the_standard_scale, |t: TestApp| async move {
    let id = idea(&t, "Bulk edit", None).await;
    // The handbook's worked example.
    let (s, i) = t
        .call(
            Method::PUT,
            &format!("/api/v1/ideas/{id}/rice"),
            Some(json!({"reach": 10.0, "impact": 0.5, "confidence": 0.8, "effort_months": 2})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{i}");
    assert_eq!(i["rice"]["score"], 2.0);
    assert_eq!(i["rice_reach_mode"], "standard");
    assert_eq!(i["effort_months"], 2.0, "RICE effort is the idea's effort");
    // Off the scale: the error lists the allowed values.
    let (s, b) = t
        .call(
            Method::PUT,
            &format!("/api/v1/ideas/{id}/rice"),
            Some(json!({"reach": 7, "impact": 1, "confidence": 0.8, "effort_months": 1})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "reach");
    assert!(
        b["error"]["message"].as_str().unwrap().contains("10"),
        "{b}"
    );
    let (s, b) = t
        .call(
            Method::PUT,
            &format!("/api/v1/ideas/{id}/rice"),
            Some(json!({"reach": 10, "impact": 1, "confidence": 0.8, "effort_months": 0})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(b["error"]["field"], "effort_months");
    // Changing effort re-scores.
    let (_, i) = t
        .patch(&format!("/api/v1/ideas/{id}"), json!({"effort_months": 4}))
        .await;
    assert_eq!(i["rice"]["score"], 1.0);
    // Clearing.
    let (s, i) = t
        .call(Method::DELETE, &format!("/api/v1/ideas/{id}/rice"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(i["rice"].is_null());
});

backend_test!(
    absolute_reach_is_a_workspace_choice,
    |t: TestApp| async move {
        let id = idea(&t, "Onboarding tour", None).await;
        let (s, b) = t
            .call(
                Method::PUT,
                "/api/v1/settings/prioritisation",
                Some(json!({"reach_mode": "absolute"})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        // Intercom's example: 5,000 × 2 × 80% ÷ 2 = 4,000.
        let (s, i) = t
            .call(
                Method::PUT,
                &format!("/api/v1/ideas/{id}/rice"),
                Some(json!({"reach": 5000, "impact": 2, "confidence": 80, "effort_months": 2})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{i}");
        assert_eq!(i["rice"]["score"], 4000.0);
        assert_eq!(i["rice_reach_mode"], "absolute");
        let (_, pm) = t.user_with_token("pm@test.local", Role::Pm).await;
        let (s, _) = t
            .call_as(
                &pm,
                Method::PUT,
                "/api/v1/settings/prioritisation",
                Some(json!({"reach_mode": "standard"})),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "only admins change the scale");
        let (_, b) = t.get("/api/v1/settings/prioritisation").await;
        assert_eq!(b["reach_mode"], "absolute");
    }
);

backend_test!(
    ideas_sort_and_filter_by_score_and_demand,
    |t: TestApp| async move {
        let a = idea(&t, "A", None).await;
        let b = idea(&t, "B", None).await;
        let _unscored = idea(&t, "C", None).await;
        for (id, reach) in [(&a, 3.0), (&b, 10.0)] {
            let (s, _) = t
                .call(
                    Method::PUT,
                    &format!("/api/v1/ideas/{id}/rice"),
                    Some(json!({"reach": reach, "impact": 1, "confidence": 1, "effort_months": 1})),
                )
                .await;
            assert_eq!(s, StatusCode::OK);
        }
        let (_, l) = t.get("/api/v1/ideas?sort=rice").await;
        let titles: Vec<&str> = l["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles, ["B", "A", "C"], "unscored last");
        let (_, l) = t.get("/api/v1/ideas?sort=rice&limit=1").await;
        let c = l["next_cursor"].as_str().unwrap().to_string();
        let (_, l2) = t
            .get(&format!("/api/v1/ideas?sort=rice&limit=1&cursor={c}"))
            .await;
        assert_eq!(l2["items"][0]["title"], "A");
        let (_, l) = t.get("/api/v1/ideas?min_rice=5").await;
        assert_eq!(l["items"].as_array().unwrap().len(), 1);
        let (s, e) = t.get("/api/v1/ideas?min_rice=lots").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["error"]["field"], "min_rice");

        // Demand: a critical note from a big customer on A outranks B's anonymous one.
        let (_, big) = t
            .post("/api/v1/customers", json!({"name": "BigCo", "arr": 900000}))
            .await;
        let (_, n1) = t.post("/api/v1/notes", json!({"text": "need A", "source": "sales_call", "importance": "critical", "customer_id": big["id"]})).await;
        let (_, n2) = t
            .post(
                "/api/v1/notes",
                json!({"text": "want B", "source": "forum"}),
            )
            .await;
        t.post("/api/v1/links", json!({"note_id": n1["id"], "idea_id": a}))
            .await;
        let (s, l) = t
            .post("/api/v1/links", json!({"note_id": n2["id"], "idea_id": b}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{l}");
        let (_, l) = t.get("/api/v1/ideas?sort=demand").await;
        assert_eq!(l["items"][0]["title"], "A");
        let da = l["items"][0]["demand_score"].as_f64().unwrap();
        assert!(da > l["items"][1]["demand_score"].as_f64().unwrap());
        let (_, d) = t.get(&format!("/api/v1/ideas/{a}/demand")).await;
        assert_eq!(d["customers"][0]["customer"]["name"], "BigCo");
        assert_eq!(d["customers"][0]["importance"], "critical");
        assert_eq!(d["total_arr"], 900000);
        // Demand follows its inputs: lower the ARR, the score drops.
        t.patch(
            &format!("/api/v1/customers/{}", big["id"].as_str().unwrap()),
            json!({"arr": 1000}),
        )
        .await;
        let (_, i) = t.get(&format!("/api/v1/ideas/{a}")).await;
        assert!(i["idea"]["demand_score"].as_f64().unwrap() < da);
        // And unlinking removes it.
        let (_, links) = t
            .get(&format!(
                "/api/v1/notes/{}/links",
                n1["id"].as_str().unwrap()
            ))
            .await;
        let lid = links["items"][0]["id"].as_str().unwrap();
        t.call(Method::DELETE, &format!("/api/v1/links/{lid}"), None)
            .await;
        let (_, i) = t.get(&format!("/api/v1/ideas/{a}")).await;
        assert_eq!(i["idea"]["demand_score"], 0.0);
    }
);

async fn board_titles(t: &TestApp, area: &str) -> Vec<String> {
    let (s, b) = t
        .get(&format!("/api/v1/areas/{area}/board?limit=200"))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    b["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

backend_test!(
    the_ranked_board_moves_one_idea_at_a_time,
    |t: TestApp| async move {
        let area = area(&t, "Dashboards").await;
        let mut ids = vec![];
        for title in ["one", "two", "three", "four"] {
            ids.push(idea(&t, title, Some(&area)).await);
        }
        assert_eq!(
            board_titles(&t, &area).await,
            ["one", "two", "three", "four"],
            "new ideas join at the bottom"
        );
        // Move "four" between "one" and "two".
        let (s, b) = t
            .post(
                &format!("/api/v1/ideas/{}/move", ids[3]),
                json!({"after_id": ids[0], "before_id": ids[1]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{b}");
        assert_eq!(
            board_titles(&t, &area).await,
            ["one", "four", "two", "three"]
        );
        // To the top and to the bottom.
        t.post(
            &format!("/api/v1/ideas/{}/move", ids[2]),
            json!({"before_id": ids[0]}),
        )
        .await;
        t.post(
            &format!("/api/v1/ideas/{}/move", ids[0]),
            json!({"after_id": ids[1]}),
        )
        .await;
        assert_eq!(
            board_titles(&t, &area).await,
            ["three", "four", "two", "one"]
        );
        // Pagination over the board.
        let (_, p) = t.get(&format!("/api/v1/areas/{area}/board?limit=3")).await;
        let c = p["next_cursor"].as_str().unwrap();
        let (_, p2) = t
            .get(&format!("/api/v1/areas/{area}/board?limit=3&cursor={c}"))
            .await;
        assert_eq!(p2["items"][0]["title"], "one");
        // Neighbours must be on the same board.
        let other = area_other(&t).await;
        let stranger = idea(&t, "elsewhere", Some(&other)).await;
        let (s, e) = t
            .post(
                &format!("/api/v1/ideas/{}/move", ids[0]),
                json!({"after_id": stranger}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["field"], "after_id");
        // Neighbours given the wrong way round are refused, not silently misplaced.
        let (s, _) = t
            .post(
                &format!("/api/v1/ideas/{}/move", ids[0]),
                json!({"after_id": ids[1], "before_id": ids[2]}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);
        // Changing area puts the idea at the bottom of the new board.
        t.patch(
            &format!("/api/v1/ideas/{}", ids[2]),
            json!({"area_id": other}),
        )
        .await;
        assert_eq!(board_titles(&t, &other).await, ["elsewhere", "three"]);
    }
);

async fn area_other(t: &TestApp) -> String {
    area(t, "Alerting").await
}
