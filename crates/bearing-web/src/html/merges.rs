//! Merging ideas from the idea page: the "Merge into…" card (PMs and
//! admins pick the surviving idea), "Merged from B — Un-merge" on the
//! survivor within 30 days, and the two form posts. A merged-away idea's
//! page redirects to its survivor (see `ideas::show`).

use crate::AppState;
use crate::auth::SignedIn;
use crate::csrf::CsrfForm;
use crate::html::choices::ideas_by_title;
use crate::html::error;
use crate::html::layout::{Choice, TokenOnly};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use bearing_app::AppError;
use bearing_domain::merge::MergeId;
use bearing_domain::*;
use serde::Deserialize;

/// A merge into this idea that can still be undone.
#[derive(Clone, Debug)]
pub struct MergedInView {
    /// The merge.
    pub merge_id: MergeId,
    /// The idea merged in.
    pub merged_id: IdeaId,
    /// Its title.
    pub title: String,
    /// The last day it can be undone, `yyyy-mm-dd`.
    pub until: String,
}

/// The merge card on an idea page.
#[derive(Clone, Debug, Default)]
pub struct MergeCard {
    /// May the user merge and un-merge?
    pub can_manage: bool,
    /// Ideas this one could be merged into, by title.
    pub targets: Vec<Choice>,
    /// Undoable merges into this idea, newest first.
    pub merged_in: Vec<MergedInView>,
}

impl MergeCard {
    /// Whether there is anything to show.
    pub fn visible(&self) -> bool {
        self.can_manage || !self.merged_in.is_empty()
    }
}

/// Build the card for `idea` as `session` sees it.
pub async fn card(
    state: &AppState,
    session: &SignedIn,
    idea: &Idea,
) -> Result<MergeCard, AppError> {
    let can_manage = session.actor.user.role.can_manage();
    if !can_manage {
        return Ok(MergeCard::default());
    }
    let targets = ideas_by_title(state)
        .await?
        .into_iter()
        .filter(|r| r.idea.id != idea.id)
        .map(|r| Choice {
            value: r.idea.id.to_string(),
            label: match r.area_name {
                Some(a) => format!("{} ({a})", r.idea.title),
                None => r.idea.title,
            },
            selected: false,
        })
        .collect();
    let merged_in = state
        .app
        .merges_into(idea.id)
        .await?
        .into_iter()
        .filter(|m| m.can_unmerge)
        .map(|m| MergedInView {
            merge_id: m.merge.id,
            merged_id: m.merge.merged_id,
            title: m.merged_title,
            until: m.unmerge_until.date(),
        })
        .collect();
    Ok(MergeCard {
        can_manage,
        targets,
        merged_in,
    })
}

/// Body of `POST /ideas/{id}/merge`.
#[derive(Debug, Deserialize)]
pub struct MergeForm {
    /// The surviving idea's id.
    #[serde(default)]
    pub into: String,
}

/// `POST /ideas/{id}/merge`: merge this idea into the chosen one, then
/// show the survivor.
pub async fn merge(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, f): CsrfForm<MergeForm>,
) -> Response {
    let Ok(id) = id.parse::<IdeaId>() else {
        return error::not_found("idea");
    };
    let Ok(into) = f.into.trim().parse::<IdeaId>() else {
        return error::page(AppError::Invalid(ValidationError::new(
            "into",
            "choose the idea to merge into",
        )));
    };
    match state.app.merge_ideas(&session.actor, id, into).await {
        Ok(m) => Redirect::to(&format!("/ideas/{}", m.merge.survivor_id)).into_response(),
        Err(e) => error::page(e),
    }
}

/// `POST /merges/{merge_id}/unmerge`: undo a merge, then show the restored idea.
pub async fn unmerge(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, TokenOnly {}): CsrfForm<TokenOnly>,
) -> Response {
    let Ok(id) = id.parse::<MergeId>() else {
        return error::not_found("merge");
    };
    match state.app.unmerge(&session.actor, id).await {
        Ok(m) => Redirect::to(&format!("/ideas/{}", m.merge.merged_id)).into_response(),
        Err(e) => error::page(e),
    }
}
