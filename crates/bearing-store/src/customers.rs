//! Customers (companies with ARR, segment and owner) and their contacts.
//! Read from the pool; written in a unit of work (`tx.customers()`).

use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::list::{SortKey, keyset, page_of};
use crate::rows::key;
use bearing_domain::*;
use sea_query::{Expr, ExprTrait, Query};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: Uuid,
    name: String,
    domain: Option<String>,
    arr: i64,
    segment: String,
    owner_id: Option<Uuid>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<CustomerRow> for Customer {
    type Error = StoreError;
    fn try_from(r: CustomerRow) -> StoreResult<Customer> {
        Ok(Customer {
            id: CustomerId(r.id),
            name: r.name,
            domain: r.domain,
            arr: r.arr,
            segment: key(&r.segment, "segment")?,
            owner_id: r.owner_id.map(UserId),
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: Uuid,
    customer_id: Uuid,
    name: String,
    email: Option<String>,
    title: Option<String>,
    created_at: i64,
}

impl From<ContactRow> for Contact {
    fn from(r: ContactRow) -> Contact {
        Contact {
            id: ContactId(r.id),
            customer_id: CustomerId(r.customer_id),
            name: r.name,
            email: r.email,
            title: r.title,
            created_at: Timestamp(r.created_at),
        }
    }
}

const CUSTOMER_COLUMNS: [&str; 8] = [
    "id",
    "name",
    "domain",
    "arr",
    "segment",
    "owner_id",
    "created_at",
    "updated_at",
];
const INSERT_CUSTOMER: &str = "INSERT INTO customers (id, name, name_lower, domain, arr, segment, owner_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
const CUSTOMER_BY_ID: &str = "SELECT id, name, domain, arr, segment, owner_id, created_at, updated_at FROM customers WHERE id = $1";
const CUSTOMER_BY_NAME: &str = "SELECT id, name, domain, arr, segment, owner_id, created_at, updated_at FROM customers WHERE name_lower = $1";
const UPDATE_CUSTOMER: &str = "UPDATE customers SET name = $2, name_lower = $3, domain = $4, arr = $5, segment = $6, owner_id = $7, updated_at = $8 WHERE id = $1";
const INSERT_CONTACT: &str = "INSERT INTO contacts (id, customer_id, name, email, title, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
const CONTACT_BY_ID: &str =
    "SELECT id, customer_id, name, email, title, created_at FROM contacts WHERE id = $1";
const UPDATE_CONTACT: &str = "UPDATE contacts SET name = $2, email = $3, title = $4 WHERE id = $1";
const CONTACTS_OF: &str = "SELECT id, customer_id, name, email, title, created_at FROM contacts WHERE customer_id = $1 ORDER BY name, id";

/// Customers and contacts inside a unit of work: `tx.customers()`.
pub struct CustomerTx<'t>(&'t mut Tx);

impl Tx {
    /// Read and write customers and contacts in this transaction.
    pub fn customers(&mut self) -> CustomerTx<'_> {
        CustomerTx(self)
    }
}

impl CustomerTx<'_> {
    /// A customer, read inside the transaction.
    pub async fn get(&mut self, id: CustomerId) -> StoreResult<Customer> {
        let row: CustomerRow = on_tx!(&mut *self.0, c => sqlx::query_as(CUSTOMER_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Add a customer; `Conflict` if the name is taken.
    pub async fn insert(&mut self, c: &Customer) -> StoreResult<()> {
        on_tx!(&mut *self.0, conn => sqlx::query(INSERT_CUSTOMER)
            .bind(c.id.0).bind(&c.name).bind(c.name.to_lowercase()).bind(c.domain.as_deref()).bind(c.arr)
            .bind(c.segment.as_str()).bind(c.owner_id.map(|x| x.0)).bind(c.created_at.0).bind(c.updated_at.0)
            .execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Write a customer as it now is; `Conflict` if the new name is taken.
    pub async fn update(&mut self, c: &Customer) -> StoreResult<()> {
        let n = on_tx!(&mut *self.0, conn => sqlx::query(UPDATE_CUSTOMER)
            .bind(c.id.0).bind(&c.name).bind(c.name.to_lowercase()).bind(c.domain.as_deref()).bind(c.arr)
            .bind(c.segment.as_str()).bind(c.owner_id.map(|x| x.0)).bind(c.updated_at.0)
            .execute(conn).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// A contact, read inside the transaction.
    pub async fn contact(&mut self, id: ContactId) -> StoreResult<Contact> {
        let row: ContactRow =
            on_tx!(&mut *self.0, c => sqlx::query_as(CONTACT_BY_ID).bind(id.0).fetch_one(c).await)?;
        Ok(row.into())
    }

    /// Add a contact.
    pub async fn insert_contact(&mut self, c: &Contact) -> StoreResult<()> {
        on_tx!(&mut *self.0, conn => sqlx::query(INSERT_CONTACT)
            .bind(c.id.0).bind(c.customer_id.0).bind(&c.name).bind(c.email.as_deref()).bind(c.title.as_deref()).bind(c.created_at.0)
            .execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Write a contact as it now is.
    pub async fn update_contact(&mut self, c: &Contact) -> StoreResult<()> {
        let n = on_tx!(&mut *self.0, conn => sqlx::query(UPDATE_CONTACT).bind(c.id.0).bind(&c.name).bind(c.email.as_deref()).bind(c.title.as_deref()).execute(conn).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

impl Db {
    /// A customer by id.
    pub async fn customer(&self, id: CustomerId) -> StoreResult<Customer> {
        let row: CustomerRow =
            on_db!(self, p => sqlx::query_as(CUSTOMER_BY_ID).bind(id.0).fetch_one(p).await)?;
        row.try_into()
    }

    /// A customer by name, case-insensitively.
    pub async fn customer_by_name(&self, name: &str) -> StoreResult<Customer> {
        let row: CustomerRow = on_db!(self, p => sqlx::query_as(CUSTOMER_BY_NAME).bind(name.trim().to_lowercase()).fetch_one(p).await)?;
        row.try_into()
    }

    /// List customers, one page at a time.
    pub async fn list_customers(
        &self,
        f: &CustomerFilter,
        sort: CustomerSort,
        page: &PageRequest,
    ) -> StoreResult<Page<Customer>> {
        let mut q = Query::select();
        q.from("customers")
            .columns(CUSTOMER_COLUMNS.map(|c| ("customers", c)));
        if let Some(s) = f.segment {
            q.and_where(Expr::col(("customers", "segment")).eq(s.as_str()));
        }
        if let Some(o) = f.owner_id {
            q.and_where(Expr::col(("customers", "owner_id")).eq(o.0));
        }
        let (key, desc) = match sort {
            CustomerSort::Name => (SortKey::Text("name_lower"), false),
            CustomerSort::Arr => (SortKey::Int("arr"), true),
            CustomerSort::Newest => (SortKey::Id, true),
        };
        keyset(&mut q, "customers", key, desc, page);
        let rows: Vec<CustomerRow> = fetch_built!(self, q, CustomerRow)?;
        let items = rows
            .into_iter()
            .map(Customer::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(page_of(items, page.limit, |c| match sort {
            CustomerSort::Name => (CursorKey::Text(c.name.to_lowercase()), c.id.0),
            CustomerSort::Arr => (CursorKey::Int(c.arr), c.id.0),
            CustomerSort::Newest => (CursorKey::None, c.id.0),
        }))
    }

    /// Customers by id, for labelling lists of notes.
    pub async fn customers_by_ids(&self, ids: &[CustomerId]) -> StoreResult<Vec<Customer>> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let mut q = Query::select();
        q.from("customers")
            .columns(CUSTOMER_COLUMNS.map(|c| ("customers", c)))
            .and_where(Expr::col(("customers", "id")).is_in(ids.iter().map(|i| i.0)));
        let rows: Vec<CustomerRow> = fetch_built!(self, q, CustomerRow)?;
        rows.into_iter().map(Customer::try_from).collect()
    }

    /// A contact by id.
    pub async fn contact(&self, id: ContactId) -> StoreResult<Contact> {
        let row: ContactRow =
            on_db!(self, p => sqlx::query_as(CONTACT_BY_ID).bind(id.0).fetch_one(p).await)?;
        Ok(row.into())
    }

    /// A customer's contacts, by name.
    pub async fn contacts_of(&self, customer: CustomerId) -> StoreResult<Vec<Contact>> {
        let rows: Vec<ContactRow> =
            on_db!(self, p => sqlx::query_as(CONTACTS_OF).bind(customer.0).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Contact::from).collect())
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    INSERT_CUSTOMER,
    CUSTOMER_BY_ID,
    CUSTOMER_BY_NAME,
    UPDATE_CUSTOMER,
    INSERT_CONTACT,
    CONTACT_BY_ID,
    UPDATE_CONTACT,
    CONTACTS_OF,
];
