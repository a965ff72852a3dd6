//! Synthetic notes for benchmarks: `bearing gen --notes N`. Texts are
//! recombined from the demo notes so search and pages see realistic words;
//! customers, sources, importance and states are drawn at random with the
//! inbox's usual mix (about half unprocessed).

use crate::{App, AppResult};
use bearing_domain::*;
use bearing_store::notes::NoteRecord;
use rand::Rng;
use rand::seq::IndexedRandom;
use std::sync::Arc;

/// Notes per transaction: big enough to amortise commits, small enough to
/// report progress often.
pub const BATCH: usize = 10_000;

impl App {
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
) -> Vec<(NoteId, NoteRecord)> {
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
            let rec = NoteRecord {
                input: NewNote {
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
                },
                reporter: reporters.choose(&mut rng).copied(),
                state,
                wont_do_reason: (state == NoteState::WontDo)
                    .then(|| "Out of scope for the product direction.".to_string()),
                created_at,
            };
            (NoteId(crate::demo::uuid_at(created_at)), rec)
        })
        .collect()
}
