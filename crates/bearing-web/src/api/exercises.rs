//! `/api/v1/exercises`: open an async RICE exercise, list the ones you are in,
//! read one (your own scorecards, and everyone's once results are visible to
//! you), save a scorecard, submit, close, and adopt an idea's aggregate.
//! Who sees what is decided in `bearing_app::exercises`; this file only
//! parses and shapes JSON.

use super::params::{Params, path_id};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiResult;
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use bearing_app::exercises::{ExerciseView, IdeaOutcome, NewExercise};
use bearing_domain::prioritisation::exercise::{
    Exercise, ExerciseId, ExerciseSummary, StoredScorecard,
};
use bearing_domain::*;
use serde_json::{Value, json};
use std::collections::HashMap;

/// An exercise's own fields.
pub(crate) fn exercise_json(e: &Exercise) -> Value {
    json!({
        "id": e.id.to_string(), "title": e.title, "state": e.state.as_str(),
        "reach_mode": e.reach_mode, "created_by": e.created_by,
        "created_at": e.created_at, "closed_at": e.closed_at,
    })
}

fn summary_json(s: &ExerciseSummary) -> Value {
    let mut v = exercise_json(&s.exercise);
    v["idea_count"] = json!(s.idea_count);
    v["participant_count"] = json!(s.participant_count);
    v["submitted_count"] = json!(s.submitted_count);
    v["my_submitted_at"] = json!(s.my_submitted_at);
    v
}

fn rice_json(r: &Rice) -> Value {
    json!({"reach": r.reach, "impact": r.impact, "confidence": r.confidence,
        "effort_months": r.effort_months, "score": r.score})
}

fn scorecard_json(c: &StoredScorecard) -> Value {
    let mut v = rice_json(&c.rice);
    v["idea_id"] = json!(c.idea_id);
    v["updated_at"] = json!(c.updated_at);
    v
}

fn outcome_json(o: &IdeaOutcome) -> Value {
    let spread = o.result.as_ref().map(|r| {
        json!({"reach": r.reach, "impact": r.impact, "confidence": r.confidence,
            "effort_months": r.effort_months, "score": r.score_spread})
    });
    json!({
        "idea_id": o.idea_id, "title": o.title,
        "scorecards": o.cards.iter().map(|c| {
            let mut v = rice_json(&c.rice);
            v["user_id"] = json!(c.user_id);
            v["name"] = json!(c.name);
            v
        }).collect::<Vec<_>>(),
        "spread": spread,
        "aggregate": o.result.as_ref().map(|r| rice_json(&r.aggregate)),
    })
}

fn view_json(v: &ExerciseView) -> Value {
    json!({
        "exercise": exercise_json(&v.exercise),
        "opener": v.opener,
        "ideas": v.ideas.iter().map(|i| json!({"id": i.id, "title": i.title})).collect::<Vec<_>>(),
        "participants": v.participants.iter().map(|p| json!({
            "user_id": p.user_id, "name": p.name,
            "submitted": p.submitted_at.is_some(), "submitted_at": p.submitted_at,
        })).collect::<Vec<_>>(),
        "me": {
            "participant": v.me.is_some(),
            "submitted": v.me.as_ref().is_some_and(|m| m.submitted_at.is_some()),
            "can_score": v.can_score, "can_close": v.can_close, "can_adopt": v.can_adopt,
        },
        "my_scorecards": v.my_scorecards.iter().map(scorecard_json).collect::<Vec<_>>(),
        "submitted_count": v.submitted_count,
        "results_visible": v.results.is_some(),
        "results": v.results.as_ref().map(|rs| rs.iter().map(outcome_json).collect::<Vec<_>>()),
    })
}

pub(super) async fn list(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    let p = Params(q);
    p.only(&[])?;
    let page = s.app.exercises(&a, &p.page()?).await?;
    Ok(Json(json!({
        "items": page.items.iter().map(summary_json).collect::<Vec<_>>(),
        "next_cursor": page.next_cursor,
    })))
}

pub(super) async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewExercise>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let e = s.app.open_exercise(&a, input).await?;
    let v = s.app.exercise_view(&a, e.id).await?;
    Ok((StatusCode::CREATED, Json(view_json(&v))))
}

pub(super) async fn show(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let v = s.app.exercise_view(&a, path_id(&id, "exercise")?).await?;
    Ok(Json(view_json(&v)))
}

pub(super) async fn save_score(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((id, idea)): Path<(String, String)>,
    ApiJson(input): ApiJson<RiceInput>,
) -> ApiResult<Json<Value>> {
    let id: ExerciseId = path_id(&id, "exercise")?;
    let idea: IdeaId = path_id(&idea, "idea in this exercise")?;
    let card = s.app.save_exercise_score(&a, id, idea, input).await?;
    Ok(Json(scorecard_json(&card)))
}

pub(super) async fn submit(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id: ExerciseId = path_id(&id, "exercise")?;
    s.app.submit_exercise(&a, id).await?;
    Ok(Json(view_json(&s.app.exercise_view(&a, id).await?)))
}

pub(super) async fn close(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let id: ExerciseId = path_id(&id, "exercise")?;
    s.app.close_exercise(&a, id).await?;
    Ok(Json(view_json(&s.app.exercise_view(&a, id).await?)))
}

pub(super) async fn adopt(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path((id, idea)): Path<(String, String)>,
) -> ApiResult<Json<Idea>> {
    let id: ExerciseId = path_id(&id, "exercise")?;
    let idea: IdeaId = path_id(&idea, "idea in this exercise")?;
    Ok(Json(s.app.adopt_exercise_result(&a, id, idea).await?))
}
