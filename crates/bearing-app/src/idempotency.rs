//! Idempotent requests, as use cases: admit a request that carries an
//! idempotency key (claim the key, or say why not: replay, reused, in
//! progress), then record the answer it got, and purge keys past their 24
//! hours. The web server runs the request in between; the rules come from
//! `bearing_domain::idempotency`.
//!
//! Keys are scoped per user: two callers may use the same key without
//! meeting, and one caller's keys hold across all its API tokens and
//! sign-ins, so an importer retrying with a rotated token still finds its
//! key.

use crate::{Actor, App, AppResult};
use base64::Engine;
use bearing_domain::idempotency::{
    IdempotencyKey, KeyDecision, StoredResponse, decide, expiry_cutoff, keeps_response,
};
use bearing_domain::{Timestamp, UserId};
use bearing_store::idempotency::KeyedRequest;
use sha2::{Digest, Sha256};
use std::sync::atomic::Ordering;

/// How often, at most, one server purges expired keys on its own, in
/// milliseconds. Expired keys are already ignored, so the purge only
/// reclaims space; every ten minutes keeps each purge small (ten minutes'
/// worth of keys from a day ago) without writing on every request.
const PURGE_EVERY_MS: i64 = 10 * 60_000;

/// How many times a request tries to claim a key whose record keeps
/// changing under it (released, or taken over by another retry) before it
/// answers "in progress".
const CLAIM_ATTEMPTS: usize = 3;

/// A request carrying an idempotency key, as the web server saw it.
#[derive(Clone, Copy, Debug)]
pub struct KeyedCall<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path and query, as sent.
    pub path: &'a str,
    /// The raw body.
    pub body: &'a [u8],
}

/// What becomes of a request with an idempotency key.
#[derive(Debug)]
pub enum Admission {
    /// The key is this request's now: run it, then record its answer with
    /// [`App::finish_idempotent`].
    Run(Claim),
    /// The same request already finished: send this answer again.
    Replay(StoredResponse),
    /// The key was used with a different request within 24 hours.
    Reused,
    /// The same request is still running elsewhere: retry in a moment.
    InProgress,
}

/// A key claimed for one attempt of a request.
#[derive(Clone, Debug)]
pub struct Claim {
    user: UserId,
    key: IdempotencyKey,
    claimed_at: Timestamp,
}

/// The fingerprint of a request: SHA-256 of its method, path and body.
/// Method and path hold no newline, so the separators make it unambiguous.
pub fn fingerprint(call: &KeyedCall<'_>) -> String {
    let mut h = Sha256::new();
    h.update(call.method.as_bytes());
    h.update(b"\n");
    h.update(call.path.as_bytes());
    h.update(b"\n");
    h.update(call.body);
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(h.finalize())
}

impl App {
    /// Admit `actor`'s request `call` sent with `key`: claim the key if it
    /// is new or its record lapsed, else say what the record calls for.
    pub async fn admit_idempotent(
        &self,
        actor: &Actor,
        key: &IdempotencyKey,
        call: KeyedCall<'_>,
    ) -> AppResult<Admission> {
        let user = actor.user.id;
        let fp = fingerprint(&call);
        let req = KeyedRequest {
            method: call.method,
            path: call.path,
            fingerprint: &fp,
        };
        for _ in 0..CLAIM_ATTEMPTS {
            let now = Timestamp::now();
            if self.db.claim_idempotency_key(user, key, req, now).await? {
                self.purge_idempotency_keys_now_and_then(now);
                return Ok(Admission::Run(Claim {
                    user,
                    key: key.clone(),
                    claimed_at: now,
                }));
            }
            // Released (a server error) between our insert and this read:
            // claim again.
            let Some(record) = self.db.idempotency_key(user, key).await? else {
                continue;
            };
            match decide(&record, &fp, now) {
                KeyDecision::TakeOver => {
                    let was = record.created_at;
                    if self
                        .db
                        .take_over_idempotency_key(user, key, req, was, now)
                        .await?
                    {
                        return Ok(Admission::Run(Claim {
                            user,
                            key: key.clone(),
                            claimed_at: now,
                        }));
                    }
                    // Another retry took it over first: look again.
                }
                KeyDecision::Reused => return Ok(Admission::Reused),
                KeyDecision::InProgress => return Ok(Admission::InProgress),
                KeyDecision::Replay => {
                    if let Some(r) = record.response {
                        return Ok(Admission::Replay(r));
                    }
                }
            }
        }
        Ok(Admission::InProgress)
    }

    /// Record the answer the claimed attempt got: kept for replay if it is
    /// final (success or the caller's mistake), else the key is released
    /// so a retry runs the request again.
    pub async fn finish_idempotent(
        &self,
        claim: &Claim,
        response: StoredResponse,
    ) -> AppResult<()> {
        let Claim {
            user,
            key,
            claimed_at,
        } = claim;
        if !keeps_response(response.status) {
            return Ok(self
                .db
                .release_idempotency_key(*user, key, *claimed_at)
                .await?);
        }
        if !self
            .db
            .finish_idempotency_key(*user, key, *claimed_at, &response)
            .await?
        {
            // Only when this attempt ran past the in-flight timeout and a
            // retry took its key over: that retry's answer stands.
            tracing::warn!(
                key = key.as_str(),
                "an idempotent request finished after its key was taken over"
            );
        }
        Ok(())
    }

    /// Give the key back unanswered, when the attempt could not produce an
    /// answer to keep: a retry runs the request again.
    pub async fn release_idempotent(&self, claim: &Claim) -> AppResult<()> {
        Ok(self
            .db
            .release_idempotency_key(claim.user, &claim.key, claim.claimed_at)
            .await?)
    }

    /// Remove every idempotency key past its 24 hours; returns how many.
    pub async fn purge_idempotency_keys(&self) -> AppResult<u64> {
        Ok(self
            .db
            .purge_idempotency_keys(expiry_cutoff(Timestamp::now()))
            .await?)
    }

    /// Purge expired keys in the background if this server has not for
    /// [`PURGE_EVERY_MS`], so the table stays about a day's worth of keys
    /// even where `bearing maintenance` never runs. Off the request's
    /// path: the caller does not wait for it, and a failure is only
    /// logged (the next purge catches up).
    fn purge_idempotency_keys_now_and_then(&self, now: Timestamp) {
        let last = self.idempotency_purged_at.load(Ordering::Relaxed);
        if now.0 - last < PURGE_EVERY_MS {
            return;
        }
        // One request per period wins the exchange and purges.
        if self
            .idempotency_purged_at
            .compare_exchange(last, now.0, Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
        {
            return;
        }
        let app = self.clone();
        tokio::spawn(async move {
            if let Err(e) = app.purge_idempotency_keys().await {
                tracing::warn!(error = %e, "purging expired idempotency keys failed");
            }
        });
    }
}
