//! Full-text search over notes, ideas and customers, and the two look-ups
//! behind "similar ideas". Each engine uses its own full-text index (made in
//! migration 0003): SQLite FTS5 tables kept in step by triggers, ranked with
//! `bearing_rank()` (BM25, crate bearing-fts5) and highlighted with
//! `snippet()`; PostgreSQL generated
//! `search_vector` columns with GIN indexes, ranked with `ts_rank_cd` /
//! `ts_rank` and highlighted with `ts_headline`. So this is per-backend SQL,
//! the one place the architecture allows it: the engines truly differ.
//!
//! Query parsing, snippet escaping and score blending are pure and live in
//! `bearing_domain::search`; merging kinds into pages is the app's job.
//! User text only ever reaches the engines as bound parameters.

use crate::db::Db;
use crate::error::StoreResult;
use crate::rows::to_json_list;
use crate::search_plan::{ScanPlan, choose, no_bitmaps};
use bearing_domain::search::{SearchFilter, SearchKind, SearchQuery, fts5_phrase};
use bearing_domain::{IdeaId, NoteId};
use uuid::Uuid;

/// One search result before merging: raw engine score (higher is better)
/// and a snippet with matches between `MARK_START` and `MARK_END`.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct SearchRow {
    /// Id of the note, idea or customer.
    pub id: Uuid,
    /// Relevance, higher is better (`bearing_rank` or `ts_rank_cd`).
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

/// How many matches per kind are ranked: the newest `candidates` (highest
/// rowid on SQLite, highest UUIDv7 id on PostgreSQL) that match the query
/// and filters. Ranking is exact within that window; older matches are not
/// returned. Without the bound both engines score every match before the
/// LIMIT, which takes seconds when a word matches hundreds of thousands of
/// notes (docs/performance.md, Issue 4; docs/search-quality.md).
///
/// Per backend because the costs differ: FTS5 finds the window from its
/// doclists alone, so a wide window is cheap there; PostgreSQL has to visit
/// heap rows to order matches by id (the GIN index holds no ids), either
/// walking the primary key backwards until it has the window or fetching
/// every match, so its window is narrower.
pub const SQLITE_CANDIDATES: u32 = 1000;
/// See [`SQLITE_CANDIDATES`].
pub const POSTGRES_CANDIDATES: u32 = 500;

/// Fetch the rows of `$query` on PostgreSQL pool `$pool` in a transaction
/// with bitmap scans off (see `search_plan::no_bitmaps`).
macro_rules! fetch_ordered {
    ($pool:expr, $query:expr) => {
        async {
            let mut tx = $pool.begin().await?;
            sqlx::query(no_bitmaps()).execute(&mut *tx).await?;
            let rows = $query.fetch_all(&mut *tx).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(rows)
        }
        .await
    };
}

/// One backend's search SQL. Not `&str` constants: these only prepare on
/// their own engine (the per-backend test in tests/store/search.rs does that).
struct Dialect {
    /// Per kind: $1 query, $2 state, $3 customer, $4 area, $5 from, $6 to,
    /// $7 limit, $8 offset, $9 candidates ranked (`SQLITE_CANDIDATES`
    /// or `POSTGRES_CANDIDATES`); SQLite only: $10 the query's phrases as a
    /// JSON array, for `bearing_rank`'s term counts.
    notes: &'static str,
    ideas: &'static str,
    customers: &'static str,
    /// $1 any-of-terms query, $2 limit, $3 candidates ranked; SQLite only:
    /// $4 the terms as a JSON array of phrases.
    similar_ideas: &'static str,
    /// $1 any-of-terms query, $2 how many notes, $3 a note to leave out,
    /// $4 candidates ranked; SQLite only: $5 the terms as a JSON array.
    similar_by_notes: &'static str,
    /// SQLite only (see `sqlite_rarer_terms`; PostgreSQL's `ts_rank` has no
    /// IDF to count): for each term of a JSON array ($1), in how many of the
    /// newest $2 notes it occurs (`docs`), and how many notes that sample
    /// holds. Each count reads at most $2 doclist entries (a rowid range).
    term_sample: Option<&'static str>,
    /// Compact the full-text indexes and refresh planner statistics after a
    /// bulk load (`Db::optimize_search`).
    optimize: &'static [&'static str],
    /// Rebuild the full-text indexes from their tables
    /// (`Db::rebuild_search`).
    rebuild: &'static [&'static str],
    /// PostgreSQL only: `notes`, `ideas` and `similar_ideas` reading the
    /// newest matches from the ordered RUM index (see `search_plan`).
    notes_by_rum: Option<&'static str>,
    ideas_by_rum: Option<&'static str>,
    similar_ideas_by_rum: Option<&'static str>,
}

