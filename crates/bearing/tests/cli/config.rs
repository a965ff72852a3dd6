//! Configuration as an operator meets it: `bearing config …` run as a
//! subprocess in its own empty directory with its own environment, so the
//! layers (defaults, ./bearing.toml or --config, BEARING_*, flags) are under
//! the test's control and no test's variables leak into another's.

use std::path::Path;
use std::process::Command;

/// What one run of the binary did.
struct Run {
    ok: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Run `bearing ARGS…` in `dir` with only the variables in `env`.
fn bearing_in(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_bearing"))
        .current_dir(dir)
        .env_clear()
        .envs(env.iter().copied())
        .args(args)
        .output()
        .unwrap();
    Run {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `config show` in `dir`: each setting's (value, origin), by name.
fn show(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Vec<(String, String, String)> {
    let mut all = args.to_vec();
    all.extend(["config", "show"]);
    let run = bearing_in(dir, env, &all);
    assert!(run.ok, "stdout: {}\nstderr: {}", run.stdout, run.stderr);
    run.stdout
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (setting, rest) = l.split_once(" = ").unwrap();
            let (value, origin) = rest.split_once("  # ").unwrap();
            (setting.into(), value.into(), origin.into())
        })
        .collect()
}

/// The (value, origin) of one setting in a `show` listing.
fn setting<'a>(shown: &'a [(String, String, String)], name: &str) -> (&'a str, &'a str) {
    let (_, value, origin) = shown.iter().find(|(n, _, _)| n == name).unwrap();
    (value, origin)
}

#[test]
fn readme_table_is_the_one_generated_from_the_settings() {
    let dir = tempfile::tempdir().unwrap();
    let run = bearing_in(dir.path(), &[], &["config", "table"]);
    assert!(run.ok, "{}", run.stderr);
    let expected = run.stdout;
    assert!(expected.contains("| `database` | `BEARING_DATABASE` | `--database` |"));
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = "-->\n";
    let begin = readme
        .find("<!-- settings table:")
        .and_then(|i| readme[i..].find(start).map(|j| i + j + start.len()))
        .expect("README.md lacks the <!-- settings table: … --> marker");
    let end = readme[begin..]
        .find("<!-- end of settings table -->")
        .map(|j| begin + j)
        .expect("README.md lacks <!-- end of settings table -->");
    let found = readme[begin..end].trim();
    assert!(
        found == expected.trim(),
        "README.md's settings table differs from the settings; replace it with \
         (`cargo run -p bearing -- config table`):\n\n{expected}"
    );
}

#[test]
fn config_default_read_back_as_a_file_is_exactly_the_defaults() {
    let empty = tempfile::tempdir().unwrap();
    let defaults = show(empty.path(), &[], &[]);
    assert!(
        defaults
            .iter()
            .all(|(_, _, origin)| origin == "the default")
    );

    let run = bearing_in(empty.path(), &[], &["config", "default"]);
    assert!(run.ok, "{}", run.stderr);
    // Commented: each setting is preceded by its variable and flag.
    assert!(
        run.stdout
            .contains("# BEARING_DATABASE, --database\ndatabase = ")
    );
    assert!(run.stdout.contains("# BEARING_BIND, serve --bind\nbind = "));

    let with_file = tempfile::tempdir().unwrap();
    std::fs::write(with_file.path().join("bearing.toml"), &run.stdout).unwrap();
    let read_back = show(with_file.path(), &[], &[]);
    assert_eq!(read_back.len(), defaults.len());
    for ((name, value, origin), (d_name, d_value, _)) in read_back.iter().zip(&defaults) {
        assert_eq!((name, value), (d_name, d_value));
        assert_eq!(origin, "bearing.toml", "{name} was not read from the file");
    }
}

#[test]
fn layers_file_then_environment_then_flags() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bearing.toml"),
        "max_note_bytes = 1000\nsession_hours = 2\nbind = \"127.0.0.1:9000\"\n",
    )
    .unwrap();
    let env = [
        ("BEARING_MAX_NOTE_BYTES", "2000"),
        ("BEARING_SESSION_HOURS", "3"),
    ];

    let file_only = show(dir.path(), &[], &[]);
    assert_eq!(
        setting(&file_only, "max_note_bytes"),
        ("1000", "bearing.toml")
    );
    assert_eq!(
        setting(&file_only, "bind"),
        ("\"127.0.0.1:9000\"", "bearing.toml")
    );
    assert_eq!(
        setting(&file_only, "log_format"),
        ("\"pretty\"", "the default")
    );

    let with_env = show(dir.path(), &env, &[]);
    assert_eq!(
        setting(&with_env, "max_note_bytes"),
        ("2000", "environment variable BEARING_MAX_NOTE_BYTES")
    );
    assert_eq!(
        setting(&with_env, "session_hours"),
        ("3", "environment variable BEARING_SESSION_HOURS")
    );

    // A flag beats both, before or after the subcommand; the others stay.
    for args in [
        &["--max-note-bytes", "3000"][..],
        &["--max-note-bytes=3000"][..],
    ] {
        let with_flag = show(dir.path(), &env, args);
        assert_eq!(
            setting(&with_flag, "max_note_bytes"),
            ("3000", "flag --max-note-bytes")
        );
        assert_eq!(
            setting(&with_flag, "session_hours"),
            ("3", "environment variable BEARING_SESSION_HOURS")
        );
    }
    let run = bearing_in(
        dir.path(),
        &env,
        &["config", "show", "--max-note-bytes", "4000"],
    );
    assert!(
        run.stdout
            .contains("max_note_bytes = 4000  # flag --max-note-bytes"),
        "{}",
        run.stdout
    );

    // A true/false flag alone means true and =false beats the environment.
    let on = show(dir.path(), &[], &["--secure-cookies"]);
    assert_eq!(
        setting(&on, "secure_cookies"),
        ("true", "flag --secure-cookies")
    );
    let off = show(
        dir.path(),
        &[("BEARING_SECURE_COOKIES", "true")],
        &["--secure-cookies=false"],
    );
    assert_eq!(
        setting(&off, "secure_cookies"),
        ("false", "flag --secure-cookies")
    );
}

