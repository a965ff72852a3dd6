//! Every setting, declared once. An entry gives the setting's doc comment
//! (its help text everywhere), name, type and default, and optionally the
//! one subcommand its flag belongs to and whether it is a secret. From the
//! entry come the `bearing.toml` key, the `BEARING_<NAME>` environment
//! variable, the `--<name>` flag, `bearing config default`, `bearing config
//! show` and the README's table. Checks between settings live here too.
//!
//! Adding a setting is adding an entry (and, for a new kind of value, a
//! [`SettingType`] impl); then paste `bearing config table` into README.md.

use super::define::{SettingType, declare_settings};

declare_settings! {
    /// Database URL: sqlite://FILE (created if missing) or
    /// postgres://USER:PASSWORD@HOST/DB. Without one, serve --demo uses
    /// sqlite://bearing-demo.db.
    database: String = "sqlite://bearing.db", secret = UrlPassword;

    /// Address the web server listens on.
    bind: String = "127.0.0.1:8080", subcommand = "serve";

    /// Largest note text accepted, in bytes (64 KiB).
    max_note_bytes: usize = 65_536;

    /// Largest request body accepted, in bytes (1 MiB); at least
    /// max_note_bytes.
    max_body_bytes: usize = 1_048_576;

    /// Pooled database connections per app server.
    db_max_connections: u32 = 16;

    /// How long a sign-in lasts, in hours (14 days).
    session_hours: i64 = 336;

    /// Mark cookies Secure; turn on when serving over HTTPS.
    secure_cookies: bool = false;

    /// Log format: "pretty" or "json". Levels via RUST_LOG (default "info").
    log_format: LogFormat = LogFormat::Pretty;

    /// Sign-in attempts one account may make in a burst (1 or more).
    signin_account_burst: u32 = 10;

    /// After its burst, one more sign-in attempt per account every this many
    /// seconds; 0 turns the per-account limit off.
    signin_account_period_secs: u32 = 6;

    /// Sign-in attempts one client address may make in a burst (1 or more);
    /// behind a proxy all clients share its address, so raise it there.
    signin_ip_burst: u32 = 30;

    /// After its burst, one more sign-in attempt per address every this many
    /// seconds; 0 turns the per-address limit off.
    signin_ip_period_secs: u32 = 1;
}

/// How log lines are written to stderr.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One compact, human-readable line per event.
    Pretty,
    /// One JSON object per event, for log collectors.
    Json,
}

impl LogFormat {
    /// The name written in the file, the environment and the flag.
    fn name(self) -> &'static str {
        match self {
            LogFormat::Pretty => "pretty",
            LogFormat::Json => "json",
        }
    }
}

impl SettingType for LogFormat {
    type Literal = LogFormat;
    fn from_literal(literal: LogFormat) -> Self {
        literal
    }
    fn expects() -> String {
        "\"pretty\" or \"json\"".into()
    }
    fn to_toml(&self) -> toml::Value {
        toml::Value::String(self.name().into())
    }
    fn flag_parser(arg: clap::Arg) -> clap::Arg {
        arg.value_parser(clap::builder::EnumValueParser::<LogFormat>::new())
    }
}

impl Settings {
    /// Checks that one setting's type cannot express: limits that depend on
    /// each other. `origin` names where a setting's value came from, so the
    /// message points at the layer to fix.
    pub fn check(&self, origin: impl Fn(&str) -> String) -> anyhow::Result<()> {
        if self.max_note_bytes == 0 {
            anyhow::bail!(
                "max_note_bytes must be above 0 (it is 0, from {})",
                origin("max_note_bytes")
            );
        }
        if self.max_body_bytes < self.max_note_bytes {
            anyhow::bail!(
                "max_body_bytes ({}, from {}) must be at least max_note_bytes ({}, from {})",
                self.max_body_bytes,
                origin("max_body_bytes"),
                self.max_note_bytes,
                origin("max_note_bytes"),
            );
        }
        let bursts = [
            ("signin_account_burst", self.signin_account_burst),
            ("signin_ip_burst", self.signin_ip_burst),
        ];
        for (name, v) in bursts {
            if v == 0 {
                anyhow::bail!(
                    "{name} must be 1 or more (it is 0, from {}); to turn a limit off, set its period to 0",
                    origin(name)
                );
            }
        }
        Ok(())
    }
}
