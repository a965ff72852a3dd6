//! Full-text search rules, free of any engine: parsing what a user types into
//! words, "quoted phrases" and -exclusions (with clear validation errors),
//! rendering a parsed query for SQLite FTS5 (`MATCH`) and for PostgreSQL
//! (`websearch_to_tsquery`), turning engine-highlighted snippets into safe
//! HTML, and the pure parts of "similar ideas": picking the salient words of
//! a text and blending the two similarity signals.
//!
//! It does not run queries (bearing-store does) or decide what is searched.
//!
//! Query syntax, by design strict so a malformed query is a 422 with a
//! message rather than a surprise: words are separated by spaces; `"…"` is a
//! phrase; a leading `-` excludes a word or phrase. Words are split on
//! anything that is not a letter or digit, as both engines' tokenisers do
//! (`e-mail` becomes the phrase `e mail`). Refused: an empty query, a query
//! of exclusions only, an unbalanced quote, more than [`MAX_QUERY_CHARS`]
//! characters or more than [`MAX_QUERY_TERMS`] words and phrases.

pub mod bm25;

use crate::error::ValidationError;
use std::collections::HashMap;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words and phrases (together, exclusions included) in one query.
pub const MAX_QUERY_TERMS: usize = 12;
/// Marks the start of a highlighted match in engine snippets.
pub const MARK_START: char = '\u{1}';
/// Marks the end of a highlighted match in engine snippets.
pub const MARK_END: char = '\u{2}';

/// One word or phrase of a query, lowercased and split into tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clause {
    /// The tokens; one for a word, several for a phrase.
    pub words: Vec<String>,
    /// Was it written as an exclusion (`-word`, `-"a phrase"`)?
    pub excluded: bool,
}

/// A parsed, validated search query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchQuery {
    /// The clauses in the order written; at least one is not excluded.
    pub clauses: Vec<Clause>,
}

