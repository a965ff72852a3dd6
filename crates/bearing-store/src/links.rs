//! Links between notes and ideas, and processing a note: linking it to ideas
//! (existing or new) or declining it, all in one transaction.

use crate::activity::Change;
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::notes::NoteRow;
use bearing_domain::*;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: Uuid,
    note_id: Uuid,
    idea_id: Uuid,
    excerpt: Option<String>,
    created_by: Option<Uuid>,
    created_at: i64,
}

impl From<LinkRow> for Link {
    fn from(r: LinkRow) -> Link {
        Link {
            id: LinkId(r.id),
            note_id: NoteId(r.note_id),
            idea_id: IdeaId(r.idea_id),
            excerpt: r.excerpt,
            created_by: r.created_by.map(UserId),
            created_at: Timestamp(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
struct LinkedNoteRow {
    #[sqlx(flatten)]
    note: NoteRow,
    link_id: Uuid,
    link_excerpt: Option<String>,
    link_created_by: Option<Uuid>,
    link_created_at: i64,
}

const UPSERT_LINK: &str = "INSERT INTO links (id, note_id, idea_id, excerpt, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (note_id, idea_id) DO UPDATE SET excerpt = excluded.excerpt";
const LINKS_OF_NOTE: &str = "SELECT id, note_id, idea_id, excerpt, created_by, created_at FROM links WHERE note_id = $1 ORDER BY id";
const LINK_BY_ID: &str =
    "SELECT id, note_id, idea_id, excerpt, created_by, created_at FROM links WHERE id = $1";
const DELETE_LINK: &str = "DELETE FROM links WHERE id = $1";
const NOTES_OF_IDEA: &str = "SELECT n.id, n.text, n.source, n.importance, n.customer_id, n.contact_id, n.reporter_id, n.tags, n.public_safe, n.state, n.wont_do_reason, n.underlying_need, n.workaround, n.processed_by, n.processed_at, n.created_at, n.updated_at, l.id AS link_id, l.excerpt AS link_excerpt, l.created_by AS link_created_by, l.created_at AS link_created_at FROM links l JOIN notes n ON n.id = l.note_id WHERE l.idea_id = $1 ORDER BY l.id DESC LIMIT $2";
const IDEA_EXISTS: &str = "SELECT id FROM ideas WHERE id = $1";

impl Tx {
    /// Link a note to an idea (or update the excerpt of an existing link).
    pub async fn link(
        &mut self,
        note: NoteId,
        idea: IdeaId,
        excerpt: Option<&str>,
        actor: Option<UserId>,
    ) -> StoreResult<()> {
        on_tx!(self, c => sqlx::query(UPSERT_LINK)
            .bind(LinkId::new().0).bind(note.0).bind(idea.0).bind(excerpt).bind(actor.map(|a| a.0)).bind(Timestamp::now().0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.touch_idea(idea).await?;
        self.refresh_demand(idea).await?;
        self.record(Change {
            entity_type: "idea",
            entity_id: idea.0,
            actor,
            action: "linked_note",
            before: None,
            after: Some(serde_json::json!({"note_id": note, "excerpt": excerpt})),
        })
        .await
    }
}

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

impl Db {
    /// Link a note to an idea on its own.
    pub async fn link_note(
        &self,
        note: NoteId,
        idea: IdeaId,
        excerpt: Option<&str>,
        actor: Option<UserId>,
    ) -> StoreResult<Link> {
        let mut tx = self.begin().await?;
        tx.note(note).await?;
        let exists: Option<Uuid> = on_tx!(&mut tx, c => sqlx::query_scalar(IDEA_EXISTS).bind(idea.0).fetch_optional(c).await)?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        tx.link(note, idea, excerpt, actor).await?;
        tx.commit().await?;
        self.links_of_note(note)
            .await?
            .into_iter()
            .find(|l| l.idea_id == idea)
            .ok_or(StoreError::NotFound)
    }

    /// A link by id.
    pub async fn link_by_id(&self, id: LinkId) -> StoreResult<Link> {
        let row: LinkRow =
            on_db!(self, p => sqlx::query_as(LINK_BY_ID).bind(id.0).fetch_one(p).await)?;
        Ok(row.into())
    }

    /// Remove a link.
    pub async fn unlink(&self, id: LinkId, actor: Option<UserId>) -> StoreResult<()> {
        let link = self.link_by_id(id).await?;
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(DELETE_LINK).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        tx.refresh_demand(link.idea_id).await?;
        tx.record(Change {
            entity_type: "idea",
            entity_id: link.idea_id.0,
            actor,
            action: "unlinked_note",
            before: None,
            after: Some(serde_json::json!({"note_id": link.note_id})),
        })
        .await?;
        tx.commit().await
    }

    /// The ideas a note is linked to.
    pub async fn links_of_note(&self, note: NoteId) -> StoreResult<Vec<Link>> {
        let rows: Vec<LinkRow> =
            on_db!(self, p => sqlx::query_as(LINKS_OF_NOTE).bind(note.0).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Link::from).collect())
    }

    /// The latest `limit` notes linked to an idea, with their links.
    pub async fn notes_of_idea(&self, idea: IdeaId, limit: i64) -> StoreResult<Vec<(Link, Note)>> {
        let rows: Vec<LinkedNoteRow> = on_db!(self, p => sqlx::query_as(NOTES_OF_IDEA).bind(idea.0).bind(limit).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| {
                let note: Note = r.note.try_into()?;
                let link = Link {
                    id: LinkId(r.link_id),
                    note_id: note.id,
                    idea_id: idea,
                    excerpt: r.link_excerpt,
                    created_by: r.link_created_by.map(UserId),
                    created_at: Timestamp(r.link_created_at),
                };
                Ok((link, note))
            })
            .collect()
    }

    /// Process a note as `plan` says, all or nothing: every link, the new
    /// idea, and the state change land together or not at all.
    pub async fn process_note(
        &self,
        id: NoteId,
        plan: ProcessPlan,
        actor: Option<UserId>,
    ) -> StoreResult<Processed> {
        let mut tx = self.begin().await?;
        let before = tx.note(id).await?;
        let mut note = before.clone();
        let now = Timestamp::now();
        let mut linked = Vec::new();
        let mut new_idea = None;
        match plan {
            ProcessPlan::Link {
                links,
                new_idea: idea,
                underlying_need,
                workaround,
            } => {
                for l in &links {
                    let exists: Option<Uuid> = on_tx!(&mut tx, c => sqlx::query_scalar(IDEA_EXISTS).bind(l.idea_id.0).fetch_optional(c).await)?;
                    if exists.is_none() {
                        return Err(StoreError::Constraint(format!(
                            "idea {} does not exist",
                            l.idea_id
                        )));
                    }
                    tx.link(id, l.idea_id, l.excerpt.as_deref(), actor).await?;
                    linked.push(l.idea_id);
                }
                if let Some(boxed) = idea {
                    let (idea, excerpt) = *boxed;
                    let idea_id = IdeaId::new();
                    tx.insert_idea(idea_id, &idea, actor, now).await?;
                    tx.link(id, idea_id, excerpt.as_deref(), actor).await?;
                    linked.push(idea_id);
                    new_idea = Some(idea_id);
                }
                note.state = NoteState::Processed;
                note.wont_do_reason = None;
                note.underlying_need = underlying_need.or(note.underlying_need);
                note.workaround = workaround.or(note.workaround);
            }
            ProcessPlan::Decline {
                reason,
                underlying_need,
                workaround,
            } => {
                note.state = NoteState::WontDo;
                note.wont_do_reason = Some(reason);
                note.underlying_need = underlying_need.or(note.underlying_need);
                note.workaround = workaround.or(note.workaround);
            }
        }
        note.processed_by = actor;
        note.processed_at = Some(now);
        note.updated_at = now;
        tx.set_note_state(&note).await?;
        tx.record(Change {
            entity_type: "note", entity_id: id.0, actor,
            action: if note.state == NoteState::WontDo { "declined" } else { "processed" },
            before: Some(serde_json::json!({"state": before.state})),
            after: Some(serde_json::json!({"state": note.state, "ideas": linked, "wont_do_reason": note.wont_do_reason})),
        }).await?;
        tx.commit().await?;
        Ok(Processed {
            note,
            new_idea,
            linked,
        })
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    UPSERT_LINK,
    LINKS_OF_NOTE,
    LINK_BY_ID,
    DELETE_LINK,
    NOTES_OF_IDEA,
    IDEA_EXISTS,
];
