//! `POST /ideas/{id}/rice`: a PM scores an idea with RICE from the idea
//! page's Priority card; a bad value shows the page again with the error
//! beside its field.

use crate::AppState;
use crate::csrf::CsrfForm;
use crate::html::error;
use crate::html::ideas::show_with_rice_errors;
use crate::html::layout::FormErrors;
use crate::html::priority::FIELDS;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use bearing_app::AppError;
use bearing_domain::prioritisation::rice::RiceInput;
use bearing_domain::*;
use serde::Deserialize;

/// Body of `POST /ideas/{id}/rice`.
#[derive(Debug, Deserialize)]
pub struct RiceForm {
    /// Reach.
    #[serde(default)]
    pub reach: String,
    /// Impact.
    #[serde(default)]
    pub impact: String,
    /// Confidence.
    #[serde(default)]
    pub confidence: String,
    /// Effort in person-months.
    #[serde(default)]
    pub effort_months: String,
}

fn parse(field: &str, v: &str) -> Result<f64, ValidationError> {
    v.trim().parse::<f64>().map_err(|_| {
        ValidationError::missing(
            field,
            format!("choose a value for {}", field.replace('_', " ")),
        )
    })
}

/// `POST /ideas/{id}/rice`: score the idea, or show the error on the page.
pub async fn score(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, f): CsrfForm<RiceForm>,
) -> Response {
    let Ok(id) = id.parse::<IdeaId>() else {
        return error::not_found("idea");
    };
    let input = (|| {
        Ok::<_, ValidationError>(RiceInput {
            reach: parse("reach", &f.reach)?,
            impact: parse("impact", &f.impact)?,
            confidence: parse("confidence", &f.confidence)?,
            effort_months: parse("effort_months", &f.effort_months)?,
        })
    })();
    let result = match input {
        Ok(input) => state.app.score_idea(&session.actor, id, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/ideas/{id}#priority")).into_response(),
        Err(AppError::Invalid(v)) => {
            show_with_rice_errors(
                &state,
                &session,
                id,
                FormErrors::from_validation(&v, FIELDS),
            )
            .await
        }
        Err(e) => error::page(e),
    }
}
