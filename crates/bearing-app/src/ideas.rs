//! Ideas, areas and comments: create, change, list and show with who asked.

use crate::error::OrNotFound;
use crate::unit::{bottom_rank, check_idea_refs, live_idea};
use crate::views::*;
use crate::{Actor, App, AppError, AppResult};
use bearing_domain::*;
use std::collections::HashMap;

impl App {
    /// Create an idea, at the bottom of its area's board.
    pub async fn create_idea(&self, actor: &Actor, input: NewIdea) -> AppResult<Idea> {
        actor.must_manage()?;
        let input = input.validate()?;
        let mut tx = self.db.begin().await?;
        let idea = self
            .create_idea_in(&mut tx, actor.id(), input, Timestamp::now(), "")
            .await?;
        tx.commit().await?;
        Ok(idea)
    }

    /// Create an idea inside a workflow's unit of work (processing a note
    /// creates one too); errors name fields with `prefix`.
    pub(crate) async fn create_idea_in(
        &self,
        tx: &mut bearing_store::Tx,
        by: Option<UserId>,
        input: NewIdea,
        at: Timestamp,
        prefix: &str,
    ) -> AppResult<Idea> {
        check_idea_refs(tx, input.area_id, input.owner_id, prefix).await?;
        let rank = match input.area_id {
            Some(a) => Some(bottom_rank(tx, a).await?),
            None => None,
        };
        let idea = Idea::created(IdeaId::new(), input, rank, at);
        tx.ideas().insert(&idea).await?;
        tx.record(
            &Change::new(EntityKind::Idea, idea.id, ChangeAction::Created, by)
                .after(serde_json::json!({"title": idea.title, "status": idea.status})),
        )
        .await?;
        Ok(idea)
    }

