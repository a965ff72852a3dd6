//! Options for the dropdowns that list workspace data: product areas,
//! customers and ideas, with a leading blank option ("Any area", "No
//! area"…) where one is wanted.

use crate::AppState;
use crate::html::layout::{Choice, choices};
use bearing_app::AppError;
use bearing_domain::{CustomerFilter, CustomerSort, IdeaFilter, IdeaSort, PageRequest};

/// How many customers a customer dropdown offers (by name).
const MAX_CUSTOMERS: u32 = 200;
/// How many ideas an idea dropdown offers (by title).
const MAX_IDEAS: u32 = 200;

/// The first ideas by title, for pickers that label and select them their
/// own way.
pub async fn ideas_by_title(
    state: &AppState,
) -> Result<Vec<bearing_app::views::IdeaRow>, AppError> {
    Ok(state
        .app
        .list_ideas(
            &IdeaFilter::default(),
            IdeaSort::Title,
            &PageRequest {
                after: None,
                limit: MAX_IDEAS,
            },
        )
        .await?
        .items)
}

/// Every area, with a leading blank option labelled `blank`; `current` is
/// selected.
pub async fn area_choices(
    state: &AppState,
    current: &str,
    blank: &str,
) -> Result<Vec<Choice>, AppError> {
    let areas = state.app.areas().await?;
    Ok(choices(
        areas.into_iter().map(|a| (a.id.to_string(), a.name)),
        current,
        Some(blank),
    ))
}

/// The first customers by name, with a leading blank option labelled
/// `blank`; `current` is selected.
pub async fn customer_choices(
    state: &AppState,
    current: &str,
    blank: &str,
) -> Result<Vec<Choice>, AppError> {
    let customers = state
        .app
        .list_customers(
            &CustomerFilter::default(),
            CustomerSort::Name,
            &PageRequest {
                after: None,
                limit: MAX_CUSTOMERS,
            },
        )
        .await?;
    Ok(choices(
        customers
            .items
            .into_iter()
            .map(|c| (c.id.to_string(), c.name)),
        current,
        Some(blank),
    ))
}
