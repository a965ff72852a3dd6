//! `/api/v1/areas`: product areas.

use super::params::path_id;
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiResult;
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use bearing_domain::*;
use serde::Deserialize;
use serde_json::{Value, json};

pub(super) async fn list(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
) -> ApiResult<Json<Value>> {
    // Areas are few (tens); the list is one page.
    Ok(Json(
        json!({ "items": s.app.areas().await?, "next_cursor": null }),
    ))
}

pub(super) async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewArea>,
) -> ApiResult<(StatusCode, Json<Area>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.create_area(&a, input).await?),
    ))
}

pub(super) async fn show(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Area>> {
    Ok(Json(s.app.area(path_id(&id, "area")?).await?))
}

/// A change to an area's name or description.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AreaChanges {
    name: Option<String>,
    description: Option<String>,
}

pub(super) async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(ch): ApiJson<AreaChanges>,
) -> ApiResult<Json<Area>> {
    let id = path_id(&id, "area")?;
    Ok(Json(
        s.app
            .update_area(&a, id, ch.name.as_deref(), ch.description.as_deref())
            .await?,
    ))
}
