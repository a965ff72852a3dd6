//! Who is calling: a Bearer API token for the JSON API, a session cookie for
//! pages. Each session has a CSRF token: page forms are checked by
//! `csrf::CsrfForm`, and the API's cookie fallback checks it here, from the
//! `X-CSRF-Token` header, on every request that may write.

use crate::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use bearing_app::{Actor, AppError};
use subtle::ConstantTimeEq;

/// The header a same-origin script sends the session's token in when it
/// calls the JSON API with the session cookie.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Does `sent` equal the `expected` token? Compared in constant time, so
/// response timing does not reveal how much of a guess was right; an empty
/// expected token never matches, so a missing cookie cannot pair with a
/// missing field.
pub(crate) fn tokens_match(expected: &str, sent: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(sent.as_bytes()))
}

/// Name of the sign-in cookie. (Its value is a sign-in's secret; the name
/// predates the word and stays, so upgrading signs nobody out.)
pub const SIGN_IN_COOKIE: &str = "bearing_session";

/// The actor behind an API request: its Bearer token, or else (for our own
/// pages' scripts) its session cookie. A cookie is sent by the browser on
/// any site's request, so with the cookie a request that may write must
/// also carry the session's CSRF token in `X-CSRF-Token`, which only our
/// pages can read (from their `csrf-token` meta tag).
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
        if let Some(c) = jar.get(SIGN_IN_COOKIE)
            && let Ok((actor, csrf)) = state.app.signed_in(c.value()).await
        {
            if !parts.method.is_safe() {
                let sent = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                if !tokens_match(&csrf, sent) {
                    return Err(ApiError::new(
                        StatusCode::FORBIDDEN,
                        "csrf",
                        "with the session cookie, send the page's CSRF token (its csrf-token meta tag) in the X-CSRF-Token header, or use an API token",
                        None,
                    ));
                }
            }
            return Ok(ApiActor(actor));
        }
        Err(AppError::Unauthorized("send an API token as 'Authorization: Bearer <token>' (make one with `bearing token create`)".into()).into())
    }
}

/// A signed-in page visitor and the CSRF token their forms must carry. A
/// handler taking this alone reads no form; form handlers get it from
/// [`crate::csrf::CsrfForm`], which checks the token first.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// Who is signed in.
    pub actor: Actor,
    /// The CSRF token for this session's forms.
    pub csrf: String,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        if let Some(c) = jar.get(SIGN_IN_COOKIE)
            && let Ok((actor, csrf)) = state.app.signed_in(c.value()).await
        {
            return Ok(SignedIn { actor, csrf });
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
