//! `/api/v1/ideas/{id}/merge`, `/api/v1/ideas/{id}/merges` and
//! `/api/v1/merges/{merge_id}/unmerge`: merge a duplicate idea into
//! another, list the merges into an idea, undo a merge within 30 days.
//! The redirect of a merged idea's id lives with `GET /ideas/{id}`.

use super::params::path_id;
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiResult;
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, State};
use bearing_app::merges::MergeView;
use bearing_domain::*;
use serde::Deserialize;
use serde_json::{Value, json};

/// Body of `POST /ideas/{id}/merge`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MergeRequest {
    into: IdeaId,
}

pub(super) async fn merge(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MergeRequest>,
) -> ApiResult<Json<Value>> {
    let m = s
        .app
        .merge_ideas(&a, path_id(&id, "idea")?, body.into)
        .await?;
    Ok(Json(
        json!({"survivor": m.merge.survivor_id, "merge_id": m.merge.id, "merge": m}),
    ))
}

pub(super) async fn unmerge(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<MergeView>> {
    Ok(Json(s.app.unmerge(&a, path_id(&id, "merge")?).await?))
}

pub(super) async fn list(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let items = s.app.merges_into(path_id(&id, "idea")?).await?;
    Ok(Json(json!({ "items": items })))
}

/// OpenAPI schemas for merges.
pub(super) fn schema(name: &str) -> Value {
    let r = |n: &str| json!({"$ref": format!("#/components/schemas/{n}")});
    let id = json!({"type": "string", "format": "uuid"});
    let nid = json!({"type": ["string", "null"], "format": "uuid"});
    let ts = json!({"type": "string", "format": "date-time"});
    let nts = json!({"type": ["string", "null"], "format": "date-time"});
    let ids = json!({"type": "array", "items": id});
    let any_list = json!({"type": "array", "items": {"type": "object"}});
    match name {
        "MergeRequest" => {
            json!({"type": "object", "required": ["into"], "additionalProperties": false,
            "properties": {"into": {"type": "string", "format": "uuid", "description": "the idea that absorbs this one"}}})
        }
        "Merge" => json!({"type": "object", "properties": {
            "id": id, "survivor_id": id, "merged_id": id, "survivor_title": {"type": "string"}, "merged_title": {"type": "string"},
            "actor_id": nid, "merged_at": ts, "unmerged_at": nts, "unmerged_by": nid,
            "unmerge_until": ts, "can_unmerge": {"type": "boolean", "description": "still within 30 days and not undone"},
            "ledger": {"type": "object", "description": "what moved to the survivor or was deduplicated, used to undo the merge", "properties": {
                "links": ids, "dropped_links": any_list, "comments": ids, "followers": ids, "dropped_followers": any_list,
                "votes": ids, "nominations": any_list, "exercise_ideas": any_list, "scorecards": any_list,
                "labels_added": {"type": "array", "items": {"type": "string"}}, "prior_rice": {"type": ["object", "null"]},
                "merged_board_rank": {"type": ["string", "null"]}}}}}),
        "MergeResult" => {
            json!({"type": "object", "properties": {"survivor": id, "merge_id": id, "merge": r("Merge")}})
        }
        "MergeList" => {
            json!({"type": "object", "properties": {"items": {"type": "array", "items": r("Merge")}}})
        }
        _ => json!({}),
    }
}
