//! Prioritisation on ideas over the API: RICE scores, the workspace's reach
//! scale, who is asking (demand), and the ranked board.

use super::page_json;
use super::params::{Params, path_id};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiResult;
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use bearing_domain::prioritisation::rice::{ReachMode, RiceInput};
use bearing_domain::*;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

pub(super) async fn get_settings(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
) -> ApiResult<Json<Value>> {
    Ok(Json(json!({ "reach_mode": s.app.reach_mode().await? })))
}

/// Body of `PUT /settings/prioritisation`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PrioritisationSettings {
    reach_mode: ReachMode,
}
pub(super) async fn put_settings(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(b): ApiJson<PrioritisationSettings>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({ "reach_mode": s.app.set_reach_mode(&a, b.reach_mode).await? }),
    ))
}
pub(super) async fn put_rice(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<RiceInput>,
) -> ApiResult<Json<Idea>> {
    Ok(Json(
        s.app.score_idea(&a, path_id(&id, "idea")?, input).await?,
    ))
}
pub(super) async fn delete_rice(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Idea>> {
    Ok(Json(s.app.clear_rice(&a, path_id(&id, "idea")?).await?))
}
pub(super) async fn demand(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        serde_json::to_value(s.app.demand_breakdown(path_id(&id, "idea")?).await?)
            .unwrap_or_default(),
    ))
}
pub(super) async fn board(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<axum::response::Response> {
    let p = Params(q);
    p.only(&[])?;
    Ok(page_json(
        s.app.board(path_id(&id, "area")?, &p.page()?).await?,
    ))
}

/// Body of `POST /ideas/{id}/move`: the neighbours after the move.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Move {
    #[serde(default)]
    after_id: Option<IdeaId>,
    #[serde(default)]
    before_id: Option<IdeaId>,
}
pub(super) async fn move_idea(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(m): ApiJson<Move>,
) -> ApiResult<Json<Idea>> {
    Ok(Json(
        s.app
            .move_idea(&a, path_id(&id, "idea")?, m.after_id, m.before_id)
            .await?,
    ))
}
