//! Options for the dropdowns that list workspace data: product areas and
//! customers, each with a leading blank option ("Any area", "No area"…).

use crate::AppState;
use crate::html::layout::Choice;
use bearing_app::AppError;
use bearing_domain::{CustomerFilter, CustomerSort, PageRequest};

/// How many customers a customer dropdown offers (by name).
const MAX_CUSTOMERS: u32 = 200;

/// Every area, with a leading blank option labelled `blank`; `current` is
/// selected.
pub async fn area_choices(
    state: &AppState,
    current: &str,
    blank: &str,
) -> Result<Vec<Choice>, AppError> {
    let areas = state.app.areas().await?;
    Ok(with_blank(
        areas.into_iter().map(|a| (a.id.to_string(), a.name)),
        current,
        blank,
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
    Ok(with_blank(
        customers
            .items
            .into_iter()
            .map(|c| (c.id.to_string(), c.name)),
        current,
        blank,
    ))
}

/// A blank option labelled `blank`, then `(value, label)` options.
fn with_blank(
    items: impl IntoIterator<Item = (String, String)>,
    current: &str,
    blank: &str,
) -> Vec<Choice> {
    std::iter::once(Choice::new("", blank, current))
        .chain(
            items
                .into_iter()
                .map(|(value, label)| Choice::new(value, label, current)),
        )
        .collect()
}
