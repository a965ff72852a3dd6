//! Cleaning free-text input shared by every aggregate: required and
//! optional text, tags and labels, dates, URLs, emails and URL-safe keys.
//! Each returns the cleaned value or a [`ValidationError`] naming the field.
//!
//! Every cleaner first applies [`plain_text`]: no NUL and no other C0
//! control character except tab, line feed and carriage return. NUL is
//! the one PostgreSQL's `text` cannot hold (SQLite stores it), so without
//! this rule the same input was a 500 on one database and stored on the
//! other. The other controls are refused too: they are invisible, they
//! make the priority matrix's SVG (XML 1.0 forbids them) unreadable,
//! they can smuggle terminal escapes into `bearing` CLI output, and no
//! person types them on purpose — so a clear 422 is kinder than storing
//! them. Text that never passes a cleaner here (a session title checked
//! in the app, a query-string filter) calls [`plain_text`] itself.

use crate::error::ValidationError;
use crate::limits::*;

/// Is `c` a character no input text may hold: a C0 control (U+0000 to
/// U+001F) other than tab, line feed and carriage return?
pub fn is_refused_control(c: char) -> bool {
    c < ' ' && !matches!(c, '\t' | '\n' | '\r')
}

/// Refuse text holding NUL or another control character that
/// [`is_refused_control`] names, with a message naming `field` and the
/// character; see the module docs for why. Checked before trimming, so a
/// control at either end is reported rather than silently cut.
pub fn plain_text(field: &str, value: &str) -> Result<(), ValidationError> {
    // Bytes below 0x20 only ever encode those characters in UTF-8, so the
    // common case is one pass over the bytes with no decoding.
    if !value
        .bytes()
        .any(|b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
    {
        return Ok(());
    }
    let c = value
        .chars()
        .find(|c| is_refused_control(*c))
        .unwrap_or('\0');
    let message = if c == '\0' {
        format!("{field} may not contain a NUL character")
    } else {
        format!(
            "{field} may not contain the control character U+{:04X}",
            u32::from(c)
        )
    };
    Err(ValidationError::new(field, message))
}

/// [`plain_text`] for a value that may be absent.
pub fn plain_opt(field: &str, value: Option<&str>) -> Result<(), ValidationError> {
    value.map_or(Ok(()), |v| plain_text(field, v))
}

/// Trimmed text that must not be blank, at most `max_chars` characters.
pub fn required_text(
    field: &str,
    value: &str,
    max_chars: usize,
) -> Result<String, ValidationError> {
    plain_text(field, value)?;
    let v = value.trim();
    if v.is_empty() {
        return Err(ValidationError::missing(
            field,
            format!("{field} is required and cannot be blank"),
        ));
    }
    if v.chars().count() > max_chars {
        return Err(ValidationError::new(
            field,
            format!("{field} is at most {max_chars} characters"),
        ));
    }
    Ok(v.to_string())
}

/// Trimmed text that may be absent or blank (both read as `None`), at
/// most `max_bytes` bytes.
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max_bytes: usize,
) -> Result<Option<String>, ValidationError> {
    plain_opt(field, value)?;
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.len() > max_bytes => Err(ValidationError::too_large(
            field,
            format!("{field} is at most {max_bytes} bytes"),
        )),
        Some(v) => Ok(Some(v.to_string())),
    }
}

/// Normalise tags or labels: trimmed, lowercased, deduplicated, each made of
/// letters, digits, spaces, `-`, `_`, `+`, `.` or `:` (for scoped labels
/// such as GitLab's `bug::availability`), at most [`MAX_TAGS`] of them.
pub fn clean_tags(field: &str, tags: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut out: Vec<String> = Vec::new();
    for raw in tags {
        plain_text(field, raw)?;
        let t = raw.trim().to_lowercase();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(ValidationError::new(
                field,
                format!("'{t}' is longer than {MAX_TAG_CHARS} characters"),
            ));
        }
        if !t
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | ' ' | ':'))
        {
            return Err(ValidationError::new(
                field,
                format!("'{t}' may contain only letters, digits, spaces and - _ + . :"),
            ));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(ValidationError::new(
            field,
            format!("at most {MAX_TAGS} {field} are allowed"),
        ));
    }
    Ok(out)
}

