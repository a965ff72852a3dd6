//! Small conversions between stored primitives and domain values, shared by
//! the repositories.

use crate::error::{StoreError, StoreResult};

/// Parse a stored vocabulary key (role, state, …) back into its enum.
pub(crate) fn key<T: std::str::FromStr>(s: &str, what: &str) -> StoreResult<T> {
    s.parse::<T>()
        .map_err(|_| StoreError::corrupt(format!("unknown {what} '{s}' in database")))
}

/// Read a stored JSON list of strings (tags, labels, links).
pub(crate) fn string_list(s: &str) -> Vec<String> {
    serde_json::from_str(s).unwrap_or_default()
}

/// Store a list of strings as JSON text.
pub(crate) fn to_json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// The `rice_sort` column for a RICE score: the score, or -1 for an unscored
/// idea (a NULL-free sort key, as the engines disagree on where NULLs sort).
pub(crate) fn rice_sort(score: Option<f64>) -> f64 {
    score.unwrap_or(-1.0)
}
