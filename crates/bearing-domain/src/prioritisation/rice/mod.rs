//! RICE scoring: Reach × Impact × Confidence ÷ Effort, on GitLab's standard
//! scales so that scores compare across teams. Reach is one of five bands
//! (10.0 / 6.0 / 3.0 / 1.5 / 0.5 by share of users), Impact one of five steps
//! (3 / 2 / 1 / 0.5 / 0.25), Confidence one of three (100% / 80% / 50%), and
//! Effort any positive number of person-months. A workspace may instead use
//! *absolute* reach (people or events per quarter, as in Intercom's original
//! RICE); impact, confidence and effort keep the same rules. Values off a
//! scale are rejected with a [`ValidationError`] that names the field and
//! lists the allowed values. Confidence may be given as a fraction (`0.8`) or
//! as a percentage (`80`); it is always stored as a fraction.

use crate::error::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// How close an input must be to a scale value to count as that value.
pub const SCALE_EPSILON: f64 = 1e-6;

/// The largest absolute reach accepted (people or events per quarter).
pub const MAX_ABSOLUTE_REACH: f64 = 1e12;

/// The largest effort accepted, in person-months.
pub const MAX_EFFORT_MONTHS: f64 = 1000.0;

/// GitLab's standard Reach scale: the value and the share of users it means.
pub const STANDARD_REACH: &[(f64, &str)] = &[
    (10.0, "≥80% of users"),
    (6.0, "50–80% of users"),
    (3.0, "25–50% of users"),
    (1.5, "5–25% of users"),
    (0.5, "<5% of users"),
];

/// The Impact scale: the multiplier and its name.
pub const IMPACT: &[(f64, &str)] = &[
    (3.0, "Massive"),
    (2.0, "High"),
    (1.0, "Medium"),
    (0.5, "Low"),
    (0.25, "Minimal"),
];

/// The Confidence scale, as fractions, with their names.
pub const CONFIDENCE: &[(f64, &str)] = &[
    (1.0, "High (100%)"),
    (0.8, "Medium (80%)"),
    (0.5, "Low (50%)"),
];

/// How a workspace measures Reach.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReachMode {
    /// GitLab's five-band scale (10.0 / 6.0 / 3.0 / 1.5 / 0.5).
    #[default]
    Standard,
    /// A count of people or events per quarter (Intercom's original RICE).
    Absolute,
}

impl ReachMode {
    /// Every mode, in display order.
    pub const ALL: &'static [ReachMode] = &[ReachMode::Standard, ReachMode::Absolute];

    /// The stable key stored and sent over the API.
    pub fn as_str(self) -> &'static str {
        match self {
            ReachMode::Standard => "standard",
            ReachMode::Absolute => "absolute",
        }
    }

    /// The label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            ReachMode::Standard => "Standard scale (share of users)",
            ReachMode::Absolute => "Absolute (people or events per quarter)",
        }
    }

    /// Parse a key, or fail naming `field` and listing the allowed keys.
    pub fn parse_field(s: &str, field: &str) -> Result<Self, ValidationError> {
        match s.trim() {
            "standard" => Ok(ReachMode::Standard),
            "absolute" => Ok(ReachMode::Absolute),
            other => Err(ValidationError::new(
                field,
                format!("'{other}' is not a valid reach mode; allowed values: standard, absolute"),
            )),
        }
    }
}

impl fmt::Display for ReachMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ReachMode {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_field(s, "reach_mode")
    }
}

/// RICE factors as a person entered them, before validation.
///
/// `confidence` is a fraction (`1.0`, `0.8`, `0.5`) or a percentage (`100`,
/// `80`, `50`); any value above 1 is read as a percentage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiceInput {
    /// Reach: a standard-scale value, or a count in absolute mode.
    pub reach: f64,
    /// Impact: 3, 2, 1, 0.5 or 0.25.
    pub impact: f64,
    /// Confidence: 1.0 / 0.8 / 0.5, or 100 / 80 / 50.
    pub confidence: f64,
    /// Effort in person-months, greater than 0.
    pub effort_months: f64,
}

