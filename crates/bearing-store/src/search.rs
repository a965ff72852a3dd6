//! Full-text search over notes, ideas and customers, and the two look-ups
//! behind "similar ideas". Each engine uses its own full-text index (made in
//! migration 0003): SQLite FTS5 tables kept in step by triggers, ranked with
//! `bm25()` and highlighted with `snippet()`; PostgreSQL generated
//! `search_vector` columns with GIN indexes, ranked with `ts_rank_cd` /
//! `ts_rank` and highlighted with `ts_headline`. So this is per-backend SQL,
//! the one place the architecture allows it: the engines truly differ.
//!
//! Query parsing, snippet escaping and score blending are pure and live in
//! `bearing_domain::search`; merging kinds into pages is the app's job.
//! User text only ever reaches the engines as bound parameters.

use crate::db::Db;
use crate::error::StoreResult;
use bearing_domain::search::{SearchFilter, SearchKind, SearchQuery};
use bearing_domain::{IdeaId, IdeaStatus, NoteId};
use uuid::Uuid;

/// One search result before merging: raw engine score (higher is better)
/// and a snippet with matches between `MARK_START` and `MARK_END`.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct SearchRow {
    /// Id of the note, idea or customer.
    pub id: Uuid,
    /// Relevance, higher is better (`-bm25` or `ts_rank_cd`).
    pub score: f64,
    /// Highlighted excerpt.
    pub snippet: String,
    /// Idea title, customer name, or the start of a note's text.
    pub title: String,
    /// Creation time, epoch ms.
    pub created_at: i64,
    /// Note: its customer's name; idea: its status; customer: its segment.
    pub detail: Option<String>,
}

/// One backend's search SQL. Not `&str` constants: these only prepare on
/// their own engine (the per-backend test in tests/store/search.rs does that).
struct Dialect {
    /// Per kind: $1 query, $2 state, $3 customer, $4 area, $5 from, $6 to,
    /// $7 limit, $8 offset.
    notes: &'static str,
    ideas: &'static str,
    customers: &'static str,
    /// $1 any-of-terms query, $2 limit.
    similar_ideas: &'static str,
    /// $1 any-of-terms query, $2 how many notes, $3 a note to leave out.
    similar_by_notes: &'static str,
}

// SQLite: FTS5's bm25() is "lower is better", so scores are negated. Column
// weights: idea title 10, problem 4, proposal 2; customer name 10, domain 2.
const SQLITE: Dialect = Dialect {
    notes: "SELECT n.id AS id, -bm25(notes_fts) AS score, snippet(notes_fts, 0, char(1), char(2), '…', 24) AS snippet, substr(n.text, 1, 200) AS title, n.created_at AS created_at, c.name AS detail FROM notes_fts JOIN notes n ON n.rowid = notes_fts.rowid LEFT JOIN customers c ON c.id = n.customer_id WHERE notes_fts MATCH $1 AND ($2 IS NULL OR n.state = $2) AND ($3 IS NULL OR n.customer_id = $3) AND ($4 IS NULL OR EXISTS (SELECT 1 FROM links l JOIN ideas i ON i.id = l.idea_id WHERE l.note_id = n.id AND i.area_id = $4)) AND n.created_at >= $5 AND n.created_at < $6 ORDER BY score DESC, n.id LIMIT $7 OFFSET $8",
    ideas: "SELECT i.id AS id, -bm25(ideas_fts, 10.0, 4.0, 2.0) AS score, snippet(ideas_fts, -1, char(1), char(2), '…', 24) AS snippet, i.title AS title, i.created_at AS created_at, i.status AS detail FROM ideas_fts JOIN ideas i ON i.rowid = ideas_fts.rowid WHERE ideas_fts MATCH $1 AND ($2 IS NULL OR i.status = $2) AND ($3 IS NULL OR EXISTS (SELECT 1 FROM links l JOIN notes n ON n.id = l.note_id WHERE l.idea_id = i.id AND n.customer_id = $3)) AND ($4 IS NULL OR i.area_id = $4) AND i.created_at >= $5 AND i.created_at < $6 ORDER BY score DESC, i.id LIMIT $7 OFFSET $8",
    customers: "SELECT c.id AS id, -bm25(customers_fts, 10.0, 2.0) AS score, snippet(customers_fts, -1, char(1), char(2), '…', 16) AS snippet, c.name AS title, c.created_at AS created_at, c.segment AS detail FROM customers_fts JOIN customers c ON c.rowid = customers_fts.rowid WHERE customers_fts MATCH $1 AND $2 IS NULL AND ($3 IS NULL OR c.id = $3) AND $4 IS NULL AND c.created_at >= $5 AND c.created_at < $6 ORDER BY score DESC, c.id LIMIT $7 OFFSET $8",
    similar_ideas: "SELECT i.id AS id, -bm25(ideas_fts, 10.0, 4.0, 2.0) AS score FROM ideas_fts JOIN ideas i ON i.rowid = ideas_fts.rowid WHERE ideas_fts MATCH $1 ORDER BY score DESC LIMIT $2",
    similar_by_notes: "SELECT l.idea_id AS id, SUM(m.score) AS score FROM (SELECT rowid, -bm25(notes_fts) AS score FROM notes_fts WHERE notes_fts MATCH $1 ORDER BY score DESC LIMIT $2) m JOIN notes n ON n.rowid = m.rowid JOIN links l ON l.note_id = n.id WHERE ($3 IS NULL OR n.id <> $3) GROUP BY l.idea_id",
};

