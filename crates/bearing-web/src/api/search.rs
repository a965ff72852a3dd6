//! `/api/v1/search` (full-text search over notes, ideas and customers) and
//! `/api/v1/ideas/similar` (existing ideas like a piece of text). Parsing and
//! ranking live in the app and domain; this file reads the query string.

use super::params::Params;
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Query, State};
use bearing_domain::NoteId;
use bearing_domain::search::{SearchFilter, SearchKind, parse_day};
use serde_json::{Value, json};
use std::collections::HashMap;

/// Read the search filters shared by the API and the search page.
pub(crate) fn filter_from(p: &Params) -> Result<SearchFilter, ApiError> {
    let mut f = SearchFilter {
        kind: p.vocab("type", SearchKind::parse_field)?,
        area_id: p.id("area_id")?,
        customer_id: p.id("customer_id")?,
        ..Default::default()
    };
    if let Some(s) = p.text("state") {
        f.set_state(&s)?;
    }
    if let Some(d) = p.text("from") {
        f.from = Some(parse_day(&d, "from", false)?);
    }
    if let Some(d) = p.text("to") {
        f.to = Some(parse_day(&d, "to", true)?);
    }
    Ok(f)
}

fn limit(p: &Params) -> Result<Option<u32>, ApiError> {
    p.text("limit")
        .map(|l| {
            l.parse::<u32>()
                .map_err(|_| ApiError::invalid("limit", format!("'{l}' is not a whole number")))
        })
        .transpose()
}

/// `GET /api/v1/search?q=…`
pub(super) async fn search(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let p = Params(q);
    p.only(&["q", "type", "area_id", "state", "customer_id", "from", "to"])?;
    let f = filter_from(&p)?;
    let raw = p.0.get("q").cloned().unwrap_or_default();
    let page = s
        .app
        .search(&raw, &f, p.text("cursor").as_deref(), limit(&p)?)
        .await?;
    Ok(Json(
        json!({ "items": page.items, "next_cursor": page.next_cursor }),
    ))
}

/// `GET /api/v1/ideas/similar?text=…&limit=5&note_id=…`
pub(super) async fn similar(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let p = Params(q);
    p.only(&["text", "note_id"])?;
    let note: Option<NoteId> = p.id("note_id")?;
    let text = p.text("text").unwrap_or_default();
    let items = s.app.suggest_ideas(&text, note, limit(&p)?).await?;
    Ok(Json(json!({ "items": items })))
}
