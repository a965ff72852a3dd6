//! Shared page pieces: the navigation bar every signed-in page carries,
//! select options, inline form errors, rendering a page (or the error page),
//! the token-only form body, and formatting helpers (numbers, ARR like `$240k`,
//! relative times, excerpts, comma-separated lists).

use crate::auth::{SignedIn, urlencode};
use crate::html::error;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use bearing_app::AppError;
use bearing_domain::{Timestamp, ValidationError};
use serde::Deserialize;

/// What the top navigation bar needs: who is signed in, the session's CSRF
/// token and which section is current.
#[derive(Clone, Debug)]
pub struct Nav {
    /// The signed-in user's display name.
    pub user_name: String,
    /// The user's role label.
    pub role: &'static str,
    /// The session's CSRF token: the page's forms carry it in a hidden
    /// `csrf` field, and the layout's `csrf-token` meta tag hands it to
    /// scripts that call the JSON API with the cookie (board.js).
    pub csrf: String,
    /// The current section: `inbox`, `ideas` or `customers`.
    pub active: &'static str,
}

impl Nav {
    /// The navigation bar for `session`, highlighting `active`.
    pub fn new(session: &SignedIn, active: &'static str) -> Self {
        Self {
            user_name: session.actor.user.name.clone(),
            role: session.actor.user.role.label(),
            csrf: session.csrf.clone(),
            active,
        }
    }

    /// `aria-current` value for a nav link.
    pub fn current(&self, section: &str) -> &'static str {
        if self.active == section {
            "page"
        } else {
            "false"
        }
    }
}

/// One `<option>` of a `<select>`.
#[derive(Clone, Debug)]
pub struct Choice {
    /// The submitted value.
    pub value: String,
    /// The visible label.
    pub label: String,
    /// Is it the current value?
    pub selected: bool,
}

impl Choice {
    /// An option, selected when `value == current`.
    pub fn new(value: impl Into<String>, label: impl Into<String>, current: &str) -> Self {
        let value = value.into();
        let selected = value == current;
        Self {
            value,
            label: label.into(),
            selected,
        }
    }
}

/// Options from `(value, label)` pairs (a vocabulary's keys and labels,
/// or ids and names), with an optional leading blank option labelled
/// `blank`.
pub fn choices<V: Into<String>, L: Into<String>>(
    items: impl IntoIterator<Item = (V, L)>,
    current: &str,
    blank: Option<&str>,
) -> Vec<Choice> {
    let mut out = Vec::new();
    if let Some(b) = blank {
        out.push(Choice::new("", b, current));
    }
    out.extend(items.into_iter().map(|(k, l)| Choice::new(k, l, current)));
    out
}

/// A validation failure to show next to its field in a form.
#[derive(Clone, Debug, Default)]
pub struct FormErrors {
    field: String,
    message: String,
    inline: bool,
}

impl FormErrors {
    /// No errors.
    pub fn none() -> Self {
        Self::default()
    }

    /// An error on `field`; shown inline when `field` (or its last dotted
    /// part) is one of `fields`, otherwise at the top of the form.
    pub fn on(field: &str, message: impl Into<String>, fields: &[&str]) -> Self {
        let short = field.rsplit('.').next().unwrap_or(field).to_string();
        let inline = fields.contains(&short.as_str());
        Self {
            field: short,
            message: message.into(),
            inline,
        }
    }

    /// From a validation error, with the form's field names.
    pub fn from_validation(e: &ValidationError, fields: &[&str]) -> Self {
        Self::on(&e.field, e.message.clone(), fields)
    }

    /// The message for `field`, if the error is on it.
    pub fn get(&self, field: &str) -> Option<&str> {
        (self.inline && self.field == field && !self.message.is_empty())
            .then_some(self.message.as_str())
    }

    /// A message not tied to a field of the form, shown above it.
    pub fn general(&self) -> Option<&str> {
        (!self.inline && !self.message.is_empty()).then_some(self.message.as_str())
    }

    /// Is there any error at all?
    pub fn any(&self) -> bool {
        !self.message.is_empty()
    }

    /// `aria-invalid` value for `field`.
    pub fn invalid(&self, field: &str) -> &'static str {
        if self.get(field).is_some() {
            "true"
        } else {
            "false"
        }
    }
}

/// Split a form error out of an app error: validation and conflict errors
/// become form errors; anything else is returned for the error page.
pub fn form_error(e: AppError, fields: &[&str]) -> Result<FormErrors, AppError> {
    match e {
        AppError::Invalid(v) => Ok(FormErrors::from_validation(&v, fields)),
        AppError::Conflict(m) => Ok(FormErrors::on("", m, fields)),
        other => Err(other),
    }
}

/// Render a template into a page, or the error page if rendering fails.
pub fn render<T: Template>(t: &T) -> Response {
    render_status(StatusCode::OK, t)
}

/// Render a template with a status code (e.g. 422 for a form with errors).
pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => error::page(AppError::Internal(format!("rendering template: {e}"))),
    }
}

/// A built page, or the error page when building it failed.
pub fn page<T: Template>(r: Result<T, AppError>) -> Response {
    page_status(StatusCode::OK, r)
}

