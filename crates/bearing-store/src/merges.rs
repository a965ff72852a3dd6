//! Merges in storage: the merge records (`idea_merges`, each with its
//! ledger as JSON) and the moving of every row that references an idea,
//! driven by the registry in `idea_refs`. [`MergeTx::move_references`]
//! moves the merged idea's rows to the survivor (deleting, and keeping
//! whole in the ledger, rows whose twin the survivor has);
//! [`MergeTx::restore_references`] puts them back. The workflow around
//! them — locks, the rules, labels, RICE, the board, demand — is the
//! app's (`bearing_app::merges`).

use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::idea_refs::{Column, ColumnType, IDEA_REFERENCES, OnMerge, WhenGone};
use bearing_domain::merge::*;
use bearing_domain::*;
use sea_query::{Expr, ExprTrait, Query, Value};
use sea_query_sqlx::SqlxBinder as _;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct MergeRow {
    id: Uuid,
    survivor_id: Uuid,
    merged_id: Uuid,
    actor_id: Option<Uuid>,
    merged_at: i64,
    unmerged_at: Option<i64>,
    unmerged_by: Option<Uuid>,
    moved: String,
}

impl TryFrom<MergeRow> for Merge {
    type Error = StoreError;
    fn try_from(r: MergeRow) -> StoreResult<Merge> {
        Ok(Merge {
            id: MergeId(r.id),
            survivor_id: IdeaId(r.survivor_id),
            merged_id: IdeaId(r.merged_id),
            actor_id: r.actor_id.map(UserId),
            merged_at: Timestamp(r.merged_at),
            unmerged_at: r.unmerged_at.map(Timestamp),
            unmerged_by: r.unmerged_by.map(UserId),
            ledger: MergeLedger::from_json(&r.moved)
                .map_err(|e| StoreError::corrupt(format!("merge ledger: {e}")))?,
        })
    }
}

const INSERT_MERGE: &str = "INSERT INTO idea_merges (id, survivor_id, merged_id, actor_id, merged_at, unmerged_at, unmerged_by, moved) VALUES ($1, $2, $3, $4, $5, NULL, NULL, $6)";
const MERGE_BY_ID: &str = "SELECT id, survivor_id, merged_id, actor_id, merged_at, unmerged_at, unmerged_by, moved FROM idea_merges WHERE id = $1";
const MERGES_INTO: &str = "SELECT id, survivor_id, merged_id, actor_id, merged_at, unmerged_at, unmerged_by, moved FROM idea_merges WHERE survivor_id = $1 ORDER BY id DESC LIMIT $2";
const MARK_UNMERGED: &str = "UPDATE idea_merges SET unmerged_at = $2, unmerged_by = $3 WHERE id = $1 AND unmerged_at IS NULL";

/// A rendered statement: SQL text for the transaction's engine and its values.
enum Built {
    Sqlite(String, sea_query_sqlx::SqlxValues),
    Postgres(String, sea_query_sqlx::SqlxValues),
}

/// Render a sea-query statement for the engine of `$tx`.
macro_rules! build_for {
    ($tx:expr, $stmt:expr) => {
        match $tx {
            Tx::Sqlite(_) => {
                let (s, v) = $stmt.build_sqlx(sea_query::SqliteQueryBuilder);
                Built::Sqlite(s, v)
            }
            Tx::Postgres(_) => {
                let (s, v) = $stmt.build_sqlx(sea_query::PostgresQueryBuilder);
                Built::Postgres(s, v)
            }
        }
    };
}

