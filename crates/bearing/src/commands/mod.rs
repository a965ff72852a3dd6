//! One module per subcommand; each parses its own flags and calls the app.

pub mod config_cmd;
pub mod demo;
pub mod generate;
pub mod maintenance;
pub mod migrate;
pub mod rice;
pub mod serve;
pub mod users;