/// A built page with a status code (e.g. 422 for a form shown again with
/// its errors), or the error page when building it failed.
pub fn page_status<T: Template>(status: StatusCode, r: Result<T, AppError>) -> Response {
    match r {
        Ok(p) => render_status(status, &p),
        Err(e) => error::page(e),
    }
}

/// The answer to a refused form post: a validation or conflict error shows
/// the form again (built by `build` with the error in place) as 422; any
/// other error is the error page.
pub async fn reshow_form<T, Fut>(
    e: AppError,
    fields: &[&str],
    build: impl FnOnce(FormErrors) -> Fut,
) -> Response
where
    T: Template,
    Fut: Future<Output = Result<T, AppError>>,
{
    match form_error(e, fields) {
        Ok(errors) => page_status(StatusCode::UNPROCESSABLE_ENTITY, build(errors).await),
        Err(e) => error::page(e),
    }
}

/// The body of a form that carries nothing but its CSRF token (sign out,
/// close, adopt, un-merge…), read as `csrf::CsrfForm<TokenOnly>`, which has
/// already checked the token.
#[derive(Debug, Deserialize)]
pub struct TokenOnly {}

/// A number for display: at most two decimals, no trailing zeros (`12.5`,
/// `3`, `0.33`), and never `-0`.
pub fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// ARR in short dollars: `$950`, `$240k`, `$1.2M`.
pub fn arr(dollars: i64) -> String {
    let d = dollars.max(0) as f64;
    if d >= 1_000_000.0 {
        let m = d / 1_000_000.0;
        if (m - m.round()).abs() < 0.05 {
            format!("${:.0}M", m)
        } else {
            format!("${:.1}M", m)
        }
    } else if d >= 1_000.0 {
        format!("${:.0}k", (d / 1_000.0).round())
    } else {
        format!("${dollars}")
    }
}

/// A time relative to now: "5 min ago", "yesterday", or a date.
pub fn ago(t: Timestamp) -> String {
    t.ago(Timestamp::now())
}

/// The first `max` characters of `text` on one line, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max).collect();
    let cut = cut
        .rsplit_once(' ')
        .map(|(a, _)| a.to_string())
        .filter(|a| a.len() > max / 2)
        .unwrap_or(cut);
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':']))
}

/// Split a comma-separated form value into trimmed, non-empty items.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// A form value with surrounding space removed, or `None` when blank.
pub fn non_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// Parse an optional id from a form or query value; blank means none.
pub fn parse_opt_id<T: std::str::FromStr>(
    s: &str,
    field: &str,
) -> Result<Option<T>, ValidationError> {
    match non_empty(s) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| ValidationError::new(field, "choose a value from the list")),
    }
}

/// Parse an optional vocabulary value (`NoteSource::parse_field` and
/// friends); blank means none.
pub fn opt_enum<T>(
    s: &str,
    field: &str,
    parse: fn(&str, &str) -> Result<T, ValidationError>,
) -> Result<Option<T>, ValidationError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse(s, field).map(Some)
    }
}

/// Text split around a highlighted excerpt, for `<mark>`ing it safely.
#[derive(Clone, Debug, Default)]
pub struct Highlighted {
    /// Text before the excerpt.
    pub before: String,
    /// The excerpt (empty when there is none or it is not in the text).
    pub mark: String,
    /// Text after the excerpt, or the whole text when there is no excerpt.
    pub after: String,
}

impl Highlighted {
    /// Split `text` around the first occurrence of `excerpt`.
    pub fn new(text: &str, excerpt: Option<&str>) -> Self {
        match excerpt
            .filter(|e| !e.is_empty())
            .and_then(|e| text.find(e).map(|i| (i, e.len())))
        {
            Some((i, n)) => Self {
                before: text[..i].to_string(),
                mark: text[i..i + n].to_string(),
                after: text[i + n..].to_string(),
            },
            None => Self {
                before: String::new(),
                mark: String::new(),
                after: text.to_string(),
            },
        }
    }
}

/// A query string from `(key, value)` pairs, skipping blank values.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arr_is_short() {
        assert_eq!(arr(950), "$950");
        assert_eq!(arr(240_000), "$240k");
        assert_eq!(arr(1_200_000), "$1.2M");
        assert_eq!(arr(3_000_000), "$3M");
    }

    #[test]
    fn num_trims_zeros() {
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(3.0), "3");
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(-0.001), "0");
    }

    #[test]
    fn excerpt_cuts_on_words() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("hello wonderful world", 18), "hello wonderful…");
    }

    #[test]
    fn highlight_splits_text() {
        let h = Highlighted::new("we need SSO badly", Some("SSO"));
        assert_eq!(
            (h.before.as_str(), h.mark.as_str(), h.after.as_str()),
            ("we need ", "SSO", " badly")
        );
        assert_eq!(Highlighted::new("x", Some("y")).after, "x");
    }

    #[test]
    fn form_errors_inline_or_general() {
        let e = FormErrors::on("new_idea.title", "required", &["title"]);
        assert_eq!(e.get("title"), Some("required"));
        assert_eq!(e.general(), None);
        let e = FormErrors::on("links", "pick one", &["title"]);
        assert_eq!(e.general(), Some("pick one"));
    }

    #[test]
    fn query_string_skips_blanks() {
        assert_eq!(query_string(&[("a", "x y"), ("b", "")]), "?a=x%20y");
    }
}
