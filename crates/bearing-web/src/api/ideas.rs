//! `/api/v1/ideas`: create, read, change and list ideas; their notes,
//! comments and followers.

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
        "status",
        "area_id",
        "label",
        "owner_id",
        "customer_id",
        "min_rice",
    ])?;
    let f = IdeaFilter {
        status: p.vocab("status", IdeaStatus::parse_field)?,
        area_id: p.id("area_id")?,
        label: p.text("label"),
        owner_id: p.id("owner_id")?,
        customer_id: p.id("customer_id")?,
        min_rice: p.float("min_rice")?,
    };
    Ok(page_json(
        s.app
            .list_ideas(&f, p.sort(IdeaSort::parse)?, &p.page()?)
            .await?,
    ))
}
pub(super) async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewIdea>,
) -> ApiResult<(StatusCode, Json<Idea>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.create_idea(&a, input).await?),
    ))
}
pub(super) async fn show(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let id = path_id(&id, "idea")?;
    // A merged-away idea's id answers with a permanent redirect to the survivor.
    if let Some(survivor) = s.app.merged_into(id).await? {
        return Ok(
            axum::response::Redirect::permanent(&format!("/api/v1/ideas/{survivor}"))
                .into_response(),
        );
    }
    let d = s.app.idea_detail(id).await?;
    Ok(Json(json!({
        "idea": d.idea, "area": d.area,
        "owner": d.owner.map(|u| json!({"id": u.id, "name": u.name})),
        "followers": d.followers.iter().map(|u| json!({"id": u.id, "name": u.name})).collect::<Vec<_>>(),
        "note_count": d.note_count,
    }))
    .into_response())
}
pub(super) async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(ch): ApiJson<IdeaChanges>,
) -> ApiResult<Json<Idea>> {
    Ok(Json(
        s.app.update_idea(&a, path_id(&id, "idea")?, ch).await?,
    ))
}
pub(super) async fn notes(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let notes = s.app.idea_notes(path_id(&id, "idea")?).await?;
    Ok(Json(json!({ "items": notes })))
}
pub(super) async fn comments(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({ "items": s.app.comments(path_id(&id, "idea")?).await? }),
    ))
}
pub(super) async fn comment(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewComment>,
) -> ApiResult<(StatusCode, Json<Comment>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.comment(&a, path_id(&id, "idea")?, input).await?),
    ))
}
pub(super) async fn follow(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.app.follow(&a, path_id(&id, "idea")?, true).await?;
    Ok(StatusCode::NO_CONTENT)
}
pub(super) async fn unfollow(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.app.follow(&a, path_id(&id, "idea")?, false).await?;
    Ok(StatusCode::NO_CONTENT)
}
pub(super) async fn update_comment(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewComment>,
) -> ApiResult<Json<Comment>> {
    Ok(Json(
        s.app
            .update_comment(&a, path_id(&id, "comment")?, input)
            .await?,
    ))
}
