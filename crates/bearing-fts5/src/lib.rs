//! `bearing_rank()`: an SQLite FTS5 ranking function that scores a row with
//! BM25 (`bearing_domain::bm25`) using term rarities the query supplies.
//!
//! Why not FTS5's own `bm25()`: it learns each term's rarity by counting
//! every row that holds the term, on every query, whatever the query's
//! LIMIT or rowid range. At 1,000,000 notes a common word costs 5–10 ms
//! before one row is scored. Bearing's search SQL counts the terms in the
//! newest rows instead (a rowid range, well under a millisecond) and hands
//! the counts in, so ranking costs only the rows actually ranked.
//!
//! Called as `bearing_rank(fts_table, counts, sampled, w0, w1, …)`:
//! `counts` is the text "n0 n1 …", how many of the `sampled` rows hold
//! phrase 0, 1, … of the MATCH expression, in its order; `w0…` are column
//! weights (missing ones count 1). Higher scores are better.
//!
//! This is the workspace's only unsafe code, confined to this file: the FTS5
//! extension API is C. [`register`] is safe to call: it borrows a live sqlx
//! connection and holds its lock while registering.
#![deny(unsafe_code)]

use libsqlite3_sys as ffi;
use std::ffi::{CStr, c_int, c_void};
use std::ptr;

/// The SQL name of the ranking function.
pub const FUNCTION: &str = "bearing_rank";

/// Register [`FUNCTION`] on one SQLite connection (call it from the pool's
/// `after_connect`, so every connection has it).
pub async fn register(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle();
    // SAFETY: `db` is the live connection behind `handle`, locked for us
    // until `handle` drops at the end of this function.
    #[allow(unsafe_code)]
    let rc = unsafe { register_raw(db.as_ptr()) };
    match rc {
        Ok(()) => Ok(()),
        Err(rc) => Err(sqlx::Error::Configuration(
            format!("could not register the FTS5 function {FUNCTION} (SQLite error {rc})").into(),
        )),
    }
}

/// Find the connection's `fts5_api` (the documented `SELECT fts5(?1)`
/// pointer hand-over) and add the function to it.
#[allow(unsafe_code)]
unsafe fn register_raw(db: *mut ffi::sqlite3) -> Result<(), c_int> {
    // SAFETY (whole body): `db` is a live connection (caller's contract);
    // every pointer handed to SQLite lives until the call returns.
    unsafe {
        let mut stmt: *mut ffi::sqlite3_stmt = ptr::null_mut();
        let rc = ffi::sqlite3_prepare_v2(
            db,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut stmt,
            ptr::null_mut(),
        );
        if rc != ffi::SQLITE_OK {
            return Err(rc);
        }
        let mut api: *mut ffi::fts5_api = ptr::null_mut();
        let api_slot: *mut *mut ffi::fts5_api = &mut api;
        ffi::sqlite3_bind_pointer(
            stmt,
            1,
            api_slot.cast::<c_void>(),
            c"fts5_api_ptr".as_ptr(),
            None,
        );
        ffi::sqlite3_step(stmt);
        let rc = ffi::sqlite3_finalize(stmt);
        if rc != ffi::SQLITE_OK {
            return Err(rc);
        }
        if api.is_null() || (*api).iVersion < 2 {
            return Err(ffi::SQLITE_ERROR);
        }
        let Some(create) = (*api).xCreateFunction else {
            return Err(ffi::SQLITE_ERROR);
        };
        let rc = create(
            api,
            c"bearing_rank".as_ptr(),
            ptr::null_mut(),
            Some(rank),
            None,
        );
        if rc == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(rc)
        }
    }
}

/// What a query's ranking needs once, kept as FTS5 auxiliary data for the
/// rest of that query's rows.
struct Prepared {
    idfs: Vec<f64>,
    weights: Vec<f64>,
    avg_len: f64,
    freqs: Vec<f64>,
}