// PostgreSQL: websearch_to_tsquery reads the canonical `word "phrase" -not`
// text and never raises a syntax error; ts_headline runs only on the page's
// rows (outer query), as it re-parses the text.
const POSTGRES: Dialect = Dialect {
    notes: "SELECT s.id, s.score, ts_headline('english', s.text, websearch_to_tsquery('english', $1), 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet, left(s.text, 200) AS title, s.created_at, s.detail FROM (SELECT n.id, n.text, n.created_at, c.name AS detail, ts_rank_cd(n.search_vector, q)::float8 AS score FROM notes n CROSS JOIN websearch_to_tsquery('english', $1) q LEFT JOIN customers c ON c.id = n.customer_id WHERE n.search_vector @@ q AND ($2::text IS NULL OR n.state = $2::text) AND ($3::uuid IS NULL OR n.customer_id = $3::uuid) AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM links l JOIN ideas i ON i.id = l.idea_id WHERE l.note_id = n.id AND i.area_id = $4::uuid)) AND n.created_at >= $5 AND n.created_at < $6 ORDER BY score DESC, n.id LIMIT $7 OFFSET $8) s ORDER BY s.score DESC, s.id",
    ideas: "SELECT s.id, s.score, ts_headline('english', s.title || ' — ' || s.problem || ' ' || s.proposal, websearch_to_tsquery('english', $1), 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet, s.title, s.created_at, s.detail FROM (SELECT i.id, i.title, i.problem, i.proposal, i.created_at, i.status AS detail, ts_rank_cd(i.search_vector, q)::float8 AS score FROM ideas i CROSS JOIN websearch_to_tsquery('english', $1) q WHERE i.search_vector @@ q AND ($2::text IS NULL OR i.status = $2::text) AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM links l JOIN notes n ON n.id = l.note_id WHERE l.idea_id = i.id AND n.customer_id = $3::uuid)) AND ($4::uuid IS NULL OR i.area_id = $4::uuid) AND i.created_at >= $5 AND i.created_at < $6 ORDER BY score DESC, i.id LIMIT $7 OFFSET $8) s ORDER BY s.score DESC, s.id",
    customers: "SELECT s.id, s.score, ts_headline('english', s.name || ' ' || coalesce(s.domain, ''), websearch_to_tsquery('english', $1), 'StartSel=' || chr(1) || ', StopSel=' || chr(2)) AS snippet, s.name AS title, s.created_at, s.detail FROM (SELECT c.id, c.name, c.domain, c.created_at, c.segment AS detail, ts_rank_cd(c.search_vector, q)::float8 AS score FROM customers c CROSS JOIN websearch_to_tsquery('english', $1) q WHERE c.search_vector @@ q AND $2::text IS NULL AND ($3::uuid IS NULL OR c.id = $3::uuid) AND $4::uuid IS NULL AND c.created_at >= $5 AND c.created_at < $6 ORDER BY score DESC, c.id LIMIT $7 OFFSET $8) s ORDER BY s.score DESC, s.id",
    similar_ideas: "SELECT i.id, ts_rank(i.search_vector, q)::float8 AS score FROM ideas i CROSS JOIN to_tsquery('english', $1) q WHERE i.search_vector @@ q ORDER BY score DESC LIMIT $2",
    similar_by_notes: "SELECT l.idea_id AS id, SUM(m.score)::float8 AS score FROM (SELECT n.id, ts_rank(n.search_vector, q)::float8 AS score FROM notes n CROSS JOIN to_tsquery('english', $1) q WHERE n.search_vector @@ q ORDER BY score DESC LIMIT $2) m JOIN links l ON l.note_id = m.id WHERE ($3::uuid IS NULL OR m.id <> $3::uuid) GROUP BY l.idea_id",
};

