//! The feedback inbox: notes waiting to be processed (or any state via the
//! tab bar), filtered by source, importance and customer, a page at a time.

use crate::AppState;
use crate::auth::SignedIn;
use crate::html::choices::customer_choices;
use crate::html::layout::{
    self, Choice, Nav, ago, choices, excerpt, opt_enum, parse_opt_id, query_string,
};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use bearing_app::AppError;
use bearing_domain::*;
use serde::Deserialize;

/// Query of `GET /inbox`; blank values mean "any".
#[derive(Debug, Default, Deserialize)]
pub struct InboxQuery {
    /// `unprocessed` (default), `processed`, `wont_do` or `all`.
    #[serde(default)]
    pub state: String,
    /// Source key.
    #[serde(default)]
    pub source: String,
    /// Importance key.
    #[serde(default)]
    pub importance: String,
    /// Customer id.
    #[serde(default)]
    pub customer: String,
    /// Page cursor.
    #[serde(default)]
    pub cursor: String,
}

/// One tab of the state tab bar.
#[derive(Clone, Debug)]
pub struct Tab {
    /// Label.
    pub label: &'static str,
    /// Link.
    pub href: String,
    /// Is it the current tab?
    pub active: bool,
}

/// A note as an inbox row.
#[derive(Clone, Debug)]
pub struct InboxRow {
    /// Note id.
    pub id: NoteId,
    /// Customer name, or "Anonymous".
    pub customer: String,
    /// Source.
    pub source: NoteSource,
    /// Importance.
    pub importance: Importance,
    /// Triage state.
    pub state: NoteState,
    /// First ~200 characters.
    pub excerpt: String,
    /// Tags.
    pub tags: Vec<String>,
    /// "3 days ago".
    pub ago: String,
    /// Full date, for the tooltip.
    pub date: String,
}

/// The inbox page.
#[derive(Template)]
#[template(path = "inbox.html")]
pub(crate) struct InboxPage {
    /// Navigation.
    pub nav: Nav,
    /// State tabs.
    pub tabs: Vec<Tab>,
    /// The state key in effect (`all` for any).
    pub state: String,
    /// Source options.
    pub sources: Vec<Choice>,
    /// Importance options.
    pub importances: Vec<Choice>,
    /// Customer options.
    pub customers: Vec<Choice>,
    /// Are any filters besides the state set?
    pub filtered: bool,
    /// The rows.
    pub rows: Vec<InboxRow>,
    /// Link to the next page.
    pub next_href: Option<String>,
    /// Is this a later page?
    pub paged: bool,
    /// May the user log feedback?
    pub can_contribute: bool,
}

/// `GET /inbox`.
pub async fn page(
    State(state): State<AppState>,
    session: SignedIn,
    Query(q): Query<InboxQuery>,
) -> Response {
    layout::page(build(&state, &session, q).await)
}

async fn build(state: &AppState, session: &SignedIn, q: InboxQuery) -> Result<InboxPage, AppError> {
    let state_key = if q.state.trim().is_empty() {
        "unprocessed".to_string()
    } else {
        q.state.trim().to_string()
    };
    let note_state = if state_key == "all" {
        None
    } else {
        Some(NoteState::parse_field(&state_key, "state")?)
    };
    let filter = NoteFilter {
        state: note_state,
        source: opt_enum(&q.source, "source", NoteSource::parse_field)?,
        importance: opt_enum(&q.importance, "importance", Importance::parse_field)?,
        customer_id: parse_opt_id(&q.customer, "customer")?,
        ..Default::default()
    };
    let page_req = PageRequest::parse(Some(&q.cursor), None)?;
    let notes = state
        .app
        .list_notes(&filter, NoteSort::Newest, &page_req)
        .await?;
    let customers = customer_choices(state, q.customer.trim(), "Any customer").await?;

    let keep = |st: &str, cursor: &str| {
        query_string(&[
            ("state", st),
            ("source", &q.source),
            ("importance", &q.importance),
            ("customer", &q.customer),
            ("cursor", cursor),
        ])
    };
    let tabs = [
        ("unprocessed", "Unprocessed"),
        ("processed", "Processed"),
        ("wont_do", "Won't do"),
        ("all", "All"),
    ]
    .into_iter()
    .map(|(k, label)| Tab {
        label,
        href: format!("/inbox{}", keep(k, "")),
        active: k == state_key,
    })
    .collect();
    let rows = notes
        .items
        .into_iter()
        .map(|r| InboxRow {
            id: r.note.id,
            customer: r.customer_name.unwrap_or_else(|| "Anonymous".to_string()),
            source: r.note.source,
            importance: r.note.importance,
            state: r.note.state,
            excerpt: excerpt(&r.note.text, 200),
            tags: r.note.tags,
            ago: ago(r.note.created_at),
            date: r.note.created_at.date(),
        })
        .collect();
    Ok(InboxPage {
        nav: Nav::new(session, "inbox"),
        tabs,
        sources: choices(
            NoteSource::ALL.iter().map(|s| (s.as_str(), s.label())),
            q.source.trim(),
            Some("Any source"),
        ),
        importances: choices(
            Importance::ALL.iter().map(|s| (s.as_str(), s.label())),
            q.importance.trim(),
            Some("Any importance"),
        ),
        customers,
        filtered: !(q.source.trim().is_empty()
            && q.importance.trim().is_empty()
            && q.customer.trim().is_empty()),
        next_href: notes
            .next_cursor
            .map(|c| format!("/inbox{}", keep(&state_key, &c))),
        paged: !q.cursor.trim().is_empty(),
        state: state_key,
        rows,
        can_contribute: session.actor.user.role.can_contribute(),
    })
}
