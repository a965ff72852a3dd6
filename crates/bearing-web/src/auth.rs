//! Who is calling: a Bearer API token for the JSON API, a session cookie for
//! pages. Forms carry a per-session CSRF token checked in constant time.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use bearing_app::{Actor, AppError};
use subtle::ConstantTimeEq;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "bearing_session";

/// The actor behind an API request's Bearer token.
pub struct ApiActor(pub Actor);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        if let Some(token) = header.and_then(|h| h.strip_prefix("Bearer ")) {
            return Ok(ApiActor(state.app.token_actor(token.trim()).await?));
        }
        // Same-origin pages may call the API with their session cookie.
        let jar = CookieJar::from_headers(&parts.headers);
        if let Some(c) = jar.get(SESSION_COOKIE)
            && let Ok((actor, _)) = state.app.signed_in(c.value()).await
        {
            return Ok(ApiActor(actor));
        }
        Err(AppError::Unauthorized("send an API token as 'Authorization: Bearer <token>' (make one with `bearing token create`)".into()).into())
    }
}

/// A signed-in page visitor and the CSRF token their forms must carry.
#[derive(Clone, Debug)]
pub struct Session {
    /// Who is signed in.
    pub actor: Actor,
    /// The CSRF token for this session's forms.
    pub csrf: String,
}

impl Session {
    /// Refuse a form whose CSRF token is not this session's.
    #[allow(clippy::result_large_err)] // the error is the response itself, returned straight away
    pub fn check_csrf(&self, sent: &str) -> Result<(), Response> {
        if bool::from(self.csrf.as_bytes().ct_eq(sent.as_bytes())) {
            Ok(())
        } else {
            Err((
                StatusCode::FORBIDDEN,
                "This form has expired. Go back, reload the page and try again.",
            )
                .into_response())
        }
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        if let Some(c) = jar.get(SESSION_COOKIE)
            && let Ok((actor, csrf)) = state.app.signed_in(c.value()).await
        {
            return Ok(Session { actor, csrf });
        }
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let target = format!("/signin?next={}", urlencode(next));
        Err(Redirect::to(&target).into_response())
    }
}

/// Percent-encode a value for a query string.
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
