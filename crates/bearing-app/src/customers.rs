//! Customers and contacts: add, change, list, and show what they asked for.

use crate::error::OrNotFound;
use crate::unit::{check_user, refresh_demand_of_customer};
use crate::views::*;
use crate::{Actor, App, AppError, AppResult, missing_ref};
use bearing_domain::*;

/// A taken customer name, as the person who typed it should read it.
fn name_taken(e: AppError) -> AppError {
    match e {
        AppError::Conflict(_) => AppError::Invalid(ValidationError::new(
            "name",
            "a customer with that name already exists",
        )),
        other => other,
    }
}

impl App {
    /// Add a customer.
    pub async fn create_customer(&self, actor: &Actor, input: NewCustomer) -> AppResult<Customer> {
        actor.must_contribute()?;
        let input = input.validate()?;
        let mut tx = self.db.begin().await?;
        if let Some(o) = input.owner_id {
            check_user(&mut tx, o, "owner_id").await?;
        }
        let c = Customer::added(CustomerId::new(), input, Timestamp::now());
        self.insert_customer_in(&mut tx, actor.id(), &c).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Insert a customer and record it, inside a workflow's unit of work.
    pub(crate) async fn insert_customer_in(
        &self,
        tx: &mut bearing_store::Tx,
        actor: Option<UserId>,
        c: &Customer,
    ) -> AppResult<()> {
        tx.customers()
            .insert(c)
            .await
            .map_err(AppError::from)
            .map_err(name_taken)?;
        tx.record(
            &Change::new(EntityKind::Customer, c.id, ChangeAction::Created, actor)
                .after(serde_json::json!({"name": c.name, "arr": c.arr, "segment": c.segment})),
        )
        .await?;
        Ok(())
    }

    /// Change a customer. A new ARR moves the demand of every idea the
    /// customer asked for, in the same transaction.
    pub async fn update_customer(
        &self,
        actor: &Actor,
        id: CustomerId,
        ch: CustomerChanges,
    ) -> AppResult<Customer> {
        actor.must_contribute()?;
        let ch = ch.validate()?;
        let mut tx = self.db.begin().await?;
        if let Some(o) = ch.owner_id {
            check_user(&mut tx, o, "owner_id").await?;
        }
        let before = tx.customers().get(id).await.or_not_found("customer")?;
        let after = before.with_changes(ch, Timestamp::now());
        tx.customers()
            .update(&after)
            .await
            .map_err(AppError::from)
            .map_err(name_taken)?;
        if after.moves_demand(&before) {
            refresh_demand_of_customer(&mut tx, id).await?;
        }
        tx.record(
            &Change::new(EntityKind::Customer, id, ChangeAction::Updated, actor.id())
                .before(serde_json::to_value(&before).unwrap_or_default())
                .after(serde_json::to_value(&after).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A customer.
    pub async fn customer(&self, id: CustomerId) -> AppResult<Customer> {
        self.db.customer(id).await.or_not_found("customer")
    }

    /// One page of customers.
    pub async fn list_customers(
        &self,
        f: &CustomerFilter,
        sort: CustomerSort,
        page: &PageRequest,
    ) -> AppResult<Page<Customer>> {
        Ok(self.db.list_customers(f, sort, page).await?)
    }

    /// A customer with contacts, latest notes and the ideas they asked for.
    pub async fn customer_detail(&self, id: CustomerId) -> AppResult<CustomerDetail> {
        let customer = self.customer(id).await?;
        let owner = match customer.owner_id {
            Some(o) => self.db.user(o).await.ok(),
            None => None,
        };
        let contacts = self.db.contacts_of(id).await?;
        let filter = NoteFilter {
            customer_id: Some(id),
            ..Default::default()
        };
        let notes = self
            .db
            .list_notes(
                &filter,
                NoteSort::Newest,
                &PageRequest {
                    after: None,
                    limit: 100,
                },
            )
            .await?
            .items;
        let ideas = self
            .db
            .list_ideas(
                &IdeaFilter {
                    customer_id: Some(id),
                    ..Default::default()
                },
                IdeaSort::Updated,
                &PageRequest {
                    after: None,
                    limit: 100,
                },
            )
            .await?
            .items;
        Ok(CustomerDetail {
            customer,
            owner,
            contacts,
            notes,
            ideas,
        })
    }

    /// Add a contact to a customer.
    pub async fn create_contact(&self, actor: &Actor, input: NewContact) -> AppResult<Contact> {
        actor.must_contribute()?;
        let input = input.validate()?;
        let mut tx = self.db.begin().await?;
        tx.customers()
            .get(input.customer_id)
            .await
            .map_err(AppError::from)
            .map_err(missing_ref("customer_id", "customer"))?;
        let contact = Contact {
            id: ContactId::new(),
            customer_id: input.customer_id,
            name: input.name,
            email: input.email,
            title: input.title,
            created_at: Timestamp::now(),
        };
        tx.customers().insert_contact(&contact).await?;
        tx.record(
            &Change::new(
                EntityKind::Contact,
                contact.id,
                ChangeAction::Created,
                actor.id(),
            )
            .after(serde_json::to_value(&contact).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(contact)
    }

    /// Change a contact.
    pub async fn update_contact(
        &self,
        actor: &Actor,
        id: ContactId,
        ch: ContactChanges,
    ) -> AppResult<Contact> {
        actor.must_contribute()?;
        let ch = ch.validate()?;
        let mut tx = self.db.begin().await?;
        let before = tx.customers().contact(id).await.or_not_found("contact")?;
        let after = before.with_changes(ch);
        tx.customers().update_contact(&after).await?;
        tx.record(
            &Change::new(EntityKind::Contact, id, ChangeAction::Updated, actor.id())
                .before(serde_json::to_value(&before).unwrap_or_default())
                .after(serde_json::to_value(&after).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A contact.
    pub async fn contact(&self, id: ContactId) -> AppResult<Contact> {
        self.db.contact(id).await.or_not_found("contact")
    }

    /// A customer's contacts.
    pub async fn contacts_of(&self, id: CustomerId) -> AppResult<Vec<Contact>> {
        self.customer(id).await?;
        Ok(self.db.contacts_of(id).await?)
    }
}
