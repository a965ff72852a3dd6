//! Search and similar ideas as use cases: parse the query (domain), ask the
//! store for each kind's best matches, merge them into one ranked page with
//! a cursor, and make snippets safe HTML. Similar ideas blend two store
//! signals — matches on the idea's own text and on the text of its linked
//! notes — as described in docs/search-quality.md.
//!
//! Search is for signed-in users only (it shows customer names); callers
//! authenticate before calling in.

use crate::{App, AppResult};
use bearing_domain::search::{
    SearchCursor, SearchFilter, SearchKind, SearchQuery, blend_similarity, salient_terms,
    snippet_html, squash_score,
};
use bearing_domain::{IdeaId, IdeaStatus, NoteId, Timestamp, ValidationError};
use serde::Serialize;
use std::collections::HashMap;

/// Results per page when the caller does not say.
pub const DEFAULT_SEARCH_LIMIT: u32 = 20;
/// Most results per page.
pub const MAX_SEARCH_LIMIT: u32 = 100;
/// Salient words taken from a text when looking for similar ideas.
pub const SIMILAR_TERMS: usize = 12;
/// Candidate ideas fetched on their own text before re-ranking.
const SIMILAR_IDEA_CANDIDATES: u32 = 50;
/// Best-matching notes whose links vote for their ideas.
const SIMILAR_NOTE_CANDIDATES: u32 = 100;

/// One search result.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SearchHit {
    /// `note`, `idea` or `customer`.
    #[serde(rename = "type")]
    pub kind: SearchKind,
    /// Its id.
    pub id: uuid::Uuid,
    /// Idea title, customer name, or the start of the note.
    pub title: String,
    /// Excerpt with matches in `<mark>`; everything else HTML-escaped.
    pub snippet_html: String,
    /// Relevance on one 0..1 scale across types; higher is better.
    pub score: f64,
    /// When it was created.
    pub created_at: Timestamp,
    /// Note: customer name; idea: status key; customer: segment key.
    pub detail: Option<String>,
}

/// One page of search results.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SearchPage {
    /// Best first.
    pub items: Vec<SearchHit>,
    /// Pass back as `cursor` for the next page; absent on the last.
    pub next_cursor: Option<String>,
}

/// An existing idea that looks like the text being triaged.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SimilarIdea {
    /// The idea.
    pub id: IdeaId,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: IdeaStatus,
    /// Blended similarity, 0..1; higher is more similar.
    pub score: f64,
}

fn title_of(kind: SearchKind, title: &str) -> String {
    if kind != SearchKind::Note {
        return title.to_string();
    }
    let flat: String = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= 80 {
        flat
    } else {
        format!("{}…", flat.chars().take(79).collect::<String>())
    }
}

impl App {
    /// Search notes, ideas and customers for `raw`, filtered by `f`, one
    /// page of `limit` from `cursor`. A malformed query is a validation
    /// error on `q`.
    pub async fn search(
        &self,
        raw: &str,
        f: &SearchFilter,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> AppResult<SearchPage> {
        let q = SearchQuery::parse(raw)?;
        let limit = limit.unwrap_or(DEFAULT_SEARCH_LIMIT);
        if limit == 0 || limit > MAX_SEARCH_LIMIT {
            return Err(ValidationError::new(
                "limit",
                format!("limit must be 1 to {MAX_SEARCH_LIMIT}"),
            )
            .into());
        }
        if let (Some(a), Some(b)) = (f.from, f.to)
            && a >= b
        {
            return Err(ValidationError::new("to", "'to' must not be before 'from'").into());
        }
        let mut at = match cursor.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => SearchCursor::decode(c)?,
            None => SearchCursor::default(),
        };
        // Each kind's next limit+1 rows hold the merged page's top `limit`.
        let mut all: Vec<(usize, SearchHit)> = Vec::new();
        let mut fetched: HashMap<SearchKind, usize> = HashMap::new();
        // The kinds are independent queries: run them at once on pooled
        // connections rather than one after another.
        let kinds: Vec<(usize, SearchKind)> = SearchKind::ALL
            .into_iter()
            .enumerate()
            .filter(|(_, kind)| f.includes(*kind))
            .collect();
        let results = futures::future::try_join_all(kinds.iter().map(|(_, kind)| {
            self.db
                .search_kind(*kind, &q, f, at.offset(*kind), limit + 1)
        }))
        .await?;
        for ((rank, kind), rows) in kinds.into_iter().zip(results) {
            fetched.insert(kind, rows.len());
            all.extend(rows.into_iter().map(|r| {
                (
                    rank,
                    SearchHit {
                        kind,
                        id: r.id,
                        title: title_of(kind, &r.title),
                        snippet_html: snippet_html(&r.snippet),
                        score: squash_score(r.score),
                        created_at: Timestamp(r.created_at),
                        detail: r.detail,
                    },
                )
            }));
        }
        // Stable: within a kind the engine's order (score, then id) holds.
        all.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        all.truncate(limit as usize);
        let mut taken: HashMap<SearchKind, usize> = HashMap::new();
        for (_, h) in &all {
            *taken.entry(h.kind).or_insert(0) += 1;
        }
        let more = fetched
            .iter()
            .any(|(k, n)| *n > taken.get(k).copied().unwrap_or(0));
        for (k, n) in &taken {
            at.advance(*k, u32::try_from(*n).unwrap_or(u32::MAX));
        }
        Ok(SearchPage {
            items: all.into_iter().map(|(_, h)| h).collect(),
            next_cursor: more.then(|| at.encode()),
        })
    }

