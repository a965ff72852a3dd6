//! `/api/v1/links`: link a note to an idea, read or remove a link.

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

/// Body of `POST /links`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewLink {
    note_id: NoteId,
    idea_id: IdeaId,
    #[serde(default)]
    excerpt: Option<String>,
}

pub(super) async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(l): ApiJson<NewLink>,
) -> ApiResult<(StatusCode, Json<Link>)> {
    let link = s
        .app
        .link_note(
            &a,
            l.note_id,
            LinkRequest {
                idea_id: l.idea_id,
                excerpt: l.excerpt,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(link)))
}

pub(super) async fn show(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Link>> {
    Ok(Json(s.app.link(path_id(&id, "link")?).await?))
}

pub(super) async fn delete(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    s.app.unlink(&a, path_id(&id, "link")?).await?;
    Ok(StatusCode::NO_CONTENT)
}
