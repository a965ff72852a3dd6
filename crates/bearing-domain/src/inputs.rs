//! What callers send to create or change things, and the rules each input
//! must satisfy. Validation is pure: it returns the cleaned value or a
//! [`ValidationError`] naming the field, and never touches storage.

use crate::enums::*;
use crate::error::ValidationError;
use crate::ids::*;
use crate::limits::*;
use serde::{Deserialize, Serialize};

fn required_text(field: &str, value: &str, max_chars: usize) -> Result<String, ValidationError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ValidationError::missing(
            field,
            format!("{field} is required and cannot be blank"),
        ));
    }
    if v.chars().count() > max_chars {
        return Err(ValidationError::new(
            field,
            format!("{field} is at most {max_chars} characters"),
        ));
    }
    Ok(v.to_string())
}

fn optional_text(
    field: &str,
    value: Option<&str>,
    max_bytes: usize,
) -> Result<Option<String>, ValidationError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.len() > max_bytes => Err(ValidationError::too_large(
            field,
            format!("{field} is at most {max_bytes} bytes"),
        )),
        Some(v) => Ok(Some(v.to_string())),
    }
}

/// Normalise tags or labels: trimmed, lowercased, deduplicated, each made of
/// letters, digits, `-`, `_`, `+` or `.`, at most [`MAX_TAGS`] of them.
pub fn clean_tags(field: &str, tags: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut out: Vec<String> = Vec::new();
    for raw in tags {
        let t = raw.trim().to_lowercase();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(ValidationError::new(
                field,
                format!("'{t}' is longer than {MAX_TAG_CHARS} characters"),
            ));
        }
        if !t
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | ' '))
        {
            return Err(ValidationError::new(
                field,
                format!("'{t}' may contain only letters, digits, spaces and - _ + ."),
            ));
        }
        if !out.contains(&t) {
            out.push(t);
        }
    }
    if out.len() > MAX_TAGS {
        return Err(ValidationError::new(
            field,
            format!("at most {MAX_TAGS} {field} are allowed"),
        ));
    }
    Ok(out)
}

/// Check that a due date is a real calendar date written `yyyy-mm-dd`.
pub fn clean_date(field: &str, value: Option<&str>) -> Result<Option<String>, ValidationError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(v, &fmt)
        .map(|_| Some(v.to_string()))
        .map_err(|_| ValidationError::new(field, format!("'{v}' is not a date; write yyyy-mm-dd")))
}

fn clean_links(field: &str, links: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut out = Vec::new();
    for l in links.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        match url::Url::parse(l) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => out.push(l.to_string()),
            _ => {
                return Err(ValidationError::new(
                    field,
                    format!("'{l}' is not an http(s) URL"),
                ));
            }
        }
    }
    if out.len() > MAX_TAGS {
        return Err(ValidationError::new(
            field,
            format!("at most {MAX_TAGS} links"),
        ));
    }
    Ok(out)
}

fn clean_effort(value: Option<f64>) -> Result<Option<f64>, ValidationError> {
    match value {
        None => Ok(None),
        Some(e) if e.is_finite() && e > 0.0 && e <= 1000.0 => Ok(Some(e)),
        Some(_) => Err(ValidationError::new(
            "effort_months",
            "effort is a SWAG in person-months: a number greater than 0 and at most 1000",
        )),
    }
}

/// A new piece of feedback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// The feedback itself.
    pub text: String,
    /// Where it came from.
    pub source: NoteSource,
    /// How much it matters to the customer; important if not given.
    #[serde(default = "default_importance")]
    pub importance: Importance,
    /// The customer company, if known.
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
    /// The contact at the customer, if known.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// Free tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// May this appear on public surfaces? Defaults to no.
    #[serde(default)]
    pub public_safe: bool,
}

fn default_importance() -> Importance {
    Importance::Important
}

impl NewNote {
    /// Validate and normalise against a text size limit in bytes.
    pub fn validate(mut self, max_text_bytes: usize) -> Result<Self, ValidationError> {
        if self.text.len() > max_text_bytes {
            return Err(ValidationError::too_large(
                "text",
                format!(
                    "note text is {} bytes; the limit is {max_text_bytes} bytes",
                    self.text.len()
                ),
            ));
        }
        self.text = required_text("text", &self.text, usize::MAX)?;
        self.tags = clean_tags("tags", &self.tags)?;
        Ok(self)
    }
}

