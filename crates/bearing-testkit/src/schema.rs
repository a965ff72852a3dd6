//! A backend-neutral description of a database's schema, for checking that
//! the SQLite and PostgreSQL migrations build the same thing: tables,
//! columns (with a coarse type class, nullability and primary-key
//! membership), indexes and unique constraints, and foreign keys with their
//! `ON DELETE` action. SQLite is read through its `pragma_*` table functions,
//! PostgreSQL through `information_schema` and `pg_catalog`.

use bearing_store::Db;
use sqlx::{PgPool, SqlitePool};
use std::collections::BTreeMap;

/// One column of one table.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Column {
    /// Table name.
    pub table: String,
    /// Column name.
    pub name: String,
    /// Type class, see [`type_class_sqlite`] and [`type_class_postgres`].
    pub type_class: String,
    /// May it hold NULL?
    pub nullable: bool,
    /// Is it part of the table's primary key?
    pub primary_key: bool,
}

/// An index or unique constraint (primary keys are covered by [`Column`]).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Index {
    /// Table name.
    pub table: String,
    /// The name given in `CREATE INDEX`; `None` for a `UNIQUE` constraint,
    /// whose generated name differs between engines.
    pub name: Option<String>,
    /// Indexed columns, in order.
    pub columns: Vec<String>,
    /// Does it enforce uniqueness?
    pub unique: bool,
}

/// A single-column reference from one table to another.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ForeignKey {
    /// Referencing table.
    pub table: String,
    /// Referencing column.
    pub column: String,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced column.
    pub ref_column: String,
    /// `NO ACTION`, `RESTRICT`, `CASCADE`, `SET NULL` or `SET DEFAULT`.
    pub on_delete: String,
}

/// Everything compared between the two backends, each list sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// Every column of every table.
    pub columns: Vec<Column>,
    /// Every index and unique constraint.
    pub indexes: Vec<Index>,
    /// Every foreign key.
    pub foreign_keys: Vec<ForeignKey>,
}

impl Schema {
    /// The table names, sorted and deduplicated.
    pub fn tables(&self) -> Vec<String> {
        let mut t: Vec<String> = self.columns.iter().map(|c| c.table.clone()).collect();
        t.dedup();
        t
    }

    /// Human-readable differences from `other` (`-` only in self, `+` only
    /// in other); empty when the schemas match.
    pub fn diff(&self, other: &Schema) -> Vec<String> {
        fn side<T: Ord + std::fmt::Debug>(out: &mut Vec<String>, a: &[T], b: &[T]) {
            for x in a.iter().filter(|x| !b.contains(x)) {
                out.push(format!("- {x:?}"));
            }
            for x in b.iter().filter(|x| !a.contains(x)) {
                out.push(format!("+ {x:?}"));
            }
        }
        let mut out = Vec::new();
        side(&mut out, &self.columns, &other.columns);
        side(&mut out, &self.indexes, &other.indexes);
        side(&mut out, &self.foreign_keys, &other.foreign_keys);
        out
    }

    fn sorted(mut self) -> Self {
        self.columns.sort();
        self.indexes.sort();
        self.foreign_keys.sort();
        self
    }
}

/// Describe the schema of `db`'s current schema (PostgreSQL) or main
/// database (SQLite), leaving out SQLite's internal `sqlite_*` tables.
pub async fn describe(db: &Db) -> Result<Schema, sqlx::Error> {
    let s = match db {
        Db::Sqlite(p) => describe_sqlite(p).await?,
        Db::Postgres(p) => describe_postgres(p).await?,
    };
    Ok(s.without_search_index().sorted())
}

/// The one documented exception to parity: full-text search is built from
/// each engine's own machinery (migration 0003), so SQLite has FTS5 tables
/// `*_fts` (and their shadow tables `*_fts_data`, `*_fts_idx`, …) where
/// PostgreSQL has a generated `search_vector` column and a GIN index on it.
/// Only objects with exactly those names are left out of the comparison.
fn search_only_table(table: &str) -> bool {
    ["notes_fts", "ideas_fts", "customers_fts"]
        .iter()
        .any(|t| table == *t || table.strip_prefix(t).is_some_and(|r| r.starts_with('_')))
}

