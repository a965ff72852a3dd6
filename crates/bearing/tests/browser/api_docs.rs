//! Browser: the API reference page renders the OpenAPI document with the
//! vendored Redoc, signed out, under its Content-Security-Policy, loading
//! nothing from another origin.

use super::{browser, demo_app, webdriver_url};
use bearing_testkit::app::TestApp;
use fantoccini::{Client, Locator};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_docs_renders_the_document_from_this_origin_only() {
    let Some(webdriver) = webdriver_url() else {
        return;
    };
    let Some(t) = demo_app().await else {
        return;
    };
    let c = browser(&webdriver).await;
    let result = run(&c, &t).await;
    let _ = c.close().await;
    result.expect("browser flow");
}

async fn run(c: &Client, t: &TestApp) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&t.url("/api/docs")).await?;
    // Redoc replaces the container's fallback with the document's title and
    // a menu of its operations.
    let mut title = String::new();
    for _ in 0..150 {
        if let Ok(h1) = c.find(Locator::Css("#api-reference h1")).await {
            title = h1.text().await?;
            if !title.is_empty() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        title.starts_with("Bearing API"),
        "rendered title: {title:?}"
    );
    let text = c.find(Locator::Css("#api-reference")).await?.text().await?;
    assert!(
        text.contains("List product areas"),
        "an operation is listed"
    );
    // Everything the page loaded came from this server. Redoc's sidebar
    // badge asks for its logo from Redocly's CDN; the page's CSP refuses it
    // (img-src 'self'), so the browser never fetches it and Redoc drops the
    // broken image.
    let origins = c
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name)",
            vec![],
        )
        .await?;
    let urls: Vec<String> = serde_json::from_value(origins).expect("a list of URLs");
    assert!(
        urls.iter()
            .any(|u| u.ends_with("/assets/vendor/redoc.standalone.js")),
        "the page loaded the viewer: {urls:?}"
    );
    for url in &urls {
        assert!(
            url.starts_with(&format!("{}/", t.base_url))
                || url.starts_with("https://cdn.redoc.ly/redoc/logo-mini"),
            "asked another origin for {url}"
        );
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let logo_loaded = c
        .execute(
            "return [...document.querySelectorAll('img')]\
             .some(i => i.src.startsWith('https://') && i.naturalWidth > 0)",
            vec![],
        )
        .await?;
    assert_eq!(
        logo_loaded,
        serde_json::json!(false),
        "an image from another origin loaded"
    );
    Ok(())
}
