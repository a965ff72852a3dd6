//! The rules for changing an idea: which fields a change replaces, and what
//! follows from it (a new effort re-scores RICE, since effort is RICE's
//! denominator). Moving an idea to another area also moves it on the
//! boards; that needs the new board's ranks, so the caller does it.

use super::{Idea, IdeaChanges, IdeaId, NewIdea};
use crate::prioritisation::rice::Rice;
use crate::timestamp::Timestamp;

impl Idea {
    /// A new idea from validated `input`, created at `at`, at `board_rank`
    /// on its area's board (the caller finds the bottom of the board).
    pub fn created(id: IdeaId, input: NewIdea, board_rank: Option<String>, at: Timestamp) -> Idea {
        Idea {
            id,
            title: input.title,
            problem: input.problem,
            proposal: input.proposal,
            area_id: input.area_id,
            owner_id: input.owner_id,
            status: input.status,
            effort_months: input.effort_months,
            timeframe: input.timeframe,
            due_date: input.due_date,
            labels: input.labels,
            tracker_links: input.tracker_links,
            rice: None,
            rice_reach_mode: None,
            demand_score: 0.0,
            board_rank,
            created_at: at,
            updated_at: at,
        }
    }

    /// The idea after the validated change `ch`, made at `now`: every field
    /// present in `ch` replaces the idea's, and a new effort re-scores RICE.
    /// The board rank is left as it was; see [`Idea::changed_area`].
    pub fn with_changes(&self, ch: IdeaChanges, now: Timestamp) -> Idea {
        let mut i = self.clone();
        if let Some(v) = ch.title {
            i.title = v;
        }
        if let Some(v) = ch.problem {
            i.problem = v;
        }
        if let Some(v) = ch.proposal {
            i.proposal = v;
        }
        if let Some(v) = ch.area_id {
            i.area_id = Some(v);
        }
        if let Some(v) = ch.owner_id {
            i.owner_id = Some(v);
        }
        if let Some(v) = ch.status {
            i.status = v;
        }
        if let Some(v) = ch.effort_months {
            i.effort_months = Some(v);
        }
        if let Some(v) = ch.timeframe {
            i.timeframe = Some(v);
        }
        if ch.due_date.is_some() {
            i.due_date = ch.due_date;
        }
        if let Some(v) = ch.labels {
            i.labels = v;
        }
        if let Some(v) = ch.tracker_links {
            i.tracker_links = v;
        }
        i.updated_at = now;
        if let (Some(r), Some(effort)) = (&mut i.rice, i.effort_months) {
            *r = Rice::from_factors(r.reach, r.impact, r.confidence, effort);
        }
        i
    }

    /// Whether `after` sits in another area than `self`, so it must leave
    /// its old board and join the bottom of the new one.
    pub fn changed_area(&self, after: &Idea) -> bool {
        self.area_id != after.area_id
    }

    /// The fields of an idea worth showing in its history.
    pub fn history_fields(&self) -> serde_json::Value {
        serde_json::json!({
            "title": self.title, "problem": self.problem, "proposal": self.proposal,
            "area_id": self.area_id, "owner_id": self.owner_id, "status": self.status,
            "effort_months": self.effort_months, "timeframe": self.timeframe,
            "due_date": self.due_date, "labels": self.labels, "tracker_links": self.tracker_links,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idea::IdeaStatus;
    use crate::prioritisation::rice::rice_score;
    use proptest::prelude::*;

    fn idea() -> Idea {
        Idea {
            id: IdeaId::new(),
            title: "Audit log".into(),
            problem: "Who changed what".into(),
            proposal: String::new(),
            area_id: None,
            owner_id: None,
            status: IdeaStatus::New,
            effort_months: Some(2.0),
            timeframe: None,
            due_date: None,
            labels: vec!["customer".into()],
            tracker_links: vec![],
            rice: Some(Rice::from_factors(1000.0, 2.0, 0.8, 2.0)),
            rice_reach_mode: None,
            demand_score: 0.0,
            board_rank: Some("V".into()),
            created_at: Timestamp(1),
            updated_at: Timestamp(1),
        }
    }

    #[test]
    fn absent_fields_are_kept() {
        let before = idea();
        let after = before.with_changes(IdeaChanges::default(), Timestamp(5));
        assert_eq!(after.title, before.title);
        assert_eq!(after.labels, before.labels);
        assert_eq!(after.rice, before.rice);
        assert_eq!(after.updated_at, Timestamp(5));
        assert!(!before.changed_area(&after));
    }

    proptest! {
        #[test]
        fn a_new_effort_rescores_rice(effort in 0.1f64..1000.0) {
            let ch = IdeaChanges { effort_months: Some(effort), ..Default::default() };
            let after = idea().with_changes(ch, Timestamp(2));
            let r = after.rice.unwrap();
            prop_assert_eq!(r.effort_months, effort);
            prop_assert!((r.score - rice_score(1000.0, 2.0, 0.8, effort)).abs() < 1e-9);
        }
    }
}
