//! `bearing migrate`: bring the schema up to date, or list what is pending.

use crate::config::{Settings, redact};
use anyhow::Context;

/// Flags for `migrate`.
#[derive(clap::Args, Debug)]
pub struct MigrateArgs {
    /// List pending migrations without applying them.
    #[arg(long)]
    pub dry_run: bool,
}

/// Apply or list migrations.
pub async fn run(settings: Settings, args: MigrateArgs) -> anyhow::Result<()> {
    let db = bearing_store::Db::connect(&settings.database, &bearing_store::DbOptions::default())
        .await
        .with_context(|| format!("connecting to {}", redact(&settings.database)))?;
    if args.dry_run {
        let pending = db.pending_migrations().await?;
        if pending.is_empty() {
            println!("Schema is up to date.");
        }
        for m in pending {
            println!("pending  {:04}_{}", m.version, m.name);
        }
        return Ok(());
    }
    let applied = db.migrate().await?;
    if applied.is_empty() {
        println!("Schema is up to date.");
    }
    for m in applied {
        println!("applied  {:04}_{}", m.version, m.name);
    }
    Ok(())
}
