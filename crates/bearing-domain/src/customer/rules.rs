//! The rules for changing customers and contacts: which fields a change
//! replaces, and when a change moves the demand of the ideas the customer
//! asked for (its ARR).

use super::{Contact, ContactChanges, Customer, CustomerChanges, CustomerId, NewCustomer};
use crate::timestamp::Timestamp;

impl Customer {
    /// A customer added from validated `input` at `at`.
    pub fn added(id: CustomerId, input: NewCustomer, at: Timestamp) -> Customer {
        Customer {
            id,
            name: input.name,
            domain: input.domain,
            arr: input.arr,
            segment: input.segment,
            owner_id: input.owner_id,
            created_at: at,
            updated_at: at,
        }
    }

    /// The customer after the validated change `ch`, made at `now`.
    pub fn with_changes(&self, ch: CustomerChanges, now: Timestamp) -> Customer {
        let mut c = self.clone();
        if let Some(v) = ch.name {
            c.name = v;
        }
        if ch.domain.is_some() {
            c.domain = ch.domain;
        }
        if let Some(v) = ch.arr {
            c.arr = v;
        }
        if let Some(v) = ch.segment {
            c.segment = v;
        }
        if let Some(v) = ch.owner_id {
            c.owner_id = Some(v);
        }
        c.updated_at = now;
        c
    }

    /// Whether going from `before` to `self` changes the demand of the
    /// ideas this customer asked for.
    pub fn moves_demand(&self, before: &Customer) -> bool {
        self.arr != before.arr
    }
}

impl Contact {
    /// The contact after the validated change `ch`: an empty email or
    /// title clears it.
    pub fn with_changes(&self, ch: ContactChanges) -> Contact {
        let mut c = self.clone();
        if let Some(v) = ch.name {
            c.name = v;
        }
        if let Some(v) = ch.email {
            c.email = Some(v).filter(|v| !v.is_empty());
        }
        if let Some(v) = ch.title {
            c.title = Some(v).filter(|v| !v.is_empty());
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Segment;

    #[test]
    fn arr_moves_demand_and_empty_contact_fields_clear() {
        let c = Customer::added(
            CustomerId::new(),
            NewCustomer {
                name: "Acme".into(),
                domain: None,
                arr: 10,
                segment: Segment::Smb,
                owner_id: None,
            },
            Timestamp(1),
        );
        let renamed = c.with_changes(
            CustomerChanges {
                name: Some("Acme Inc".into()),
                ..Default::default()
            },
            Timestamp(2),
        );
        assert!(!renamed.moves_demand(&c));
        let richer = c.with_changes(
            CustomerChanges {
                arr: Some(20),
                ..Default::default()
            },
            Timestamp(2),
        );
        assert!(richer.moves_demand(&c));
        let person = Contact {
            id: crate::ContactId::new(),
            customer_id: c.id,
            name: "Ann".into(),
            email: Some("ann@acme.example".into()),
            title: Some("CTO".into()),
            created_at: Timestamp(1),
        };
        let cleared = person.with_changes(ContactChanges {
            email: Some(String::new()),
            ..Default::default()
        });
        assert_eq!(cleared.email, None);
        assert_eq!(cleared.title.as_deref(), Some("CTO"));
    }
}
