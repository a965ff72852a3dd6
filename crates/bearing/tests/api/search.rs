//! Search over the API on both databases: ranking, phrases, exclusions,
//! every filter, cursor pagination, the index kept in step with updates,
//! clear errors for malformed queries, and similar-idea suggestions.

use bearing_testkit::{TestApp, backend_test};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn created(t: &TestApp, path: &str, body: Value) -> String {
    let (s, v) = t.post(path, body).await;
    assert_eq!(s, StatusCode::CREATED, "{path}: {v}");
    v["id"].as_str().unwrap().to_string()
}

async fn note(t: &TestApp, text: &str, customer: Option<&str>) -> String {
    let mut b = json!({"text": text, "source": "email"});
    if let Some(c) = customer {
        b["customer_id"] = json!(c);
    }
    created(t, "/api/v1/notes", b).await
}

async fn idea(t: &TestApp, title: &str, problem: &str, area: Option<&str>) -> String {
    let mut b = json!({"title": title, "problem": problem});
    if let Some(a) = area {
        b["area_id"] = json!(a);
    }
    created(t, "/api/v1/ideas", b).await
}

async fn search(t: &TestApp, query: &str) -> Value {
    let (s, v) = t.get(&format!("/api/v1/search?{query}")).await;
    assert_eq!(s, StatusCode::OK, "{query}: {v}");
    v
}

fn ids(v: &Value) -> Vec<String> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

backend_test!(ranks_titles_first_and_highlights, |t: TestApp| async move {
    let weak = idea(
        &t,
        "Faster exports",
        "Finance teams wait for the heatmap panel to render.",
        None,
    )
    .await;
    let strong = idea(
        &t,
        "Heatmap panel",
        "A heatmap shows density over time; heatmap colours.",
        None,
    )
    .await;
    let n = note(
        &t,
        "Please add a <b>heatmap</b> like Grafana's & Kibana's",
        None,
    )
    .await;
    let v = search(&t, "q=heatmap").await;
    let got = ids(&v);
    assert_eq!(got.len(), 3, "{v}");
    assert!(
        got.iter().position(|x| *x == strong) < got.iter().position(|x| *x == weak),
        "the idea titled Heatmap ranks above one that mentions it once: {v}"
    );
    let hit = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == n.as_str())
        .unwrap();
    assert_eq!(hit["type"], "note");
    let snip = hit["snippet_html"].as_str().unwrap();
    assert!(snip.contains("<mark>heatmap</mark>"), "{snip}");
    // SQLite keeps and escapes the tag; PostgreSQL's ts_headline drops tags.
    assert!(
        !snip.contains("<b>"),
        "user markup never comes through raw: {snip}"
    );
    let scores: Vec<f64> = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
});

backend_test!(phrases_and_exclusions, |t: TestApp| async move {
    let a = note(&t, "The audit log misses login events", None).await;
    let b = note(&t, "Log every audit of billing", None).await;
    let c = note(&t, "The audit log should cover exports", None).await;
    let v = search(&t, "q=%22audit%20log%22").await;
    let mut got = ids(&v);
    got.sort();
    let mut want = vec![a.clone(), c.clone()];
    want.sort();
    assert_eq!(got, want, "the phrase needs the words together: {v}");
    let v = search(&t, "q=audit%20-exports").await;
    let mut got = ids(&v);
    got.sort();
    let mut want = vec![a.clone(), b.clone()];
    want.sort();
    assert_eq!(got, want, "-exports excludes: {v}");
    let v = search(&t, "q=audit%20-%22audit%20log%22").await;
    assert_eq!(ids(&v), vec![b], "excluding a phrase: {v}");
});

