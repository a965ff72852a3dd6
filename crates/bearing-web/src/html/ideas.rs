//! Ideas: the list with filters and sorting, the new-idea form, and one
//! idea with its problem, proposal, the customer feedback behind it,
//! comments, followers and history.

use crate::AppState;
use crate::auth::SignedIn;
use crate::csrf::CsrfForm;
use crate::html::choices::area_choices;
use crate::html::error;
use crate::html::layout::{
    Choice, FormErrors, Highlighted, Nav, ago, arr, choices, non_empty, num, opt_enum, page,
    page_status, parse_opt_id, query_string, reshow_form, split_list,
};
use crate::html::notes::ActivityView;
use crate::html::priority::PriorityView;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bearing_app::AppError;
use bearing_domain::*;
use serde::Deserialize;

/// Query of `GET /ideas`; blank values mean "any".
#[derive(Debug, Default, Deserialize)]
pub struct IdeasQuery {
    /// Status key.
    #[serde(default)]
    pub status: String,
    /// Area id.
    #[serde(default)]
    pub area: String,
    /// Label.
    #[serde(default)]
    pub label: String,
    /// Sort key.
    #[serde(default)]
    pub sort: String,
    /// Page cursor.
    #[serde(default)]
    pub cursor: String,
}

/// An idea as a list row.
#[derive(Clone, Debug)]
pub struct IdeaRowView {
    /// Id.
    pub id: IdeaId,
    /// Title.
    pub title: String,
    /// Area name.
    pub area: Option<String>,
    /// Status.
    pub status: IdeaStatus,
    /// Labels.
    pub labels: Vec<String>,
    /// Last changed, relative.
    pub updated: String,
    /// RICE score, formatted, or "–".
    pub rice: String,
    /// Demand score, formatted.
    pub demand: String,
}

/// The ideas list page.
#[derive(Template)]
#[template(path = "ideas.html")]
pub(crate) struct IdeasPage {
    /// Navigation.
    pub nav: Nav,
    /// Status options.
    pub statuses: Vec<Choice>,
    /// Area options.
    pub areas: Vec<Choice>,
    /// The label filter as typed.
    pub label: String,
    /// Sort options.
    pub sorts: Vec<Choice>,
    /// Are any filters set?
    pub filtered: bool,
    /// Rows.
    pub rows: Vec<IdeaRowView>,
    /// Next page link.
    pub next_href: Option<String>,
    /// May the user create ideas?
    pub can_manage: bool,
}

/// `GET /ideas`.
pub async fn list(
    State(state): State<AppState>,
    session: SignedIn,
    Query(q): Query<IdeasQuery>,
) -> Response {
    page(build_list(&state, &session, q).await)
}

async fn build_list(
    state: &AppState,
    session: &SignedIn,
    q: IdeasQuery,
) -> Result<IdeasPage, AppError> {
    let sort = if q.sort.trim().is_empty() {
        IdeaSort::default()
    } else {
        IdeaSort::parse(&q.sort)?
    };
    let filter = IdeaFilter {
        status: opt_enum(&q.status, "status", IdeaStatus::parse_field)?,
        area_id: parse_opt_id(&q.area, "area")?,
        label: non_empty(&q.label).map(str::to_string),
        ..Default::default()
    };
    let page = state
        .app
        .list_ideas(&filter, sort, &PageRequest::parse(Some(&q.cursor), None)?)
        .await?;
    let areas = area_choices(state, q.area.trim(), "Any area").await?;
    let next_href = page.next_cursor.map(|c| {
        format!(
            "/ideas{}",
            query_string(&[
                ("status", &q.status),
                ("area", &q.area),
                ("label", &q.label),
                ("sort", &q.sort),
                ("cursor", &c)
            ])
        )
    });
    Ok(IdeasPage {
        nav: Nav::new(session, "ideas"),
        statuses: choices(
            IdeaStatus::ALL.iter().map(|s| (s.as_str(), s.label())),
            q.status.trim(),
            Some("Any status"),
        ),
        areas,
        sorts: choices(
            IdeaSort::ALL.iter().map(|s| (s.as_str(), s.label())),
            sort.as_str(),
            None,
        ),
        filtered: !(q.status.trim().is_empty()
            && q.area.trim().is_empty()
            && q.label.trim().is_empty()),
        label: q.label,
        rows: page
            .items
            .into_iter()
            .map(|r| IdeaRowView {
                id: r.idea.id,
                title: r.idea.title,
                area: r.area_name,
                status: r.idea.status,
                labels: r.idea.labels,
                updated: ago(r.idea.updated_at),
                rice: r.idea.rice.as_ref().map_or("–".into(), |x| num(x.score)),
                demand: num(r.idea.demand_score),
            })
            .collect(),
        next_href,
        can_manage: session.actor.user.role.can_manage(),
    })
}