/// Validated RICE factors and the score computed from them. Confidence is a
/// fraction; scale values are the exact scale constants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rice {
    /// Reach.
    pub reach: f64,
    /// Impact multiplier.
    pub impact: f64,
    /// Confidence as a fraction.
    pub confidence: f64,
    /// Effort in person-months.
    pub effort_months: f64,
    /// Reach × Impact × Confidence ÷ Effort.
    pub score: f64,
}

impl Rice {
    /// Build from factors that were validated earlier (for example loaded
    /// from storage, or an exercise aggregate), computing the score. Does not
    /// check the scales.
    pub fn from_factors(reach: f64, impact: f64, confidence: f64, effort_months: f64) -> Self {
        Self {
            reach,
            impact,
            confidence,
            effort_months,
            score: rice_score(reach, impact, confidence, effort_months),
        }
    }

    /// The factors as an input, e.g. to prefill a form.
    pub fn input(&self) -> RiceInput {
        RiceInput {
            reach: self.reach,
            impact: self.impact,
            confidence: self.confidence,
            effort_months: self.effort_months,
        }
    }
}

/// Reach × Impact × Confidence ÷ Effort, with no checks. Use
/// [`RiceInput::validate`] for anything a person typed.
pub fn rice_score(reach: f64, impact: f64, confidence: f64, effort_months: f64) -> f64 {
    reach * impact * confidence / effort_months
}

