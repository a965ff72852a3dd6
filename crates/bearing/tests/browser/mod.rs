//! Browser tests: the real pages in headless Chromium over WebDriver
//! (fantoccini). They need a running chromedriver; point
//! `BEARING_TEST_WEBDRIVER_URL` at it (e.g. `chromedriver --port=9515`).
//! Without it they print "SKIPPED: no browser" and pass, unless
//! `BEARING_TEST_REQUIRE_BROWSER=1`, which makes a missing browser fail.
//! Chromium's binary is `BEARING_TEST_CHROMIUM` (default /usr/bin/chromium).

use bearing_testkit::app::TestApp;
use bearing_testkit::{Backend, DemoApp, TestContext};
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use std::time::Duration;

mod api_docs;
mod board;
mod search;
mod sessions;

/// The WebDriver URL, or `None` (after saying so) when browser tests are off.
fn webdriver_url() -> Option<String> {
    match std::env::var("BEARING_TEST_WEBDRIVER_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
    {
        Some(u) => Some(u),
        None => {
            if std::env::var("BEARING_TEST_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("BEARING_TEST_REQUIRE_BROWSER=1 but BEARING_TEST_WEBDRIVER_URL is not set");
            }
            println!("SKIPPED: no browser");
            None
        }
    }
}

/// A headless Chromium session.
async fn browser(webdriver: &str) -> Client {
    let binary =
        std::env::var("BEARING_TEST_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({
            "binary": binary,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1280,900"
            ]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(webdriver)
        .await
        .expect("connecting to WebDriver")
}

/// Collapse runs of whitespace, for comparing rendered text.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Wait until the current path starts with `prefix`.
async fn wait_for_path(c: &Client, prefix: &str) -> String {
    for _ in 0..100 {
        let url = c.current_url().await.expect("current url");
        if url.path().starts_with(prefix) {
            return url.path().to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "never reached {prefix}; at {}",
        c.current_url().await.expect("current url")
    );
}

/// Fill in and submit the sign-in form on the current page as
/// `email`/`password`, then wait to land on `next`.
async fn submit_sign_in(
    c: &Client,
    email: &str,
    password: &str,
    next: &str,
) -> Result<(), CmdError> {
    c.find(Locator::Id("email")).await?.send_keys(email).await?;
    c.find(Locator::Id("password"))
        .await?
        .send_keys(password)
        .await?;
    c.find(Locator::Css("form button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_for_path(c, next).await;
    Ok(())
}

/// Open the sign-in page with `next`, sign in as `email`/`password`, and
/// wait to land on `next`.
async fn sign_in(
    c: &Client,
    t: &TestApp,
    email: &str,
    password: &str,
    next: &str,
) -> Result<(), CmdError> {
    c.goto(&t.url(&format!("/signin?next={next}"))).await?;
    submit_sign_in(c, email, password, next).await
}

/// A SQLite-backed TestApp with the demo workspace loaded, or `None` (after
/// saying so) without a database.
async fn demo_app() -> Option<TestApp> {
    let Some(DemoApp(t)) = DemoApp::create(Backend::Sqlite).await else {
        println!("SKIPPED: no database");
        return None;
    };
    Some(t)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_triage_a_note_into_a_new_idea() {
    let Some(webdriver) = webdriver_url() else {
        return;
    };
    let Some(t) = demo_app().await else {
        return;
    };
    let c = browser(&webdriver).await;
    let result = run_triage(&c, &t).await;
    let _ = c.close().await;
    result.expect("browser flow");
}

async fn run_triage(c: &Client, t: &TestApp) -> Result<(), CmdError> {
    // Signed out, the inbox sends us to sign in, and back afterwards.
    c.goto(&t.url("/inbox")).await?;
    wait_for_path(c, "/signin").await;
    submit_sign_in(c, &t.email, &t.password, "/inbox").await?;
    assert_eq!(c.find(Locator::Css("h1")).await?.text().await?, "Inbox");

    // The demo's unprocessed notes are listed; open one from a known customer.
    let rows = c.find_all(Locator::Css(".note-row .row-link")).await?;
    assert!(
        rows.len() > 3,
        "expected demo notes in the inbox, got {}",
        rows.len()
    );
    let mut target = None;
    for row in rows {
        let name = row.find(Locator::Css(".customer-name")).await?;
        let class = name.attr("class").await?.unwrap_or_default();
        if !class.contains("anon") {
            target = Some((name.text().await?, row));
            break;
        }
    }
    let (customer, row) = target.expect("a note from a named customer");
    row.click().await?;
    wait_for_path(c, "/notes/").await;
    let note_text = squash(
        &c.find(Locator::Css("blockquote.note-text"))
            .await?
            .text()
            .await?,
    );
    assert!(!note_text.is_empty());
    let customer_link = c
        .find(Locator::Css(".props a[href^='/customers/']"))
        .await?;
    assert_eq!(customer_link.text().await?, customer);

    // Create an idea from the note with the processing form.
    c.find(Locator::XPath(
        "//summary[contains(., 'Create idea from this note')]",
    ))
    .await?
    .click()
    .await?;
    let title = "Browser-made idea: alerting after releases";
    let title_input = c.find(Locator::Id("title")).await?;
    title_input.clear().await?;
    title_input.send_keys(title).await?;
    let problem = c
        .find(Locator::Id("problem"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert_eq!(
        squash(&problem),
        note_text,
        "the problem statement is prefilled with the note"
    );
    c.find(Locator::XPath(
        "//button[contains(., 'Create idea and link')]",
    ))
    .await?
    .click()
    .await?;

    // We land on the new idea, which shows the note and who asked.
    wait_for_path(c, "/ideas/").await;
    assert_eq!(c.find(Locator::Css("h1")).await?.text().await?, title);
    let feedback = c.find(Locator::Css("#feedback")).await?.text().await?;
    assert!(
        feedback.contains(&customer),
        "idea page names the customer {customer:?}: {feedback}"
    );
    let quoted = squash(
        &c.find(Locator::Css("#feedback blockquote.note-text"))
            .await?
            .text()
            .await?,
    );
    assert_eq!(quoted, note_text);

    // The note is now processed and links back to the idea.
    c.find(Locator::Css("#feedback a[href^='/notes/']"))
        .await?
        .click()
        .await?;
    wait_for_path(c, "/notes/").await;
    let linked = c.find(Locator::Css(".linked-idea a")).await?.text().await?;
    assert_eq!(linked, title);
    Ok(())
}
