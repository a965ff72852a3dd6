//! What callers send to create or change an idea, and the rules each must
//! satisfy.

use super::{IdeaStatus, Timeframe};
use crate::account::UserId;
use crate::area::AreaId;
use crate::error::ValidationError;
use crate::limits::*;
use crate::text::{clean_date, clean_links, clean_tags, optional_text, required_text};
use serde::{Deserialize, Serialize};

/// Check an effort SWAG: person-months, more than 0 and at most 1000.
pub fn clean_effort(value: Option<f64>) -> Result<Option<f64>, ValidationError> {
    match value {
        None => Ok(None),
        Some(e) if e.is_finite() && e > 0.0 && e <= 1000.0 => Ok(Some(e)),
        Some(_) => Err(ValidationError::new(
            "effort_months",
            "effort is a SWAG in person-months: a number greater than 0 and at most 1000",
        )),
    }
}

/// A new feature idea.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewIdea {
    /// Short title.
    pub title: String,
    /// The underlying use case: required, because ideas answer problems.
    pub problem: String,
    /// The proposed solution.
    #[serde(default)]
    pub proposal: String,
    /// Product area.
    #[serde(default)]
    pub area_id: Option<AreaId>,
    /// Owner (DRI).
    #[serde(default)]
    pub owner_id: Option<UserId>,
    /// Status; new if not given.
    #[serde(default = "default_status")]
    pub status: IdeaStatus,
    /// Effort SWAG in person-months.
    #[serde(default)]
    pub effort_months: Option<f64>,
    /// Release timeframe.
    #[serde(default)]
    pub timeframe: Option<Timeframe>,
    /// Due date `yyyy-mm-dd`.
    #[serde(default)]
    pub due_date: Option<String>,
    /// Labels.
    #[serde(default)]
    pub labels: Vec<String>,
    /// Implementation ticket URLs.
    #[serde(default)]
    pub tracker_links: Vec<String>,
}

fn default_status() -> IdeaStatus {
    IdeaStatus::New
}

impl NewIdea {
    /// Validate and normalise.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.title = required_text("title", &self.title, MAX_TITLE_CHARS)?;
        if self.problem.len() > MAX_LONG_TEXT_BYTES {
            return Err(ValidationError::too_large(
                "problem",
                "problem statement is at most 64 KiB",
            ));
        }
        self.problem = required_text("problem", &self.problem, usize::MAX).map_err(|_| {
            ValidationError::missing(
                "problem",
                "describe the problem (the underlying use case), not only the solution",
            )
        })?;
        self.proposal = optional_text("proposal", Some(&self.proposal), MAX_LONG_TEXT_BYTES)?
            .unwrap_or_default();
        self.effort_months = clean_effort(self.effort_months)?;
        self.due_date = clean_date("due_date", self.due_date.as_deref())?;
        self.labels = clean_tags("labels", &self.labels)?;
        self.tracker_links = clean_links("tracker_links", &self.tracker_links)?;
        Ok(self)
    }
}

/// A partial change to an idea; absent fields are left as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdeaChanges {
    /// New title.
    pub title: Option<String>,
    /// New problem statement.
    pub problem: Option<String>,
    /// New proposal.
    pub proposal: Option<String>,
    /// New area.
    pub area_id: Option<AreaId>,
    /// New owner.
    pub owner_id: Option<UserId>,
    /// New status.
    pub status: Option<IdeaStatus>,
    /// New effort.
    pub effort_months: Option<f64>,
    /// New timeframe.
    pub timeframe: Option<Timeframe>,
    /// New due date.
    pub due_date: Option<String>,
    /// Replace labels.
    pub labels: Option<Vec<String>>,
    /// Replace tracker links.
    pub tracker_links: Option<Vec<String>>,
}

impl IdeaChanges {
    /// Validate the fields that are present.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        if let Some(t) = &self.title {
            self.title = Some(required_text("title", t, MAX_TITLE_CHARS)?);
        }
        if let Some(p) = &self.problem {
            self.problem = Some(required_text("problem", p, MAX_LONG_TEXT_BYTES)?);
        }
        if let Some(p) = &self.proposal {
            self.proposal =
                Some(optional_text("proposal", Some(p), MAX_LONG_TEXT_BYTES)?.unwrap_or_default());
        }
        self.effort_months = clean_effort(self.effort_months)?;
        if self.due_date.is_some() {
            self.due_date = clean_date("due_date", self.due_date.as_deref())?;
        }
        if let Some(l) = &self.labels {
            self.labels = Some(clean_tags("labels", l)?);
        }
        if let Some(l) = &self.tracker_links {
            self.tracker_links = Some(clean_links("tracker_links", l)?);
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn idea_needs_a_problem() {
        let idea = NewIdea {
            title: "Dark mode".into(),
            problem: " ".into(),
            proposal: String::new(),
            area_id: None,
            owner_id: None,
            status: IdeaStatus::New,
            effort_months: None,
            timeframe: None,
            due_date: None,
            labels: vec![],
            tracker_links: vec![],
        };
        assert_eq!(idea.validate().unwrap_err().field, "problem");
    }

    proptest! {
        #[test]
        fn effort_accepts_only_positive(e in -10.0f64..10.0) {
            let r = clean_effort(Some(e));
            prop_assert_eq!(r.is_ok(), e > 0.0);
        }
    }
}
