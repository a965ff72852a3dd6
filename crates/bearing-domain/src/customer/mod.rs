//! Customers: the companies who give feedback, their ARR and segment, and
//! the people (contacts) at them who ask.

mod input;
mod rules;

pub use input::*;

use crate::account::UserId;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

id_type!(
    /// A customer company.
    CustomerId
);
id_type!(
    /// A person at a customer company.
    ContactId
);

vocabulary!(
    /// A customer's segment or tier, used to weigh and filter demand.
    Segment {
        Enterprise => "enterprise", "Enterprise";
        MidMarket => "mid_market", "Mid-market";
        Smb => "smb", "SMB";
        Startup => "startup", "Startup";
    }
);

/// A customer company. ARR is whole currency units (US dollars).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Customer {
    /// Identifier.
    pub id: CustomerId,
    /// Company name, unique case-insensitively.
    pub name: String,
    /// Web domain, e.g. `northwind.example`.
    pub domain: Option<String>,
    /// Annual recurring revenue in whole dollars.
    pub arr: i64,
    /// Segment or tier.
    pub segment: Segment,
    /// The CSM or AE who owns the account.
    pub owner_id: Option<UserId>,
    /// When it was added.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A person at a customer company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Identifier.
    pub id: ContactId,
    /// The company they work for.
    pub customer_id: CustomerId,
    /// Full name.
    pub name: String,
    /// Email address, if known.
    pub email: Option<String>,
    /// Job title, if known.
    pub title: Option<String>,
    /// When it was added.
    pub created_at: Timestamp,
}

sort_order!(
    /// Orders for customers.
    CustomerSort {
        /// Alphabetical by name.
        #[default]
        Name => "name", "Name A–Z";
        /// Largest ARR first.
        Arr => "arr", "Highest ARR";
        /// Most recently added first.
        Newest => "newest", "Newest first";
    }
);

/// Filters for the customers list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerFilter {
    /// Segment.
    pub segment: Option<Segment>,
    /// Owned by this user.
    pub owner_id: Option<UserId>,
}
