//! Product areas: the slices of the product that PMs own.

use crate::activity::Change;
use crate::db::Db;
use crate::error::StoreResult;
use bearing_domain::{Area, AreaId, NewArea, Timestamp, UserId};
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

impl Db {
    /// Add an area; `Conflict` if the key is taken.
    pub async fn insert_area(&self, a: NewArea, actor: Option<UserId>) -> StoreResult<Area> {
        let id = AreaId::new();
        let key = a.key.clone().unwrap_or_default();
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(INSERT_AREA).bind(id.0).bind(&key).bind(&a.name).bind(&a.description).bind(Timestamp::now().0).execute(c).await.map(|r| r.rows_affected()))?;
        tx.record(Change {
            entity_type: "area",
            entity_id: id.0,
            actor,
            action: "created",
            before: None,
            after: Some(serde_json::json!({"key": key, "name": a.name})),
        })
        .await?;
        tx.commit().await?;
        self.area(id).await
    }

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

    /// Rename or re-describe an area.
    pub async fn update_area(
        &self,
        id: AreaId,
        name: &str,
        description: &str,
        actor: Option<UserId>,
    ) -> StoreResult<Area> {
        let before = self.area(id).await?;
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(UPDATE_AREA).bind(id.0).bind(name).bind(description).execute(c).await.map(|r| r.rows_affected()))?;
        tx.record(Change {
            entity_type: "area",
            entity_id: id.0,
            actor,
            action: "updated",
            before: Some(
                serde_json::json!({"name": before.name, "description": before.description}),
            ),
            after: Some(serde_json::json!({"name": name, "description": description})),
        })
        .await?;
        tx.commit().await?;
        self.area(id).await
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[INSERT_AREA, AREA_BY_ID, AREA_BY_KEY, ALL_AREAS, UPDATE_AREA];