/// A column's JSON value as a bound value of its stored type.
fn to_value(ty: ColumnType, v: &Json) -> StoreResult<Value> {
    let bad = || StoreError::corrupt(format!("merge ledger: {v} is not a {ty:?}"));
    Ok(match (ty, v) {
        (ColumnType::Uuid | ColumnType::OptUuid, Json::String(s)) => {
            Value::from(Uuid::parse_str(s).map_err(|_| bad())?)
        }
        (ColumnType::OptUuid, Json::Null) => Value::from(None::<Uuid>),
        (ColumnType::Text | ColumnType::OptText, Json::String(s)) => Value::from(s.clone()),
        (ColumnType::OptText, Json::Null) => Value::from(None::<String>),
        (ColumnType::Int, Json::Number(n)) => Value::from(n.as_i64().ok_or_else(bad)?),
        (ColumnType::Float, Json::Number(n)) => Value::from(n.as_f64().ok_or_else(bad)?),
        _ => return Err(bad()),
    })
}

/// Read every declared column of each row into a ledger row.
macro_rules! ledger_rows {
    ($rows:expr, $columns:expr) => {{
        use sqlx::Row as _;
        let mut out = Vec::with_capacity($rows.len());
        for row in &$rows {
            let mut m = LedgerRow::new();
            for (i, c) in $columns.iter().enumerate() {
                let v = match c.ty {
                    ColumnType::Uuid | ColumnType::OptUuid => {
                        serde_json::json!(row.try_get::<Option<Uuid>, _>(i)?)
                    }
                    ColumnType::Text | ColumnType::OptText => {
                        serde_json::json!(row.try_get::<Option<String>, _>(i)?)
                    }
                    ColumnType::Int => serde_json::json!(row.try_get::<i64, _>(i)?),
                    ColumnType::Float => serde_json::json!(row.try_get::<f64, _>(i)?),
                };
                m.insert(c.name.to_string(), v);
            }
            out.push(m);
        }
        out
    }};
}

/// Merges inside a unit of work: `tx.merges()`.
pub struct MergeTx<'t>(&'t mut Tx);

impl Tx {
    /// Record merges and move idea references in this transaction.
    pub fn merges(&mut self) -> MergeTx<'_> {
        MergeTx(self)
    }
}

/// The declared type of `name` among `columns`.
fn column<'c>(columns: &'c [Column], name: &str) -> StoreResult<&'c Column> {
    columns
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| StoreError::corrupt(format!("merge registry: no column {name}")))
}

/// `col = value` for each of `names`, values taken from `row`.
fn matching(columns: &[Column], names: &[&str], row: &LedgerRow) -> StoreResult<Vec<Expr>> {
    names
        .iter()
        .map(|n| {
            let c = column(columns, n)?;
            let v = row.get(*n).unwrap_or(&Json::Null);
            Ok(Expr::col(c.name).eq(to_value(c.ty, v)?))
        })
        .collect()
}