/// The counting arguments of `bearing_rank` (crate bearing-fts5) for FTS
/// table `$fts` over table `$tbl`: for each phrase in the JSON array
/// parameter `$phrases`, how many of the newest `$n` rows hold it (a rowid
/// range, so each count reads at most `$n` doclist entries), then how many
/// rows that sample has. Both sub-queries are uncorrelated: SQLite runs
/// them once per statement.
macro_rules! sampled_counts {
    ($fts:literal, $tbl:literal, $phrases:literal, $n:literal) => {
        concat!(
            "(SELECT group_concat((SELECT count(*) FROM ",
            $fts,
            " s WHERE s.",
            $fts,
            " MATCH j.value AND s.rowid > (SELECT coalesce(max(rowid), 0) FROM ",
            $tbl,
            ") - ",
            $n,
            "), ' ') FROM json_each(",
            $phrases,
            ") j), (SELECT count(*) FROM ",
            $tbl,
            " WHERE rowid > (SELECT coalesce(max(rowid), 0) FROM ",
            $tbl,
            ") - ",
            $n,
            ")"
        )
    };
}

/// SQLite: the search filters ($2 state, $3 customer, $4 area, $5–$6
/// dates) on the note whose rowid is `$row`; true at once when none is set,
/// so the unfiltered search never reads the notes table.
macro_rules! sqlite_note_filter {
    ($row:literal) => {
        concat!(
            "(($2 IS NULL AND $3 IS NULL AND $4 IS NULL AND $5 = -9223372036854775808 AND $6 = 9223372036854775807) OR EXISTS (SELECT 1 FROM notes w WHERE w.rowid = ",
            $row,
            " AND ($2 IS NULL OR w.state = $2) AND ($3 IS NULL OR w.customer_id = $3) AND ($4 IS NULL OR EXISTS (SELECT 1 FROM links l JOIN ideas i ON i.id = l.idea_id WHERE l.note_id = w.id AND i.area_id = $4)) AND w.created_at >= $5 AND w.created_at < $6))"
        )
    };
}

/// SQLite: the search filters on the idea whose rowid is `$row`; see
/// [`sqlite_note_filter!`].
macro_rules! sqlite_idea_filter {
    ($row:literal) => {
        concat!(
            "(($2 IS NULL AND $3 IS NULL AND $4 IS NULL AND $5 = -9223372036854775808 AND $6 = 9223372036854775807) OR EXISTS (SELECT 1 FROM ideas w WHERE w.rowid = ",
            $row,
            " AND ($2 IS NULL OR w.status = $2) AND ($3 IS NULL OR EXISTS (SELECT 1 FROM links l JOIN notes n ON n.id = l.note_id WHERE l.idea_id = w.id AND n.customer_id = $3)) AND ($4 IS NULL OR w.area_id = $4) AND w.created_at >= $5 AND w.created_at < $6))"
        )
    };
}

