//! Routine upkeep, run by `bearing maintenance`: recompute derived scores,
//! compact the search indexes and refresh the planner's statistics; on
//! request, reclaim free space or rebuild the search indexes.

use crate::{App, AppResult};
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
    ) -> AppResult<Vec<MaintenanceStep>> {
        let mut steps = Vec::new();
        let mut finish = |done: String, start: Instant| {
            let step = MaintenanceStep {
                done,
                seconds: start.elapsed().as_secs_f64(),
            };
            report(&step);
            steps.push(step);
        };
        if opts.vacuum {
            let start = Instant::now();
            self.db.vacuum().await?;
            finish("Reclaimed free space (VACUUM).".into(), start);
        }
        if opts.rebuild_search {
            let start = Instant::now();
            self.db.rebuild_search().await?;
            finish("Rebuilt the search indexes.".into(), start);
        }
        let start = Instant::now();
        let ideas = self.db.refresh_all_demand().await?;
        finish(
            format!("Recomputed demand scores ({ideas} ideas have linked notes)."),
            start,
        );
        let start = Instant::now();
        // After an interrupted `bearing gen`, or once RUM is installed.
        self.db.ensure_ordered_search().await?;
        self.db.optimize_search().await?;
        finish(
            "Compacted the search indexes and refreshed statistics.".into(),
            start,
        );
        Ok(steps)
    }
}
