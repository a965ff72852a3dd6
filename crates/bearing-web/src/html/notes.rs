//! Notes: log new feedback, read one note with its customer, links and
//! history, and process it (link to an idea, create an idea from it, or
//! decline it as won't do).

use crate::AppState;
use crate::auth::SignedIn;
use crate::csrf::CsrfForm;
use crate::html::choices::ideas_by_title;
use crate::html::choices::{area_choices, customer_choices};
use crate::html::error;
use crate::html::layout::{
    Choice, FormErrors, Nav, ago, choices, excerpt, non_empty, page, parse_opt_id, reshow_form,
    split_list,
};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use bearing_app::AppError;
use bearing_domain::*;
use serde::Deserialize;
use std::collections::HashMap;

/// Fields of the new-note form, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct NoteForm {
    /// The feedback.
    #[serde(default)]
    pub text: String,
    /// Source key.
    #[serde(default)]
    pub source: String,
    /// Importance key.
    #[serde(default)]
    pub importance: String,
    /// Customer id, blank for none.
    #[serde(default)]
    pub customer: String,
    /// Comma-separated tags.
    #[serde(default)]
    pub tags: String,
    /// Present when the public-safe box is ticked.
    #[serde(default)]
    pub public_safe: Option<String>,
}

const NOTE_FIELDS: &[&str] = &["text", "source", "importance", "customer_id", "tags"];

/// The new-note page.
#[derive(Template)]
#[template(path = "note_new.html")]
pub(crate) struct NewNotePage {
    /// Navigation.
    pub nav: Nav,
    /// What was typed.
    pub form: NoteForm,
    /// Source options.
    pub sources: Vec<Choice>,
    /// Importance options.
    pub importances: Vec<Choice>,
    /// Customer options.
    pub customers: Vec<Choice>,
    /// Validation errors.
    pub errors: FormErrors,
}

async fn new_note_page(
    state: &AppState,
    session: &SignedIn,
    form: NoteForm,
    errors: FormErrors,
) -> Result<NewNotePage, AppError> {
    let customers = customer_choices(state, &form.customer, "Anonymous / unknown").await?;
    let source = if form.source.is_empty() {
        NoteSource::SalesCall.as_str()
    } else {
        form.source.as_str()
    };
    let importance = if form.importance.is_empty() {
        Importance::Important.as_str()
    } else {
        form.importance.as_str()
    };
    Ok(NewNotePage {
        nav: Nav::new(session, "inbox"),
        sources: choices(
            NoteSource::ALL.iter().map(|s| (s.as_str(), s.label())),
            source,
            None,
        ),
        importances: choices(
            Importance::ALL.iter().map(|s| (s.as_str(), s.label())),
            importance,
            None,
        ),
        customers,
        form,
        errors,
    })
}

/// `GET /notes/new`.
pub async fn new_form(State(state): State<AppState>, session: SignedIn) -> Response {
    page(new_note_page(&state, &session, NoteForm::default(), FormErrors::none()).await)
}

fn note_input(f: &NoteForm) -> Result<NewNote, ValidationError> {
    Ok(NewNote {
        text: f.text.clone(),
        source: NoteSource::parse_field(&f.source, "source")?,
        importance: Importance::parse_field(&f.importance, "importance")?,
        customer_id: parse_opt_id(&f.customer, "customer_id")?,
        contact_id: None,
        tags: split_list(&f.tags),
        public_safe: f.public_safe.is_some(),
    })
}

/// `POST /notes`: log a note, then open it.
pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, f): CsrfForm<NoteForm>,
) -> Response {
    let result = match note_input(&f) {
        Ok(input) => state.app.create_note(&session.actor, input).await,
        Err(v) => Err(v.into()),
    };
    match result {
        Ok(note) => Redirect::to(&format!("/notes/{}", note.id)).into_response(),
        Err(e) => {
            reshow_form(e, NOTE_FIELDS, |errors| {
                new_note_page(&state, &session, f, errors)
            })
            .await
        }
    }
}