/// Check that a due date is a real calendar date written `yyyy-mm-dd`.
pub fn clean_date(field: &str, value: Option<&str>) -> Result<Option<String>, ValidationError> {
    plain_opt(field, value)?;
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(v, &fmt)
        .map(|_| Some(v.to_string()))
        .map_err(|_| ValidationError::new(field, format!("'{v}' is not a date; write yyyy-mm-dd")))
}

/// http(s) URLs, trimmed, blanks dropped, at most [`MAX_TAGS`] of them.
pub fn clean_links(field: &str, links: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut out = Vec::new();
    // Checked before parsing: the URL parser percent-encodes a NUL inside
    // a URL and accepts it, but the text stored is the text sent.
    for l in links {
        plain_text(field, l)?;
    }
    for l in links.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        match url::Url::parse(l) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => out.push(l.to_string()),
            _ => {
                return Err(ValidationError::new(
                    field,
                    format!("'{l}' is not an http(s) URL"),
                ));
            }
        }
    }
    if out.len() > MAX_TAGS {
        return Err(ValidationError::new(
            field,
            format!("at most {MAX_TAGS} links"),
        ));
    }
    Ok(out)
}

/// A cheap plausibility check: one `@` with text either side and a dot after.
pub fn looks_like_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !e.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Make a URL-safe key from a name: lowercase letters and digits joined by `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn dates_must_be_real() {
        assert!(clean_date("due_date", Some("2026-02-30")).is_err());
        assert_eq!(
            clean_date("due_date", Some("2026-02-28"))
                .unwrap()
                .as_deref(),
            Some("2026-02-28")
        );
    }

    #[test]
    fn scoped_labels_are_kept() {
        let l = clean_tags("labels", &["Bug::Availability".into()]).unwrap();
        assert_eq!(l, vec!["bug::availability".to_string()]);
        assert!(clean_tags("labels", &["a/b".into()]).is_err());
    }

    #[test]
    fn nul_is_refused_by_name() {
        let e = plain_text("domain", "acme\0.com").unwrap_err();
        assert_eq!(e.field, "domain");
        assert_eq!(e.message, "domain may not contain a NUL character");
        let e = plain_text("title", "\u{1b}[31mred").unwrap_err();
        assert_eq!(
            e.message,
            "title may not contain the control character U+001B"
        );
        assert!(plain_text("text", "tab\tnew\nline\r\n").is_ok());
        assert!(plain_text("text", "DEL \u{7f} and C1 \u{85} are not C0").is_ok());
    }

    #[test]
    fn every_cleaner_refuses_nul() {
        let field = |r: Result<(), ValidationError>| r.unwrap_err().field;
        assert_eq!(field(required_text("t", "a\0", 10).map(drop)), "t");
        assert_eq!(field(optional_text("o", Some("\0"), 10).map(drop)), "o");
        assert_eq!(
            field(clean_tags("tags", &["ok".into(), "b\0".into()]).map(drop)),
            "tags"
        );
        assert_eq!(
            field(clean_links("links", &["https://x.test/a\0b".into()]).map(drop)),
            "links"
        );
        assert_eq!(
            field(clean_date("due", Some("2026-01-01\0")).map(drop)),
            "due"
        );
        // At either end too: trimming must not hide it (VT and FF are
        // whitespace to `trim`).
        assert_eq!(field(required_text("t", "a\u{b}", 10).map(drop)), "t");
        assert_eq!(field(optional_text("o", Some("\u{c}"), 10).map(drop)), "o");
    }

    /// Every input type that carries text, built from a valid JSON body
    /// with NUL and then ESC put into one field: validation names the
    /// field. One line per field.
    #[test]
    fn every_input_names_the_field() {
        use crate::*;
        use serde_json::{Value, json};
        type Check = fn(Value) -> Result<(), ValidationError>;
        fn v<T: serde::de::DeserializeOwned>(body: Value) -> T {
            serde_json::from_value(body).unwrap()
        }
        let idea = json!({"title": "T", "problem": "P", "proposal": "Q", "due_date": "2026-01-01",
            "labels": ["a"], "tracker_links": ["https://x.test/1"]});
        let cases: Vec<(Check, Value, &str, &str)> = vec![
            (
                |b| v::<NewCustomer>(b).validate().map(drop),
                json!({"name": "N", "domain": "d.test"}),
                "name",
                "name",
            ),
            (
                |b| v::<NewCustomer>(b).validate().map(drop),
                json!({"name": "N", "domain": "d.test"}),
                "domain",
                "domain",
            ),
            (
                |b| v::<CustomerChanges>(b).validate().map(drop),
                json!({"name": "N", "domain": "d.test"}),
                "name",
                "name",
            ),
            (
                |b| v::<CustomerChanges>(b).validate().map(drop),
                json!({"name": "N", "domain": "d.test"}),
                "domain",
                "domain",
            ),
            (
                |b| v::<NewContact>(b).validate().map(drop),
                json!({"customer_id": CustomerId::new(), "name": "N", "email": "a@b.test", "title": "T"}),
                "name",
                "name",
            ),
            (
                |b| v::<NewContact>(b).validate().map(drop),
                json!({"customer_id": CustomerId::new(), "name": "N", "email": "a@b.test", "title": "T"}),
                "email",
                "email",
            ),
            (
                |b| v::<NewContact>(b).validate().map(drop),
                json!({"customer_id": CustomerId::new(), "name": "N", "email": "a@b.test", "title": "T"}),
                "title",
                "title",
            ),
            (
                |b| v::<ContactChanges>(b).validate().map(drop),
                json!({"name": "N", "email": "a@b.test", "title": "T"}),
                "name",
                "name",
            ),
            (
                |b| v::<ContactChanges>(b).validate().map(drop),
                json!({"name": "N", "email": "a@b.test", "title": "T"}),
                "email",
                "email",
            ),
            (
                |b| v::<ContactChanges>(b).validate().map(drop),
                json!({"name": "N", "email": "a@b.test", "title": "T"}),
                "title",
                "title",
            ),
            (
                |b| v::<NewArea>(b).validate().map(drop),
                json!({"name": "N", "key": "k", "description": "D"}),
                "name",
                "name",
            ),
            (
                |b| v::<NewArea>(b).validate().map(drop),
                json!({"name": "N", "key": "k", "description": "D"}),
                "key",
                "key",
            ),
            (
                |b| v::<NewArea>(b).validate().map(drop),
                json!({"name": "N", "key": "k", "description": "D"}),
                "description",
                "description",
            ),
            (
                |b| v::<NewNote>(b).validate(1000).map(drop),
                json!({"text": "X", "source": "email", "tags": ["a"]}),
                "text",
                "text",
            ),
            (
                |b| v::<NewNote>(b).validate(1000).map(drop),
                json!({"text": "X", "source": "email", "tags": ["a"]}),
                "tags[0]",
                "tags",
            ),
            (
                |b| v::<NoteChanges>(b).validate(1000).map(drop),
                json!({"text": "X", "tags": ["a"]}),
                "text",
                "text",
            ),
            (
                |b| v::<NoteChanges>(b).validate(1000).map(drop),
                json!({"text": "X", "tags": ["a"]}),
                "tags[0]",
                "tags",
            ),
            (
                |b| v::<NewIdea>(b).validate().map(drop),
                idea.clone(),
                "title",
                "title",
            ),
            (
                |b| v::<NewIdea>(b).validate().map(drop),
                idea.clone(),
                "problem",
                "problem",
            ),
            (
                |b| v::<NewIdea>(b).validate().map(drop),
                idea.clone(),
                "proposal",
                "proposal",
            ),
            (
                |b| v::<NewIdea>(b).validate().map(drop),
                idea.clone(),
                "due_date",
                "due_date",
            ),
            (
                |b| v::<NewIdea>(b).validate().map(drop),
                idea.clone(),
                "labels[0]",
                "labels",
            ),
            (
                |b| v::<NewIdea>(b).validate().map(drop),
                idea.clone(),
                "tracker_links[0]",
                "tracker_links",
            ),
            (
                |b| v::<IdeaChanges>(b).validate().map(drop),
                idea.clone(),
                "title",
                "title",
            ),
            (
                |b| v::<IdeaChanges>(b).validate().map(drop),
                idea.clone(),
                "problem",
                "problem",
            ),
            (
                |b| v::<IdeaChanges>(b).validate().map(drop),
                idea.clone(),
                "proposal",
                "proposal",
            ),
            (
                |b| v::<IdeaChanges>(b).validate().map(drop),
                idea.clone(),
                "due_date",
                "due_date",
            ),
            (
                |b| v::<IdeaChanges>(b).validate().map(drop),
                idea.clone(),
                "labels[0]",
                "labels",
            ),
            (
                |b| v::<IdeaChanges>(b).validate().map(drop),
                idea.clone(),
                "tracker_links[0]",
                "tracker_links",
            ),
            (
                |b| v::<NewComment>(b).validate().map(drop),
                json!({"body": "B"}),
                "body",
                "body",
            ),
            (
                |b| v::<ProcessNote>(b).plan("quote me").map(drop),
                json!({"wont_do_reason": "R", "underlying_need": "U", "workaround": "W"}),
                "wont_do_reason",
                "wont_do_reason",
            ),
            (
                |b| v::<ProcessNote>(b).plan("quote me").map(drop),
                json!({"wont_do_reason": "R", "underlying_need": "U", "workaround": "W"}),
                "underlying_need",
                "underlying_need",
            ),
            (
                |b| v::<ProcessNote>(b).plan("quote me").map(drop),
                json!({"wont_do_reason": "R", "underlying_need": "U", "workaround": "W"}),
                "workaround",
                "workaround",
            ),
            (
                |b| v::<ProcessNote>(b).plan("quote me").map(drop),
                json!({"links": [{"idea_id": IdeaId::new(), "excerpt": "quote"}]}),
                "links[0].excerpt",
                "excerpt",
            ),
            (
                |b| v::<ProcessNote>(b).plan("quote me").map(drop),
                json!({"new_idea": idea.clone(), "new_idea_excerpt": "quote"}),
                "new_idea_excerpt",
                "new_idea_excerpt",
            ),
            (
                |b| v::<ProcessNote>(b).plan("quote me").map(drop),
                json!({"new_idea": idea.clone()}),
                "new_idea.title",
                "new_idea.title",
            ),
            (
                |b| v::<ProcessNote>(b).plan("quote me").map(drop),
                json!({"new_idea": idea.clone()}),
                "new_idea.labels[0]",
                "new_idea.labels",
            ),
            (
                |b| crate::link::clean_excerpt("quote me", b["excerpt"].as_str()).map(drop),
                json!({"excerpt": "quote"}),
                "excerpt",
                "excerpt",
            ),
            (
                |b| {
                    crate::search::SearchQuery::parse(b["q"].as_str().unwrap_or_default()).map(drop)
                },
                json!({"q": "sso"}),
                "q",
                "q",
            ),
        ];
        for (check, body, at, field) in cases {
            assert!(check(body.clone()).is_ok(), "{at}: the clean body is valid");
            for c in ['\0', '\u{1b}'] {
                let mut b = body.clone();
                let slot = at
                    .split('.')
                    .fold(&mut b, |v, part| match part.split_once('[') {
                        Some((name, i)) => {
                            &mut v[name][i.trim_end_matches(']').parse::<usize>().unwrap()]
                        }
                        None => &mut v[part],
                    });
                *slot = Value::String(format!("{}{c}", slot.as_str().unwrap()));
                let e = check(b).expect_err(at);
                assert_eq!(e.field, field, "{at} with {c:?}: {}", e.message);
            }
        }
    }

    proptest! {
        #[test]
        fn plain_text_refuses_exactly_the_c0_controls(s in "\\PC{0,20}[\\x00-\\x1f]?\\PC{0,20}") {
            let has = s.chars().any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r'));
            prop_assert_eq!(plain_text("f", &s).is_err(), has);
        }

        #[test]
        fn a_nul_anywhere_is_refused(before in "\\PC{0,30}", after in "\\PC{0,30}") {
            let s = format!("{before}\0{after}");
            let e = required_text("name", &s, usize::MAX).unwrap_err();
            prop_assert_eq!(e.field, "name");
            prop_assert!(optional_text("name", Some(&s), usize::MAX).is_err());
            prop_assert!(clean_tags("tags", std::slice::from_ref(&s)).is_err());
        }

        #[test]
        fn slugify_is_url_safe(s in ".{0,50}") {
            let k = slugify(&s);
            prop_assert!(k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            prop_assert!(!k.starts_with('-') && !k.ends_with('-'));
        }

        #[test]
        fn clean_tags_is_idempotent(tags in proptest::collection::vec("[a-zA-Z0-9 _+-]{0,12}", 0..8)) {
            if let Ok(once) = clean_tags("tags", &tags) {
                prop_assert_eq!(clean_tags("tags", &once).unwrap(), once);
            }
        }
    }
}
