-- Full-text search (SQLite FTS5). One external-content FTS5 table per
-- searched entity, reading its text from the entity's own table through the
-- implicit integer rowid, so the text is stored once. AFTER INSERT/UPDATE/
-- DELETE triggers keep each index in step with its table inside the same
-- transaction as the write. `porter unicode61`: Unicode-aware words with
-- English stemming, like PostgreSQL's 'english' configuration.
-- Caveat: these tables use the implicit rowid, which a plain VACUUM may
-- renumber; after one run `INSERT INTO notes_fts(notes_fts) VALUES('rebuild')`
-- (likewise ideas_fts, customers_fts). Bearing itself never runs VACUUM.
CREATE VIRTUAL TABLE notes_fts USING fts5(
    text, content='notes', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
    INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, new.text);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF text ON notes BEGIN
    INSERT INTO notes_fts(notes_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
    INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, new.text);
END;
INSERT INTO notes_fts(notes_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE ideas_fts USING fts5(
    title, problem, proposal, content='ideas', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER ideas_fts_insert AFTER INSERT ON ideas BEGIN
    INSERT INTO ideas_fts(rowid, title, problem, proposal) VALUES (new.rowid, new.title, new.problem, new.proposal);
END;
CREATE TRIGGER ideas_fts_delete AFTER DELETE ON ideas BEGIN
    INSERT INTO ideas_fts(ideas_fts, rowid, title, problem, proposal) VALUES ('delete', old.rowid, old.title, old.problem, old.proposal);
END;
CREATE TRIGGER ideas_fts_update AFTER UPDATE OF title, problem, proposal ON ideas BEGIN
    INSERT INTO ideas_fts(ideas_fts, rowid, title, problem, proposal) VALUES ('delete', old.rowid, old.title, old.problem, old.proposal);
    INSERT INTO ideas_fts(rowid, title, problem, proposal) VALUES (new.rowid, new.title, new.problem, new.proposal);
END;
INSERT INTO ideas_fts(ideas_fts) VALUES ('rebuild');

CREATE VIRTUAL TABLE customers_fts USING fts5(
    name, domain, content='customers', content_rowid='rowid', tokenize='porter unicode61'
);
CREATE TRIGGER customers_fts_insert AFTER INSERT ON customers BEGIN
    INSERT INTO customers_fts(rowid, name, domain) VALUES (new.rowid, new.name, new.domain);
END;
CREATE TRIGGER customers_fts_delete AFTER DELETE ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, domain) VALUES ('delete', old.rowid, old.name, old.domain);
END;
CREATE TRIGGER customers_fts_update AFTER UPDATE OF name, domain ON customers BEGIN
    INSERT INTO customers_fts(customers_fts, rowid, name, domain) VALUES ('delete', old.rowid, old.name, old.domain);
    INSERT INTO customers_fts(rowid, name, domain) VALUES (new.rowid, new.name, new.domain);
END;
INSERT INTO customers_fts(customers_fts) VALUES ('rebuild');
