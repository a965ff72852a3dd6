//! The API reference page (`/api/docs`): public HTML that loads the vendored
//! Redoc from this server only and reads `/api/v1/openapi.json`; the
//! footer of every signed-in page links to it.

use bearing_testkit::{TestApp, backend_test};
use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE};

backend_test!(
    docs_page_is_public_html_over_the_vendored_viewer,
    |t: TestApp| async move {
        // Signed out (no cookie, no token): the page itself, not a redirect.
        let resp = t.client.get(t.url("/api/docs")).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(
            resp.headers()[CONTENT_TYPE].to_str().unwrap(),
            "text/html; charset=utf-8"
        );
        // Scripts, styles and fetches from this origin only: no CDN.
        let csp = resp.headers()[CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_string();
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "connect-src 'self'",
        ] {
            assert!(csp.contains(directive), "{directive} in {csp}");
        }
        let html = resp.text().await.unwrap();
        assert!(html.contains(r#"src="/assets/api-docs.js""#), "{html}");
        assert!(
            html.contains(r#"data-spec-url="/api/v1/openapi.json""#),
            "{html}"
        );
        assert!(
            !html.contains("https://"),
            "nothing from another origin: {html}"
        );
        // Without JavaScript, a plain link to the document.
        let noscript = &html[html.find("<noscript>").expect("a noscript fallback")..];
        assert!(
            noscript.contains(r#"<a href="/api/v1/openapi.json">"#),
            "{noscript}"
        );

        // The page's script imports the vendored viewer, which is served.
        let (s, js) = asset(&t, "/assets/api-docs.js").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            js.contains(r#"from "/assets/vendor/redoc.standalone.js""#),
            "{js}"
        );
        let (s, redoc) = asset(&t, "/assets/vendor/redoc.standalone.js").await;
        assert_eq!(s, StatusCode::OK);
        assert!(redoc.contains("Version: 3.0.1"), "the pinned Redoc");
        let (s, licence) = asset(&t, "/assets/vendor/redoc.LICENSE").await;
        assert_eq!(s, StatusCode::OK);
        assert!(licence.contains("MIT License"));
        let (s, css) = asset(&t, "/assets/api-docs.css").await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            !css.contains("@import") && !css.contains("url("),
            "no external CSS"
        );

        // And the document it renders is there, signed out too.
        let resp = t
            .client
            .get(t.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
    }
);

backend_test!(
    docs_assets_have_types_and_cache_headers,
    |t: TestApp| async move {
        for (path, content_type) in [
            (
                "/assets/vendor/redoc.standalone.js",
                "text/javascript; charset=utf-8",
            ),
            ("/assets/api-docs.js", "text/javascript; charset=utf-8"),
            ("/assets/api-docs.css", "text/css; charset=utf-8"),
            ("/assets/vendor/redoc.LICENSE", "text/plain; charset=utf-8"),
        ] {
            let resp = t.client.get(t.url(path)).send().await.unwrap();
            assert_eq!(resp.status(), StatusCode::OK, "{path}");
            assert_eq!(
                resp.headers()[CONTENT_TYPE].to_str().unwrap(),
                content_type,
                "{path}"
            );
            assert_eq!(
                resp.headers()[CACHE_CONTROL].to_str().unwrap(),
                "public, max-age=86400",
                "{path}"
            );
            assert_eq!(
                resp.headers()["x-content-type-options"],
                "nosniff",
                "{path}"
            );
        }
    }
);

backend_test!(
    docs_footer_links_the_reference_on_signed_in_pages,
    |t: TestApp| async move {
        let cookie = t.sign_in_cookie().await;
        for path in ["/inbox", "/ideas", "/settings"] {
            let (s, html) = t.page(&cookie, path).await;
            assert_eq!(s, StatusCode::OK, "{path}");
            let footer = &html[html
                .find("<footer")
                .unwrap_or_else(|| panic!("{path} has a footer"))..];
            assert!(
                footer.contains(r#"<a href="/api/docs">API reference</a>"#),
                "{path}: {footer}"
            );
            assert!(
                footer.contains(r#"href="/api/v1/openapi.json""#),
                "{path}: {footer}"
            );
        }
    }
);

/// GET an asset: its status and body.
async fn asset(t: &TestApp, path: &str) -> (StatusCode, String) {
    let resp = t.client.get(t.url(path)).send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}
