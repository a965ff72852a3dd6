//! Dispatch macros: run the same query text on whichever backend the pool or
//! transaction holds. The body is written once and compiled once per backend,
//! which keeps repositories free of generic `sqlx::Database` bounds.

/// Run `$body` with `$p` bound to the concrete pool of `$db`.
macro_rules! on_db {
    ($db:expr, $p:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($p) => $body,
            $crate::db::Db::Postgres($p) => $body,
        }
    };
}

/// Run `$body` with `$c` bound to the concrete connection inside transaction `$tx`.
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Render a sea-query statement for the pool's dialect and fetch all rows as `$row`.
macro_rules! fetch_built {
    ($db:expr, $stmt:expr, $row:ty) => {{
        use sea_query_sqlx::SqlxBinder as _;
        match $db {
            $crate::db::Db::Sqlite(p) => {
                let (sql, values) = $stmt.build_sqlx(sea_query::SqliteQueryBuilder);
                sqlx::query_as_with::<_, $row, _>(sqlx::AssertSqlSafe(sql), values)
                    .fetch_all(p)
                    .await
            }
            $crate::db::Db::Postgres(p) => {
                let (sql, values) = $stmt.build_sqlx(sea_query::PostgresQueryBuilder);
                sqlx::query_as_with::<_, $row, _>(sqlx::AssertSqlSafe(sql), values)
                    .fetch_all(p)
                    .await
            }
        }
    }};
}
