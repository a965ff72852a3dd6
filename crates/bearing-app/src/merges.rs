//! Merging duplicate ideas and undoing a merge, each in one unit of work:
//! who may (PMs and admins), the locks, the rules
//! (`bearing_domain::merge`), what happens to labels, RICE, the board and
//! demand, and the views the API and pages show. Moving the rows of every
//! table that references an idea is the store's, driven by its registry
//! (`bearing_store::idea_refs`).

use crate::error::OrNotFound;
use crate::unit::{bottom_rank, refresh_demand};
use crate::{Actor, App, AppError, AppResult};
use bearing_domain::merge::*;
use bearing_domain::*;

/// A merge with the titles of both ideas, for lists and pages.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MergeView {
    /// The merge.
    #[serde(flatten)]
    pub merge: Merge,
    /// The survivor's title.
    pub survivor_title: String,
    /// The merged idea's title.
    pub merged_title: String,
    /// The last moment it can be undone.
    pub unmerge_until: Timestamp,
    /// Whether it can be undone now.
    pub can_unmerge: bool,
}

fn refused(r: MergeRefusal) -> AppError {
    AppError::refused(&r)
}

impl App {
    /// Merge idea `merged` into `into` (PMs and admins). Everything moves to
    /// `into`; `merged` then redirects there.
    pub async fn merge_ideas(
        &self,
        actor: &Actor,
        merged: IdeaId,
        into: IdeaId,
    ) -> AppResult<MergeView> {
        self.merge_ideas_at(actor, merged, into, Timestamp::now())
            .await
    }

