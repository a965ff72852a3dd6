//! The one mapping from application errors to JSON API responses:
//! `{"error": {"code", "message", "field"}}` with a stable `code` and the
//! right 4xx status. Internal causes are logged, never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bearing_app::AppError;
use bearing_domain::error::ValidationKind;
use serde_json::json;

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// What went wrong and how to fix it.
    pub message: String,
    /// The input field at fault, if any.
    pub field: Option<String>,
}

impl ApiError {
    /// A new error.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
        field: Option<String>,
    ) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            field,
        }
    }

    /// 413 for a body over the server's limit.
    pub fn payload_too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "the request body is larger than this server accepts",
            None,
        )
    }

    /// 422 for a bad field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            message,
            Some(field.to_string()),
        )
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound(what) => Self::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} not found"),
                None,
            ),
            AppError::Unauthorized(m) => {
                Self::new(StatusCode::UNAUTHORIZED, "unauthorized", m, None)
            }
            AppError::Forbidden(m) => Self::new(StatusCode::FORBIDDEN, "forbidden", m, None),
            AppError::Invalid(v) => {
                let (status, code) = match v.kind {
                    ValidationKind::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
                    ValidationKind::Missing => (StatusCode::UNPROCESSABLE_ENTITY, "missing_field"),
                    ValidationKind::Invalid => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
                };
                let field = (!v.field.is_empty()).then_some(v.field);
                Self::new(status, code, v.message, field)
            }
            AppError::Conflict(m) => Self::new(StatusCode::CONFLICT, "conflict", m, None),
            AppError::Busy => Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the database is busy; try again in a moment",
                None,
            ),
            AppError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side; it has been logged",
                    None,
                )
            }
        }
    }
}

impl From<bearing_domain::ValidationError> for ApiError {
    fn from(v: bearing_domain::ValidationError) -> Self {
        AppError::Invalid(v).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            json!({"error": {"code": self.code, "message": self.message, "field": self.field}});
        (self.status, Json(body)).into_response()
    }
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;
