//! Synthetic notes for benchmarks: `bearing gen --notes N`. Texts are
//! recombined from the demo notes so search and pages see realistic words;
//! customers, sources, importance and states are drawn at random with the
//! inbox's usual mix (about half unprocessed).

use crate::{App, AppResult};
use bearing_domain::*;
use rand::Rng;
use rand::seq::IndexedRandom;
use std::sync::Arc;

/// Notes per transaction: big enough to amortise commits, small enough to
/// report progress often.
pub const BATCH: usize = 10_000;

impl App {
    /// Before generating: an empty workspace gets the demo loaded, so the
    /// generated rows have customers and reporters to point at.
    pub async fn prepare_generation(&self) -> AppResult<()> {
        if self.db.count_users().await? == 0 {
            self.load_demo().await?;
        }
        // Building PostgreSQL's ordered search indexes once afterwards is
        // far quicker than updating them row by row.
        self.db.drop_ordered_search().await?;
        Ok(())
    }

    /// After generating: rebuild the ordered search indexes, compact the
    /// search indexes and refresh the query planner's statistics, as after
    /// any bulk load.
    pub async fn finish_generation(&self) -> AppResult<()> {
        self.settle_search_indexes().await
    }

    /// Insert `n` synthetic notes, calling `progress` with the number done
    /// after each batch. Returns how many were inserted.
    pub async fn generate_notes(&self, n: u64, mut progress: impl FnMut(u64)) -> AppResult<u64> {
        let texts = crate::demo::demo_note_texts();
        let fallback = vec!["The export to CSV times out for large dashboards.".to_string()];
        let texts: Arc<Vec<String>> = Arc::new(if texts.is_empty() { fallback } else { texts });
        let customers: Arc<Vec<CustomerId>> = Arc::new(
            self.db
                .list_customers(
                    &CustomerFilter::default(),
                    CustomerSort::Name,
                    &PageRequest {
                        after: None,
                        limit: 200,
                    },
                )
                .await?
                .items
                .into_iter()
                .map(|c| c.id)
                .collect(),
        );
        let reporters: Arc<Vec<UserId>> = Arc::new(
            self.db
                .users()
                .await?
                .into_iter()
                .filter(|u| u.role.can_contribute())
                .map(|u| u.id)
                .collect(),
        );
        let now = Timestamp::now().0;
        // Generate the next batch on the blocking pool while this one is
        // written: on two cores that hides generation almost entirely.
        let make = move |done: u64| {
            let texts = texts.clone();
            let customers = customers.clone();
            let reporters = reporters.clone();
            move || batch(n, done, now, &texts, &customers, &reporters)
        };
        let mut next = (n > 0).then(|| tokio::task::spawn_blocking(make(0)));
        let mut done = 0u64;
        while let Some(job) = next.take() {
            let rows = job
                .await
                .map_err(|e| crate::AppError::Internal(format!("generator: {e}")))?;
            let size = rows.len() as u64;
            if done + size < n {
                next = Some(tokio::task::spawn_blocking(make(done + size)));
            }
            self.db.bulk_insert_notes(&rows).await?;
            done += size;
            progress(done);
        }
        Ok(done)
    }
}

/// One batch of synthetic notes starting at `done` of `n`.
fn batch(
    n: u64,
    done: u64,
    now: i64,
    texts: &[String],
    customers: &[CustomerId],
    reporters: &[UserId],
) -> Vec<Note> {
    let size = (n - done).min(BATCH as u64) as usize;
    let mut rng = rand::rng();
    (0..size)
        .map(|i| {
            // Spread over the past year, oldest first, so ids stay time-ordered.
            let age = ((n - done - i as u64) as i64) * 31_536_000_000 / (n as i64).max(1);
            let created_at = Timestamp(now - age);
            let a = texts.choose(&mut rng).cloned().unwrap_or_default();
            let text = if rng.random_bool(0.3) {
                let b = texts
                    .choose(&mut rng)
                    .map(String::as_str)
                    .unwrap_or_default();
                format!("{a} Also: {b}")
            } else {
                a
            };
            let state = match rng.random_range(0..100) {
                0..=54 => NoteState::Unprocessed,
                55..=92 => NoteState::Processed,
                _ => NoteState::WontDo,
            };
            let input = NewNote {
                text,
                source: *NoteSource::ALL
                    .choose(&mut rng)
                    .unwrap_or(&NoteSource::Email),
                importance: *Importance::ALL
                    .choose(&mut rng)
                    .unwrap_or(&Importance::Important),
                customer_id: customers.choose(&mut rng).copied(),
                contact_id: None,
                tags: vec![],
                public_safe: rng.random_bool(0.3),
            };
            Note::logged(
                NoteId(crate::demo::uuid_at(created_at)),
                input,
                reporters.choose(&mut rng).copied(),
                state,
                (state == NoteState::WontDo)
                    .then(|| "Out of scope for the product direction.".to_string()),
                created_at,
            )
        })
        .collect()
}