#[test]
fn the_file_comes_from_config_or_bearing_config_before_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bearing.toml"), "session_hours = 1\n").unwrap();
    let other = dir.path().join("other.toml");
    std::fs::write(&other, "session_hours = 5\n").unwrap();
    let other = other.to_str().unwrap();

    let here = show(dir.path(), &[], &[]);
    assert_eq!(setting(&here, "session_hours"), ("1", "bearing.toml"));
    let by_flag = show(dir.path(), &[], &["--config", other]);
    assert_eq!(setting(&by_flag, "session_hours"), ("5", other));
    let by_env = show(dir.path(), &[("BEARING_CONFIG", other)], &[]);
    assert_eq!(setting(&by_env, "session_hours"), ("5", other));

    let missing = bearing_in(
        dir.path(),
        &[],
        &["--config", "nowhere.toml", "config", "show"],
    );
    assert_eq!(missing.code, Some(2));
    assert!(
        missing.stderr.contains("reading nowhere.toml"),
        "{}",
        missing.stderr
    );
}

#[test]
fn an_unknown_key_in_the_file_is_refused_naming_key_and_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bearing.toml"),
        "max_note_bytes = 1000\ndatabse = \"sqlite://typo.db\"\n",
    )
    .unwrap();
    let run = bearing_in(dir.path(), &[], &["config", "show"]);
    assert_eq!(run.code, Some(2), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "unknown setting `databse` in bearing.toml; the settings are database, bind,"
        ),
        "{}",
        run.stderr
    );
    // Variables that are not settings are not refused: BEARING_CONFIG is
    // the file's name and test harnesses use BEARING_TEST_*.
    std::fs::remove_file(dir.path().join("bearing.toml")).unwrap();
    let run = bearing_in(
        dir.path(),
        &[("BEARING_TEST_PG_URL", "x")],
        &["config", "show"],
    );
    assert!(run.ok, "{}", run.stderr);
}

