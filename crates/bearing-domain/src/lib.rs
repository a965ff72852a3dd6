//! Bearing's domain: the words product managers use (notes, ideas, customers,
//! product areas) as plain Rust types, plus the rules that govern them.
//!
//! This crate does no I/O and knows nothing of SQL, HTTP or async; the store,
//! the app layer, the web server and the CLI all speak these types.
#![forbid(unsafe_code)]

pub mod bm25;
pub mod cursor;
pub mod demand;
pub mod entities;
pub mod enums;
pub mod error;
pub mod exercise;
pub mod ids;
pub mod inputs;
pub mod limits;
pub mod merge;
pub mod query;
pub mod rank;
pub mod rice;
pub mod search;
pub mod timestamp;
pub mod voting;

pub use cursor::{Cursor, CursorKey, Page};
pub use demand::{DemandSignal, demand_score, importance_weight};
pub use entities::*;
pub use enums::*;
pub use error::ValidationError;
pub use exercise::{ExerciseResult, FactorSpread, Scorecard};
pub use ids::*;
pub use inputs::*;
pub use query::*;
pub use rank::{initial_ranks, rank_between};
pub use rice::{ReachMode, Rice, RiceInput, rice_score};
pub use timestamp::Timestamp;
pub use voting::{MatrixPoint, Quadrant, SessionLimits, Tally, VoteKind};