// SQLite: ranked by `bearing_rank`, BM25 with term rarity measured on the
// newest rows (see `sampled_counts!`), not FTS5's `bm25()`, which counts
// every match of every term on each query. Column weights: idea title 10,
// problem 4, proposal 2; customer name 10, domain 2. The page's rows are
// joined back to the FTS table for `snippet()` with CROSS JOIN, which keeps
// that join order: left to itself the planner scanned every match instead.
// The candidate window: a scalar sub-query streams matching rowids newest
// first (FTS5 serves `ORDER BY rowid DESC` from its doclists without scoring)
// and finds the $9-th one; the outer MATCH then carries `rowid >= that`,
// which FTS5 applies as a range on the doclists, so bearing_rank() and
// snippet() run on at most $9 rows. The filters are repeated inside so the window
// holds $9 rows that pass them. No $9-th row (fewer matches): bound 0.
// Ideas merged into another are never results (their URL redirects to the
// survivor, which holds their notes): on SQLite they leave ideas_fts
// (triggers of migration 0006), which costs the queries nothing; reading
// each candidate's idea row instead cost a fifth of search throughput.
const SQLITE: Dialect = Dialect {
    notes: concat!(
        "SELECT n.id AS id, m.score AS score, snippet(o.notes_fts, 0, char(1), char(2), '…', 24) AS snippet, substr(n.text, 1, 200) AS title, n.created_at AS created_at, c.name AS detail FROM (SELECT rowid AS r, bearing_rank(notes_fts, ",
        sampled_counts!("notes_fts", "notes", "$10", "$9"),
        ") AS score FROM notes_fts WHERE notes_fts MATCH $1 AND rowid >= COALESCE((SELECT f.rowid FROM notes_fts f WHERE f.notes_fts MATCH $1 AND ",
        sqlite_note_filter!("f.rowid"),
        " ORDER BY f.rowid DESC LIMIT 1 OFFSET $9 - 1), 0) AND ",
        sqlite_note_filter!("notes_fts.rowid"),
        " ORDER BY score DESC, rowid LIMIT $7 OFFSET $8) m CROSS JOIN notes_fts o ON o.rowid = m.r JOIN notes n ON n.rowid = m.r LEFT JOIN customers c ON c.id = n.customer_id WHERE o.notes_fts MATCH $1 ORDER BY m.score DESC, m.r"
    ),
    ideas: concat!(
        "SELECT i.id AS id, m.score AS score, snippet(o.ideas_fts, -1, char(1), char(2), '…', 24) AS snippet, i.title AS title, i.created_at AS created_at, i.status AS detail FROM (SELECT rowid AS r, bearing_rank(ideas_fts, ",
        sampled_counts!("ideas_fts", "ideas", "$10", "$9"),
        ", 10.0, 4.0, 2.0) AS score FROM ideas_fts WHERE ideas_fts MATCH $1 AND rowid >= COALESCE((SELECT f.rowid FROM ideas_fts f WHERE f.ideas_fts MATCH $1 AND ",
        sqlite_idea_filter!("f.rowid"),
        " ORDER BY f.rowid DESC LIMIT 1 OFFSET $9 - 1), 0) AND ",
        sqlite_idea_filter!("ideas_fts.rowid"),
        " ORDER BY score DESC, rowid LIMIT $7 OFFSET $8) m CROSS JOIN ideas_fts o ON o.rowid = m.r JOIN ideas i ON i.rowid = m.r WHERE o.ideas_fts MATCH $1 ORDER BY m.score DESC, m.r"
    ),
    customers: concat!(
        "SELECT c.id AS id, bearing_rank(customers_fts, ",
        sampled_counts!("customers_fts", "customers", "$10", "$9"),
        ", 10.0, 2.0) AS score, snippet(customers_fts, -1, char(1), char(2), '…', 16) AS snippet, c.name AS title, c.created_at AS created_at, c.segment AS detail FROM customers_fts JOIN customers c ON c.rowid = customers_fts.rowid WHERE customers_fts MATCH $1 AND customers_fts.rowid >= COALESCE((SELECT f.rowid FROM customers_fts f JOIN customers w ON w.rowid = f.rowid WHERE f.customers_fts MATCH $1 AND ($3 IS NULL OR w.id = $3) AND w.created_at >= $5 AND w.created_at < $6 ORDER BY f.rowid DESC LIMIT 1 OFFSET $9 - 1), 0) AND $2 IS NULL AND ($3 IS NULL OR c.id = $3) AND $4 IS NULL AND c.created_at >= $5 AND c.created_at < $6 ORDER BY score DESC, c.id LIMIT $7 OFFSET $8"
    ),
    similar_ideas: concat!(
        "SELECT i.id AS id, m.score AS score FROM (SELECT rowid AS r, bearing_rank(ideas_fts, ",
        sampled_counts!("ideas_fts", "ideas", "$4", "$3"),
        ", 10.0, 4.0, 2.0) AS score FROM ideas_fts WHERE ideas_fts MATCH $1 AND rowid >= COALESCE((SELECT f.rowid FROM ideas_fts f WHERE f.ideas_fts MATCH $1 ORDER BY f.rowid DESC LIMIT 1 OFFSET $3 - 1), 0) ORDER BY score DESC LIMIT $2) m JOIN ideas i ON i.rowid = m.r"
    ),
    similar_by_notes: concat!(
        "SELECT l.idea_id AS id, SUM(m.score) AS score FROM (SELECT rowid, bearing_rank(notes_fts, ",
        sampled_counts!("notes_fts", "notes", "$5", "$4"),
        ") AS score FROM notes_fts WHERE notes_fts MATCH $1 AND rowid >= COALESCE((SELECT f.rowid FROM notes_fts f WHERE f.notes_fts MATCH $1 ORDER BY f.rowid DESC LIMIT 1 OFFSET $4 - 1), 0) ORDER BY score DESC LIMIT $2) m JOIN notes n ON n.rowid = m.rowid JOIN links l ON l.note_id = n.id WHERE ($3 IS NULL OR n.id <> $3) GROUP BY l.idea_id"
    ),
    term_sample: Some(
        "SELECT j.value AS term, (SELECT count(*) FROM notes_fts WHERE notes_fts MATCH '\"' || j.value || '\"' AND rowid > (SELECT coalesce(max(rowid), 0) FROM notes) - $2) AS docs, (SELECT count(*) FROM notes WHERE rowid > (SELECT coalesce(max(rowid), 0) FROM notes) - $2) AS total FROM json_each($1) j",
    ),
    // FTS5 keeps an index as a stack of segments, each searched for every
    // term; a bulk load leaves dozens. 'optimize' merges them into one
    // (about 2 s for 1M notes).
    optimize: &[
        "INSERT INTO notes_fts(notes_fts) VALUES ('optimize')",
        "INSERT INTO ideas_fts(ideas_fts) VALUES ('optimize')",
        "INSERT INTO customers_fts(customers_fts) VALUES ('optimize')",
        "ANALYZE",
    ],
    // External-content FTS5 tables re-read every row of their table.
    rebuild: &[
        "INSERT INTO notes_fts(notes_fts) VALUES ('rebuild')",
        "INSERT INTO ideas_fts(ideas_fts) VALUES ('rebuild')",
        "INSERT INTO customers_fts(customers_fts) VALUES ('rebuild')",
        // 'rebuild' indexes every row; merged-away ideas stay out.
        "INSERT INTO ideas_fts(ideas_fts, rowid, title, problem, proposal) SELECT 'delete', rowid, title, problem, proposal FROM ideas WHERE merged_into IS NOT NULL",
    ],
    notes_by_rum: None,
    ideas_by_rum: None,
    similar_ideas_by_rum: None,
};

