//! A fresh, migrated database per test.
//!
//! SQLite: a file in a temporary directory that lives as long as the
//! [`TestDb`] (not `:memory:`, which gives every pooled connection its own
//! empty database). PostgreSQL: the admin URL comes from
//! `BEARING_TEST_PG_URL`; the first test to need it builds a migrated template
//! database named after a hash of the migration texts, under a cross-process
//! advisory lock (nextest runs every test in its own process), and each test
//! then gets `CREATE DATABASE t_<uuid> TEMPLATE <template>`, which is a file
//! copy rather than a migration run.

use bearing_store::migrate::MIGRATIONS;
use bearing_store::{Backend, Db, DbOptions};
use sqlx::{AssertSqlSafe, Connection, PgConnection};
use std::future::Future;
use std::time::Duration;
use tempfile::TempDir;

/// The environment variable holding the PostgreSQL admin URL, e.g.
/// `postgres://postgres@127.0.0.1:5432/postgres`. The role must be allowed
/// to create databases.
pub const PG_URL_ENV: &str = "BEARING_TEST_PG_URL";

/// Set to `1` to make a missing PostgreSQL fail tests instead of skipping them.
pub const REQUIRE_PG_ENV: &str = "BEARING_TEST_REQUIRE_PG";

/// Advisory-lock key serialising template creation across test processes
/// ("bearing" in ASCII; distinct from the store's migration lock).
const TEMPLATE_LOCK: i64 = 0x62_6561_7269_6e67;

/// Pool settings for tests: a few connections per test, since many tests run
/// at once against one PostgreSQL server.
pub fn test_options() -> DbOptions {
    DbOptions {
        max_connections: 5,
        ..Default::default()
    }
}

/// One test's own database.
#[derive(Debug)]
pub struct TestDb {
    /// A pool on the database, migrated unless made by [`empty_db`].
    pub db: Db,
    /// The database's URL, for a second pool or a restarted server.
    pub url: String,
    /// Which engine it is.
    pub backend: Backend,
    /// Keeps the SQLite file's directory alive; removed on drop.
    dir: Option<TempDir>,
    /// Where and what to drop after a passing PostgreSQL test.
    pg: Option<Cleanup>,
}

impl TestDb {
    /// A new, independent pool on the same database (with [`test_options`]).
    pub async fn connect(&self) -> Db {
        Db::connect(&self.url, &test_options())
            .await
            .unwrap_or_else(|e| panic!("reconnecting to test database {}: {e}", self.url))
    }

    /// The directory holding the SQLite file (none on PostgreSQL), for tests
    /// that want to put other files beside it.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.dir.as_ref().map(TempDir::path)
    }

    /// What to do once the test has passed: drop its PostgreSQL database.
    /// `None` on SQLite, whose file goes away with the [`TestDb`].
    pub fn cleanup(&self) -> Option<Cleanup> {
        self.pg.clone()
    }
}

/// Dropping a passing test's PostgreSQL database, so a long-lived server does
/// not fill up with copies.
#[derive(Clone, Debug)]
pub struct Cleanup {
    admin_url: String,
    name: String,
}

impl Cleanup {
    /// Drop the database, forcibly closing any connections still open on it.
    /// Failure only prints a warning: a leftover database harms nothing.
    pub async fn run(self) {
        let result = async {
            let mut admin = PgConnection::connect(&self.admin_url).await?;
            let sql = format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                quote_ident(&self.name)
            );
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut admin)
                .await?;
            admin.close().await
        }
        .await;
        if let Err(e) = result {
            eprintln!("warning: could not drop test database {}: {e}", self.name);
        }
    }
}

/// What a [`backend_test!`](crate::backend_test) body is handed: made fresh
/// for each test on a given backend. [`TestDb`] is one; richer fixtures (a
/// running server, say) implement it by building on a [`TestDb`].
pub trait TestContext: Sized {
    /// Make a context on `backend`, or `None` if that backend is not
    /// available (PostgreSQL without `BEARING_TEST_PG_URL`). Must panic rather
    /// than return `None` when `BEARING_TEST_REQUIRE_PG=1`.
    fn create(backend: Backend) -> impl Future<Output = Option<Self>>;

