//! Migrations: the SQLite and PostgreSQL directories hold the same versions
//! and names, `MIGRATIONS` embeds exactly those files, migrating an empty
//! database applies each migration once (also when two servers race), and
//! both backends end up with the same schema.

use bearing_store::migrate::MIGRATIONS;
use bearing_store::{Backend, Db};
use bearing_testkit::schema::{Schema, describe};
use bearing_testkit::{TestContext, TestDb, backend_test, empty_db, test_db};
use std::path::PathBuf;

/// A database with no tables, for tests that migrate it themselves.
struct Empty(TestDb);

impl TestContext for Empty {
    async fn create(backend: Backend) -> Option<Self> {
        empty_db(backend).await.map(Empty)
    }

    fn test_db(&self) -> &TestDb {
        &self.0
    }
}

/// One migration file: version, name and text.
#[derive(Debug)]
struct File {
    version: i64,
    name: String,
    text: String,
}

fn migration_dir(dialect: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../bearing-store/migrations")
        .join(dialect)
}

/// The migration files of one dialect, by version. Every file must be named
/// `NNNN_name.sql`.
fn migration_files(dialect: &str) -> Vec<File> {
    let dir = migration_dir(dialect);
    let mut files: Vec<File> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
            let stem = file_name
                .strip_suffix(".sql")
                .unwrap_or_else(|| panic!("{dialect}/{file_name}: migrations must end in .sql"));
            let (num, name) = stem
                .split_once('_')
                .unwrap_or_else(|| panic!("{dialect}/{file_name}: expected NNNN_name.sql"));
            assert!(
                num.len() == 4 && num.chars().all(|c| c.is_ascii_digit()),
                "{dialect}/{file_name}: the version must be four digits"
            );
            assert!(!name.is_empty(), "{dialect}/{file_name}: the name is empty");
            File {
                version: num.parse().unwrap(),
                name: name.to_string(),
                text: std::fs::read_to_string(&path).unwrap(),
            }
        })
        .collect();
    files.sort_by_key(|f| f.version);
    files
}

fn versions_and_names(files: &[File]) -> Vec<(i64, &str)> {
    files.iter().map(|f| (f.version, f.name.as_str())).collect()
}

#[test]
fn migration_files_pair_up_across_dialects() {
    let sqlite = migration_files("sqlite");
    let postgres = migration_files("postgres");
    assert!(
        !sqlite.is_empty(),
        "no migrations found in {}",
        migration_dir("sqlite").display()
    );
    assert_eq!(
        versions_and_names(&sqlite),
        versions_and_names(&postgres),
        "migrations/sqlite and migrations/postgres must hold the same versions and names"
    );
    for pair in sqlite.windows(2) {
        assert!(
            pair[0].version < pair[1].version,
            "version {} appears twice",
            pair[1].version
        );
    }
}

#[test]
fn embedded_migrations_are_the_files() {
    let sqlite = migration_files("sqlite");
    let postgres = migration_files("postgres");
    let embedded: Vec<(i64, &str)> = MIGRATIONS.iter().map(|m| (m.version, m.name)).collect();
    assert_eq!(
        embedded,
        versions_and_names(&sqlite),
        "MIGRATIONS must list every file, oldest first"
    );
    for ((m, s), p) in MIGRATIONS.iter().zip(&sqlite).zip(&postgres) {
        assert_eq!(
            m.sqlite, s.text,
            "migration {} embeds the wrong SQLite file",
            m.version
        );
        assert_eq!(
            m.postgres, p.text,
            "migration {} embeds the wrong PostgreSQL file",
            m.version
        );
    }
}

backend_test!(
    migrating_from_empty_applies_every_migration_once,
    |e: Empty| async move {
        let db = &e.0.db;
        let all: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
        let pending: Vec<i64> = db
            .pending_migrations()
            .await
            .unwrap()
            .iter()
            .map(|m| m.version)
            .collect();
        assert_eq!(pending, all);

        let applied: Vec<i64> = db
            .migrate()
            .await
            .unwrap()
            .iter()
            .map(|m| m.version)
            .collect();
        assert_eq!(applied, all);

        assert!(
            db.migrate().await.unwrap().is_empty(),
            "a second migrate must do nothing"
        );
        assert!(db.pending_migrations().await.unwrap().is_empty());
        // Another pool (another server) agrees.
        let other = e.0.connect().await;
        assert!(other.pending_migrations().await.unwrap().is_empty());
        assert_eq!(other.count_users().await.unwrap(), 0);
    }
);

