//! Async RICE exercise pages: the list of exercises you are in with a form
//! to open a new one, and one exercise — your scorecards (a set of fields per
//! idea, on the standard scales) with Save and Submit, then, once you have
//! submitted or it is closed, everyone's factors, the spread and the
//! aggregate per idea, which the facilitating PM can adopt. What a viewer
//! may see is decided in `bearing_app::exercises`; this file only renders.

use crate::AppState;
use crate::auth::SignedIn;
use crate::csrf::CsrfForm;
use crate::html::choices::ideas_by_title;
use crate::html::error;
use crate::html::layout::{
    Choice, FormErrors, Nav, TokenOnly, ago, form_error, non_empty, num, page, page_status,
    render_status, reshow_form,
};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use bearing_app::AppError;
use bearing_app::exercises::{ExerciseView, NewExercise};
use bearing_domain::prioritisation::exercise::FactorSpread;
use bearing_domain::prioritisation::exercise::{ExerciseId, ExerciseState};
use bearing_domain::prioritisation::rice::{CONFIDENCE, IMPACT, STANDARD_REACH};
use bearing_domain::*;
use serde::Deserialize;
use std::collections::HashMap;

/// A confidence fraction as a percentage, e.g. `80%`.
pub fn pct(x: f64) -> String {
    format!("{}%", num(x * 100.0))
}

/// A scale value as a form value; the same text for a stored value and the
/// scale constant, so the saved option is preselected.
fn value(x: f64) -> String {
    format!("{x}")
}

/// Query of `GET /exercises`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// Page cursor.
    #[serde(default)]
    pub cursor: String,
}

/// An exercise as a list row.
#[derive(Clone, Debug)]
pub struct ExerciseRowView {
    /// Id.
    pub id: ExerciseId,
    /// Title.
    pub title: String,
    /// `open` or `closed`, for the badge class.
    pub state: &'static str,
    /// State label.
    pub state_label: &'static str,
    /// Number of ideas.
    pub ideas: i64,
    /// "2 of 3 submitted".
    pub progress: String,
    /// The viewer's own status: "Submitted" or "To score".
    pub mine: &'static str,
    /// Opened, relative.
    pub opened: String,
}

/// Fields of the new-exercise form, as typed.
#[derive(Clone, Debug, Default)]
pub struct ExerciseForm {
    /// Title.
    pub title: String,
    /// Chosen idea ids.
    pub ideas: Vec<String>,
    /// Chosen user ids.
    pub participants: Vec<String>,
}

const EXERCISE_FIELDS: &[&str] = &["title", "idea_ids", "participant_ids"];

/// The exercises page: the list and the new-exercise form.
#[derive(Template)]
#[template(path = "exercises.html")]
pub(crate) struct ExercisesPage {
    /// Navigation.
    pub nav: Nav,
    /// Rows.
    pub rows: Vec<ExerciseRowView>,
    /// Next page link.
    pub next_href: Option<String>,
    /// May the viewer open exercises?
    pub can_manage: bool,
    /// What was typed.
    pub form: ExerciseForm,
    /// Idea options.
    pub ideas: Vec<Choice>,
    /// People options.
    pub people: Vec<Choice>,
    /// Form errors.
    pub errors: FormErrors,
}

async fn list_page(
    state: &AppState,
    session: &SignedIn,
    cursor: &str,
    form: ExerciseForm,
    errors: FormErrors,
) -> Result<ExercisesPage, AppError> {
    let page = state
        .app
        .exercises(&session.actor, &PageRequest::parse(Some(cursor), None)?)
        .await?;
    let can_manage = session.actor.user.role.can_manage();
    let (ideas, people) = if can_manage {
        let ideas = ideas_by_title(state)
            .await?
            .into_iter()
            .map(|r| {
                let id = r.idea.id.to_string();
                Choice {
                    selected: form.ideas.contains(&id),
                    value: id,
                    label: r.idea.title,
                }
            })
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
                Choice {
                    selected: form.participants.contains(&id),
                    value: id,
                    label: format!("{} ({})", u.name, u.role.label()),
                }
            })
            .collect();
        (ideas, people)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(ExercisesPage {
        nav: Nav::new(session, "prioritise"),
        rows: page
            .items
            .iter()
            .map(|s| ExerciseRowView {
                id: s.exercise.id,
                title: s.exercise.title.clone(),
                state: s.exercise.state.as_str(),
                state_label: s.exercise.state.label(),
                ideas: s.idea_count,
                progress: format!("{} of {} submitted", s.submitted_count, s.participant_count),
                mine: if s.my_submitted_at.is_some() {
                    "Submitted"
                } else if s.exercise.state == ExerciseState::Open {
                    "To score"
                } else {
                    "Not submitted"
                },
                opened: ago(s.exercise.created_at),
            })
            .collect(),
        next_href: page
            .next_cursor
            .map(|c| format!("/exercises?cursor={}", crate::auth::urlencode(&c))),
        can_manage,
        form,
        ideas,
        people,
        errors,
    })
}