/// A partial change to a note; absent fields are left as they are.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteChanges {
    /// New text.
    pub text: Option<String>,
    /// New source.
    pub source: Option<NoteSource>,
    /// New importance.
    pub importance: Option<Importance>,
    /// New customer (`null` is not distinguishable from absent; use `clear_customer`).
    pub customer_id: Option<CustomerId>,
    /// New contact.
    pub contact_id: Option<ContactId>,
    /// Remove the customer and contact.
    #[serde(default)]
    pub clear_customer: bool,
    /// Replace the tags.
    pub tags: Option<Vec<String>>,
    /// Change public safety.
    pub public_safe: Option<bool>,
}

impl NoteChanges {
    /// Validate the fields that are present.
    pub fn validate(mut self, max_text_bytes: usize) -> Result<Self, ValidationError> {
        if let Some(t) = &self.text {
            if t.len() > max_text_bytes {
                return Err(ValidationError::too_large(
                    "text",
                    format!(
                        "note text is {} bytes; the limit is {max_text_bytes} bytes",
                        t.len()
                    ),
                ));
            }
            self.text = Some(required_text("text", t, usize::MAX)?);
        }
        if let Some(tags) = &self.tags {
            self.tags = Some(clean_tags("tags", tags)?);
        }
        Ok(self)
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

/// A new customer company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCustomer {
    /// Company name.
    pub name: String,
    /// Web domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// ARR in whole dollars.
    #[serde(default)]
    pub arr: i64,
    /// Segment; SMB if not given.
    #[serde(default = "default_segment")]
    pub segment: Segment,
    /// Account owner.
    #[serde(default)]
    pub owner_id: Option<UserId>,
}

fn default_segment() -> Segment {
    Segment::Smb
}

fn clean_arr(arr: i64) -> Result<i64, ValidationError> {
    if (0..=1_000_000_000_000).contains(&arr) {
        Ok(arr)
    } else {
        Err(ValidationError::new(
            "arr",
            "ARR is whole dollars, from 0 to 1,000,000,000,000",
        ))
    }
}

impl NewCustomer {
    /// Validate and normalise.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = required_text("name", &self.name, MAX_TITLE_CHARS)?;
        self.domain =
            optional_text("domain", self.domain.as_deref(), 253)?.map(|d| d.to_lowercase());
        self.arr = clean_arr(self.arr)?;
        Ok(self)
    }
}

/// A partial change to a customer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerChanges {
    /// New name.
    pub name: Option<String>,
    /// New domain.
    pub domain: Option<String>,
    /// New ARR.
    pub arr: Option<i64>,
    /// New segment.
    pub segment: Option<Segment>,
    /// New owner.
    pub owner_id: Option<UserId>,
}

impl CustomerChanges {
    /// Validate the fields that are present.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        if let Some(n) = &self.name {
            self.name = Some(required_text("name", n, MAX_TITLE_CHARS)?);
        }
        if let Some(a) = self.arr {
            self.arr = Some(clean_arr(a)?);
        }
        if let Some(d) = &self.domain {
            self.domain = optional_text("domain", Some(d), 253)?.map(|d| d.to_lowercase());
        }
        Ok(self)
    }
}

/// A new contact at a customer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    /// Company.
    pub customer_id: CustomerId,
    /// Full name.
    pub name: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
}

impl NewContact {
    /// Validate and normalise.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = required_text("name", &self.name, MAX_TITLE_CHARS)?;
        self.email = optional_text("email", self.email.as_deref(), 254)?;
        if let Some(e) = &self.email
            && !looks_like_email(e)
        {
            return Err(ValidationError::new(
                "email",
                format!("'{e}' is not an email address"),
            ));
        }
        self.title = optional_text("title", self.title.as_deref(), 200)?;
        Ok(self)
    }
}

/// A partial change to a contact.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactChanges {
    /// New name.
    pub name: Option<String>,
    /// New email.
    pub email: Option<String>,
    /// New job title.
    pub title: Option<String>,
}

impl ContactChanges {
    /// Validate the fields that are present.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        if let Some(n) = &self.name {
            self.name = Some(required_text("name", n, MAX_TITLE_CHARS)?);
        }
        if let Some(e) = &self.email {
            let e = e.trim();
            if !e.is_empty() && !looks_like_email(e) {
                return Err(ValidationError::new(
                    "email",
                    format!("'{e}' is not an email address"),
                ));
            }
            self.email = Some(e.to_string());
        }
        if let Some(t) = &self.title {
            self.title = Some(optional_text("title", Some(t), 200)?.unwrap_or_default());
        }
        Ok(self)
    }
}