impl Schema {
    fn without_search_index(mut self) -> Self {
        self.columns
            .retain(|c| !search_only_table(&c.table) && c.name != "search_vector");
        self.indexes.retain(|i| {
            !search_only_table(&i.table) && !i.columns.iter().any(|c| c == "search_vector")
        });
        self.foreign_keys.retain(|f| !search_only_table(&f.table));
        self
    }
}

/// The type class of a SQLite declared type. SQLite stores every integer in
/// 64 bits, so `INTEGER` and `BIGINT` both class as `int64`; UUIDs are
/// stored as 16-byte BLOBs, so `BLOB` classes as `blob`, like PostgreSQL's
/// `uuid` and `bytea`.
pub fn type_class_sqlite(declared: &str) -> String {
    match declared.trim().to_ascii_uppercase().as_str() {
        "BIGINT" | "INTEGER" | "INT" => "int64".into(),
        "TEXT" => "text".into(),
        t if t.starts_with("VARCHAR") || t.starts_with("CHAR") => "text".into(),
        "BLOB" => "blob".into(),
        "BOOLEAN" | "BOOL" => "bool".into(),
        "DOUBLE PRECISION" | "DOUBLE" | "REAL" | "FLOAT" => "float64".into(),
        other => format!("other({other})"),
    }
}

/// The type class of a PostgreSQL `information_schema.columns.data_type`.
/// `integer` (32-bit) deliberately differs from SQLite's 64-bit integers.
pub fn type_class_postgres(data_type: &str) -> String {
    match data_type.trim().to_ascii_lowercase().as_str() {
        "bigint" => "int64".into(),
        "integer" => "int32".into(),
        "smallint" => "int16".into(),
        "text" | "character varying" | "character" => "text".into(),
        "uuid" | "bytea" => "blob".into(),
        "boolean" => "bool".into(),
        "double precision" => "float64".into(),
        "real" => "float32".into(),
        other => format!("other({other})"),
    }
}

const SQLITE_COLUMNS: &str = r#"
SELECT m.name AS tbl, p.name AS col, p.type AS decl, p."notnull", p.pk
FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, p.cid"#;

const SQLITE_INDEXES: &str = r#"
SELECT m.name AS tbl, il.name AS idx, il."unique" AS uniq, il.origin AS origin, ii.name AS col
FROM sqlite_master m
JOIN pragma_index_list(m.name) il
JOIN pragma_index_info(il.name) ii
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\' AND il.origin <> 'pk'
ORDER BY m.name, il.name, ii.seqno"#;

const SQLITE_FOREIGN_KEYS: &str = r#"
SELECT m.name AS tbl, fk."from" AS col, fk."table" AS ref_tbl, fk."to" AS ref_col, fk.on_delete AS on_delete
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) fk
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\_%' ESCAPE '\'
ORDER BY m.name, fk.id, fk.seq"#;

