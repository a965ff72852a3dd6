//! `/api/v1/notes`: log, read, change, list and process feedback.

use super::page_json;
use super::params::{Params, path_id};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiResult;
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use bearing_domain::*;
use serde_json::{Value, json};
use std::collections::HashMap;

pub(super) async fn list(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<axum::response::Response> {
    let p = Params(q);
    p.only(&[
        "state",
        "source",
        "importance",
        "customer_id",
        "idea_id",
        "area_id",
        "tag",
        "public_safe",
    ])?;
    let f = NoteFilter {
        state: p.vocab("state", NoteState::parse_field)?,
        source: p.vocab("source", NoteSource::parse_field)?,
        importance: p.vocab("importance", Importance::parse_field)?,
        customer_id: p.id("customer_id")?,
        idea_id: p.id("idea_id")?,
        area_id: p.id("area_id")?,
        tag: p.text("tag"),
        public_safe: p.bool("public_safe")?,
    };
    let page = s
        .app
        .list_notes(&f, p.sort(NoteSort::parse)?, &p.page()?)
        .await?;
    Ok(page_json(page))
}
pub(super) async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewNote>,
) -> ApiResult<(StatusCode, Json<Note>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.create_note(&a, input).await?),
    ))
}
pub(super) async fn show(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let d = s.app.note_detail(path_id(&id, "note")?).await?;
    Ok(Json(json!({
        "note": d.note, "customer": d.customer, "contact": d.contact,
        "reporter": d.reporter.map(|u| json!({"id": u.id, "name": u.name})),
        "ideas": d.ideas,
    })))
}
pub(super) async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(ch): ApiJson<NoteChanges>,
) -> ApiResult<Json<Note>> {
    Ok(Json(
        s.app.update_note(&a, path_id(&id, "note")?, ch).await?,
    ))
}
pub(super) async fn process(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<ProcessNote>,
) -> ApiResult<Json<Value>> {
    let r = s.app.process_note(&a, path_id(&id, "note")?, req).await?;
    Ok(Json(
        json!({ "note": r.note, "new_idea_id": r.new_idea, "linked_idea_ids": r.linked }),
    ))
}
pub(super) async fn links(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({ "items": s.app.links_of_note(path_id(&id, "note")?).await? }),
    ))
}
