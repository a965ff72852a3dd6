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
-- Partial (`id <> nil uuid`: true of every row, on a column that never
-- changes and that no search filters on) so that only queries that name it
-- use them: left to itself the planner also chose RUM for plain scans,
-- where GIN is far faster (a rare word among common ones: 0.3 ms on GIN,
-- 14 ms on RUM). Not an IS NOT NULL test, which PostgreSQL 17 drops from
-- queries on NOT NULL columns, nor a created_at range, which search's date
-- filters imply.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum') THEN
        RETURN;
    END IF;
    BEGIN
        CREATE EXTENSION IF NOT EXISTS rum;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'rum is installed but could not be created (%); search works without it', SQLERRM;
        RETURN;
    END;
    CREATE INDEX IF NOT EXISTS notes_search_rum ON notes
        USING rum (search_vector rum_tsvector_addon_ops, created_at)
        WITH (attach = 'created_at', to = 'search_vector')
        WHERE id <> '00000000-0000-0000-0000-000000000000'::uuid;
    CREATE INDEX IF NOT EXISTS ideas_search_rum ON ideas
        USING rum (search_vector rum_tsvector_addon_ops, created_at)
        WITH (attach = 'created_at', to = 'search_vector')
        WHERE id <> '00000000-0000-0000-0000-000000000000'::uuid;
END
$$;