/// An error for the SQL caller: an SQLite code and a message.
type Failure = (c_int, &'static CStr);

/// The FTS5 entry point: score the current row, or report why not.
#[allow(unsafe_code)]
unsafe extern "C" fn rank(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    ctx: *mut ffi::sqlite3_context,
    n: c_int,
    vals: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 passes a valid API table, context and `n` argument values.
    unsafe {
        match score_row(&*api, fts, n, vals) {
            Ok(s) => ffi::sqlite3_result_double(ctx, s),
            Err((rc, msg)) => {
                ffi::sqlite3_result_error(ctx, msg.as_ptr(), -1);
                ffi::sqlite3_result_error_code(ctx, rc);
            }
        }
    }
}

/// Check an FTS5 API return code.
fn ok(rc: c_int) -> Result<(), Failure> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err((rc, c"bearing_rank: FTS5 call failed"))
    }
}

/// Fetch an API method or fail: all are present from API version 2 on.
fn method<T>(m: Option<T>) -> Result<T, Failure> {
    m.ok_or((ffi::SQLITE_ERROR, c"bearing_rank: FTS5 API too old"))
}

#[allow(unsafe_code)]
unsafe fn score_row(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    n: c_int,
    vals: *mut *mut ffi::sqlite3_value,
) -> Result<f64, Failure> {
    // SAFETY: as for `rank`; the aux pointer is only ever a `Prepared` we
    // boxed in `prepare`, freed by FTS5 through `free_prepared`.
    unsafe {
        let mut aux = method(api.xGetAuxdata)?(fts, 0).cast::<Prepared>();
        if aux.is_null() {
            aux = prepare(api, fts, n, vals)?;
        }
        let p = &mut *aux;
        let mut doc_len: c_int = 0;
        ok(method(api.xColumnSize)?(fts, -1, &mut doc_len))?;
        p.freqs.iter_mut().for_each(|f| *f = 0.0);
        let mut inst: c_int = 0;
        ok(method(api.xInstCount)?(fts, &mut inst))?;
        let x_inst = method(api.xInst)?;
        for i in 0..inst {
            let (mut phrase, mut col, mut off) = (0, 0, 0);
            ok(x_inst(fts, i, &mut phrase, &mut col, &mut off))?;
            let w = usize::try_from(col)
                .ok()
                .and_then(|c| p.weights.get(c))
                .copied()
                .unwrap_or(1.0);
            if let Some(f) = usize::try_from(phrase)
                .ok()
                .and_then(|i| p.freqs.get_mut(i))
            {
                *f += w;
            }
        }
        Ok(bearing_domain::search::bm25::score(
            &p.freqs,
            &p.idfs,
            f64::from(doc_len),
            p.avg_len,
        ))
    }
}

/// Read the arguments and table statistics once per query and park them
/// as auxiliary data.
#[allow(unsafe_code)]
unsafe fn prepare(
    api: &ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    n: c_int,
    vals: *mut *mut ffi::sqlite3_value,
) -> Result<*mut Prepared, Failure> {
    // SAFETY: `vals` holds `n` values (FTS5's contract); text pointers are
    // read before any other call on the same value.
    unsafe {
        if n < 2 {
            return Err((
                ffi::SQLITE_ERROR,
                c"bearing_rank(table, counts, sampled, weights...): counts and sampled are required",
            ));
        }
        let args = std::slice::from_raw_parts(vals, usize::try_from(n).unwrap_or(0));
        let text = ffi::sqlite3_value_text(args[0]);
        let counts = if text.is_null() {
            String::new()
        } else {
            let len = usize::try_from(ffi::sqlite3_value_bytes(args[0])).unwrap_or(0);
            String::from_utf8_lossy(std::slice::from_raw_parts(text, len)).into_owned()
        };
        let sampled = u64::try_from(ffi::sqlite3_value_int64(args[1])).unwrap_or(0);
        let weights = args[2..]
            .iter()
            .map(|v| ffi::sqlite3_value_double(*v))
            .collect();
        let (mut rows, mut tokens) = (0i64, 0i64);
        ok(method(api.xRowCount)?(fts, &mut rows))?;
        ok(method(api.xColumnTotalSize)?(fts, -1, &mut tokens))?;
        let phrases = usize::try_from(method(api.xPhraseCount)?(fts)).unwrap_or(0);
        let p = Box::into_raw(Box::new(Prepared {
            idfs: bearing_domain::search::bm25::idfs_from_counts(&counts, sampled),
            weights,
            avg_len: if rows > 0 {
                tokens as f64 / rows as f64
            } else {
                1.0
            },
            freqs: vec![0.0; phrases],
        }));
        // On failure FTS5 itself calls `free_prepared` on `p`.
        ok(method(api.xSetAuxdata)?(fts, p.cast(), Some(free_prepared)))?;
        Ok(p)
    }
}

