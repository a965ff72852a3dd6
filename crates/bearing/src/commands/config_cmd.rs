//! `bearing config …`: print the example configuration, the one in force,
//! or the README's table of settings.

use crate::config::{Loaded, default_toml, readme_table, show};

/// Config subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print a commented bearing.toml with every setting at its default.
    Default,
    /// Print the settings in force after every layer, each with where it
    /// came from (secrets redacted).
    Show,
    /// Print the Markdown table of settings for README.md (for developers:
    /// paste it when a setting changes; a test compares).
    #[command(hide = true)]
    Table,
}

/// Print what was asked for.
pub fn run(loaded: &Loaded, cmd: ConfigCommand) -> anyhow::Result<()> {
    match cmd {
        ConfigCommand::Default => print!("{}", default_toml()),
        ConfigCommand::Show => print!("{}", show(loaded)),
        ConfigCommand::Table => print!("{}", readme_table()),
    }
    Ok(())
}
