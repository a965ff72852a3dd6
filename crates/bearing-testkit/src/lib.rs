//! Dev-only helpers for Bearing's tests: a fresh, migrated database per test
//! on SQLite and PostgreSQL ([`test_db`]), the [`backend_test!`] macro that
//! runs one async test body on both backends, and SQL-level checks (schema
//! description for parity tests in [`schema`], statement preparation in
//! [`sql`], a before/after summary of a database's contents in
//! [`snapshot`]).
//!
//! # Running a test on both backends
//!
//! ```ignore
//! use bearing_testkit::{backend_test, TestDb};
//!
//! backend_test!(notes_round_trip, |t: TestDb| async move {
//!     let app = bearing_app::App::new(t.db.clone(), Default::default());
//!     // ... assertions; the body may return () or Result<(), E: Debug>
//! });
//! ```
//!
//! expands to a module `notes_round_trip` holding two tests, `sqlite` and
//! `postgres` (full names `…::notes_round_trip::sqlite` and
//! `…::notes_round_trip::postgres`), each a
//! `#[tokio::test(flavor = "multi_thread", worker_threads = 2)]`. The module
//! does `use super::*;`, so the body sees everything the enclosing module
//! does. Without `BEARING_TEST_PG_URL` the PostgreSQL test prints
//! `SKIPPED: no PostgreSQL (set BEARING_TEST_PG_URL)` and passes; with
//! `BEARING_TEST_REQUIRE_PG=1` it fails instead.
//!
//! The argument may be untyped (`|t| …`, a [`TestDb`]) or typed with any
//! [`TestContext`] (`|app: TestApp| …`), optionally `mut`. Attributes such as
//! `#[ignore]` may precede the name and apply to both tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// Lets `backend_test!` name this crate by path from any crate, this one included.
extern crate self as bearing_testkit;

pub mod app;
pub mod db;
pub mod schema;
pub mod snapshot;
pub mod sql;

pub use app::{DemoApp, TestApp};
pub use bearing_store::{Backend, Db, DbOptions};
pub use db::{TestContext, TestDb, empty_db, test_db, test_options};
/// The tokio this crate's macros expand to, so callers need not name their own.
pub use tokio;

use std::fmt::Debug;

/// What a test body may return: `()` or a `Result` whose error fails the test.
pub trait TestOutcome {
    /// Panic (failing the test) if this outcome is an error.
    fn check(self);
}

impl TestOutcome for () {
    fn check(self) {}
}

impl<E: Debug> TestOutcome for Result<(), E> {
    fn check(self) {
        if let Err(e) = self {
            panic!("test failed: {e:?}");
        }
    }
}

/// Print the skip notice for a backend with no database. Used by
/// [`backend_test!`].
#[doc(hidden)]
pub fn report_skipped() {
    println!("SKIPPED: no PostgreSQL (set {})", db::PG_URL_ENV);
}

/// Define a storage test that runs on SQLite and on PostgreSQL.
///
/// `backend_test!(name, |t: TestDb| async move { … })` expands to
/// `mod name { use super::*; … }` with two
/// `#[tokio::test(flavor = "multi_thread", worker_threads = 2)]` functions,
/// `sqlite` and `postgres`, each handing the body a fresh context (see the
/// crate docs). Forms accepted:
///
/// - `backend_test!(name, |t| body)` — `t` is a [`TestDb`];
/// - `backend_test!(name, |t: Ctx| body)` — `Ctx` is any [`TestContext`];
/// - either with `mut` before the argument;
/// - any of these preceded by attributes, e.g. `#[ignore]`.
///
/// The body is an expression producing a future (usually `async move { … }`)
/// whose output is `()` or `Result<(), E: Debug>`. It is not a real closure:
/// the argument is bound in the test function itself, so fields of the
/// context the body does not use (the SQLite file's directory, a server's
/// shutdown handle) stay alive until the test function returns rather than
/// being dropped when the body's future is built. After a passing body the
/// PostgreSQL database is dropped; a failing one keeps it for inspection.
///
/// Two constraints of `macro_rules!` shape the expansion: identifiers cannot
/// be pasted together, so the tests are `name::sqlite` and `name::postgres`
/// rather than `name_sqlite` and `name_postgres` (filter on `sqlite` or
/// `postgres` to run one backend); and tokio's `crate = "…"` option takes a
/// string that `$crate` cannot fill, so the calling crate must depend on
/// this one under its own name, `bearing_testkit`.
#[macro_export]
macro_rules! backend_test {
    (@expand [$($meta:tt)*] $name:ident, [$($m:tt)?] $arg:ident, $ty:ty, $body:expr) => {
        #[allow(non_snake_case)]
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $($meta)*
            #[$crate::tokio::test(crate = "::bearing_testkit::tokio", flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::backend_test!(@run $crate::Backend::Sqlite, [$($m)?] $arg, $ty, $body);
            }

            $($meta)*
            #[$crate::tokio::test(crate = "::bearing_testkit::tokio", flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::backend_test!(@run $crate::Backend::Postgres, [$($m)?] $arg, $ty, $body);
            }
        }
    };
    (@run $backend:expr, [$($m:tt)?] $arg:ident, $ty:ty, $body:expr) => {
        let ::std::option::Option::Some($($m)? $arg) =
            <$ty as $crate::TestContext>::create($backend).await
        else {
            $crate::report_skipped();
            return;
        };
        let cleanup = $crate::TestContext::test_db(&$arg).cleanup();
        $crate::TestOutcome::check(($body).await);
        if let ::std::option::Option::Some(c) = cleanup {
            c.run().await;
        }
    };
    ($(#[$meta:meta])* $name:ident, |mut $arg:ident : $ty:ty| $body:expr $(,)?) => {
        $crate::backend_test!(@expand [$(#[$meta])*] $name, [mut] $arg, $ty, $body);
    };
    ($(#[$meta:meta])* $name:ident, |mut $arg:ident| $body:expr $(,)?) => {
        $crate::backend_test!(@expand [$(#[$meta])*] $name, [mut] $arg, $crate::TestDb, $body);
    };
    ($(#[$meta:meta])* $name:ident, |$arg:ident : $ty:ty| $body:expr $(,)?) => {
        $crate::backend_test!(@expand [$(#[$meta])*] $name, [] $arg, $ty, $body);
    };
    ($(#[$meta:meta])* $name:ident, |$arg:ident| $body:expr $(,)?) => {
        $crate::backend_test!(@expand [$(#[$meta])*] $name, [] $arg, $crate::TestDb, $body);
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    backend_test!(macro_expands_inside_this_crate, |t| async move {
        t.db.ping().await.unwrap();
        assert_eq!(t.db.backend(), t.backend);
        assert!(t.db.pending_migrations().await.unwrap().is_empty());
    });

    backend_test!(
        macro_accepts_typed_result_bodies,
        |mut t: TestDb| async move {
            t.db = t.connect().await;
            t.db.ping().await?;
            Ok::<(), bearing_store::StoreError>(())
        }
    );

    #[test]
    fn template_name_is_stable_and_short() {
        let a = db::template_name();
        assert_eq!(a, db::template_name());
        assert!(a.len() < 63, "PostgreSQL identifiers are at most 63 bytes");
    }
}
