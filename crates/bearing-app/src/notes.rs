//! Notes: log feedback, change it, list the inbox, and process it into ideas.

use crate::views::*;
use crate::{Actor, App, AppError, AppResult, missing_ref};
use bearing_domain::*;
use bearing_store::notes::NoteRecord;
use std::collections::HashMap;

impl App {
    /// Log a new note as `actor`.
    pub async fn create_note(&self, actor: &Actor, input: NewNote) -> AppResult<Note> {
        actor.must_contribute()?;
        let input = input.validate(self.config.max_note_bytes)?;
        self.check_note_refs(input.customer_id, input.contact_id)
            .await?;
        let rec = NoteRecord {
            input,
            reporter: actor.id(),
            state: NoteState::Unprocessed,
            wont_do_reason: None,
            created_at: Timestamp::now(),
        };
        Ok(self.db.insert_note(rec).await?)
    }

    async fn check_note_refs(
        &self,
        customer: Option<CustomerId>,
        contact: Option<ContactId>,
    ) -> AppResult<()> {
        if let Some(c) = customer {
            self.db
                .customer(c)
                .await
                .map_err(AppError::from)
                .map_err(missing_ref("customer_id", "customer"))?;
        }
        if let Some(c) = contact {
            let contact = self
                .db
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

    /// Change a note.
    pub async fn update_note(&self, actor: &Actor, id: NoteId, ch: NoteChanges) -> AppResult<Note> {
        actor.must_contribute()?;
        let ch = ch.validate(self.config.max_note_bytes)?;
        self.check_note_refs(ch.customer_id, ch.contact_id).await?;
        self.db
            .update_note(id, ch, actor.id())
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("note"))
    }

    /// A note.
    pub async fn note(&self, id: NoteId) -> AppResult<Note> {
        self.db
            .note(id)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("note"))
    }

    /// One page of notes with customer names.
    pub async fn list_notes(
        &self,
        f: &NoteFilter,
        sort: NoteSort,
        page: &PageRequest,
    ) -> AppResult<Page<NoteRow>> {
        let p = self.db.list_notes_named(f, sort, page).await?;
        Ok(Page {
            items: p
                .items
                .into_iter()
                .map(|(note, customer_name)| NoteRow {
                    note,
                    customer_name,
                })
                .collect(),
            next_cursor: p.next_cursor,
        })
    }

    /// A note with its customer, contact, reporter, linked ideas and history.
    pub async fn note_detail(&self, id: NoteId) -> AppResult<NoteDetail> {
        let note = self.note(id).await?;
        let customer = match note.customer_id {
            Some(c) => self.db.customer(c).await.ok(),
            None => None,
        };
        let contact = match note.contact_id {
            Some(c) => self.db.contact(c).await.ok(),
            None => None,
        };
        let reporter = match note.reporter_id {
            Some(u) => self.db.user(u).await.ok(),
            None => None,
        };
        let processed_by = match note.processed_by {
            Some(u) => self.db.user(u).await.ok(),
            None => None,
        };
        let links = self.db.links_of_note(id).await?;
        let ideas: HashMap<IdeaId, Idea> = self
            .db
            .ideas_by_ids(&links.iter().map(|l| l.idea_id).collect::<Vec<_>>())
            .await?
            .into_iter()
            .map(|i| (i.id, i))
            .collect();
        let ideas = links
            .into_iter()
            .filter_map(|link| {
                ideas
                    .get(&link.idea_id)
                    .cloned()
                    .map(|idea| LinkedIdea { link, idea })
            })
            .collect();
        let activity = self.db.activity_of(id.0, 50).await?;
        Ok(NoteDetail {
            note,
            customer,
            contact,
            reporter,
            processed_by,
            ideas,
            activity,
        })
    }

    /// Process a note: link it to ideas (existing or a new one) and mark it
    /// processed, or decline it as won't do — all in one transaction.
    pub async fn process_note(
        &self,
        actor: &Actor,
        id: NoteId,
        req: ProcessNote,
    ) -> AppResult<bearing_store::links::Processed> {
        actor.must_manage()?;
        let note = self.note(id).await?;
        let plan = req.plan(&note.text)?;
        if let ProcessPlan::Link {
            links, new_idea, ..
        } = &plan
        {
            for (i, l) in links.iter().enumerate() {
                self.db
                    .idea(l.idea_id)
                    .await
                    .map_err(AppError::from)
                    .map_err(|e| match e {
                        AppError::NotFound(_) => AppError::Invalid(ValidationError::new(
                            format!("links[{i}].idea_id"),
                            format!("no idea with id {}", l.idea_id),
                        )),
                        other => other,
                    })?;
                self.ensure_live(l.idea_id, &format!("links[{i}].idea_id"))
                    .await?;
            }
            if let Some((idea, _)) = new_idea.as_deref() {
                self.check_idea_refs(idea.area_id, idea.owner_id, "new_idea.")
                    .await?;
            }
        }
        Ok(self.db.process_note(id, plan, actor.id()).await?)
    }

    /// Link a note to one idea.
    pub async fn link_note(
        &self,
        actor: &Actor,
        note: NoteId,
        req: LinkRequest,
    ) -> AppResult<Link> {
        actor.must_manage()?;
        let n = self.note(note).await?;
        let excerpt = clean_excerpt(&n.text, req.excerpt.as_deref())?;
        self.db
            .idea(req.idea_id)
            .await
            .map_err(AppError::from)
            .map_err(missing_ref("idea_id", "idea"))?;
        self.ensure_live(req.idea_id, "idea_id").await?;
        Ok(self
            .db
            .link_note(note, req.idea_id, excerpt.as_deref(), actor.id())
            .await?)
    }

    /// Remove a link.
    pub async fn unlink(&self, actor: &Actor, id: LinkId) -> AppResult<()> {
        actor.must_manage()?;
        self.db
            .unlink(id, actor.id())
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("link"))
    }

    /// A link.
    pub async fn link(&self, id: LinkId) -> AppResult<Link> {
        self.db
            .link_by_id(id)
            .await
            .map_err(AppError::from)
            .map_err(AppError::not_found("link"))
    }

    /// The links of a note.
    pub async fn links_of_note(&self, id: NoteId) -> AppResult<Vec<Link>> {
        self.note(id).await?;
        Ok(self.db.links_of_note(id).await?)
    }
}