    /// [`App::merge_ideas`] with an explicit clock, for tests.
    pub async fn merge_ideas_at(
        &self,
        actor: &Actor,
        merged: IdeaId,
        into: IdeaId,
        now: Timestamp,
    ) -> AppResult<MergeView> {
        actor.must_manage()?;
        if merged == into {
            return Err(refused(MergeRefusal::SameIdea));
        }
        let mut tx = self.db.begin().await?;
        // Lock both rows in id order so two opposite merges cannot deadlock.
        let (first, second) = if merged < into {
            (merged, into)
        } else {
            (into, merged)
        };
        for (id, field) in [(first, first == into), (second, second == into)]
            .map(|(id, is_into)| (id, if is_into { "into" } else { "" }))
        {
            tx.ideas()
                .lock(id)
                .await
                .map_err(|e| match AppError::from(e) {
                    AppError::NotFound(_) if !field.is_empty() => {
                        AppError::Invalid(ValidationError::new(field, "no idea with that id"))
                    }
                    AppError::NotFound(_) => AppError::NotFound("idea".into()),
                    other => other,
                })?;
        }
        let b_into = tx.ideas().merged_into(merged).await?;
        let a_into = tx.ideas().merged_into(into).await?;
        check_merge(merged, b_into, into, a_into).map_err(refused)?;
        let a = tx.ideas().get(into).await?;
        let b = tx.ideas().get(merged).await?;
        let (moved, dropped) = tx.merges().move_references(merged, into).await?;
        let mut ledger = MergeLedger {
            moved,
            dropped,
            merged_board_rank: b.board_rank.clone(),
            ..MergeLedger::default()
        };
        let (labels, added) = union_labels(&a.labels, &b.labels);
        if !added.is_empty() {
            tx.ideas().set_labels(into, &labels).await?;
        }
        ledger.labels_added = added;
        if let Some((rice, mode)) =
            rice_to_adopt(a.rice.as_ref(), b.rice.as_ref(), b.rice_reach_mode)
        {
            tx.ideas()
                .set_rice(into, Some(&rice), mode, Some(rice.effort_months), now)
                .await?;
            ledger.prior_rice = Some(PriorRice {
                rice: a.rice.clone(),
                reach_mode: a.rice_reach_mode,
                effort_months: a.effort_months,
                adopted: rice,
            });
        }
        tx.ideas().mark_merged(merged, into, now).await?;
        let m = Merge {
            id: MergeId::new(),
            survivor_id: into,
            merged_id: merged,
            actor_id: actor.id(),
            merged_at: now,
            unmerged_at: None,
            unmerged_by: None,
            ledger,
        };
        tx.merges().insert(&m).await?;
        refresh_demand(&mut tx, into).await?;
        refresh_demand(&mut tx, merged).await?;
        let summary = m.ledger.summary();
        for (idea, other, key) in [(into, &b, "merged_from"), (merged, &a, "merged_into")] {
            tx.record(
                &Change::new(EntityKind::Idea, idea, ChangeAction::Merged, actor.id()).after(
                    serde_json::json!({"merge_id": m.id, key: {"id": other.id, "title": other.title}, "moved": summary}),
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(merge_view_of(m, &[a, b], now))
    }

    /// Undo a merge within 30 days (PMs and admins).
    pub async fn unmerge(&self, actor: &Actor, id: MergeId) -> AppResult<MergeView> {
        self.unmerge_at(actor, id, Timestamp::now()).await
    }

    /// [`App::unmerge`] with an explicit clock, for tests.
    pub async fn unmerge_at(
        &self,
        actor: &Actor,
        id: MergeId,
        now: Timestamp,
    ) -> AppResult<MergeView> {
        actor.must_manage()?;
        let mut tx = self.db.begin().await?;
        let m = tx.merges().get(id).await.or_not_found("merge")?;
        let (a, b) = (m.survivor_id, m.merged_id);
        let (first, second) = if a < b { (a, b) } else { (b, a) };
        tx.ideas().lock(first).await?;
        tx.ideas().lock(second).await?;
        // Re-read under the locks: another un-merge may have won the race.
        let m = tx.merges().get(id).await?;
        let a_into = tx.ideas().merged_into(a).await?;
        check_unmerge(m.merged_at, m.unmerged_at, a_into.is_some(), now).map_err(refused)?;
        let l = &m.ledger;
        tx.merges().restore_references(l, a, b).await?;
        let survivor = tx.ideas().get(a).await?;
        if !l.labels_added.is_empty() {
            let kept = labels_after_unmerge(&survivor.labels, &l.labels_added);
            tx.ideas().set_labels(a, &kept).await?;
        }
        if let Some(p) = &l.prior_rice {
            // Only if nobody re-scored the survivor since the merge.
            if survivor.rice.as_ref() == Some(&p.adopted) {
                tx.ideas()
                    .set_rice(a, p.rice.as_ref(), p.reach_mode, p.effort_months, now)
                    .await?;
            }
        }
        let merged = tx.ideas().get(b).await?;
        let rank = match merged.area_id {
            Some(area) => Some(bottom_rank(&mut tx, area).await?),
            None => None,
        };
        tx.ideas().clear_merged(b, rank.as_deref()).await?;
        tx.merges().mark_unmerged(id, now, actor.id()).await?;
        refresh_demand(&mut tx, a).await?;
        refresh_demand(&mut tx, b).await?;
        tx.record(
            &Change::new(EntityKind::Idea, a, ChangeAction::Unmerged, actor.id()).after(
                serde_json::json!({"merge_id": id, "restored": {"id": b, "title": merged.title}}),
            ),
        )
        .await?;
        tx.record(
            &Change::new(EntityKind::Idea, b, ChangeAction::Unmerged, actor.id())
                .after(serde_json::json!({"merge_id": id, "merged_into": {"id": a, "title": survivor.title}})),
        )
        .await?;
        let ideas = [tx.ideas().get(a).await?, tx.ideas().get(b).await?];
        tx.commit().await?;
        let m = Merge {
            unmerged_at: Some(now),
            unmerged_by: actor.id(),
            ..m
        };
        Ok(merge_view_of(m, &ideas, now))
    }

    /// One merge.
    pub async fn merge(&self, id: MergeId) -> AppResult<MergeView> {
        let m = self.db.merge(id).await.or_not_found("merge")?;
        self.merge_view(m, Timestamp::now()).await
    }

    /// Merges into an idea, newest first (undone ones included).
    pub async fn merges_into(&self, idea: IdeaId) -> AppResult<Vec<MergeView>> {
        self.idea(idea).await?;
        let now = Timestamp::now();
        let merges = self.db.merges_into(idea, 200).await?;
        let ids: Vec<IdeaId> = merges
            .iter()
            .flat_map(|m| [m.survivor_id, m.merged_id])
            .collect();
        let ideas = self.db.ideas_by_ids(&ids).await?;
        Ok(merges
            .into_iter()
            .map(|m| merge_view_of(m, &ideas, now))
            .collect())
    }

    /// Where an idea was merged into, if it was; follows chains (B into A,
    /// then A into C) to the idea that is still live.
    pub async fn merged_into(&self, idea: IdeaId) -> AppResult<Option<IdeaId>> {
        let mut at = idea;
        let mut hops = 0;
        while let Some(next) = self.db.merged_into(at).await.or_not_found("idea")? {
            at = next;
            hops += 1;
            // Merges refuse cycles; the bound is a guard, not a rule.
            if hops > 64 {
                break;
            }
        }
        Ok((at != idea).then_some(at))
    }

    async fn merge_view(&self, merge: Merge, now: Timestamp) -> AppResult<MergeView> {
        let ideas = self
            .db
            .ideas_by_ids(&[merge.survivor_id, merge.merged_id])
            .await?;
        Ok(merge_view_of(merge, &ideas, now))
    }
}

/// A merge as shown, its two ideas' titles taken from `ideas`.
fn merge_view_of(merge: Merge, ideas: &[Idea], now: Timestamp) -> MergeView {
    let title = |id: IdeaId| {
        ideas
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.title.clone())
            .unwrap_or_default()
    };
    MergeView {
        survivor_title: title(merge.survivor_id),
        merged_title: title(merge.merged_id),
        unmerge_until: merge.deadline(),
        can_unmerge: merge.undoable(now),
        merge,
    }
}
