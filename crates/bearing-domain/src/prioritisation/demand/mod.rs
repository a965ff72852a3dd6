//! The customer demand score: how strongly paying customers ask for an idea,
//! after GitLab's customer-requested-issues framework. It is shown beside
//! RICE and augments it; it never replaces it.
//!
//! The formula, per idea, over the feedback notes linked to it:
//!
//! ```text
//! demand = Σ over distinct customers  importance_weight(strongest importance) × arr_weight(ARR)
//!        + ANONYMOUS_WEIGHT × (number of notes with no customer)
//! arr_weight(ARR) = 1 + log10(1 + ARR / 1000)
//! ```
//!
//! * Each customer counts once, at the strongest importance among their notes
//!   (and the largest ARR the notes carry, which is normally the same on all).
//! * ARR counts logarithmically: a $0 customer weighs 1, $10k about 2,
//!   $100k about 3, $1M about 4, $10M about 5. One $10M whale marking an
//!   idea critical (4 × 5 = 20) does not outweigh twenty $50k customers who
//!   call it important (20 × 2 × 2.7 ≈ 108).
//! * Notes with no customer weigh [`ANONYMOUS_WEIGHT`] each, whatever their
//!   importance, so a flood of anonymous votes moves the score a little.
//! * No signals gives 0; adding a signal, raising an ARR or raising an
//!   importance never lowers the score. Negative ARR is treated as 0.

use crate::customer::{Customer, CustomerId};
use crate::note::Importance;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::collections::HashMap;

/// The weight of each note that names no customer.
pub const ANONYMOUS_WEIGHT: f64 = 0.5;

/// One piece of demand for an idea: a linked note, with its customer (if
/// any), that customer's ARR in whole dollars, and how much it matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandSignal {
    /// The customer who asked, or `None` for anonymous feedback.
    pub customer: Option<uuid::Uuid>,
    /// The customer's ARR in whole dollars (ignored when `customer` is `None`).
    pub arr: i64,
    /// How much the request matters to them.
    pub importance: Importance,
}

/// How many of an idea's linked notes come from one customer (or from no
/// customer) at one importance: the rows "who is asking" is built from.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandCount {
    /// The customer, or `None` for notes without one.
    pub customer_id: Option<CustomerId>,
    /// The notes' importance.
    pub importance: Importance,
    /// How many linked notes.
    pub notes: usize,
}

/// The multiplier for an importance: nice to have 1, important 2, critical 4.
pub fn importance_weight(i: Importance) -> f64 {
    match i {
        Importance::NiceToHave => 1.0,
        Importance::Important => 2.0,
        Importance::Critical => 4.0,
    }
}

/// The multiplier for a customer's ARR: `1 + log10(1 + ARR / 1000)`, so a
/// customer with no ARR still weighs 1 and each tenfold ARR adds about 1.
/// Negative ARR counts as 0.
pub fn arr_weight(arr: i64) -> f64 {
    let arr = arr.max(0) as f64;
    1.0 + (1.0 + arr / 1000.0).log10()
}

/// The demand score of an idea from all its signals; see the module docs for
/// the formula. 0 when there are no signals.
pub fn demand_score(signals: &[DemandSignal]) -> f64 {
    // Strongest importance and largest ARR per customer; a BTreeMap keeps the
    // summation order fixed, so equal inputs give bit-equal scores.
    let mut customers: BTreeMap<uuid::Uuid, (Importance, i64)> = BTreeMap::new();
    let mut anonymous = 0usize;
    for s in signals {
        match s.customer {
            Some(id) => {
                let entry = customers.entry(id).or_insert((s.importance, s.arr));
                entry.0 = entry.0.max(s.importance);
                entry.1 = entry.1.max(s.arr);
            }
            None => anonymous += 1,
        }
    }
    let named: f64 = customers
        .values()
        .map(|(imp, arr)| importance_weight(*imp) * arr_weight(*arr))
        .sum();
    named + ANONYMOUS_WEIGHT * anonymous as f64
}

/// One customer's part in an idea's demand.
#[derive(Clone, Debug, Serialize)]
pub struct CustomerDemand {
    /// The customer.
    pub customer: Customer,
    /// How many of their notes are linked.
    pub notes: usize,
    /// The strongest importance among them.
    pub importance: Importance,
    /// Their contribution to the score.
    pub weight: f64,
}

/// Who is asking for an idea, and the demand score that follows.
#[derive(Clone, Debug, Serialize)]
pub struct DemandBreakdown {
    /// The stored demand score.
    pub score: f64,
    /// Customers, heaviest first.
    pub customers: Vec<CustomerDemand>,
    /// Linked notes with no customer.
    pub anonymous_notes: usize,
    /// Summed ARR of the customers asking.
    pub total_arr: i64,
}

