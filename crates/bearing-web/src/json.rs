//! A JSON body extractor whose errors name the field at fault: malformed
//! JSON is 400, a wrong or missing field is 422 with its path, an oversized
//! body is 413 — all in the API's error shape. A NUL character anywhere in
//! the body (a value, an array item, a nested object, a key) is 422 naming
//! its path: PostgreSQL's `text` cannot hold one, and this keeps a field
//! that forgot the domain's `plain_text` rule from becoming a 500 there.

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

/// The escape that is the only way a JSON text can carry NUL (a raw
/// control character inside a string is malformed JSON).
const NUL_ESCAPE: &[u8] = b"\\u0000";

/// Parse JSON bytes, turning serde's complaints into field-named API errors.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Defence in depth behind the domain rule; the body is walked only
    // when the escape is there, so ordinary requests pay one scan.
    if bytes.windows(NUL_ESCAPE.len()).any(|w| w == NUL_ESCAPE)
        && let Ok(v) = serde_json::from_slice::<serde_json::Value>(bytes)
        && let Some(path) = nul_path(&v, "")
    {
        let field = if path.is_empty() { "body".into() } else { path };
        return Err(ApiError::invalid(
            &field,
            format!("{field} may not contain a NUL character"),
        ));
    }
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

/// The path (as `serde_path_to_error` writes it: `new_idea.labels[1]`) of
/// the first string or key in `v` holding NUL, if any. A key is named by
/// itself, escaped, since it is the thing at fault.
fn nul_path(v: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => s.contains('\0').then(|| at.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_path(item, &format!("{at}[{i}]"))),
        Value::Object(fields) => fields.iter().find_map(|(k, item)| {
            let here = if at.is_empty() {
                k.escape_debug().to_string()
            } else {
                format!("{at}.{}", k.escape_debug())
            };
            if k.contains('\0') {
                return Some(here);
            }
            nul_path(item, &here)
        }),
        Value::Null | Value::Bool(_) | Value::Number(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_nul_is_named_by_its_path() {
        let path = |v| nul_path(&v, "");
        assert_eq!(path(json!({"title": "a\u{0}b"})).as_deref(), Some("title"));
        assert_eq!(
            path(json!({"new_idea": {"labels": ["ok", "x\u{0}"]}})).as_deref(),
            Some("new_idea.labels[1]")
        );
        assert_eq!(path(json!({"a\u{0}": 1})).as_deref(), Some("a\\0"));
        assert_eq!(path(json!({"title": "plain", "n": [1, null]})), None);
    }

    #[test]
    fn a_body_with_nul_is_refused_before_it_is_read() {
        let err = parse::<serde_json::Value>(br#"{"links":[{"excerpt":"a\u0000"}]}"#)
            .err()
            .map(|e| (e.status, e.field));
        assert_eq!(
            err,
            Some((
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("links[0].excerpt".to_string())
            ))
        );
        // An escaped backslash before `u0000` is text, not NUL.
        assert!(parse::<serde_json::Value>(br#"{"t":"\\u0000"}"#).is_ok());
    }
}
