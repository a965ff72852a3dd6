//! Server-rendered pages: the inbox, notes, ideas and customers, plus
//! sign-in and static assets. Every page is an askama template (in
//! `crates/bearing-web/templates/`) filled from one page struct. Forms are
//! plain POST + 303 redirect so everything works without JavaScript; htmx is
//! loaded only for niceties. Every form carries a CSRF token, checked by the
//! extractor its handler must take (`csrf::CsrfForm`, see [`form_routes`]).

pub mod api_docs;
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
pub mod rice_form;
pub mod search;
pub mod sessions;
pub mod settings;
pub mod signin;

use crate::AppState;
use crate::csrf::form_post;
use axum::Router;
use axum::routing::{MethodRouter, get};

/// Every page form: its path and its POST route. Each is made by
/// [`form_post`], so its handler must check the CSRF token or this does
/// not compile; [`routes`] registers page POSTs from here alone, and the
/// CSRF test posts forged forms to every path here (via [`form_paths`]),
/// so a new form is covered the moment it is routed.
pub fn form_routes() -> Vec<(&'static str, MethodRouter<AppState>)> {
    vec![
        ("/signin", form_post(signin::submit)),
        ("/signout", form_post(signin::sign_out)),
        ("/notes", form_post(notes::create)),
        ("/notes/{id}/process", form_post(notes::process)),
        ("/ideas", form_post(ideas::create)),
        ("/ideas/{id}/comments", form_post(ideas::comment)),
        ("/ideas/{id}/follow", form_post(ideas::follow)),
        ("/ideas/{id}/rice", form_post(rice_form::score)),
        ("/ideas/{id}/merge", form_post(merges::merge)),
        ("/merges/{merge_id}/unmerge", form_post(merges::unmerge)),
        ("/exercises", form_post(exercises::create)),
        ("/exercises/{id}/scores", form_post(exercises::save)),
        ("/exercises/{id}/close", form_post(exercises::close)),
        (
            "/exercises/{id}/adopt/{idea_id}",
            form_post(exercises::adopt),
        ),
        ("/settings", form_post(settings::save)),
        ("/ideas/{id}/step", form_post(board::step)),
        ("/sessions", form_post(sessions::create)),
        ("/sessions/{id}/nominations", form_post(sessions::nominate)),
        ("/sessions/{id}/votes", form_post(sessions::vote)),
        ("/sessions/{id}/votes/retract", form_post(sessions::retract)),
        ("/sessions/{id}/close", form_post(sessions::close)),
    ]
}

/// The paths of every page form, as routed (see [`form_routes`]).
pub fn form_paths() -> Vec<&'static str> {
    form_routes().into_iter().map(|(path, _)| path).collect()
}

/// Page routes: the pages (GET) here, the forms (POST) from [`form_routes`].
pub fn routes() -> Router<AppState> {
    let pages = Router::new()
        .route("/", get(signin::home))
        .route("/signin", get(signin::form))
        .route("/inbox", get(inbox::page))
        .route("/notes/new", get(notes::new_form))
        .route("/notes/{id}", get(notes::show))
        .route("/ideas", get(ideas::list))
        .route("/ideas/new", get(ideas::new_form))
        .route("/ideas/similar", get(search::similar))
        .route("/search", get(search::page))
        .route("/ideas/{id}", get(ideas::show))
        .route("/exercises", get(exercises::list))
        .route("/exercises/{id}", get(exercises::show))
        .route("/board", get(board::page))
        .route("/settings", get(settings::page))
        .route("/customers", get(customers::list))
        .route("/customers/{id}", get(customers::show))
        .route("/sessions", get(sessions::list))
        .route("/sessions/{id}", get(sessions::show))
        .route("/api/docs", get(api_docs::page))
        .route("/assets/{*path}", get(assets::serve));
    form_routes()
        .into_iter()
        .fold(pages, |router, (path, post)| router.route(path, post))
}