/// Who is asking, from an idea's linked notes counted per customer and
/// importance (the store's `demand_counts`) and those customers. A count
/// whose customer is missing from `customers` counts as anonymous.
pub fn breakdown_of(
    score: f64,
    counts: &[DemandCount],
    customers: &HashMap<CustomerId, Customer>,
) -> DemandBreakdown {
    let mut per: HashMap<CustomerId, (&Customer, usize, Importance)> = HashMap::new();
    let mut anonymous_notes = 0;
    for n in counts {
        match n.customer_id.and_then(|c| customers.get(&c)) {
            Some(c) => {
                let e = per.entry(c.id).or_insert((c, 0, n.importance));
                e.1 += n.notes;
                e.2 = e.2.max(n.importance);
            }
            None => anonymous_notes += n.notes,
        }
    }
    let mut customers: Vec<CustomerDemand> = per
        .into_values()
        .map(|(c, notes, importance)| CustomerDemand {
            customer: c.clone(),
            notes,
            importance,
            weight: importance_weight(importance) * arr_weight(c.arr),
        })
        .collect();
    customers.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.customer.name.cmp(&b.customer.name))
    });
    let total_arr = customers.iter().map(|c| c.customer.arr).sum();
    DemandBreakdown {
        score,
        customers,
        anonymous_notes,
        total_arr,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use uuid::Uuid;

    fn sig(customer: Option<u128>, arr: i64, importance: Importance) -> DemandSignal {
        DemandSignal {
            customer: customer.map(Uuid::from_u128),
            arr,
            importance,
        }
    }

    #[test]
    fn empty_is_zero() {
        assert_eq!(demand_score(&[]), 0.0);
    }

    #[test]
    fn weights() {
        assert_eq!(importance_weight(Importance::NiceToHave), 1.0);
        assert_eq!(importance_weight(Importance::Important), 2.0);
        assert_eq!(importance_weight(Importance::Critical), 4.0);
        assert_eq!(arr_weight(0), 1.0);
        assert_eq!(arr_weight(-5), 1.0);
        assert!((arr_weight(999_000) - 4.0).abs() < 1e-12);
    }

    #[test]
    fn customer_counts_once_at_strongest_importance() {
        let one = demand_score(&[sig(Some(1), 50_000, Importance::Critical)]);
        let many = demand_score(&[
            sig(Some(1), 50_000, Importance::NiceToHave),
            sig(Some(1), 50_000, Importance::Critical),
            sig(Some(1), 50_000, Importance::Important),
        ]);
        assert_eq!(one, many);
    }

    #[test]
    fn anonymous_notes_weigh_a_little_each() {
        let s = demand_score(&[
            sig(None, 0, Importance::Critical),
            sig(None, 1_000_000, Importance::NiceToHave),
        ]);
        assert_eq!(s, 2.0 * ANONYMOUS_WEIGHT);
        // Less than one named customer with no ARR.
        assert!(ANONYMOUS_WEIGHT < demand_score(&[sig(Some(9), 0, Importance::NiceToHave)]));
    }

    #[test]
    fn a_whale_does_not_drown_the_mid_market() {
        let whale = demand_score(&[sig(Some(0), 10_000_000, Importance::Critical)]);
        let mid: Vec<_> = (1..=20)
            .map(|i| sig(Some(i), 50_000, Importance::Important))
            .collect();
        assert!(demand_score(&mid) > whale);
    }

    fn importance_s() -> impl Strategy<Value = Importance> {
        prop::sample::select(Importance::ALL.to_vec())
    }

    fn signal_s() -> impl Strategy<Value = DemandSignal> {
        (
            prop::option::weighted(0.8, 0u128..8),
            0i64..=1_000_000_000_000,
            importance_s(),
        )
            .prop_map(|(c, arr, imp)| sig(c, arr, imp))
    }

    proptest! {
        #[test]
        fn adding_a_signal_never_lowers(signals in prop::collection::vec(signal_s(), 0..30), extra in signal_s(), at in any::<prop::sample::Index>()) {
            let before = demand_score(&signals);
            let mut more = signals.clone();
            more.insert(at.index(signals.len() + 1), extra);
            prop_assert!(demand_score(&more) >= before);
            prop_assert!(before >= 0.0);
        }

        #[test]
        fn raising_arr_never_lowers(signals in prop::collection::vec(signal_s(), 1..30), which in any::<prop::sample::Index>(), raise in 0i64..=1_000_000_000) {
            let before = demand_score(&signals);
            let mut more = signals.clone();
            let i = which.index(more.len());
            more[i].arr = more[i].arr.saturating_add(raise);
            prop_assert!(demand_score(&more) >= before);
        }

        #[test]
        fn raising_importance_never_lowers(signals in prop::collection::vec(signal_s(), 1..30), which in any::<prop::sample::Index>(), to in importance_s()) {
            let before = demand_score(&signals);
            let mut more = signals.clone();
            let i = which.index(more.len());
            more[i].importance = more[i].importance.max(to);
            prop_assert!(demand_score(&more) >= before);
        }

        #[test]
        fn order_does_not_matter(mut signals in prop::collection::vec(signal_s(), 0..30)) {
            let before = demand_score(&signals);
            signals.reverse();
            prop_assert_eq!(demand_score(&signals), before);
        }
    }
}