/// Fields of the new-idea form, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct IdeaForm {
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Problem statement.
    #[serde(default)]
    pub problem: String,
    /// Proposal.
    #[serde(default)]
    pub proposal: String,
    /// Area id.
    #[serde(default)]
    pub area_id: String,
    /// Status key.
    #[serde(default)]
    pub status: String,
    /// Effort in person-months.
    #[serde(default)]
    pub effort_months: String,
    /// Timeframe key.
    #[serde(default)]
    pub timeframe: String,
    /// Comma-separated labels.
    #[serde(default)]
    pub labels: String,
}

const IDEA_FIELDS: &[&str] = &[
    "title",
    "problem",
    "proposal",
    "area_id",
    "status",
    "effort_months",
    "timeframe",
    "labels",
];

/// The new-idea page.
#[derive(Template)]
#[template(path = "idea_new.html")]
pub(crate) struct NewIdeaPage {
    /// Navigation.
    pub nav: Nav,
    /// What was typed.
    pub form: IdeaForm,
    /// Area options.
    pub areas: Vec<Choice>,
    /// Status options.
    pub statuses: Vec<Choice>,
    /// Timeframe options.
    pub timeframes: Vec<Choice>,
    /// Validation errors.
    pub errors: FormErrors,
    /// Existing ideas like the title typed so far (server-rendered fallback).
    pub similar: crate::html::search::SimilarPartial,
}

async fn new_idea_page(
    state: &AppState,
    session: &SignedIn,
    form: IdeaForm,
    errors: FormErrors,
) -> Result<NewIdeaPage, AppError> {
    let areas = area_choices(state, &form.area_id, "No area").await?;
    let status = if form.status.is_empty() {
        IdeaStatus::New.as_str()
    } else {
        form.status.as_str()
    };
    let similar = if form.title.trim().is_empty() {
        crate::html::search::SimilarPartial {
            ideas: Vec::new(),
            asked: false,
        }
    } else {
        crate::html::search::similar_for(state, &form.title, &form.problem).await?
    };
    Ok(NewIdeaPage {
        similar,
        nav: Nav::new(session, "ideas"),
        areas,
        statuses: choices(
            IdeaStatus::ALL.iter().map(|s| (s.as_str(), s.label())),
            status,
            None,
        ),
        timeframes: choices(
            Timeframe::ALL.iter().map(|s| (s.as_str(), s.label())),
            &form.timeframe,
            Some("Not set"),
        ),
        form,
        errors,
    })
}

/// `GET /ideas/new`.
pub async fn new_form(
    State(state): State<AppState>,
    session: SignedIn,
    Query(q): Query<crate::html::search::SimilarQuery>,
) -> Response {
    let form = IdeaForm {
        title: q.title,
        problem: q.problem,
        ..Default::default()
    };
    page(new_idea_page(&state, &session, form, FormErrors::none()).await)
}

fn idea_input(f: &IdeaForm) -> Result<NewIdea, ValidationError> {
    let effort_months = match non_empty(&f.effort_months) {
        None => None,
        Some(e) => Some(e.parse::<f64>().map_err(|_| {
            ValidationError::new(
                "effort_months",
                "effort is a number of person-months, like 1.5",
            )
        })?),
    };
    Ok(NewIdea {
        title: f.title.clone(),
        problem: f.problem.clone(),
        proposal: f.proposal.clone(),
        area_id: parse_opt_id(&f.area_id, "area_id")?,
        owner_id: None,
        status: opt_enum(&f.status, "status", IdeaStatus::parse_field)?.unwrap_or(IdeaStatus::New),
        effort_months,
        timeframe: opt_enum(&f.timeframe, "timeframe", Timeframe::parse_field)?,
        due_date: None,
        labels: split_list(&f.labels),
        tracker_links: Vec::new(),
    })
}

