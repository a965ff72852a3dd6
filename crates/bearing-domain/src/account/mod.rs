//! Accounts: the people who sign in (users and their roles) and the API
//! tokens that act for them. A sign-in (the browser's cookie session) is
//! called a *sign-in* throughout the code, never a "session": in Bearing a
//! session is a prioritisation session.

use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

id_type!(
    /// A signed-in person: PM, contributor, viewer or admin.
    UserId
);
id_type!(
    /// An API token.
    TokenId
);

vocabulary!(
    /// What a user may do. Admins manage users; PMs triage and plan;
    /// contributors log feedback and comment; viewers only read.
    Role {
        Admin => "admin", "Admin";
        Pm => "pm", "Product manager";
        Contributor => "contributor", "Contributor";
        Viewer => "viewer", "Viewer";
    }
);

impl Role {
    /// May this role log feedback and comment?
    pub fn can_contribute(self) -> bool {
        matches!(self, Role::Admin | Role::Pm | Role::Contributor)
    }
    /// May this role triage notes and manage ideas, customers and areas?
    pub fn can_manage(self) -> bool {
        matches!(self, Role::Admin | Role::Pm)
    }
}

/// A person who signs in to Bearing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// Identifier.
    pub id: UserId,
    /// Sign-in email, stored as given; matched case-insensitively.
    pub email: String,
    /// Display name.
    pub name: String,
    /// What the user may do.
    pub role: Role,
    /// When the account was made.
    pub created_at: Timestamp,
}

/// An API token's public record; the secret is shown once at creation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    /// Identifier.
    pub id: TokenId,
    /// The user the token acts as.
    pub user_id: UserId,
    /// A label to recognise it by.
    pub name: String,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it was last used, if ever.
    pub last_used_at: Option<Timestamp>,
}