/// An idea linked to the note.
#[derive(Clone, Debug)]
pub struct LinkedIdeaView {
    /// Idea id.
    pub id: IdeaId,
    /// Title.
    pub title: String,
    /// Status.
    pub status: IdeaStatus,
    /// The quoted excerpt, if any.
    pub excerpt: Option<String>,
}

/// One line of history.
#[derive(Clone, Debug)]
pub struct ActivityView {
    /// What happened.
    pub action: String,
    /// Who did it.
    pub actor: String,
    /// When, relative.
    pub ago: String,
    /// When, as a date.
    pub date: String,
}

/// Fields of the three processing forms, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ProcessForm {
    /// `link`, `create` or `wont_do`.
    #[serde(default)]
    pub action: String,
    /// Existing idea to link to.
    #[serde(default)]
    pub idea_id: String,
    /// Excerpt for the link.
    #[serde(default)]
    pub excerpt: String,
    /// New idea title.
    #[serde(default)]
    pub title: String,
    /// New idea problem statement.
    #[serde(default)]
    pub problem: String,
    /// New idea proposal.
    #[serde(default)]
    pub proposal: String,
    /// New idea area id.
    #[serde(default)]
    pub area_id: String,
    /// Reason for declining.
    #[serde(default)]
    pub wont_do_reason: String,
}

/// The note page.
#[derive(Template)]
#[template(path = "note.html")]
pub(crate) struct NotePage {
    /// Navigation.
    pub nav: Nav,
    /// The note.
    pub note: Note,
    /// Who asked.
    pub customer: Option<Customer>,
    /// The person at the customer.
    pub contact: Option<Contact>,
    /// Who logged it.
    pub reporter: Option<String>,
    /// Who processed it.
    pub processed_by: Option<String>,
    /// When it was logged, relative.
    pub ago: String,
    /// Linked ideas.
    pub ideas: Vec<LinkedIdeaView>,
    /// History.
    pub activity: Vec<ActivityView>,
    /// May the user process notes?
    pub can_manage: bool,
    /// Ideas to link to.
    pub idea_choices: Vec<Choice>,
    /// Areas for a new idea.
    pub area_choices: Vec<Choice>,
    /// What was typed into the processing forms.
    pub form: ProcessForm,
    /// Errors of the link form.
    pub link_errors: FormErrors,
    /// Errors of the create-idea form.
    pub create_errors: FormErrors,
    /// Errors of the won't-do form.
    pub wont_errors: FormErrors,
    /// Existing ideas most like this note (not yet linked), for one-click linking.
    pub similar: Vec<bearing_app::search::SimilarIdea>,
}

fn parse_note_id(id: &str) -> Option<NoteId> {
    id.parse().ok()
}

