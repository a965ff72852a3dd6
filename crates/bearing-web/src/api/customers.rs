//! `/api/v1/customers` and `/api/v1/contacts`.

use super::page_json;
use super::params::{Params, path_id};
use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiResult;
use crate::json::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use bearing_domain::*;
use serde_json::{Value, json};
use std::collections::HashMap;

pub(super) async fn list(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<axum::response::Response> {
    let p = Params(q);
    p.only(&["segment", "owner_id"])?;
    let f = CustomerFilter {
        segment: p.vocab("segment", Segment::parse_field)?,
        owner_id: p.id("owner_id")?,
    };
    Ok(page_json(
        s.app
            .list_customers(&f, p.sort(CustomerSort::parse)?, &p.page()?)
            .await?,
    ))
}
pub(super) async fn create(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewCustomer>,
) -> ApiResult<(StatusCode, Json<Customer>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.create_customer(&a, input).await?),
    ))
}
pub(super) async fn show(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let d = s.app.customer_detail(path_id(&id, "customer")?).await?;
    Ok(Json(json!({
        "customer": d.customer, "contacts": d.contacts,
        "owner": d.owner.map(|u| json!({"id": u.id, "name": u.name})),
        "idea_ids": d.ideas.iter().map(|i| i.id).collect::<Vec<_>>(),
    })))
}
pub(super) async fn update(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(ch): ApiJson<CustomerChanges>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(
        s.app
            .update_customer(&a, path_id(&id, "customer")?, ch)
            .await?,
    ))
}
pub(super) async fn contacts(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({ "items": s.app.contacts_of(path_id(&id, "customer")?).await? }),
    ))
}
pub(super) async fn create_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<NewContact>,
) -> ApiResult<(StatusCode, Json<Contact>)> {
    Ok((
        StatusCode::CREATED,
        Json(s.app.create_contact(&a, input).await?),
    ))
}
pub(super) async fn show_contact(
    State(s): State<AppState>,
    ApiActor(_): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(s.app.contact(path_id(&id, "contact")?).await?))
}
pub(super) async fn update_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(ch): ApiJson<ContactChanges>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(
        s.app
            .update_contact(&a, path_id(&id, "contact")?, ch)
            .await?,
    ))
}
