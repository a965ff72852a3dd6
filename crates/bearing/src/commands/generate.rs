//! `bearing gen`: synthetic data for benchmarks, with a progress bar.

use crate::config::Settings;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Instant;

/// Flags for `gen`.
#[derive(clap::Args, Debug)]
pub struct GenArgs {
    /// How many synthetic notes to insert.
    #[arg(long)]
    pub notes: u64,
}

/// Insert synthetic notes (loading the demo first if the workspace is empty,
/// so notes have customers and reporters).
pub async fn run(settings: Settings, args: GenArgs) -> anyhow::Result<()> {
    let app = settings.connect().await?;
    if app.db.count_users().await? == 0 {
        app.load_demo().await?;
    }
    let bar = ProgressBar::new(args.notes);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} notes ({per_sec}, eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let start = Instant::now();
    let n = app
        .generate_notes(args.notes, |done| bar.set_position(done))
        .await?;
    bar.finish();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "Inserted {n} notes in {secs:.2} s ({:.0} notes/s).",
        n as f64 / secs.max(1e-9)
    );
    Ok(())
}
