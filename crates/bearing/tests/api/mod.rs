//! HTTP API tests: the real router on 127.0.0.1:0, called over HTTP, on
//! SQLite and PostgreSQL.

mod auth;
mod customers;
mod errors;
mod exercises;
mod ideas;
mod merges;
mod notes;
mod openapi;
mod prioritisation;
mod process;
mod search;
mod sessions;
