//! Bearing's storage: the only crate that speaks SQL.
//!
//! [`Db`] is one connection pool over either SQLite (embedded default) or
//! PostgreSQL (scale-out), chosen from the URL scheme. Static queries are SQL
//! constants with `$1` placeholders that both drivers accept, run through the
//! `on_db!`/`on_tx!` dispatch macros; dynamic list queries are built with
//! sea-query, which renders each dialect. Repositories are `impl Db` blocks,
//! one file per aggregate, each holding its SQL beside its row type.
#![forbid(unsafe_code)]

#[macro_use]
mod dispatch;

pub mod activity;
pub mod areas;
pub mod bulk;
pub mod comments;
pub mod customers;
pub mod db;
pub mod error;
pub mod exercises;
pub mod ideas;
pub mod links;
pub mod list;
pub mod maintenance;
pub mod merges;
pub mod migrate;
pub mod notes;
pub mod prioritisation;
pub mod rows;
pub mod search;
pub mod search_plan;
pub mod sessions;
pub mod users;

pub use db::{Backend, Db, DbOptions, Tx};
pub use error::{StoreError, StoreResult};
