-- Idempotency keys: a caller's key for a POST, the fingerprint of the
-- request first sent with it and, once that request finished, its answer,
-- so a retry with the same key gets the same answer and creates nothing.
-- In the database, not in memory, so it holds across app servers. A row
-- is 'in_flight' while the first attempt runs, then 'done'. Kept 24 hours
-- from created_at (the claim), then ignored and purged.
CREATE TABLE idempotency_keys (
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
    response_status BIGINT,
    response_content_type TEXT,
    response_body BYTEA,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);
-- The purge deletes by age.
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
