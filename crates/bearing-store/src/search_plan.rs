//! How PostgreSQL finds a search's newest matches, chosen per query: GIN
//! with the planner's own plan, or the ordered RUM index of migration 0005
//! (when the server has the extension). The choice is
//! `bearing_domain::search::OrderedScanRule`'s, made from each word's share
//! of rows in the planner's statistics. Reading those costs about a
//! millisecond, so each word's shares are remembered for ten minutes (as is
//! whether the indexes exist): a process-wide memory, since `Db` is a plain
//! enum over pools, keyed by database so the many databases of a test run
//! never share it. The choice changes speed only: both ways return the
//! same rows.

use crate::db::Db;
use crate::error::StoreResult;
use bearing_domain::search::{
    IDEAS_ANY_ORDERED_SCAN, IDEAS_ORDERED_SCAN, NOTES_ORDERED_SCAN, SearchKind,
};
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// This module's SQL, PostgreSQL only (not `&str` constants: they prepare
/// on PostgreSQL alone, checked with the search dialect's statements).
struct PlanSql {
    /// For each word of $1 (a text array): whether it is a word at all
    /// (not a stop word), and its share of notes and of ideas (0 when the
    /// statistics do not list it: rarer than every word they do).
    word_shares: &'static str,
    /// Whether the ordered indexes exist.
    indexes: &'static str,
    /// Run first, in the ordered search's transaction: with bitmap scans
    /// allowed the planner prefers fetching every match from GIN and
    /// sorting, the very cost the ordered index avoids.
    no_bitmaps: &'static str,
    /// Drop the ordered indexes before a bulk load: RUM indexes each row
    /// as it comes (~0.2 ms a note), building afresh is ~20× quicker.
    drop_indexes: &'static str,
    /// Create the extension and the ordered indexes where the server has
    /// RUM and they are missing: migration 0005 itself, idempotent.
    ensure_indexes: &'static str,
}

const SQL: PlanSql = PlanSql {
    word_shares: "SELECT w, l.lex IS NOT NULL, coalesce(n.most_common_elem_freqs[array_position(n.most_common_elems::text::text[], l.lex)], 0)::float8, coalesce(i.most_common_elem_freqs[array_position(i.most_common_elems::text::text[], l.lex)], 0)::float8 FROM unnest($1::text[]) w LEFT JOIN LATERAL unnest(tsvector_to_array(to_tsvector('english', w))) l(lex) ON true LEFT JOIN pg_stats n ON n.schemaname = current_schema() AND n.tablename = 'notes' AND n.attname = 'search_vector' LEFT JOIN pg_stats i ON i.schemaname = current_schema() AND i.tablename = 'ideas' AND i.attname = 'search_vector'",
    indexes: "SELECT to_regclass('notes_search_rum') IS NOT NULL, to_regclass('ideas_search_rum') IS NOT NULL",
    no_bitmaps: "SET LOCAL enable_bitmapscan = off",
    drop_indexes: "DROP INDEX IF EXISTS notes_search_rum, ideas_search_rum",
    ensure_indexes: include_str!("../migrations/postgres/0005_ordered_search.sql"),
};

/// See [`PlanSql::no_bitmaps`].
pub(crate) fn no_bitmaps() -> &'static str {
    SQL.no_bitmaps
}

/// This module's statements, for the test that prepares each search
/// statement on its own engine.
pub fn postgres_statements() -> [&'static str; 4] {
    [
        SQL.word_shares,
        SQL.indexes,
        SQL.no_bitmaps,
        SQL.drop_indexes,
    ]
}

/// How long a word's shares are reused.
const FRESH_FOR: Duration = Duration::from_secs(600);
/// Most words remembered; past it the memory starts afresh.
const MAX_REMEMBERED: usize = 10_000;

/// How a search finds its newest matches on PostgreSQL (SQLite has one
/// way: FTS5 lists matches newest first).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ScanPlan {
    /// Decide per query from the words' shares of rows.
    #[default]
    Auto,
    /// GIN, with the planner's own plan.
    ById,
    /// The ordered RUM index; an error if the server lacks it.
    ByRum,
}

/// What the choice is made from, for one query on one database.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WordShares {
    /// Does `notes_search_rum` exist?
    pub notes_index: bool,
    /// Does `ideas_search_rum` exist?
    pub ideas_index: bool,
    /// Each positive word's share of notes.
    pub notes: Vec<f64>,
    /// Each positive word's share of ideas.
    pub ideas: Vec<f64>,
}

impl WordShares {
    /// Should a search of `kind` use the ordered index?
    pub fn ordered(&self, kind: SearchKind) -> bool {
        match kind {
            SearchKind::Note => self.notes_index && NOTES_ORDERED_SCAN.pays(&self.notes),
            SearchKind::Idea => self.ideas_index && IDEAS_ORDERED_SCAN.pays(&self.ideas),
            SearchKind::Customer => false,
        }
    }

    /// Should an any-of query over ideas (similar ideas) use the ordered
    /// index?
    pub fn ordered_any_of_ideas(&self) -> bool {
        self.ideas_index && IDEAS_ANY_ORDERED_SCAN.pays(&self.ideas)
    }
}

impl Db {
    /// What the PostgreSQL scan for `words` is chosen from (`None` on
    /// SQLite, which has one way).
    pub async fn search_word_shares(&self, words: &[String]) -> StoreResult<Option<WordShares>> {
        match self {
            Db::Sqlite(_) => Ok(None),
            Db::Postgres(p) => Ok(Some(word_shares(p, words).await?)),
        }
    }

