//! Bearing's use cases over the store: who may do what, and the workflows
//! (log a note, process it into ideas, merge ideas, move one on the board).
//! No HTTP types: the web server and the CLI both call these functions.
//!
//! Every workflow that changes anything runs in one unit of work: it opens
//! a transaction (`self.db.begin()`), checks and writes through the
//! store's per-aggregate handles (`tx.ideas()`, …), records each change
//! through the one change hook (`tx.record`), and commits — so a check and
//! the write it guards cannot be separated by another request. The steps
//! several workflows share live in `unit`.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod customers;
pub mod demo;
pub mod error;
pub mod exercises;
pub mod generate;
pub mod ideas;
pub mod idempotency;
pub mod maintenance;
pub mod merges;
pub mod notes;
pub mod prioritisation;
pub mod search;
pub mod sessions;
mod unit;
pub mod views;

pub use bearing_store::Backend;
use bearing_store::Db;
pub use error::{AppError, AppResult};
pub use unit::board_refused;

use bearing_domain::{Role, User, ValidationError};
use std::sync::Arc;
use std::sync::atomic::AtomicI64;

/// Settings the use cases need.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// Largest note text accepted, in bytes.
    pub max_note_bytes: usize,
    /// How long a sign-in lasts, in hours (the `session_hours` setting).
    pub sign_in_hours: i64,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            max_note_bytes: bearing_domain::limits::DEFAULT_MAX_NOTE_BYTES,
            sign_in_hours: 24 * 14,
        }
    }
}

/// The application: storage plus configuration. Cheap to clone. The
/// storage is private: everything outside this crate goes through a use case.
#[derive(Clone, Debug)]
pub struct App {
    db: Db,
    /// Settings.
    pub config: AppConfig,
    /// When this server last purged expired idempotency keys (epoch ms),
    /// shared by its clones so one server purges at most once a period.
    idempotency_purged_at: Arc<AtomicI64>,
}

impl App {
    /// Wrap a connected, migrated database.
    pub fn new(db: Db, config: AppConfig) -> Self {
        Self {
            db,
            config,
            idempotency_purged_at: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Which database engine the app runs on.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// Cheap liveness check of the database, for `/healthz`.
    pub async fn ping(&self) -> AppResult<()> {
        Ok(self.db.ping().await?)
    }

    /// Close every pooled connection (at shutdown).
    pub async fn close(&self) {
        self.db.close().await
    }
}

/// Who is acting: the signed-in user, checked against what each call needs.
#[derive(Clone, Debug)]
pub struct Actor {
    /// The user.
    pub user: User,
}

impl Actor {
    /// Bearing itself, for changes no person made (demo data, bulk loads,
    /// imports): an admin whose changes record no actor.
    pub fn system() -> Actor {
        Actor {
            user: User {
                id: bearing_domain::UserId(uuid::Uuid::nil()),
                email: "system@bearing.invalid".into(),
                name: "Bearing".into(),
                role: Role::Admin,
                created_at: bearing_domain::Timestamp(0),
            },
        }
    }

    /// Refuse unless the user may log feedback and comment.
    pub fn must_contribute(&self) -> AppResult<()> {
        if self.user.role.can_contribute() {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "viewers can read but not change anything".into(),
            ))
        }
    }
    /// Refuse unless the user may triage and manage ideas.
    pub fn must_manage(&self) -> AppResult<()> {
        if self.user.role.can_manage() {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                "only product managers and admins can do this".into(),
            ))
        }
    }
    /// Refuse unless the user is an admin.
    pub fn must_admin(&self) -> AppResult<()> {
        if self.user.role == Role::Admin {
            Ok(())
        } else {
            Err(AppError::Forbidden("only admins can do this".into()))
        }
    }
    /// The user's id, for recording who did what; none for [`Actor::system`].
    pub fn id(&self) -> Option<bearing_domain::UserId> {
        (!self.user.id.0.is_nil()).then_some(self.user.id)
    }
}

/// Map a store "not found" on a referenced id to a validation error on `field`.
pub(crate) fn missing_ref(field: &str, what: &str) -> impl FnOnce(AppError) -> AppError {
    let field = field.to_string();
    let what = what.to_string();
    move |e| match e {
        AppError::NotFound(_) => AppError::Invalid(ValidationError::new(
            field,
            format!("no {what} with that id"),
        )),
        other => other,
    }
}
