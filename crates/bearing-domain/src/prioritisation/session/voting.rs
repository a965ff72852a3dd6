//! Prioritisation sessions: a facilitator invites participants to a session
//! for a milestone; each participant nominates up to a few ideas and spends a
//! fixed budget of *importance* votes and *feasibility* votes on the
//! nominated ideas. The result is the vote tallies and a 2×2 priority matrix
//! (importance × feasibility). Security and availability items are kept out
//! of sessions because their priority is forced.
//!
//! The matrix splits each axis at half of that axis's highest tally: an idea
//! is *high* on an axis if its votes are at least half the maximum and more
//! than zero. High importance and high feasibility is *Do first*; high
//! importance, low feasibility *Big bets*; low importance, high feasibility
//! *Quick wins*; low on both *Reconsider*.

use crate::error::ValidationError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The smallest value a session limit may take.
pub const MIN_SESSION_LIMIT: u32 = 1;
/// The largest value a session limit may take.
pub const MAX_SESSION_LIMIT: u32 = 50;

/// Per-participant budgets for one session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionLimits {
    /// How many ideas each participant may nominate.
    pub max_nominations: u32,
    /// How many importance votes each participant may cast.
    pub importance_votes: u32,
    /// How many feasibility votes each participant may cast.
    pub feasibility_votes: u32,
}

impl Default for SessionLimits {
    /// Five nominations, five importance votes, five feasibility votes.
    fn default() -> Self {
        Self {
            max_nominations: 5,
            importance_votes: 5,
            feasibility_votes: 5,
        }
    }
}

impl SessionLimits {
    /// Check each limit is between [`MIN_SESSION_LIMIT`] and
    /// [`MAX_SESSION_LIMIT`], naming the first one that is not.
    pub fn validate(self) -> Result<Self, ValidationError> {
        for (field, value) in [
            ("max_nominations", self.max_nominations),
            ("importance_votes", self.importance_votes),
            ("feasibility_votes", self.feasibility_votes),
        ] {
            if !(MIN_SESSION_LIMIT..=MAX_SESSION_LIMIT).contains(&value) {
                return Err(ValidationError::new(
                    field,
                    format!(
                        "{field} must be from {MIN_SESSION_LIMIT} to {MAX_SESSION_LIMIT}, not {value}"
                    ),
                ));
            }
        }
        Ok(self)
    }

    /// The vote budget for `kind`.
    pub fn votes_for(&self, kind: VoteKind) -> u32 {
        match kind {
            VoteKind::Importance => self.importance_votes,
            VoteKind::Feasibility => self.feasibility_votes,
        }
    }
}

/// What a vote says about an idea.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteKind {
    /// The idea matters: it should be done.
    Importance,
    /// The idea is doable: it can be done soon.
    Feasibility,
}

impl VoteKind {
    /// Every kind, in display order.
    pub const ALL: &'static [VoteKind] = &[VoteKind::Importance, VoteKind::Feasibility];

    /// The stable key stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            VoteKind::Importance => "importance",
            VoteKind::Feasibility => "feasibility",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            VoteKind::Importance => "Importance",
            VoteKind::Feasibility => "Feasibility",
        }
    }

    /// Parse a key, or fail naming `field` and listing the allowed keys.
    pub fn parse_field(s: &str, field: &str) -> Result<Self, ValidationError> {
        match s.trim() {
            "importance" => Ok(VoteKind::Importance),
            "feasibility" => Ok(VoteKind::Feasibility),
            other => Err(ValidationError::new(
                field,
                format!(
                    "'{other}' is not a valid vote kind; allowed values: importance, feasibility"
                ),
            )),
        }
    }
}

impl fmt::Display for VoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for VoteKind {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_field(s, "kind")
    }
}