/// Letters and digits make words; everything else separates them.
/// Lowercased before splitting: some letters lowercase to a letter and a
/// combining mark (`İ` → `i̇`), which would split on the next parse.
fn tokens(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn invalid(msg: impl Into<String>) -> ValidationError {
    ValidationError::new("q", msg)
}

impl SearchQuery {
    /// Parse what the user typed. Errors name the field `q`.
    pub fn parse(raw: &str) -> Result<SearchQuery, ValidationError> {
        // Tokenising would drop a control character silently; refuse it
        // as every other text input does.
        crate::text::plain_text("q", raw)?;
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(ValidationError::missing(
                "q",
                "type something to search for",
            ));
        }
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(invalid(format!(
                "a search is at most {MAX_QUERY_CHARS} characters"
            )));
        }
        if raw.chars().filter(|c| *c == '"').count() % 2 == 1 {
            return Err(invalid(
                "unbalanced quote: close the \"phrase\" or remove the quote",
            ));
        }
        let mut clauses = Vec::new();
        let mut chars = raw.chars().peekable();
        loop {
            while chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            let Some(&c) = chars.peek() else { break };
            let mut excluded = false;
            if c == '-' {
                excluded = true;
                chars.next();
            }
            let text: String = if chars.peek() == Some(&'"') {
                chars.next();
                let t: String = chars.by_ref().take_while(|c| *c != '"').collect();
                t
            } else {
                let mut t = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || c == '"' {
                        break;
                    }
                    t.push(c);
                    chars.next();
                }
                t
            };
            let words = tokens(&text);
            if !words.is_empty() {
                clauses.push(Clause { words, excluded });
            }
        }
        if clauses.len() > MAX_QUERY_TERMS {
            return Err(invalid(format!(
                "a search has at most {MAX_QUERY_TERMS} words and phrases"
            )));
        }
        if clauses.is_empty() {
            return Err(invalid("search for at least one word or number"));
        }
        if clauses.iter().all(|c| c.excluded) {
            return Err(invalid(
                "a search needs at least one word to find, not only -exclusions",
            ));
        }
        Ok(SearchQuery { clauses })
    }

    /// The canonical text of the query: `word "a phrase" -other`. Parsing it
    /// again gives the same query.
    pub fn canonical(&self) -> String {
        self.clauses
            .iter()
            .map(|c| {
                let body = if c.words.len() == 1 {
                    c.words[0].clone()
                } else {
                    format!("\"{}\"", c.words.join(" "))
                };
                if c.excluded { format!("-{body}") } else { body }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// An SQLite FTS5 `MATCH` expression. Every token is double-quoted, so no
    /// user text can be read as FTS5 syntax (tokens hold only letters and
    /// digits anyway). Positive clauses are ANDed; exclusions use `NOT`.
    pub fn fts5(&self) -> String {
        let phrases = self.fts5_phrases();
        let positive = self.clauses.iter().filter(|c| !c.excluded).count();
        let (pos, neg) = phrases.split_at(positive);
        let mut out = format!("({})", pos.join(" AND "));
        for p in neg {
            out.push_str(" NOT ");
            out.push_str(p);
        }
        out
    }

    /// Each phrase of [`SearchQuery::fts5`], quoted, in the order FTS5
    /// numbers them (positive clauses, then exclusions): what the ranking
    /// function's per-phrase term counts line up with.
    pub fn fts5_phrases(&self) -> Vec<String> {
        let quoted = |c: &Clause| fts5_phrase(&c.words.join(" "));
        let pos = self.clauses.iter().filter(|c| !c.excluded).map(quoted);
        pos.chain(self.clauses.iter().filter(|c| c.excluded).map(quoted))
            .collect()
    }

    /// Does a positive clause hold a phrase (several words in a row)?
    pub fn has_phrase(&self) -> bool {
        self.clauses
            .iter()
            .any(|c| !c.excluded && c.words.len() > 1)
    }

    /// Every word of the positive clauses: what a match must contain, for
    /// judging how common the query's words are.
    pub fn positive_words(&self) -> Vec<String> {
        self.clauses
            .iter()
            .filter(|c| !c.excluded)
            .flat_map(|c| c.words.iter().cloned())
            .collect()
    }

    /// Text for PostgreSQL's `websearch_to_tsquery`, which never raises a
    /// syntax error and reads the same `word "phrase" -not` syntax. It is
    /// always bound as a parameter.
    pub fn websearch(&self) -> String {
        self.canonical()
    }
}

/// Escape text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Turn an engine snippet, with matches wrapped in [`MARK_START`] …
/// [`MARK_END`], into safe HTML: everything is escaped, then the markers
/// become `<mark>` … `</mark>`. Unpaired markers are dropped, so the output
/// always has balanced tags.
pub fn snippet_html(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 32);
    let mut open = false;
    for part in snippet.split_inclusive([MARK_START, MARK_END]) {
        let (text, marker) = match part.chars().last() {
            Some(m @ (MARK_START | MARK_END)) => (&part[..part.len() - m.len_utf8()], Some(m)),
            _ => (part, None),
        };
        out.push_str(&escape_html(text));
        match marker {
            Some(MARK_START) if !open => {
                out.push_str("<mark>");
                open = true;
            }
            Some(MARK_END) if open => {
                out.push_str("</mark>");
                open = false;
            }
            _ => {}
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// Common English words that say nothing about what a note is about.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "don",
    "down",
    "during",
    "each",
    "even",
    "every",
    "few",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "getting",
    "got",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "like",
    "ll",
    "me",
    "more",
    "most",
    "much",
    "must",
    "my",
    "need",
    "needs",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "really",
    "s",
    "said",
    "same",
    "say",
    "says",
    "she",
    "should",
    "so",
    "some",
    "still",
    "such",
    "t",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "us",
    "ve",
    "very",
    "want",
    "wants",
    "was",
    "way",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "re",
    "d",
    "m",
    "let",
    "make",
    "makes",
    "without",
    "team",
    "teams",
    "customer",
    "customers",
    "user",
    "users",
    "able",
    "since",
    "ask",
    "asked",
    "asking",
    "told",
    "day",
    "days",
    "week",
    "weeks",
    "time",
    "lot",
    "lots",
    "use",
    "using",
    "used",
];

/// Is `w` a stop word (lowercase input)?
pub fn is_stop_word(w: &str) -> bool {
    STOP_WORDS.contains(&w)
}

/// The `n` most telling words of `text`: lowercased, stop words, numbers and
/// words under three letters dropped, ranked by how often they occur (then
/// by length, longer first, then alphabetically so the choice is stable).
pub fn salient_terms(text: &str, n: usize) -> Vec<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for w in tokens(text) {
        if w.chars().count() < 3 || w.chars().all(|c| c.is_numeric()) || is_stop_word(&w) {
            continue;
        }
        *counts.entry(w).or_insert(0) += 1;
    }
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.0.chars().count().cmp(&a.0.chars().count()))
            .then(a.0.cmp(&b.0))
    });
    v.into_iter().take(n).map(|(w, _)| w).collect()
}

