//! `bearing maintenance`: routine upkeep, step by step with timings.

use crate::config::Settings;
use bearing_app::maintenance::MaintenanceOptions;

/// Flags for `maintenance`. Without flags: recompute demand scores, compact
/// the search indexes, refresh the query planner's statistics and remove
/// expired sign-ins and idempotency keys.
#[derive(clap::Args, Debug)]
pub struct MaintenanceArgs {
    /// First reclaim the space of deleted rows (VACUUM; on SQLite this
    /// rewrites the file under its write lock, then rebuilds the search
    /// indexes, which VACUUM may invalidate). Run it at a quiet time.
    #[arg(long)]
    pub vacuum: bool,
    /// Rebuild the search indexes from the notes, ideas and customers
    /// tables (needed on SQLite after a VACUUM run by hand).
    #[arg(long)]
    pub rebuild_search: bool,
}

/// Run the maintenance steps, printing each as it finishes.
pub async fn run(settings: Settings, args: MaintenanceArgs) -> anyhow::Result<()> {
    let app = settings.connect().await?;
    let opts = MaintenanceOptions {
        vacuum: args.vacuum,
        rebuild_search: args.rebuild_search,
    };
    app.maintain(opts, |step| {
        println!("{} ({:.2} s)", step.done, step.seconds);
    })
    .await?;
    Ok(())
}
