//! The ranked board: a PM's sequenced priority list for one product area,
//! reordered by drag and drop (SortableJS, saved through the JSON API) or by
//! the Up/Down buttons, which post plain forms and so work from the keyboard
//! and without JavaScript.

use crate::AppState;
use crate::auth::SignedIn;
use crate::csrf::CsrfForm;
use crate::html::error;
use crate::html::layout::{Nav, num, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use bearing_domain::*;
use serde::Deserialize;

/// One idea on the board.
pub struct BoardItem {
    /// Position, 1-based.
    pub position: usize,
    /// The idea.
    pub idea: Idea,
    /// RICE score, formatted, or "–".
    pub rice: String,
    /// Demand score, formatted.
    pub demand: String,
}

/// The board page.
#[derive(Template)]
#[template(path = "board.html")]
pub(crate) struct BoardPage {
    /// Navigation.
    pub nav: Nav,
    /// Every area, for the tabs: (key, name, is current).
    pub areas: Vec<(String, String, bool)>,
    /// The current area.
    pub area: Option<Area>,
    /// Ideas in board order.
    pub items: Vec<BoardItem>,
    /// Link to the next page, if any.
    pub next: Option<String>,
    /// May the user reorder?
    pub editable: bool,
    /// Position of the first item on this page, minus one.
    pub offset: usize,
}

/// Query of `GET /board`.
#[derive(Deserialize)]
pub struct BoardQuery {
    /// Area key.
    #[serde(default)]
    pub area: Option<String>,
    /// Page cursor.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Items already shown above this page (for numbering).
    #[serde(default)]
    pub offset: Option<usize>,
}

/// `GET /board?area=KEY`.
pub async fn page(
    State(state): State<AppState>,
    session: SignedIn,
    Query(q): Query<BoardQuery>,
) -> Response {
    let areas = match state.app.areas().await {
        Ok(a) => a,
        Err(e) => return error::page(e),
    };
    let area = match &q.area {
        Some(k) => match areas.iter().find(|a| &a.key == k) {
            Some(a) => Some(a.clone()),
            None => return error::not_found("area"),
        },
        None => areas.first().cloned(),
    };
    let mut items = Vec::new();
    let mut next = None;
    let offset = q.offset.unwrap_or(0);
    if let Some(a) = &area {
        let page = match PageRequest::parse(q.cursor.as_deref(), Some(200)) {
            Ok(p) => p,
            Err(e) => return error::page(e.into()),
        };
        match state.app.board(a.id, &page).await {
            Ok(p) => {
                items = p
                    .items
                    .into_iter()
                    .enumerate()
                    .map(|(k, idea)| BoardItem {
                        position: offset + k + 1,
                        rice: idea.rice.as_ref().map_or("–".into(), |r| num(r.score)),
                        demand: num(idea.demand_score),
                        idea,
                    })
                    .collect();
                next = p.next_cursor.map(|c| {
                    format!(
                        "/board?area={}&cursor={}&offset={}",
                        a.key,
                        c,
                        offset + items.len()
                    )
                });
            }
            Err(e) => return error::page(e),
        }
    }
    let current = area.as_ref().map(|a| a.key.clone()).unwrap_or_default();
    render(&BoardPage {
        nav: Nav::new(&session, "board"),
        areas: areas
            .iter()
            .map(|a| (a.key.clone(), a.name.clone(), a.key == current))
            .collect(),
        editable: session.actor.user.role.can_manage(),
        area,
        items,
        next,
        offset,
    })
}

/// Body of `POST /ideas/{id}/step`.
#[derive(Deserialize)]
pub struct StepForm {
    /// `up` or `down`.
    #[serde(default)]
    pub dir: String,
    /// Area key to return to.
    #[serde(default)]
    pub area: String,
}

/// `POST /ideas/{id}/step`: move one place up or down, then back to the board.
pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, f): CsrfForm<StepForm>,
) -> Response {
    let Ok(id) = id.parse::<IdeaId>() else {
        return error::not_found("idea");
    };
    match state.app.step_idea(&session.actor, id, f.dir == "up").await {
        Ok(_) => Redirect::to(&format!(
            "/board?area={}#idea-{id}",
            crate::auth::urlencode(&f.area)
        ))
        .into_response(),
        Err(e) => error::page(e),
    }
}
