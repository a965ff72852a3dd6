//! Bearing's domain: the words product managers use (notes, ideas, customers,
//! product areas) as plain Rust types, plus the rules that govern them.
//!
//! This crate does no I/O and knows nothing of SQL, HTTP or async; the store,
//! the app layer, the web server and the CLI all speak these types.
#![forbid(unsafe_code)]

pub mod cursor;
pub mod entities;
pub mod enums;
pub mod error;
pub mod ids;
pub mod inputs;
pub mod limits;
pub mod query;
pub mod timestamp;

pub use cursor::{Cursor, CursorKey, Page};
pub use entities::*;
pub use enums::*;
pub use error::ValidationError;
pub use ids::*;
pub use inputs::*;
pub use query::*;
pub use timestamp::Timestamp;
