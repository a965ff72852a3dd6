//! Identifier newtypes. Every entity gets its own id type so a note id can
//! never be passed where an idea id is expected. Ids are UUIDv7: they sort by
//! creation time, which keyset pagination relies on.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// The underlying UUID.
            pub fn uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    };
}

id_type!(
    /// A signed-in person: PM, contributor, viewer or admin.
    UserId
);
id_type!(
    /// A customer company.
    CustomerId
);
id_type!(
    /// A person at a customer company.
    ContactId
);
id_type!(
    /// A product area (the unit a PM owns).
    AreaId
);
id_type!(
    /// A piece of feedback in the inbox.
    NoteId
);
id_type!(
    /// A feature idea.
    IdeaId
);
id_type!(
    /// A link between a note and an idea.
    LinkId
);
id_type!(
    /// A comment on an idea.
    CommentId
);
id_type!(
    /// An entry in the activity log.
    ActivityId
);
id_type!(
    /// An API token.
    TokenId
);