/// Key of the area synthetic ideas go into.
pub const BENCH_AREA_KEY: &str = "ranking-bench";

impl App {
    /// Insert `n` synthetic ideas into the `ranking-bench` area (most with a
    /// random standard-scale RICE score), then `links` links from existing
    /// notes to random ideas among them, then recompute demand. Calls
    /// `progress(step, done)` as it goes. Returns the area.
    pub async fn generate_ideas(
        &self,
        n: usize,
        links: usize,
        mut progress: impl FnMut(&str, u64),
    ) -> AppResult<Area> {
        use bearing_domain::prioritisation::rice::{CONFIDENCE, IMPACT, Rice, STANDARD_REACH};
        use bearing_store::bulk::BulkIdea;
        let area = match self.db.area_by_key(BENCH_AREA_KEY).await {
            Ok(a) => a,
            Err(_) => {
                let input = NewArea {
                    key: Some(BENCH_AREA_KEY.into()),
                    name: "Ranking benchmark".into(),
                    description: "Synthetic ideas for benchmarks".into(),
                };
                self.create_area(&crate::Actor::system(), input).await?
            }
        };
        let titles = crate::demo::demo_idea_titles();
        self.ensure_board_ranks(area.id).await?;
        let start_rank = self
            .db
            .board(
                area.id,
                &PageRequest {
                    after: None,
                    limit: 1,
                },
            )
            .await?
            .items
            .first()
            .and_then(|i| i.board_rank.clone());
        // Existing ideas keep their places; new ones go above them, in order.
        let ranks =
            bearing_domain::prioritisation::board::ranks_between(None, start_rank.as_deref(), n)?;
        let now = Timestamp::now().0;
        let mut ids = Vec::with_capacity(n);
        let mut done = 0u64;
        for chunk in ranks.chunks(BATCH) {
            let ideas: Vec<BulkIdea> = {
                let mut rng = rand::rng();
                chunk
                    .iter()
                    .map(|rank| {
                        let k = ids.len() + 1;
                        let base = titles
                            .choose(&mut rng)
                            .cloned()
                            .unwrap_or_else(|| "Synthetic idea".into());
                        let rice = rng.random_bool(0.9).then(|| {
                            let pick = |s: &[(f64, &str)], rng: &mut rand::rngs::ThreadRng| {
                                s.choose(rng).map_or(1.0, |v| v.0)
                            };
                            Rice::from_factors(
                                pick(STANDARD_REACH, &mut rng),
                                pick(IMPACT, &mut rng),
                                pick(CONFIDENCE, &mut rng),
                                f64::from(rng.random_range(1..=24u8)) / 2.0,
                            )
                        });
                        let id = IdeaId(crate::demo::uuid_at(Timestamp(now - (n - k) as i64)));
                        ids.push(id);
                        BulkIdea {
                            id,
                            title: format!("{base} #{k}"),
                            problem: "Synthetic problem statement for benchmarks.".into(),
                            area_id: area.id,
                            rice,
                            board_rank: rank.clone(),
                            created_at: now,
                        }
                    })
                    .collect()
            };
            self.db.bulk_insert_ideas(&ideas).await?;
            done += ideas.len() as u64;
            progress("ideas", done);
        }
        if links > 0 && !ids.is_empty() {
            let notes = self.db.note_ids(links as i64).await?;
            if notes.is_empty() {
                return Err(ValidationError::new(
                    "links",
                    "there are no notes to link; generate notes first (--notes)",
                )
                .into());
            }
            let mut done = 0u64;
            let mut k = 0usize;
            while k < links {
                let size = (links - k).min(BATCH * 5);
                let batch: Vec<(NoteId, IdeaId)> = {
                    let mut rng = rand::rng();
                    (k..k + size)
                        .map(|j| {
                            (
                                notes[j % notes.len()],
                                *ids.choose(&mut rng).unwrap_or(&ids[0]),
                            )
                        })
                        .collect()
                };
                self.db.bulk_insert_links(&batch).await?;
                k += size;
                done += size as u64;
                progress("links", done);
            }
            self.refresh_all_demand().await?;
            progress("demand", links as u64);
        }
        Ok(area)
    }
}
