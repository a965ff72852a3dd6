//! The async RICE exercise: several participants score the same idea on
//! their own; Bearing shows every scorecard, the spread of each factor and of
//! the score, and an aggregate.
//!
//! The aggregate takes the **median of each factor** across the scorecards
//! and computes the score from those medians (it is not the median of the
//! scores). The median of an even number of values is the mean of the two
//! middle ones, so it can fall between scale points — the median of Impact 1
//! and 2 is 1.5, which is not an Impact value. The aggregate keeps such
//! values as they are: it is a valid score, and adopting it stores these
//! factors as-is (storage keeps factors as plain numbers). Re-validating an
//! adopted aggregate through [`crate::prioritisation::rice::RiceInput::validate`] would reject
//! them, so adopt with [`crate::prioritisation::rice::Rice`] directly. Medians are used
//! rather than means so one outlier cannot drag the aggregate.

use crate::prioritisation::rice::Rice;
use serde::Serialize;

/// One participant's scores for one idea.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scorecard {
    /// Who scored.
    pub participant: uuid::Uuid,
    /// Their validated factors and score.
    pub rice: Rice,
}

/// The lowest, highest and median of one factor across scorecards.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct FactorSpread {
    /// The lowest value.
    pub min: f64,
    /// The highest value.
    pub max: f64,
    /// The median (mean of the two middle values for an even count).
    pub median: f64,
}

impl FactorSpread {
    /// The spread of `values`, ignoring NaN; `None` if nothing is left.
    pub fn of(values: &[f64]) -> Option<Self> {
        let sorted = sorted_numbers(values);
        Some(Self {
            min: *sorted.first()?,
            max: *sorted.last()?,
            median: median_of_sorted(&sorted)?,
        })
    }

    /// `max - min`: 0 when everyone agreed.
    pub fn range(&self) -> f64 {
        self.max - self.min
    }
}

/// The outcome of an exercise for one idea.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExerciseResult {
    /// Spread of Reach.
    pub reach: FactorSpread,
    /// Spread of Impact.
    pub impact: FactorSpread,
    /// Spread of Confidence (fractions).
    pub confidence: FactorSpread,
    /// Spread of Effort in person-months.
    pub effort_months: FactorSpread,
    /// Spread of the participants' own scores.
    pub score_spread: FactorSpread,
    /// Median of each factor, and the score computed from those medians.
    pub aggregate: Rice,
}

fn sorted_numbers(values: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    v.sort_by(f64::total_cmp);
    v
}

fn median_of_sorted(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let mid = n / 2;
    if n % 2 == 1 {
        Some(sorted[mid])
    } else {
        // Halve before adding so huge values cannot overflow.
        Some(sorted[mid - 1] / 2.0 + sorted[mid] / 2.0)
    }
}

/// The median of `values` (NaN ignored): the middle value, or the mean of the
/// two middle values for an even count; `None` if there are none. The
/// reference the aggregate's medians are tested against.
#[cfg(test)]
fn median(values: &[f64]) -> Option<f64> {
    median_of_sorted(&sorted_numbers(values))
}