/// `POST /ideas`: create an idea, then open it.
pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, f): CsrfForm<IdeaForm>,
) -> Response {
    let result = match idea_input(&f) {
        Ok(input) => state.app.create_idea(&session.actor, input).await,
        Err(v) => Err(v.into()),
    };
    match result {
        Ok(idea) => Redirect::to(&format!("/ideas/{}", idea.id)).into_response(),
        Err(e) => {
            reshow_form(e, IDEA_FIELDS, |errors| {
                new_idea_page(&state, &session, f, errors)
            })
            .await
        }
    }
}

/// A note behind the idea, with who said it.
#[derive(Clone, Debug)]
pub struct LinkedNoteView {
    /// Note id.
    pub note_id: NoteId,
    /// Customer id and name, if known.
    pub customer: Option<(CustomerId, String)>,
    /// Customer segment label.
    pub segment: Option<&'static str>,
    /// Customer ARR, formatted.
    pub arr: Option<String>,
    /// Importance.
    pub importance: Importance,
    /// Source.
    pub source: NoteSource,
    /// The note text split around its excerpt.
    pub text: Highlighted,
    /// When the note was logged, relative.
    pub ago: String,
}

/// A comment with its author.
#[derive(Clone, Debug)]
pub struct CommentView {
    /// Author name.
    pub author: String,
    /// Written, relative.
    pub ago: String,
    /// Written, as a date.
    pub date: String,
    /// Body.
    pub body: String,
}

/// The idea page.
#[derive(Template)]
#[template(path = "idea.html")]
pub(crate) struct IdeaPage {
    /// Navigation.
    pub nav: Nav,
    /// The idea.
    pub idea: Idea,
    /// Area name.
    pub area: Option<String>,
    /// Owner name.
    pub owner: Option<String>,
    /// Effort, formatted.
    pub effort: Option<String>,
    /// Linked notes.
    pub notes: Vec<LinkedNoteView>,
    /// Distinct customers asking, and their combined ARR.
    pub customer_count: usize,
    /// Combined ARR of those customers, formatted.
    pub total_arr: String,
    /// Comments, oldest first.
    pub comments: Vec<CommentView>,
    /// Follower names.
    pub followers: Vec<String>,
    /// Does the signed-in user follow it?
    pub following: bool,
    /// History.
    pub activity: Vec<ActivityView>,
    /// Last changed, relative.
    pub updated: String,
    /// May the user comment?
    pub can_contribute: bool,
    /// The comment as typed (after a failed post).
    pub comment: String,
    /// Comment form errors.
    pub errors: FormErrors,
    /// The Priority card.
    pub priority: PriorityView,
    /// The merge card (duplicates).
    pub merges: crate::html::merges::MergeCard,
}