/// One FTS5 phrase: `words` double-quoted (any quote inside dropped), so
/// nothing in it can be read as FTS5 syntax.
pub fn fts5_phrase(words: &str) -> String {
    format!("\"{}\"", words.replace('"', ""))
}

/// An FTS5 `MATCH` expression that finds any of `terms` (each quoted).
pub fn fts5_any(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| fts5_phrase(t))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// `terms` with everything but letters and digits dropped, and emptied
/// terms left out: safe to put into either engine's query syntax.
pub fn clean_terms(terms: &[String]) -> Vec<String> {
    terms
        .iter()
        .map(|t| {
            t.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// A PostgreSQL `to_tsquery` text that finds any of `terms`. Terms come from
/// [`salient_terms`]; [`clean_terms`] drops anything else, so the text can
/// never hold tsquery operators. Bound as a parameter.
pub fn tsquery_any(terms: &[String]) -> String {
    clean_terms(terms).join(" | ")
}

/// How much the idea's own text counts against the text of its linked notes
/// when ranking similar ideas (see docs/search-quality.md).
pub const SIMILAR_IDEA_WEIGHT: f64 = 0.6;

/// Blend the two similarity signals of one idea: its own text's score and
/// the summed score of its linked notes, each divided by the best of its kind
/// among the candidates (so both lie in 0..=1).
pub fn blend_similarity(idea: f64, idea_max: f64, notes: f64, notes_max: f64) -> f64 {
    let norm = |x: f64, max: f64| {
        if max > 0.0 {
            (x / max).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    SIMILAR_IDEA_WEIGHT * norm(idea, idea_max)
        + (1.0 - SIMILAR_IDEA_WEIGHT) * norm(notes, notes_max)
}

/// Squash an unbounded relevance score (`-bm25`, `ts_rank_cd`) into 0..1 so
/// results of different types can be merged on one scale.
pub fn squash_score(raw: f64) -> f64 {
    if raw.is_finite() && raw > 0.0 {
        raw / (raw + 1.0)
    } else {
        0.0
    }
}

/// What a search result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// A note (feedback).
    Note,
    /// A feature idea.
    Idea,
    /// A customer.
    Customer,
}

impl SearchKind {
    /// Every kind, in the order results are merged on equal scores.
    pub const ALL: [SearchKind; 3] = [SearchKind::Idea, SearchKind::Note, SearchKind::Customer];

    /// The key used in the API (`type=`) and cursors.
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Note => "note",
            SearchKind::Idea => "idea",
            SearchKind::Customer => "customer",
        }
    }

    /// Parse a `type` value.
    pub fn parse_field(s: &str, field: &str) -> Result<SearchKind, ValidationError> {
        match s.trim() {
            "note" | "notes" => Ok(SearchKind::Note),
            "idea" | "ideas" => Ok(SearchKind::Idea),
            "customer" | "customers" => Ok(SearchKind::Customer),
            other => Err(ValidationError::new(
                field,
                format!("'{other}' is not a result type; use note, idea or customer"),
            )),
        }
    }
}

/// Filters on a search. A filter that means nothing for a kind leaves that
/// kind out: `area_id` and `state` hide customers, a note-only state hides
/// ideas and an idea-only status hides notes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchFilter {
    /// Only this kind; `None` for all.
    pub kind: Option<SearchKind>,
    /// Ideas in this area; notes linked to an idea in it.
    pub area_id: Option<crate::AreaId>,
    /// A note state, when `state` named one.
    pub note_state: Option<crate::NoteState>,
    /// An idea status, when `state` named one.
    pub idea_status: Option<crate::IdeaStatus>,
    /// Notes of this customer; ideas it asked for; the customer itself.
    pub customer_id: Option<crate::CustomerId>,
    /// Created at or after (epoch ms).
    pub from: Option<crate::Timestamp>,
    /// Created before (epoch ms).
    pub to: Option<crate::Timestamp>,
}

impl SearchFilter {
    /// Read `state`: a note state, an idea status, or both (`wont_do`).
    pub fn set_state(&mut self, s: &str) -> Result<(), ValidationError> {
        self.note_state = s.parse().ok();
        self.idea_status = s.parse().ok();
        if self.note_state.is_none() && self.idea_status.is_none() {
            return Err(ValidationError::new(
                "state",
                format!("'{s}' is neither a note state nor an idea status"),
            ));
        }
        Ok(())
    }

    /// Does `kind` take part in this search?
    pub fn includes(&self, kind: SearchKind) -> bool {
        if self.kind.is_some_and(|k| k != kind) {
            return false;
        }
        let state_set = self.note_state.is_some() || self.idea_status.is_some();
        match kind {
            SearchKind::Note => !state_set || self.note_state.is_some(),
            SearchKind::Idea => !state_set || self.idea_status.is_some(),
            SearchKind::Customer => !state_set && self.area_id.is_none(),
        }
    }
}

/// Parse a `yyyy-mm-dd` date as the epoch-ms start of that UTC day; with
/// `end`, the start of the next day (so a `to` date is inclusive).
pub fn parse_day(s: &str, field: &str, end: bool) -> Result<crate::Timestamp, ValidationError> {
    let bad = || ValidationError::new(field, format!("'{s}' is not a date like 2024-05-31"));
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(s.trim(), &fmt).map_err(|_| bad())?;
    let d = if end {
        d.next_day().ok_or_else(bad)?
    } else {
        d
    };
    Ok(crate::Timestamp::from_datetime(d.midnight().assume_utc()))
}

/// Per-kind offsets: where each kind's results continue on the next page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SearchCursor {
    /// Notes already shown.
    #[serde(default)]
    pub n: u32,
    /// Ideas already shown.
    #[serde(default)]
    pub i: u32,
    /// Customers already shown.
    #[serde(default)]
    pub c: u32,
}

