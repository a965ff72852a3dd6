//! Product areas: the slices of the product that PMs own. Read from the
//! pool; written in a unit of work (`tx.areas()`).

use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use bearing_domain::{Area, AreaId, Timestamp};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: Uuid,
    key: String,
    name: String,
    description: String,
    created_at: i64,
}

impl From<AreaRow> for Area {
    fn from(r: AreaRow) -> Area {
        Area {
            id: AreaId(r.id),
            key: r.key,
            name: r.name,
            description: r.description,
            created_at: Timestamp(r.created_at),
        }
    }
}

const INSERT_AREA: &str =
    "INSERT INTO areas (id, key, name, description, created_at) VALUES ($1, $2, $3, $4, $5)";
const AREA_BY_ID: &str = "SELECT id, key, name, description, created_at FROM areas WHERE id = $1";
const AREA_BY_KEY: &str = "SELECT id, key, name, description, created_at FROM areas WHERE key = $1";
const ALL_AREAS: &str =
    "SELECT id, key, name, description, created_at FROM areas ORDER BY name, id";
const UPDATE_AREA: &str = "UPDATE areas SET name = $2, description = $3 WHERE id = $1";

/// Areas inside a unit of work: `tx.areas()`.
pub struct AreaTx<'t>(&'t mut Tx);

impl Tx {
    /// Read and write areas in this transaction.
    pub fn areas(&mut self) -> AreaTx<'_> {
        AreaTx(self)
    }
}

impl AreaTx<'_> {
    /// An area, read inside the transaction.
    pub async fn get(&mut self, id: AreaId) -> StoreResult<Area> {
        let row: AreaRow =
            on_tx!(&mut *self.0, c => sqlx::query_as(AREA_BY_ID).bind(id.0).fetch_one(c).await)?;
        Ok(row.into())
    }

    /// Add an area; `Conflict` if its key is taken.
    pub async fn insert(&mut self, a: &Area) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(INSERT_AREA).bind(a.id.0).bind(&a.key).bind(&a.name).bind(&a.description).bind(a.created_at.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Write an area's name and description as they now are.
    pub async fn update(&mut self, a: &Area) -> StoreResult<()> {
        let n = on_tx!(&mut *self.0, c => sqlx::query(UPDATE_AREA).bind(a.id.0).bind(&a.name).bind(&a.description).execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

impl Db {
    /// An area by id.
    pub async fn area(&self, id: AreaId) -> StoreResult<Area> {
        let row: AreaRow =
            on_db!(self, p => sqlx::query_as(AREA_BY_ID).bind(id.0).fetch_one(p).await)?;
        Ok(row.into())
    }

    /// An area by key.
    pub async fn area_by_key(&self, key: &str) -> StoreResult<Area> {
        let row: AreaRow =
            on_db!(self, p => sqlx::query_as(AREA_BY_KEY).bind(key).fetch_one(p).await)?;
        Ok(row.into())
    }

    /// Every area, by name (a workspace has tens, not thousands).
    pub async fn areas(&self) -> StoreResult<Vec<Area>> {
        let rows: Vec<AreaRow> = on_db!(self, p => sqlx::query_as(ALL_AREAS).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Area::from).collect())
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[INSERT_AREA, AREA_BY_ID, AREA_BY_KEY, ALL_AREAS, UPDATE_AREA];
