//! Every static SQL statement in the store prepares on both backends, so a
//! dialect slip fails here, named, before any behaviour test trips over it.
//! A second test keeps the list honest: each SQL constant in a store source
//! file must appear in that file's `STATEMENTS`, and each file with
//! `STATEMENTS` must be listed here.

use bearing_testkit::backend_test;
use bearing_testkit::sql::prepare_all;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Every store module's statements, by module (file) name.
const ALL: &[(&str, &[&str])] = &[
    ("accounts", bearing_store::accounts::STATEMENTS),
    ("areas", bearing_store::areas::STATEMENTS),
    ("board", bearing_store::board::STATEMENTS),
    ("bulk", bearing_store::bulk::STATEMENTS),
    ("changes", bearing_store::changes::STATEMENTS),
    ("comments", bearing_store::comments::STATEMENTS),
    ("customers", bearing_store::customers::STATEMENTS),
    ("demand", bearing_store::demand::STATEMENTS),
    ("exercises", bearing_store::exercises::STATEMENTS),
    ("ideas", bearing_store::ideas::STATEMENTS),
    ("idempotency", bearing_store::idempotency::STATEMENTS),
    ("links", bearing_store::links::STATEMENTS),
    ("merges", bearing_store::merges::STATEMENTS),
    ("notes", bearing_store::notes::STATEMENTS),
    ("sessions", bearing_store::sessions::STATEMENTS),
    ("settings", bearing_store::settings::STATEMENTS),
];

/// Files whose SQL constants are deliberately not in a `STATEMENTS` list:
/// the migration runner's ledger queries run at the start of every test;
/// `VACUUM` cannot run inside the transaction the prepare test uses, and
/// the maintenance tests run it on both backends.
const EXEMPT: &[&str] = &["migrate", "maintenance"];

backend_test!(every_static_statement_prepares, |t| async move {
    let mut failures = Vec::new();
    let mut total = 0;
    for (module, statements) in ALL {
        assert!(!statements.is_empty(), "{module}::STATEMENTS is empty");
        total += statements.len();
        for f in prepare_all(&t.db, statements).await {
            failures.push(format!("{module}: {f}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} statements failed to prepare on {:?}:\n{}",
        failures.len(),
        t.backend,
        failures.join("\n")
    );
});

backend_test!(a_broken_statement_is_reported, |t| async move {
    let failures = prepare_all(
        &t.db,
        &["SELECT 1", "SELECT no_such_column FROM notes", "SELEC 1"],
    )
    .await;
    let bad: Vec<&str> = failures.iter().map(|f| f.sql).collect();
    assert_eq!(bad, ["SELECT no_such_column FROM notes", "SELEC 1"]);
});

/// The names of `const NAME: &str = "…";` items in a source file.
fn sql_consts(src: &str) -> BTreeSet<String> {
    src.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            let l = l.strip_prefix("pub(crate) ").unwrap_or(l);
            let rest = l.strip_prefix("const ")?;
            let (name, ty) = rest.split_once(':')?;
            ty.trim_start()
                .starts_with("&str")
                .then(|| name.trim().to_string())
        })
        .collect()
}

/// The identifiers inside `pub const STATEMENTS: &[&str] = &[ … ];`, or
/// `None` if the file has no such list.
fn statements_list(src: &str) -> Option<BTreeSet<String>> {
    const OPEN: &str = "pub const STATEMENTS: &[&str] = &[";
    let body = &src[src.find(OPEN)? + OPEN.len()..];
    let body = &body[..body.find("];")?];
    Some(
        body.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    )
}

#[test]
fn statement_lists_cover_every_sql_constant() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../bearing-store/src");
    let mut with_list = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let module = path.file_stem().unwrap().to_string_lossy().into_owned();
        let src = std::fs::read_to_string(&path).unwrap();
        let consts = sql_consts(&src);
        match statements_list(&src) {
            Some(list) => {
                with_list.insert(module.clone());
                let missing: Vec<&String> = consts.difference(&list).collect();
                assert!(
                    missing.is_empty(),
                    "{module}.rs: SQL constants missing from STATEMENTS: {missing:?}"
                );
            }
            None => assert!(
                consts.is_empty() || EXEMPT.contains(&module.as_str()),
                "{module}.rs has SQL constants {consts:?} but no `pub const STATEMENTS: &[&str]`"
            ),
        }
    }
    let listed: BTreeSet<String> = ALL.iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(
        with_list, listed,
        "statements.rs::ALL must list every store module with STATEMENTS"
    );
}