/// Aggregate the scorecards for one idea; `None` if there are none. See the
/// module docs for how the aggregate is formed.
pub fn aggregate(cards: &[Scorecard]) -> Option<ExerciseResult> {
    let spread = |f: fn(&Rice) -> f64| {
        FactorSpread::of(&cards.iter().map(|c| f(&c.rice)).collect::<Vec<_>>())
    };
    let reach = spread(|r| r.reach)?;
    let impact = spread(|r| r.impact)?;
    let confidence = spread(|r| r.confidence)?;
    let effort_months = spread(|r| r.effort_months)?;
    let score_spread = spread(|r| r.score)?;
    let aggregate = Rice::from_factors(
        reach.median,
        impact.median,
        confidence.median,
        effort_months.median,
    );
    Some(ExerciseResult {
        reach,
        impact,
        confidence,
        effort_months,
        score_spread,
        aggregate,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prioritisation::rice::{CONFIDENCE, IMPACT, ReachMode, RiceInput, STANDARD_REACH};
    use proptest::prelude::*;
    use uuid::Uuid;

    fn card(p: u128, reach: f64, impact: f64, confidence: f64, effort_months: f64) -> Scorecard {
        Scorecard {
            participant: Uuid::from_u128(p),
            rice: RiceInput {
                reach,
                impact,
                confidence,
                effort_months,
            }
            .validate(ReachMode::Standard)
            .unwrap(),
        }
    }

    #[test]
    fn median_basics() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[f64::NAN]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0]), Some(1.5));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[1.0, f64::NAN, 5.0]), Some(3.0));
        assert_eq!(median(&[f64::MAX, f64::MAX]), Some(f64::MAX));
    }

    #[test]
    fn empty_is_none() {
        assert_eq!(aggregate(&[]), None);
    }

    #[test]
    fn single_card_aggregate_is_the_card() {
        let c = card(1, 10.0, 0.5, 0.8, 2.0);
        let r = aggregate(std::slice::from_ref(&c)).unwrap();
        assert_eq!(r.aggregate, c.rice);
        assert_eq!(r.score_spread.range(), 0.0);
    }

    #[test]
    fn aggregate_is_median_per_factor() {
        let cards = [
            card(1, 10.0, 3.0, 1.0, 1.0),
            card(2, 6.0, 1.0, 0.8, 2.0),
            card(3, 0.5, 0.25, 0.5, 8.0),
        ];
        let r = aggregate(&cards).unwrap();
        assert_eq!(r.aggregate.reach, 6.0);
        assert_eq!(r.aggregate.impact, 1.0);
        assert_eq!(r.aggregate.confidence, 0.8);
        assert_eq!(r.aggregate.effort_months, 2.0);
        assert!((r.aggregate.score - 2.4).abs() < 1e-12);
        assert_eq!(r.reach.min, 0.5);
        assert_eq!(r.reach.max, 10.0);
        assert_eq!(r.score_spread.max, 30.0);
        assert_eq!(r.score_spread.median, cards[1].rice.score);
    }

    #[test]
    fn even_count_median_is_kept_between_scale_points() {
        let cards = [card(1, 3.0, 1.0, 1.0, 1.0), card(2, 6.0, 2.0, 0.5, 3.0)];
        let r = aggregate(&cards).unwrap();
        // 1.5 is not an Impact value and 0.75 not a Confidence value: kept as-is.
        assert_eq!(r.aggregate.impact, 1.5);
        assert_eq!(r.aggregate.confidence, 0.75);
        assert_eq!(r.aggregate.reach, 4.5);
        assert_eq!(r.aggregate.effort_months, 2.0);
        assert!((r.aggregate.score - 4.5 * 1.5 * 0.75 / 2.0).abs() < 1e-12);
        // Re-validating it against the scales would fail, as documented.
        assert!(r.aggregate.input().validate(ReachMode::Standard).is_err());
    }

    fn card_s() -> impl Strategy<Value = Scorecard> {
        let pick = |s: &'static [(f64, &'static str)]| {
            prop::sample::select(s.iter().map(|(v, _)| *v).collect::<Vec<_>>())
        };
        (
            any::<u128>(),
            pick(STANDARD_REACH),
            pick(IMPACT),
            pick(CONFIDENCE),
            0.1f64..100.0,
        )
            .prop_map(|(p, r, i, c, e)| card(p, r, i, c, e))
    }

    proptest! {
        #[test]
        fn aggregate_lies_within_the_spread(cards in prop::collection::vec(card_s(), 1..12)) {
            let r = aggregate(&cards).unwrap();
            for (s, v) in [
                (r.reach, r.aggregate.reach),
                (r.impact, r.aggregate.impact),
                (r.confidence, r.aggregate.confidence),
                (r.effort_months, r.aggregate.effort_months),
            ] {
                prop_assert!(s.min <= v && v <= s.max);
            }
            prop_assert!(r.score_spread.min <= r.score_spread.median);
            prop_assert!(r.score_spread.median <= r.score_spread.max);
            prop_assert!(r.aggregate.score.is_finite() && r.aggregate.score > 0.0);
        }

        #[test]
        fn median_is_order_independent(mut v in prop::collection::vec(-1e6f64..1e6, 1..20)) {
            let m = median(&v).unwrap();
            v.reverse();
            prop_assert_eq!(median(&v), Some(m));
            let below = v.iter().filter(|x| **x < m).count();
            let above = v.iter().filter(|x| **x > m).count();
            prop_assert!(below <= v.len() / 2 && above <= v.len() / 2);
        }
    }
}
