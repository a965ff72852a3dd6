//! Search pages: `/search` (results with filters and highlighted snippets,
//! reached from the search box in every page's top bar) and the
//! `/ideas/similar` partial that the new-idea form loads with htmx as a
//! title is typed. Snippets arrive from the app already HTML-escaped with
//! `<mark>` around matches, so only they are rendered unescaped.

use crate::AppState;
use crate::auth::SignedIn;
use crate::html::choices::{area_choices, customer_choices};
use crate::html::layout::{self, Choice, Nav, choices, query_string};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use bearing_app::AppError;
use bearing_app::search::SimilarIdea;
use bearing_domain::search::{SearchFilter, SearchKind, parse_day};
use bearing_domain::*;
use serde::Deserialize;

/// Query of `GET /search`; blank values mean "any".
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SearchForm {
    /// What was typed.
    #[serde(default)]
    pub q: String,
    /// `note`, `idea` or `customer`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Area id.
    #[serde(default)]
    pub area: String,
    /// Note state or idea status.
    #[serde(default)]
    pub state: String,
    /// Customer id.
    #[serde(default)]
    pub customer: String,
    /// Created on or after, yyyy-mm-dd.
    #[serde(default)]
    pub from: String,
    /// Created on or before, yyyy-mm-dd.
    #[serde(default)]
    pub to: String,
    /// Page cursor.
    #[serde(default)]
    pub cursor: String,
}

/// One result row.
#[derive(Clone, Debug)]
pub struct ResultView {
    /// `Note`, `Idea` or `Customer`.
    pub kind: &'static str,
    /// Where it lives.
    pub href: String,
    /// Title or first words.
    pub title: String,
    /// Safe HTML with `<mark>`.
    pub snippet_html: String,
    /// Customer name, status or segment, as a label.
    pub detail: String,
    /// Created, yyyy-mm-dd.
    pub date: String,
}

/// The search results page.
#[derive(Template)]
#[template(path = "search.html")]
pub(crate) struct SearchPage {
    /// Navigation.
    pub nav: Nav,
    /// What was asked.
    pub form: SearchForm,
    /// Type options.
    pub kinds: Vec<Choice>,
    /// Area options.
    pub areas: Vec<Choice>,
    /// State / status options.
    pub states: Vec<Choice>,
    /// Customer options.
    pub customers: Vec<Choice>,
    /// Results, best first.
    pub results: Vec<ResultView>,
    /// A problem with the query, shown instead of results.
    pub error: Option<String>,
    /// Link to the next page.
    pub next_href: Option<String>,
    /// Was a query given at all?
    pub searched: bool,
}

/// The search filters of the page's form. The same rules as the API's
/// `api::search::filter_from`, which this module cannot reach (the `api`
/// submodules are private); the page's fields are `area` and `customer`.
fn filter_of(f: &SearchForm) -> Result<SearchFilter, ValidationError> {
    let blank = |s: &str| s.trim().is_empty();
    let mut out = SearchFilter {
        kind: (!blank(&f.kind))
            .then(|| SearchKind::parse_field(&f.kind, "type"))
            .transpose()?,
        area_id: layout::parse_opt_id(&f.area, "area")?,
        customer_id: layout::parse_opt_id(&f.customer, "customer")?,
        ..Default::default()
    };
    if !blank(&f.state) {
        out.set_state(f.state.trim())?;
    }
    if !blank(&f.from) {
        out.from = Some(parse_day(&f.from, "from", false)?);
    }
    if !blank(&f.to) {
        out.to = Some(parse_day(&f.to, "to", true)?);
    }
    Ok(out)
}

fn label_of(kind: SearchKind, detail: Option<String>) -> String {
    let d = detail.unwrap_or_default();
    match kind {
        SearchKind::Idea => d.parse::<IdeaStatus>().map_or(d, |s| s.label().to_string()),
        SearchKind::Customer => d.parse::<Segment>().map_or(d, |s| s.label().to_string()),
        SearchKind::Note => d,
    }
}

