//! Merging duplicate ideas: the pure rules. Which merges are allowed, how
//! labels and RICE combine, how long an un-merge stays possible, and the
//! ledger of what a merge moved (`ledger`), so an un-merge can put it back
//! exactly.
//!
//! The app runs a merge in one transaction: the store moves every row of
//! every table that references the merged idea (its registry of such
//! tables drives this) and records the [`MergeLedger`] as JSON; this module
//! decides, it does not touch data.

mod ledger;
mod legacy;

pub use ledger::*;

use crate::account::UserId;
use crate::error::ValidationError;
use crate::idea::IdeaId;
use crate::prioritisation::rice::{ReachMode, Rice};
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

id_type!(
    /// One merge of an idea into another.
    MergeId
);

/// How long after a merge it can still be undone: 30 days.
pub const UNMERGE_WINDOW_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// Why a merge or an un-merge was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MergeRefusal {
    /// Merging an idea into itself.
    #[error("an idea cannot be merged into itself")]
    SameIdea,
    /// The target was itself merged away.
    #[error("the target idea was merged into another idea; merge into that one instead")]
    TargetMergedAway,
    /// The idea to merge was already merged away.
    #[error("this idea was already merged into another idea")]
    AlreadyMergedAway,
    /// The merge was already undone.
    #[error("this merge was already undone")]
    AlreadyUnmerged,
    /// The 30-day window has passed.
    #[error("merges can only be undone within 30 days; this one was made on {merged_on}")]
    WindowClosed {
        /// The merge's date, `yyyy-mm-dd`.
        merged_on: String,
    },
    /// The survivor has since been merged away itself; undo that first.
    #[error("the surviving idea has since been merged into another idea; undo that merge first")]
    SurvivorMergedAway,
}

impl crate::error::Refusal for MergeRefusal {
    fn kind(&self) -> crate::error::RefusalKind {
        match self {
            MergeRefusal::SameIdea | MergeRefusal::TargetMergedAway => {
                crate::error::RefusalKind::Invalid { field: "into" }
            }
            _ => crate::error::RefusalKind::Conflict,
        }
    }
}

/// Whether `merged` (currently pointing at `merged_into`, if anywhere) may
/// be merged into `target` (currently pointing at `target_merged_into`).
pub fn check_merge(
    merged: IdeaId,
    merged_into: Option<IdeaId>,
    target: IdeaId,
    target_merged_into: Option<IdeaId>,
) -> Result<(), MergeRefusal> {
    if merged == target {
        return Err(MergeRefusal::SameIdea);
    }
    if merged_into.is_some() {
        return Err(MergeRefusal::AlreadyMergedAway);
    }
    if target_merged_into.is_some() {
        return Err(MergeRefusal::TargetMergedAway);
    }
    Ok(())
}

/// The last moment a merge made at `merged_at` can be undone.
pub fn unmerge_deadline(merged_at: Timestamp) -> Timestamp {
    Timestamp(merged_at.0.saturating_add(UNMERGE_WINDOW_MS))
}

/// Whether a merge made at `merged_at` (undone at `unmerged_at`, if it was)
/// may be undone at `now`, given whether its survivor is merged away now.
pub fn check_unmerge(
    merged_at: Timestamp,
    unmerged_at: Option<Timestamp>,
    survivor_merged_away: bool,
    now: Timestamp,
) -> Result<(), MergeRefusal> {
    if unmerged_at.is_some() {
        return Err(MergeRefusal::AlreadyUnmerged);
    }
    if now > unmerge_deadline(merged_at) {
        return Err(MergeRefusal::WindowClosed {
            merged_on: merged_at.date(),
        });
    }
    if survivor_merged_away {
        return Err(MergeRefusal::SurvivorMergedAway);
    }
    Ok(())
}

/// The survivor's labels after a merge, and the ones the merge added:
/// the survivor's own first, then the merged idea's new ones, with no
/// duplicates (labels are stored lowercased, compared as stored).
pub fn union_labels(survivor: &[String], merged: &[String]) -> (Vec<String>, Vec<String>) {
    let mut all: Vec<String> = Vec::with_capacity(survivor.len() + merged.len());
    for l in survivor {
        if !all.contains(l) {
            all.push(l.clone());
        }
    }
    let mut added = Vec::new();
    for l in merged {
        if !all.contains(l) {
            all.push(l.clone());
            added.push(l.clone());
        }
    }
    (all, added)
}

/// The labels to keep after undoing a merge: the current ones minus those
/// the merge added (labels added or removed since are left as they are).
pub fn labels_after_unmerge(current: &[String], added: &[String]) -> Vec<String> {
    current
        .iter()
        .filter(|l| !added.contains(l))
        .cloned()
        .collect()
}

/// Which RICE the survivor ends with: its own if it has one, else the
/// merged idea's (with that idea's reach scale). `None` means "keep as is".
pub fn rice_to_adopt(
    survivor: Option<&Rice>,
    merged: Option<&Rice>,
    merged_mode: Option<ReachMode>,
) -> Option<(Rice, Option<ReachMode>)> {
    match (survivor, merged) {
        (None, Some(r)) => Some((r.clone(), merged_mode)),
        _ => None,
    }
}

