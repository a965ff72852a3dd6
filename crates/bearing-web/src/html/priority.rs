//! The idea page's Priority card: the RICE score with its factors and the
//! scale it was made on, the customer demand score with who is asking, and
//! the form a PM scores with (posted to `rice_form`).

use crate::html::layout::{FormErrors, arr, num};
use bearing_domain::prioritisation::demand::DemandBreakdown;
use bearing_domain::prioritisation::rice::{self, ReachMode};
use bearing_domain::*;

/// One factor shown beside the score.
pub struct Factor {
    /// Factor name.
    pub name: &'static str,
    /// Value as shown.
    pub value: String,
    /// Scale label, e.g. "High".
    pub label: String,
}

/// One scale option for the scoring form.
pub struct ScaleOption {
    /// Submitted value.
    pub value: String,
    /// Label.
    pub label: String,
    /// Currently chosen?
    pub selected: bool,
}

/// A customer in the "who is asking" list.
pub struct Asker {
    /// Customer id.
    pub id: CustomerId,
    /// Name.
    pub name: String,
    /// ARR, formatted.
    pub arr: String,
    /// Segment label.
    pub segment: &'static str,
    /// Strongest importance.
    pub importance: Importance,
    /// Linked notes.
    pub notes: usize,
}

/// Everything the Priority card shows.
pub struct PriorityView {
    /// RICE score, formatted, if scored.
    pub score: Option<String>,
    /// The factors, if scored.
    pub factors: Vec<Factor>,
    /// The scale the score was made on.
    pub scored_on: Option<&'static str>,
    /// The workspace's scale now (the form uses it).
    pub mode: ReachMode,
    /// Is the workspace on absolute reach?
    pub absolute: bool,
    /// Reach choices (standard scale).
    pub reach: Vec<ScaleOption>,
    /// Reach as typed (absolute scale).
    pub reach_value: String,
    /// Impact choices.
    pub impact: Vec<ScaleOption>,
    /// Confidence choices.
    pub confidence: Vec<ScaleOption>,
    /// Effort as typed.
    pub effort: String,
    /// Demand score, formatted.
    pub demand: String,
    /// Who is asking, heaviest first.
    pub askers: Vec<Asker>,
    /// Linked notes with no customer.
    pub anonymous: usize,
    /// May the user score?
    pub can_score: bool,
    /// Form errors.
    pub errors: FormErrors,
}

/// Fields of the scoring form, for error placement.
pub const FIELDS: &[&str] = &["reach", "impact", "confidence", "effort_months"];

fn options(scale: &[(f64, &str)], current: Option<f64>) -> Vec<ScaleOption> {
    scale
        .iter()
        .map(|(v, l)| ScaleOption {
            value: num(*v),
            label: format!("{} — {l}", num(*v)),
            selected: current.is_some_and(|c| (c - v).abs() < rice::SCALE_EPSILON),
        })
        .collect()
}

impl PriorityView {
    /// Build the card for `idea`.
    pub fn new(
        idea: &Idea,
        mode: ReachMode,
        demand: &DemandBreakdown,
        can_score: bool,
        errors: FormErrors,
    ) -> Self {
        let r = idea.rice.as_ref();
        let factors = match r {
            Some(r) => vec![
                Factor {
                    name: "Reach",
                    value: num(r.reach),
                    label: rice::scale_label(rice::STANDARD_REACH, r.reach)
                        .filter(|_| idea.rice_reach_mode != Some(ReachMode::Absolute))
                        .unwrap_or("per quarter")
                        .to_string(),
                },
                Factor {
                    name: "Impact",
                    value: num(r.impact),
                    label: rice::scale_label(rice::IMPACT, r.impact)
                        .unwrap_or("")
                        .to_string(),
                },
                Factor {
                    name: "Confidence",
                    value: format!("{:.0}%", r.confidence * 100.0),
                    label: rice::scale_label(rice::CONFIDENCE, r.confidence)
                        .unwrap_or("")
                        .to_string(),
                },
                Factor {
                    name: "Effort",
                    value: format!("{} pm", num(r.effort_months)),
                    label: "person-months".into(),
                },
            ],
            None => vec![],
        };
        Self {
            score: r.map(|r| num(r.score)),
            factors,
            scored_on: idea.rice_reach_mode.map(|m| m.label()),
            mode,
            absolute: mode == ReachMode::Absolute,
            reach: options(rice::STANDARD_REACH, r.map(|r| r.reach)),
            reach_value: r.map(|r| num(r.reach)).unwrap_or_default(),
            impact: options(rice::IMPACT, r.map(|r| r.impact)),
            confidence: options(rice::CONFIDENCE, r.map(|r| r.confidence)),
            effort: idea.effort_months.map(num).unwrap_or_default(),
            demand: num(demand.score),
            askers: demand
                .customers
                .iter()
                .map(|c| Asker {
                    id: c.customer.id,
                    name: c.customer.name.clone(),
                    arr: arr(c.customer.arr),
                    segment: c.customer.segment.label(),
                    importance: c.importance,
                    notes: c.notes,
                })
                .collect(),
            anonymous: demand.anonymous_notes,
            can_score,
            errors,
        }
    }
}
