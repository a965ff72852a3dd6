//! Query-string parsing with errors that name the parameter and list what is
//! allowed; unknown parameters are refused rather than silently ignored, and
//! so is a value holding NUL or another control character (the domain's
//! `plain_text` rule), before any of it can reach the database.

use crate::error::ApiError;
use bearing_domain::{PageRequest, ValidationError, plain_text};
use std::collections::HashMap;
use std::str::FromStr;

/// The query parameters of one request.
pub(crate) struct Params(pub HashMap<String, String>);

impl Params {
    /// Refuse parameters outside `allowed` (plus `cursor`, `limit`, `sort`),
    /// and any value holding a control character. Every handler that reads
    /// a query string calls this first, so it is the one gate for both.
    pub fn only(&self, allowed: &[&str]) -> Result<(), ApiError> {
        for (k, v) in &self.0 {
            // The name first: a name with a control character is unknown
            // anyway, but its message would print the character.
            if plain_text("parameter name", k).is_err() {
                return Err(ApiError::invalid(
                    &k.escape_debug().to_string(),
                    "a query parameter's name may not contain a control character",
                ));
            }
            plain_text(k, v)?;
        }
        for k in self.0.keys() {
            if !allowed.contains(&k.as_str()) && !matches!(k.as_str(), "cursor" | "limit" | "sort")
            {
                let mut all: Vec<&str> = allowed.to_vec();
                all.extend(["sort", "cursor", "limit"]);
                return Err(ApiError::invalid(
                    k,
                    format!("unknown query parameter '{k}'; allowed: {}", all.join(", ")),
                ));
            }
        }
        Ok(())
    }

    fn raw(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    /// A vocabulary value (state, source, status…).
    pub fn vocab<T>(
        &self,
        name: &str,
        parse: fn(&str, &str) -> Result<T, ValidationError>,
    ) -> Result<Option<T>, ApiError> {
        self.raw(name)
            .map(|v| parse(v, name))
            .transpose()
            .map_err(ApiError::from)
    }

    /// An id.
    pub fn id<T: FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        self.raw(name)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|_| ApiError::invalid(name, format!("'{v}' is not an id")))
            })
            .transpose()
    }

    /// Free text.
    pub fn text(&self, name: &str) -> Option<String> {
        self.raw(name).map(str::to_string)
    }

    /// A number.
    pub fn float(&self, name: &str) -> Result<Option<f64>, ApiError> {
        self.raw(name)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .ok_or_else(|| ApiError::invalid(name, format!("'{v}' is not a number")))
            })
            .transpose()
    }

    /// A boolean: true/false.
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.raw(name) {
            None => Ok(None),
            Some("true" | "1") => Ok(Some(true)),
            Some("false" | "0") => Ok(Some(false)),
            Some(v) => Err(ApiError::invalid(
                name,
                format!("'{v}' is not true or false"),
            )),
        }
    }

    /// The sort order.
    pub fn sort<T: Default>(
        &self,
        parse: fn(&str) -> Result<T, ValidationError>,
    ) -> Result<T, ApiError> {
        self.raw("sort")
            .map(parse)
            .transpose()
            .map(Option::unwrap_or_default)
            .map_err(ApiError::from)
    }

    /// The page: `cursor` and `limit`.
    pub fn page(&self) -> Result<PageRequest, ApiError> {
        let limit =
            match self.raw("limit") {
                None => None,
                Some(l) => Some(l.parse::<u32>().map_err(|_| {
                    ApiError::invalid("limit", format!("'{l}' is not a whole number"))
                })?),
            };
        PageRequest::parse(self.raw("cursor"), limit).map_err(ApiError::from)
    }
}

/// Parse a path id, answering 404 for anything that is not one.
pub(crate) fn path_id<T: FromStr>(raw: &str, what: &str) -> Result<T, ApiError> {
    raw.parse::<T>().map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
            None,
        )
    })
}