const IDEA_BRIEF: &str = "SELECT id, title, status FROM ideas WHERE id = $1";

/// The `state` filter as it applies to `kind`.
fn state_for(f: &SearchFilter, kind: SearchKind) -> Option<&'static str> {
    match kind {
        SearchKind::Note => f.note_state.map(|s| s.as_str()),
        SearchKind::Idea => f.idea_status.map(|s| s.as_str()),
        SearchKind::Customer => None,
    }
}

/// How a similar idea scored on each signal (raw engine scores).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SimilarSignals {
    /// Ideas whose own title, problem or proposal match: (id, score).
    pub by_idea_text: Vec<(IdeaId, f64)>,
    /// Ideas whose linked notes match: (id, summed score of those notes).
    pub by_linked_notes: Vec<(IdeaId, f64)>,
}

impl Db {
    /// One kind's matches for `q` under `f`, best first, `limit` rows from
    /// `offset`. The caller checks `f.includes(kind)` first.
    pub async fn search_kind(
        &self,
        kind: SearchKind,
        q: &SearchQuery,
        f: &SearchFilter,
        offset: u32,
        limit: u32,
    ) -> StoreResult<Vec<SearchRow>> {
        let (d, text) = match self {
            Db::Sqlite(_) => (&SQLITE, q.fts5()),
            Db::Postgres(_) => (&POSTGRES, q.websearch()),
        };
        let sql = match kind {
            SearchKind::Note => d.notes,
            SearchKind::Idea => d.ideas,
            SearchKind::Customer => d.customers,
        };
        let from = f.from.map_or(i64::MIN, |t| t.0);
        let to = f.to.map_or(i64::MAX, |t| t.0);
        let rows: Vec<SearchRow> = on_db!(self, p => sqlx::query_as(sql)
            .bind(text).bind(state_for(f, kind)).bind(f.customer_id.map(|c| c.0)).bind(f.area_id.map(|a| a.0))
            .bind(from).bind(to).bind(i64::from(limit)).bind(i64::from(offset))
            .fetch_all(p).await)?;
        Ok(rows)
    }

    /// The raw signals for "similar ideas": ideas whose own text matches any
    /// of `terms` (best `ideas` of them) and ideas linked to the best
    /// `notes` notes matching them, leaving out `except` (the note being
    /// processed, so it cannot vote for its own links).
    pub async fn similar_idea_signals(
        &self,
        terms: &[String],
        except: Option<NoteId>,
        ideas: u32,
        notes: u32,
    ) -> StoreResult<SimilarSignals> {
        if terms.is_empty() {
            return Ok(SimilarSignals::default());
        }
        let (d, text) = match self {
            Db::Sqlite(_) => (&SQLITE, bearing_domain::search::fts5_any(terms)),
            Db::Postgres(_) => (&POSTGRES, bearing_domain::search::tsquery_any(terms)),
        };
        let a: Vec<(Uuid, f64)> = on_db!(self, p => sqlx::query_as(d.similar_ideas)
            .bind(&text).bind(i64::from(ideas)).fetch_all(p).await)?;
        let b: Vec<(Uuid, f64)> = on_db!(self, p => sqlx::query_as(d.similar_by_notes)
            .bind(&text).bind(i64::from(notes)).bind(except.map(|n| n.0)).fetch_all(p).await)?;
        Ok(SimilarSignals {
            by_idea_text: a.into_iter().map(|(i, s)| (IdeaId(i), s)).collect(),
            by_linked_notes: b.into_iter().map(|(i, s)| (IdeaId(i), s)).collect(),
        })
    }

    /// An idea's title and status, for listing suggestions cheaply.
    pub async fn idea_brief(&self, id: IdeaId) -> StoreResult<(String, IdeaStatus)> {
        let (_, title, status): (Uuid, String, String) =
            on_db!(self, p => sqlx::query_as(IDEA_BRIEF).bind(id.0).fetch_one(p).await)?;
        Ok((title, crate::rows::key(&status, "status")?))
    }
}

/// The per-backend search statements, for the test that prepares each on
/// its own engine: (SQLite, PostgreSQL).
pub fn dialect_statements() -> (Vec<&'static str>, Vec<&'static str>) {
    let all = |d: &Dialect| {
        vec![
            d.notes,
            d.ideas,
            d.customers,
            d.similar_ideas,
            d.similar_by_notes,
        ]
    };
    (all(&SQLITE), all(&POSTGRES))
}

/// Every portable static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[IDEA_BRIEF];
