//! The customer demand score's inputs and stored value: an idea's demand
//! signals (its linked notes with their customers' ARR and importance),
//! the stored score the app keeps in step inside every transaction that
//! changes those inputs, and the counts "who is asking" is built from.
//! The formula is `bearing_domain::prioritisation::demand`'s.
//!
//! Demand is stored on the idea so ranking 100,000 ideas by demand is an
//! index scan rather than an aggregate over a million notes.

use crate::db::{Db, Tx};
use crate::error::StoreResult;
use crate::rows::key;
use bearing_domain::prioritisation::demand::DemandCount;
use bearing_domain::*;
use uuid::Uuid;

const DEMAND_SIGNALS: &str = "SELECT n.customer_id, c.arr, n.importance FROM links l JOIN notes n ON n.id = l.note_id LEFT JOIN customers c ON c.id = n.customer_id WHERE l.idea_id = $1";

const ALL_DEMAND_SIGNALS: &str = "SELECT l.idea_id, n.customer_id, c.arr, n.importance FROM links l JOIN notes n ON n.id = l.note_id LEFT JOIN customers c ON c.id = n.customer_id ORDER BY l.idea_id";

// Unchanged scores are not rewritten (maintenance recomputes them all).
const SET_DEMAND: &str = "UPDATE ideas SET demand_score = $2 WHERE id = $1 AND demand_score <> $2";

const ZERO_UNLINKED_DEMAND: &str = "UPDATE ideas SET demand_score = 0 WHERE demand_score <> 0 AND NOT EXISTS (SELECT 1 FROM links l WHERE l.idea_id = ideas.id)";

const DEMAND_COUNTS: &str = "SELECT n.customer_id, n.importance, count(*) FROM links l JOIN notes n ON n.id = l.note_id WHERE l.idea_id = $1 GROUP BY n.customer_id, n.importance";

const IDEAS_OF_NOTE: &str = "SELECT idea_id FROM links WHERE note_id = $1";

const IDEAS_OF_CUSTOMER: &str = "SELECT DISTINCT l.idea_id FROM links l JOIN notes n ON n.id = l.note_id WHERE n.customer_id = $1";

fn signal(customer: Option<Uuid>, arr: Option<i64>, importance: &str) -> StoreResult<DemandSignal> {
    Ok(DemandSignal {
        customer,
        arr: arr.unwrap_or(0),
        importance: key(importance, "importance")?,
    })
}

/// Demand inside a unit of work: `tx.demand()`.
pub struct DemandTx<'t>(&'t mut Tx);

impl Tx {
    /// Read demand inputs and write demand scores in this transaction.
    pub fn demand(&mut self) -> DemandTx<'_> {
        DemandTx(self)
    }
}

impl DemandTx<'_> {
    /// One idea's demand signals: its linked notes' customers, ARR and importance.
    pub async fn signals(&mut self, idea: IdeaId) -> StoreResult<Vec<DemandSignal>> {
        let rows: Vec<(Option<Uuid>, Option<i64>, String)> = on_tx!(&mut *self.0, c => sqlx::query_as(DEMAND_SIGNALS).bind(idea.0).fetch_all(c).await)?;
        rows.iter().map(|(c, a, i)| signal(*c, *a, i)).collect()
    }

    /// Store an idea's demand score (unchanged scores are not rewritten).
    pub async fn set_score(&mut self, idea: IdeaId, score: f64) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(SET_DEMAND).bind(idea.0).bind(score).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Every idea a note is linked to.
    pub async fn ideas_of_note(&mut self, note: NoteId) -> StoreResult<Vec<IdeaId>> {
        let ids: Vec<Uuid> = on_tx!(&mut *self.0, c => sqlx::query_scalar(IDEAS_OF_NOTE).bind(note.0).fetch_all(c).await)?;
        Ok(ids.into_iter().map(IdeaId).collect())
    }

    /// Every idea a customer asked for.
    pub async fn ideas_of_customer(&mut self, customer: CustomerId) -> StoreResult<Vec<IdeaId>> {
        let ids: Vec<Uuid> = on_tx!(&mut *self.0, c => sqlx::query_scalar(IDEAS_OF_CUSTOMER).bind(customer.0).fetch_all(c).await)?;
        Ok(ids.into_iter().map(IdeaId).collect())
    }

    /// Set every idea without linked notes back to 0.
    pub async fn zero_unlinked(&mut self) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(ZERO_UNLINKED_DEMAND).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// Every linked note of `idea`, counted per customer and importance:
    /// all of them, however many (a GROUP BY, not a list).
    pub async fn demand_counts(&self, idea: IdeaId) -> StoreResult<Vec<DemandCount>> {
        let rows: Vec<(Option<Uuid>, String, i64)> =
            on_db!(self, p => sqlx::query_as(DEMAND_COUNTS).bind(idea.0).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(c, i, n)| {
                Ok(DemandCount {
                    customer_id: c.map(CustomerId),
                    importance: key(&i, "importance")?,
                    notes: usize::try_from(n).unwrap_or(0),
                })
            })
            .collect()
    }

    /// Every idea's demand signals, grouped by idea, for recomputing all
    /// scores after bulk loads or in maintenance.
    pub async fn all_demand_signals(&self) -> StoreResult<Vec<(IdeaId, Vec<DemandSignal>)>> {
        let rows: Vec<(Uuid, Option<Uuid>, Option<i64>, String)> =
            on_db!(self, p => sqlx::query_as(ALL_DEMAND_SIGNALS).fetch_all(p).await)?;
        let mut out: Vec<(IdeaId, Vec<DemandSignal>)> = Vec::new();
        for (idea, c, a, i) in &rows {
            let s = signal(*c, *a, i)?;
            match out.last_mut() {
                Some((last, signals)) if last.0 == *idea => signals.push(s),
                _ => out.push((IdeaId(*idea), vec![s])),
            }
        }
        Ok(out)
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    DEMAND_SIGNALS,
    ALL_DEMAND_SIGNALS,
    SET_DEMAND,
    ZERO_UNLINKED_DEMAND,
    DEMAND_COUNTS,
    IDEAS_OF_NOTE,
    IDEAS_OF_CUSTOMER,
];
