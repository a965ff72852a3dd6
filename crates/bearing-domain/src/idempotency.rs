//! Idempotent requests: a caller sends a key with a create, and a retry
//! with the same key and the same request gets the first answer back
//! instead of making a second thing. This module holds the rules — what a
//! valid key is, how long keys are kept, when an unfinished first attempt
//! counts as abandoned, which answers are kept for replay, and what to do
//! when a key arrives that is already known. Storing keys and running
//! requests belong to the store, the app and the web server.

use crate::error::ValidationError;
use crate::timestamp::Timestamp;

/// The field name errors about the key point at: the HTTP header that
/// carries it.
pub const KEY_FIELD: &str = "Idempotency-Key";

/// The longest key accepted, in characters (bytes: keys are ASCII). Long
/// enough for any UUID or importer's composite id, short enough to index.
pub const MAX_KEY_LEN: usize = 255;

/// How long a key is remembered, in milliseconds: 24 hours, the window in
/// which integrations and importers retry. An older key is ignored (a
/// request with it runs afresh) and is purged.
pub const KEY_RETENTION_MS: i64 = 24 * 3_600_000;

/// How long a first attempt may stay unfinished before its key counts as
/// abandoned (the server running it crashed) and a retry may run the
/// request itself, in milliseconds. Requests finish in well under a second;
/// a minute leaves a wide margin, and a server that lives finishes and
/// records its answer even if the client hangs up.
pub const IN_FLIGHT_TIMEOUT_MS: i64 = 60_000;

/// What a caller is told to wait, in seconds, when the first attempt with
/// its key is still running: it usually finishes within one.
pub const RETRY_AFTER_SECS: u64 = 1;

/// A caller's idempotency key: 1 to [`MAX_KEY_LEN`] printable ASCII
/// characters (space to `~`). Compared exactly, case and all.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Check a key as sent (the raw header bytes).
    pub fn parse(raw: &[u8]) -> Result<Self, ValidationError> {
        if raw.is_empty() {
            return Err(ValidationError::new(
                KEY_FIELD,
                "the Idempotency-Key header is empty; send 1 to 255 printable ASCII characters, such as a UUID",
            ));
        }
        if raw.len() > MAX_KEY_LEN {
            return Err(ValidationError::new(
                KEY_FIELD,
                format!(
                    "the Idempotency-Key header is {} bytes long; use at most {MAX_KEY_LEN} (a UUID is 36)",
                    raw.len()
                ),
            ));
        }
        if !raw.iter().all(|b| (b' '..=b'~').contains(b)) {
            return Err(ValidationError::new(
                KEY_FIELD,
                "the Idempotency-Key header may hold only printable ASCII characters (letters, digits, punctuation and spaces), such as a UUID",
            ));
        }
        // Every byte is ASCII, so this cannot fail; `from_utf8_lossy` keeps
        // the code free of a panic path anyway.
        Ok(Self(String::from_utf8_lossy(raw).into_owned()))
    }

    /// The key as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The answer a finished first attempt gave, kept for replay: status,
/// content type and body (the API's answers carry nothing else that a
/// retry needs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    /// HTTP status code.
    pub status: u16,
    /// The `Content-Type` it was sent with, if any.
    pub content_type: Option<String>,
    /// The body, byte for byte.
    pub body: Vec<u8>,
}

/// A key already on record for a caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRecord {
    /// The fingerprint of the request first sent with the key.
    pub fingerprint: String,
    /// When the key was claimed (by the first attempt, or by the attempt
    /// that took over an abandoned or expired one).
    pub created_at: Timestamp,
    /// The first attempt's answer; `None` while it is still running.
    pub response: Option<StoredResponse>,
}

/// What to do with a request whose key is already on record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyDecision {
    /// The record no longer binds: it expired, or its attempt was
    /// abandoned. Take the key over and run the request.
    TakeOver,
    /// The key was first used with a different request: refuse.
    Reused,
    /// The first attempt is still running: ask the caller to retry soon.
    InProgress,
    /// The first attempt finished: send its answer again.
    Replay,
}

/// Is a key claimed at `created_at` past its retention at `now`?
pub fn is_expired(created_at: Timestamp, now: Timestamp) -> bool {
    now.0 - created_at.0 >= KEY_RETENTION_MS
}

/// Keys claimed before this moment are expired at `now`; the purge
/// removes them.
pub fn expiry_cutoff(now: Timestamp) -> Timestamp {
    Timestamp(now.0 - KEY_RETENTION_MS)
}

/// Decide what a request with fingerprint `fingerprint` does about the
/// `record` already held for its key. An expired record is forgotten
/// whatever it held. A live one binds the key to its request, so another
/// request is refused even while the first is running or abandoned; the
/// same request replays a finished answer, waits on a running attempt, and
/// takes over one abandoned for longer than [`IN_FLIGHT_TIMEOUT_MS`].
pub fn decide(record: &KeyRecord, fingerprint: &str, now: Timestamp) -> KeyDecision {
    if is_expired(record.created_at, now) {
        return KeyDecision::TakeOver;
    }
    if record.fingerprint != fingerprint {
        return KeyDecision::Reused;
    }
    match record.response {
        Some(_) => KeyDecision::Replay,
        None if now.0 - record.created_at.0 >= IN_FLIGHT_TIMEOUT_MS => KeyDecision::TakeOver,
        None => KeyDecision::InProgress,
    }
}

