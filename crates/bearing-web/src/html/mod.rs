//! Server-rendered pages: the inbox, notes, ideas and customers, plus
//! sign-in and static assets. Every page is an askama template (in
//! `crates/bearing-web/templates/`) filled from one page struct. Forms are
//! plain POST + 303 redirect so everything works without JavaScript; htmx is
//! loaded only for niceties. Every form carries the session's CSRF token.

pub mod assets;
pub mod board;
pub mod choices;
pub mod customers;
pub mod error;
pub mod exercises;
pub mod ideas;
pub mod inbox;
pub mod layout;
pub mod matrix;
pub mod merges;
pub mod notes;
pub mod priority;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod signin;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(signin::home))
        .route("/signin", get(signin::form).post(signin::submit))
        .route("/signout", post(signin::sign_out))
        .route("/inbox", get(inbox::page))
        .route("/notes", post(notes::create))
        .route("/notes/new", get(notes::new_form))
        .route("/notes/{id}", get(notes::show))
        .route("/notes/{id}/process", post(notes::process))
        .route("/ideas", get(ideas::list).post(ideas::create))
        .route("/ideas/new", get(ideas::new_form))
        .route("/ideas/similar", get(search::similar))
        .route("/search", get(search::page))
        .route("/ideas/{id}", get(ideas::show))
        .route("/ideas/{id}/comments", post(ideas::comment))
        .route("/ideas/{id}/follow", post(ideas::follow))
        .route("/ideas/{id}/rice", post(priority::score))
        .route("/ideas/{id}/merge", post(merges::merge))
        .route("/merges/{merge_id}/unmerge", post(merges::unmerge))
        .route("/exercises", get(exercises::list).post(exercises::create))
        .route("/exercises/{id}", get(exercises::show))
        .route("/exercises/{id}/scores", post(exercises::save))
        .route("/exercises/{id}/close", post(exercises::close))
        .route("/exercises/{id}/adopt/{idea_id}", post(exercises::adopt))
        .route("/board", get(board::page))
        .route("/settings", get(settings::page).post(settings::save))
        .route("/ideas/{id}/step", post(board::step))
        .route("/customers", get(customers::list))
        .route("/customers/{id}", get(customers::show))
        .route("/sessions", get(sessions::list).post(sessions::create))
        .route("/sessions/{id}", get(sessions::show))
        .route("/sessions/{id}/nominations", post(sessions::nominate))
        .route("/sessions/{id}/votes", post(sessions::vote))
        .route("/sessions/{id}/votes/retract", post(sessions::retract))
        .route("/sessions/{id}/close", post(sessions::close))
        .route("/assets/{*path}", get(assets::serve))
}
