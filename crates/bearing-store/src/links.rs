//! Links between notes and ideas: reading them (a note's, an idea's notes)
//! and, inside a unit of work (`tx.links()`), making and removing them.
//! Processing a note is the app's workflow over these.

use crate::db::{Db, Tx};
use crate::error::StoreResult;
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
const LINK_OF_PAIR: &str = "SELECT id, note_id, idea_id, excerpt, created_by, created_at FROM links WHERE note_id = $1 AND idea_id = $2";
const DELETE_LINK: &str = "DELETE FROM links WHERE id = $1";
const NOTES_OF_IDEA: &str = "SELECT n.id, n.text, n.source, n.importance, n.customer_id, n.contact_id, n.reporter_id, n.tags, n.public_safe, n.state, n.wont_do_reason, n.underlying_need, n.workaround, n.processed_by, n.processed_at, n.created_at, n.updated_at, l.id AS link_id, l.excerpt AS link_excerpt, l.created_by AS link_created_by, l.created_at AS link_created_at FROM links l JOIN notes n ON n.id = l.note_id WHERE l.idea_id = $1 ORDER BY l.id DESC LIMIT $2";

/// Links inside a unit of work: `tx.links()`.
pub struct LinkTx<'t>(&'t mut Tx);

impl Tx {
    /// Make and remove links in this transaction.
    pub fn links(&mut self) -> LinkTx<'_> {
        LinkTx(self)
    }
}

impl LinkTx<'_> {
    /// Link a note to an idea, or replace the excerpt of the link they
    /// have; returns the link as it now is.
    pub async fn upsert(
        &mut self,
        note: NoteId,
        idea: IdeaId,
        excerpt: Option<&str>,
        by: Option<UserId>,
        at: Timestamp,
    ) -> StoreResult<Link> {
        on_tx!(&mut *self.0, c => sqlx::query(UPSERT_LINK)
            .bind(LinkId::new().0).bind(note.0).bind(idea.0).bind(excerpt).bind(by.map(|a| a.0)).bind(at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        let row: LinkRow = on_tx!(&mut *self.0, c => sqlx::query_as(LINK_OF_PAIR).bind(note.0).bind(idea.0).fetch_one(c).await)?;
        Ok(row.into())
    }

    /// A link, read inside the transaction.
    pub async fn get(&mut self, id: LinkId) -> StoreResult<Link> {
        let row: LinkRow =
            on_tx!(&mut *self.0, c => sqlx::query_as(LINK_BY_ID).bind(id.0).fetch_one(c).await)?;
        Ok(row.into())
    }

    /// Remove a link.
    pub async fn delete(&mut self, id: LinkId) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(DELETE_LINK).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// A link by id.
    pub async fn link_by_id(&self, id: LinkId) -> StoreResult<Link> {
        let row: LinkRow =
            on_db!(self, p => sqlx::query_as(LINK_BY_ID).bind(id.0).fetch_one(p).await)?;
        Ok(row.into())
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
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    UPSERT_LINK,
    LINKS_OF_NOTE,
    LINK_BY_ID,
    LINK_OF_PAIR,
    DELETE_LINK,
    NOTES_OF_IDEA,
];
