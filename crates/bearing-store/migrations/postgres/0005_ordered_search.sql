-- Ordered search (optional; docs/performance.md, Issue 4). Search ranks the
-- newest matches of a query. GIN cannot list matches newest first, so for
-- words in a few percent of notes PostgreSQL visits every matching row just
-- to sort them by date. postgrespro's RUM index stores each note's
-- created_at beside every word, so `ORDER BY created_at <=| …` reads the
-- newest matches straight from the index.
--
-- RUM is an extension, not part of PostgreSQL: when the server has it
-- (Debian: postgresql-15-rum) and this role may create it, the indexes are
-- built; otherwise nothing happens and search uses GIN alone, with the same
-- results. Installing RUM later: `bearing maintenance --rebuild-search`.
--
-- Partial (`updated_at IS NOT NULL`, true of every row, and a column no
-- search filters on) so that only queries that name it use them: left to
-- itself the planner also chose RUM for plain scans, where GIN is far
-- faster (a rare word among common ones: 0.3 ms on GIN, 14 ms on RUM).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
        RETURN;
    END IF;
    BEGIN
        CREATE EXTENSION IF NOT EXISTS rum;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'rum is installed but this role may not create the extension; search works without it';
        RETURN;
    END;
    CREATE INDEX IF NOT EXISTS notes_search_rum ON notes
        USING rum (search_vector rum_tsvector_addon_ops, created_at)
        WITH (attach = 'created_at', to = 'search_vector')
        WHERE updated_at IS NOT NULL;
    CREATE INDEX IF NOT EXISTS ideas_search_rum ON ideas
        USING rum (search_vector rum_tsvector_addon_ops, created_at)
        WITH (attach = 'created_at', to = 'search_vector')
        WHERE updated_at IS NOT NULL;
END
$$;
