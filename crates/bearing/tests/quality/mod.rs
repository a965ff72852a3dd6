//! Quality of "similar ideas", measured on a labelled set (see
//! docs/search-quality.md): 89 (note, idea) pairs from the demo workspace's
//! processed notes, evaluated leave-one-out (the note's own links do not
//! vote), plus 132 hand-written paraphrases of customer feedback. Reports
//! recall@5 — the share of pairs whose correct idea is among the top five
//! suggestions — on each backend and fails below 0.8.

use bearing_domain::*;
use bearing_testkit::{TestDb, backend_test};
use serde_json::Value;
use std::collections::HashMap;

const SET: &str = include_str!("similar_ideas.json");
const DEMO: &str = include_str!("../../../bearing-app/src/demo/workspace.json");
/// The bar the issue sets.
const MIN_RECALL_AT_5: f64 = 0.8;

backend_test!(similar_ideas_recall_at_5, |t: TestDb| async move {
    let app = crate::store::app(&t);
    app.load_demo().await.unwrap();
    let set: Value = serde_json::from_str(SET).unwrap();
    let demo: Value = serde_json::from_str(DEMO).unwrap();

    // Idea key -> id (by title); note text -> id.
    let mut ideas_by_title: HashMap<String, IdeaId> = HashMap::new();
    let page = app
        .list_ideas(
            &IdeaFilter::default(),
            IdeaSort::Title,
            &PageRequest {
                after: None,
                limit: 200,
            },
        )
        .await
        .unwrap();
    for r in page.items {
        ideas_by_title.insert(r.idea.title.clone(), r.idea.id);
    }
    let idea_id: HashMap<String, IdeaId> = demo["ideas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap().to_string(),
                ideas_by_title[i["title"].as_str().unwrap()],
            )
        })
        .collect();
    let pages = crate::store::walk(200, async |p| {
        app.list_notes(&NoteFilter::default(), NoteSort::default(), &p)
            .await
            .unwrap()
    })
    .await;
    let note_id: HashMap<String, NoteId> = pages
        .iter()
        .flatten()
        .map(|r| (r.note.text.clone(), r.note.id))
        .collect();

    let notes = demo["notes"].as_array().unwrap();
    let (mut hits, mut total) = ([0usize; 2], [0usize; 2]);
    let mut misses = Vec::new();
    let cases = set["demo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let text = notes[p["note"].as_u64().unwrap() as usize]["text"]
                .as_str()
                .unwrap()
                .to_string();
            let except = Some(note_id[&text]);
            (0, text, except, p["idea"].as_str().unwrap().to_string())
        })
        .chain(set["paraphrases"].as_array().unwrap().iter().map(|p| {
            (
                1,
                p["text"].as_str().unwrap().to_string(),
                None,
                p["idea"].as_str().unwrap().to_string(),
            )
        }))
        .collect::<Vec<_>>();
    assert!(
        cases.len() >= 200,
        "the labelled set needs at least 200 pairs"
    );
    for (kind, text, except, want) in cases {
        let got = app.similar_ideas(&text, except, &[], 5).await.unwrap();
        total[kind] += 1;
        if got.iter().any(|s| s.id == idea_id[&want]) {
            hits[kind] += 1;
        } else {
            misses.push(format!("{want}: {text}"));
        }
    }
    let r = |h: usize, n: usize| h as f64 / n as f64;
    let all = r(hits[0] + hits[1], total[0] + total[1]);
    println!(
        "recall@5 on {:?}: {all:.3} overall ({}/{}); demo leave-one-out {:.3} ({}/{}); paraphrases {:.3} ({}/{})",
        t.backend,
        hits[0] + hits[1],
        total[0] + total[1],
        r(hits[0], total[0]),
        hits[0],
        total[0],
        r(hits[1], total[1]),
        hits[1],
        total[1]
    );
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(
        all >= MIN_RECALL_AT_5,
        "recall@5 {all:.3} is under {MIN_RECALL_AT_5}"
    );
});
