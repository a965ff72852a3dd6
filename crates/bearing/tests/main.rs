//! The one integration-test binary (one link step keeps CI fast).
//! Every storage and HTTP test runs on SQLite and PostgreSQL via `backend_test!`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

/// JSON API: every endpoint over real HTTP, errors, persistence.
mod api;
/// Pages in headless Chromium: sign in, triage a note into an idea.
mod browser;
/// The `bearing` binary run as an operator would.
mod cli;
/// Similar-ideas quality: recall@5 on a labelled set, both backends.
mod quality;
/// Storage: migrations, schema parity, every SQL statement, repositories.
mod store;
