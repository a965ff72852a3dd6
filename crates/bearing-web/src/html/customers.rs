//! Customers: the list with segment filter and sorting, and one customer
//! with contacts, their feedback and the ideas they asked for.

use crate::AppState;
use crate::auth::SignedIn;
use crate::html::error;
use crate::html::layout::{Choice, Nav, ago, arr, choices, excerpt, opt_enum, page, query_string};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use bearing_app::AppError;
use bearing_domain::*;
use serde::Deserialize;
use std::collections::HashMap;

/// Query of `GET /customers`.
#[derive(Debug, Default, Deserialize)]
pub struct CustomersQuery {
    /// Segment key.
    #[serde(default)]
    pub segment: String,
    /// Sort key.
    #[serde(default)]
    pub sort: String,
    /// Page cursor.
    #[serde(default)]
    pub cursor: String,
}

/// A customer as a list row.
#[derive(Clone, Debug)]
pub struct CustomerRow {
    /// Id.
    pub id: CustomerId,
    /// Name.
    pub name: String,
    /// Domain.
    pub domain: Option<String>,
    /// Segment.
    pub segment: Segment,
    /// ARR, formatted.
    pub arr: String,
    /// Account owner's name.
    pub owner: Option<String>,
}

/// The customers list page.
#[derive(Template)]
#[template(path = "customers.html")]
pub(crate) struct CustomersPage {
    /// Navigation.
    pub nav: Nav,
    /// Segment options.
    pub segments: Vec<Choice>,
    /// Sort options.
    pub sorts: Vec<Choice>,
    /// Rows.
    pub rows: Vec<CustomerRow>,
    /// Next page link.
    pub next_href: Option<String>,
}

/// `GET /customers`.
pub async fn list(
    State(state): State<AppState>,
    session: SignedIn,
    Query(q): Query<CustomersQuery>,
) -> Response {
    page(build_list(&state, &session, q).await)
}

async fn build_list(
    state: &AppState,
    session: &SignedIn,
    q: CustomersQuery,
) -> Result<CustomersPage, AppError> {
    let sort = if q.sort.trim().is_empty() {
        CustomerSort::default()
    } else {
        CustomerSort::parse(&q.sort)?
    };
    let filter = CustomerFilter {
        segment: opt_enum(&q.segment, "segment", Segment::parse_field)?,
        ..Default::default()
    };
    let page = state
        .app
        .list_customers(&filter, sort, &PageRequest::parse(Some(&q.cursor), None)?)
        .await?;
    let users: HashMap<UserId, String> = state
        .app
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(CustomersPage {
        nav: Nav::new(session, "customers"),
        segments: choices(
            Segment::ALL.iter().map(|s| (s.as_str(), s.label())),
            q.segment.trim(),
            Some("Any segment"),
        ),
        sorts: choices(
            CustomerSort::ALL.iter().map(|s| (s.as_str(), s.label())),
            sort.as_str(),
            None,
        ),
        rows: page
            .items
            .into_iter()
            .map(|c| CustomerRow {
                id: c.id,
                owner: c.owner_id.and_then(|o| users.get(&o).cloned()),
                name: c.name,
                domain: c.domain,
                segment: c.segment,
                arr: arr(c.arr),
            })
            .collect(),
        next_href: page.next_cursor.map(|c| {
            format!(
                "/customers{}",
                query_string(&[("segment", &q.segment), ("sort", &q.sort), ("cursor", &c)])
            )
        }),
    })
}

/// A note from the customer.
#[derive(Clone, Debug)]
pub struct CustomerNote {
    /// Id.
    pub id: NoteId,
    /// Excerpt.
    pub excerpt: String,
    /// Source.
    pub source: NoteSource,
    /// Importance.
    pub importance: Importance,
    /// State.
    pub state: NoteState,
    /// Logged, relative.
    pub ago: String,
}

/// The customer page.
#[derive(Template)]
#[template(path = "customer.html")]
pub(crate) struct CustomerPage {
    /// Navigation.
    pub nav: Nav,
    /// The customer.
    pub customer: Customer,
    /// ARR, formatted.
    pub arr: String,
    /// Account owner's name.
    pub owner: Option<String>,
    /// Contacts.
    pub contacts: Vec<Contact>,
    /// Their notes.
    pub notes: Vec<CustomerNote>,
    /// Ideas they asked for.
    pub ideas: Vec<Idea>,
}

/// `GET /customers/{id}`.
pub async fn show(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<CustomerId>() else {
        return error::not_found("customer");
    };
    page(state.app.customer_detail(id).await.map(|d| {
        CustomerPage {
            nav: Nav::new(&session, "customers"),
            arr: arr(d.customer.arr),
            owner: d.owner.map(|u| u.name),
            contacts: d.contacts,
            notes: d
                .notes
                .into_iter()
                .map(|n| CustomerNote {
                    id: n.id,
                    excerpt: excerpt(&n.text, 180),
                    source: n.source,
                    importance: n.importance,
                    state: n.state,
                    ago: ago(n.created_at),
                })
                .collect(),
            ideas: d.ideas,
            customer: d.customer,
        }
    }))
}