    /// Change an idea. Moving it to another area puts it at the bottom of
    /// that area's board; a new effort re-scores its RICE.
    pub async fn update_idea(&self, actor: &Actor, id: IdeaId, ch: IdeaChanges) -> AppResult<Idea> {
        actor.must_manage()?;
        let ch = ch.validate()?;
        let labels_changed = ch.labels.is_some();
        let mut tx = self.db.begin().await?;
        let before = live_idea(&mut tx, id, "id").await?;
        check_idea_refs(&mut tx, ch.area_id, ch.owner_id, "").await?;
        let mut after = before.with_changes(ch, Timestamp::now());
        if before.changed_area(&after) {
            after.board_rank = match after.area_id {
                Some(a) => Some(bottom_rank(&mut tx, a).await?),
                None => None,
            };
        }
        tx.ideas().update(&after, labels_changed).await?;
        tx.record(
            &Change::new(EntityKind::Idea, id, ChangeAction::Updated, actor.id())
                .before(before.history_fields())
                .after(after.history_fields()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// An idea.
    pub async fn idea(&self, id: IdeaId) -> AppResult<Idea> {
        self.db.idea(id).await.or_not_found("idea")
    }

    /// One page of ideas with area names.
    pub async fn list_ideas(
        &self,
        f: &IdeaFilter,
        sort: IdeaSort,
        page: &PageRequest,
    ) -> AppResult<Page<IdeaRow>> {
        plain_opt("label", f.label.as_deref())?;
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
        let demand = bearing_domain::prioritisation::demand::breakdown_of(
            idea.demand_score,
            &counts,
            &customers,
        );
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
        let mut tx = self.db.begin().await?;
        live_idea(&mut tx, idea, "idea_id").await?;
        let now = Timestamp::now();
        let comment = Comment {
            id: CommentId::new(),
            idea_id: idea,
            author_id: actor.id(),
            body: input.body,
            created_at: now,
        };
        tx.comments().insert(&comment).await?;
        if let Some(author) = actor.id() {
            tx.followers().follow(idea, author, now).await?;
        }
        tx.ideas().touch(idea, now).await?;
        tx.record(
            &Change::new(EntityKind::Idea, idea, ChangeAction::Commented, actor.id())
                .after(serde_json::json!({"comment_id": comment.id})),
        )
        .await?;
        tx.commit().await?;
        Ok(comment)
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
        let mut tx = self.db.begin().await?;
        let before = tx.comments().get(id).await.or_not_found("comment")?;
        if before.author_id != Some(actor.user.id) {
            actor.must_manage().map_err(|_| {
                AppError::Forbidden("only the author, a PM or an admin can edit a comment".into())
            })?;
        }
        tx.comments().set_body(id, &input.body).await?;
        tx.record(
            &Change::new(
                EntityKind::Idea,
                before.idea_id,
                ChangeAction::EditedComment,
                actor.id(),
            )
            .before(serde_json::json!({"comment_id": id, "body": before.body}))
            .after(serde_json::json!({"comment_id": id, "body": input.body})),
        )
        .await?;
        tx.commit().await?;
        Ok(Comment {
            body: input.body,
            ..before
        })
    }

    /// Comments on an idea.
    pub async fn comments(&self, idea: IdeaId) -> AppResult<Vec<Comment>> {
        self.idea(idea).await?;
        Ok(self.db.comments_of(idea, 500).await?)
    }

    /// Follow or unfollow an idea.
    pub async fn follow(&self, actor: &Actor, idea: IdeaId, follow: bool) -> AppResult<()> {
        let mut tx = self.db.begin().await?;
        if follow {
            live_idea(&mut tx, idea, "idea_id").await?;
            tx.followers()
                .follow(idea, actor.user.id, Timestamp::now())
                .await?;
        } else {
            tx.ideas().get(idea).await.or_not_found("idea")?;
            tx.followers().unfollow(idea, actor.user.id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Create a product area.
    pub async fn create_area(&self, actor: &Actor, input: NewArea) -> AppResult<Area> {
        actor.must_manage()?;
        let input = input.validate()?;
        let area = Area {
            id: AreaId::new(),
            key: input.key.unwrap_or_default(),
            name: input.name,
            description: input.description,
            created_at: Timestamp::now(),
        };
        let mut tx = self.db.begin().await?;
        tx.areas()
            .insert(&area)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => AppError::Invalid(ValidationError::new(
                    "key",
                    "an area with that key already exists",
                )),
                other => other,
            })?;
        tx.record(
            &Change::new(EntityKind::Area, area.id, ChangeAction::Created, actor.id())
                .after(serde_json::json!({"key": area.key, "name": area.name})),
        )
        .await?;
        tx.commit().await?;
        Ok(area)
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
        plain_opt("name", name)?;
        plain_opt("description", description)?;
        if name.is_some_and(|n| n.trim().is_empty()) {
            return Err(ValidationError::missing("name", "name is required").into());
        }
        let mut tx = self.db.begin().await?;
        let before = tx.areas().get(id).await.or_not_found("area")?;
        let after = Area {
            name: name.map_or(before.name.clone(), |n| n.trim().to_string()),
            description: description.map_or(before.description.clone(), |d| d.trim().to_string()),
            ..before.clone()
        };
        tx.areas().update(&after).await?;
        tx.record(
            &Change::new(EntityKind::Area, id, ChangeAction::Updated, actor.id())
                .before(serde_json::json!({"name": before.name, "description": before.description}))
                .after(serde_json::json!({"name": after.name, "description": after.description})),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// An area.
    pub async fn area(&self, id: AreaId) -> AppResult<Area> {
        self.db.area(id).await.or_not_found("area")
    }

    /// An area by its key.
    pub async fn area_by_key(&self, key: &str) -> AppResult<Area> {
        // A key comes from a URL: one no area could have is not found,
        // and never reaches the database (PostgreSQL refuses a NUL).
        if plain_text("key", key).is_err() {
            return Err(AppError::NotFound("area".into()));
        }
        self.db
            .area_by_key(key)
            .await
            .map_err(AppError::from)
            .map_err(|e| match e {
                AppError::NotFound(_) => AppError::NotFound(format!("area with key '{key}'")),
                other => other,
            })
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