async fn note_page(
    state: &AppState,
    session: &SignedIn,
    id: NoteId,
    form: Option<ProcessForm>,
    err: Option<(String, FormErrors)>,
) -> Result<NotePage, AppError> {
    let d = state.app.note_detail(id).await?;
    let names: HashMap<UserId, String> = state
        .app
        .users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let can_manage = session.actor.user.role.can_manage();
    let (idea_choices, areas) = if can_manage {
        let ideas = ideas_by_title(state).await?;
        let area = form.as_ref().map_or("", |f| f.area_id.as_str());
        let areas = area_choices(state, area, "No area").await?;
        let current = form.as_ref().map_or("", |f| f.idea_id.as_str());
        (
            choices(
                ideas
                    .into_iter()
                    .map(|r| (r.idea.id.to_string(), r.idea.title)),
                current,
                Some("Choose an idea…"),
            ),
            areas,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let similar = if can_manage {
        let linked: Vec<IdeaId> = d.ideas.iter().map(|l| l.idea.id).collect();
        state
            .app
            .similar_ideas(&d.note.text, Some(id), &linked, 5)
            .await?
    } else {
        Vec::new()
    };
    let form = form.unwrap_or_else(|| ProcessForm {
        title: excerpt(&d.note.text, 80),
        problem: d.note.text.clone(),
        ..Default::default()
    });
    let (mut link_errors, mut create_errors, mut wont_errors) =
        (FormErrors::none(), FormErrors::none(), FormErrors::none());
    match err {
        Some((which, e)) if which == "link" => link_errors = e,
        Some((which, e)) if which == "create" => create_errors = e,
        Some((_, e)) => wont_errors = e,
        None => {}
    }
    Ok(NotePage {
        nav: Nav::new(session, "inbox"),
        reporter: d.reporter.map(|u| u.name),
        processed_by: d.processed_by.map(|u| u.name),
        ago: ago(d.note.created_at),
        ideas: d
            .ideas
            .into_iter()
            .map(|l| LinkedIdeaView {
                id: l.idea.id,
                title: l.idea.title,
                status: l.idea.status,
                excerpt: l.link.excerpt,
            })
            .collect(),
        activity: d
            .activity
            .into_iter()
            .map(|a| ActivityView {
                action: a.action.replace('_', " "),
                actor: a
                    .actor_id
                    .and_then(|u| names.get(&u).cloned())
                    .unwrap_or_else(|| "System".to_string()),
                ago: ago(a.at),
                date: a.at.date(),
            })
            .collect(),
        note: d.note,
        customer: d.customer,
        contact: d.contact,
        can_manage,
        idea_choices,
        area_choices: areas,
        form,
        link_errors,
        create_errors,
        wont_errors,
        similar,
    })
}

/// `GET /notes/{id}`.
pub async fn show(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = parse_note_id(&id) else {
        return error::not_found("note");
    };
    page(note_page(&state, &session, id, None, None).await)
}

const LINK_FIELDS: &[&str] = &["idea_id", "excerpt"];
const CREATE_FIELDS: &[&str] = &["title", "problem", "proposal", "area_id"];
const WONT_FIELDS: &[&str] = &["wont_do_reason"];

fn process_input(f: &ProcessForm) -> Result<ProcessNote, ValidationError> {
    match f.action.as_str() {
        "link" => {
            let idea_id = parse_opt_id::<IdeaId>(&f.idea_id, "idea_id")?
                .ok_or_else(|| ValidationError::missing("idea_id", "choose an idea to link to"))?;
            Ok(ProcessNote {
                links: vec![LinkRequest {
                    idea_id,
                    excerpt: non_empty(&f.excerpt).map(str::to_string),
                }],
                ..Default::default()
            })
        }
        "create" => Ok(ProcessNote {
            new_idea: Some(NewIdea {
                title: f.title.clone(),
                problem: f.problem.clone(),
                proposal: f.proposal.clone(),
                area_id: parse_opt_id(&f.area_id, "area_id")?,
                owner_id: None,
                status: IdeaStatus::New,
                effort_months: None,
                timeframe: None,
                due_date: None,
                labels: Vec::new(),
                tracker_links: Vec::new(),
            }),
            ..Default::default()
        }),
        "wont_do" => match non_empty(&f.wont_do_reason) {
            Some(r) => Ok(ProcessNote {
                wont_do_reason: Some(r.to_string()),
                ..Default::default()
            }),
            None => Err(ValidationError::missing(
                "wont_do_reason",
                "say why, so the reporter can tell the customer",
            )),
        },
        _ => Err(ValidationError::new(
            "action",
            "choose how to process the note",
        )),
    }
}

/// `POST /notes/{id}/process`: link, create an idea, or decline.
pub async fn process(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, f): CsrfForm<ProcessForm>,
) -> Response {
    let Some(id) = parse_note_id(&id) else {
        return error::not_found("note");
    };
    let result = match process_input(&f) {
        Ok(req) => state.app.process_note(&session.actor, id, req).await,
        Err(v) => Err(v.into()),
    };
    match result {
        Ok(done) => match done.new_idea {
            Some(idea) => Redirect::to(&format!("/ideas/{idea}")).into_response(),
            None => Redirect::to(&format!("/notes/{id}")).into_response(),
        },
        Err(e) => {
            let fields = match f.action.as_str() {
                "link" => LINK_FIELDS,
                "create" => CREATE_FIELDS,
                _ => WONT_FIELDS,
            };
            let which = f.action.clone();
            reshow_form(e, fields, |errors| {
                note_page(&state, &session, id, Some(f), Some((which, errors)))
            })
            .await
        }
    }
}
