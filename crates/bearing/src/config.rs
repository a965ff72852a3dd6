//! Configuration in layers: built-in defaults, then `bearing.toml`, then
//! `BEARING_*` environment variables, then command-line flags. Every setting
//! is listed in [`DEFAULT_TOML`], which `bearing config default` prints.

use anyhow::Context;
use serde::Deserialize;
use std::path::PathBuf;

/// The commented example configuration, with every setting at its default.
pub const DEFAULT_TOML: &str = r#"# bearing.toml — every setting, at its default.
# Each can also be set by an environment variable (shown) or a flag.

# Database URL: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
# BEARING_DATABASE, --database
database = "sqlite://bearing.db"

# Address the web server listens on. BEARING_BIND, --bind
bind = "127.0.0.1:8080"

# Largest note text accepted, in bytes (64 KiB). BEARING_MAX_NOTE_BYTES
max_note_bytes = 65536

# Largest request body accepted, in bytes (1 MiB). BEARING_MAX_BODY_BYTES
max_body_bytes = 1048576

# Pooled database connections per app server. BEARING_DB_MAX_CONNECTIONS
db_max_connections = 16

# How long a sign-in lasts, in hours (14 days). BEARING_SESSION_HOURS
session_hours = 336

# Mark cookies Secure; turn on when serving over HTTPS. BEARING_SECURE_COOKIES
secure_cookies = false

# Log format: "pretty" or "json". Levels via RUST_LOG (default "info"). BEARING_LOG_FORMAT
log_format = "pretty"
"#;

/// Flags (and their environment variables) shared by every subcommand.
#[derive(clap::Args, Debug, Default)]
pub struct ConfigArgs {
    /// Configuration file [default: ./bearing.toml if it exists].
    #[arg(long, global = true, env = "BEARING_CONFIG")]
    pub config: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://USER@HOST/DB.
    #[arg(long, global = true, env = "BEARING_DATABASE")]
    pub database: Option<String>,
    /// Largest note text accepted, in bytes.
    #[arg(long, global = true, env = "BEARING_MAX_NOTE_BYTES", hide = true)]
    pub max_note_bytes: Option<usize>,
    /// Largest request body accepted, in bytes.
    #[arg(long, global = true, env = "BEARING_MAX_BODY_BYTES", hide = true)]
    pub max_body_bytes: Option<usize>,
    /// Pooled database connections.
    #[arg(long, global = true, env = "BEARING_DB_MAX_CONNECTIONS", hide = true)]
    pub db_max_connections: Option<u32>,
    /// Session length in hours.
    #[arg(long, global = true, env = "BEARING_SESSION_HOURS", hide = true)]
    pub session_hours: Option<i64>,
    /// Mark cookies Secure.
    #[arg(long, global = true, env = "BEARING_SECURE_COOKIES", hide = true)]
    pub secure_cookies: Option<bool>,
    /// Log format: pretty or json.
    #[arg(long, global = true, env = "BEARING_LOG_FORMAT", hide = true)]
    pub log_format: Option<String>,
    /// Listen address (serve only).
    #[arg(skip)]
    pub bind: Option<String>,
}

#[derive(Deserialize, Default, Debug)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database: Option<String>,
    bind: Option<String>,
    max_note_bytes: Option<usize>,
    max_body_bytes: Option<usize>,
    db_max_connections: Option<u32>,
    session_hours: Option<i64>,
    secure_cookies: Option<bool>,
    log_format: Option<String>,
}

/// The settings in force after every layer.
#[derive(Clone)]
pub struct Settings {
    /// Database URL.
    pub database: String,
    /// Whether the database came from the defaults (so `--demo` may pick its own file).
    pub database_is_default: bool,
    /// Listen address.
    pub bind: String,
    /// Largest note text.
    pub max_note_bytes: usize,
    /// Largest body.
    pub max_body_bytes: usize,
    /// Pool size.
    pub db_max_connections: u32,
    /// Session length.
    pub session_hours: i64,
    /// Secure cookies.
    pub secure_cookies: bool,
    /// Log format.
    pub log_format: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database", &redact(&self.database))
            .field("bind", &self.bind)
            .field("max_note_bytes", &self.max_note_bytes)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("db_max_connections", &self.db_max_connections)
            .field("session_hours", &self.session_hours)
            .field("secure_cookies", &self.secure_cookies)
            .field("log_format", &self.log_format)
            .finish()
    }
}