/// `GET /exercises`.
pub async fn list(
    State(state): State<AppState>,
    session: SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    page(
        list_page(
            &state,
            &session,
            &q.cursor,
            ExerciseForm::default(),
            FormErrors::none(),
        )
        .await,
    )
}

/// The value of `key` in a posted form, or "".
fn field<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// Every value of a repeated key (a multi-select).
fn all(pairs: &[(String, String)], key: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, v)| k == key && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_string())
        .collect()
}

fn parse_ids<T: std::str::FromStr>(raw: &[String], field: &str) -> Result<Vec<T>, ValidationError> {
    raw.iter()
        .map(|v| {
            v.parse()
                .map_err(|_| ValidationError::new(field, "choose from the list"))
        })
        .collect()
}

/// `POST /exercises`: open an exercise, then show it.
pub async fn create(
    State(state): State<AppState>,
    CsrfForm(session, pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let form = ExerciseForm {
        title: field(&pairs, "title").to_string(),
        ideas: all(&pairs, "idea_ids"),
        participants: all(&pairs, "participant_ids"),
    };
    let input = parse_ids(&form.ideas, "idea_ids").and_then(|idea_ids| {
        Ok(NewExercise {
            title: form.title.clone(),
            idea_ids,
            participant_ids: parse_ids(&form.participants, "participant_ids")?,
        })
    });
    let result = match input {
        Ok(input) => state.app.open_exercise(&session.actor, input).await,
        Err(v) => Err(v.into()),
    };
    match result {
        Ok(e) => Redirect::to(&format!("/exercises/{}", e.id)).into_response(),
        Err(e) => {
            reshow_form(e, EXERCISE_FIELDS, |errors| {
                list_page(&state, &session, "", form, errors)
            })
            .await
        }
    }
}

/// One idea's scorecard fields, as saved or as typed.
#[derive(Clone, Debug)]
pub struct ScoreFields {
    /// The idea.
    pub idea_id: IdeaId,
    /// Its title.
    pub title: String,
    /// Reach options (standard mode).
    pub reach: Vec<Choice>,
    /// Reach as typed (absolute mode).
    pub reach_text: String,
    /// Impact options.
    pub impact: Vec<Choice>,
    /// Confidence options.
    pub confidence: Vec<Choice>,
    /// Effort as typed.
    pub effort: String,
    /// The saved score, formatted, if this idea has a saved scorecard.
    pub saved_score: Option<String>,
    /// The error on this idea: (field, message).
    pub error: Option<(String, String)>,
}

impl ScoreFields {
    /// The message for `f` on this idea, if the error is there.
    pub fn error_on(&self, f: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(ef, _)| ef == f)
            .map(|(_, m)| m.as_str())
    }

    /// `aria-invalid` for `f`.
    pub fn invalid(&self, f: &str) -> &'static str {
        if self.error_on(f).is_some() {
            "true"
        } else {
            "false"
        }
    }
}

fn scale_choices(scale: &[(f64, &str)], current: &str, show_value: bool) -> Vec<Choice> {
    std::iter::once(Choice::new("", "Choose…", current))
        .chain(scale.iter().map(|(v, l)| {
            let label = if show_value {
                format!("{} — {l}", num(*v))
            } else {
                (*l).to_string()
            };
            Choice::new(value(*v), label, current)
        }))
        .collect()
}