    /// The database underneath, whose cleanup runs after a passing test.
    fn test_db(&self) -> &TestDb;
}

impl TestContext for TestDb {
    fn create(backend: Backend) -> impl Future<Output = Option<Self>> {
        test_db(backend)
    }

    fn test_db(&self) -> &TestDb {
        self
    }
}

/// A fresh, migrated database for one test, or `None` for PostgreSQL when
/// `BEARING_TEST_PG_URL` is unset (panics instead if
/// `BEARING_TEST_REQUIRE_PG=1`). Panics if the database cannot be made.
pub async fn test_db(backend: Backend) -> Option<TestDb> {
    match backend {
        Backend::Sqlite => Some(sqlite_db(true).await),
        Backend::Postgres => {
            let admin = pg_admin_url()?;
            Some(pg_copy(&admin).await)
        }
    }
}

/// Like [`test_db`] but with no tables at all, for testing migrations
/// themselves.
pub async fn empty_db(backend: Backend) -> Option<TestDb> {
    match backend {
        Backend::Sqlite => Some(sqlite_db(false).await),
        Backend::Postgres => {
            let admin = pg_admin_url()?;
            Some(pg_empty(&admin).await)
        }
    }
}

async fn sqlite_db(migrate: bool) -> TestDb {
    let dir = tempfile::Builder::new()
        .prefix("bearing-test-")
        .tempdir()
        .unwrap_or_else(|e| panic!("creating a temp dir for the test database: {e}"));
    let url = format!("sqlite://{}", dir.path().join("bearing.db").display());
    let db = Db::connect(&url, &test_options())
        .await
        .unwrap_or_else(|e| panic!("opening test database {url}: {e}"));
    if migrate {
        db.migrate()
            .await
            .unwrap_or_else(|e| panic!("migrating test database {url}: {e}"));
    }
    TestDb {
        db,
        url,
        backend: Backend::Sqlite,
        dir: Some(dir),
        pg: None,
    }
}

/// The admin URL, honouring `BEARING_TEST_REQUIRE_PG`.
fn pg_admin_url() -> Option<String> {
    match std::env::var(PG_URL_ENV) {
        Ok(u) if !u.trim().is_empty() => Some(u.trim().to_string()),
        _ => {
            let required = std::env::var(REQUIRE_PG_ENV)
                .map(|v| matches!(v.trim(), "1" | "true" | "yes"))
                .unwrap_or(false);
            if required {
                panic!(
                    "{REQUIRE_PG_ENV}=1 but {PG_URL_ENV} is not set: PostgreSQL tests cannot run. \
                     Start one with `eval \"$(scripts/pg-throwaway start)\"` and export \
                     {PG_URL_ENV}=$PG_URL, or use scripts/test"
                );
            }
            None
        }
    }
}

/// The template's name: `bearing_tpl_` and a stable 64-bit FNV-1a hash of
/// every migration, so a changed or added migration gets a new template.
pub fn template_name() -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separator, so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    for m in MIGRATIONS {
        feed(&m.version.to_le_bytes());
        feed(m.name.as_bytes());
        feed(m.sqlite.as_bytes());
        feed(m.postgres.as_bytes());
    }
    format!("bearing_tpl_{h:016x}")
}

/// `"name"`, with any `"` doubled.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The admin URL with its database swapped for `name`.
fn url_for(admin_url: &str, name: &str) -> String {
    match url::Url::parse(admin_url) {
        Ok(mut u) => {
            u.set_path(&format!("/{name}"));
            u.to_string()
        }
        Err(e) => panic!("{PG_URL_ENV} is not a URL ({e}): {admin_url}"),
    }
}

async fn admin_connection(admin_url: &str) -> PgConnection {
    PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("connecting to PostgreSQL at {PG_URL_ENV}={admin_url}: {e}"))
}

async fn exec(conn: &mut PgConnection, sql: String) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(AssertSqlSafe(sql))
        .execute(conn)
        .await
        .map(|_| ())
}

