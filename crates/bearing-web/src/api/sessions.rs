//! `/api/v1/sessions`: prioritisation sessions. Open one, read it (budgets,
//! nominations, your votes, results once closed), nominate ideas, vote and
//! take votes back, close it, and fetch the priority matrix as SVG. Each
//! handler parses, calls one app function and answers JSON (or SVG).

use super::params::path_id;
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiResult;
use crate::html::matrix::render_matrix;
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use bearing_app::sessions::{NewSession, SessionDetail, SessionView, VoteView};
use bearing_domain::prioritisation::session::{PrioSessionId, VoteId};
use bearing_domain::*;
use serde::Deserialize;
use serde_json::{Value, json};

/// Body of `POST /sessions/{id}/nominations`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NominationBody {
    idea_id: IdeaId,
}

/// Body of `POST /sessions/{id}/votes`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VoteBody {
    idea_id: IdeaId,
    kind: String,
}

fn session_id(id: &str) -> ApiResult<PrioSessionId> {
    path_id(id, "session")
}

pub(super) async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "items": s.app.sessions(&a).await? })))
}

pub(super) async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewSession>,
) -> ApiResult<(StatusCode, Json<SessionView>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.create_session(&a, input).await?),
    ))
}

pub(super) async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionDetail>> {
    Ok(Json(s.app.session_detail(&a, session_id(&id)?).await?))
}

pub(super) async fn nominate(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<NominationBody>,
) -> ApiResult<(StatusCode, Json<SessionDetail>)> {
    let id = session_id(&id)?;
    s.app.nominate(&a, id, b.idea_id).await?;
    Ok((
        StatusCode::CREATED,
        Json(s.app.session_detail(&a, id).await?),
    ))
}

pub(super) async fn vote(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<VoteBody>,
) -> ApiResult<(StatusCode, Json<VoteView>)> {
    let kind = VoteKind::parse_field(&b.kind, "kind")?;
    Ok((
        StatusCode::CREATED,
        Json(s.app.vote(&a, session_id(&id)?, b.idea_id, kind).await?),
    ))
}

pub(super) async fn retract(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((id, vote_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let vote: VoteId = path_id(&vote_id, "vote")?;
    s.app.retract_vote(&a, session_id(&id)?, vote).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn close(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionDetail>> {
    Ok(Json(s.app.close_session(&a, session_id(&id)?).await?))
}

pub(super) async fn matrix_svg(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let points = s.app.session_matrix(session_id(&id)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        render_matrix(&points),
    )
        .into_response())
}

/// The OpenAPI component schema `name` for the session endpoints, kept here
/// so the shared `json!` in `openapi.rs` stays small enough to expand.
pub(super) fn schema(name: &str) -> Value {
    let r = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
    let id = json!({"type": "string", "format": "uuid"});
    let nid = json!({"type": ["string", "null"], "format": "uuid"});
    let ts = json!({"type": "string", "format": "date-time"});
    let int = json!({"type": "integer"});
    let text = json!({"type": "string"});
    let kinds: Vec<&str> = VoteKind::ALL.iter().map(|k| k.as_str()).collect();
    let quadrants: Vec<&str> = Quadrant::ALL.iter().map(|q| q.as_str()).collect();
    let limit = json!({"type": "integer", "minimum": 1, "maximum": 50, "default": 5});
    let budgets = json!({"type": "object", "properties": {
        "user_id": id, "name": text, "nominations_used": int, "nominations_left": int,
        "importance_used": int, "importance_left": int, "feasibility_used": int, "feasibility_left": int}});
    match name {
        "SignedIn" => json!({"type": "object", "properties": {
            "id": id, "title": text, "milestone": text,
            "state": {"type": "string", "enum": ["open", "closed"], "description": "open: nominating and voting, for as long as it takes; closed: final"},
            "facilitator_id": nid, "facilitator_name": {"type": ["string", "null"]},
            "limits": {"type": "object", "properties": {"max_nominations": int, "importance_votes": int, "feasibility_votes": int}},
            "created_at": ts, "closed_at": {"type": ["string", "null"], "format": "date-time"},
            "participating": {"type": "boolean", "description": "in lists only: does the caller take part"}}}),
        "NewSession" => {
            json!({"type": "object", "required": ["title", "milestone"], "additionalProperties": false, "properties": {
            "title": {"type": "string", "maxLength": 200}, "milestone": {"type": "string", "maxLength": 200},
            "participants": {"type": "array", "items": id, "description": "user ids (not viewers); the creator facilitates and always takes part"},
            "max_nominations": limit, "importance_votes": limit, "feasibility_votes": limit}})
        }
        "SessionDetail" => json!({"type": "object",
            "description": "tallies stay hidden while the session is open (results is null) so early votes do not anchor later ones",
            "properties": {
                "session": r("SignedIn"),
                "participants": {"type": "array", "items": budgets},
                "nominations": {"type": "array", "items": {"type": "object", "properties": {
                    "idea_id": id, "title": text, "nominated_by": nid, "nominated_by_name": {"type": ["string", "null"]},
                    "my_importance": int, "my_feasibility": int}}},
                "me": {"anyOf": [budgets, {"type": "null"}]},
                "my_votes": {"type": "array", "items": r("Vote")},
                "can_close": {"type": "boolean"},
                "results": {"type": ["array", "null"], "items": {"type": "object", "properties": {
                    "idea_id": id, "title": text, "importance": int, "feasibility": int,
                    "quadrant": {"type": "string", "enum": quadrants}, "x": {"type": "number"}, "y": {"type": "number"}}}}}}),
        "NewNomination" => {
            json!({"type": "object", "required": ["idea_id"], "additionalProperties": false, "properties": {"idea_id": id}})
        }
        "NewVote" => {
            json!({"type": "object", "required": ["idea_id", "kind"], "additionalProperties": false, "properties": {
            "idea_id": id, "kind": {"type": "string", "enum": kinds}}})
        }
        "Vote" => json!({"type": "object", "properties": {
            "id": id, "idea_id": id, "kind": {"type": "string", "enum": kinds}, "created_at": ts}}),
        _ => json!({}),
    }
}
