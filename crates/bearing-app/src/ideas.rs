//! Ideas, areas and comments: create, change, list and show with who asked.

use crate::views::*;
use crate::{Actor, App, AppError, AppResult, missing_ref};
use bearing_domain::*;
use std::collections::HashMap;

impl App {
    pub(crate) async fn check_idea_refs(
        &self,
        area: Option<AreaId>,
        owner: Option<UserId>,
        prefix: &str,
    ) -> AppResult<()> {
        if let Some(a) = area {
            self.db
                .area(a)
                .await
                .map_err(AppError::from)
                .map_err(missing_ref(&format!("{prefix}area_id"), "area"))?;
        }
        if let Some(o) = owner {
            self.db
                .user(o)
                .await
                .map_err(AppError::from)
                .map_err(missing_ref(&format!("{prefix}owner_id"), "user"))?;
        }
        Ok(())
    }

    /// Refuse to change an idea that was merged away: the work belongs on
    /// the idea it was merged into, which the message names.
    pub(crate) async fn ensure_live(&self, idea: IdeaId, field: &str) -> AppResult<()> {
        match self.db.merged_into(idea).await? {
            None => Ok(()),
            Some(survivor) => Err(ValidationError::new(
                field,
                format!("idea {idea} was merged into {survivor}; make the change there"),
            )
            .into()),
        }
    }

    /// Create an idea.
    pub async fn create_idea(&self, actor: &Actor, input: NewIdea) -> AppResult<Idea> {
        actor.must_manage()?;
        let input = input.validate()?;
        self.check_idea_refs(input.area_id, input.owner_id, "")
            .await?;
        Ok(self.db.insert_idea(input, actor.id()).await?)
    }

