//! Prioritisation session pages: the list with the "New session" form, and
//! one session where participants nominate ideas, spend their importance
//! and feasibility votes, and the facilitator closes it to reveal the tallies
//! and the 2×2 matrix (SVG drawn on the server by [`super::matrix`]). Every
//! action is a plain POST form with a CSRF token and a 303 back to the page,
//! so it works without JavaScript; a refused action re-renders the page with
//! the reason (422/409/403). Who may do what is decided in `bearing-app`.

use crate::AppState;
use crate::auth::SignedIn;
use crate::csrf::CsrfForm;
use crate::html::error;
use crate::html::layout::{
    FormErrors, Nav, TokenOnly, ago, form_error, page, page_status, reshow_form,
};
use crate::html::matrix::render_matrix;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bearing_app::AppError;
use bearing_app::sessions::{NewSession, ResultRow, SessionDetail, SessionListItem};
use bearing_domain::prioritisation::session::{PrioSessionId, VoteId};
use bearing_domain::*;

/// Form fields of the new-session form.
const SESSION_FIELDS: &[&str] = &[
    "title",
    "milestone",
    "participants",
    "max_nominations",
    "importance_votes",
    "feasibility_votes",
];

/// The new-session form as typed.
#[derive(Clone, Debug)]
pub struct SessionForm {
    /// Title.
    pub title: String,
    /// Milestone.
    pub milestone: String,
    /// Chosen participant ids.
    pub participants: Vec<String>,
    /// Nominations per participant.
    pub max_nominations: String,
    /// Importance votes per participant.
    pub importance_votes: String,
    /// Feasibility votes per participant.
    pub feasibility_votes: String,
}

impl Default for SessionForm {
    fn default() -> Self {
        let d = SessionLimits::default();
        Self {
            title: String::new(),
            milestone: String::new(),
            participants: Vec::new(),
            max_nominations: d.max_nominations.to_string(),
            importance_votes: d.importance_votes.to_string(),
            feasibility_votes: d.feasibility_votes.to_string(),
        }
    }
}

/// A user who can be invited.
#[derive(Clone, Debug)]
pub struct PersonOption {
    /// User id.
    pub id: String,
    /// Name and role.
    pub label: String,
    /// Chosen in the form?
    pub selected: bool,
}

/// A session in the list.
#[derive(Clone, Debug)]
pub struct SessionRowView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Milestone.
    pub milestone: String,
    /// Open?
    pub open: bool,
    /// Facilitator's name.
    pub facilitator: String,
    /// Does the viewer take part?
    pub participating: bool,
    /// Opened, relative.
    pub created: String,
}

impl From<SessionListItem> for SessionRowView {
    fn from(i: SessionListItem) -> Self {
        SessionRowView {
            id: i.session.id.to_string(),
            open: i.session.is_open(),
            title: i.session.title,
            milestone: i.session.milestone,
            facilitator: i.session.facilitator_name.unwrap_or_else(|| "—".into()),
            participating: i.participating,
            created: ago(i.session.created_at),
        }
    }
}

/// The sessions list page.
#[derive(Template)]
#[template(path = "sessions.html")]
pub(crate) struct SessionsPage {
    /// Navigation.
    pub nav: Nav,
    /// Sessions, newest first.
    pub rows: Vec<SessionRowView>,
    /// May the viewer open a session?
    pub can_manage: bool,
    /// People who can be invited (not the viewer, not viewers).
    pub people: Vec<PersonOption>,
    /// The form as typed.
    pub form: SessionForm,
    /// Form errors.
    pub errors: FormErrors,
}

