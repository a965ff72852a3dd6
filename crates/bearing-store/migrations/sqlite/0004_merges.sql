-- Merging duplicate ideas: a merged-away idea points at its survivor (so its
-- URL and API id redirect there), and every merge keeps a ledger of what
-- moved or was deduplicated, read whole, so an un-merge within 30 days can
-- put everything back exactly.
ALTER TABLE ideas ADD COLUMN merged_into BLOB REFERENCES ideas(id) ON DELETE SET NULL;
ALTER TABLE ideas ADD COLUMN merged_at BIGINT;
CREATE INDEX ideas_merged_into ON ideas(merged_into);

CREATE TABLE idea_merges (
    id BLOB PRIMARY KEY NOT NULL,
    survivor_id BLOB NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    merged_id BLOB NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
    actor_id BLOB REFERENCES users(id) ON DELETE SET NULL,
    merged_at BIGINT NOT NULL,
    unmerged_at BIGINT,
    unmerged_by BLOB REFERENCES users(id) ON DELETE SET NULL,
    moved TEXT NOT NULL
);
CREATE INDEX idea_merges_survivor ON idea_merges(survivor_id, id);
CREATE INDEX idea_merges_merged ON idea_merges(merged_id, id);