/// `GET /search`.
pub async fn page(
    State(state): State<AppState>,
    session: SignedIn,
    Query(f): Query<SearchForm>,
) -> Response {
    layout::page(build(&state, &session, f).await)
}

async fn build(
    state: &AppState,
    session: &SignedIn,
    f: SearchForm,
) -> Result<SearchPage, AppError> {
    let areas = area_choices(state, f.area.trim(), "Any area").await?;
    let customers = customer_choices(state, f.customer.trim(), "Any customer").await?;
    let searched = !f.q.trim().is_empty();
    let (mut results, mut error, mut next_href) = (Vec::new(), None, None);
    if searched {
        let outcome = match filter_of(&f) {
            Ok(filter) => {
                state
                    .app
                    .search(&f.q, &filter, Some(f.cursor.as_str()), None)
                    .await
            }
            Err(v) => Err(v.into()),
        };
        match outcome {
            Ok(page) => {
                results = page
                    .items
                    .into_iter()
                    .map(|h| ResultView {
                        kind: match h.kind {
                            SearchKind::Note => "Note",
                            SearchKind::Idea => "Idea",
                            SearchKind::Customer => "Customer",
                        },
                        href: format!("/{}s/{}", h.kind.as_str(), h.id),
                        title: h.title,
                        snippet_html: h.snippet_html,
                        detail: label_of(h.kind, h.detail),
                        date: h.created_at.date(),
                    })
                    .collect();
                next_href = page.next_cursor.map(|c| {
                    format!(
                        "/search{}",
                        query_string(&[
                            ("q", &f.q),
                            ("type", &f.kind),
                            ("area", &f.area),
                            ("state", &f.state),
                            ("customer", &f.customer),
                            ("from", &f.from),
                            ("to", &f.to),
                            ("cursor", &c),
                        ])
                    )
                });
            }
            Err(AppError::Invalid(v)) => error = Some(v.message),
            Err(e) => return Err(e),
        }
    }
    let mut states: Vec<(String, String)> = NoteState::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), format!("Note: {}", s.label())))
        .collect();
    states.extend(
        IdeaStatus::ALL
            .iter()
            .filter(|s| s.as_str().parse::<NoteState>().is_err())
            .map(|s| (s.as_str().to_string(), format!("Idea: {}", s.label()))),
    );
    Ok(SearchPage {
        nav: Nav::new(session, "search"),
        kinds: choices(
            [
                ("idea", "Ideas"),
                ("note", "Notes"),
                ("customer", "Customers"),
            ],
            f.kind.trim(),
            Some("Everything"),
        ),
        areas,
        states: choices(
            states.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            f.state.trim(),
            Some("Any state"),
        ),
        customers,
        form: f,
        results,
        error,
        next_href,
        searched,
    })
}

/// Query of `GET /ideas/similar` (the new-idea form's suggestions).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SimilarQuery {
    /// Title typed so far.
    #[serde(default)]
    pub title: String,
    /// Problem typed so far.
    #[serde(default)]
    pub problem: String,
}

/// The similar-ideas partial.
#[derive(Template)]
#[template(path = "search_similar.html")]
pub(crate) struct SimilarPartial {
    /// Suggestions, best first.
    pub ideas: Vec<SimilarIdea>,
    /// Was there enough text to compare?
    pub asked: bool,
}

/// Suggestions for a new idea's title and problem, as a partial.
pub(crate) async fn similar_for(
    state: &AppState,
    title: &str,
    problem: &str,
) -> Result<SimilarPartial, AppError> {
    let asked = !(title.trim().is_empty() && problem.trim().is_empty());
    let ideas = state.app.similar_to_new_idea(title, problem).await?;
    Ok(SimilarPartial { ideas, asked })
}

/// `GET /ideas/similar?title=…`: the partial, for htmx.
pub async fn similar(
    State(state): State<AppState>,
    _session: SignedIn,
    Query(q): Query<SimilarQuery>,
) -> Response {
    layout::page(similar_for(&state, &q.title, &q.problem).await)
}
