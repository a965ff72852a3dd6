//! The JSON API under `/api/v1`: create, read, update and list customers,
//! contacts, areas, notes, ideas, links and comments; process a note. Every
//! handler authenticates with [`ApiActor`](crate::auth::ApiActor), parses
//! with field-named errors, calls one app function and answers JSON. Every
//! POST honours an `Idempotency-Key` header ([`idempotency`]).

mod areas;
mod customers;
mod exercises;
mod ideas;
pub mod idempotency;
mod links;
mod merges;
mod notes;
pub mod openapi;
mod params;
mod prioritisation;
mod search;
mod sessions;

use crate::AppState;
use crate::auth::ApiActor;
use axum::Json;
use axum::Router;
use axum::routing::{get, patch, post, put};
use serde_json::{Value, json};

pub use idempotency::IDEMPOTENCY_HEADER;

/// Every API route, with idempotent POSTs (which need the state to reach
/// the app).
pub fn routes(state: &AppState) -> Router<AppState> {
    plain_routes().layer(axum::middleware::from_fn_with_state(
        state.clone(),
        idempotency::idempotent_posts,
    ))
}

/// Every API route.
fn plain_routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(me))
        .route("/customers", get(customers::list).post(customers::create))
        .route(
            "/customers/{id}",
            get(customers::show).patch(customers::update),
        )
        .route("/customers/{id}/contacts", get(customers::contacts))
        .route("/contacts", post(customers::create_contact))
        .route(
            "/contacts/{id}",
            get(customers::show_contact).patch(customers::update_contact),
        )
        .route("/areas", get(areas::list).post(areas::create))
        .route("/areas/{id}", get(areas::show).patch(areas::update))
        .route("/notes", get(notes::list).post(notes::create))
        .route("/notes/{id}", get(notes::show).patch(notes::update))
        .route("/notes/{id}/process", post(notes::process))
        .route("/notes/{id}/links", get(notes::links))
        .route("/ideas", get(ideas::list).post(ideas::create))
        .route("/ideas/similar", get(search::similar))
        .route("/search", get(search::search))
        .route("/ideas/{id}", get(ideas::show).patch(ideas::update))
        .route("/ideas/{id}/notes", get(ideas::notes))
        .route("/ideas/{id}/merge", post(merges::merge))
        .route("/ideas/{id}/merges", get(merges::list))
        .route("/merges/{merge_id}/unmerge", post(merges::unmerge))
        .route(
            "/ideas/{id}/comments",
            get(ideas::comments).post(ideas::comment),
        )
        .route("/comments/{id}", patch(ideas::update_comment))
        .route(
            "/ideas/{id}/follow",
            put(ideas::follow).delete(ideas::unfollow),
        )
        .route("/exercises", get(exercises::list).post(exercises::create))
        .route("/exercises/{id}", get(exercises::show))
        .route(
            "/exercises/{id}/scores/{idea_id}",
            put(exercises::save_score),
        )
        .route("/exercises/{id}/submit", post(exercises::submit))
        .route("/exercises/{id}/close", post(exercises::close))
        .route("/exercises/{id}/adopt/{idea_id}", post(exercises::adopt))
        .route(
            "/settings/prioritisation",
            get(prioritisation::get_settings).put(prioritisation::put_settings),
        )
        .route(
            "/ideas/{id}/rice",
            put(prioritisation::put_rice).delete(prioritisation::delete_rice),
        )
        .route("/ideas/{id}/demand", get(prioritisation::demand))
        .route("/ideas/{id}/move", post(prioritisation::move_idea))
        .route("/areas/{id}/board", get(prioritisation::board))
        .route("/links", post(links::create))
        .route("/links/{id}", get(links::show).delete(links::delete))
        .route("/sessions", get(sessions::list).post(sessions::create))
        .route("/sessions/{id}", get(sessions::show))
        .route("/sessions/{id}/nominations", post(sessions::nominate))
        .route("/sessions/{id}/votes", post(sessions::vote))
        .route(
            "/sessions/{id}/votes/{vote_id}",
            axum::routing::delete(sessions::retract),
        )
        .route("/sessions/{id}/close", post(sessions::close))
        .route("/sessions/{id}/matrix.svg", get(sessions::matrix_svg))
        .fallback(not_found)
}

async fn me(ApiActor(actor): ApiActor) -> Json<Value> {
    Json(json!({ "user": actor.user }))
}

async fn not_found() -> crate::error::ApiError {
    crate::error::ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "not_found",
        "no such API endpoint; see /api/v1/openapi.json",
        None,
    )
}

/// A page of results as JSON: `{"items": [...], "next_cursor": ...}`,
/// serialised straight from the rows (no intermediate `Value` tree: lists
/// are the API's hot path).
pub(crate) fn page_json<T: serde::Serialize>(
    p: bearing_domain::Page<T>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    Json(p).into_response()
}