    /// Change an idea.
    pub async fn update_idea(&self, actor: &Actor, id: IdeaId, ch: IdeaChanges) -> AppResult<Idea> {
        actor.must_manage()?;
        let ch = ch.validate()?;
        self.ensure_live(id, "id").await?;
        self.check_idea_refs(ch.area_id, ch.owner_id, "").await?;
        self.db
            .update_idea(id, ch, actor.id())
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("idea"))
    }

    /// An idea.
    pub async fn idea(&self, id: IdeaId) -> AppResult<Idea> {
        self.db
            .idea(id)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("idea"))
    }

    /// One page of ideas with area names.
    pub async fn list_ideas(
        &self,
        f: &IdeaFilter,
        sort: IdeaSort,
        page: &PageRequest,
    ) -> AppResult<Page<IdeaRow>> {
        let p = self.db.list_ideas(f, sort, page).await?;
        let areas: HashMap<AreaId, String> = self
            .db
            .areas()
            .await?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect();
        Ok(Page {
            items: p
                .items
                .into_iter()
                .map(|idea| IdeaRow {
                    area_name: idea.area_id.and_then(|a| areas.get(&a).cloned()),
                    idea,
                })
                .collect(),
            next_cursor: p.next_cursor,
        })
    }

    /// The latest `limit` notes linked to an idea, each with its customer
    /// (one query for the notes, one for their customers).
    pub(crate) async fn linked_notes(&self, id: IdeaId, limit: i64) -> AppResult<Vec<LinkedNote>> {
        let linked = self.db.notes_of_idea(id, limit).await?;
        let customers = self
            .customers_of(linked.iter().filter_map(|(_, n)| n.customer_id))
            .await?;
        Ok(with_customers(linked, &customers))
    }

    /// The customers with these ids (repeats allowed), by id: one query.
    pub(crate) async fn customers_of(
        &self,
        ids: impl Iterator<Item = CustomerId>,
    ) -> AppResult<HashMap<CustomerId, Customer>> {
        let mut ids: Vec<CustomerId> = ids.collect();
        ids.sort();
        ids.dedup();
        Ok(self
            .db
            .customers_by_ids(&ids)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect())
    }

    /// The notes linked to an idea, newest first (at most 500), with their
    /// customers.
    pub async fn idea_notes(&self, id: IdeaId) -> AppResult<Vec<LinkedNote>> {
        self.idea(id).await?;
        self.linked_notes(id, 500).await
    }

    /// An idea with its linked notes and customers, comments, followers and history.
    pub async fn idea_detail(&self, id: IdeaId) -> AppResult<IdeaDetail> {
        let idea = self.idea(id).await?;
        let users = users_by_id(self.db.users().await?);
        let area = match idea.area_id {
            Some(a) => self.db.area(a).await.ok(),
            None => None,
        };
        let owner = idea.owner_id.and_then(|o| users.get(&o).cloned());
        // Who is asking counts every link, per customer: its customers
        // cover the 500 notes listed, and its counts sum to all of them.
        let counts = self.db.demand_counts(id).await?;
        let customers = self
            .customers_of(counts.iter().filter_map(|c| c.customer_id))
            .await?;
        let notes = with_customers(self.db.notes_of_idea(id, 500).await?, &customers);
        let note_count = counts.iter().map(|c| c.notes).sum::<usize>() as i64;
        let demand = crate::prioritisation::breakdown_of(idea.demand_score, &counts, &customers);
        let name = |u: Option<UserId>| u.and_then(|u| users.get(&u).map(|u| u.name.clone()));
        let comments = self
            .db
            .comments_of(id, 500)
            .await?
            .into_iter()
            .map(|c| {
                let n = name(c.author_id);
                (c, n)
            })
            .collect();
        let followers = self
            .db
            .followers_of(id)
            .await?
            .into_iter()
            .filter_map(|u| users.get(&u).cloned())
            .collect();
        let activity = self
            .db
            .activity_of(id.0, 100)
            .await?
            .into_iter()
            .map(|a| {
                let n = name(a.actor_id);
                (a, n)
            })
            .collect();
        Ok(IdeaDetail {
            idea,
            area,
            owner,
            notes,
            note_count,
            demand,
            comments,
            followers,
            activity,
        })
    }

    /// Comment on an idea; the author follows it from then on.
    pub async fn comment(
        &self,
        actor: &Actor,
        idea: IdeaId,
        input: NewComment,
    ) -> AppResult<Comment> {
        actor.must_contribute()?;
        let input = input.validate()?;
        self.ensure_live(idea, "idea_id").await?;
        self.db
            .insert_comment(idea, actor.id(), &input.body)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("idea"))
    }

    /// Edit a comment: its author may, and so may PMs and admins (to redact).
    pub async fn update_comment(
        &self,
        actor: &Actor,
        id: CommentId,
        input: NewComment,
    ) -> AppResult<Comment> {
        actor.must_contribute()?;
        let input = input.validate()?;
        let c = self
            .db
            .comment(id)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("comment"))?;
        if c.author_id != Some(actor.user.id) {
            actor.must_manage().map_err(|_| {
                AppError::Forbidden("only the author, a PM or an admin can edit a comment".into())
            })?;
        }
        Ok(self.db.update_comment(id, &input.body, actor.id()).await?)
    }

    /// Comments on an idea.
    pub async fn comments(&self, idea: IdeaId) -> AppResult<Vec<Comment>> {
        self.idea(idea).await?;
        Ok(self.db.comments_of(idea, 500).await?)
    }

    /// Follow or unfollow an idea.
    pub async fn follow(&self, actor: &Actor, idea: IdeaId, follow: bool) -> AppResult<()> {
        if follow {
            self.ensure_live(idea, "idea_id").await?;
        }
        self.db
            .set_following(idea, actor.user.id, follow)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("idea"))
    }

    /// Create a product area.
    pub async fn create_area(&self, actor: &Actor, input: NewArea) -> AppResult<Area> {
        actor.must_manage()?;
        let input = input.validate()?;
        self.db
            .insert_area(input, actor.id())
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => AppError::Invalid(ValidationError::new(
                    "key",
                    "an area with that key already exists",
                )),
                other => other,
            })
    }

    /// Rename or re-describe an area; a field left `None` keeps its value.
    pub async fn update_area(
        &self,
        actor: &Actor,
        id: AreaId,
        name: Option<&str>,
        description: Option<&str>,
    ) -> AppResult<Area> {
        actor.must_manage()?;
        let cur = self.area(id).await?;
        let name = name.unwrap_or(&cur.name);
        let description = description.unwrap_or(&cur.description);
        if name.trim().is_empty() {
            return Err(ValidationError::missing("name", "name is required").into());
        }
        self.db
            .update_area(id, name.trim(), description.trim(), actor.id())
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("area"))
    }

    /// An area.
    pub async fn area(&self, id: AreaId) -> AppResult<Area> {
        self.db
            .area(id)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("area"))
    }

    /// Every area.
    pub async fn areas(&self) -> AppResult<Vec<Area>> {
        Ok(self.db.areas().await?)
    }
}

/// Pair each linked note with its customer from `customers`.
fn with_customers(
    linked: Vec<(Link, Note)>,
    customers: &HashMap<CustomerId, Customer>,
) -> Vec<LinkedNote> {
    linked
        .into_iter()
        .map(|(link, note)| LinkedNote {
            customer: note.customer_id.and_then(|c| customers.get(&c).cloned()),
            link,
            note,
        })
        .collect()
}