    /// Suggestions for a request: ideas similar to `text`, or to note
    /// `note`'s text when `text` is empty (that note's own links left out).
    /// `limit` is 1 to 50, default 5. Errors name `text` or `limit`.
    pub async fn suggest_ideas(
        &self,
        text: &str,
        note: Option<NoteId>,
        limit: Option<u32>,
    ) -> AppResult<Vec<SimilarIdea>> {
        let limit = limit.unwrap_or(5);
        if limit == 0 || limit > 50 {
            return Err(ValidationError::new("limit", "limit must be 1 to 50").into());
        }
        let mut text = text.to_string();
        let mut skip = Vec::new();
        if let Some(n) = note {
            let found = self.note(n).await?;
            if text.trim().is_empty() {
                text = found.text;
            }
            skip = self
                .db
                .links_of_note(n)
                .await?
                .into_iter()
                .map(|l| l.idea_id)
                .collect();
        }
        if text.trim().is_empty() {
            return Err(ValidationError::new("text", "give text (or a note_id) to compare").into());
        }
        self.similar_ideas(&text, note, &skip, limit as usize).await
    }

    /// Suggestions while creating an idea: the five existing ideas most like
    /// its title and problem, the title counted twice (it says the most);
    /// nothing before anything is typed.
    pub async fn similar_to_new_idea(
        &self,
        title: &str,
        problem: &str,
    ) -> AppResult<Vec<SimilarIdea>> {
        if title.trim().is_empty() && problem.trim().is_empty() {
            return Ok(Vec::new());
        }
        self.similar_ideas(&format!("{title} {title} {problem}"), None, &[], 5)
            .await
    }

    /// The existing ideas most similar to `text` (a note being processed or
    /// a new idea's title and problem), best first, at most `limit`.
    /// `except_note` keeps that note's own links from voting; ideas in
    /// `skip` (already linked) are left out.
    pub async fn similar_ideas(
        &self,
        text: &str,
        except_note: Option<NoteId>,
        skip: &[IdeaId],
        limit: usize,
    ) -> AppResult<Vec<SimilarIdea>> {
        let terms = salient_terms(text, SIMILAR_TERMS);
        let s = self
            .db
            .similar_idea_signals(
                &terms,
                except_note,
                SIMILAR_IDEA_CANDIDATES,
                SIMILAR_NOTE_CANDIDATES,
            )
            .await?;
        let max = |v: &[(IdeaId, f64)]| v.iter().map(|x| x.1).fold(0.0_f64, f64::max);
        let (imax, nmax) = (max(&s.by_idea_text), max(&s.by_linked_notes));
        let mut scores: HashMap<IdeaId, (f64, f64)> = HashMap::new();
        for (id, x) in &s.by_idea_text {
            scores.entry(*id).or_default().0 = *x;
        }
        for (id, x) in &s.by_linked_notes {
            scores.entry(*id).or_default().1 = *x;
        }
        let mut ranked: Vec<(IdeaId, f64)> = scores
            .into_iter()
            .filter(|(id, _)| !skip.contains(id))
            .map(|(id, (a, b))| (id, blend_similarity(a, imax, b, nmax)))
            .filter(|(_, s)| *s > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.0.cmp(&b.0.0)));
        ranked.truncate(limit);
        let ids: Vec<IdeaId> = ranked.iter().map(|r| r.0).collect();
        let ideas = self.db.ideas_by_ids(&ids).await?;
        Ok(ranked
            .into_iter()
            .filter_map(|(id, score)| {
                let i = ideas.iter().find(|i| i.id == id)?;
                Some(SimilarIdea {
                    id,
                    title: i.title.clone(),
                    status: i.status,
                    score,
                })
            })
            .collect())
    }
}
