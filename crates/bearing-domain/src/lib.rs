//! Bearing's domain: the words product managers use (notes, ideas, customers,
//! product areas) as plain Rust types, plus the rules that govern them.
//!
//! One module per aggregate, each holding its ids, entity, vocabulary,
//! inputs, rules and refusals: `account`, `customer`, `area`, `note`,
//! `link`, `idea`, `prioritisation::{rice, demand, exercise, session,
//! board}`, `merge` and `search`; `idempotency` holds the rules for
//! retried creates. Shared pieces: `change` (the record every
//! mutation makes), `page` (pagination), `text` (input cleaning), `error`,
//! `limits` and `timestamp`. Ids are declared with one macro (`id`), closed
//! vocabularies with another (`vocabulary`).
//!
//! This crate does no I/O and knows nothing of SQL, HTTP or async; the store,
//! the app layer, the web server and the CLI all speak these types. The most
//! used types are re-exported here, so `use bearing_domain::*` brings in the
//! vocabulary of the product.
#![forbid(unsafe_code)]

#[macro_use]
mod id;
#[macro_use]
mod vocabulary;

pub mod account;
pub mod area;
pub mod change;
pub mod customer;
pub mod error;
pub mod idea;
pub mod idempotency;
pub mod limits;
pub mod link;
pub mod merge;
pub mod note;
pub mod page;
pub mod prioritisation;
pub mod search;
pub mod text;
pub mod timestamp;

pub use account::*;
pub use area::*;
pub use change::*;
pub use customer::*;
pub use error::{Refusal, RefusalKind, ValidationError};
pub use idea::*;
pub use link::*;
pub use note::*;
pub use page::*;
pub use prioritisation::board::{initial_ranks, rank_between};
pub use prioritisation::demand::{DemandSignal, demand_score, importance_weight};
pub use prioritisation::exercise::{ExerciseResult, FactorSpread, Scorecard};
pub use prioritisation::rice::{ReachMode, Rice, RiceInput, rice_score};
pub use prioritisation::session::{MatrixPoint, Quadrant, SessionLimits, Tally, VoteKind};
pub use text::{clean_date, clean_tags, looks_like_email, plain_opt, plain_text, slugify};
pub use timestamp::Timestamp;
