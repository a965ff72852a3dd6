-- Full-text search (PostgreSQL). Each searched table gets a stored generated
-- `search_vector` tsvector (weighted: A for titles/names and note text, B for
-- problem statements and domains, C for proposals) and a GIN index on it.
-- A generated column is recomputed as part of the row write, so the index is
-- always in step with the data, in the same transaction, without triggers.
ALTER TABLE notes ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(text, '')), 'A')
) STORED;
CREATE INDEX notes_search ON notes USING GIN (search_vector);

ALTER TABLE ideas ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce(problem, '')), 'B') ||
    setweight(to_tsvector('english'::regconfig, coalesce(proposal, '')), 'C')
) STORED;
CREATE INDEX ideas_search ON ideas USING GIN (search_vector);

ALTER TABLE customers ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce(domain, '')), 'B')
) STORED;
CREATE INDEX customers_search ON customers USING GIN (search_vector);