/// One row of a results table: a participant, a spread line or the aggregate.
#[derive(Clone, Debug)]
pub struct FactorRow {
    /// Who, or "Lowest" / "Highest" / "Median" / "Aggregate".
    pub label: String,
    /// Reach.
    pub reach: String,
    /// Impact.
    pub impact: String,
    /// Confidence, as a percentage.
    pub confidence: String,
    /// Effort in person-months.
    pub effort: String,
    /// Score.
    pub score: String,
}

impl FactorRow {
    fn of(label: impl Into<String>, r: &Rice) -> Self {
        Self {
            label: label.into(),
            reach: num(r.reach),
            impact: num(r.impact),
            confidence: pct(r.confidence),
            effort: num(r.effort_months),
            score: num(r.score),
        }
    }
}

/// The outcome for one idea, formatted.
#[derive(Clone, Debug)]
pub struct ResultView {
    /// The idea.
    pub idea_id: IdeaId,
    /// Its title.
    pub title: String,
    /// One row per submitted scorecard.
    pub cards: Vec<FactorRow>,
    /// Lowest, highest and median of each factor and of the score.
    pub spread: Vec<FactorRow>,
    /// The aggregate (medians, and the score from them).
    pub aggregate: Option<FactorRow>,
    /// Do the scores differ by more than a factor of two?
    pub wide: bool,
    /// The idea's current RICE score, formatted, if it has one.
    pub current: Option<String>,
}

fn spread_rows(r: &bearing_domain::ExerciseResult) -> Vec<FactorRow> {
    let pick = |label: &str, f: fn(&FactorSpread) -> f64| FactorRow {
        label: label.to_string(),
        reach: num(f(&r.reach)),
        impact: num(f(&r.impact)),
        confidence: pct(f(&r.confidence)),
        effort: num(f(&r.effort_months)),
        score: num(f(&r.score_spread)),
    };
    vec![
        pick("Lowest", |s| s.min),
        pick("Highest", |s| s.max),
        pick("Median", |s| s.median),
    ]
}

/// A participant in the side list.
#[derive(Clone, Debug)]
pub struct PersonView {
    /// Name.
    pub name: String,
    /// Submitted, relative, if they have.
    pub submitted: Option<String>,
}

/// The exercise page.
#[derive(Template)]
#[template(path = "exercise.html")]
pub(crate) struct ExercisePage {
    /// Navigation.
    pub nav: Nav,
    /// Id.
    pub id: ExerciseId,
    /// Title.
    pub title: String,
    /// `open` or `closed`.
    pub state: &'static str,
    /// State label.
    pub state_label: &'static str,
    /// Is Reach a count rather than the standard scale?
    pub absolute: bool,
    /// The Reach mode's label.
    pub reach_mode: &'static str,
    /// Who opened it.
    pub opener: String,
    /// Opened, relative.
    pub opened: String,
    /// Everyone invited.
    pub people: Vec<PersonView>,
    /// How many have submitted.
    pub submitted_count: usize,
    /// Is the viewer invited?
    pub participant: bool,
    /// Has the viewer submitted?
    pub submitted: bool,
    /// May the viewer still score?
    pub can_score: bool,
    /// May the viewer close it?
    pub can_close: bool,
    /// May the viewer adopt results?
    pub can_adopt: bool,
    /// The viewer's scorecard fields, one set per idea.
    pub scores: Vec<ScoreFields>,
    /// Results, when visible to the viewer.
    pub results: Option<Vec<ResultView>>,
    /// A confirmation to show (saved, submitted, adopted…).
    pub notice: Option<String>,
    /// An error not tied to one field (e.g. ideas still unscored).
    pub general_error: Option<String>,
}

/// Typed values per idea after a failed save: idea → (reach, impact, confidence, effort).
type Typed = HashMap<IdeaId, [String; 4]>;

