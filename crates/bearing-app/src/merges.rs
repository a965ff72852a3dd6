//! Merging duplicate ideas and undoing a merge: who may (PMs and admins),
//! how refusals read, and the views the API and pages show. The moving of
//! rows is the store's, the rules are `bearing_domain::merge`'s.

use crate::{Actor, App, AppError, AppResult};
use bearing_domain::merge::{Merge, MergeId, MergeRefusal};
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
    match r {
        MergeRefusal::SameIdea => AppError::Invalid(ValidationError::new("into", r.to_string())),
        MergeRefusal::TargetMergedAway => {
            AppError::Invalid(ValidationError::new("into", r.to_string()))
        }
        other => AppError::Conflict(other.to_string()),
    }
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
        self.idea(merged).await?;
        self.db
            .idea(into)
            .await
            .map_err(AppError::from)
            .map_err(crate::missing_ref("into", "idea"))?;
        let m = self
            .db
            .merge_ideas(merged, into, actor.id(), now)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("idea"))?
            .map_err(refused)?;
        self.merge_view(m, now).await
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
        let m = self
            .db
            .unmerge(id, actor.id(), now)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("merge"))?
            .map_err(refused)?;
        self.merge_view(m, now).await
    }

    /// One merge.
    pub async fn merge(&self, id: MergeId) -> AppResult<MergeView> {
        let m = self
            .db
            .merge(id)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("merge"))?;
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
        while let Some(next) = self
            .db
            .merged_into(at)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("idea"))?
        {
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
