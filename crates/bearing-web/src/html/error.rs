//! The one place app errors become error pages: 404, 403, 409/422, 503 and
//! 500. Internal causes are logged and never shown; an unauthorized visitor
//! is sent to the sign-in page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use bearing_app::AppError;

/// The error page template.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorPage {
    /// HTTP status code.
    pub status: u16,
    /// Short heading.
    pub heading: &'static str,
    /// What to tell the visitor.
    pub message: String,
}

/// Turn an app error into an HTML error response.
pub fn page(err: AppError) -> Response {
    let (status, heading, message) = match err {
        AppError::NotFound(what) => (
            StatusCode::NOT_FOUND,
            "Not found",
            format!(
                "We couldn't find that {what}. It may have been removed, or the link is wrong."
            ),
        ),
        AppError::Unauthorized(_) => return Redirect::to("/signin").into_response(),
        AppError::Forbidden(m) => (
            StatusCode::FORBIDDEN,
            "Not allowed",
            format!("You don't have permission to do that: {m}."),
        ),
        AppError::Invalid(v) => (
            StatusCode::BAD_REQUEST,
            "Something in the request isn't right",
            v.message,
        ),
        AppError::Conflict(m) => (StatusCode::CONFLICT, "Conflict", m),
        AppError::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Busy",
            "The database is busy. Please try again in a moment.".to_string(),
        ),
        AppError::Internal(cause) => {
            tracing::error!(error = %cause, "internal error while serving a page");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "An unexpected error occurred. It has been logged; please try again.".to_string(),
            )
        }
    };
    let t = ErrorPage {
        status: status.as_u16(),
        heading,
        message,
    };
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "rendering the error page");
            (status, heading).into_response()
        }
    }
}

/// A 404 page for a malformed id in a URL.
pub fn not_found(what: &str) -> Response {
    page(AppError::NotFound(what.to_string()))
}
