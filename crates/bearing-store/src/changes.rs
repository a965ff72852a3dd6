//! The one change hook's storage: every mutation calls [`Tx::record`] with
//! a typed [`Change`] inside the transaction that makes it, so the record
//! can never disagree with the data. Today a change becomes an entry in the
//! activity log; the audit log, the notification outbox and webhooks will
//! be written from the same call, in the same transaction.

use crate::db::{Db, Tx};
use crate::error::StoreResult;
use bearing_domain::{Activity, ActivityId, Change, Timestamp, UserId};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: Uuid,
    entity_type: String,
    entity_id: Uuid,
    actor_id: Option<Uuid>,
    action: String,
    before_json: Option<String>,
    after_json: Option<String>,
    at: i64,
}

const INSERT_ACTIVITY: &str = "INSERT INTO activity (id, entity_type, entity_id, actor_id, action, before_json, after_json, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const ACTIVITY_OF: &str = "SELECT id, entity_type, entity_id, actor_id, action, before_json, after_json, at FROM activity WHERE entity_id = $1 ORDER BY id DESC LIMIT $2";

impl Tx {
    /// Record `change`, made in this transaction. The one place every
    /// change passes through: what follows from a change (activity today;
    /// audit, notifications and webhooks to come) starts here.
    pub async fn record(&mut self, change: &Change) -> StoreResult<()> {
        let before = change.before.as_ref().map(|v| v.to_string());
        let after = change.after.as_ref().map(|v| v.to_string());
        on_tx!(self, conn => sqlx::query(INSERT_ACTIVITY)
            .bind(ActivityId::new().0).bind(change.entity.as_str()).bind(change.entity_id)
            .bind(change.actor.map(|a| a.0)).bind(change.action.as_str()).bind(before).bind(after)
            .bind(Timestamp::now().0)
            .execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// The latest `limit` changes to one entity, newest first.
    pub async fn activity_of(&self, entity_id: Uuid, limit: i64) -> StoreResult<Vec<Activity>> {
        let rows: Vec<ActivityRow> = on_db!(self, p => sqlx::query_as(ACTIVITY_OF).bind(entity_id).bind(limit).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| Activity {
                id: ActivityId(r.id),
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                actor_id: r.actor_id.map(UserId),
                action: r.action,
                before: r.before_json.and_then(|s| serde_json::from_str(&s).ok()),
                after: r.after_json.and_then(|s| serde_json::from_str(&s).ok()),
                at: Timestamp(r.at),
            })
            .collect())
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[INSERT_ACTIVITY, ACTIVITY_OF];
