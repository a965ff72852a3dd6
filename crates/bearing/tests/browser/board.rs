//! The ranked board in headless Chromium: with JavaScript on, the Up
//! button moves an idea in place through the JSON API on the session
//! cookie (board.js, as a drag does), which needs the page's CSRF token in
//! `X-CSRF-Token`; after a reload the new order is still there. A script
//! that forgot the header would be refused, say "Reloading…" and leave the
//! order as it was.

use super::{browser, demo_app, sign_in, squash, webdriver_url};
use bearing_testkit::app::TestApp;
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moving_an_idea_up_on_the_board_is_saved() {
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

/// The board's idea ids, top first.
async fn order(c: &Client) -> Result<Vec<String>, CmdError> {
    let mut ids = Vec::new();
    for li in c.find_all(Locator::Css("#board-list > li")).await? {
        ids.push(li.attr("data-id").await?.unwrap_or_default());
    }
    Ok(ids)
}

async fn run(c: &Client, t: &TestApp) -> Result<(), CmdError> {
    sign_in(c, t, &t.email, &t.password, "/board").await?;
    // board.js is deferred: once the page has loaded it is listening, so
    // the click below moves in place rather than posting the plain form.
    for _ in 0..100 {
        let state = c.execute("return document.readyState", vec![]).await?;
        if state == "complete" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let before = order(c).await?;
    assert!(
        before.len() >= 2,
        "the first demo area has ideas: {before:?}"
    );
    let second = c
        .find(Locator::Css(
            "#board-list > li:nth-child(2) button[data-dir='up']",
        ))
        .await?;
    second.click().await?;
    let mut status = String::new();
    for _ in 0..100 {
        status = squash(&c.find(Locator::Id("board-status")).await?.text().await?);
        if status.starts_with("Moved") || status.contains("Reloading") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(status.contains("to position 1"), "status: {status:?}");
    let expected = [&before[1], &before[0]];
    assert_eq!(
        order(c).await?[..2],
        expected.map(String::clone),
        "moved in place"
    );

    // Saved: a fresh load shows the same order.
    c.refresh().await?;
    assert_eq!(
        order(c).await?[..2],
        expected.map(String::clone),
        "after reload"
    );
    Ok(())
}