/// Refuse a change to idea `id` if it was merged into another
/// (`merged_into`): the work belongs on the idea it was merged into, which
/// the message names. `field` is the request field that named the idea.
pub fn check_live(
    id: IdeaId,
    merged_into: Option<IdeaId>,
    field: &str,
) -> Result<(), ValidationError> {
    match merged_into {
        None => Ok(()),
        Some(survivor) => Err(ValidationError::new(
            field,
            format!("idea {id} was merged into {survivor}; make the change there"),
        )),
    }
}

/// A merge as recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    /// Identifier.
    pub id: MergeId,
    /// The idea that absorbed the other.
    pub survivor_id: IdeaId,
    /// The idea merged away.
    pub merged_id: IdeaId,
    /// Who merged.
    pub actor_id: Option<UserId>,
    /// When.
    pub merged_at: Timestamp,
    /// When it was undone, if it was.
    pub unmerged_at: Option<Timestamp>,
    /// Who undid it.
    pub unmerged_by: Option<UserId>,
    /// What moved.
    pub ledger: MergeLedger,
}

impl Merge {
    /// Whether it can still be undone at `now` (ignoring the survivor's state).
    pub fn undoable(&self, now: Timestamp) -> bool {
        check_unmerge(self.merged_at, self.unmerged_at, false, now).is_ok()
    }

    /// The last moment it can be undone.
    pub fn deadline(&self) -> Timestamp {
        unmerge_deadline(self.merged_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id() -> IdeaId {
        IdeaId::new()
    }

    #[test]
    fn refuses_self_and_merged_away_ideas() {
        let (a, b, c) = (id(), id(), id());
        assert_eq!(check_merge(a, None, a, None), Err(MergeRefusal::SameIdea));
        assert_eq!(
            check_merge(b, Some(c), a, None),
            Err(MergeRefusal::AlreadyMergedAway)
        );
        assert_eq!(
            check_merge(b, None, a, Some(c)),
            Err(MergeRefusal::TargetMergedAway)
        );
        assert_eq!(check_merge(b, None, a, None), Ok(()));
    }

    #[test]
    fn unmerge_window_is_thirty_days() {
        let at = Timestamp(1_700_000_000_000);
        let day = 86_400_000;
        assert_eq!(
            check_unmerge(at, None, false, Timestamp(at.0 + day)),
            Ok(())
        );
        assert_eq!(
            check_unmerge(at, None, false, Timestamp(at.0 + 30 * day)),
            Ok(())
        );
        assert!(matches!(
            check_unmerge(at, None, false, Timestamp(at.0 + 30 * day + 1)),
            Err(MergeRefusal::WindowClosed { .. })
        ));
        assert_eq!(
            check_unmerge(at, Some(at), false, at),
            Err(MergeRefusal::AlreadyUnmerged)
        );
        assert_eq!(
            check_unmerge(at, None, true, at),
            Err(MergeRefusal::SurvivorMergedAway)
        );
        let msg = check_unmerge(at, None, false, Timestamp(at.0 + 31 * day))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("30 days"), "{msg}");
    }

    #[test]
    fn survivor_keeps_its_rice_else_takes_the_merged_one() {
        let r1 = Rice::from_factors(10.0, 1.0, 1.0, 2.0);
        let r2 = Rice::from_factors(3.0, 2.0, 0.8, 1.0);
        assert_eq!(rice_to_adopt(Some(&r1), Some(&r2), None), None);
        assert_eq!(rice_to_adopt(None, None, None), None);
        assert_eq!(
            rice_to_adopt(None, Some(&r2), Some(ReachMode::Standard)),
            Some((r2.clone(), Some(ReachMode::Standard)))
        );
        assert_eq!(rice_to_adopt(Some(&r1), None, None), None);
    }

    #[test]
    fn changes_to_a_merged_idea_name_the_survivor() {
        let (a, b) = (id(), id());
        assert_eq!(check_live(a, None, "id"), Ok(()));
        let e = check_live(b, Some(a), "idea_id").unwrap_err();
        assert_eq!(e.field, "idea_id");
        assert!(e.message.contains(&a.to_string()), "{}", e.message);
    }

    #[test]
    fn labels_union_without_duplicates() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (all, added) = union_labels(&s(&["customer", "ux"]), &s(&["ux", "direction"]));
        assert_eq!(all, s(&["customer", "ux", "direction"]));
        assert_eq!(added, s(&["direction"]));
        assert_eq!(labels_after_unmerge(&all, &added), s(&["customer", "ux"]));
    }

    proptest! {
        #[test]
        fn label_union_is_a_set_union_and_unmerge_inverts_it(
            a in proptest::collection::btree_set("[a-e]", 0..5),
            b in proptest::collection::btree_set("[a-e]", 0..5),
        ) {
            let a: Vec<String> = a.into_iter().collect();
            let b: Vec<String> = b.into_iter().collect();
            let (all, added) = union_labels(&a, &b);
            let mut sorted = all.clone();
            sorted.sort();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), all.len());
            for l in a.iter().chain(b.iter()) {
                prop_assert!(all.contains(l));
            }
            prop_assert_eq!(labels_after_unmerge(&all, &added), a);
        }
    }
}