#[test]
fn bad_values_are_explained_with_the_setting_and_where_they_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |env: &[(&str, &str)], args: &[&str], file: &str| {
        std::fs::write(dir.path().join("bearing.toml"), file).unwrap();
        let mut all = args.to_vec();
        all.extend(["config", "show"]);
        let run = bearing_in(dir.path(), env, &all);
        assert!(!run.ok, "accepted: {}", run.stdout);
        run.stderr
    };
    let err = refused(&[("BEARING_MAX_NOTE_BYTES", "lots")], &[], "");
    assert!(
        err.contains("max_note_bytes from environment variable BEARING_MAX_NOTE_BYTES: expected a whole number (0 or more), found string \"lots\""),
        "{err}"
    );
    let err = refused(&[], &[], "max_note_bytes = \"lots\"\n");
    assert!(
        err.contains("max_note_bytes from bearing.toml: expected a whole number"),
        "{err}"
    );
    let err = refused(&[("BEARING_LOG_FORMAT", "xml")], &[], "");
    assert!(
        err.contains("log_format from environment variable BEARING_LOG_FORMAT: expected \"pretty\" or \"json\", found \"xml\""),
        "{err}"
    );
    let err = refused(&[], &["--max-note-bytes", "lots"], "");
    assert!(err.contains("'--max-note-bytes <MAX_NOTE_BYTES>'"), "{err}");
    let err = refused(
        &[("BEARING_MAX_BODY_BYTES", "10")],
        &[],
        "max_note_bytes = 1000\n",
    );
    assert!(
        err.contains("max_body_bytes (10, from environment variable BEARING_MAX_BODY_BYTES) must be at least max_note_bytes (1000, from bearing.toml)"),
        "{err}"
    );
    let err = refused(&[], &["--max-note-bytes", "0"], "");
    assert!(
        err.contains("max_note_bytes must be above 0 (it is 0, from flag --max-note-bytes)"),
        "{err}"
    );
    let err = refused(&[("BEARING_SIGNIN_IP_BURST", "0")], &[], "");
    assert!(
        err.contains("signin_ip_burst must be 1 or more (it is 0, from environment variable BEARING_SIGNIN_IP_BURST)"),
        "{err}"
    );
    let err = refused(&[], &[], "max_note_bytes = \n");
    assert!(
        err.contains("reading bearing.toml: TOML parse error at line 1"),
        "{err}"
    );
}

#[test]
fn text_settings_keep_environment_values_that_look_like_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let shown = show(
        dir.path(),
        &[("BEARING_BIND", "12345"), ("BEARING_DATABASE", "true")],
        &[],
    );
    assert_eq!(
        setting(&shown, "bind"),
        ("\"12345\"", "environment variable BEARING_BIND")
    );
    assert_eq!(
        setting(&shown, "database"),
        ("\"true\"", "environment variable BEARING_DATABASE")
    );
    // An empty variable counts as unset.
    let shown = show(dir.path(), &[("BEARING_BIND", "")], &[]);
    assert_eq!(
        setting(&shown, "bind"),
        ("\"127.0.0.1:8080\"", "the default")
    );
}

#[test]
fn config_show_hides_the_database_password() {
    let dir = tempfile::tempdir().unwrap();
    let run = bearing_in(
        dir.path(),
        &[("BEARING_DATABASE", "postgres://bob:hunter2@db:5432/bearing")],
        &["config", "show"],
    );
    assert!(run.ok, "{}", run.stderr);
    assert!(!run.stdout.contains("hunter2"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("database = \"postgres://bob:***@db:5432/bearing\""),
        "{}",
        run.stdout
    );
}

#[test]
fn bind_is_a_serve_flag_but_a_setting_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let run = bearing_in(
        dir.path(),
        &[],
        &["--bind", "127.0.0.1:1", "config", "show"],
    );
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("unexpected argument '--bind'"),
        "{}",
        run.stderr
    );
    let run = bearing_in(dir.path(), &[], &["serve", "-h"]);
    assert!(run.stdout.contains("--bind <BIND>"), "{}", run.stdout);
    let run = bearing_in(dir.path(), &[], &["--help"]);
    for needle in [
        "--config",
        "--database <DATABASE>",
        "--max-note-bytes",
        "[env: BEARING_LOG_FORMAT]",
    ] {
        assert!(
            run.stdout.contains(needle),
            "{needle} missing from:\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("--bind"), "{}", run.stdout);
}

/// `serve --demo` on an address already taken: it connects (creating the
/// SQLite file) and then fails to listen, which shows which database it chose.
fn serve_demo_in(dir: &Path, env: &[(&str, &str)]) {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let run = bearing_in(dir, env, &["serve", "--demo", "--bind", &addr]);
    assert!(!run.ok, "{}", run.stdout);
    assert!(
        run.stderr.contains(&format!("listening on {addr}")),
        "{}",
        run.stderr
    );
}

#[test]
fn serve_demo_uses_its_own_database_only_when_none_is_configured() {
    let dir = tempfile::tempdir().unwrap();
    serve_demo_in(dir.path(), &[]);
    assert!(dir.path().join("bearing-demo.db").exists());
    assert!(!dir.path().join("bearing.db").exists());

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bearing.toml"),
        "database = \"sqlite://mine.db\"\n",
    )
    .unwrap();
    serve_demo_in(dir.path(), &[]);
    assert!(dir.path().join("mine.db").exists());
    assert!(!dir.path().join("bearing-demo.db").exists());

    let dir = tempfile::tempdir().unwrap();
    serve_demo_in(dir.path(), &[("BEARING_DATABASE", "sqlite://env.db")]);
    assert!(dir.path().join("env.db").exists());
    assert!(!dir.path().join("bearing-demo.db").exists());
}
