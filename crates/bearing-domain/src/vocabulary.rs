//! The one way closed vocabularies are made: [`vocabulary!`] declares an
//! enum whose values each have a stable snake_case key (used in the API,
//! the database and URLs) and a human label (used on pages). Parsing an
//! unknown key fails with a message that lists the allowed keys. Each
//! aggregate declares its vocabularies in its module.

/// Declare a vocabulary: `vocabulary!(/// doc \n Name { Variant => "key", "Label"; … })`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
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
            pub fn parse_field(s: &str, field: &str) -> Result<Self, $crate::error::ValidationError> {
                match s.trim() {
                    $($key => Ok($name::$variant),)+
                    other => Err($crate::error::ValidationError::new(
                        field,
                        format!(
                            "'{}' is not a valid {}; allowed values: {}",
                            other,
                            $crate::vocabulary::noun(stringify!($name)),
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

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::error::ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse_field(s, stringify!($name))
            }
        }
    };
}

/// A type name as words for messages: `NoteState` → `note state`.
pub(crate) fn noun(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push(' ');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// Declare a sort order for a list: like [`vocabulary!`] but parsed for the
/// `sort` field and with a default.
macro_rules! sort_order {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $key:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }
        impl $name {
            /// Every order, in menu order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Stable key used in URLs and the API.
            pub fn as_str(self) -> &'static str { match self { $($name::$variant => $key),+ } }
            /// Label for menus.
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            /// Parse a key, listing the allowed ones on failure.
            pub fn parse(s: &str) -> Result<Self, $crate::error::ValidationError> {
                match s.trim() {
                    $($key => Ok($name::$variant),)+
                    other => Err($crate::error::ValidationError::new("sort", format!(
                        "'{other}' is not a sort order here; allowed: {}",
                        Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")))),
                }
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::{IdeaStatus, Importance, NoteSource, Timeframe};

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
    fn messages_name_the_vocabulary_in_words() {
        let err = "carrier_pigeon".parse::<NoteSource>().unwrap_err();
        assert!(
            err.message.contains("not a valid note source"),
            "{}",
            err.message
        );
    }

    #[test]
    fn serde_uses_keys() {
        let json = serde_json::to_string(&Timeframe::ThreeMonths).unwrap();
        assert_eq!(json, "\"3_months\"");
    }
}
