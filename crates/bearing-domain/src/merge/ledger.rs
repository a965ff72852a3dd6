//! The ledger a merge keeps of what it did, so an un-merge can put every
//! row back. Rows are recorded per table of the store's registry of tables
//! that reference ideas, as plain column → value maps: the domain does not
//! know the tables, only that a merge either *moves* a row to the survivor
//! (recording the columns that find it again) or *drops* it because the
//! survivor already had an equal one (recording the whole row, to re-create).

use crate::prioritisation::rice::{ReachMode, Rice};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One recorded row: column name → value, as JSON.
pub type LedgerRow = serde_json::Map<String, serde_json::Value>;

/// The ledger format written today; older ledgers (which named each table
/// in its own field) are read by [`MergeLedger::from_json`] and converted.
pub const LEDGER_VERSION: u32 = 2;

/// The survivor's RICE before the merge replaced it, to restore on un-merge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PriorRice {
    /// The RICE it had (none, since a merge only fills an empty one).
    pub rice: Option<Rice>,
    /// Its reach scale.
    pub reach_mode: Option<ReachMode>,
    /// Its effort SWAG, which RICE's effort overwrote.
    pub effort_months: Option<f64>,
    /// The RICE the merge gave it: restored only if still unchanged.
    pub adopted: Rice,
}

/// Everything a merge moved or deduplicated, stored whole with the merge.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MergeLedger {
    /// The format version, [`LEDGER_VERSION`].
    pub version: u32,
    /// Per table, the rows moved to the survivor: the columns that find each again.
    pub moved: BTreeMap<String, Vec<LedgerRow>>,
    /// Per table, whole rows deleted because the survivor had an equal one.
    pub dropped: BTreeMap<String, Vec<LedgerRow>>,
    /// Labels the survivor gained.
    pub labels_added: Vec<String>,
    /// The survivor's RICE before it adopted the merged idea's, if it did.
    pub prior_rice: Option<PriorRice>,
    /// The merged idea's board rank before it left the board.
    pub merged_board_rank: Option<String>,
}

impl Default for MergeLedger {
    fn default() -> Self {
        Self {
            version: LEDGER_VERSION,
            moved: BTreeMap::new(),
            dropped: BTreeMap::new(),
            labels_added: vec![],
            prior_rice: None,
            merged_board_rank: None,
        }
    }
}

impl MergeLedger {
    /// Read a stored ledger, of this version or the one before.
    pub fn from_json(s: &str) -> Result<MergeLedger, serde_json::Error> {
        let v: serde_json::Value = serde_json::from_str(s)?;
        if v.get("version").is_some() {
            serde_json::from_value(v)
        } else {
            serde_json::from_value::<super::legacy::LegacyLedger>(v).map(MergeLedger::from)
        }
    }

    /// The ledger as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// How many rows of `table` were moved.
    pub fn moved_count(&self, table: &str) -> usize {
        self.moved.get(table).map_or(0, Vec::len)
    }

    /// How many rows of `table` were dropped as duplicates.
    pub fn dropped_count(&self, table: &str) -> usize {
        self.dropped.get(table).map_or(0, Vec::len)
    }

    /// How many rows of each table moved or were deduplicated, for the
    /// activity log.
    pub fn summary(&self) -> serde_json::Value {
        let counts = |m: &BTreeMap<String, Vec<LedgerRow>>| -> BTreeMap<String, usize> {
            m.iter()
                .filter(|(_, rows)| !rows.is_empty())
                .map(|(t, rows)| (t.clone(), rows.len()))
                .collect()
        };
        serde_json::json!({
            "moved": counts(&self.moved),
            "deduplicated": counts(&self.dropped),
            "labels_added": self.labels_added,
            "rice_adopted": self.prior_rice.is_some(),
        })
    }
}
