//! Storage tests: every one runs on SQLite and PostgreSQL through
//! `backend_test!`, each on its own fresh database. Shared fixtures live
//! here; each submodule covers one area of the store.

/// Users, sessions and API tokens (through the app, for password hashing).
mod accounts;
/// The ranked board: random moves against a model, renumbering long keys.
mod board;
/// Customers, contacts, the unique-name rule.
mod customers;
/// Who is asking for an idea, over every linked note.
mod demand;
/// Loading the demo workspace end to end.
mod demo;
/// Async RICE exercises: scorecards, submit/close guards, the list.
mod exercises;
/// Ideas, labels, areas, comments and followers.
mod ideas;
/// Idempotency key records: one winner per claim, stale claims change nothing, purge by age.
mod idempotency;
/// Maintenance: VACUUM, rebuilding search, recomputing stale demand.
mod maintenance;
/// Merging ideas: everything moves, duplicates collapse, un-merge restores; count invariants over random cases.
mod merges;
/// Migration files, migrating from empty, schema parity between backends.
mod migrations;
/// Notes: insert, read, update, filters, bulk insert, reconnecting.
mod notes;
/// Keyset pagination over every sort order, with ties.
mod pagination;
/// Links and processing notes (atomicity, declining).
mod process;
/// Search: per-backend statements, FTS index kept in step with writes.
mod search;
/// PostgreSQL's ordered and plain search scans agree; word shares.
mod search_plan;
/// The app's use cases under the names these tests set up data with.
mod seed;
/// Prioritisation sessions: budgets, refusals, concurrent votes, closing.
mod sessions;
/// Every static SQL statement prepares on both backends.
mod statements;
/// Units of work under concurrency: one board, many writers; a merge racing an edit.
mod units;

use bearing_app::{Actor, App, AppConfig, AppError};
use bearing_domain::*;
use bearing_store::{Db, StoreError};
use bearing_testkit::TestDb;
pub use seed::{NoteRecord, Seed};

/// The app over a test database, with default settings.
pub fn app(t: &TestDb) -> App {
    App::new(t.db.clone(), AppConfig::default())
}

/// A user made straight in the store (no password hashing, so it is fast);
/// the email is the lowercased name at example.test.
pub async fn user(db: &Db, name: &str, role: Role) -> Actor {
    let email = format!("{}@example.test", name.to_lowercase().replace(' ', "."));
    let user = User {
        id: UserId::new(),
        email,
        name: name.into(),
        role,
        created_at: Timestamp::now(),
    };
    let mut tx = db.begin().await.unwrap();
    tx.accounts()
        .insert_user(&user, "not-a-real-hash")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    Actor { user }
}

/// A PM, the usual actor in these tests.
pub async fn pm(db: &Db) -> Actor {
    user(db, "Pat PM", Role::Pm).await
}

/// A validated note from email with these tags.
pub fn new_note(text: &str, tags: &[&str]) -> NewNote {
    NewNote {
        text: text.into(),
        source: NoteSource::Email,
        importance: Importance::Important,
        customer_id: None,
        contact_id: None,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        public_safe: false,
    }
    .validate(64 * 1024)
    .unwrap()
}

/// Insert a note as-is through the store, unprocessed, logged now.
pub async fn insert_note(db: &Db, input: NewNote, reporter: Option<UserId>) -> Note {
    db.insert_note(NoteRecord {
        input,
        reporter,
        state: NoteState::Unprocessed,
        wont_do_reason: None,
        created_at: Timestamp::now(),
    })
    .await
    .unwrap()
}

/// A validated idea with a title and a problem.
pub fn new_idea(title: &str) -> NewIdea {
    NewIdea {
        title: title.into(),
        problem: format!("The problem behind {title}"),
        proposal: String::new(),
        area_id: None,
        owner_id: None,
        status: IdeaStatus::New,
        effort_months: None,
        timeframe: None,
        due_date: None,
        labels: vec![],
        tracker_links: vec![],
    }
    .validate()
    .unwrap()
}

/// A validated customer.
pub fn new_customer(name: &str, arr: i64, segment: Segment) -> NewCustomer {
    NewCustomer {
        name: name.into(),
        domain: None,
        arr,
        segment,
        owner_id: None,
    }
    .validate()
    .unwrap()
}

/// A validated area.
pub fn new_area(name: &str) -> NewArea {
    NewArea {
        key: None,
        name: name.into(),
        description: format!("All about {name}"),
    }
    .validate()
    .unwrap()
}

/// Assert that a store read failed with `NotFound`.
#[track_caller]
pub fn assert_not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    match r {
        Err(StoreError::NotFound) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// Assert that a use case was refused as `refusal` says: the same error,
/// message and kind, as the app answers it.
#[track_caller]
pub fn assert_refused<T: std::fmt::Debug>(r: Result<T, AppError>, refusal: impl Refusal) {
    let want = AppError::refused(&refusal);
    match r {
        Err(e) => assert_eq!(format!("{e:?}"), format!("{want:?}")),
        Ok(v) => panic!("expected {want:?}, got Ok({v:?})"),
    }
}

/// Assert that a use case failed with `NotFound`.
#[track_caller]
pub fn assert_app_not_found<T: std::fmt::Debug>(r: Result<T, AppError>) {
    match r {
        Err(AppError::NotFound(_)) => {}
        other => panic!("expected NotFound, got {other:?}"),
    }
}

/// Every page of a list, walked with `limit`-sized pages from the start.
/// Checks that no page is longer than `limit`, that every page but the last
/// is full, and that only the last page lacks a cursor.
pub async fn walk<T>(
    limit: u32,
    mut fetch: impl AsyncFnMut(PageRequest) -> Page<T>,
) -> Vec<Vec<T>> {
    let mut pages: Vec<Vec<T>> = Vec::new();
    let mut after = None;
    loop {
        let page = fetch(PageRequest { after, limit }).await;
        assert!(
            page.items.len() <= limit as usize,
            "page longer than its limit {limit}"
        );
        let next = page.next_cursor.clone();
        pages.push(page.items);
        match next {
            None => break,
            Some(c) => {
                assert_eq!(
                    pages.last().map(Vec::len),
                    Some(limit as usize),
                    "a page with a cursor after it must be full"
                );
                after = Some(Cursor::decode(&c).expect("the store issued an undecodable cursor"));
            }
        }
        assert!(pages.len() <= 10_000, "pagination does not terminate");
    }
    pages
}

/// One page of `kind` results for `q` (no filters), PostgreSQL scan as
/// `plan` says.
pub async fn search_rows(
    db: &Db,
    kind: bearing_domain::search::SearchKind,
    q: &str,
    f: &bearing_domain::search::SearchFilter,
    page: (u32, u32),
    plan: bearing_store::search_plan::ScanPlan,
) -> Vec<bearing_store::search::SearchRow> {
    let q = bearing_domain::search::SearchQuery::parse(q).unwrap();
    db.search_kind_with(kind, &q, f, page.0, page.1, plan)
        .await
        .unwrap()
}

/// The ids of the first 50 `kind` results for `q`, best first.
pub async fn hits(db: &Db, kind: bearing_domain::search::SearchKind, q: &str) -> Vec<uuid::Uuid> {
    search_rows(
        db,
        kind,
        q,
        &Default::default(),
        (0, 50),
        Default::default(),
    )
    .await
    .into_iter()
    .map(|r| r.id)
    .collect()
}
