//! CSRF protection, enforced by types rather than by each handler
//! remembering a call. A page form is read only through [`CsrfForm`], an
//! extractor that finds the signed-in session, checks the body's `csrf`
//! field against the session's token in constant time and only then parses
//! the body; the sign-in form, posted before there is a session, goes
//! through [`LoginCsrfForm`], which checks a double-submit cookie instead.
//! Page POST routes are registered with [`form_post`], whose bound only
//! accepts handlers whose last extractor is one of those two, so a form
//! route that skips the check does not compile. The JSON API's cookie
//! fallback has its own check (`X-CSRF-Token`, see `auth::ApiActor`); this
//! file does not cover Bearer-token requests, which a browser never sends
//! on its own.

use crate::AppState;
use crate::auth::{SignedIn, tokens_match};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawForm, Request};
use axum::handler::Handler;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::de::DeserializeOwned;

/// The form field every page form carries its token in.
pub const CSRF_FIELD: &str = "csrf";

/// What a visitor is told when a form's token is missing or wrong: almost
/// always a page left open past its session, so the fix is to reload.
pub const REFUSED: &str = "This form has expired. Go back, reload the page and try again.";

/// The 403 answer to a form with a missing or wrong token.
fn refused() -> Response {
    (StatusCode::FORBIDDEN, REFUSED).into_response()
}

/// The raw urlencoded body, with axum's own rejections (415 for another
/// content type, 413 past the body limit).
async fn form_body(req: Request, state: &AppState) -> Result<Bytes, Response> {
    RawForm::from_request(req, state)
        .await
        .map(|RawForm(bytes)| bytes)
        .map_err(IntoResponse::into_response)
}

/// The first `csrf` value in a urlencoded body, or empty when there is none.
fn sent_token(body: &[u8]) -> String {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// Parse a checked body into `T` exactly as `axum::Form` would (422 with
/// the path to the bad field), so handlers see the same errors as before.
#[allow(clippy::result_large_err)] // the error is the response itself, returned straight away
fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Response> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(body));
    serde_path_to_error::deserialize(de).map_err(|e| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("Failed to deserialize form body: {e}"),
        )
            .into_response()
    })
}

/// A page form from a signed-in visitor whose CSRF token checked out: the
/// session (who, and the token for forms shown again) and the body parsed
/// into `T`. No signed-in session redirects to sign-in, as [`SignedIn`] does;
/// a missing or wrong `csrf` field is a 403 before `T` is even parsed, so a
/// handler taking this never runs for a forged request. `T` may be a struct
/// (unknown fields, `csrf` included, are ignored) or `Vec<(String, String)>`
/// for forms with repeated fields.
#[derive(Debug)]
pub struct CsrfForm<T>(pub SignedIn, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = SignedIn::from_request_parts(&mut parts, state).await?;
        let body = form_body(Request::from_parts(parts, body), state).await?;
        if !tokens_match(&session.csrf, &sent_token(&body)) {
            return Err(refused());
        }
        Ok(CsrfForm(session, parse(&body)?))
    }
}

/// The sign-in cookie's name. With `Secure` cookies it takes the `__Host-`
/// prefix, which browsers only accept from this host over HTTPS with
/// `Path=/`, so a sibling subdomain cannot plant a token of its choosing.
pub fn sign_in_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-bearing_signin"
    } else {
        "bearing_signin"
    }
}

/// Is `token` one we could have minted (`random_secret`: 43 URL-safe
/// base64 characters)? Anything else in the cookie is replaced.
fn well_formed(token: &str) -> bool {
    token.len() == 43
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The token for a sign-in form shown to this browser: the one already in
/// its sign-in cookie (so two open sign-in tabs both work), or a new one,
/// set in the returned jar. HttpOnly (no script needs it) and
/// `SameSite=Lax` like the session cookie: another site's POST never
/// carries it, and a sign-in page reached from a link elsewhere still sees
/// (and keeps) the token other open sign-in tabs hold.
pub fn sign_in_token(jar: CookieJar, state: &AppState) -> (CookieJar, String) {
    let name = sign_in_cookie_name(state.config.secure_cookies);
    if let Some(c) = jar.get(name)
        && well_formed(c.value())
    {
        let token = c.value().to_string();
        return (jar, token);
    }
    let token = bearing_app::accounts::random_secret();
    let cookie = Cookie::build((name, token.clone()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(state.config.secure_cookies)
        .build();
    (jar.add(cookie), token)
}

/// The jar without the sign-in cookie, once a sign-in has succeeded: the
/// token is spent, and the next sign-in form gets a fresh one. (`Secure`
/// as when set: browsers ignore a `__Host-` cookie without it, removal
/// included.)
pub fn forget_sign_in_token(jar: CookieJar, state: &AppState) -> CookieJar {
    let secure = state.config.secure_cookies;
    jar.remove(
        Cookie::build((sign_in_cookie_name(secure), ""))
            .path("/")
            .secure(secure),
    )
}

/// The sign-in form, checked against login CSRF: there is no session yet,
/// so the form's `csrf` field must equal the sign-in cookie set when the
/// form was shown (double submit). Another site can make a browser post
/// the form but can neither read nor set that cookie, so it cannot sign
/// the visitor into an account of its choosing. Gives the token (for the
/// form shown again after a wrong password) and the body parsed into `T`.
#[derive(Debug)]
pub struct LoginCsrfForm<T>(pub String, pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for LoginCsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(req.headers());
        let expected = jar
            .get(sign_in_cookie_name(state.config.secure_cookies))
            .map(|c| c.value().to_string())
            .unwrap_or_default();
        let body = form_body(req, state).await?;
        if !tokens_match(&expected, &sent_token(&body)) {
            return Err(refused());
        }
        Ok(LoginCsrfForm(expected, parse(&body)?))
    }
}

/// An extractor that refuses a request whose CSRF token is missing or
/// wrong before the handler runs: the only kinds a page form handler may
/// end with.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not check a CSRF token: a page form handler's last argument must be `CsrfForm<_>` (or `LoginCsrfForm<_>`)",
    label = "the handler given to `form_post` ends with this",
    note = "see crates/bearing-web/src/csrf.rs"
)]
pub trait ChecksCsrf {}

