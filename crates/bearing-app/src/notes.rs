//! Notes: log feedback, change it, list the inbox, and process it into
//! ideas (link, create, decline) in one unit of work.

use crate::error::OrNotFound;
use crate::unit::{self, check_note_refs, live_idea_ref, refresh_demand};
use crate::views::*;
use crate::{Actor, App, AppResult};
use bearing_domain::*;
use std::collections::HashMap;

/// What processing a note produced.
#[derive(Clone, Debug)]
pub struct Processed {
    /// The note after processing.
    pub note: Note,
    /// The idea created from the note, if one was.
    pub new_idea: Option<IdeaId>,
    /// Every idea the note is now linked to.
    pub linked: Vec<IdeaId>,
}

impl App {
    /// Log a new note as `actor`.
    pub async fn create_note(&self, actor: &Actor, input: NewNote) -> AppResult<Note> {
        actor.must_contribute()?;
        let input = input.validate(self.config.max_note_bytes)?;
        let mut tx = self.db.begin().await?;
        check_note_refs(&mut tx, input.customer_id, input.contact_id).await?;
        let note = Note::logged(
            NoteId::new(),
            input,
            actor.id(),
            NoteState::Unprocessed,
            None,
            Timestamp::now(),
        );
        self.insert_note_in(&mut tx, &note).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// Store a note as another system had it — its reporter, triage state
    /// and time — for imports and bulk loads (PMs and admins).
    pub async fn import_note(
        &self,
        actor: &Actor,
        input: NewNote,
        reporter: Option<UserId>,
        state: NoteState,
        wont_do_reason: Option<String>,
        created_at: Timestamp,
    ) -> AppResult<Note> {
        actor.must_manage()?;
        let input = input.validate(self.config.max_note_bytes)?;
        plain_opt("wont_do_reason", wont_do_reason.as_deref())?;
        let mut tx = self.db.begin().await?;
        check_note_refs(&mut tx, input.customer_id, input.contact_id).await?;
        if let Some(r) = reporter {
            unit::check_user(&mut tx, r, "reporter_id").await?;
        }
        let note = Note::logged(
            NoteId::new(),
            input,
            reporter,
            state,
            wont_do_reason,
            created_at,
        );
        self.insert_note_in(&mut tx, &note).await?;
        tx.commit().await?;
        Ok(note)
    }

    /// Insert a note and record it, inside a workflow's unit of work.
    pub(crate) async fn insert_note_in(
        &self,
        tx: &mut bearing_store::Tx,
        note: &Note,
    ) -> AppResult<()> {
        tx.notes().insert(note).await?;
        tx.record(
            &Change::new(EntityKind::Note, note.id, ChangeAction::Created, note.reporter_id).after(
                serde_json::json!({"source": note.source, "importance": note.importance, "state": note.state}),
            ),
        )
        .await?;
        Ok(())
    }

    /// Change a note. A new importance or customer moves the demand of the
    /// ideas it is linked to, in the same transaction.
    pub async fn update_note(&self, actor: &Actor, id: NoteId, ch: NoteChanges) -> AppResult<Note> {
        actor.must_contribute()?;
        let ch = ch.validate(self.config.max_note_bytes)?;
        let tags_changed = ch.tags.is_some();
        let mut tx = self.db.begin().await?;
        check_note_refs(&mut tx, ch.customer_id, ch.contact_id).await?;
        let before = tx.notes().get(id).await.or_not_found("note")?;
        let after = before.with_changes(ch, Timestamp::now());
        tx.notes().update(&after, tags_changed).await?;
        if after.moves_demand(&before) {
            unit::refresh_demand_of_note(&mut tx, id).await?;
        }
        tx.record(
            &Change::new(EntityKind::Note, id, ChangeAction::Updated, actor.id())
                .before(before.history_fields())
                .after(after.history_fields()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// A note.
    pub async fn note(&self, id: NoteId) -> AppResult<Note> {
        self.db.note(id).await.or_not_found("note")
    }

    /// One page of notes with customer names.
    pub async fn list_notes(
        &self,
        f: &NoteFilter,
        sort: NoteSort,
        page: &PageRequest,
    ) -> AppResult<Page<NoteRow>> {
        plain_opt("tag", f.tag.as_deref())?;
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
    ) -> AppResult<Processed> {
        actor.must_manage()?;
        let mut tx = self.db.begin().await?;
        let before = tx.notes().get(id).await.or_not_found("note")?;
        let plan = req.plan(&before.text)?;
        let now = Timestamp::now();
        let mut linked = Vec::new();
        let mut new_idea = None;
        if let ProcessPlan::Link {
            links,
            new_idea: idea,
            ..
        } = &plan
        {
            for (i, l) in links.iter().enumerate() {
                live_idea_ref(&mut tx, l.idea_id, &format!("links[{i}].idea_id")).await?;
                self.link_in(
                    &mut tx,
                    actor.id(),
                    id,
                    l.idea_id,
                    l.excerpt.as_deref(),
                    now,
                )
                .await?;
                linked.push(l.idea_id);
            }
            if let Some((input, excerpt)) = idea.as_deref() {
                let idea = self
                    .create_idea_in(&mut tx, actor.id(), input.clone(), now, "new_idea.")
                    .await?;
                self.link_in(&mut tx, actor.id(), id, idea.id, excerpt.as_deref(), now)
                    .await?;
                linked.push(idea.id);
                new_idea = Some(idea.id);
            }
        }
        let note = before.processed(&plan, actor.id(), now);
        tx.notes().set_state(&note).await?;
        let action = if note.state == NoteState::WontDo {
            ChangeAction::Declined
        } else {
            ChangeAction::Processed
        };
        tx.record(
            &Change::new(EntityKind::Note, id, action, actor.id())
                .before(serde_json::json!({"state": before.state}))
                .after(serde_json::json!({"state": note.state, "ideas": linked, "wont_do_reason": note.wont_do_reason})),
        )
        .await?;
        tx.commit().await?;
        Ok(Processed {
            note,
            new_idea,
            linked,
        })
    }

    /// Link note `note` to idea `idea` inside a unit of work: the link (or a
    /// new excerpt on an existing one), the idea touched and its demand
    /// refreshed, the change recorded.
    pub(crate) async fn link_in(
        &self,
        tx: &mut bearing_store::Tx,
        by: Option<UserId>,
        note: NoteId,
        idea: IdeaId,
        excerpt: Option<&str>,
        at: Timestamp,
    ) -> AppResult<Link> {
        let link = tx.links().upsert(note, idea, excerpt, by, at).await?;
        tx.ideas().touch(idea, at).await?;
        refresh_demand(tx, idea).await?;
        tx.record(
            &Change::new(EntityKind::Idea, idea, ChangeAction::LinkedNote, by)
                .after(serde_json::json!({"note_id": note, "excerpt": excerpt})),
        )
        .await?;
        Ok(link)
    }

    /// Link a note to one idea.
    pub async fn link_note(
        &self,
        actor: &Actor,
        note: NoteId,
        req: LinkRequest,
    ) -> AppResult<Link> {
        actor.must_manage()?;
        let mut tx = self.db.begin().await?;
        let n = tx.notes().get(note).await.or_not_found("note")?;
        let excerpt = clean_excerpt(&n.text, req.excerpt.as_deref())?;
        live_idea_ref(&mut tx, req.idea_id, "idea_id").await?;
        let link = self
            .link_in(
                &mut tx,
                actor.id(),
                note,
                req.idea_id,
                excerpt.as_deref(),
                Timestamp::now(),
            )
            .await?;
        tx.commit().await?;
        Ok(link)
    }

    /// Remove a link.
    pub async fn unlink(&self, actor: &Actor, id: LinkId) -> AppResult<()> {
        actor.must_manage()?;
        let mut tx = self.db.begin().await?;
        let link = tx.links().get(id).await.or_not_found("link")?;
        tx.links().delete(id).await?;
        refresh_demand(&mut tx, link.idea_id).await?;
        tx.record(
            &Change::new(
                EntityKind::Idea,
                link.idea_id,
                ChangeAction::UnlinkedNote,
                actor.id(),
            )
            .after(serde_json::json!({"note_id": link.note_id})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A link.
    pub async fn link(&self, id: LinkId) -> AppResult<Link> {
        self.db.link_by_id(id).await.or_not_found("link")
    }

    /// The links of a note.
    pub async fn links_of_note(&self, id: NoteId) -> AppResult<Vec<Link>> {
        self.note(id).await?;
        Ok(self.db.links_of_note(id).await?)
    }
}
