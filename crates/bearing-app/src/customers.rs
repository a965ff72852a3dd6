//! Customers and contacts: add, change, list, and show what they asked for.

use crate::views::*;
use crate::{Actor, App, AppError, AppResult, missing_ref};
use bearing_domain::*;

impl App {
    /// Add a customer.
    pub async fn create_customer(&self, actor: &Actor, input: NewCustomer) -> AppResult<Customer> {
        actor.must_contribute()?;
        let input = input.validate()?;
        if let Some(o) = input.owner_id {
            self.db
                .user(o)
                .await
                .map_err(AppError::from)
                .map_err(missing_ref("owner_id", "user"))?;
        }
        self.db
            .insert_customer(input, actor.id())
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => AppError::Invalid(ValidationError::new(
                    "name",
                    "a customer with that name already exists",
                )),
                other => other,
            })
    }

    /// Change a customer.
    pub async fn update_customer(
        &self,
        actor: &Actor,
        id: CustomerId,
        ch: CustomerChanges,
    ) -> AppResult<Customer> {
        actor.must_contribute()?;
        let ch = ch.validate()?;
        if let Some(o) = ch.owner_id {
            self.db
                .user(o)
                .await
                .map_err(AppError::from)
                .map_err(missing_ref("owner_id", "user"))?;
        }
        self.db
            .update_customer(id, ch, actor.id())
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => AppError::Invalid(ValidationError::new(
                    "name",
                    "a customer with that name already exists",
                )),
                AppError::NotFound(_) => AppError::NotFound("customer".into()),
                other => other,
            })
    }

    /// A customer.
    pub async fn customer(&self, id: CustomerId) -> AppResult<Customer> {
        self.db
            .customer(id)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("customer"))
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
        self.db
            .customer(input.customer_id)
            .await
            .map_err(AppError::from)
            .map_err(missing_ref("customer_id", "customer"))?;
        Ok(self.db.insert_contact(input).await?)
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
        self.db
            .update_contact(id, ch, actor.id())
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("contact"))
    }

    /// A contact.
    pub async fn contact(&self, id: ContactId) -> AppResult<Contact> {
        self.db
            .contact(id)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("contact"))
    }

    /// A customer's contacts.
    pub async fn contacts_of(&self, id: CustomerId) -> AppResult<Vec<Contact>> {
        self.customer(id).await?;
        Ok(self.db.contacts_of(id).await?)
    }
}