impl SearchCursor {
    /// The offset of one kind.
    pub fn offset(&self, kind: SearchKind) -> u32 {
        match kind {
            SearchKind::Note => self.n,
            SearchKind::Idea => self.i,
            SearchKind::Customer => self.c,
        }
    }

    /// Move one kind's offset on by `by`.
    pub fn advance(&mut self, kind: SearchKind, by: u32) {
        match kind {
            SearchKind::Note => self.n += by,
            SearchKind::Idea => self.i += by,
            SearchKind::Customer => self.c += by,
        }
    }

    /// Encode as an opaque URL-safe string.
    pub fn encode(&self) -> String {
        use base64::Engine;
        let json = serde_json::to_vec(self).unwrap_or_default();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }

    /// Decode a cursor made by [`SearchCursor::encode`].
    pub fn decode(s: &str) -> Result<SearchCursor, ValidationError> {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s.trim())
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| {
                ValidationError::new("cursor", "not a cursor from a previous search page")
            })
    }
}

/// When PostgreSQL should take a query's newest matches from its ordered
/// (RUM) index instead of GIN, judged from each positive word's share of
/// the table's rows (the planner's statistics; 0 for a word too rare to be
/// listed there). From measurements at 1M notes (docs/performance.md): GIN
/// finds matches cheaply but must visit every matching row (~2 µs each) to
/// sort them by date, and the planner, guessing word overlap as independent,
/// picks that even for tens of thousands of matches; walking the newest rows
/// until enough match costs ~0.25 µs a row, good when matches are common;
/// the ordered index reads every entry of every word (~0.1 µs each), so it
/// wins for words of a few percent, and only then.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrderedScanRule {
    /// Fewest positive words. For one word the planner's estimate is exact
    /// and its own choice is as good.
    pub min_terms: usize,
    /// A word rarer than this bounds the matches, so GIN's visits are few.
    pub rare_below: f64,
    /// The ordered index reads every entry of every word: past this summed
    /// share it costs more than walking the newest rows.
    pub max_total: f64,
}