/// True once the template is complete: it is marked a template only after
/// migrating and closing every connection to it.
async fn template_ready(conn: &mut PgConnection, name: &str) -> bool {
    let r: Option<bool> =
        sqlx::query_scalar("SELECT datistemplate FROM pg_database WHERE datname = $1")
            .bind(name)
            .fetch_optional(conn)
            .await
            .unwrap_or_else(|e| panic!("looking up template database {name}: {e}"));
    r == Some(true)
}

/// Make sure the migrated template exists, building it if need be. Safe to
/// call from many processes at once.
async fn ensure_template(conn: &mut PgConnection, admin_url: &str) -> String {
    let tpl = template_name();
    if template_ready(conn, &tpl).await {
        return tpl;
    }
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(TEMPLATE_LOCK)
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("taking the template lock: {e}"));
    let built = build_template(conn, admin_url, &tpl).await;
    let unlocked = sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(TEMPLATE_LOCK)
        .execute(&mut *conn)
        .await;
    if let Err(e) = built {
        panic!("building template database {tpl}: {e}");
    }
    unlocked.unwrap_or_else(|e| panic!("releasing the template lock: {e}"));
    tpl
}

/// Build the template while holding the lock (someone may have built it
/// while we waited for the lock; a half-built one from a crashed run is
/// dropped and rebuilt).
async fn build_template(
    conn: &mut PgConnection,
    admin_url: &str,
    tpl: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    if template_ready(conn, tpl).await {
        return Ok(());
    }
    let q = quote_ident(tpl);
    exec(conn, format!("DROP DATABASE IF EXISTS {q} WITH (FORCE)")).await?;
    exec(conn, format!("CREATE DATABASE {q} TEMPLATE template0")).await?;
    let db = Db::connect(
        &url_for(admin_url, tpl),
        &DbOptions {
            max_connections: 1,
            ..Default::default()
        },
    )
    .await?;
    let migrated = db.migrate().await;
    db.close().await;
    migrated?;
    // Nobody may be connected when a database is copied: close any stragglers,
    // then forbid connections for good in the same statement that marks it done.
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()")
        .bind(tpl)
        .execute(&mut *conn)
        .await?;
    exec(
        conn,
        format!("ALTER DATABASE {q} WITH ALLOW_CONNECTIONS false IS_TEMPLATE true"),
    )
    .await?;
    Ok(())
}

/// A new database copied from `template`, retrying briefly if the server
/// reports the template busy.
async fn create_database(conn: &mut PgConnection, name: &str, template: &str) {
    let sql = format!(
        "CREATE DATABASE {} TEMPLATE {}",
        quote_ident(name),
        quote_ident(template)
    );
    let mut attempt = 0;
    loop {
        match exec(conn, sql.clone()).await {
            Ok(()) => return,
            Err(sqlx::Error::Database(e))
                if e.code().as_deref() == Some("55006") && attempt < 50 =>
            {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("creating test database {name} from {template}: {e}"),
        }
    }
}

fn new_name() -> String {
    format!("t_{}", uuid::Uuid::now_v7().simple())
}

async fn pg_copy(admin_url: &str) -> TestDb {
    let mut conn = admin_connection(admin_url).await;
    let tpl = ensure_template(&mut conn, admin_url).await;
    let name = new_name();
    create_database(&mut conn, &name, &tpl).await;
    let _ = conn.close().await;
    pg_open(admin_url, name).await
}

async fn pg_empty(admin_url: &str) -> TestDb {
    let mut conn = admin_connection(admin_url).await;
    let name = new_name();
    create_database(&mut conn, &name, "template0").await;
    let _ = conn.close().await;
    pg_open(admin_url, name).await
}

async fn pg_open(admin_url: &str, name: String) -> TestDb {
    let url = url_for(admin_url, &name);
    let db = Db::connect(&url, &test_options())
        .await
        .unwrap_or_else(|e| panic!("opening test database {name}: {e}"));
    TestDb {
        db,
        url,
        backend: Backend::Postgres,
        dir: None,
        pg: Some(Cleanup {
            admin_url: admin_url.to_string(),
            name,
        }),
    }
}
