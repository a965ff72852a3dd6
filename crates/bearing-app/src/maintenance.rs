//! Routine upkeep, run by `bearing maintenance`: recompute derived scores,
//! compact the search indexes and refresh the planner's statistics, remove
//! expired sign-ins and idempotency keys; on request, reclaim free space or
//! rebuild the search indexes.

use crate::{App, AppResult};
use bearing_domain::demand_score;
use std::time::Instant;

/// What to do beyond the routine steps.
#[derive(Clone, Copy, Debug, Default)]
pub struct MaintenanceOptions {
    /// Reclaim the space of deleted rows first (`VACUUM`).
    pub vacuum: bool,
    /// Rebuild the search indexes from the tables.
    pub rebuild_search: bool,
}

/// One finished step: what was done and how long it took.
#[derive(Clone, Debug, PartialEq)]
pub struct MaintenanceStep {
    /// What was done, as a sentence for the operator.
    pub done: String,
    /// Wall time, seconds.
    pub seconds: f64,
}

impl App {
    /// Run the maintenance steps in order, reporting each as it finishes.
    /// The routine steps are safe while servers run. `vacuum` (SQLite: the
    /// write lock while it rewrites the file) and `rebuild_search`
    /// (PostgreSQL: writes to the tables wait for each index) block writes
    /// for their duration: run them at a quiet time.
    pub async fn maintain(
        &self,
        opts: MaintenanceOptions,
        mut report: impl FnMut(&MaintenanceStep),
    ) -> AppResult<()> {
        let mut finish = |done: &str, start: Instant| {
            report(&MaintenanceStep {
                done: done.to_string(),
                seconds: start.elapsed().as_secs_f64(),
            });
        };
        let mut rebuilt = false;
        if opts.vacuum {
            let start = Instant::now();
            rebuilt = self.db.vacuum().await?;
            finish("Reclaimed free space (VACUUM).", start);
        }
        if opts.rebuild_search {
            let start = Instant::now();
            if rebuilt {
                finish("Rebuilt the search indexes (with the VACUUM).", start);
            } else {
                self.db.rebuild_search().await?;
                finish("Rebuilt the search indexes.", start);
            }
        }
        let start = Instant::now();
        let ideas = self.refresh_all_demand().await?;
        finish(
            &format!("Recomputed demand scores ({ideas} ideas have linked notes)."),
            start,
        );
        let start = Instant::now();
        self.settle_search_indexes().await?;
        finish(
            "Compacted the search indexes and refreshed statistics.",
            start,
        );
        let start = Instant::now();
        let sign_ins = self.purge_sign_ins().await?;
        let keys = self.purge_idempotency_keys().await?;
        finish(
            &format!(
                "Removed expired sign-ins ({sign_ins}) and idempotency keys older than 24 hours ({keys})."
            ),
            start,
        );
        Ok(())
    }

    /// Recompute every idea's demand score in one pass (after bulk loads,
    /// or in maintenance): ideas with linked notes from their signals, any
    /// other idea back to 0. Derived data, not a change anyone made, so no
    /// change is recorded. Returns how many ideas have linked notes.
    pub async fn refresh_all_demand(&self) -> AppResult<u64> {
        let all = self.db.all_demand_signals().await?;
        let mut tx = self.db.begin().await?;
        tx.demand().zero_unlinked().await?;
        tx.commit().await?;
        let mut n = 0;
        for chunk in all.chunks(5_000) {
            let mut tx = self.db.begin().await?;
            for (idea, signals) in chunk {
                tx.demand().set_score(*idea, demand_score(signals)).await?;
                n += 1;
            }
            tx.commit().await?;
        }
        Ok(n)
    }

    /// After bulk loads and in maintenance: build missing ordered search
    /// indexes (after an interrupted `bearing gen`, or once RUM is
    /// installed), compact the search indexes, refresh statistics.
    pub(crate) async fn settle_search_indexes(&self) -> AppResult<()> {
        self.db.ensure_ordered_search().await?;
        Ok(self.db.optimize_search().await?)
    }
}