async fn describe_sqlite(p: &SqlitePool) -> Result<Schema, sqlx::Error> {
    let rows: Vec<(String, String, String, i64, i64)> =
        sqlx::query_as(SQLITE_COLUMNS).fetch_all(p).await?;
    let columns: Vec<Column> = rows
        .into_iter()
        .map(|(table, name, decl, notnull, pk)| Column {
            table,
            name,
            type_class: type_class_sqlite(&decl),
            nullable: notnull == 0,
            primary_key: pk > 0,
        })
        .collect();

    let rows: Vec<(String, String, bool, String, String)> =
        sqlx::query_as(SQLITE_INDEXES).fetch_all(p).await?;
    let mut grouped: BTreeMap<(String, String), Index> = BTreeMap::new();
    for (table, idx, unique, origin, col) in rows {
        grouped
            .entry((table.clone(), idx.clone()))
            .or_insert_with(|| Index {
                table,
                name: (origin == "c").then_some(idx),
                columns: Vec::new(),
                unique,
            })
            .columns
            .push(col);
    }
    let indexes = grouped.into_values().collect();

    let rows: Vec<(String, String, String, Option<String>, String)> =
        sqlx::query_as(SQLITE_FOREIGN_KEYS).fetch_all(p).await?;
    let foreign_keys = rows
        .into_iter()
        .map(|(table, column, ref_table, ref_column, on_delete)| {
            // `REFERENCES t` without a column means t's primary key.
            let ref_column = ref_column.unwrap_or_else(|| {
                columns
                    .iter()
                    .find(|c| c.table == ref_table && c.primary_key)
                    .map(|c| c.name.clone())
                    .unwrap_or_default()
            });
            ForeignKey {
                table,
                column,
                ref_table,
                ref_column,
                on_delete: on_delete.to_ascii_uppercase(),
            }
        })
        .collect();
    Ok(Schema {
        columns,
        indexes,
        foreign_keys,
    })
}

const PG_COLUMNS: &str = r#"
SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable::text = 'YES',
       EXISTS (
           SELECT 1
           FROM information_schema.table_constraints tc
           JOIN information_schema.key_column_usage k
             ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
           WHERE tc.constraint_type = 'PRIMARY KEY'
             AND tc.table_schema = c.table_schema AND tc.table_name = c.table_name
             AND k.column_name = c.column_name
       )
FROM information_schema.columns c
JOIN information_schema.tables t
  ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
WHERE c.table_schema = current_schema()
ORDER BY c.table_name, c.ordinal_position"#;

const PG_INDEXES: &str = r#"
SELECT t.relname::text, i.relname::text, ix.indisunique, con.contype IS NOT NULL,
       ARRAY(
           SELECT a.attname::text
           FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
           JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
           ORDER BY k.ord
       )
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
LEFT JOIN pg_constraint con ON con.conindid = ix.indexrelid AND con.conrelid = t.oid AND con.contype = 'u'
WHERE n.nspname = current_schema() AND NOT ix.indisprimary"#;

const PG_FOREIGN_KEYS: &str = r#"
SELECT t.relname::text, a.attname::text, rt.relname::text, ra.attname::text,
       CASE con.confdeltype
           WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
           WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' ELSE con.confdeltype::text
       END
FROM pg_constraint con
JOIN pg_class t ON t.oid = con.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_class rt ON rt.oid = con.confrelid
CROSS JOIN LATERAL unnest(con.conkey, con.confkey) AS k(col, ref_col)
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.col
JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.ref_col
WHERE con.contype = 'f' AND n.nspname = current_schema()"#;

async fn describe_postgres(p: &PgPool) -> Result<Schema, sqlx::Error> {
    let rows: Vec<(String, String, String, bool, bool)> =
        sqlx::query_as(PG_COLUMNS).fetch_all(p).await?;
    let columns = rows
        .into_iter()
        .map(|(table, name, data_type, nullable, primary_key)| Column {
            table,
            name,
            type_class: type_class_postgres(&data_type),
            nullable,
            primary_key,
        })
        .collect();

    let rows: Vec<(String, String, bool, bool, Vec<String>)> =
        sqlx::query_as(PG_INDEXES).fetch_all(p).await?;
    let indexes = rows
        .into_iter()
        .map(|(table, name, unique, is_constraint, columns)| Index {
            table,
            name: (!is_constraint).then_some(name),
            columns,
            unique,
        })
        .collect();

    let rows: Vec<(String, String, String, String, String)> =
        sqlx::query_as(PG_FOREIGN_KEYS).fetch_all(p).await?;
    let foreign_keys = rows
        .into_iter()
        .map(
            |(table, column, ref_table, ref_column, on_delete)| ForeignKey {
                table,
                column,
                ref_table,
                ref_column,
                on_delete,
            },
        )
        .collect();
    Ok(Schema {
        columns,
        indexes,
        foreign_keys,
    })
}