/// Is an item with these labels kept out of sessions? True if any label is
/// `security` or `availability` (ignoring case and surrounding spaces), or a
/// scoped label ending in `::security` / `::availability` (as in GitLab's
/// `bug::availability`): such items have forced priority.
pub fn excluded_from_sessions(labels: &[String]) -> bool {
    labels.iter().any(|l| {
        let l = l.trim().to_lowercase();
        let last = l.rsplit("::").next().unwrap_or(&l).trim();
        last == "security" || last == "availability"
    })
}

/// May a participant who has cast `used` votes of `kind` cast another?
/// Fails, naming `kind`, once the budget is spent.
pub fn check_vote_allowed(
    kind: VoteKind,
    used: u32,
    limits: &SessionLimits,
) -> Result<(), ValidationError> {
    let budget = limits.votes_for(kind);
    if used < budget {
        Ok(())
    } else {
        Err(ValidationError::new(
            "kind",
            format!("you have used all {budget} {} votes", kind.as_str()),
        ))
    }
}

/// May a participant who has nominated `used` ideas nominate another?
/// Fails, naming `idea_id`, once they have nominated the maximum.
pub fn check_nomination_allowed(used: u32, limits: &SessionLimits) -> Result<(), ValidationError> {
    if used < limits.max_nominations {
        Ok(())
    } else {
        Err(ValidationError::new(
            "idea_id",
            format!(
                "you have already nominated {} ideas, the most this session allows",
                limits.max_nominations
            ),
        ))
    }
}

/// A cell of the 2×2 priority matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// High importance, high feasibility.
    DoFirst,
    /// High importance, low feasibility.
    BigBets,
    /// Low importance, high feasibility.
    QuickWins,
    /// Low importance, low feasibility.
    Reconsider,
}

impl Quadrant {
    /// Every quadrant, in display order.
    pub const ALL: &'static [Quadrant] = &[
        Quadrant::DoFirst,
        Quadrant::BigBets,
        Quadrant::QuickWins,
        Quadrant::Reconsider,
    ];

    /// The quadrant for high/low importance and high/low feasibility.
    pub fn of(high_importance: bool, high_feasibility: bool) -> Self {
        match (high_importance, high_feasibility) {
            (true, true) => Quadrant::DoFirst,
            (true, false) => Quadrant::BigBets,
            (false, true) => Quadrant::QuickWins,
            (false, false) => Quadrant::Reconsider,
        }
    }

    /// The stable key stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Quadrant::DoFirst => "do_first",
            Quadrant::BigBets => "big_bets",
            Quadrant::QuickWins => "quick_wins",
            Quadrant::Reconsider => "reconsider",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Quadrant::DoFirst => "Do first",
            Quadrant::BigBets => "Big bets",
            Quadrant::QuickWins => "Quick wins",
            Quadrant::Reconsider => "Reconsider",
        }
    }
}

impl fmt::Display for Quadrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The votes one nominated idea received in a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// The idea.
    pub idea_id: uuid::Uuid,
    /// Importance votes received.
    pub importance: u32,
    /// Feasibility votes received.
    pub feasibility: u32,
}

/// An idea placed on the priority matrix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MatrixPoint {
    /// The idea.
    pub idea_id: uuid::Uuid,
    /// Importance votes received.
    pub importance: u32,
    /// Feasibility votes received.
    pub feasibility: u32,
    /// The cell it falls in.
    pub quadrant: Quadrant,
    /// Feasibility divided by the highest feasibility tally (0 if none), 0..=1.
    pub x: f64,
    /// Importance divided by the highest importance tally (0 if none), 0..=1.
    pub y: f64,
}

fn is_high(votes: u32, max: u32) -> bool {
    votes > 0 && u64::from(votes) * 2 >= u64::from(max)
}

fn normalise(votes: u32, max: u32) -> f64 {
    if max == 0 {
        0.0
    } else {
        f64::from(votes) / f64::from(max)
    }
}

