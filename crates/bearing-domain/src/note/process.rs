//! Processing a note: link it to existing ideas and/or a new one, or
//! decline it as won't do with a reason the reporter sees. [`ProcessNote`]
//! is what a PM sends; [`ProcessNote::plan`] checks it against the note and
//! decides what will happen, as a [`ProcessPlan`].

use crate::error::ValidationError;
use crate::idea::NewIdea;
use crate::limits::MAX_LONG_TEXT_BYTES;
use crate::link::{LinkRequest, clean_excerpt};
use crate::text::{optional_text, plain_opt, required_text};
use serde::{Deserialize, Serialize};

/// How a PM processes a note: link it to ideas and/or a new idea, or decline
/// it as won't do with a reason the reporter sees.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessNote {
    /// Existing ideas to link to.
    #[serde(default)]
    pub links: Vec<LinkRequest>,
    /// A new idea to create from the note and link.
    #[serde(default)]
    pub new_idea: Option<NewIdea>,
    /// The excerpt to quote on the link to the new idea.
    #[serde(default)]
    pub new_idea_excerpt: Option<String>,
    /// The underlying need, as the PM understood it.
    #[serde(default)]
    pub underlying_need: Option<String>,
    /// A workaround offered to the customer.
    #[serde(default)]
    pub workaround: Option<String>,
    /// Decline as won't do, with this reason. Excludes links and a new idea.
    #[serde(default)]
    pub wont_do_reason: Option<String>,
}

/// What processing will do, once validated.
#[derive(Clone, Debug, PartialEq)]
pub enum ProcessPlan {
    /// Link to these ideas (and maybe a new one) and mark processed.
    Link {
        /// Existing ideas with their excerpts.
        links: Vec<LinkRequest>,
        /// A new idea and its excerpt (boxed: it dwarfs the other fields).
        new_idea: Option<Box<(NewIdea, Option<String>)>>,
        /// Underlying need.
        underlying_need: Option<String>,
        /// Workaround.
        workaround: Option<String>,
    },
    /// Decline with a reason.
    Decline {
        /// The reason the reporter sees.
        reason: String,
        /// Underlying need.
        underlying_need: Option<String>,
        /// Workaround.
        workaround: Option<String>,
    },
}

impl ProcessNote {
    /// Check the request against the note's text and decide what it does.
    pub fn plan(self, note_text: &str) -> Result<ProcessPlan, ValidationError> {
        // Checked whole before any of them is trimmed or set aside: a
        // reason that is only a control character must not read as blank,
        // and the new idea's excerpt is named as sent, not as `excerpt`.
        plain_opt("wont_do_reason", self.wont_do_reason.as_deref())?;
        plain_opt("new_idea_excerpt", self.new_idea_excerpt.as_deref())?;
        let underlying_need = optional_text(
            "underlying_need",
            self.underlying_need.as_deref(),
            MAX_LONG_TEXT_BYTES,
        )?;
        let workaround = optional_text(
            "workaround",
            self.workaround.as_deref(),
            MAX_LONG_TEXT_BYTES,
        )?;
        if let Some(reason) = self
            .wont_do_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            if !self.links.is_empty() || self.new_idea.is_some() {
                return Err(ValidationError::new(
                    "wont_do_reason",
                    "a note is either declined or linked to ideas, not both",
                ));
            }
            return Ok(ProcessPlan::Decline {
                reason: required_text("wont_do_reason", reason, 2000)?,
                underlying_need,
                workaround,
            });
        }
        if self.links.is_empty() && self.new_idea.is_none() {
            return Err(ValidationError::missing(
                "links",
                "link at least one idea, create a new idea, or give a wont_do_reason",
            ));
        }
        let mut links: Vec<LinkRequest> = Vec::new();
        for l in self.links {
            if links.iter().any(|x| x.idea_id == l.idea_id) {
                continue;
            }
            let excerpt = clean_excerpt(note_text, l.excerpt.as_deref())?;
            links.push(LinkRequest {
                idea_id: l.idea_id,
                excerpt,
            });
        }
        let new_idea = match self.new_idea {
            Some(idea) => {
                let idea = idea.validate().map_err(|e| ValidationError {
                    field: format!("new_idea.{}", e.field),
                    ..e
                })?;
                let excerpt = clean_excerpt(note_text, self.new_idea_excerpt.as_deref())?;
                Some(Box::new((idea, excerpt)))
            }
            None => None,
        };
        Ok(ProcessPlan::Link {
            links,
            new_idea,
            underlying_need,
            workaround,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idea::IdeaId;

    #[test]
    fn process_needs_something_to_do() {
        let err = ProcessNote::default().plan("text").unwrap_err();
        assert_eq!(err.field, "links");
    }

    #[test]
    fn decline_and_link_together_is_refused() {
        let p = ProcessNote {
            links: vec![LinkRequest {
                idea_id: IdeaId::new(),
                excerpt: None,
            }],
            wont_do_reason: Some("out of scope".into()),
            ..Default::default()
        };
        assert_eq!(p.plan("text").unwrap_err().field, "wont_do_reason");
    }

    #[test]
    fn excerpt_must_come_from_the_note() {
        let id = IdeaId::new();
        let ok = ProcessNote {
            links: vec![LinkRequest {
                idea_id: id,
                excerpt: Some("SAML".into()),
            }],
            ..Default::default()
        };
        assert!(ok.plan("We need SAML today").is_ok());
        let bad = ProcessNote {
            links: vec![LinkRequest {
                idea_id: id,
                excerpt: Some("SCIM".into()),
            }],
            ..Default::default()
        };
        assert_eq!(bad.plan("We need SAML today").unwrap_err().field, "excerpt");
    }
}
