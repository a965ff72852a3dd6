//! The `bearing` binary itself, run as an operator would, against a real
//! database of each backend.

use bearing_testkit::{TestDb, backend_test};

/// Configuration layers, the file, flags and the README's settings table.
mod config;
use std::process::Command;

/// Run `bearing --database URL ARGS…`: (success, stdout, stderr).
fn bearing(url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bearing"))
        .arg("--database")
        .arg(url)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

backend_test!(maintenance_reports_each_step, |t: TestDb| async move {
    let url = t.url.clone();
    let (ok, out, err) = tokio::task::spawn_blocking(move || {
        bearing(&url, &["maintenance", "--vacuum", "--rebuild-search"])
    })
    .await
    .unwrap();
    assert!(ok, "stdout: {out}\nstderr: {err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    for (line, start) in lines.iter().zip([
        "Reclaimed free space (VACUUM).",
        "Rebuilt the search indexes",
        "Recomputed demand scores (0 ideas have linked notes).",
        "Compacted the search indexes and refreshed statistics.",
        "Removed expired sign-ins (0) and idempotency keys older than 24 hours (0).",
    ]) {
        assert!(line.starts_with(start) && line.ends_with(" s)"), "{line}");
    }
});

#[test]
fn maintenance_help_explains_the_flags() {
    let (ok, out, _) = bearing("sqlite::memory:", &["maintenance", "--help"]);
    assert!(ok);
    for needle in [
        "--vacuum",
        "--rebuild-search",
        "quiet time",
        "demand scores",
    ] {
        assert!(out.contains(needle), "{needle} missing from:\n{out}");
    }
}