async fn idea_page(
    state: &AppState,
    session: &SignedIn,
    id: IdeaId,
    comment: String,
    errors: FormErrors,
    rice_errors: FormErrors,
) -> Result<IdeaPage, AppError> {
    let d = state.app.idea_detail(id).await?;
    let mode = state.app.reach_mode().await?;
    let priority = PriorityView::new(
        &d.idea,
        mode,
        &d.demand,
        session.actor.user.role.can_manage(),
        rice_errors,
    );
    let merges = crate::html::merges::card(state, session, &d.idea).await?;
    Ok(IdeaPage {
        nav: Nav::new(session, "ideas"),
        area: d.area.map(|a| a.name),
        owner: d.owner.map(|u| u.name),
        effort: d.idea.effort_months.map(|e| {
            if e == 1.0 {
                "1 person-month".to_string()
            } else {
                format!("{e} person-months")
            }
        }),
        notes: d
            .notes
            .into_iter()
            .map(|n| LinkedNoteView {
                note_id: n.note.id,
                segment: n.customer.as_ref().map(|c| c.segment.label()),
                arr: n.customer.as_ref().map(|c| arr(c.arr)),
                customer: n.customer.map(|c| (c.id, c.name)),
                importance: n.note.importance,
                source: n.note.source,
                text: Highlighted::new(&n.note.text, n.link.excerpt.as_deref()),
                ago: ago(n.note.created_at),
            })
            .collect(),
        customer_count: d.demand.customers.len(),
        total_arr: arr(d.demand.total_arr),
        comments: d
            .comments
            .into_iter()
            .map(|(c, name)| CommentView {
                author: name.unwrap_or_else(|| "Someone".into()),
                ago: ago(c.created_at),
                date: c.created_at.date(),
                body: c.body,
            })
            .collect(),
        following: d.followers.iter().any(|u| u.id == session.actor.user.id),
        followers: d.followers.into_iter().map(|u| u.name).collect(),
        activity: d
            .activity
            .into_iter()
            .map(|(a, name)| ActivityView {
                action: a.action.replace('_', " "),
                actor: name.unwrap_or_else(|| "System".into()),
                ago: ago(a.at),
                date: a.at.date(),
            })
            .collect(),
        updated: ago(d.idea.updated_at),
        idea: d.idea,
        can_contribute: session.actor.user.role.can_contribute(),
        comment,
        errors,
        priority,
        merges,
    })
}

/// The idea page with errors on the RICE form (status 422).
pub async fn show_with_rice_errors(
    state: &AppState,
    session: &SignedIn,
    id: IdeaId,
    rice_errors: FormErrors,
) -> Response {
    let p = idea_page(
        state,
        session,
        id,
        String::new(),
        FormErrors::none(),
        rice_errors,
    )
    .await;
    page_status(StatusCode::UNPROCESSABLE_ENTITY, p)
}

/// `GET /ideas/{id}`.
pub async fn show(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = id.parse::<IdeaId>() else {
        return error::not_found("idea");
    };
    // A merged-away idea's page shows its survivor instead.
    match state.app.merged_into(id).await {
        Ok(Some(survivor)) => return Redirect::to(&format!("/ideas/{survivor}")).into_response(),
        Ok(None) => {}
        Err(e) => return error::page(e),
    }
    page(
        idea_page(
            &state,
            &session,
            id,
            String::new(),
            FormErrors::none(),
            FormErrors::none(),
        )
        .await,
    )
}

/// Body of `POST /ideas/{id}/comments`.
#[derive(Debug, Deserialize)]
pub struct CommentForm {
    /// The comment.
    #[serde(default)]
    pub body: String,
}

/// `POST /ideas/{id}/comments`.
pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, f): CsrfForm<CommentForm>,
) -> Response {
    let Ok(id) = id.parse::<IdeaId>() else {
        return error::not_found("idea");
    };
    match state
        .app
        .comment(
            &session.actor,
            id,
            NewComment {
                body: f.body.clone(),
            },
        )
        .await
    {
        Ok(_) => Redirect::to(&format!("/ideas/{id}#comments")).into_response(),
        Err(e) => {
            reshow_form(e, &["body"], |errors| {
                idea_page(&state, &session, id, f.body, errors, FormErrors::none())
            })
            .await
        }
    }
}

/// Body of `POST /ideas/{id}/follow`.
#[derive(Debug, Deserialize)]
pub struct FollowForm {
    /// `1` to follow, anything else to unfollow.
    #[serde(default)]
    pub follow: String,
}

/// `POST /ideas/{id}/follow`: follow or unfollow.
pub async fn follow(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, f): CsrfForm<FollowForm>,
) -> Response {
    let Ok(id) = id.parse::<IdeaId>() else {
        return error::not_found("idea");
    };
    match state.app.follow(&session.actor, id, f.follow == "1").await {
        Ok(()) => Redirect::to(&format!("/ideas/{id}")).into_response(),
        Err(e) => error::page(e),
    }
}