/// Place each idea on the 2×2 matrix. Tallies for the same idea are added
/// together. An idea is high on an axis if its votes are more than zero and
/// at least half the axis's highest tally. Points come sorted by importance
/// (most first), then feasibility (most first), then idea id.
pub fn priority_matrix(tallies: &[Tally]) -> Vec<MatrixPoint> {
    let mut merged: BTreeMap<uuid::Uuid, (u32, u32)> = BTreeMap::new();
    for t in tallies {
        let e = merged.entry(t.idea_id).or_insert((0, 0));
        e.0 = e.0.saturating_add(t.importance);
        e.1 = e.1.saturating_add(t.feasibility);
    }
    let max_imp = merged.values().map(|v| v.0).max().unwrap_or(0);
    let max_feas = merged.values().map(|v| v.1).max().unwrap_or(0);
    let mut points: Vec<MatrixPoint> = merged
        .into_iter()
        .map(|(idea_id, (importance, feasibility))| MatrixPoint {
            idea_id,
            importance,
            feasibility,
            quadrant: Quadrant::of(is_high(importance, max_imp), is_high(feasibility, max_feas)),
            x: normalise(feasibility, max_feas),
            y: normalise(importance, max_imp),
        })
        .collect();
    points.sort_by(|a, b| {
        b.importance
            .cmp(&a.importance)
            .then(b.feasibility.cmp(&a.feasibility))
            .then(a.idea_id.cmp(&b.idea_id))
    });
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn t(id: u128, importance: u32, feasibility: u32) -> Tally {
        Tally {
            idea_id: Uuid::from_u128(id),
            importance,
            feasibility,
        }
    }

    #[test]
    fn limits_default_and_validate() {
        let d = SessionLimits::default();
        assert_eq!(
            (d.max_nominations, d.importance_votes, d.feasibility_votes),
            (5, 5, 5)
        );
        assert_eq!(d.validate(), Ok(d));
        let bad = SessionLimits {
            importance_votes: 0,
            ..d
        };
        assert_eq!(bad.validate().unwrap_err().field, "importance_votes");
        let bad = SessionLimits {
            feasibility_votes: 51,
            ..d
        };
        assert_eq!(bad.validate().unwrap_err().field, "feasibility_votes");
        let bad = SessionLimits {
            max_nominations: 0,
            ..d
        };
        assert_eq!(bad.validate().unwrap_err().field, "max_nominations");
        let edge = SessionLimits {
            max_nominations: 1,
            importance_votes: 50,
            feasibility_votes: 50,
        };
        assert!(edge.validate().is_ok());
    }

    #[test]
    fn vote_kind_keys() {
        for k in VoteKind::ALL {
            assert_eq!(VoteKind::parse_field(k.as_str(), "kind").unwrap(), *k);
            assert_eq!(
                serde_json::to_string(k).unwrap(),
                format!("\"{}\"", k.as_str())
            );
            assert!(!k.label().is_empty());
        }
        let e = VoteKind::parse_field("urgency", "kind").unwrap_err();
        assert_eq!(e.field, "kind");
        assert!(e.message.contains("importance, feasibility"));
    }

    #[test]
    fn vote_budget() {
        let l = SessionLimits {
            max_nominations: 2,
            importance_votes: 5,
            feasibility_votes: 3,
        };
        assert!(check_vote_allowed(VoteKind::Importance, 4, &l).is_ok());
        let e = check_vote_allowed(VoteKind::Importance, 5, &l).unwrap_err();
        assert_eq!(e.message, "you have used all 5 importance votes");
        assert!(check_vote_allowed(VoteKind::Feasibility, 2, &l).is_ok());
        let e = check_vote_allowed(VoteKind::Feasibility, 3, &l).unwrap_err();
        assert_eq!(e.message, "you have used all 3 feasibility votes");
        assert!(check_nomination_allowed(1, &l).is_ok());
        assert!(check_nomination_allowed(2, &l).is_err());
    }

    #[test]
    fn security_and_availability_are_excluded() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(excluded_from_sessions(&l(&["ux", "Security"])));
        assert!(excluded_from_sessions(&l(&[" availability "])));
        assert!(excluded_from_sessions(&l(&["bug::availability"])));
        assert!(excluded_from_sessions(&l(&["type::security"])));
        assert!(!excluded_from_sessions(&l(&[])));
        assert!(!excluded_from_sessions(&l(&["security-review", "ux"])));
    }

    #[test]
    fn quadrants() {
        let m = priority_matrix(&[
            t(1, 10, 10),
            t(2, 10, 2),
            t(3, 1, 8),
            t(4, 0, 0),
            t(5, 5, 5),
        ]);
        let q = |id: u128| {
            m.iter()
                .find(|p| p.idea_id == Uuid::from_u128(id))
                .unwrap()
                .quadrant
        };
        assert_eq!(q(1), Quadrant::DoFirst);
        assert_eq!(q(2), Quadrant::BigBets);
        assert_eq!(q(3), Quadrant::QuickWins);
        assert_eq!(q(4), Quadrant::Reconsider);
        // Exactly half the maximum counts as high.
        assert_eq!(q(5), Quadrant::DoFirst);
        let ids: Vec<_> = m.iter().map(|p| p.idea_id.as_u128()).collect();
        assert_eq!(ids, vec![1, 2, 5, 3, 4]);
        let p1 = &m[0];
        assert_eq!((p1.x, p1.y), (1.0, 1.0));
        let p3 = m.iter().find(|p| p.idea_id == Uuid::from_u128(3)).unwrap();
        assert_eq!((p3.x, p3.y), (0.8, 0.1));
    }

    #[test]
    fn no_votes_is_all_reconsider() {
        let m = priority_matrix(&[t(1, 0, 0), t(2, 0, 0)]);
        assert!(
            m.iter()
                .all(|p| p.quadrant == Quadrant::Reconsider && p.x == 0.0 && p.y == 0.0)
        );
        assert!(priority_matrix(&[]).is_empty());
    }

    #[test]
    fn duplicate_tallies_are_merged() {
        let m = priority_matrix(&[t(1, 1, 2), t(1, 3, 0)]);
        assert_eq!(m.len(), 1);
        assert_eq!((m[0].importance, m[0].feasibility), (4, 2));
    }

    #[test]
    fn quadrant_keys() {
        assert_eq!(
            serde_json::to_string(&Quadrant::DoFirst).unwrap(),
            "\"do_first\""
        );
        for q in Quadrant::ALL {
            assert_eq!(
                serde_json::to_string(q).unwrap(),
                format!("\"{}\"", q.as_str())
            );
            assert!(!q.label().is_empty());
        }
    }

    proptest! {
        #[test]
        fn matrix_is_sorted_and_normalised(raw in prop::collection::vec((0u128..20, 0u32..30, 0u32..30), 0..40)) {
            let tallies: Vec<_> = raw.iter().map(|(i, a, b)| t(*i, *a, *b)).collect();
            let m = priority_matrix(&tallies);
            for w in m.windows(2) {
                let key = |p: &MatrixPoint| (std::cmp::Reverse(p.importance), std::cmp::Reverse(p.feasibility), p.idea_id);
                prop_assert!(key(&w[0]) < key(&w[1]));
            }
            for p in &m {
                prop_assert!((0.0..=1.0).contains(&p.x) && (0.0..=1.0).contains(&p.y));
                let hi_i = matches!(p.quadrant, Quadrant::DoFirst | Quadrant::BigBets);
                let hi_f = matches!(p.quadrant, Quadrant::DoFirst | Quadrant::QuickWins);
                prop_assert_eq!(hi_i, p.importance > 0 && p.y >= 0.5);
                prop_assert_eq!(hi_f, p.feasibility > 0 && p.x >= 0.5);
            }
        }
    }
}
