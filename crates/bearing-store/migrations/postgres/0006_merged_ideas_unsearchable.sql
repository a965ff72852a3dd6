-- Ideas merged into another are not search results. On PostgreSQL the
-- search statements say so (`merged_into IS NULL`): they read each
-- candidate's row anyway, so the check is free. SQLite's FTS index drops
-- them instead (the SQLite migration of the same number). Nothing here.
SELECT 1;
