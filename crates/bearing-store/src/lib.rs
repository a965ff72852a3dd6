//! Bearing's storage: the only crate that speaks SQL.
//!
//! [`Db`] is one connection pool over either SQLite (embedded default) or
//! PostgreSQL (scale-out), chosen from the URL scheme. Static queries are SQL
//! constants with `$1` placeholders that both drivers accept, run through the
//! `on_db!`/`on_tx!` dispatch macros; dynamic list queries are built with
//! sea-query, which renders each dialect. One file per aggregate, each
//! holding its SQL beside its row type: reads are `impl Db` methods on the
//! pool; writes happen in a unit of work, a [`Tx`], through its
//! per-aggregate handle (`tx.ideas()`, `tx.notes()`, …), and every change
//! is recorded through the one change hook, [`Tx::record`]. No business
//! rule lives here: the app decides, the store reads and writes rows.
#![forbid(unsafe_code)]

#[macro_use]
mod dispatch;

pub mod accounts;
pub mod areas;
pub mod board;
pub mod bulk;
pub mod changes;
pub mod comments;
pub mod customers;
pub mod db;
pub mod demand;
pub mod error;
pub mod exercises;
pub mod idea_refs;
pub mod ideas;
pub mod idempotency;
pub mod links;
pub mod list;
pub mod maintenance;
pub mod merges;
pub mod migrate;
pub mod notes;
pub mod rows;
pub mod search;
pub mod search_plan;
pub mod sessions;
pub mod settings;

pub use db::{Backend, Db, DbOptions, Tx};
pub use error::{BackendError, StoreError, StoreResult};