/// PostgreSQL's notes search with `$window` choosing the newest $9
/// matches (by id or by RUM; see the comment below the macros).
macro_rules! pg_notes {
    ($($window:tt)+) => {
        concat!(
            "SELECT s.id, s.score, ts_headline('english', s.text, websearch_to_tsquery('english', $1), 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet, left(s.text, 200) AS title, s.created_at, s.detail FROM (SELECT n.id, n.text, n.created_at, c.name AS detail, ts_rank_cd(n.search_vector, q)::float8 AS score FROM (SELECT w.id, w.text, w.created_at, w.customer_id, w.search_vector FROM notes w WHERE w.search_vector @@ websearch_to_tsquery('english', $1) AND ($2::text IS NULL OR w.state = $2::text) AND ($3::uuid IS NULL OR w.customer_id = $3::uuid) AND ($4::uuid IS NULL OR EXISTS (SELECT 1 FROM links l JOIN ideas i ON i.id = l.idea_id WHERE l.note_id = w.id AND i.area_id = $4::uuid)) AND w.created_at >= $5 AND w.created_at < $6 ",
            $($window)+,
            ") n CROSS JOIN websearch_to_tsquery('english', $1) q LEFT JOIN customers c ON c.id = n.customer_id ORDER BY score DESC, n.id LIMIT $7 OFFSET $8) s ORDER BY s.score DESC, s.id"
        )
    };
}

