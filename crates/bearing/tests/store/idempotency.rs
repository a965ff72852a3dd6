//! Idempotency key records in the store: of many simultaneous claims of
//! one key exactly one wins; finishing, releasing and taking over act only
//! on the claim they name, so a stale attempt cannot clobber a newer one;
//! the purge removes keys by age.

use super::*;
use bearing_domain::idempotency::{IdempotencyKey, StoredResponse};
use bearing_store::idempotency::KeyedRequest;
use bearing_testkit::backend_test;

fn key(k: &str) -> IdempotencyKey {
    IdempotencyKey::parse(k.as_bytes()).unwrap()
}

fn request(fingerprint: &str) -> KeyedRequest<'_> {
    KeyedRequest {
        method: "POST",
        path: "/api/v1/notes",
        fingerprint,
    }
}

fn created() -> StoredResponse {
    StoredResponse {
        status: 201,
        content_type: Some("application/json".into()),
        body: br#"{"id":"x"}"#.to_vec(),
    }
}

backend_test!(
    idempotency_simultaneous_claims_have_one_winner,
    |t| async move {
        let a = pm(&t.db).await;
        let db = t.connect().await;
        let now = Timestamp::now();
        let claims = futures::future::join_all((0..20).map(|i| {
            let db = if i % 2 == 0 { t.db.clone() } else { db.clone() };
            let user = a.user.id;
            async move {
                db.claim_idempotency_key(user, &key("k"), request("fp"), now)
                    .await
                    .unwrap()
            }
        }))
        .await;
        assert_eq!(claims.iter().filter(|won| **won).count(), 1, "{claims:?}");
        let record =
            t.db.idempotency_key(a.user.id, &key("k"))
                .await
                .unwrap()
                .unwrap();
        assert_eq!(record.fingerprint, "fp");
        assert_eq!(record.created_at, now);
        assert_eq!(record.response, None, "in flight");
    }
);

backend_test!(
    idempotency_records_change_only_for_their_claim,
    |t| async move {
        let a = pm(&t.db).await.user.id;
        let k = key("k");
        let t0 = Timestamp(Timestamp::now().0 - 120_000);
        assert!(
            t.db.claim_idempotency_key(a, &k, request("fp"), t0)
                .await
                .unwrap()
        );

        // Taken over (as if abandoned): only one of two takeovers from t0 wins.
        let t1 = Timestamp(t0.0 + 61_000);
        assert!(
            t.db.take_over_idempotency_key(a, &k, request("fp"), t0, t1)
                .await
                .unwrap()
        );
        let t2 = Timestamp(t0.0 + 62_000);
        assert!(
            !t.db
                .take_over_idempotency_key(a, &k, request("fp"), t0, t2)
                .await
                .unwrap()
        );

        // The first attempt, finishing late, neither records nor releases.
        assert!(
            !t.db
                .finish_idempotency_key(a, &k, t0, &created())
                .await
                .unwrap()
        );
        t.db.release_idempotency_key(a, &k, t0).await.unwrap();
        let record = t.db.idempotency_key(a, &k).await.unwrap().unwrap();
        assert_eq!((record.created_at, record.response), (t1, None));

        // The attempt that took over records its answer, once.
        assert!(
            t.db.finish_idempotency_key(a, &k, t1, &created())
                .await
                .unwrap()
        );
        assert!(
            !t.db
                .finish_idempotency_key(a, &k, t1, &created())
                .await
                .unwrap()
        );
        // A finished record is not released.
        t.db.release_idempotency_key(a, &k, t1).await.unwrap();
        let record = t.db.idempotency_key(a, &k).await.unwrap().unwrap();
        assert_eq!(record.response, Some(created()));

        // An unfinished one is, and the key is free again.
        let other = key("other");
        assert!(
            t.db.claim_idempotency_key(a, &other, request("fp"), t1)
                .await
                .unwrap()
        );
        t.db.release_idempotency_key(a, &other, t1).await.unwrap();
        assert_eq!(t.db.idempotency_key(a, &other).await.unwrap(), None);

        // Another user's same key is a separate record.
        let b = user(&t.db, "Bea", Role::Contributor).await.user.id;
        assert!(
            t.db.claim_idempotency_key(b, &k, request("fp2"), t1)
                .await
                .unwrap()
        );
        assert_eq!(
            t.db.idempotency_key(a, &k)
                .await
                .unwrap()
                .unwrap()
                .fingerprint,
            "fp"
        );
    }
);

backend_test!(idempotency_purge_removes_keys_by_age, |t| async move {
    let a = pm(&t.db).await.user.id;
    for (k, at) in [("old", 1_000), ("edge", 2_000), ("new", 3_000)] {
        assert!(
            t.db.claim_idempotency_key(a, &key(k), request("fp"), Timestamp(at))
                .await
                .unwrap()
        );
    }
    assert_eq!(
        t.db.purge_idempotency_keys(Timestamp(2_000)).await.unwrap(),
        1
    );
    assert_eq!(t.db.idempotency_key(a, &key("old")).await.unwrap(), None);
    assert!(
        t.db.idempotency_key(a, &key("edge"))
            .await
            .unwrap()
            .is_some()
    );
    assert_eq!(
        t.db.purge_idempotency_keys(Timestamp(2_000)).await.unwrap(),
        0
    );
});