backend_test!(
    concurrent_migrations_apply_each_migration_once,
    |e: Empty| async move {
        let pools: Vec<Db> = futures::future::join_all((0..3).map(|_| e.0.connect())).await;
        let results = futures::future::join_all(pools.iter().map(|db| db.migrate())).await;
        let mut applied: Vec<i64> = Vec::new();
        for r in results {
            applied.extend(
                r.expect("every server's migrate must succeed")
                    .iter()
                    .map(|m| m.version),
            );
        }
        applied.sort();
        let all: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
        assert_eq!(
            applied, all,
            "each migration must be applied by exactly one server"
        );
        assert!(e.0.db.pending_migrations().await.unwrap().is_empty());
    }
);

/// The tables the foundation migration makes, as a sanity check on
/// [`describe`] itself (an empty description would compare equal).
const FOUNDATION_TABLES: &[&str] = &[
    "activity",
    "api_tokens",
    "areas",
    "comments",
    "contacts",
    "customers",
    "followers",
    "idea_labels",
    "ideas",
    "links",
    "note_tags",
    "notes",
    "schema_migrations",
    "sign_ins",
    "users",
];

fn assert_same_schema(what: &str, a: &Schema, b: &Schema) {
    let diff = a.diff(b);
    assert!(diff.is_empty(), "{what} differ:\n{}", diff.join("\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_build_the_same_schema() {
    let Some(pg) = empty_db(Backend::Postgres).await else {
        println!("SKIPPED: no PostgreSQL (set BEARING_TEST_PG_URL)");
        return;
    };
    let lite = empty_db(Backend::Sqlite).await.unwrap();
    lite.db.migrate().await.unwrap();
    pg.db.migrate().await.unwrap();
    let lite_schema = describe(&lite.db).await.unwrap();
    let pg_schema = describe(&pg.db).await.unwrap();

    let tables = lite_schema.tables();
    for t in FOUNDATION_TABLES {
        assert!(
            tables.iter().any(|x| x == t),
            "table {t} missing from the SQLite schema: {tables:?}"
        );
    }
    assert!(!lite_schema.indexes.is_empty() && !lite_schema.foreign_keys.is_empty());
    assert_same_schema(
        "SQLite (-) and PostgreSQL (+) schemas",
        &lite_schema,
        &pg_schema,
    );

    // The per-test copy of the template is the same as a fresh migration.
    let copy = test_db(Backend::Postgres).await.unwrap();
    let copy_schema = describe(&copy.db).await.unwrap();
    assert_same_schema(
        "fresh (-) and template-copied (+) PostgreSQL schemas",
        &pg_schema,
        &copy_schema,
    );

    for c in [pg.cleanup(), copy.cleanup()].into_iter().flatten() {
        c.run().await;
    }
}

backend_test!(describe_sees_primary_keys_and_nullability, |t| async move {
    let s = describe(&t.db).await.unwrap();
    let col = |table: &str, name: &str| {
        s.columns
            .iter()
            .find(|c| c.table == table && c.name == name)
            .unwrap_or_else(|| panic!("{table}.{name} not described"))
            .clone()
    };
    let id = col("notes", "id");
    assert!(id.primary_key && !id.nullable);
    assert_eq!(id.type_class, "blob");
    let customer = col("notes", "customer_id");
    assert!(!customer.primary_key && customer.nullable);
    assert_eq!(col("notes", "created_at").type_class, "int64");
    assert_eq!(col("notes", "public_safe").type_class, "bool");
    assert_eq!(col("ideas", "effort_months").type_class, "float64");
    assert!(col("note_tags", "tag").primary_key && col("note_tags", "note_id").primary_key);
    assert!(
        s.foreign_keys.iter().any(|f| f.table == "links"
            && f.column == "note_id"
            && f.ref_table == "notes"
            && f.on_delete == "CASCADE"),
        "links.note_id → notes(id) ON DELETE CASCADE not described: {:?}",
        s.foreign_keys
    );
    assert!(s.indexes.iter().any(|i| i.table == "customers"
        && i.name.is_none()
        && i.unique
        && i.columns == ["name_lower"]));
    assert!(s.indexes.iter().any(|i| i.name.as_deref() == Some("ideas_title") && i.columns == ["title_lower", "id"]));
});