/// PostgreSQL's ideas search; see [`pg_notes!`].
macro_rules! pg_ideas {
    ($($window:tt)+) => {
        concat!(
            "SELECT s.id, s.score, ts_headline('english', s.title || ' — ' || s.problem || ' ' || s.proposal, websearch_to_tsquery('english', $1), 'StartSel=' || chr(1) || ', StopSel=' || chr(2) || ', MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=\" … \"') AS snippet, s.title, s.created_at, s.detail FROM (SELECT i.id, i.title, i.problem, i.proposal, i.created_at, i.status AS detail, ts_rank_cd(i.search_vector, q)::float8 AS score FROM (SELECT w.id, w.title, w.problem, w.proposal, w.created_at, w.status, w.search_vector FROM ideas w WHERE w.search_vector @@ websearch_to_tsquery('english', $1) AND w.merged_into IS NULL AND ($2::text IS NULL OR w.status = $2::text) AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM links l JOIN notes n ON n.id = l.note_id WHERE l.idea_id = w.id AND n.customer_id = $3::uuid)) AND ($4::uuid IS NULL OR w.area_id = $4::uuid) AND w.created_at >= $5 AND w.created_at < $6 ",
            $($window)+,
            ") i CROSS JOIN websearch_to_tsquery('english', $1) q ORDER BY score DESC, i.id LIMIT $7 OFFSET $8) s ORDER BY s.score DESC, s.id"
        )
    };
}

/// The RUM way to the newest `$limit` matches (see the comment below).
macro_rules! rum_window {
    ($limit:literal) => {
        concat!(
            "AND w.id <> '00000000-0000-0000-0000-000000000000'::uuid ORDER BY w.created_at <=| 4102444800000::int8 LIMIT ",
            $limit
        )
    };
}

/// PostgreSQL's similar-ideas look-up over ideas' own text; see
/// [`pg_notes!`].
macro_rules! pg_similar_ideas {
    ($($window:tt)+) => {
        concat!(
            "SELECT i.id, ts_rank(i.search_vector, q)::float8 AS score FROM (SELECT w.id, w.search_vector FROM ideas w WHERE w.search_vector @@ to_tsquery('english', $1) AND w.merged_into IS NULL ",
            $($window)+,
            ") i CROSS JOIN to_tsquery('english', $1) q ORDER BY score DESC, i.id DESC LIMIT $2"
        )
    };
}

// The two ways PostgreSQL finds the newest $9 matches (UUIDv7 ids grow with
// time; created_at is the note's or idea's own date, the same order unless
// rows were imported with earlier dates or share a millisecond). By id
// (`ORDER BY w.id DESC`): the planner either walks the primary key
// backwards until it has $9 matches (cheap for common words) or fetches
// every match from GIN and sorts (cheap for rare ones, dear in between). By
// RUM (migration 0005): the ordered index returns matches by distance
// before 2100-01-01 (`<=|`, in float8: an anchor near real dates keeps
// whole milliseconds apart, which 2^63 would not), newest first, without
// visiting the rows; run with bitmap scans off, or the planner fetches and
// sorts anyway. The `id <> nil-uuid` clause names the partial index's
// predicate, which the plain statements never imply. Which to use is
// `bearing_domain::search::OrderedScanRule`'s call.