backend_test!(
    malformed_queries_are_clear_errors,
    |t: TestApp| async move {
        for q in [
            "",
            "%22unclosed",
            "-only",
            "%21%21%21",
            "a%20b%20c%20d%20e%20f%20g%20h%20i%20j%20k%20l%20m",
        ] {
            let (s, v) = t.get(&format!("/api/v1/search?q={q}")).await;
            assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{q}: {v}");
            assert_eq!(v["error"]["field"], "q", "{q}: {v}");
            assert!(!v["error"]["message"].as_str().unwrap().is_empty());
        }
        // FTS5 and tsquery operators are just words, never syntax.
        // Queries with words are searched; with none they are refused.
        for (q, want) in [
            ("NEAR(a%20b)", StatusCode::OK),
            ("a%20OR%20b", StatusCode::OK),
            ("x*", StatusCode::OK),
            ("%5E%5E", StatusCode::UNPROCESSABLE_ENTITY),
            ("a%26b%7Cc%21", StatusCode::OK),
            ("'%3A*", StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let (s, v) = t.get(&format!("/api/v1/search?q={q}")).await;
            assert_eq!(s, want, "{q}: {v}");
        }
        let (s, v) = t.get("/api/v1/search?q=a&type=widget").await;
        assert_eq!(
            (s, v["error"]["field"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("type"))
        );
        let (s, _) = t.get("/api/v1/search?q=a&from=yesterday").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = t.get("/api/v1/search?q=a&cursor=garbage").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = t.get("/api/v1/search?q=a&limit=0").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let (s, _) = t.get("/api/v1/search?q=a&state=nonsense").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    }
);

backend_test!(
    filters_by_type_area_state_customer_and_date,
    |t: TestApp| async move {
        let area = created(&t, "/api/v1/areas", json!({"name": "Alerting"})).await;
        let cust = created(
            &t,
            "/api/v1/customers",
            json!({"name": "Zephyr Widgets", "arr": 1000, "segment": "smb"}),
        )
        .await;
        let i_area = idea(
            &t,
            "Zephyr alert routing",
            "Route alerts by team.",
            Some(&area),
        )
        .await;
        let i_other = idea(&t, "Zephyr billing", "Invoices by zephyr.", None).await;
        let n_cust = note(&t, "Zephyr alerts go to the wrong team", Some(&cust)).await;
        let n_anon = note(&t, "zephyr anonymous ask", None).await;
        let (s, _) = t
            .post(
                &format!("/api/v1/notes/{n_cust}/process"),
                json!({"links": [{"idea_id": i_area}]}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);

        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        let all = search(&t, "q=zephyr").await;
        assert_eq!(
            ids(&all).len(),
            5,
            "two ideas, two notes, one customer: {all}"
        );
        assert_eq!(
            sorted(ids(&search(&t, "q=zephyr&type=idea").await)),
            sorted(vec![i_area.clone(), i_other.clone()])
        );
        assert_eq!(
            ids(&search(&t, "q=zephyr&type=customer").await),
            vec![cust.clone()]
        );
        assert_eq!(
            sorted(ids(&search(&t, &format!("q=zephyr&area_id={area}")).await)),
            sorted(vec![i_area.clone(), n_cust.clone()]),
            "area: its ideas and notes linked to them"
        );
        assert_eq!(
            sorted(ids(
                &search(&t, &format!("q=zephyr&customer_id={cust}")).await
            )),
            sorted(vec![i_area.clone(), n_cust.clone(), cust.clone()]),
            "customer: its notes, the ideas it asked for, itself"
        );
        assert_eq!(
            ids(&search(&t, "q=zephyr&state=unprocessed").await),
            vec![n_anon.clone()]
        );
        assert_eq!(
            ids(&search(&t, "q=zephyr&type=note&state=processed").await),
            vec![n_cust.clone()]
        );
        assert_eq!(
            sorted(ids(&search(&t, "q=zephyr&state=new").await)),
            sorted(vec![i_area, i_other])
        );
        use bearing_domain::Timestamp;
        let now = Timestamp::now().0;
        let (today, tomorrow, yesterday) = (
            Timestamp(now).date(),
            Timestamp(now + 86_400_000).date(),
            Timestamp(now - 86_400_000).date(),
        );
        assert_eq!(
            ids(&search(&t, &format!("q=zephyr&from={today}&to={today}")).await).len(),
            5
        );
        assert!(ids(&search(&t, &format!("q=zephyr&from={tomorrow}")).await).is_empty());
        assert!(ids(&search(&t, &format!("q=zephyr&to={yesterday}")).await).is_empty());
    }
);

backend_test!(
    cursor_pagination_walks_every_result_once,
    |t: TestApp| async move {
        for i in 0..9 {
            note(
                &t,
                &format!("quokka report number {i}{}", " quokka".repeat(i % 3)),
                None,
            )
            .await;
        }
        for i in 0..4 {
            idea(
                &t,
                &format!("Quokka idea {i}"),
                "About quokkas and quokka things.",
                None,
            )
            .await;
        }
        let first = search(&t, "q=quokka&limit=100").await;
        let want = ids(&first);
        assert_eq!(want.len(), 13);
        let mut seen = Vec::new();
        let mut path = "q=quokka&limit=4".to_string();
        loop {
            let v = search(&t, &path).await;
            assert!(v["items"].as_array().unwrap().len() <= 4);
            seen.extend(ids(&v));
            match v["next_cursor"].as_str() {
                Some(c) => path = format!("q=quokka&limit=4&cursor={c}"),
                None => break,
            }
        }
        assert_eq!(seen, want, "pages in order, each result once");
    }
);

backend_test!(index_follows_updates_and_deletes, |t: TestApp| async move {
    let n = note(&t, "The walrus dashboard is slow", None).await;
    let i = idea(&t, "Walrus mode", "Slow walrus.", None).await;
    assert_eq!(ids(&search(&t, "q=walrus").await).len(), 2);
    let (s, _) = t
        .patch(
            &format!("/api/v1/notes/{n}"),
            json!({"text": "The narwhal dashboard is slow"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = t
        .patch(
            &format!("/api/v1/ideas/{i}"),
            json!({"title": "Narwhal mode", "problem": "Slow narwhal."}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        ids(&search(&t, "q=walrus").await).is_empty(),
        "old words are gone"
    );
    assert_eq!(
        ids(&search(&t, "q=narwhal").await).len(),
        2,
        "new words are found"
    );
    let c = created(
        &t,
        "/api/v1/customers",
        json!({"name": "Ocelot Ltd", "arr": 5, "segment": "smb"}),
    )
    .await;
    let (s, _) = t
        .patch(
            &format!("/api/v1/customers/{c}"),
            json!({"name": "Lynx Ltd"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(ids(&search(&t, "q=ocelot").await).is_empty());
    assert_eq!(ids(&search(&t, "q=lynx").await), vec![c]);
});

backend_test!(similar_ideas_for_text_and_notes, |t: TestApp| async move {
    let sso = idea(
        &t,
        "SAML single sign-on",
        "Enterprise admins must enforce SSO through Okta or Azure AD.",
        None,
    )
    .await;
    let _csv = idea(
        &t,
        "CSV export",
        "Finance wants spreadsheets of usage.",
        None,
    )
    .await;
    let (s, v) = t
        .get("/api/v1/ideas/similar?text=We%20need%20Okta%20SSO%20before%20renewal")
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["items"][0]["id"], sso.as_str(), "{v}");
    assert!(v["items"][0]["score"].as_f64().unwrap() > 0.0);
    let n = note(
        &t,
        "Security says no rollout without Okta single sign-on",
        None,
    )
    .await;
    let (s, v) = t.get(&format!("/api/v1/ideas/similar?note_id={n}")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["items"][0]["id"], sso.as_str(), "{v}");
    // Once linked, the idea is no longer suggested for that note.
    t.post(
        &format!("/api/v1/notes/{n}/process"),
        json!({"links": [{"idea_id": sso}]}),
    )
    .await;
    let (_, v) = t.get(&format!("/api/v1/ideas/similar?note_id={n}")).await;
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != sso.as_str()),
        "{v}"
    );
    // A note's words also find ideas through the notes linked to them.
    let other = note(&t, "Rollout blocked by the security review", None).await;
    let (_, v) = t
        .get(&format!("/api/v1/ideas/similar?note_id={other}"))
        .await;
    assert_eq!(v["items"][0]["id"], sso.as_str(), "{v}");
    let (s, _) = t.get("/api/v1/ideas/similar").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // A note that does not exist is a 404, with or without text.
    let missing = uuid::Uuid::now_v7();
    for q in [
        format!("note_id={missing}"),
        format!("text=okta&note_id={missing}"),
    ] {
        let (s, e) = t.get(&format!("/api/v1/ideas/similar?{q}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{q}: {e}");
    }
});
