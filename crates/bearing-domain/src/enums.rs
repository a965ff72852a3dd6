//! The closed vocabularies of the product: roles, feedback sources,
//! importance, note states, idea statuses, timeframes and segments. Each has
//! a stable snake_case key (used in the API, the database and URLs) and a
//! human label (used on pages). Parsing an unknown key fails with a message
//! that lists the allowed keys.

use crate::error::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[doc = $label] #[serde(rename = $key)] $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable key stored and sent over the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The label shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parse a key, or fail naming `field` and listing the allowed keys.
            pub fn parse_field(s: &str, field: &str) -> Result<Self, ValidationError> {
                match s.trim() {
                    $($key => Ok($name::$variant),)+
                    other => Err(ValidationError::new(
                        field,
                        format!(
                            "'{}' is not a valid {}; allowed values: {}",
                            other,
                            stringify!($name).to_lowercase(),
                            Self::keys().join(", ")
                        ),
                    )),
                }
            }

            /// All keys, in display order.
            pub fn keys() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse_field(s, stringify!($name))
            }
        }
    };
}

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

vocabulary!(
    /// Where a piece of feedback came from.
    NoteSource {
        SalesCall => "sales_call", "Sales call";
        SupportTicket => "support_ticket", "Support ticket";
        CsCall => "cs_call", "CS call";
        Forum => "forum", "Forum";
        Social => "social", "Social";
        Portal => "portal", "Portal";
        Email => "email", "Email";
        Interview => "interview", "Interview";
        Survey => "survey", "Survey";
    }
);

vocabulary!(
    /// How much the request matters to the customer who made it.
    Importance {
        NiceToHave => "nice_to_have", "Nice to have";
        Important => "important", "Important";
        Critical => "critical", "Critical";
    }
);

vocabulary!(
    /// Where a note is in triage.
    NoteState {
        Unprocessed => "unprocessed", "Unprocessed";
        Processed => "processed", "Processed";
        WontDo => "wont_do", "Won't do";
    }
);

vocabulary!(
    /// The lifecycle of a feature idea.
    IdeaStatus {
        New => "new", "New";
        UnderConsideration => "under_consideration", "Under consideration";
        Planned => "planned", "Planned";
        InProgress => "in_progress", "In progress";
        Shipped => "shipped", "Shipped";
        WontDo => "wont_do", "Won't do";
        AwaitingDemand => "awaiting_demand", "Awaiting further demand";
    }
);

vocabulary!(
    /// A coarse release timeframe, used where a date would over-promise.
    Timeframe {
        ThreeMonths => "3_months", "Next 3 months";
        SixMonths => "6_months", "Next 6 months";
        Future => "future", "Future";
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for s in NoteSource::ALL {
            assert_eq!(NoteSource::parse_field(s.as_str(), "source"), Ok(*s));
        }
        for s in IdeaStatus::ALL {
            assert_eq!(s.as_str().parse::<IdeaStatus>(), Ok(*s));
        }
    }

    #[test]
    fn unknown_key_lists_allowed_values() {
        let err = Importance::parse_field("urgent", "importance").unwrap_err();
        assert_eq!(err.field, "importance");
        assert!(err.message.contains("nice_to_have, important, critical"));
    }

    #[test]
    fn serde_uses_keys() {
        let json = serde_json::to_string(&Timeframe::ThreeMonths).unwrap();
        assert_eq!(json, "\"3_months\"");
    }
}
