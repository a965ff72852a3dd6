//! Browser: find a demo note through the top-bar search box, open it, and
//! link it to one of the similar ideas Bearing suggests with one click.

use super::{browser, demo_app, squash, submit_sign_in, wait_for_path, webdriver_url};
use bearing_domain::search::salient_terms;
use bearing_domain::*;
use bearing_testkit::app::TestApp;
use fantoccini::{Client, Locator};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_a_note_and_link_a_suggested_idea() {
    let Some(webdriver) = webdriver_url() else {
        return;
    };
    let Some(t) = demo_app().await else {
        return;
    };
    // An unprocessed demo note that has suggestions, and words that find it.
    let notes = t
        .app
        .list_notes(
            &NoteFilter {
                state: Some(NoteState::Unprocessed),
                ..Default::default()
            },
            NoteSort::default(),
            &PageRequest {
                after: None,
                limit: 100,
            },
        )
        .await
        .unwrap();
    let mut target = None;
    for r in notes.items {
        let similar = t
            .app
            .similar_ideas(&r.note.text, Some(r.note.id), &[], 5)
            .await
            .unwrap();
        if !similar.is_empty() {
            target = Some(r.note);
            break;
        }
    }
    let note = target.expect("an unprocessed demo note with similar ideas");
    let query = salient_terms(&note.text, 3).join(" ");
    let c = browser(&webdriver).await;
    let result = run(&c, &t, &note, &query).await;
    let _ = c.close().await;
    result.expect("browser flow");
}

async fn run(
    c: &Client,
    t: &TestApp,
    note: &Note,
    query: &str,
) -> Result<(), fantoccini::error::CmdError> {
    // Without `next`, signing in lands on the inbox.
    c.goto(&t.url("/signin")).await?;
    submit_sign_in(c, &t.email, &t.password, "/inbox").await?;

    // The search box is in the top bar of every page; Enter submits it.
    let search = c.find(Locator::Id("top-q")).await?;
    search.send_keys(query).await?;
    search.send_keys("\u{E007}").await?;
    wait_for_path(c, "/search").await;
    let results = c
        .find(Locator::Css(".search-results"))
        .await?
        .text()
        .await?;
    assert!(!results.is_empty());
    let marks = c.find_all(Locator::Css(".search-snippet mark")).await?;
    assert!(!marks.is_empty(), "matches are highlighted");
    c.find(Locator::Css(&format!(
        ".search-result a[href='/notes/{}']",
        note.id
    )))
    .await?
    .click()
    .await?;
    wait_for_path(c, &format!("/notes/{}", note.id)).await;
    let text = squash(
        &c.find(Locator::Css("blockquote.note-text"))
            .await?
            .text()
            .await?,
    );
    assert_eq!(text, squash(&note.text));

    // Similar ideas are suggested; link to the first with one click.
    let first = c.find(Locator::Css(".similar-idea")).await?;
    let title = first
        .find(Locator::Css("a.strong-link"))
        .await?
        .text()
        .await?;
    first
        .find(Locator::Css("button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_for_path(c, &format!("/notes/{}", note.id)).await;
    for _ in 0..50 {
        if let Ok(linked) = c.find(Locator::Css(".linked-idea a")).await {
            assert_eq!(linked.text().await?, title);
            let state = c
                .find(Locator::Css(".meta-line .badge"))
                .await?
                .text()
                .await?;
            assert_eq!(state, "Processed");
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the note never showed the linked idea {title:?}");
}
