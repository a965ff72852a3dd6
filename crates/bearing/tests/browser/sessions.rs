//! A prioritisation session in headless Chromium, end to end with two
//! participants: the admin opens a session inviting a second PM, nominates
//! and votes; the PM signs in, nominates and votes; the admin closes it and
//! sees the server-drawn SVG matrix naming both ideas. Reuses the WebDriver
//! setup of `browser/mod.rs` (skipped without `BEARING_TEST_WEBDRIVER_URL`).

use super::{browser, sign_in, squash, wait_for_path, webdriver_url};
use bearing_app::{Actor, AppConfig};
use bearing_domain::{IdeaStatus, NewIdea, Role};
use bearing_testkit::Backend;
use bearing_testkit::app::TestApp;
use bearing_web::WebConfig;
use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use std::time::Duration;

const PM_EMAIL: &str = "priya@example.test";
const PM_PASSWORD: &str = "priya-password-123";
const IDEA_A: &str = "Saved filters for <power> users";
const IDEA_B: &str = "Bulk edit & archive";
const IDEA_SECRET: &str = "Rotate signing keys";

fn idea(title: &str, labels: &[&str]) -> NewIdea {
    NewIdea {
        title: title.into(),
        problem: format!("Customers keep asking: {title}"),
        proposal: String::new(),
        area_id: None,
        owner_id: None,
        status: IdeaStatus::New,
        effort_months: None,
        timeframe: None,
        due_date: None,
        labels: labels.iter().map(|l| l.to_string()).collect(),
        tracker_links: vec![],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_participants_run_a_session_and_see_the_matrix() {
    let Some(webdriver) = webdriver_url() else {
        return;
    };
    let Some(t) = TestApp::spawn(Backend::Sqlite, AppConfig::default(), WebConfig::default()).await
    else {
        println!("SKIPPED: no database");
        return;
    };
    let admin = Actor {
        user: t.admin.clone(),
    };
    for (title, labels) in [
        (IDEA_A, &[][..]),
        (IDEA_B, &["ux"][..]),
        (IDEA_SECRET, &["security"][..]),
    ] {
        t.app
            .create_idea(&admin, idea(title, labels))
            .await
            .expect("idea");
    }
    let pm = t
        .app
        .create_user(PM_EMAIL, "Priya PM", Role::Pm, PM_PASSWORD)
        .await
        .expect("second PM");
    let c = browser(&webdriver).await;
    let result = run_session(&c, &t, &pm.id.to_string()).await;
    let _ = c.close().await;
    result.expect("browser flow");
}

/// Poll until the element at `css` exists and its text contains `needle`.
async fn wait_for_text(c: &Client, css: &str, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(text) = e.text().await
        {
            last = squash(&text);
            if last.contains(needle) {
                return last;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never contained {needle:?}; last text: {last:?}");
}

async fn sign_out(c: &Client) -> Result<(), CmdError> {
    c.find(Locator::Css("form[action='/signout'] button"))
        .await?
        .click()
        .await?;
    wait_for_path(c, "/signin").await;
    Ok(())
}

/// Nominate the idea titled `title` with the session page's picker.
async fn nominate(c: &Client, title: &str) -> Result<(), CmdError> {
    let picker = c.find(Locator::Id("nominate-idea")).await?;
    let options = picker.find_all(Locator::Css("option")).await?;
    let mut offered = Vec::new();
    for o in options {
        offered.push(o.text().await?);
    }
    assert!(
        !offered.iter().any(|o| o == IDEA_SECRET),
        "security items are not offered: {offered:?}"
    );
    picker
        .find(Locator::XPath(&format!(
            ".//option[normalize-space(.)='{title}']"
        )))
        .await?
        .click()
        .await?;
    c.find(Locator::Css("#nominate button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_for_text(c, "#nominations .nominations", title).await;
    Ok(())
}

/// Press "+ Importance" or "+ Feasibility" beside the idea titled `title`
/// and wait until the votes-left indicator shows `expect`.
async fn vote(c: &Client, title: &str, kind: &str, expect: &str) -> Result<(), CmdError> {
    let button = c
        .find(Locator::XPath(&format!(
            "//li[contains(@class,'nomination')][.//a[normalize-space(.)='{title}']]//button[contains(@class,'vote-{kind}')]"
        )))
        .await?;
    button.click().await?;
    wait_for_text(c, "#votes-left", expect).await;
    Ok(())
}

async fn run_session(c: &Client, t: &TestApp, pm_id: &str) -> Result<(), CmdError> {
    // The admin opens a session inviting the second PM.
    sign_in(c, t, &t.email, &t.password, "/sessions").await?;
    assert_eq!(
        c.find(Locator::Css("h1")).await?.text().await?,
        "Prioritisation sessions"
    );
    c.find(Locator::Id("title"))
        .await?
        .send_keys("Q3 prioritisation")
        .await?;
    c.find(Locator::Id("milestone"))
        .await?
        .send_keys("17.3")
        .await?;
    for id in ["max_nominations", "importance_votes", "feasibility_votes"] {
        let v = c.find(Locator::Id(id)).await?.prop("value").await?;
        assert_eq!(v.as_deref(), Some("5"), "{id} defaults to 5");
    }
    c.find(Locator::Css(&format!(
        "#participants option[value='{pm_id}']"
    )))
    .await?
    .click()
    .await?;
    c.find(Locator::Css("#new-session button[type=submit]"))
        .await?
        .click()
        .await?;
    let path = wait_for_path(c, "/sessions/").await;
    assert_eq!(
        c.find(Locator::Css("h1")).await?.text().await?,
        "Q3 prioritisation"
    );
    wait_for_text(c, "#votes-left", "5 importance, 5 feasibility").await;
    nominate(c, IDEA_A).await?;
    vote(c, IDEA_A, "importance", "4 importance, 5 feasibility").await?;
    vote(c, IDEA_A, "importance", "3 importance, 5 feasibility").await?;
    vote(c, IDEA_A, "feasibility", "3 importance, 4 feasibility").await?;
    sign_out(c).await?;

    // The second PM nominates another idea and votes.
    sign_in(c, t, PM_EMAIL, PM_PASSWORD, &path).await?;
    wait_for_text(c, "#votes-left", "5 importance, 5 feasibility").await;
    let listed = wait_for_text(c, "#nominations", IDEA_A).await;
    assert!(
        !listed.contains("your votes"),
        "the admin's votes are not shown to others: {listed}"
    );
    nominate(c, IDEA_B).await?;
    vote(c, IDEA_B, "feasibility", "5 importance, 4 feasibility").await?;
    vote(c, IDEA_B, "feasibility", "5 importance, 3 feasibility").await?;
    vote(c, IDEA_A, "importance", "4 importance, 3 feasibility").await?;
    assert!(
        c.find(Locator::Id("close-session")).await.is_err(),
        "only the facilitator may close"
    );
    sign_out(c).await?;

    // The admin closes the session and sees the matrix.
    sign_in(c, t, &t.email, &t.password, &path).await?;
    c.find(Locator::Css("#close-session button"))
        .await?
        .click()
        .await?;
    wait_for_text(c, "#tallies", "Quick wins").await;
    let svg = c.find(Locator::Css("#results svg")).await?;
    assert_eq!(svg.attr("role").await?.as_deref(), Some("img"));
    let markup = svg.html(false).await?;
    for text in [
        "Saved filters for &lt;power&gt; users",
        "Bulk edit &amp; archive",
        "Do first",
        "Big bets",
        "Quick wins",
        "Reconsider",
    ] {
        assert!(markup.contains(text), "{text} in the matrix: {markup}");
    }
    let tallies = squash(&c.find(Locator::Id("tallies")).await?.text().await?);
    assert!(
        tallies.contains(&format!("{IDEA_A} 3 1 Do first")),
        "{tallies}"
    );
    assert!(
        tallies.contains(&format!("{IDEA_B} 0 2 Quick wins")),
        "{tallies}"
    );
    assert!(c.find(Locator::Id("nominate")).await.is_err());
    Ok(())
}
