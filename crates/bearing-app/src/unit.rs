//! Steps that several workflows take inside their unit of work: checking
//! that an idea is live (and holding it), placing an idea on a board,
//! keeping demand scores in step, and checking referenced ids. Each takes
//! the workflow's transaction, so the check and the write that depends on
//! it commit together.

use crate::error::OrNotFound;
use crate::{AppError, AppResult, missing_ref};
use bearing_domain::merge::check_live;
use bearing_domain::prioritisation::board::{BoardRefusal, ranks_at_bottom};
use bearing_domain::*;
use bearing_store::Tx;

/// The error for a board refusal.
pub fn board_refused(r: BoardRefusal) -> AppError {
    AppError::refused(&r)
}

/// Hold idea `id` for the rest of the transaction and refuse if it was
/// merged away (the message names the survivor). `field` is the request
/// field that named it; a missing idea is "idea not found".
pub(crate) async fn live_idea(tx: &mut Tx, id: IdeaId, field: &str) -> AppResult<Idea> {
    tx.ideas().lock(id).await.or_not_found("idea")?;
    check_live(id, tx.ideas().merged_into(id).await?, field)?;
    Ok(tx.ideas().get(id).await?)
}

/// Like [`live_idea`], for an idea named as a reference in the request:
/// a missing one is a validation error on `field`.
pub(crate) async fn live_idea_ref(tx: &mut Tx, id: IdeaId, field: &str) -> AppResult<Idea> {
    live_idea(tx, id, field).await.map_err(|e| match e {
        AppError::NotFound(_) => {
            AppError::Invalid(ValidationError::new(field, format!("no idea with id {id}")))
        }
        other => other,
    })
}

/// `n` ranks at the bottom of `area`'s board, taking the board's lock
/// first: the invariant every write to a board's ranks keeps, so two
/// ideas joining one board at once cannot take the same rank.
pub(crate) async fn bottom_ranks(tx: &mut Tx, area: AreaId, n: usize) -> AppResult<Vec<String>> {
    tx.board().lock(area).await?;
    let lowest = tx.board().lowest_rank(area).await?;
    Ok(ranks_at_bottom(lowest.as_deref(), n)?)
}

/// One rank at the bottom of `area`'s board (see [`bottom_ranks`]).
pub(crate) async fn bottom_rank(tx: &mut Tx, area: AreaId) -> AppResult<String> {
    bottom_ranks(tx, area, 1)
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal("no rank at the bottom of the board".into()))
}

/// Recompute and store one idea's demand score from its linked notes.
pub(crate) async fn refresh_demand(tx: &mut Tx, idea: IdeaId) -> AppResult<()> {
    let signals = tx.demand().signals(idea).await?;
    tx.demand().set_score(idea, demand_score(&signals)).await?;
    Ok(())
}

/// Recompute demand for every idea a note is linked to.
pub(crate) async fn refresh_demand_of_note(tx: &mut Tx, note: NoteId) -> AppResult<()> {
    for idea in tx.demand().ideas_of_note(note).await? {
        refresh_demand(tx, idea).await?;
    }
    Ok(())
}

/// Recompute demand for every idea a customer asked for.
pub(crate) async fn refresh_demand_of_customer(tx: &mut Tx, customer: CustomerId) -> AppResult<()> {
    for idea in tx.demand().ideas_of_customer(customer).await? {
        refresh_demand(tx, idea).await?;
    }
    Ok(())
}

/// Check that the area and owner an idea names exist; errors name the
/// fields with `prefix` (e.g. `new_idea.`).
pub(crate) async fn check_idea_refs(
    tx: &mut Tx,
    area: Option<AreaId>,
    owner: Option<UserId>,
    prefix: &str,
) -> AppResult<()> {
    if let Some(a) = area {
        tx.areas()
            .get(a)
            .await
            .map_err(AppError::from)
            .map_err(missing_ref(&format!("{prefix}area_id"), "area"))?;
    }
    if let Some(o) = owner {
        check_user(tx, o, &format!("{prefix}owner_id")).await?;
    }
    Ok(())
}

/// Check that user `id` exists; an error names `field`.
pub(crate) async fn check_user(tx: &mut Tx, id: UserId, field: &str) -> AppResult<User> {
    tx.accounts()
        .user(id)
        .await
        .map_err(AppError::from)
        .map_err(missing_ref(field, "user"))
}

/// Check that a note's customer and contact exist and belong together.
pub(crate) async fn check_note_refs(
    tx: &mut Tx,
    customer: Option<CustomerId>,
    contact: Option<ContactId>,
) -> AppResult<()> {
    if let Some(c) = customer {
        tx.customers()
            .get(c)
            .await
            .map_err(AppError::from)
            .map_err(missing_ref("customer_id", "customer"))?;
    }
    if let Some(c) = contact {
        let contact = tx
            .customers()
            .contact(c)
            .await
            .map_err(AppError::from)
            .map_err(missing_ref("contact_id", "contact"))?;
        if customer.is_some_and(|cu| cu != contact.customer_id) {
            return Err(ValidationError::new(
                "contact_id",
                "that contact works for a different customer",
            )
            .into());
        }
    }
    Ok(())
}
