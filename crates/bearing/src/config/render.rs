//! The settings written out for people, all from the one list: the commented
//! `bearing.toml` of `bearing config default`, the settings in force of
//! `bearing config show`, and the Markdown table in README.md (printed by the
//! hidden `bearing config table`; a test keeps the README equal to it).

use super::{Loaded, SETTINGS, Settings};

/// A commented `bearing.toml` with every setting at its default. Parsing it
/// gives exactly [`Settings::default`].
pub fn default_toml() -> String {
    let mut out = String::from(
        "# bearing.toml: every setting, at its default.\n\
         # Layers, each winning over the one before: built-in defaults, this file,\n\
         # BEARING_* environment variables, flags. Each setting's variable and\n\
         # flag follow its description.\n",
    );
    for (info, value) in SETTINGS.iter().zip(Settings::default().values()) {
        out.push('\n');
        for line in info.doc_lines() {
            out.push_str(&format!("# {line}\n"));
        }
        out.push_str(&format!("# {}, {}\n", info.env(), info.flag_usage()));
        out.push_str(&format!("{} = {value}\n", info.name));
    }
    out
}

/// The settings in force as TOML, secrets hidden, each with a comment
/// saying which layer set it.
pub fn show(loaded: &Loaded) -> String {
    let mut out =
        String::from("# The settings in force (secrets hidden), each with where it came from.\n");
    let values = loaded.settings.values();
    for ((info, value), origin) in SETTINGS.iter().zip(values).zip(&loaded.origins) {
        out.push_str(&format!(
            "{} = {}  # {origin}\n",
            info.name,
            info.shown(value)
        ));
    }
    out
}

/// The Markdown table of settings for README.md's "Configuration" section.
pub fn readme_table() -> String {
    let mut out = String::from(
        "| setting | environment | flag | default | meaning |\n|---|---|---|---|---|\n",
    );
    for (info, value) in SETTINGS.iter().zip(Settings::default().values()) {
        let default = match value {
            toml::Value::String(s) if !s.is_empty() => s,
            other => other.to_string(),
        };
        out.push_str(&format!(
            "| `{}` | `{}` | `{}` | `{default}` | {} |\n",
            info.name,
            info.env(),
            info.flag_usage(),
            info.help().replace('|', "\\|"),
        ));
    }
    out
}