/// Is an answer with this status kept for replay? Success and the
/// caller's own mistakes (4xx) are final: a retry would get the same.
/// Server errors (5xx, including "busy, try again") are not: the key is
/// released so a retry runs the request again.
pub fn keeps_response(status: u16) -> bool {
    status < 500
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(created_at: i64, done: bool) -> KeyRecord {
        KeyRecord {
            fingerprint: "fp".into(),
            created_at: Timestamp(created_at),
            response: done.then(|| StoredResponse {
                status: 201,
                content_type: Some("application/json".into()),
                body: b"{}".to_vec(),
            }),
        }
    }

    #[test]
    fn keys_are_one_to_255_printable_ascii_characters() {
        assert_eq!(IdempotencyKey::parse(b"a").unwrap().as_str(), "a");
        let uuid = b"0190f2a4-7b1c-7def-8a3b-1c2d3e4f5a6b";
        assert!(IdempotencyKey::parse(uuid).is_ok());
        assert!(IdempotencyKey::parse(b"import 2024/07 row #12 ~ok").is_ok());
        assert!(IdempotencyKey::parse(&[b'k'; 255]).is_ok());

        let empty = IdempotencyKey::parse(b"").unwrap_err();
        assert_eq!(empty.field, KEY_FIELD);
        assert!(empty.message.contains("empty"), "{}", empty.message);
        let long = IdempotencyKey::parse(&[b'k'; 256]).unwrap_err();
        assert!(long.message.contains("256 bytes"), "{}", long.message);
        for bad in [&b"tab\there"[..], b"caf\xc3\xa9", b"del\x7f", b"nul\0"] {
            let e = IdempotencyKey::parse(bad).unwrap_err();
            assert!(e.message.contains("printable ASCII"), "{}", e.message);
        }
    }

    #[test]
    fn a_live_record_binds_its_key_to_its_request() {
        let now = 10 * KEY_RETENTION_MS;
        let done = record(now - 1_000, true);
        assert_eq!(decide(&done, "fp", Timestamp(now)), KeyDecision::Replay);
        assert_eq!(decide(&done, "other", Timestamp(now)), KeyDecision::Reused);

        let running = record(now - 1_000, false);
        assert_eq!(
            decide(&running, "fp", Timestamp(now)),
            KeyDecision::InProgress
        );
        assert_eq!(
            decide(&running, "other", Timestamp(now)),
            KeyDecision::Reused
        );

        let abandoned = record(now - IN_FLIGHT_TIMEOUT_MS, false);
        assert_eq!(
            decide(&abandoned, "fp", Timestamp(now)),
            KeyDecision::TakeOver
        );
        assert_eq!(
            decide(&abandoned, "other", Timestamp(now)),
            KeyDecision::Reused
        );
    }

    #[test]
    fn an_expired_record_is_forgotten() {
        let now = 10 * KEY_RETENTION_MS;
        let old = record(now - KEY_RETENTION_MS, true);
        assert_eq!(decide(&old, "fp", Timestamp(now)), KeyDecision::TakeOver);
        assert_eq!(decide(&old, "other", Timestamp(now)), KeyDecision::TakeOver);
        let almost = record(now - KEY_RETENTION_MS + 1, true);
        assert_eq!(decide(&almost, "fp", Timestamp(now)), KeyDecision::Replay);
        assert!(is_expired(
            Timestamp(now - KEY_RETENTION_MS),
            Timestamp(now)
        ));
        assert_eq!(
            expiry_cutoff(Timestamp(now)),
            Timestamp(now - KEY_RETENTION_MS)
        );
    }

    #[test]
    fn server_errors_are_not_kept() {
        for s in [200, 201, 204, 400, 401, 404, 409, 413, 422, 429] {
            assert!(keeps_response(s), "{s}");
        }
        for s in [500, 502, 503, 504] {
            assert!(!keeps_response(s), "{s}");
        }
    }

    proptest! {
        #[test]
        fn parse_accepts_exactly_the_printable_ascii_keys(raw in proptest::collection::vec(any::<u8>(), 0..300)) {
            let valid = !raw.is_empty()
                && raw.len() <= MAX_KEY_LEN
                && raw.iter().all(|b| (0x20..=0x7e).contains(b));
            let parsed = IdempotencyKey::parse(&raw);
            prop_assert_eq!(parsed.is_ok(), valid);
            if let Ok(k) = parsed {
                prop_assert_eq!(k.as_str().as_bytes(), &raw[..]);
            }
        }

        #[test]
        fn another_request_is_never_replayed(age in 0i64..2 * KEY_RETENTION_MS, done in any::<bool>()) {
            let now = 10 * KEY_RETENTION_MS;
            let r = record(now - age, done);
            let d = decide(&r, "another", Timestamp(now));
            prop_assert!(matches!(d, KeyDecision::Reused | KeyDecision::TakeOver));
            prop_assert_eq!(d == KeyDecision::TakeOver, age >= KEY_RETENTION_MS);
        }

        #[test]
        fn the_same_request_runs_again_only_once_the_record_lapses(age in 0i64..2 * KEY_RETENTION_MS, done in any::<bool>()) {
            let now = 10 * KEY_RETENTION_MS;
            let d = decide(&record(now - age, done), "fp", Timestamp(now));
            let lapsed = age >= KEY_RETENTION_MS || (!done && age >= IN_FLIGHT_TIMEOUT_MS);
            prop_assert_eq!(d == KeyDecision::TakeOver, lapsed);
        }
    }
}
