//! `bearing gen`: synthetic data for benchmarks, with a progress bar.

use crate::config::Settings;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Instant;

/// Flags for `gen`. Give at least one of --notes and --ideas.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("what").required(true).multiple(true).args(["notes", "ideas"])))]
pub struct GenArgs {
    /// How many synthetic notes to insert.
    #[arg(long)]
    pub notes: Option<u64>,
    /// How many synthetic ideas to insert, into the `ranking-bench` area,
    /// most with a random RICE score.
    #[arg(long)]
    pub ideas: Option<usize>,
    /// How many links from existing notes to those ideas (needs --ideas);
    /// demand scores are recomputed afterwards.
    #[arg(long, requires = "ideas", default_value_t = 0)]
    pub links: usize,
}

fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(&format!("{{spinner}} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} {what} ({{per_sec}}, eta {{eta}})"))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Insert synthetic notes (loading the demo first if the workspace is empty,
/// so notes have customers and reporters).
pub async fn run(settings: Settings, args: GenArgs) -> anyhow::Result<()> {
    let app = settings.connect().await?;
    app.prepare_generation().await?;
    if let Some(notes) = args.notes {
        let bar = bar(notes, "notes");
        let start = Instant::now();
        let n = app
            .generate_notes(notes, |done| bar.set_position(done))
            .await?;
        bar.finish();
        let secs = start.elapsed().as_secs_f64();
        println!(
            "Inserted {n} notes in {secs:.2} s ({:.0} notes/s).",
            n as f64 / secs.max(1e-9)
        );
    }
    if let Some(ideas) = args.ideas {
        let ideas_bar = bar(ideas as u64, "ideas");
        let links_bar = bar(args.links as u64, "links");
        let start = Instant::now();
        let area = app
            .generate_ideas(ideas, args.links, |step, done| match step {
                "ideas" => ideas_bar.set_position(done),
                "links" => links_bar.set_position(done),
                _ => links_bar.set_message("demand recomputed"),
            })
            .await?;
        ideas_bar.finish();
        links_bar.finish();
        println!(
            "Inserted {ideas} ideas and {} links into area '{}' ({}) in {:.2} s.",
            args.links,
            area.name,
            area.id,
            start.elapsed().as_secs_f64()
        );
    }
    let start = Instant::now();
    app.finish_generation().await?;
    println!(
        "Finished the search indexes (compacted, statistics refreshed) in {:.2} s.",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
