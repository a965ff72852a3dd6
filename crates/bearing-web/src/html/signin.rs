//! Sign in and out with email and password. A successful sign-in sets the
//! HttpOnly session cookie and returns to where the visitor was going (only
//! local paths, so the page cannot be used as an open redirect). Attempts
//! are rate limited per account and per client address
//! ([`crate::signin_limit`]) before the password is checked.

use crate::AppState;
use crate::auth::{SESSION_COOKIE, Session};
use crate::html::error;
use crate::html::layout::{CsrfForm, render, render_status};
use askama::Template;
use axum::Form;
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
pub struct SignInPage {
    /// Where to go after signing in.
    pub next: String,
    /// The email typed so far.
    pub email: String,
    /// Why the last attempt failed.
    pub error: Option<String>,
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
    if next.starts_with('/') && !next.starts_with("//") && !next.starts_with("/\\") {
        next
    } else {
        "/inbox"
    }
}

/// `GET /`: the inbox is home.
pub async fn home() -> Redirect {
    Redirect::to("/inbox")
}

/// `GET /signin`.
pub async fn form(Query(q): Query<NextQuery>) -> Response {
    let page = SignInPage {
        next: safe_next(&q.next).to_string(),
        email: String::new(),
        error: None,
    };
    render(&page)
}

/// `POST /signin`: check the rate limits, then the password; set the
/// cookie, go on. Over a limit the page comes back with 429, `Retry-After`
/// and the typed email, and the password is never hashed.
pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    jar: CookieJar,
    Form(f): Form<SignInForm>,
) -> Response {
    let next = safe_next(&f.next).to_string();
    if let Err(refusal) = state.signin_limits.check(&f.email, peer.ip()) {
        tracing::warn!(peer = %peer.ip(), limit = ?refusal.limit, "sign-in rate limited");
        let page = SignInPage {
            next,
            email: f.email,
            error: Some(refusal.message()),
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
            let cookie = Cookie::build((SESSION_COOKIE, s.secret))
                .http_only(true)
                .same_site(SameSite::Lax)
                .path("/")
                .secure(state.config.secure_cookies)
                .max_age(time::Duration::hours(state.app.config.session_hours))
                .build();
            (jar.add(cookie), Redirect::to(&next)).into_response()
        }
        Err(AppError::Unauthorized(m)) => {
            let page = SignInPage {
                next,
                email: f.email,
                error: Some(capitalise(&m)),
            };
            render_status(StatusCode::UNAUTHORIZED, &page)
        }
        Err(e) => error::page(e),
    }
}

/// `POST /signout`: end the session and clear the cookie.
pub async fn sign_out(
    State(state): State<AppState>,
    session: Session,
    jar: CookieJar,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(r) = session.check_csrf(&f.csrf) {
        return r;
    }
    if let Some(c) = jar.get(SESSION_COOKIE)
        && let Err(e) = state.app.sign_out(c.value()).await
    {
        return error::page(e);
    }
    let gone = Cookie::build((SESSION_COOKIE, "")).path("/").build();
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
