//! Workspace settings page: the RICE reach scale (standard bands or absolute
//! people-per-quarter). Admins change it; everyone can see it.

use crate::AppState;
use crate::auth::SignedIn;
use crate::csrf::CsrfForm;
use crate::html::error;
use crate::html::layout::{self, Nav};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use bearing_domain::prioritisation::rice::ReachMode;
use serde::Deserialize;

/// The settings page.
#[derive(Template)]
#[template(path = "settings.html")]
pub(crate) struct SettingsPage {
    /// Navigation.
    pub nav: Nav,
    /// Reach scale in force.
    pub mode: ReachMode,
    /// Every scale, for the choice.
    pub modes: Vec<ReachMode>,
    /// May the user change settings?
    pub is_admin: bool,
    /// Shown after a save.
    pub saved: bool,
}

/// Query of `GET /settings`.
#[derive(Deserialize)]
pub struct SettingsQuery {
    /// Set after a successful save.
    #[serde(default)]
    pub saved: Option<String>,
}

/// `GET /settings`.
pub async fn page(
    State(state): State<AppState>,
    session: SignedIn,
    axum::extract::Query(q): axum::extract::Query<SettingsQuery>,
) -> Response {
    layout::page(state.app.reach_mode().await.map(|mode| SettingsPage {
        nav: Nav::new(&session, "settings"),
        mode,
        modes: ReachMode::ALL.to_vec(),
        is_admin: session.actor.user.role == bearing_domain::Role::Admin,
        saved: q.saved.is_some(),
    }))
}

/// Body of `POST /settings`.
#[derive(Deserialize)]
pub struct SettingsForm {
    /// `standard` or `absolute`.
    #[serde(default)]
    pub reach_mode: String,
}

/// `POST /settings`.
pub async fn save(
    State(state): State<AppState>,
    CsrfForm(session, f): CsrfForm<SettingsForm>,
) -> Response {
    let mode = match ReachMode::parse_field(&f.reach_mode, "reach_mode") {
        Ok(m) => m,
        Err(e) => return error::page(e.into()),
    };
    match state.app.set_reach_mode(&session.actor, mode).await {
        Ok(_) => Redirect::to("/settings?saved=1").into_response(),
        Err(e) => error::page(e),
    }
}
