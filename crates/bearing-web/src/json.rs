//! A JSON body extractor whose errors name the field at fault: malformed
//! JSON is 400, a wrong or missing field is 422 with its path, an oversized
//! body is 413 — all in the API's error shape.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

/// A JSON request body of type `T`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json",
                None,
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| ApiError::payload_too_large())?;
        parse(&bytes).map(ApiJson)
    }
}

/// Parse JSON bytes, turning serde's complaints into field-named API errors.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof
            | serde_json::error::Category::Io => ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {inner}"),
                None,
            ),
            serde_json::error::Category::Data => {
                let msg = inner.to_string();
                // serde reports a missing field at the parent path; name the field itself.
                if let Some(name) = msg
                    .strip_prefix("missing field `")
                    .and_then(|r| r.split('`').next())
                {
                    let field = if path == "." {
                        name.to_string()
                    } else {
                        format!("{path}.{name}")
                    };
                    return ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "missing_field",
                        format!("{field} is required"),
                        Some(field),
                    );
                }
                let field = if path == "." { None } else { Some(path) };
                let clean = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", clean, field)
            }
        }
    })
}
