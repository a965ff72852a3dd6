-- Ideas merged into another are not search results: the survivor holds
-- their notes and their URL redirects there. On SQLite they leave the FTS
-- index (filtering them in each query cost a fifth of search throughput);
-- an un-merge puts them back. The triggers of migration 0003, re-made to
-- index only ideas that are not merged away.
DROP TRIGGER ideas_fts_insert;
DROP TRIGGER ideas_fts_delete;
DROP TRIGGER ideas_fts_update;
CREATE TRIGGER ideas_fts_insert AFTER INSERT ON ideas WHEN new.merged_into IS NULL BEGIN
    INSERT INTO ideas_fts(rowid, title, problem, proposal) VALUES (new.rowid, new.title, new.problem, new.proposal);
END;
CREATE TRIGGER ideas_fts_delete AFTER DELETE ON ideas WHEN old.merged_into IS NULL BEGIN
    INSERT INTO ideas_fts(ideas_fts, rowid, title, problem, proposal) VALUES ('delete', old.rowid, old.title, old.problem, old.proposal);
END;
CREATE TRIGGER ideas_fts_update AFTER UPDATE OF title, problem, proposal, merged_into ON ideas BEGIN
    INSERT INTO ideas_fts(ideas_fts, rowid, title, problem, proposal)
        SELECT 'delete', old.rowid, old.title, old.problem, old.proposal WHERE old.merged_into IS NULL;
    INSERT INTO ideas_fts(rowid, title, problem, proposal)
        SELECT new.rowid, new.title, new.problem, new.proposal WHERE new.merged_into IS NULL;
END;
INSERT INTO ideas_fts(ideas_fts, rowid, title, problem, proposal)
    SELECT 'delete', rowid, title, problem, proposal FROM ideas WHERE merged_into IS NOT NULL;