async fn sessions_page(
    state: &AppState,
    session: &SignedIn,
    form: SessionForm,
    errors: FormErrors,
) -> Result<SessionsPage, AppError> {
    let rows = state
        .app
        .sessions(&session.actor)
        .await?
        .into_iter()
        .map(SessionRowView::from)
        .collect();
    let me = session.actor.user.id;
    let people = state
        .app
        .users()
        .await?
        .into_iter()
        .filter(|u| u.id != me && u.role.can_contribute())
        .map(|u| {
            let id = u.id.to_string();
            PersonOption {
                selected: form.participants.contains(&id),
                label: format!("{} ({})", u.name, u.role.label()),
                id,
            }
        })
        .collect();
    Ok(SessionsPage {
        nav: Nav::new(session, "prioritise"),
        rows,
        can_manage: session.actor.user.role.can_manage(),
        people,
        form,
        errors,
    })
}

/// `GET /sessions`.
pub async fn list(State(state): State<AppState>, session: SignedIn) -> Response {
    page(sessions_page(&state, &session, SessionForm::default(), FormErrors::none()).await)
}

fn limit_field(raw: &str, field: &str) -> Result<Option<u32>, ValidationError> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<u32>()
        .map(Some)
        .map_err(|_| ValidationError::new(field, "enter a whole number from 1 to 50"))
}