impl OrderedScanRule {
    /// Does the ordered index pay for words with these row shares?
    pub fn pays(&self, shares: &[f64]) -> bool {
        shares.len() >= self.min_terms
            && shares.iter().all(|s| *s >= self.rare_below)
            && shares.iter().sum::<f64>() <= self.max_total
    }
}

/// The rule for notes (1M rows, ~10 to a page).
pub const NOTES_ORDERED_SCAN: OrderedScanRule = OrderedScanRule {
    min_terms: 2,
    rare_below: 0.005,
    max_total: 0.12,
};

/// The rule for ideas: wide rows (~2 to a page) make walking the newest
/// rows dear (~1.2 µs a row), so the ordered index pays for single words
/// too. Against its ~0.24 µs an entry, the two cost the same near a 16%
/// share; shares summed over words overstate the matches of words that go
/// together, hence 20%.
pub const IDEAS_ORDERED_SCAN: OrderedScanRule = OrderedScanRule {
    min_terms: 1,
    rare_below: 0.005,
    max_total: 0.20,
};

/// The rule for any-of queries over ideas (similar-idea suggestions): a
/// rare word does not bound the matches of an any-of query, so only the
/// summed share counts.
pub const IDEAS_ANY_ORDERED_SCAN: OrderedScanRule = OrderedScanRule {
    min_terms: 1,
    rare_below: 0.0,
    max_total: 0.20,
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn q(s: &str) -> SearchQuery {
        SearchQuery::parse(s).unwrap()
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let p = q(r#"SSO "audit log" -okta -"single sign""#);
        assert_eq!(p.canonical(), r#"sso "audit log" -okta -"single sign""#);
        assert_eq!(
            p.fts5(),
            r#"("sso" AND "audit log") NOT "okta" NOT "single sign""#
        );
        assert_eq!(
            p.fts5_phrases(),
            [
                r#""sso""#,
                r#""audit log""#,
                r#""okta""#,
                r#""single sign""#
            ],
            "phrases in FTS5's numbering: positive clauses, then exclusions"
        );
    }

    #[test]
    fn punctuation_splits_words_like_the_engines() {
        assert_eq!(q("e-mail").canonical(), r#""e mail""#);
        assert_eq!(q("c'est").fts5(), r#"("c est")"#);
        assert_eq!(q("NEAR( OR AND *").canonical(), "near or and");
    }

    #[test]
    fn malformed_queries_are_refused_with_a_message() {
        for bad in [
            "",
            "   ",
            "\"unclosed",
            "-only -exclusions",
            "!!! ???",
            "\"\"",
        ] {
            let e = SearchQuery::parse(bad).unwrap_err();
            assert_eq!(e.field, "q", "{bad}");
            assert!(!e.message.is_empty());
        }
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        assert!(SearchQuery::parse(&long).is_err());
        let many = (0..=MAX_QUERY_TERMS)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(SearchQuery::parse(&many).is_err());
    }

    #[test]
    fn snippets_escape_then_mark() {
        assert_eq!(
            snippet_html("a <b> \u{1}SSO\u{2} & \"x\""),
            "a &lt;b&gt; <mark>SSO</mark> &amp; &quot;x&quot;"
        );
        assert_eq!(snippet_html("\u{2}x\u{1}y"), "x<mark>y</mark>");
    }

    #[test]
    fn salient_terms_skip_stop_words() {
        let t = salient_terms(
            "We need SSO. The SSO login is broken and we need it now, 2024.",
            3,
        );
        assert_eq!(t, ["sso", "broken", "login"]);
        assert_eq!(fts5_any(&t), r#""sso" OR "broken" OR "login""#);
        assert_eq!(tsquery_any(&t), "sso | broken | login");
    }

    #[test]
    fn blending_is_bounded() {
        assert!((blend_similarity(2.0, 2.0, 3.0, 3.0) - 1.0).abs() < 1e-9);
        assert_eq!(blend_similarity(0.0, 0.0, 0.0, 0.0), 0.0);
        assert!(squash_score(f64::NAN) == 0.0 && squash_score(1.0) == 0.5);
    }

    #[test]
    fn lowercasing_that_adds_a_mark_still_round_trips() {
        let q = SearchQuery::parse("İ").unwrap();
        assert_eq!(SearchQuery::parse(&q.canonical()).unwrap(), q);
    }

    #[test]
    fn positive_words_leave_out_exclusions() {
        let q = SearchQuery::parse(r#"audit "log stream" -slack siem"#).unwrap();
        assert_eq!(q.positive_words(), ["audit", "log", "stream", "siem"]);
        assert!(q.has_phrase());
        let q = SearchQuery::parse(r#"audit siem -"log stream""#).unwrap();
        assert!(!q.has_phrase(), "an excluded phrase is no phrase to match");
    }

    #[test]
    fn ordered_scan_pays_for_mid_frequency_words_only() {
        // Shares of the benchmark's words among 1M generated notes.
        let n = NOTES_ORDERED_SCAN;
        assert!(n.pays(&[0.0123, 0.0249]), "terraform provider");
        assert!(
            n.pays(&[0.0366, 0.0372, 0.0356]),
            "template variables region"
        );
        assert!(!n.pays(&[0.3342]), "dashboard: one word, walk the newest");
        assert!(!n.pays(&[0.0245]), "okta: one word");
        assert!(!n.pays(&[0.3526, 0.1014]), "slack alerts: common");
        assert!(
            !n.pays(&[0.0593, 0.0865, 0.0]),
            "audit log siem: siem is rare"
        );
        assert!(!n.pays(&[]), "stop words only");
        let i = IDEAS_ORDERED_SCAN;
        assert!(i.pays(&[0.023]), "okta among ideas");
        assert!(!i.pays(&[0.35]), "alert among ideas: walk the newest");
        let any = IDEAS_ANY_ORDERED_SCAN;
        assert!(
            any.pays(&[0.03, 0.0, 0.02, 0.01]),
            "a rare word is no bound"
        );
        assert!(any.pays(&[0.044, 0.0, 0.0]), "stream audit events splunk");
        assert!(
            !any.pays(&[0.2, 0.1]),
            "dashboards seconds…: too many entries to read"
        );
    }

    proptest! {
        #[test]
        fn ordered_scan_only_within_its_bounds(shares in proptest::collection::vec(0.0f64..0.2, 0..6)) {
            for rule in [NOTES_ORDERED_SCAN, IDEAS_ORDERED_SCAN, IDEAS_ANY_ORDERED_SCAN] {
                if rule.pays(&shares) {
                    prop_assert!(shares.len() >= rule.min_terms);
                    prop_assert!(shares.iter().all(|s| *s >= rule.rare_below));
                    prop_assert!(shares.iter().sum::<f64>() <= rule.max_total);
                    // Dropping a word never makes the scan costlier to read.
                    if shares.len() > rule.min_terms {
                        prop_assert!(rule.pays(&shares[1..]));
                    }
                }
            }
        }

        #[test]
        fn parsing_never_panics_and_round_trips(s in "\\PC{0,220}") {
            if let Ok(p) = SearchQuery::parse(&s) {
                let again = SearchQuery::parse(&p.canonical()).unwrap();
                prop_assert_eq!(&again, &p);
                prop_assert!(p.clauses.iter().any(|c| !c.excluded));
                // FTS5 text only ever holds quoted tokens and operators.
                let f = p.fts5();
                prop_assert_eq!(f.matches('"').count() % 2, 0);
            }
        }

        #[test]
        fn snippet_html_never_leaks_markup(s in "[a-z<>&\"'\u{1}\u{2} ]{0,60}") {
            let h = snippet_html(&s);
            let stripped = h.replace("<mark>", "").replace("</mark>", "");
            prop_assert!(!stripped.contains('<') && !stripped.contains('>'));
            prop_assert_eq!(h.matches("<mark>").count(), h.matches("</mark>").count());
        }
    }
}