    /// Before a bulk load: drop PostgreSQL's ordered search indexes (search
    /// keeps working, on GIN alone). [`Db::ensure_ordered_search`] after.
    pub async fn drop_ordered_search(&self) -> StoreResult<()> {
        if let Db::Postgres(p) = self {
            sqlx::query(SQL.drop_indexes).execute(p).await?;
            forget(p);
        }
        Ok(())
    }

    /// Build PostgreSQL's ordered search indexes where the server has the
    /// rum extension and they are missing (after a bulk load, or once RUM
    /// is installed on a server that lacked it). Nothing on SQLite.
    pub async fn ensure_ordered_search(&self) -> StoreResult<()> {
        if let Db::Postgres(p) = self {
            sqlx::raw_sql(SQL.ensure_indexes).execute(p).await?;
            forget(p);
        }
        Ok(())
    }
}

/// The ordered statement to run instead of the plain one, or `None` for
/// the plain one: `rum` (if this backend has one) as `plan` says; under
/// `Auto`, when `pays` says so of the words' shares. Shares that cannot be
/// read mean GIN, which is never wrong, only sometimes slower.
pub(crate) async fn choose(
    pool: &PgPool,
    plan: ScanPlan,
    rum: Option<&'static str>,
    words: &[String],
    pays: impl Fn(&WordShares) -> bool,
) -> Option<&'static str> {
    match plan {
        ScanPlan::ById => None,
        ScanPlan::ByRum => rum,
        ScanPlan::Auto => {
            rum?;
            match word_shares(pool, words).await {
                Ok(w) => pays(&w).then_some(rum).flatten(),
                Err(e) => {
                    tracing::warn!(error = %e, "search plan: word shares unavailable; searching with GIN");
                    None
                }
            }
        }
    }
}

/// A remembered word: `None` for a stop word, else its share of notes and
/// of ideas.
type Shares = Option<(f64, f64)>;

/// What is remembered for one database.
#[derive(Default)]
struct Remembered {
    /// Bumped by `forget`, so a read that started before it does not store
    /// what it read about the indexes.
    epoch: u64,
    /// When the index check was made, and (notes, ideas) index exist.
    indexes: Option<(Instant, (bool, bool))>,
    /// Per lowercase word: when read, and its shares.
    words: HashMap<String, (Instant, Shares)>,
}

static REMEMBERED: LazyLock<Mutex<HashMap<String, Remembered>>> = LazyLock::new(Mutex::default);

/// The key of `pool`'s database in the memory.
fn database_of(pool: &PgPool) -> String {
    let o = pool.connect_options();
    format!(
        "{}:{}/{}",
        o.get_host(),
        o.get_port(),
        o.get_database().unwrap_or_default()
    )
}

/// Forget what is remembered of `pool`'s database, after changing its
/// ordered indexes. (Other processes notice within `FRESH_FOR`; meanwhile
/// their ordered searches still return the right rows, slowly.)
fn forget(pool: &PgPool) {
    let mut memory = REMEMBERED.lock().unwrap_or_else(PoisonError::into_inner);
    let db = memory.entry(database_of(pool)).or_default();
    db.epoch += 1;
    db.indexes = None;
}

/// The word shares of `words` (lowercase words) on `pool`'s database,
/// read afresh at most every `FRESH_FOR`.
pub(crate) async fn word_shares(pool: &PgPool, words: &[String]) -> StoreResult<WordShares> {
    let database = database_of(pool);
    let fresh = |at: &Instant| at.elapsed() < FRESH_FOR;
    let (epoch, indexes, mut known, missing) = {
        let mut memory = REMEMBERED.lock().unwrap_or_else(PoisonError::into_inner);
        let db = memory.entry(database.clone()).or_default();
        let indexes = db.indexes.filter(|(at, _)| fresh(at)).map(|(_, x)| x);
        let mut known = HashMap::new();
        let mut missing = Vec::new();
        for w in words {
            match db.words.get(w).filter(|(at, _)| fresh(at)) {
                Some((_, shares)) => {
                    known.insert(w.clone(), *shares);
                }
                None => missing.push(w.clone()),
            }
        }
        (db.epoch, indexes, known, missing)
    };
    let now = Instant::now();
    let mut read: Vec<(String, Shares)> = Vec::new();
    if !missing.is_empty() {
        let rows: Vec<(String, bool, f64, f64)> = sqlx::query_as(SQL.word_shares)
            .bind(&missing)
            .fetch_all(pool)
            .await?;
        read = rows
            .into_iter()
            .map(|(w, is_word, n, i)| (w, is_word.then_some((n, i))))
            .collect();
    }
    let checked: Option<(bool, bool)> = match indexes {
        Some(_) => None,
        None => Some(sqlx::query_as(SQL.indexes).fetch_one(pool).await?),
    };
    let (notes_index, ideas_index) = indexes.or(checked).unwrap_or_default();
    {
        let mut memory = REMEMBERED.lock().unwrap_or_else(PoisonError::into_inner);
        let db = memory.entry(database).or_default();
        if db.words.len() + read.len() > MAX_REMEMBERED {
            db.words.clear();
        }
        if let Some(found) = checked
            && db.epoch == epoch
        {
            db.indexes = Some((now, found));
        }
        for (w, shares) in read {
            db.words.insert(w.clone(), (now, shares));
            known.insert(w, shares);
        }
    }
    let shares: Vec<(f64, f64)> = words
        .iter()
        .filter_map(|w| known.get(w).copied().flatten())
        .collect();
    Ok(WordShares {
        notes_index,
        ideas_index,
        notes: shares.iter().map(|s| s.0).collect(),
        ideas: shares.iter().map(|s| s.1).collect(),
    })
}