// PostgreSQL: websearch_to_tsquery reads the canonical `word "phrase" -not`
// text and never raises a syntax error; ts_headline runs only on the page's
// rows (outer query), as it re-parses the text. The candidate window: the
// innermost sub-select takes the newest $9 matches (ids are UUIDv7, so
// `ORDER BY id DESC` is newest first) and only those are ranked.
const POSTGRES: Dialect = Dialect {
    notes: pg_notes!("ORDER BY w.id DESC LIMIT $9"),
    ideas: pg_ideas!("ORDER BY w.id DESC LIMIT $9"),
    customers: "SELECT s.id, s.score, ts_headline('english', s.name || ' ' || coalesce(s.domain, ''), websearch_to_tsquery('english', $1), 'StartSel=' || chr(1) || ', StopSel=' || chr(2)) AS snippet, s.name AS title, s.created_at, s.detail FROM (SELECT c.id, c.name, c.domain, c.created_at, c.segment AS detail, ts_rank_cd(c.search_vector, q)::float8 AS score FROM (SELECT w.id, w.name, w.domain, w.created_at, w.segment, w.search_vector FROM customers w WHERE w.search_vector @@ websearch_to_tsquery('english', $1) AND $2::text IS NULL AND ($3::uuid IS NULL OR w.id = $3::uuid) AND $4::uuid IS NULL AND w.created_at >= $5 AND w.created_at < $6 ORDER BY w.id DESC LIMIT $9) c CROSS JOIN websearch_to_tsquery('english', $1) q ORDER BY score DESC, c.id LIMIT $7 OFFSET $8) s ORDER BY s.score DESC, s.id",
    similar_ideas: pg_similar_ideas!("ORDER BY w.id DESC LIMIT $3"),
    similar_by_notes: "SELECT l.idea_id AS id, SUM(m.score)::float8 AS score FROM (SELECT n.id, ts_rank(n.search_vector, q)::float8 AS score FROM (SELECT w.id, w.search_vector FROM notes w WHERE w.search_vector @@ to_tsquery('english', $1) ORDER BY w.id DESC LIMIT $4) n CROSS JOIN to_tsquery('english', $1) q ORDER BY score DESC LIMIT $2) m JOIN links l ON l.note_id = m.id WHERE ($3::uuid IS NULL OR m.id <> $3::uuid) GROUP BY l.idea_id",
    term_sample: None,
    // GIN merges its own pending list; the planner needs fresh statistics to
    // choose between the index and a walk of the primary key.
    optimize: &["VACUUM (ANALYZE) notes, ideas, customers, links"],
    // The tsvector columns are generated, so they are always current; only
    // the GIN indexes can bloat.
    rebuild: &[
        "REINDEX INDEX notes_search",
        "REINDEX INDEX ideas_search",
        "REINDEX INDEX customers_search",
    ],
    notes_by_rum: Some(pg_notes!(rum_window!("$9"))),
    ideas_by_rum: Some(pg_ideas!(rum_window!("$9"))),
    similar_ideas_by_rum: Some(pg_similar_ideas!(rum_window!("$3"))),
};

/// A term in more than 1 / `COMMON_TERM_SHARE` of the sampled notes is
/// dropped from the similar-ideas query on SQLite.
const COMMON_TERM_SHARE: i64 = 4;

/// SQLite: `terms` without the very common ones. In an any-of query such a
/// word scores almost nothing (IDF near zero) yet fills the candidate
/// window with notes that share only it. Document frequency is estimated on the
/// newest `SQLITE_CANDIDATES` notes, and only once the table holds that
/// many (below it nothing is dropped, so small workspaces and the labelled
/// quality set rank as before). At least the three rarest terms are kept.
/// PostgreSQL's `ts_rank` has no IDF, so nothing is counted there.
async fn sqlite_rarer_terms(p: &sqlx::SqlitePool, terms: &[String]) -> StoreResult<Vec<String>> {
    let clean = bearing_domain::search::clean_terms(terms);
    let json = to_json_list(&clean);
    let Some(sql) = SQLITE.term_sample else {
        return Ok(clean);
    };
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(sql)
        .bind(json)
        .bind(i64::from(SQLITE_CANDIDATES))
        .fetch_all(p)
        .await?;
    let total = rows.first().map_or(0, |r| r.2);
    if total < i64::from(SQLITE_CANDIDATES) {
        return Ok(clean);
    }
    let mut by_docs: Vec<(i64, String)> = rows.into_iter().map(|(t, d, _)| (d, t)).collect();
    by_docs.sort_by_key(|x| x.0);
    Ok(by_docs
        .into_iter()
        .enumerate()
        .filter(|(i, (d, _))| *i < 3 || d * COMMON_TERM_SHARE <= total)
        .map(|(_, (_, t))| t)
        .collect())
}

/// The `state` filter as it applies to `kind`.
fn state_for(f: &SearchFilter, kind: SearchKind) -> Option<&'static str> {
    match kind {
        SearchKind::Note => f.note_state.map(|s| s.as_str()),
        SearchKind::Idea => f.idea_status.map(|s| s.as_str()),
        SearchKind::Customer => None,
    }
}