/// A cheap plausibility check: one `@` with text either side and a dot after.
pub fn looks_like_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !e.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// A new product area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewArea {
    /// URL-safe key; made from the name if not given.
    #[serde(default)]
    pub key: Option<String>,
    /// Display name.
    pub name: String,
    /// What it covers.
    #[serde(default)]
    pub description: String,
}

/// Make a URL-safe key from a name: lowercase letters and digits joined by `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

impl NewArea {
    /// Validate and normalise.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        self.name = required_text("name", &self.name, MAX_TITLE_CHARS)?;
        let key = slugify(self.key.as_deref().unwrap_or(&self.name));
        if key.is_empty() || key.len() > 60 {
            return Err(ValidationError::new(
                "key",
                "key needs 1 to 60 letters or digits",
            ));
        }
        self.key = Some(key);
        self.description = self.description.trim().to_string();
        Ok(self)
    }
}

/// A new comment on an idea.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// The comment.
    pub body: String,
}

impl NewComment {
    /// Validate and normalise.
    pub fn validate(mut self) -> Result<Self, ValidationError> {
        if self.body.len() > MAX_LONG_TEXT_BYTES {
            return Err(ValidationError::too_large(
                "body",
                "a comment is at most 64 KiB",
            ));
        }
        self.body = required_text("body", &self.body, usize::MAX)?;
        Ok(self)
    }
}

/// Link a note to an existing idea, optionally quoting the part that matters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkRequest {
    /// The idea to link to.
    pub idea_id: IdeaId,
    /// The highlighted excerpt: must be text from the note.
    #[serde(default)]
    pub excerpt: Option<String>,
}

/// Validate an excerpt against the note it quotes: it must appear in it.
pub fn clean_excerpt(
    note_text: &str,
    excerpt: Option<&str>,
) -> Result<Option<String>, ValidationError> {
    match excerpt.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) if note_text.contains(e) => Ok(Some(e.to_string())),
        Some(_) => Err(ValidationError::new(
            "excerpt",
            "the excerpt must be copied from the note's text",
        )),
    }
}

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
    use proptest::prelude::*;

    fn note(text: &str) -> NewNote {
        NewNote {
            text: text.into(),
            source: NoteSource::Email,
            importance: Importance::Important,
            customer_id: None,
            contact_id: None,
            tags: vec![],
            public_safe: false,
        }
    }

    #[test]
    fn note_text_over_limit_is_too_large() {
        let err = note(&"x".repeat(101)).validate(100).unwrap_err();
        assert_eq!(err.field, "text");
        assert_eq!(err.kind, crate::error::ValidationKind::TooLarge);
    }

    #[test]
    fn blank_note_is_missing() {
        let err = note("   ").validate(100).unwrap_err();
        assert_eq!(err.kind, crate::error::ValidationKind::Missing);
    }

    #[test]
    fn tags_are_normalised() {
        let mut n = note("hello");
        n.tags = vec![" SSO ".into(), "sso".into(), "".into(), "Okta".into()];
        assert_eq!(
            n.validate(100).unwrap().tags,
            vec!["sso".to_string(), "okta".to_string()]
        );
    }

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

    #[test]
    fn dates_must_be_real() {
        assert!(clean_date("due_date", Some("2026-02-30")).is_err());
        assert_eq!(
            clean_date("due_date", Some("2026-02-28"))
                .unwrap()
                .as_deref(),
            Some("2026-02-28")
        );
    }

    proptest! {
        #[test]
        fn effort_accepts_only_positive(e in -10.0f64..10.0) {
            let r = clean_effort(Some(e));
            prop_assert_eq!(r.is_ok(), e > 0.0);
        }

        #[test]
        fn slugify_is_url_safe(s in ".{0,50}") {
            let k = slugify(&s);
            prop_assert!(k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
            prop_assert!(!k.starts_with('-') && !k.ends_with('-'));
        }

        #[test]
        fn clean_tags_is_idempotent(tags in proptest::collection::vec("[a-zA-Z0-9 _+-]{0,12}", 0..8)) {
            if let Ok(once) = clean_tags("tags", &tags) {
                prop_assert_eq!(clean_tags("tags", &once).unwrap(), once);
            }
        }
    }
}