fn exercise_page(
    session: &SignedIn,
    v: ExerciseView,
    typed: &Typed,
    field_error: Option<(IdeaId, String, String)>,
    general_error: Option<String>,
    notice: Option<String>,
) -> ExercisePage {
    let absolute = v.exercise.reach_mode == ReachMode::Absolute;
    let saved: HashMap<IdeaId, &Rice> = v
        .my_scorecards
        .iter()
        .map(|c| (c.idea_id, &c.rice))
        .collect();
    let scores = v
        .ideas
        .iter()
        .map(|idea| {
            let [reach, impact, confidence, effort] = match typed.get(&idea.id) {
                Some(t) => t.clone(),
                None => match saved.get(&idea.id) {
                    Some(r) => [
                        value(r.reach),
                        value(r.impact),
                        value(r.confidence),
                        value(r.effort_months),
                    ],
                    None => Default::default(),
                },
            };
            ScoreFields {
                idea_id: idea.id,
                title: idea.title.clone(),
                reach: scale_choices(STANDARD_REACH, &reach, true),
                reach_text: reach,
                impact: scale_choices(IMPACT, &impact, true),
                confidence: scale_choices(CONFIDENCE, &confidence, false),
                effort,
                saved_score: saved.get(&idea.id).map(|r| num(r.score)),
                error: field_error
                    .as_ref()
                    .filter(|(i, _, _)| *i == idea.id)
                    .map(|(_, f, m)| (f.clone(), m.clone())),
            }
        })
        .collect();
    let current: HashMap<IdeaId, Option<String>> = v
        .ideas
        .iter()
        .map(|i| (i.id, i.rice.as_ref().map(|r| num(r.score))))
        .collect();
    let results = v.results.map(|rs| {
        rs.into_iter()
            .map(|o| ResultView {
                idea_id: o.idea_id,
                current: current.get(&o.idea_id).cloned().flatten(),
                cards: o
                    .cards
                    .iter()
                    .map(|c| FactorRow::of(c.name.clone(), &c.rice))
                    .collect(),
                spread: o.result.as_ref().map(spread_rows).unwrap_or_default(),
                aggregate: o
                    .result
                    .as_ref()
                    .map(|r| FactorRow::of("Aggregate", &r.aggregate)),
                wide: o
                    .result
                    .as_ref()
                    .is_some_and(|r| r.score_spread.max > 2.0 * r.score_spread.min),
                title: o.title,
            })
            .collect()
    });
    ExercisePage {
        nav: Nav::new(session, "prioritise"),
        id: v.exercise.id,
        title: v.exercise.title.clone(),
        state: v.exercise.state.as_str(),
        state_label: v.exercise.state.label(),
        absolute,
        reach_mode: v.exercise.reach_mode.label(),
        opener: v.opener.unwrap_or_else(|| "Someone".into()),
        opened: ago(v.exercise.created_at),
        people: v
            .participants
            .iter()
            .map(|p| PersonView {
                name: p.name.clone(),
                submitted: p.submitted_at.map(ago),
            })
            .collect(),
        submitted_count: v.submitted_count,
        participant: v.me.is_some(),
        submitted: v.me.as_ref().is_some_and(|m| m.submitted_at.is_some()),
        can_score: v.can_score,
        can_close: v.can_close,
        can_adopt: v.can_adopt,
        scores,
        results,
        notice,
        general_error,
    }
}

/// Query of `GET /exercises/{id}`: which confirmation to show.
#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    /// `saved`, `submitted`, `closed` or `adopted`.
    #[serde(default)]
    pub done: String,
}

fn notice(done: &str) -> Option<String> {
    match done {
        "saved" => Some("Your scores are saved. Submit when you have scored every idea.".into()),
        "submitted" => {
            Some("Submitted. Your scores are final; here is how everyone scored so far.".into())
        }
        "closed" => Some("The exercise is closed. The results below are final.".into()),
        "adopted" => Some("Adopted: the idea's RICE is now the aggregate.".into()),
        _ => None,
    }
}

