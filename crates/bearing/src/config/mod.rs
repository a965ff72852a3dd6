//! Configuration in layers: built-in defaults, then `bearing.toml`, then
//! `BEARING_*` environment variables, then command-line flags, each later
//! layer winning. Every setting is declared once in `settings.rs`; this
//! module merges the layers with figment, explains bad values in terms of
//! the setting and the layer they came from, and connects to the database.
//! `render.rs` prints the settings (`config default`, `config show`, the
//! README table).

mod define;
mod render;
mod settings;

pub use define::{SettingInfo, redact};
pub use render::{default_toml, readme_table, show};
pub use settings::{LogFormat, SETTINGS, Settings};

use anyhow::Context;
use figment::providers::{Format, Serialized};
use figment::value::{Dict, Map, Value};
use figment::{Figment, Metadata, Profile, Provider};
use std::fmt;
use std::path::PathBuf;

/// The one flag that is not a setting: which file holds the settings.
#[derive(clap::Args, Debug, Default)]
pub struct ConfigArgs {
    /// Configuration file [default: ./bearing.toml if it exists].
    #[arg(long, global = true, env = "BEARING_CONFIG")]
    pub config: Option<PathBuf>,
}

/// Add every setting's flag to the command line: global ones to `cmd`,
/// the others to their subcommand.
pub fn add_setting_flags(mut cmd: clap::Command) -> clap::Command {
    for info in SETTINGS {
        cmd = match info.scope {
            define::Scope::Global => cmd.arg(info.arg()),
            define::Scope::Command(name) => cmd.mut_subcommand(name, |sub| sub.arg(info.arg())),
        };
    }
    cmd
}

/// Where a setting's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Nothing set it.
    Default,
    /// The configuration file at this path.
    File(PathBuf),
    /// This environment variable.
    Env(String),
    /// This flag.
    Flag(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Default => write!(f, "the default"),
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Env(var) => write!(f, "environment variable {var}"),
            Origin::Flag(flag) => write!(f, "flag {flag}"),
        }
    }
}

/// The settings in force and where each came from.
#[derive(Debug)]
pub struct Loaded {
    /// The merged settings.
    pub settings: Settings,
    /// Each setting's origin, in the order of [`SETTINGS`].
    pub origins: Vec<Origin>,
}

/// Metadata names of the two layers built here; figment's own file provider
/// marks its values with the file's path instead.
const ENV_LAYER: &str = "environment";
const FLAG_LAYER: &str = "flags";

impl Origin {
    /// Where figment says the value of `info` came from.
    fn of(metadata: Option<&Metadata>, info: Option<&SettingInfo>) -> Origin {
        let Some(md) = metadata else {
            return Origin::Default;
        };
        if let Some(path) = md.source.as_ref().and_then(|s| s.file_path()) {
            return Origin::File(path.to_path_buf());
        }
        match (md.name.as_ref(), info) {
            (ENV_LAYER, Some(info)) => Origin::Env(info.env()),
            (FLAG_LAYER, Some(info)) => Origin::Flag(info.flag()),
            _ => Origin::Default,
        }
    }
}

/// A layer of raw strings keyed by setting name. The environment is read
/// this way rather than through figment's `Env` provider because that one
/// parses values (`BEARING_X=123` becomes a number, figment issue #42), which
/// would refuse a password or any other text setting that looks like a
/// number; `extract_lossy` turns strings into numbers and booleans only
/// where a setting wants one.
struct Layer {
    name: &'static str,
    values: Dict,
}

impl Provider for Layer {
    fn metadata(&self) -> Metadata {
        Metadata::named(self.name)
    }

    fn data(&self) -> Result<Map<Profile, Dict>, figment::Error> {
        Ok(Profile::Default.collect(self.values.clone()))
    }
}

impl Layer {
    /// Every `BEARING_<NAME>` variable that names a setting. An empty one
    /// counts as unset, as clap treats empty variables for flags. Other
    /// `BEARING_*` variables (BEARING_CONFIG, test harness ones) are not
    /// settings and are left alone.
    fn environment() -> Layer {
        let values = SETTINGS
            .iter()
            .filter_map(|info| {
                let value = std::env::var_os(info.env())?;
                let value = value.to_string_lossy();
                (!value.is_empty()).then(|| (info.name.to_string(), Value::from(value.as_ref())))
            })
            .collect();
        Layer {
            name: ENV_LAYER,
            values,
        }
    }

    /// Every setting flag given on the command line, from any level of
    /// subcommand (a deeper level wins, though global flags agree at all).
    fn flags(matches: &clap::ArgMatches) -> Layer {
        let mut values = Dict::new();
        let mut level = Some(matches);
        while let Some(m) = level {
            // Setting flags have no clap default and read no environment,
            // so a value here was typed on the command line. try_get_raw,
            // unlike get_raw, answers Err for a flag this level lacks.
            for info in SETTINGS {
                if let Ok(Some(mut raw)) = m.try_get_raw(info.name)
                    && let Some(v) = raw.next()
                {
                    values.insert(
                        info.name.to_string(),
                        Value::from(v.to_string_lossy().as_ref()),
                    );
                }
            }
            level = m.subcommand().map(|(_, sub)| sub);
        }
        Layer {
            name: FLAG_LAYER,
            values,
        }
    }
}

/// TOML through the workspace's `toml` crate: figment's own `toml` feature
/// would build a second, older copy of the parser.
struct TomlFile;