/// Hide a password in a database URL.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Settings {
    /// Resolve every layer.
    pub fn load(args: &ConfigArgs) -> anyhow::Result<Settings> {
        let path = args.config.clone().or_else(|| {
            let p = PathBuf::from("bearing.toml");
            p.exists().then_some(p)
        });
        let file: FileConfig = match &path {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("reading {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("in {}", p.display()))?
            }
            None => FileConfig::default(),
        };
        let database_is_default = args.database.is_none() && file.database.is_none();
        let s = Settings {
            database: args
                .database
                .clone()
                .or(file.database)
                .unwrap_or_else(|| "sqlite://bearing.db".into()),
            database_is_default,
            bind: args
                .bind
                .clone()
                .or(file.bind)
                .unwrap_or_else(|| "127.0.0.1:8080".into()),
            max_note_bytes: args
                .max_note_bytes
                .or(file.max_note_bytes)
                .unwrap_or(65_536),
            max_body_bytes: args
                .max_body_bytes
                .or(file.max_body_bytes)
                .unwrap_or(1_048_576),
            db_max_connections: args
                .db_max_connections
                .or(file.db_max_connections)
                .unwrap_or(16),
            session_hours: args.session_hours.or(file.session_hours).unwrap_or(336),
            secure_cookies: args.secure_cookies.or(file.secure_cookies).unwrap_or(false),
            log_format: args
                .log_format
                .clone()
                .or(file.log_format)
                .unwrap_or_else(|| "pretty".into()),
        };
        if s.max_note_bytes == 0 || s.max_body_bytes < s.max_note_bytes {
            anyhow::bail!(
                "max_body_bytes ({}) must be at least max_note_bytes ({}), and both above 0",
                s.max_body_bytes,
                s.max_note_bytes
            );
        }
        if !matches!(s.log_format.as_str(), "pretty" | "json") {
            anyhow::bail!(
                "log_format must be \"pretty\" or \"json\", not \"{}\"",
                s.log_format
            );
        }
        Ok(s)
    }

    /// Connect to the configured database and bring its schema up to date.
    pub async fn connect(&self) -> anyhow::Result<bearing_app::App> {
        let db = bearing_store::Db::connect(
            &self.database,
            &bearing_store::DbOptions {
                max_connections: self.db_max_connections,
                ..Default::default()
            },
        )
        .await
        .with_context(|| format!("connecting to {}", redact(&self.database)))?;
        db.migrate().await.context("migrating the database")?;
        Ok(bearing_app::App::new(
            db,
            bearing_app::AppConfig {
                max_note_bytes: self.max_note_bytes,
                session_hours: self.session_hours,
            },
        ))
    }
}

/// Start logging to stderr in the configured format.
pub fn init_logging(s: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if s.log_format == "json" {
        builder.json().init();
    } else {
        builder.compact().init();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://bob:secret@db/x"),
            "postgres://bob:***@db/x"
        );
        assert_eq!(redact("sqlite://bearing.db"), "sqlite://bearing.db");
    }

    #[test]
    fn default_toml_parses_and_matches_defaults() {
        let f: FileConfig = toml::from_str(DEFAULT_TOML).unwrap();
        assert_eq!(f.database.as_deref(), Some("sqlite://bearing.db"));
        assert_eq!(f.max_note_bytes, Some(65_536));
        let s = Settings::load(&ConfigArgs::default()).unwrap();
        assert_eq!(s.bind, f.bind.unwrap());
        assert_eq!(s.max_body_bytes, f.max_body_bytes.unwrap());
    }
}
