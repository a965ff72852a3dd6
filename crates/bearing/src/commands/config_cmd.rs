//! `bearing config …`: print the example configuration or the one in force.

use crate::config::{DEFAULT_TOML, Settings};

/// Config subcommands.
#[derive(clap::Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print a commented bearing.toml with every setting at its default.
    Default,
    /// Print the settings in force after every layer (secrets redacted).
    Show,
}

/// Print.
pub fn run(settings: &Settings, cmd: ConfigCommand) -> anyhow::Result<()> {
    match cmd {
        ConfigCommand::Default => print!("{DEFAULT_TOML}"),
        ConfigCommand::Show => println!("{settings:#?}"),
    }
    Ok(())
}
