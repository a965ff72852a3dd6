//! The OpenAPI document matches the routes.

use bearing_testkit::{TestApp, backend_test};
use bearing_web::api::openapi::ROUTES;
use reqwest::{Method, StatusCode};

backend_test!(
    openapi_lists_every_route_and_every_route_exists,
    |t: TestApp| async move {
        let resp = t
            .client
            .get(t.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let doc: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        let paths = doc["paths"].as_object().unwrap();
        let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
        assert!(ROUTES.len() > 40, "the route table lists the API");
        assert_eq!(documented, ROUTES.len());
        for op in ROUTES {
            assert!(
                paths[&format!("/api/v1{}", op.path)][op.method].is_object(),
                "{} {}",
                op.method,
                op.path
            );
            // Every documented operation is routed: a made-up id gives 404 JSON
            // or a validation answer, never the router's 405 or fallback.
            // Every path parameter is declared, and filled with a made-up id.
            let mut path = op.path.to_string();
            let declared = paths[&format!("/api/v1{}", op.path)][op.method]["parameters"].clone();
            while let Some(open) = path.find('{') {
                let close = path[open..].find('}').unwrap() + open;
                let name = path[open + 1..close].to_string();
                assert!(
                    declared.as_array().is_some_and(|ps| ps
                        .iter()
                        .any(|p| p["name"] == name.as_str() && p["in"] == "path")),
                    "{} {}: path parameter {name} is not declared",
                    op.method,
                    op.path
                );
                path.replace_range(open..=close, "0190c0de-0000-7000-8000-000000000009");
            }
            let method = Method::from_bytes(op.method.to_uppercase().as_bytes()).unwrap();
            let body = matches!(op.method, "post" | "patch").then(|| serde_json::json!({}));
            let (s, b) = t.call(method, &format!("/api/v1{path}"), body).await;
            assert_ne!(
                s,
                StatusCode::METHOD_NOT_ALLOWED,
                "{} {}",
                op.method,
                op.path
            );
            if s == StatusCode::NOT_FOUND {
                assert_ne!(
                    b["error"]["message"].as_str().unwrap_or(""),
                    "no such API endpoint; see /api/v1/openapi.json",
                    "{} {}",
                    op.method,
                    op.path
                );
            }
        }
        // And the reverse: a path that is not documented is not routed.
        let (s, _) = t.get("/api/v1/tickets").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);
