//! Lists one page at a time: what page a caller asks for
//! ([`PageRequest`]), the page it gets back ([`Page`]) and the opaque
//! cursor between them. Cursors hold the sort key and id of the last row
//! of a page, so the next page starts right after it with an index seek
//! instead of an OFFSET scan.

use crate::error::ValidationError;
use crate::limits::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The sort value of the last row seen, alongside its id as tie-breaker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CursorKey {
    /// No separate key: the list is ordered by id alone.
    None,
    /// An integer sort key (timestamps, ARR).
    Int(i64),
    /// A text sort key (names, titles), already lowercased.
    Text(String),
    /// A floating-point sort key (scores). Listed after `Int` so whole
    /// numbers written as integers still read back as `Int`.
    Float(f64),
}

/// Where the next page starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cursor {
    /// Sort key of the last row.
    #[serde(rename = "k")]
    pub key: CursorKey,
    /// Id of the last row.
    #[serde(rename = "i")]
    pub id: Uuid,
}

impl Cursor {
    /// Encode as a URL-safe opaque string.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        URL_SAFE_NO_PAD.encode(json)
    }

    /// Decode a string made by [`Cursor::encode`]; `None` if it is not one.
    pub fn decode(s: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(s.trim()).ok()?;
        serde_json::from_slice(&bytes).ok()
    }
}

/// One page of a list and where the next one starts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Which page of a list: where to start and how many rows.
#[derive(Clone, Debug, PartialEq)]
pub struct PageRequest {
    /// Start after this row; `None` for the first page.
    pub after: Option<Cursor>,
    /// Rows per page, 1 to [`MAX_PAGE_SIZE`].
    pub limit: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            after: None,
            limit: DEFAULT_PAGE_SIZE,
        }
    }
}

impl PageRequest {
    /// Build from the raw `cursor` and `limit` a client sent.
    pub fn parse(cursor: Option<&str>, limit: Option<u32>) -> Result<Self, ValidationError> {
        let after = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => Some(Cursor::decode(c).ok_or_else(|| {
                ValidationError::new(
                    "cursor",
                    "cursor is not one this server issued; start from the first page",
                )
            })?),
        };
        let limit = limit.unwrap_or(DEFAULT_PAGE_SIZE);
        if !(1..=MAX_PAGE_SIZE).contains(&limit) {
            return Err(ValidationError::new(
                "limit",
                format!("limit must be between 1 and {MAX_PAGE_SIZE}"),
            ));
        }
        Ok(Self { after, limit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn text_cursor_round_trips(s in ".{0,40}", n in any::<u128>()) {
            let c = Cursor { key: CursorKey::Text(s), id: Uuid::from_u128(n) };
            prop_assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }

        #[test]
        fn int_cursor_round_trips(k in any::<i64>(), n in any::<u128>()) {
            let c = Cursor { key: CursorKey::Int(k), id: Uuid::from_u128(n) };
            prop_assert_eq!(Cursor::decode(&c.encode()), Some(c));
        }

        #[test]
        fn garbage_never_panics(s in ".{0,60}") {
            let _ = Cursor::decode(&s);
        }
    }

    #[test]
    fn float_key_round_trips() {
        let c = Cursor {
            key: CursorKey::Float(2.5),
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
        let whole = Cursor {
            key: CursorKey::Float(4000.0),
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode(&whole.encode()), Some(whole));
    }

    #[test]
    fn none_key_round_trips() {
        let c = Cursor {
            key: CursorKey::None,
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode(&c.encode()), Some(c));
    }
}