/// The label of `value` on `scale`, if it is (within [`SCALE_EPSILON`]) one
/// of the scale's values.
pub fn scale_label(scale: &[(f64, &'static str)], value: f64) -> Option<&'static str> {
    scale
        .iter()
        .find(|(v, _)| (v - value).abs() <= SCALE_EPSILON)
        .map(|(_, l)| *l)
}

fn allowed(scale: &[(f64, &str)]) -> String {
    scale
        .iter()
        .map(|(v, l)| format!("{v} ({l})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn on_scale(
    field: &str,
    what: &str,
    scale: &[(f64, &str)],
    value: f64,
) -> Result<f64, ValidationError> {
    scale_value(scale, value).ok_or_else(|| {
        ValidationError::new(
            field,
            format!(
                "{value} is not on the {what} scale; allowed values: {}",
                allowed(scale)
            ),
        )
    })
}

fn check_reach(mode: ReachMode, reach: f64) -> Result<f64, ValidationError> {
    match mode {
        ReachMode::Standard => on_scale("reach", "standard reach", STANDARD_REACH, reach),
        ReachMode::Absolute => {
            if reach.is_finite() && (0.0..=MAX_ABSOLUTE_REACH).contains(&reach) {
                Ok(reach)
            } else {
                Err(ValidationError::new(
                    "reach",
                    format!(
                        "{reach} is not a valid absolute reach; give the number of people or \
                         events per quarter, from 0 to 1000000000000"
                    ),
                ))
            }
        }
    }
}

fn check_confidence(confidence: f64) -> Result<f64, ValidationError> {
    let fraction = if confidence > 1.0 + SCALE_EPSILON {
        confidence / 100.0
    } else {
        confidence
    };
    scale_value(CONFIDENCE, fraction).ok_or_else(|| {
        ValidationError::new(
            "confidence",
            format!(
                "{confidence} is not on the confidence scale; allowed values: {} \
                 (or as percentages: 100, 80, 50)",
                allowed(CONFIDENCE)
            ),
        )
    })
}

fn scale_value(scale: &[(f64, &str)], value: f64) -> Option<f64> {
    scale
        .iter()
        .map(|(v, _)| *v)
        .find(|v| (v - value).abs() <= SCALE_EPSILON)
}

fn check_effort(effort: f64) -> Result<f64, ValidationError> {
    if effort.is_finite() && effort > 0.0 && effort <= MAX_EFFORT_MONTHS {
        Ok(effort)
    } else {
        Err(ValidationError::new(
            "effort_months",
            format!(
                "{effort} is not a valid effort; give person-months greater than 0 and at most \
                 {MAX_EFFORT_MONTHS}"
            ),
        ))
    }
}

impl RiceInput {
    /// Check every factor against its scale for `mode`, normalise confidence
    /// to a fraction and scale values to their exact constants, and compute
    /// the score. Fails on the first bad factor, in the order reach, impact,
    /// confidence, effort.
    pub fn validate(self, mode: ReachMode) -> Result<Rice, ValidationError> {
        let reach = check_reach(mode, self.reach)?;
        let impact = on_scale("impact", "impact", IMPACT, self.impact)?;
        let confidence = check_confidence(self.confidence)?;
        let effort_months = check_effort(self.effort_months)?;
        Ok(Rice::from_factors(reach, impact, confidence, effort_months))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EXAMPLES: &str = include_str!("../../../../../../shared/data/rice_examples.csv");

    fn input(reach: f64, impact: f64, confidence: f64, effort_months: f64) -> RiceInput {
        RiceInput {
            reach,
            impact,
            confidence,
            effort_months,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    #[test]
    fn gitlab_handbook_example_is_two() {
        let rice = input(10.0, 0.5, 0.8, 2.0)
            .validate(ReachMode::Standard)
            .unwrap();
        assert!(close(rice.score, 2.0), "{}", rice.score);
    }

    #[test]
    fn intercom_example_is_4000_in_absolute_mode() {
        let rice = input(5000.0, 2.0, 0.8, 2.0)
            .validate(ReachMode::Absolute)
            .unwrap();
        assert!(close(rice.score, 4000.0), "{}", rice.score);
        // The same reach is off the standard scale.
        let err = input(5000.0, 2.0, 0.8, 2.0)
            .validate(ReachMode::Standard)
            .unwrap_err();
        assert_eq!(err.field, "reach");
    }

    #[test]
    fn confidence_percent_is_normalised() {
        for (pct, frac) in [(100.0, 1.0), (80.0, 0.8), (50.0, 0.5)] {
            let rice = input(10.0, 1.0, pct, 1.0)
                .validate(ReachMode::Standard)
                .unwrap();
            assert_eq!(rice.confidence, frac);
        }
        let err = input(10.0, 1.0, 90.0, 1.0)
            .validate(ReachMode::Standard)
            .unwrap_err();
        assert_eq!(err.field, "confidence");
        assert!(err.message.contains("100, 80, 50"), "{}", err.message);
    }

    #[test]
    fn near_scale_values_snap_to_the_constant() {
        let rice = input(1.5000000001, 0.25, 0.8000000001, 1.0)
            .validate(ReachMode::Standard)
            .unwrap();
        assert_eq!(rice.reach, 1.5);
        assert_eq!(rice.confidence, 0.8);
    }

    #[test]
    fn off_scale_messages_list_allowed_values() {
        let err = input(7.0, 1.0, 1.0, 1.0)
            .validate(ReachMode::Standard)
            .unwrap_err();
        assert_eq!(err.field, "reach");
        assert!(
            err.message.contains("10 (≥80% of users)"),
            "{}",
            err.message
        );
        assert!(
            err.message.contains("0.5 (<5% of users)"),
            "{}",
            err.message
        );
        let err = input(10.0, 4.0, 1.0, 1.0)
            .validate(ReachMode::Standard)
            .unwrap_err();
        assert_eq!(err.field, "impact");
        assert!(
            err.message
                .contains("3 (Massive), 2 (High), 1 (Medium), 0.5 (Low), 0.25 (Minimal)"),
            "{}",
            err.message
        );
        let err = input(10.0, 1.0, 0.9, 1.0)
            .validate(ReachMode::Standard)
            .unwrap_err();
        assert_eq!(err.field, "confidence");
        assert!(
            err.message.contains("0.8 (Medium (80%))"),
            "{}",
            err.message
        );
    }

    #[test]
    fn absolute_reach_bounds() {
        assert!(
            input(0.0, 1.0, 1.0, 1.0)
                .validate(ReachMode::Absolute)
                .is_ok()
        );
        assert!(
            input(1e12, 1.0, 1.0, 1.0)
                .validate(ReachMode::Absolute)
                .is_ok()
        );
        for bad in [-1.0, 1.1e12, f64::NAN, f64::INFINITY] {
            let err = input(bad, 1.0, 1.0, 1.0)
                .validate(ReachMode::Absolute)
                .unwrap_err();
            assert_eq!(err.field, "reach");
        }
        // Zero is not a standard reach.
        assert!(
            input(0.0, 1.0, 1.0, 1.0)
                .validate(ReachMode::Standard)
                .is_err()
        );
    }

    #[test]
    fn bad_effort_is_rejected() {
        for bad in [0.0, -0.0, -1.0, f64::NAN, f64::INFINITY, 1000.5] {
            let err = input(10.0, 1.0, 1.0, bad)
                .validate(ReachMode::Standard)
                .unwrap_err();
            assert_eq!(err.field, "effort_months");
        }
        assert!(
            input(10.0, 1.0, 1.0, 0.01)
                .validate(ReachMode::Standard)
                .is_ok()
        );
        assert!(
            input(10.0, 1.0, 1.0, 1000.0)
                .validate(ReachMode::Standard)
                .is_ok()
        );
    }

    #[test]
    fn reach_mode_keys() {
        assert_eq!(
            serde_json::to_string(&ReachMode::Absolute).unwrap(),
            "\"absolute\""
        );
        assert_eq!(
            serde_json::from_str::<ReachMode>("\"standard\"").unwrap(),
            ReachMode::Standard
        );
        for m in ReachMode::ALL {
            assert_eq!(
                ReachMode::parse_field(m.as_str(), "reach_mode").unwrap(),
                *m
            );
            assert!(!m.label().is_empty());
        }
        let err = ReachMode::parse_field("percent", "reach_mode").unwrap_err();
        assert_eq!(err.field, "reach_mode");
        assert!(err.message.contains("standard, absolute"));
    }

    #[test]
    fn input_rejects_unknown_fields_and_round_trips() {
        let json = r#"{"reach":10,"impact":0.5,"confidence":80,"effort_months":2}"#;
        let rice = serde_json::from_str::<RiceInput>(json)
            .unwrap()
            .validate(ReachMode::Standard)
            .unwrap();
        assert!(close(rice.score, 2.0));
        assert_eq!(rice.input().validate(ReachMode::Standard).unwrap(), rice);
        assert!(
            serde_json::from_str::<RiceInput>(
                r#"{"reach":10,"impact":1,"confidence":1,"effort_months":1,"x":1}"#
            )
            .is_err()
        );
    }

    #[test]
    fn scale_labels() {
        assert_eq!(scale_label(IMPACT, 3.0), Some("Massive"));
        assert_eq!(scale_label(CONFIDENCE, 0.8), Some("Medium (80%)"));
        assert_eq!(scale_label(STANDARD_REACH, 4.0), None);
    }

    /// One row of `rice_examples.csv` (see /work/shared/data/README.md).
    struct Example {
        id: String,
        reach: f64,
        reach_unit: String,
        impact: f64,
        confidence: f64,
        effort: f64,
        stated: f64,
        computed: f64,
        stated_matches: String,
    }

    fn examples() -> Vec<Example> {
        let mut lines = EXAMPLES.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let (id, reach, reach_unit, impact, confidence, effort, stated, computed, matches) = (
            col("id"),
            col("reach"),
            col("reach_unit"),
            col("impact"),
            col("confidence"),
            col("effort"),
            col("stated_score"),
            col("computed_score"),
            col("stated_matches_computed"),
        );
        lines
            .filter(|l| !l.trim().is_empty())
            .map(|l| {
                // No quoted fields in this file; the free-text `notes` column
                // is last, so its commas don't shift the columns we read.
                let f: Vec<&str> = l.split(',').collect();
                let num = |i: usize| f[i].trim().parse::<f64>().unwrap();
                Example {
                    id: f[id].to_string(),
                    reach: num(reach),
                    reach_unit: f[reach_unit].to_string(),
                    impact: num(impact),
                    confidence: num(confidence),
                    effort: num(effort),
                    stated: num(stated),
                    computed: num(computed),
                    stated_matches: f[matches].to_string(),
                }
            })
            .collect()
    }

    /// Map a percentage of users onto GitLab's standard reach band.
    fn standard_band(percent: f64) -> f64 {
        match percent {
            p if p >= 80.0 => 10.0,
            p if p >= 50.0 => 6.0,
            p if p >= 25.0 => 3.0,
            p if p >= 5.0 => 1.5,
            _ => 0.5,
        }
    }

    #[test]
    fn published_examples() {
        let rows = examples();
        assert_eq!(rows.len(), 8);
        for ex in &rows {
            // 1. The formula reproduces the file's computed score on every row.
            let score = rice_score(ex.reach, ex.impact, ex.confidence, ex.effort);
            assert!(
                (score - ex.computed).abs() < 1e-3,
                "{}: {score} vs {}",
                ex.id,
                ex.computed
            );
            // 2. The stated score agrees (to the source's rounding) except the
            //    row marked as an arithmetic error, which must NOT match.
            if ex.stated_matches.starts_with("yes") {
                assert!((score - ex.stated).abs() <= 0.5, "{}: {score}", ex.id);
            } else {
                assert!(ex.stated_matches.starts_with("NO"), "{}", ex.id);
                assert!((score - ex.stated).abs() > 1.0, "{}: {score}", ex.id);
            }
            // 3. Through validation. Counts of users are absolute reach;
            //    percentages of users map onto the standard bands. Sources
            //    that use confidences off our scale (0.9, 0.3) are rejected
            //    with the allowed values listed.
            let (mode, reach) = if ex.reach_unit.starts_with("percent") {
                (ReachMode::Standard, standard_band(ex.reach))
            } else {
                (ReachMode::Absolute, ex.reach)
            };
            let result = input(reach, ex.impact, ex.confidence, ex.effort).validate(mode);
            if scale_label(CONFIDENCE, ex.confidence).is_some() {
                let rice = result.unwrap();
                assert!(
                    close(rice.score, ex.computed) || (rice.score - ex.computed).abs() < 1e-3,
                    "{}",
                    ex.id
                );
            } else {
                let err = result.unwrap_err();
                assert_eq!(err.field, "confidence", "{}", ex.id);
                assert!(err.message.contains("allowed values"), "{}", ex.id);
            }
        }
    }

    #[test]
    fn published_examples_rank_as_the_source_says() {
        // cadenly: onboarding > Apple Pay > dark mode.
        let rows = examples();
        let score = |id: &str| {
            let e = rows.iter().find(|e| e.id == id).unwrap();
            input(e.reach, e.impact, e.confidence, e.effort)
                .validate(ReachMode::Absolute)
                .unwrap()
                .score
        };
        assert!(score("cadenly-1") > score("cadenly-2"));
        assert!(score("cadenly-2") > score("cadenly-3"));
    }

    fn reach_s() -> impl Strategy<Value = f64> {
        prop::sample::select(STANDARD_REACH.iter().map(|(v, _)| *v).collect::<Vec<_>>())
    }
    fn impact_s() -> impl Strategy<Value = f64> {
        prop::sample::select(IMPACT.iter().map(|(v, _)| *v).collect::<Vec<_>>())
    }
    fn confidence_s() -> impl Strategy<Value = f64> {
        prop::sample::select(CONFIDENCE.iter().map(|(v, _)| *v).collect::<Vec<_>>())
    }
    fn effort_s() -> impl Strategy<Value = f64> {
        0.01f64..=1000.0
    }

    fn score(r: f64, i: f64, c: f64, e: f64) -> f64 {
        input(r, i, c, e)
            .validate(ReachMode::Standard)
            .unwrap()
            .score
    }

    proptest! {
        #[test]
        fn monotone_in_reach(a in reach_s(), b in reach_s(), i in impact_s(), c in confidence_s(), e in effort_s()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(score(lo, i, c, e) <= score(hi, i, c, e));
        }

        #[test]
        fn monotone_in_absolute_reach(a in 0.0f64..=1e12, b in 0.0f64..=1e12, i in impact_s(), c in confidence_s(), e in effort_s()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let s = |r| input(r, i, c, e).validate(ReachMode::Absolute).unwrap().score;
            prop_assert!(s(lo) <= s(hi));
        }

        #[test]
        fn monotone_in_impact(r in reach_s(), a in impact_s(), b in impact_s(), c in confidence_s(), e in effort_s()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(score(r, lo, c, e) <= score(r, hi, c, e));
        }

        #[test]
        fn monotone_in_confidence(r in reach_s(), i in impact_s(), a in confidence_s(), b in confidence_s(), e in effort_s()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(score(r, i, lo, e) <= score(r, i, hi, e));
        }

        #[test]
        fn non_increasing_in_effort(r in reach_s(), i in impact_s(), c in confidence_s(), a in effort_s(), b in effort_s()) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            prop_assert!(score(r, i, c, lo) >= score(r, i, c, hi));
        }

        #[test]
        fn off_scale_reach_rejected(r in -100.0f64..100.0) {
            prop_assume!(scale_label(STANDARD_REACH, r).is_none());
            let err = input(r, 1.0, 1.0, 1.0).validate(ReachMode::Standard).unwrap_err();
            prop_assert_eq!(err.field.as_str(), "reach");
            for (v, l) in STANDARD_REACH {
                let needle = format!("{v} ({l})");
                prop_assert!(err.message.contains(&needle));
            }
        }

        #[test]
        fn off_scale_impact_rejected(x in -10.0f64..10.0) {
            prop_assume!(scale_label(IMPACT, x).is_none());
            let err = input(10.0, x, 1.0, 1.0).validate(ReachMode::Standard).unwrap_err();
            prop_assert_eq!(err.field.as_str(), "impact");
            for (v, l) in IMPACT {
                let needle = format!("{v} ({l})");
                prop_assert!(err.message.contains(&needle));
            }
        }

        #[test]
        fn off_scale_confidence_rejected(x in -200.0f64..200.0) {
            let frac = if x > 1.0 + SCALE_EPSILON { x / 100.0 } else { x };
            prop_assume!(scale_label(CONFIDENCE, frac).is_none());
            let err = input(10.0, 1.0, x, 1.0).validate(ReachMode::Standard).unwrap_err();
            prop_assert_eq!(err.field.as_str(), "confidence");
            for (v, l) in CONFIDENCE {
                let needle = format!("{v} ({l})");
                prop_assert!(err.message.contains(&needle));
            }
        }

        #[test]
        fn non_positive_or_nan_effort_rejected(e in prop_oneof![
            -1e6f64..=0.0,
            Just(f64::NAN),
            Just(f64::NEG_INFINITY),
            Just(f64::INFINITY),
        ]) {
            let err = input(10.0, 1.0, 1.0, e).validate(ReachMode::Standard).unwrap_err();
            prop_assert_eq!(err.field.as_str(), "effort_months");
        }

        #[test]
        fn score_matches_formula(r in reach_s(), i in impact_s(), c in confidence_s(), e in effort_s()) {
            let rice = input(r, i, c, e).validate(ReachMode::Standard).unwrap();
            prop_assert_eq!(rice.score, r * i * c / e);
            prop_assert!(rice.score > 0.0 && rice.score.is_finite());
        }
    }
}