impl MergeTx<'_> {
    async fn fetch(
        &mut self,
        stmt: &sea_query::SelectStatement,
        columns: &[Column],
    ) -> StoreResult<Vec<LedgerRow>> {
        Ok(match (build_for!(&*self.0, stmt), &mut *self.0) {
            (Built::Sqlite(sql, v), Tx::Sqlite(t)) => {
                let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), v)
                    .fetch_all(&mut **t)
                    .await?;
                ledger_rows!(rows, columns)
            }
            (Built::Postgres(sql, v), Tx::Postgres(t)) => {
                let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), v)
                    .fetch_all(&mut **t)
                    .await?;
                ledger_rows!(rows, columns)
            }
            _ => unreachable_engine()?,
        })
    }

    async fn exec<S: sea_query_sqlx::SqlxBinder>(&mut self, stmt: &S) -> StoreResult<u64> {
        Ok(match (build_for!(&*self.0, stmt), &mut *self.0) {
            (Built::Sqlite(sql, v), Tx::Sqlite(t)) => sqlx::query_with(sqlx::AssertSqlSafe(sql), v)
                .execute(&mut **t)
                .await?
                .rows_affected(),
            (Built::Postgres(sql, v), Tx::Postgres(t)) => {
                sqlx::query_with(sqlx::AssertSqlSafe(sql), v)
                    .execute(&mut **t)
                    .await?
                    .rows_affected()
            }
            _ => unreachable_engine()?,
        })
    }

    /// The rows of `table` whose `idea_col` is `idea` and that match `filter`.
    async fn rows_of(
        &mut self,
        table: &'static str,
        idea_col: &'static str,
        idea: IdeaId,
        columns: &[Column],
        filter: Vec<Expr>,
    ) -> StoreResult<Vec<LedgerRow>> {
        let mut q = Query::select();
        q.from(table)
            .columns(columns.iter().map(|c| c.name))
            .and_where(Expr::col(idea_col).eq(idea.0));
        for f in filter {
            q.and_where(f);
        }
        for c in columns {
            q.order_by(c.name, sea_query::Order::Asc);
        }
        self.fetch(&q, columns).await
    }

    /// Move every row that references `from` to `to`, table by table as
    /// the registry says. Rows whose twin `to` already has (same
    /// `unique_with` values) are deleted instead. Returns what moved (each
    /// row's key) and what was deleted (whole rows), per table.
    pub async fn move_references(
        &mut self,
        from: IdeaId,
        to: IdeaId,
    ) -> StoreResult<(RowsByTable, RowsByTable)> {
        let mut moved = RowsByTable::new();
        let mut dropped = RowsByTable::new();
        for (r, key, unique_with, columns) in moved_references() {
            for row in self
                .rows_of(r.table, r.column, from, columns, vec![])
                .await?
            {
                let twin = !unique_with.is_empty()
                    && !self
                        .rows_of(
                            r.table,
                            r.column,
                            to,
                            columns,
                            matching(columns, unique_with, &row)?,
                        )
                        .await?
                        .is_empty();
                let mut which = Query::delete();
                let mut update = Query::update();
                update.table(r.table).value(r.column, to.0);
                which.from_table(r.table);
                for e in matching(columns, key, &row)? {
                    which.and_where(e.clone());
                    update.and_where(e);
                }
                which.and_where(Expr::col(r.column).eq(from.0));
                update.and_where(Expr::col(r.column).eq(from.0));
                if twin {
                    self.exec(&which).await?;
                    dropped.entry(r.table.to_string()).or_default().push(row);
                } else {
                    self.exec(&update).await?;
                    let k: LedgerRow = key
                        .iter()
                        .map(|k| (k.to_string(), row.get(*k).cloned().unwrap_or(Json::Null)))
                        .collect();
                    moved.entry(r.table.to_string()).or_default().push(k);
                }
            }
        }
        Ok((moved, dropped))
    }

    /// Undo [`MergeTx::move_references`] for a merge of `merged` into
    /// `survivor`: moved rows go back (unless the merged idea has a twin by
    /// now), deleted rows are re-created (without any whose required
    /// references are gone, and with gone optional references cleared).
    pub async fn restore_references(
        &mut self,
        ledger: &MergeLedger,
        survivor: IdeaId,
        merged: IdeaId,
    ) -> StoreResult<()> {
        for (r, key, unique_with, columns) in moved_references() {
            for k in ledger.moved.get(r.table).into_iter().flatten() {
                let rows = self
                    .rows_of(
                        r.table,
                        r.column,
                        survivor,
                        columns,
                        matching(columns, key, k)?,
                    )
                    .await?;
                let Some(row) = rows.first() else { continue };
                if !unique_with.is_empty()
                    && !self
                        .rows_of(
                            r.table,
                            r.column,
                            merged,
                            columns,
                            matching(columns, unique_with, row)?,
                        )
                        .await?
                        .is_empty()
                {
                    continue;
                }
                let mut update = Query::update();
                update
                    .table(r.table)
                    .value(r.column, merged.0)
                    .and_where(Expr::col(r.column).eq(survivor.0));
                for e in matching(columns, key, k)? {
                    update.and_where(e);
                }
                self.exec(&update).await?;
            }
            'rows: for row in ledger.dropped.get(r.table).into_iter().flatten() {
                let mut values = vec![Value::from(merged.0)];
                for c in columns {
                    let mut v = row.get(c.name).cloned().unwrap_or(Json::Null);
                    if let (Some((table, gone)), Json::String(id)) = (c.refers_to, &v) {
                        let id = Uuid::parse_str(id)
                            .map_err(|_| StoreError::corrupt("merge ledger: bad id"))?;
                        if !self.exists(table, id).await? {
                            match gone {
                                WhenGone::SkipRow => continue 'rows,
                                WhenGone::Clear => v = Json::Null,
                            }
                        }
                    }
                    values.push(to_value(c.ty, &v)?);
                }
                let mut insert = Query::insert();
                insert
                    .into_table(r.table)
                    .columns(std::iter::once(r.column).chain(columns.iter().map(|c| c.name)))
                    .values(values.into_iter().map(Expr::val))
                    .map_err(|e| StoreError::corrupt(format!("merge ledger: {e}")))?
                    .on_conflict(sea_query::OnConflict::new().do_nothing().to_owned());
                self.exec(&insert).await?;
            }
        }
        Ok(())
    }

    async fn exists(&mut self, table: &'static str, id: Uuid) -> StoreResult<bool> {
        let mut q = Query::select();
        q.from(table).column("id").and_where(Expr::col("id").eq(id));
        let id_col = [Column {
            name: "id",
            ty: ColumnType::Uuid,
            refers_to: None,
        }];
        Ok(!self.fetch(&q, &id_col).await?.is_empty())
    }

    /// A merge, read inside the transaction.
    pub async fn get(&mut self, id: MergeId) -> StoreResult<Merge> {
        let row: MergeRow =
            on_tx!(&mut *self.0, c => sqlx::query_as(MERGE_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Record a merge with its ledger.
    pub async fn insert(&mut self, m: &Merge) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(INSERT_MERGE)
            .bind(m.id.0).bind(m.survivor_id.0).bind(m.merged_id.0).bind(m.actor_id.map(|a| a.0))
            .bind(m.merged_at.0).bind(m.ledger.to_json())
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Mark a merge undone at `at` by `by`.
    pub async fn mark_unmerged(
        &mut self,
        id: MergeId,
        at: Timestamp,
        by: Option<UserId>,
    ) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(MARK_UNMERGED).bind(id.0).bind(at.0).bind(by.map(|u| u.0)).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

/// The registry's entries whose rows a merge moves, with their key,
/// unique-with and column lists.
fn moved_references() -> impl Iterator<
    Item = (
        &'static crate::idea_refs::IdeaReference,
        &'static [&'static str],
        &'static [&'static str],
        &'static [Column],
    ),
> {
    IDEA_REFERENCES.iter().filter_map(|r| match r.on_merge {
        OnMerge::Move {
            key,
            unique_with,
            columns,
        } => Some((r, key, unique_with, columns)),
        OnMerge::Stay { .. } => None,
    })
}

/// Rows of a ledger, per table.
pub type RowsByTable = BTreeMap<String, Vec<LedgerRow>>;

/// A statement built for one engine met a transaction on the other: cannot
/// happen, since both come from the same `Tx`.
fn unreachable_engine<T>() -> StoreResult<T> {
    Err(StoreError::corrupt("statement built for the other engine"))
}

impl Db {
    /// A merge by id.
    pub async fn merge(&self, id: MergeId) -> StoreResult<Merge> {
        let row: MergeRow =
            on_db!(self, p => sqlx::query_as(MERGE_BY_ID).bind(id.0).fetch_one(p).await)?;
        row.try_into()
    }

    /// The latest `limit` merges into `survivor`, newest first, undone ones included.
    pub async fn merges_into(&self, survivor: IdeaId, limit: i64) -> StoreResult<Vec<Merge>> {
        let rows: Vec<MergeRow> = on_db!(self, p => sqlx::query_as(MERGES_INTO).bind(survivor.0).bind(limit).fetch_all(p).await)?;
        rows.into_iter().map(Merge::try_from).collect()
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[INSERT_MERGE, MERGE_BY_ID, MERGES_INTO, MARK_UNMERGED];
