//! Idempotency keys: per caller, the request first sent with a key and,
//! once it finished, its answer (table `idempotency_keys`). Written
//! straight on the pool, like sign-ins: a claim must be visible to every
//! other server the moment it is made, not when some workflow's
//! transaction commits, and it is bookkeeping, not a change to the
//! workspace. What a claim conflict means, and when a record lapses, is
//! decided in `bearing_domain::idempotency`; this file only reads and
//! writes rows.
//!
//! A record's `created_at` is also its claim's identity: finishing,
//! releasing and taking over all match on it, so an attempt whose claim
//! was taken over (it was presumed abandoned) cannot overwrite or delete
//! the newer claim.

use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use bearing_domain::idempotency::{IdempotencyKey, KeyRecord, StoredResponse};
use bearing_domain::{Timestamp, UserId};

/// The request a claim is made for, as stored.
#[derive(Clone, Copy, Debug)]
pub struct KeyedRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path and query, as sent.
    pub path: &'a str,
    /// The request's fingerprint (see the app's `fingerprint`).
    pub fingerprint: &'a str,
}

#[derive(sqlx::FromRow)]
struct KeyRow {
    fingerprint: String,
    state: String,
    response_status: Option<i64>,
    response_content_type: Option<String>,
    response_body: Option<Vec<u8>>,
    created_at: i64,
}

impl TryFrom<KeyRow> for KeyRecord {
    type Error = StoreError;
    fn try_from(r: KeyRow) -> StoreResult<KeyRecord> {
        let response = match r.state.as_str() {
            "in_flight" => None,
            "done" => {
                let status = r
                    .response_status
                    .and_then(|s| u16::try_from(s).ok())
                    .ok_or_else(|| StoreError::corrupt("idempotency key done without a status"))?;
                Some(StoredResponse {
                    status,
                    content_type: r.response_content_type,
                    body: r.response_body.unwrap_or_default(),
                })
            }
            other => {
                return Err(StoreError::corrupt(format!(
                    "idempotency key state '{other}'"
                )));
            }
        };
        Ok(KeyRecord {
            fingerprint: r.fingerprint,
            created_at: Timestamp(r.created_at),
            response,
        })
    }
}

// A row's `state` is 'in_flight' while its request runs and 'done' once
// its answer is stored (literals, like the migration's CHECK, so every
// statement is one constant the prepare test can check).
const CLAIM: &str = "INSERT INTO idempotency_keys (user_id, key, method, path, fingerprint, state, created_at) VALUES ($1, $2, $3, $4, $5, 'in_flight', $6) ON CONFLICT (user_id, key) DO NOTHING";
const RECORD: &str = "SELECT fingerprint, state, response_status, response_content_type, response_body, created_at FROM idempotency_keys WHERE user_id = $1 AND key = $2";
const TAKE_OVER: &str = "UPDATE idempotency_keys SET method = $3, path = $4, fingerprint = $5, state = 'in_flight', response_status = NULL, response_content_type = NULL, response_body = NULL, created_at = $6 WHERE user_id = $1 AND key = $2 AND created_at = $7";
const FINISH: &str = "UPDATE idempotency_keys SET state = 'done', response_status = $4, response_content_type = $5, response_body = $6 WHERE user_id = $1 AND key = $2 AND created_at = $3 AND state = 'in_flight'";
const RELEASE: &str = "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at = $3 AND state = 'in_flight'";
const PURGE: &str = "DELETE FROM idempotency_keys WHERE created_at < $1";

impl Db {
    /// Claim `key` for `user` at `now`, marking the request in flight.
    /// False if the key is already on record (whatever its state): one
    /// atomic insert, so of two simultaneous claims exactly one wins.
    pub async fn claim_idempotency_key(
        &self,
        user: UserId,
        key: &IdempotencyKey,
        req: KeyedRequest<'_>,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let n = on_db!(self, p => sqlx::query(CLAIM).bind(user.0).bind(key.as_str()).bind(req.method).bind(req.path).bind(req.fingerprint).bind(now.0).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// The record of `user`'s `key`, if there is one.
    pub async fn idempotency_key(
        &self,
        user: UserId,
        key: &IdempotencyKey,
    ) -> StoreResult<Option<KeyRecord>> {
        let row: Option<KeyRow> = on_db!(self, p => sqlx::query_as(RECORD).bind(user.0).bind(key.as_str()).fetch_optional(p).await)?;
        row.map(KeyRecord::try_from).transpose()
    }

    /// Claim a key whose record lapsed (expired or abandoned), provided it
    /// is still the record claimed at `was`: of two attempts taking it
    /// over at once, exactly one succeeds. True if this one did.
    pub async fn take_over_idempotency_key(
        &self,
        user: UserId,
        key: &IdempotencyKey,
        req: KeyedRequest<'_>,
        was: Timestamp,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let n = on_db!(self, p => sqlx::query(TAKE_OVER).bind(user.0).bind(key.as_str()).bind(req.method).bind(req.path).bind(req.fingerprint).bind(now.0).bind(was.0).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Store the answer of the attempt that claimed `key` at `claimed_at`.
    /// False if that claim is gone (taken over meanwhile).
    pub async fn finish_idempotency_key(
        &self,
        user: UserId,
        key: &IdempotencyKey,
        claimed_at: Timestamp,
        response: &StoredResponse,
    ) -> StoreResult<bool> {
        let n = on_db!(self, p => sqlx::query(FINISH).bind(user.0).bind(key.as_str()).bind(claimed_at.0).bind(i64::from(response.status)).bind(response.content_type.as_deref()).bind(&response.body[..]).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Forget the unfinished claim made at `claimed_at`, so a retry runs
    /// the request again.
    pub async fn release_idempotency_key(
        &self,
        user: UserId,
        key: &IdempotencyKey,
        claimed_at: Timestamp,
    ) -> StoreResult<()> {
        on_db!(self, p => sqlx::query(RELEASE).bind(user.0).bind(key.as_str()).bind(claimed_at.0).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Delete every key claimed before `cutoff`; returns how many.
    pub async fn purge_idempotency_keys(&self, cutoff: Timestamp) -> StoreResult<u64> {
        Ok(
            on_db!(self, p => sqlx::query(PURGE).bind(cutoff.0).execute(p).await.map(|r| r.rows_affected()))?,
        )
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[CLAIM, RECORD, TAKE_OVER, FINISH, RELEASE, PURGE];