fn session_input(f: &SessionForm) -> Result<NewSession, ValidationError> {
    let participants = f
        .participants
        .iter()
        .map(|p| {
            p.parse::<UserId>()
                .map_err(|_| ValidationError::new("participants", "choose people from the list"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(NewSession {
        title: f.title.clone(),
        milestone: f.milestone.clone(),
        participants,
        max_nominations: limit_field(&f.max_nominations, "max_nominations")?,
        importance_votes: limit_field(&f.importance_votes, "importance_votes")?,
        feasibility_votes: limit_field(&f.feasibility_votes, "feasibility_votes")?,
    })
}

/// `POST /sessions`: open a session, then go to it. The body is read as
/// pairs because the participants select sends one value per person.
pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let mut f = SessionForm {
        max_nominations: String::new(),
        importance_votes: String::new(),
        feasibility_votes: String::new(),
        ..SessionForm::default()
    };
    for (k, v) in pairs {
        match k.as_str() {
            "title" => f.title = v,
            "milestone" => f.milestone = v,
            "participants" => f.participants.push(v),
            "max_nominations" => f.max_nominations = v,
            "importance_votes" => f.importance_votes = v,
            "feasibility_votes" => f.feasibility_votes = v,
            _ => {}
        }
    }
    let result = match session_input(&f) {
        Ok(input) => state.app.create_session(&session.actor, input).await,
        Err(v) => Err(v.into()),
    };
    match result {
        Ok(s) => Redirect::to(&format!("/sessions/{}", s.id)).into_response(),
        Err(e) => {
            reshow_form(e, SESSION_FIELDS, |errors| {
                sessions_page(&state, &session, f, errors)
            })
            .await
        }
    }
}

/// A nominated idea on the session page.
#[derive(Clone, Debug)]
pub struct NominationRowView {
    /// Idea id.
    pub idea_id: String,
    /// Title.
    pub title: String,
    /// Who nominated it.
    pub nominated_by: String,
    /// The viewer's importance votes on it.
    pub my_importance: u32,
    /// The viewer's feasibility votes on it.
    pub my_feasibility: u32,
    /// The viewer's latest importance vote on it, to take back.
    pub undo_importance: Option<String>,
    /// The viewer's latest feasibility vote on it, to take back.
    pub undo_feasibility: Option<String>,
}

/// A participant's progress.
#[derive(Clone, Debug)]
pub struct ParticipantRowView {
    /// Name.
    pub name: String,
    /// "2 of 5" nominations.
    pub nominations: String,
    /// "3 of 5" importance votes.
    pub importance: String,
    /// "1 of 5" feasibility votes.
    pub feasibility: String,
}

/// The session page.
#[derive(Template)]
#[template(path = "session.html")]
pub(crate) struct SessionPage {
    /// Navigation.
    pub nav: Nav,
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Milestone.
    pub milestone: String,
    /// Open?
    pub open: bool,
    /// Facilitator's name.
    pub facilitator: String,
    /// Opened, relative.
    pub created: String,
    /// Closed, relative.
    pub closed: Option<String>,
    /// Does the viewer take part?
    pub participating: bool,
    /// The viewer's nominations left.
    pub nominations_left: u32,
    /// The viewer's importance votes left.
    pub importance_left: u32,
    /// The viewer's feasibility votes left.
    pub feasibility_left: u32,
    /// Budgets per participant.
    pub limits: SessionLimits,
    /// Ideas that may be nominated: (id, title).
    pub candidates: Vec<(String, String)>,
    /// Nominated ideas.
    pub nominations: Vec<NominationRowView>,
    /// Participants.
    pub participants: Vec<ParticipantRowView>,
    /// May the viewer close it?
    pub can_close: bool,
    /// Results, most important first (closed only).
    pub results: Vec<ResultRow>,
    /// The matrix as inline SVG (closed only); escaped by the renderer.
    pub matrix_svg: Option<String>,
    /// Why the last action was refused.
    pub errors: FormErrors,
}

async fn session_page(
    state: &AppState,
    session: &SignedIn,
    id: PrioSessionId,
    errors: FormErrors,
) -> Result<SessionPage, AppError> {
    let d: SessionDetail = state.app.session_detail(&session.actor, id).await?;
    let open = d.session.is_open();
    let candidates = if open && d.me.is_some() {
        state
            .app
            .nominatable_ideas(id)
            .await?
            .into_iter()
            .map(|(i, t)| (i.to_string(), t))
            .collect()
    } else {
        Vec::new()
    };
    let last_vote = |idea: IdeaId, kind: VoteKind| {
        d.my_votes
            .iter()
            .rev()
            .find(|v| v.idea_id == idea && v.kind == kind)
            .map(|v| v.id.to_string())
    };
    let nominations = d
        .nominations
        .iter()
        .map(|n| NominationRowView {
            idea_id: n.idea_id.to_string(),
            title: n.title.clone(),
            nominated_by: n
                .nominated_by_name
                .clone()
                .unwrap_or_else(|| "Someone".into()),
            my_importance: n.my_importance,
            my_feasibility: n.my_feasibility,
            undo_importance: last_vote(n.idea_id, VoteKind::Importance),
            undo_feasibility: last_vote(n.idea_id, VoteKind::Feasibility),
        })
        .collect();
    let limits = d.session.limits;
    let participants = d
        .participants
        .iter()
        .map(|p| ParticipantRowView {
            name: p.name.clone(),
            nominations: format!("{} of {}", p.nominations_used, limits.max_nominations),
            importance: format!("{} of {}", p.importance_used, limits.importance_votes),
            feasibility: format!("{} of {}", p.feasibility_used, limits.feasibility_votes),
        })
        .collect();
    let results = d.results.unwrap_or_default();
    let matrix_svg = (!open).then(|| {
        let points: Vec<(MatrixPoint, String)> = results
            .iter()
            .map(|r| (r.point.clone(), r.title.clone()))
            .collect();
        render_matrix(&points)
    });
    Ok(SessionPage {
        nav: Nav::new(session, "prioritise"),
        id: d.session.id.to_string(),
        title: d.session.title,
        milestone: d.session.milestone,
        open,
        facilitator: d.session.facilitator_name.unwrap_or_else(|| "—".into()),
        created: ago(d.session.created_at),
        closed: d.session.closed_at.map(ago),
        participating: d.me.is_some(),
        nominations_left: d.me.as_ref().map_or(0, |m| m.nominations_left),
        importance_left: d.me.as_ref().map_or(0, |m| m.importance_left),
        feasibility_left: d.me.as_ref().map_or(0, |m| m.feasibility_left),
        limits,
        candidates,
        nominations,
        participants,
        can_close: d.can_close,
        results,
        matrix_svg,
        errors,
    })
}

fn parse_session(id: &str) -> Option<PrioSessionId> {
    id.parse().ok()
}

/// `GET /sessions/{id}`.
pub async fn show(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = parse_session(&id) else {
        return error::not_found("session");
    };
    page(session_page(&state, &session, id, FormErrors::none()).await)
}

/// After an action: back to the page on success; on a refusal, the page
/// again with the reason and a fitting status.
async fn after(
    state: &AppState,
    session: &SignedIn,
    id: PrioSessionId,
    result: Result<(), AppError>,
    anchor: &str,
) -> Response {
    let e = match result {
        Ok(()) => return Redirect::to(&format!("/sessions/{id}{anchor}")).into_response(),
        Err(e) => e,
    };
    let status = match &e {
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let errors = match e {
        AppError::Forbidden(m) => FormErrors::on("", m, &[]),
        other => match form_error(other, &[]) {
            Ok(errors) => errors,
            Err(e) => return error::page(e),
        },
    };
    page_status(status, session_page(state, session, id, errors).await)
}

/// Body of `POST /sessions/{id}/nominations`.
#[derive(Debug, serde::Deserialize)]
pub struct NominateForm {
    /// The idea.
    #[serde(default)]
    pub idea_id: String,
}

/// `POST /sessions/{id}/nominations`.
pub async fn nominate(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, f): CsrfForm<NominateForm>,
) -> Response {
    let Some(id) = parse_session(&id) else {
        return error::not_found("session");
    };
    let result = match f.idea_id.trim().parse::<IdeaId>() {
        Ok(idea) => state.app.nominate(&session.actor, id, idea).await,
        Err(_) => Err(ValidationError::new("idea_id", "choose an idea to nominate").into()),
    };
    after(&state, &session, id, result, "#nominations").await
}

/// Body of `POST /sessions/{id}/votes`.
#[derive(Debug, serde::Deserialize)]
pub struct VoteForm {
    /// The idea.
    #[serde(default)]
    pub idea_id: String,
    /// `importance` or `feasibility`.
    #[serde(default)]
    pub kind: String,
}

/// `POST /sessions/{id}/votes`.
pub async fn vote(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, f): CsrfForm<VoteForm>,
) -> Response {
    let Some(id) = parse_session(&id) else {
        return error::not_found("session");
    };
    let parsed = f
        .idea_id
        .trim()
        .parse::<IdeaId>()
        .map_err(|_| ValidationError::new("idea_id", "choose an idea"))
        .and_then(|idea| VoteKind::parse_field(&f.kind, "kind").map(|k| (idea, k)));
    let result = match parsed {
        Ok((idea, kind)) => state
            .app
            .vote(&session.actor, id, idea, kind)
            .await
            .map(|_| ()),
        Err(v) => Err(v.into()),
    };
    after(&state, &session, id, result, "#nominations").await
}

/// Body of `POST /sessions/{id}/votes/retract`.
#[derive(Debug, serde::Deserialize)]
pub struct RetractForm {
    /// The vote to take back.
    #[serde(default)]
    pub vote_id: String,
}

/// `POST /sessions/{id}/votes/retract`: take back one of your votes.
pub async fn retract(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, f): CsrfForm<RetractForm>,
) -> Response {
    let Some(id) = parse_session(&id) else {
        return error::not_found("session");
    };
    let result = match f.vote_id.trim().parse::<VoteId>() {
        Ok(v) => state.app.retract_vote(&session.actor, id, v).await,
        Err(_) => Err(AppError::NotFound("vote".into())),
    };
    after(&state, &session, id, result, "#nominations").await
}

/// `POST /sessions/{id}/close`: the facilitator closes the session.
pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, TokenOnly {}): CsrfForm<TokenOnly>,
) -> Response {
    let Some(id) = parse_session(&id) else {
        return error::not_found("session");
    };
    let result = state
        .app
        .close_session(&session.actor, id)
        .await
        .map(|_| ());
    after(&state, &session, id, result, "#results").await
}
