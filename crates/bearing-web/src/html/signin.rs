//! Sign in and out with email and password. A successful sign-in sets the
//! HttpOnly session cookie and returns to where the visitor was going (only
//! local paths, so the page cannot be used as an open redirect). Attempts
//! are rate limited per account and per client address
//! ([`crate::signin_limit`]) before the password is checked. The sign-in
//! form carries a login-CSRF token paired with a cookie (see
//! `csrf::LoginCsrfForm`), so another site cannot sign a visitor in to an
//! account of its choosing.

use crate::AppState;
use crate::auth::SIGN_IN_COOKIE;
use crate::csrf::{CsrfForm, LoginCsrfForm, forget_sign_in_token, sign_in_token};
use crate::html::error;
use crate::html::layout::{TokenOnly, render, render_status};
use askama::Template;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use bearing_app::AppError;
use serde::Deserialize;
use std::net::SocketAddr;

/// The sign-in page.
#[derive(Template)]
#[template(path = "signin.html")]
pub(crate) struct SignInPage {
    /// Where to go after signing in.
    pub next: String,
    /// The email typed so far.
    pub email: String,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The login-CSRF token, also in this browser's sign-in cookie.
    pub csrf: String,
}

/// Query of `GET /signin`.
#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    /// Where to go after signing in.
    #[serde(default)]
    pub next: String,
}

/// Body of `POST /signin`.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    /// Account email.
    #[serde(default)]
    pub email: String,
    /// Password.
    #[serde(default)]
    pub password: String,
    /// Where to go after signing in.
    #[serde(default)]
    pub next: String,
}

/// A safe local redirect target: starts with `/` but not `//` or `/\`.
pub fn safe_next(next: &str) -> &str {
    // A control character (NUL, a line break, DEL) cannot go in the
    // `Location` header: building the redirect would fail, so it is
    // refused here like any other unsafe target.
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.bytes().any(|b| b < 0x20 || b == 0x7f)
    {
        next
    } else {
        "/inbox"
    }
}

/// `GET /`: the inbox is home.
pub async fn home() -> Redirect {
    Redirect::to("/inbox")
}

/// `GET /signin`: the form, with the browser's sign-in cookie set.
pub async fn form(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<NextQuery>,
) -> Response {
    let (jar, csrf) = sign_in_token(jar, &state);
    let page = SignInPage {
        next: safe_next(&q.next).to_string(),
        email: String::new(),
        error: None,
        csrf,
    };
    (jar, render(&page)).into_response()
}

/// `POST /signin`: check the rate limits, then the password; set the
/// cookie, go on. Over a limit the page comes back with 429, `Retry-After`
/// and the typed email, and the password is never hashed.
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    LoginCsrfForm(csrf, f): LoginCsrfForm<SignInForm>,
) -> Response {
    let next = safe_next(&f.next).to_string();
    if let Err(refusal) = state.signin_limits.check(&f.email, peer.ip()) {
        tracing::warn!(peer = %peer.ip(), limit = ?refusal.limit, "sign-in rate limited");
        let page = SignInPage {
            next,
            email: f.email,
            error: Some(refusal.message()),
            csrf,
        };
        let mut resp = render_status(StatusCode::TOO_MANY_REQUESTS, &page);
        resp.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(refusal.retry_after_secs()),
        );
        return resp;
    }
    match state.app.sign_in(f.email.trim(), &f.password).await {
        Ok(s) => {
            let cookie = Cookie::build((SIGN_IN_COOKIE, s.secret))
                .http_only(true)
                .same_site(SameSite::Lax)
                .path("/")
                .secure(state.config.secure_cookies)
                .max_age(time::Duration::hours(state.app.config.sign_in_hours))
                .build();
            let jar = forget_sign_in_token(jar, &state).add(cookie);
            (jar, Redirect::to(&next)).into_response()
        }
        Err(AppError::Unauthorized(m)) => {
            let page = SignInPage {
                next,
                email: f.email,
                error: Some(capitalise(&m)),
                csrf,
            };
            render_status(StatusCode::UNAUTHORIZED, &page)
        }
        Err(e) => error::page(e),
    }
}

/// `POST /signout`: end the session and clear the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    jar: CookieJar,
    CsrfForm(_session, TokenOnly {}): CsrfForm<TokenOnly>,
) -> Response {
    if let Some(c) = jar.get(SIGN_IN_COOKIE)
        && let Err(e) = state.app.sign_out(c.value()).await
    {
        return error::page(e);
    }
    let gone = Cookie::build((SIGN_IN_COOKIE, "")).path("/").build();
    (jar.remove(gone), Redirect::to("/signin")).into_response()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect::<String>() + ".",
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_be_local() {
        assert_eq!(safe_next("/ideas?x=1"), "/ideas?x=1");
        assert_eq!(safe_next("//evil.example"), "/inbox");
        assert_eq!(safe_next("https://evil.example"), "/inbox");
        assert_eq!(safe_next(""), "/inbox");
    }
}