/// `GET /exercises/{id}`.
pub async fn show(
    State(state): State<AppState>,
    session: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Response {
    let Ok(id) = id.parse::<ExerciseId>() else {
        return error::not_found("exercise");
    };
    page(
        state
            .app
            .exercise_view(&session.actor, id)
            .await
            .map(|v| exercise_page(&session, v, &Typed::new(), None, None, notice(&q.done))),
    )
}

/// Read one idea's fields from the posted form: `None` when all are blank.
fn read_card(pairs: &[(String, String)], idea: IdeaId) -> [String; 4] {
    ["reach", "impact", "confidence", "effort_months"]
        .map(|f| field(pairs, &format!("{f}-{idea}")).trim().to_string())
}

fn card_input(t: &[String; 4]) -> Result<Option<RiceInput>, ValidationError> {
    if t.iter().all(|s| s.is_empty()) {
        return Ok(None);
    }
    let names = ["reach", "impact", "confidence", "effort_months"];
    let mut n = [0.0; 4];
    for (i, raw) in t.iter().enumerate() {
        let Some(raw) = non_empty(raw) else {
            return Err(ValidationError::missing(names[i], "choose a value"));
        };
        n[i] = raw
            .parse::<f64>()
            .map_err(|_| ValidationError::new(names[i], format!("'{raw}' is not a number")))?;
    }
    Ok(Some(RiceInput {
        reach: n[0],
        impact: n[1],
        confidence: n[2],
        effort_months: n[3],
    }))
}

/// `POST /exercises/{id}/scores`: save every filled-in scorecard, and with
/// `action=submit`, submit them too.
pub async fn save(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let Ok(id) = id.parse::<ExerciseId>() else {
        return error::not_found("exercise");
    };
    let view = match state.app.exercise_view(&session.actor, id).await {
        Ok(v) => v,
        Err(e) => return error::page(e),
    };
    let typed: Typed = view
        .ideas
        .iter()
        .map(|i| (i.id, read_card(&pairs, i.id)))
        .collect();
    // Check every card here too, to show the error beside the card it is in.
    let mut inputs = Vec::new();
    for idea in &view.ideas {
        let t = &typed[&idea.id];
        let checked = card_input(t).and_then(|input| match input {
            Some(i) => i
                .clone()
                .validate(view.exercise.reach_mode)
                .map(|_| Some(i)),
            None => Ok(None),
        });
        match checked {
            Ok(Some(input)) => inputs.push((idea.id, input)),
            Ok(None) => {}
            Err(v) => {
                let err = Some((idea.id, v.field, v.message));
                let page = exercise_page(&session, view, &typed, err, None, None);
                return render_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
            }
        }
    }
    // One call, one transaction: every card is saved or none is.
    let mut outcome: Result<(), AppError> = state
        .app
        .save_exercise_scores(&session.actor, id, inputs)
        .await
        .map(|_| ());
    let submit = field(&pairs, "action") == "submit";
    if submit && outcome.is_ok() {
        outcome = state
            .app
            .submit_exercise(&session.actor, id)
            .await
            .map(|_| ());
    }
    match outcome {
        Ok(()) => {
            let done = if submit { "submitted" } else { "saved" };
            Redirect::to(&format!("/exercises/{id}?done={done}")).into_response()
        }
        Err(e) => match form_error(e, &[]) {
            Ok(errors) => {
                let message = errors.general().unwrap_or_default().to_string();
                let view = state.app.exercise_view(&session.actor, id).await;
                page_status(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    view.map(|v| exercise_page(&session, v, &typed, None, Some(message), None)),
                )
            }
            Err(e) => error::page(e),
        },
    }
}

/// `POST /exercises/{id}/close`.
pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, TokenOnly {}): CsrfForm<TokenOnly>,
) -> Response {
    let Ok(id) = id.parse::<ExerciseId>() else {
        return error::not_found("exercise");
    };
    match state.app.close_exercise(&session.actor, id).await {
        Ok(_) => Redirect::to(&format!("/exercises/{id}?done=closed")).into_response(),
        Err(e) => error::page(e),
    }
}

/// `POST /exercises/{id}/adopt/{idea_id}`.
pub async fn adopt(
    State(state): State<AppState>,
    Path((id, idea)): Path<(String, String)>,
    CsrfForm(session, TokenOnly {}): CsrfForm<TokenOnly>,
) -> Response {
    let (Ok(id), Ok(idea)) = (id.parse::<ExerciseId>(), idea.parse::<IdeaId>()) else {
        return error::not_found("exercise");
    };
    match state
        .app
        .adopt_exercise_result(&session.actor, id, idea)
        .await
    {
        Ok(_) => {
            Redirect::to(&format!("/exercises/{id}?done=adopted#result-{idea}")).into_response()
        }
        Err(e) => error::page(e),
    }
}