/// Whether to keep a search statement prepared between calls. Not on
/// PostgreSQL: after five runs a named statement may switch to a generic
/// plan, made without the query text, which guesses the GIN match count and
/// picks "fetch every match, then sort" — 150 ms to 1.6 s at 1M notes where
/// the plan for the actual words takes a few ms (walk the primary key
/// backwards for common words, bitmap for rare ones). An unnamed statement
/// is planned with its parameters every time (~1 ms).
fn persistent(db: &Db) -> bool {
    matches!(db, Db::Sqlite(_))
}

/// An id and its raw engine score.
type Scored = (Uuid, f64);

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
    /// `offset`; ideas merged into another are left out. The caller checks
    /// `f.includes(kind)` first.
    pub async fn search_kind(
        &self,
        kind: SearchKind,
        q: &SearchQuery,
        f: &SearchFilter,
        offset: u32,
        limit: u32,
    ) -> StoreResult<Vec<SearchRow>> {
        self.search_kind_with(kind, q, f, offset, limit, ScanPlan::Auto)
            .await
    }

    /// [`Db::search_kind`] with the PostgreSQL scan chosen by the caller
    /// (tests and benchmarks compare the two; both give the same rows).
    pub async fn search_kind_with(
        &self,
        kind: SearchKind,
        q: &SearchQuery,
        f: &SearchFilter,
        offset: u32,
        limit: u32,
        plan: ScanPlan,
    ) -> StoreResult<Vec<SearchRow>> {
        let (d, text, n) = match self {
            Db::Sqlite(_) => (&SQLITE, q.fts5(), SQLITE_CANDIDATES),
            Db::Postgres(_) => (&POSTGRES, q.websearch(), POSTGRES_CANDIDATES),
        };
        let sql = match kind {
            SearchKind::Note => d.notes,
            SearchKind::Idea => d.ideas,
            SearchKind::Customer => d.customers,
        };
        let from = f.from.map_or(i64::MIN, |t| t.0);
        let to = f.to.map_or(i64::MAX, |t| t.0);
        macro_rules! query {
            ($sql:expr) => {
                sqlx::query_as($sql)
                    .persistent(persistent(self))
                    .bind(&text)
                    .bind(state_for(f, kind))
                    .bind(f.customer_id.map(|c| c.0))
                    .bind(f.area_id.map(|a| a.0))
                    .bind(from)
                    .bind(to)
                    .bind(i64::from(limit))
                    .bind(i64::from(offset))
                    .bind(i64::from(n))
            };
        }
        let rows: Vec<SearchRow> = match self {
            Db::Sqlite(p) => {
                query!(sql)
                    .bind(to_json_list(&q.fts5_phrases()))
                    .fetch_all(p)
                    .await?
            }
            Db::Postgres(p) => {
                let rum = match kind {
                    SearchKind::Note => d.notes_by_rum,
                    SearchKind::Idea => d.ideas_by_rum,
                    SearchKind::Customer => None,
                };
                // RUM has had bugs with phrase matching (postgrespro/rum
                // #93, #119): phrases stay on GIN.
                let plan = if q.has_phrase() && plan == ScanPlan::Auto {
                    ScanPlan::ById
                } else {
                    plan
                };
                match choose(p, plan, rum, &q.positive_words(), |w| w.ordered(kind)).await {
                    Some(rum) => fetch_ordered!(p, query!(rum))?,
                    None => query!(sql).fetch_all(p).await?,
                }
            }
        };
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
        self.similar_idea_signals_with(terms, except, ideas, notes, ScanPlan::Auto)
            .await
    }

    /// [`Db::similar_idea_signals`] with the PostgreSQL scan of ideas' own
    /// text chosen by the caller (tests compare the two).
    pub async fn similar_idea_signals_with(
        &self,
        terms: &[String],
        except: Option<NoteId>,
        ideas: u32,
        notes: u32,
        plan: ScanPlan,
    ) -> StoreResult<SimilarSignals> {
        if terms.is_empty() {
            return Ok(SimilarSignals::default());
        }
        let (d, text, n, phrases) = match self {
            Db::Sqlite(p) => {
                let kept = sqlite_rarer_terms(p, terms).await?;
                let phrases: Vec<String> = kept.iter().map(|t| fts5_phrase(t)).collect();
                (
                    &SQLITE,
                    bearing_domain::search::fts5_any(&kept),
                    SQLITE_CANDIDATES,
                    to_json_list(&phrases),
                )
            }
            Db::Postgres(_) => (
                &POSTGRES,
                bearing_domain::search::tsquery_any(terms),
                POSTGRES_CANDIDATES,
                String::new(),
            ),
        };
        macro_rules! ideas_q {
            ($sql:expr) => {
                sqlx::query_as($sql)
                    .persistent(persistent(self))
                    .bind(&text)
                    .bind(i64::from(ideas))
                    .bind(i64::from(n))
            };
        }
        macro_rules! notes_q {
            () => {
                sqlx::query_as(d.similar_by_notes)
                    .persistent(persistent(self))
                    .bind(&text)
                    .bind(i64::from(notes))
                    .bind(except.map(|n| n.0))
                    .bind(i64::from(n))
            };
        }
        // The two signals are independent: run them on two pooled
        // connections at once, which halves the wait on a quiet server.
        let (a, b): (Vec<Scored>, Vec<Scored>) = match self {
            Db::Sqlite(p) => tokio::try_join!(
                ideas_q!(d.similar_ideas).bind(&phrases).fetch_all(p),
                notes_q!().bind(&phrases).fetch_all(p),
            )?,
            Db::Postgres(p) => {
                let rum = choose(p, plan, d.similar_ideas_by_rum, terms, |w| {
                    w.ordered_any_of_ideas()
                })
                .await;
                let ideas = async {
                    match rum {
                        Some(rum) => fetch_ordered!(p, ideas_q!(rum)),
                        None => ideas_q!(d.similar_ideas).fetch_all(p).await,
                    }
                };
                tokio::try_join!(ideas, notes_q!().fetch_all(p))?
            }
        };
        Ok(SimilarSignals {
            by_idea_text: a.into_iter().map(|(i, s)| (IdeaId(i), s)).collect(),
            by_linked_notes: b.into_iter().map(|(i, s)| (IdeaId(i), s)).collect(),
        })
    }

    /// Compact the search indexes and refresh the query planner's statistics:
    /// run after a bulk load (`bearing gen` does), not needed for day-to-day
    /// writes, which the engines merge incrementally.
    pub async fn optimize_search(&self) -> StoreResult<()> {
        for &sql in self.dialect().optimize {
            on_db!(self, p => sqlx::query(sql).execute(p).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    /// Rebuild the search indexes from the notes, ideas and customers
    /// tables: on SQLite after a `VACUUM`, which may renumber the rowids
    /// the FTS5 tables point at (`Db::vacuum` does it itself); on
    /// PostgreSQL to shed index bloat, rebuilding the ordered indexes too
    /// (and creating them if RUM was installed since the migration).
    pub async fn rebuild_search(&self) -> StoreResult<()> {
        // One transaction: a merge between SQLite's 'rebuild' and the
        // removal of merged-away ideas would otherwise corrupt ideas_fts.
        let mut tx = self.begin().await?;
        for &sql in self.dialect().rebuild {
            on_tx!(&mut tx, c => sqlx::query(sql).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.commit().await?;
        self.drop_ordered_search().await?;
        self.ensure_ordered_search().await
    }

    fn dialect(&self) -> &'static Dialect {
        match self {
            Db::Sqlite(_) => &SQLITE,
            Db::Postgres(_) => &POSTGRES,
        }
    }
}

/// The per-backend search statements, for the test that prepares each on
/// its own engine: (SQLite, PostgreSQL).
pub fn dialect_statements() -> (Vec<&'static str>, Vec<&'static str>) {
    let all = |d: &Dialect| {
        let mut v = vec![
            d.notes,
            d.ideas,
            d.customers,
            d.similar_ideas,
            d.similar_by_notes,
        ];
        v.extend(d.term_sample);
        // VACUUM cannot be prepared inside the test's transaction.
        v.extend(d.optimize.iter().filter(|s| !s.starts_with("VACUUM")));
        v.extend(d.rebuild);
        // These need the rum extension, which scripts/test installs.
        v.extend(d.notes_by_rum);
        v.extend(d.ideas_by_rum);
        v.extend(d.similar_ideas_by_rum);
        v
    };
    let mut postgres = all(&POSTGRES);
    postgres.extend(crate::search_plan::postgres_statements());
    (all(&SQLITE), postgres)
}