impl<T> ChecksCsrf for CsrfForm<T> {}

impl<T> ChecksCsrf for LoginCsrfForm<T> {}

/// The argument list of a handler whose last extractor checks CSRF. axum
/// implements `Handler<T, S>` with `T = (M, T1, …, Tn)`, the extractor
/// types after a marker `M`; this is implemented (below) for every such
/// tuple, up to axum's 16 extractors, whose last element is [`ChecksCsrf`].
#[diagnostic::on_unimplemented(
    message = "a page form handler must take `CsrfForm<_>` (or `LoginCsrfForm<_>`) as its last argument",
    label = "this handler does not check the CSRF token",
    note = "`form_post` only routes handlers whose last extractor checks CSRF; see crates/bearing-web/src/csrf.rs"
)]
pub trait EndsWithCsrfCheck {}

macro_rules! ends_with_csrf_check {
    ($($ty:ident),*) => {
        impl<M, $($ty,)* L: ChecksCsrf> EndsWithCsrfCheck for (M, $($ty,)* L,) {}
    };
}

ends_with_csrf_check!();
ends_with_csrf_check!(T1);
ends_with_csrf_check!(T1, T2);
ends_with_csrf_check!(T1, T2, T3);
ends_with_csrf_check!(T1, T2, T3, T4);
ends_with_csrf_check!(T1, T2, T3, T4, T5);
ends_with_csrf_check!(T1, T2, T3, T4, T5, T6);
ends_with_csrf_check!(T1, T2, T3, T4, T5, T6, T7);
ends_with_csrf_check!(T1, T2, T3, T4, T5, T6, T7, T8);
ends_with_csrf_check!(T1, T2, T3, T4, T5, T6, T7, T8, T9);
ends_with_csrf_check!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10);
ends_with_csrf_check!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11);
ends_with_csrf_check!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12);
ends_with_csrf_check!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13);
ends_with_csrf_check!(T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14);
ends_with_csrf_check!(
    T1, T2, T3, T4, T5, T6, T7, T8, T9, T10, T11, T12, T13, T14, T15
);

/// A POST route for a page form. Unlike `axum::routing::post`, it only
/// accepts a handler whose last argument is [`CsrfForm`] or [`LoginCsrfForm`],
/// so every page form checks its token or the router does not compile:
///
/// ```compile_fail
/// use axum::extract::Form;
/// async fn unchecked(Form(_f): Form<Vec<(String, String)>>) {}
/// let _ = bearing_web::csrf::form_post(unchecked);
/// ```
///
/// ```
/// use bearing_web::csrf::CsrfForm;
/// async fn checked(CsrfForm(_session, _f): CsrfForm<Vec<(String, String)>>) {}
/// let _ = bearing_web::csrf::form_post(checked);
/// ```
pub fn form_post<H, T>(handler: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: EndsWithCsrfCheck + 'static,
{
    axum::routing::post(handler)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole_and_never_empty() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "ab"));
        assert!(!tokens_match("abc", ""));
        assert!(!tokens_match("", ""));
    }

    #[test]
    fn the_first_csrf_field_is_the_token() {
        assert_eq!(sent_token(b"a=1&csrf=x%2By&csrf=z"), "x+y");
        assert_eq!(sent_token(b"a=1"), "");
    }

    #[test]
    fn only_minted_tokens_are_reused() {
        assert!(well_formed(&bearing_app::accounts::random_secret()));
        assert!(!well_formed("short"));
        assert!(!well_formed(&format!("{}!", "a".repeat(42))));
    }
}
