//! How lists are asked for: filters, sort orders and page requests for
//! notes, ideas and customers. The store turns these into keyset queries.

use crate::cursor::Cursor;
use crate::enums::*;
use crate::error::ValidationError;
use crate::ids::*;
use crate::limits::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

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

macro_rules! sort_order {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }
        impl $name {
            /// Every order, in menu order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Stable key used in URLs and the API.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $key),+ } }
            /// Label for menus.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            /// Parse a key, listing the allowed ones on failure.
            pub fn parse(s: &str) -> Result<Self, ValidationError> {
                match s.trim() {
                    $($key => Ok($name::$variant),)+
                    other => Err(ValidationError::new("sort", format!(
                        "'{other}' is not a sort order here; allowed: {}",
                        Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")))),
                }
            }
        }
    };
}

sort_order!(
    /// Orders for notes.
    NoteSort {
        /// Most recently logged first.
        #[default]
        Newest => "newest", "Newest first";
        /// Oldest first, for working a backlog down.
        Oldest => "oldest", "Oldest first";
    }
);

sort_order!(
    /// Orders for ideas.
    IdeaSort {
        /// Most recently created first.
        #[default]
        Newest => "newest", "Newest first";
        /// Oldest first.
        Oldest => "oldest", "Oldest first";
        /// Most recently changed first.
        Updated => "updated", "Recently updated";
        /// Alphabetical by title.
        Title => "title", "Title A–Z";
        /// Highest RICE score first; unscored ideas last.
        Rice => "rice", "Highest RICE score";
        /// Highest customer demand first.
        Demand => "demand", "Highest customer demand";
    }
);

sort_order!(
    /// Orders for customers.
    CustomerSort {
        /// Alphabetical by name.
        #[default]
        Name => "name", "Name A–Z";
        /// Largest ARR first.
        Arr => "arr", "Highest ARR";
        /// Most recently added first.
        Newest => "newest", "Newest first";
    }
);

/// Filters for the notes list; every set field narrows the list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoteFilter {
    /// Triage state.
    pub state: Option<NoteState>,
    /// Source.
    pub source: Option<NoteSource>,
    /// Importance.
    pub importance: Option<Importance>,
    /// From this customer.
    pub customer_id: Option<CustomerId>,
    /// Linked to this idea.
    pub idea_id: Option<IdeaId>,
    /// Linked to an idea in this area.
    pub area_id: Option<AreaId>,
    /// Carrying this tag.
    pub tag: Option<String>,
    /// Only public-safe notes.
    pub public_safe: Option<bool>,
}

/// Filters for the ideas list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct IdeaFilter {
    /// Status.
    pub status: Option<IdeaStatus>,
    /// Area.
    pub area_id: Option<AreaId>,
    /// Carrying this label.
    pub label: Option<String>,
    /// Owned by this user.
    pub owner_id: Option<UserId>,
    /// Asked for by this customer (through linked notes).
    pub customer_id: Option<CustomerId>,
    /// RICE score at least this.
    pub min_rice: Option<f64>,
}

/// Filters for the customers list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerFilter {
    /// Segment.
    pub segment: Option<Segment>,
    /// Owned by this user.
    pub owner_id: Option<UserId>,
}