impl Format for TomlFile {
    type Error = toml::de::Error;
    const NAME: &'static str = "TOML";

    fn from_str<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, Self::Error> {
        toml::from_str(text)
    }
}

/// Merge every layer over `defaults` and check the result. `defaults` is
/// [`Settings::default`] except where a command changes a default (as
/// `serve --demo` does the database), so any layer still overrides it.
pub fn load(
    args: &ConfigArgs,
    matches: &clap::ArgMatches,
    defaults: Settings,
) -> anyhow::Result<Loaded> {
    let file = args.config.clone().or_else(|| {
        let p = PathBuf::from("bearing.toml");
        p.exists().then_some(p)
    });
    let mut figment = Figment::from(Serialized::defaults(defaults));
    if let Some(path) = &file {
        // file_exact: `file` would also search parent directories.
        figment = figment.merge(TomlFile::file_exact(path));
    }
    let figment = figment
        .merge(Layer::environment())
        .merge(Layer::flags(matches));
    let settings: Settings = figment.extract_lossy().map_err(explain)?;
    let origins: Vec<Origin> = SETTINGS
        .iter()
        .map(|info| Origin::of(figment.find_metadata(info.name), Some(info)))
        .collect();
    settings.check(|name| {
        SETTINGS
            .iter()
            .position(|info| info.name == name)
            .and_then(|i| origins.get(i))
            .map_or_else(|| "the default".into(), ToString::to_string)
    })?;
    Ok(Loaded { settings, origins })
}

/// Turn figment's errors into sentences naming the setting, the layer and
/// what to write instead.
fn explain(err: figment::Error) -> anyhow::Error {
    let lines: Vec<String> = err.into_iter().map(|e| explain_one(&e)).collect();
    anyhow::anyhow!(lines.join("\n"))
}

fn explain_one(e: &figment::Error) -> String {
    use figment::error::Kind;
    let name = e.path.last().map(String::as_str);
    let info = name.and_then(|n| SETTINGS.iter().find(|i| i.name == n));
    let origin = Origin::of(e.metadata.as_ref(), info);
    let expects = info.map(|i| (i.expects)()).unwrap_or_default();
    match (&e.kind, name) {
        (Kind::UnknownField(key, _), _) => {
            let known: Vec<&str> = SETTINGS.iter().map(|i| i.name).collect();
            format!(
                "unknown setting `{key}` in {origin}; the settings are {} (`bearing config default` explains each)",
                known.join(", ")
            )
        }
        (Kind::InvalidType(actual, _) | Kind::InvalidValue(actual, _), Some(name)) => {
            format!("{name} from {origin}: expected {expects}, found {actual}")
        }
        (Kind::UnknownVariant(actual, _), Some(name)) => {
            format!("{name} from {origin}: expected {expects}, found \"{actual}\"")
        }
        (Kind::Message(msg), _) if matches!(origin, Origin::File(_)) => {
            format!("reading {origin}: {}", msg.trim_end())
        }
        (kind, Some(name)) => format!("{name} from {origin}: {kind}"),
        (kind, None) => format!("configuration from {origin}: {kind}"),
    }
}

impl fmt::Debug for Settings {
    /// Every setting, secrets redacted, so a settings value can be logged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Settings");
        for (info, value) in SETTINGS.iter().zip(self.values()) {
            d.field(info.name, &format_args!("{}", info.shown(value)));
        }
        d.finish()
    }
}

impl Settings {
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
                sign_in_hours: self.session_hours,
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
    match s.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Pretty => builder.compact().init(),
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
    fn debug_hides_the_database_password() {
        let s = Settings {
            database: "postgres://bob:hunter2@db/x".into(),
            ..Settings::default()
        };
        let shown = format!("{s:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("postgres://bob:***@db/x"), "{shown}");
        assert!(shown.contains("max_note_bytes: 65536"), "{shown}");
    }

    #[test]
    fn wholly_secret_values_are_hidden_when_set() {
        use define::SettingType;
        let info = SettingInfo {
            name: "smtp_password",
            doc: "A password.",
            scope: define::Scope::Global,
            secret: define::Secret::Whole,
            expects: String::expects,
            flag_parser: String::flag_parser,
        };
        assert_eq!(info.shown("12345".into()), toml::Value::from("***"));
        // Unset stays visibly unset rather than looking configured.
        assert_eq!(info.shown("".into()), toml::Value::from(""));
    }

    #[test]
    fn default_toml_parses_back_to_exactly_the_defaults() {
        // Every field is required when reading TOML directly (figment
        // supplies missing ones from the defaults layer), so this also
        // proves that every setting is in the output.
        let parsed: Settings = toml::from_str(&default_toml()).unwrap();
        assert!(parsed == Settings::default(), "{parsed:?}");
    }

    #[test]
    fn every_setting_flag_has_its_place_on_the_command_line() {
        let cmd = add_setting_flags(<crate::Cli as clap::CommandFactory>::command());
        cmd.clone().debug_assert();
        for info in SETTINGS {
            let owner = match info.scope {
                define::Scope::Global => Some(&cmd),
                define::Scope::Command(name) => cmd.find_subcommand(name),
            };
            let owner = owner.unwrap();
            assert!(
                owner.get_arguments().any(|a| a.get_id() == info.name),
                "{} has no flag",
                info.name
            );
        }
    }
}
