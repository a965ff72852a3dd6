//! Workspace settings (e.g. the RICE reach scale), a key and a value each:
//! read from the pool, written in a unit of work (`tx.settings()`).

use crate::db::{Db, Tx};
use crate::error::StoreResult;
use bearing_domain::Timestamp;

const GET_SETTING: &str = "SELECT value FROM settings WHERE key = $1";
const PUT_SETTING: &str = "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

/// Settings inside a unit of work: `tx.settings()`.
pub struct SettingsTx<'t>(&'t mut Tx);

impl Tx {
    /// Write settings in this transaction.
    pub fn settings(&mut self) -> SettingsTx<'_> {
        SettingsTx(self)
    }
}

impl SettingsTx<'_> {
    /// A setting as it stands in this transaction.
    pub async fn get(&mut self, key: &str) -> StoreResult<Option<String>> {
        Ok(
            on_tx!(&mut *self.0, c => sqlx::query_scalar(GET_SETTING).bind(key).fetch_optional(c).await)?,
        )
    }

    /// Set a setting.
    pub async fn put(&mut self, key: &str, value: &str, at: Timestamp) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(PUT_SETTING).bind(key).bind(value).bind(at.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// A workspace setting.
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(on_db!(self, p => sqlx::query_scalar(GET_SETTING).bind(key).fetch_optional(p).await)?)
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[GET_SETTING, PUT_SETTING];
