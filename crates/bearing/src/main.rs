//! The `bearing` command: a thin shell over the app. Parses flags, builds the
//! configuration (defaults → bearing.toml → BEARING_* environment → flags),
//! connects to the database and runs one subcommand.
#![forbid(unsafe_code)]

mod commands;
mod config;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// mimalloc rather than glibc's allocator: rows cross between sqlx's SQLite
/// worker threads and tokio's, and glibc then serialises on its arena locks
/// (45% of inbox CPU time in a profile; see docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use config::{ConfigArgs, Settings};

/// Bearing: self-hosted product management. Feedback in, prioritised ideas out.
#[derive(Parser, Debug)]
#[command(name = "bearing", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    // Every setting's flag is added to this by config::add_setting_flags.
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (pages and JSON API).
    Serve(commands::serve::ServeArgs),
    /// Apply pending database migrations (or list them with --dry-run).
    Migrate(commands::migrate::MigrateArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(commands::users::UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(commands::users::TokenCommand),
    /// Load the demo workspace (customers, ideas, 200+ notes) into the database.
    Demo,
    /// Print an area's ideas ranked by RICE score (or demand), as a table or CSV.
    Rice(commands::rice::RiceArgs),
    /// Generate synthetic data for benchmarks.
    Gen(commands::generate::GenArgs),
    /// Routine upkeep: recompute demand scores, compact the search indexes,
    /// refresh statistics, remove expired sign-ins and idempotency keys;
    /// optionally reclaim space or rebuild search.
    Maintenance(commands::maintenance::MaintenanceArgs),
    /// Show configuration.
    #[command(subcommand)]
    Config(commands::config_cmd::ConfigCommand),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // The setting flags come from the list in config/settings.rs rather than
    // from derive attributes, so the command is built, then parsed.
    let matches = config::add_setting_flags(Cli::command()).get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let mut defaults = Settings::default();
    if let Command::Serve(a) = &cli.command {
        a.adjust_defaults(&mut defaults);
    }
    let loaded = match config::load(&cli.config, &matches, defaults) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e:#}");
            return std::process::ExitCode::from(2);
        }
    };
    let settings = loaded.settings.clone();
    config::init_logging(&settings);
    let result = match cli.command {
        Command::Serve(a) => commands::serve::run(settings, a).await,
        Command::Migrate(a) => commands::migrate::run(settings, a).await,
        Command::User(c) => commands::users::user(settings, c).await,
        Command::Token(c) => commands::users::token(settings, c).await,
        Command::Demo => commands::demo::run(settings).await,
        Command::Rice(a) => commands::rice::run(settings, a).await,
        Command::Gen(a) => commands::generate::run(settings, a).await,
        Command::Maintenance(a) => commands::maintenance::run(settings, a).await,
        Command::Config(c) => commands::config_cmd::run(&loaded, c),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
