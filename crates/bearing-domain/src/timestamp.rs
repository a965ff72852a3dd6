//! Timestamps as milliseconds since the Unix epoch, made in Rust and bound as
//! integers so both databases store, compare and sort them the same way.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A point in time, UTC, millisecond precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The current time.
    pub fn now() -> Self {
        Self::from_datetime(OffsetDateTime::now_utc())
    }

    /// From a `time` datetime, truncating to milliseconds.
    pub fn from_datetime(dt: OffsetDateTime) -> Self {
        Self((dt.unix_timestamp_nanos() / 1_000_000) as i64)
    }

    /// As a `time` datetime in UTC.
    pub fn to_datetime(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(self.0 as i128 * 1_000_000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// RFC 3339, e.g. `2026-11-22T10:00:00.123Z`, used by the JSON API.
    pub fn to_rfc3339(self) -> String {
        self.to_datetime()
            .format(&Rfc3339)
            .unwrap_or_else(|_| self.0.to_string())
    }

    /// A calendar date, `yyyy-mm-dd`, for pages.
    pub fn date(self) -> String {
        let d = self.to_datetime().date();
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }

    /// A short human phrase relative to `now`: "just now", "5 min ago", "3 days ago".
    pub fn ago(self, now: Timestamp) -> String {
        let secs = (now.0 - self.0).max(0) / 1000;
        match secs {
            0..=59 => "just now".into(),
            60..=3599 => format!("{} min ago", secs / 60),
            3600..=86_399 => format!("{} h ago", secs / 3600),
            86_400..=172_799 => "yesterday".into(),
            172_800..=2_591_999 => format!("{} days ago", secs / 86_400),
            _ => self.date(),
        }
    }

    /// Parse RFC 3339 text.
    pub fn parse_rfc3339(s: &str) -> Option<Self> {
        OffsetDateTime::parse(s, &Rfc3339)
            .ok()
            .map(Self::from_datetime)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse_rfc3339(&s)
            .ok_or_else(|| serde::de::Error::custom("expected an RFC 3339 timestamp"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_rfc3339() {
        let t = Timestamp(1_763_800_000_123);
        assert_eq!(Timestamp::parse_rfc3339(&t.to_rfc3339()), Some(t));
    }

    #[test]
    fn ago_reads_naturally() {
        let now = Timestamp(10 * 86_400_000);
        assert_eq!(Timestamp(now.0 - 30_000).ago(now), "just now");
        assert_eq!(Timestamp(now.0 - 5 * 60_000).ago(now), "5 min ago");
        assert_eq!(Timestamp(now.0 - 3 * 86_400_000).ago(now), "3 days ago");
    }
}
