//! Cleaning free-text input shared by every aggregate: required and
//! optional text, tags and labels, dates, URLs, emails and URL-safe keys.
//! Each returns the cleaned value or a [`ValidationError`] naming the field.

use crate::error::ValidationError;
use crate::limits::*;

/// Trimmed text that must not be blank, at most `max_chars` characters.
pub fn required_text(
    field: &str,
    value: &str,
    max_chars: usize,
) -> Result<String, ValidationError> {
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

    proptest! {
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