#[allow(unsafe_code)]
unsafe extern "C" fn free_prepared(p: *mut c_void) {
    // SAFETY: `p` came from `Box::into_raw` in `prepare` and FTS5 frees it once.
    unsafe { drop(Box::from_raw(p.cast::<Prepared>())) }
}

#[cfg(test)]
mod tests {
    use sqlx::{Connection, Row, SqliteConnection};

    /// A connection to a fresh in-memory database with the function and a
    /// small two-column FTS5 table.
    async fn db() -> SqliteConnection {
        let mut c = SqliteConnection::connect("sqlite::memory:").await.unwrap();
        super::register(&mut c).await.unwrap();
        sqlx::raw_sql(
            "CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize='porter unicode61');
             INSERT INTO t(rowid, title, body) VALUES
               (1, 'Slack alerts', 'Send alerts to Slack channels when a check fails'),
               (2, 'Audit log export', 'Stream the audit log to Splunk; alerts too'),
               (3, 'Dark mode', 'A dark theme for the dashboards at night'),
               (4, 'Alert routing', 'Route each alert by team, with Slack and email and pager'),
               (5, 'Mobile app', 'Read dashboards on the phone');",
        )
        .execute(&mut c)
        .await
        .unwrap();
        c
    }

    /// Scores of `bearing_rank` (sample = the whole table) and of FTS5's
    /// `-bm25()` for the same MATCH, by rowid.
    async fn both(c: &mut SqliteConnection, q: &str, phrases: &str) -> Vec<(i64, f64, f64)> {
        let sql = "SELECT rowid, bearing_rank(t, (SELECT group_concat((SELECT count(*) FROM t s WHERE s.t MATCH j.value), ' ') FROM json_each(?2) j), (SELECT count(*) FROM t), 3.0, 1.0) AS mine, -bm25(t, 3.0, 1.0) AS theirs FROM t WHERE t MATCH ?1 ORDER BY rowid";
        sqlx::query(sql)
            .bind(q)
            .bind(phrases)
            .fetch_all(c)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    }

    #[tokio::test]
    async fn equals_fts5_bm25_when_the_sample_is_the_whole_table() {
        let mut c = db().await;
        for (q, phrases) in [
            ("slack", r#"["slack"]"#),
            ("slack OR alert", r#"["slack", "alert"]"#),
            (
                "\"audit log\" OR dashboards",
                r#"["\"audit log\"", "dashboards"]"#,
            ),
        ] {
            let rows = both(&mut c, q, phrases).await;
            assert!(!rows.is_empty(), "{q} matched nothing");
            for (id, mine, theirs) in rows {
                assert!(
                    (mine - theirs).abs() < 1e-9,
                    "{q}: row {id}: {mine} vs bm25 {theirs}"
                );
            }
        }
    }

    #[tokio::test]
    async fn column_weights_put_title_matches_first() {
        let mut c = db().await;
        let rows = both(&mut c, "slack", r#"["slack"]"#).await;
        let best = rows.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        assert_eq!(
            best.0, 1,
            "the idea titled 'Slack alerts' ranks first: {rows:?}"
        );
    }

    #[tokio::test]
    async fn missing_arguments_are_an_sql_error_not_a_crash() {
        let mut c = db().await;
        let err = sqlx::query("SELECT bearing_rank(t) FROM t WHERE t MATCH 'slack'")
            .fetch_all(&mut c)
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("counts and sampled are required"),
            "{err}"
        );
    }
}
