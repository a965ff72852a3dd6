//! Notes: the feedback inbox. Reading notes (one, a filtered page, the
//! counts per state) and, inside a unit of work (`tx.notes()`), writing
//! them. Tags are kept whole on the row (read back as JSON) and in
//! `note_tags` for filtering, written in the same transaction.

use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::list::{SortKey, keyset, page_of};
use crate::rows::{key, string_list, to_json_list};
use bearing_domain::*;
use sea_query::{Expr, ExprTrait, Query};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct NoteRow {
    id: Uuid,
    text: String,
    source: String,
    importance: String,
    customer_id: Option<Uuid>,
    contact_id: Option<Uuid>,
    reporter_id: Option<Uuid>,
    tags: String,
    public_safe: bool,
    state: String,
    wont_do_reason: Option<String>,
    underlying_need: Option<String>,
    workaround: Option<String>,
    processed_by: Option<Uuid>,
    processed_at: Option<i64>,
    created_at: i64,
    updated_at: i64,
}

impl TryFrom<NoteRow> for Note {
    type Error = StoreError;
    fn try_from(r: NoteRow) -> StoreResult<Note> {
        Ok(Note {
            id: NoteId(r.id),
            text: r.text,
            source: key(&r.source, "source")?,
            importance: key(&r.importance, "importance")?,
            customer_id: r.customer_id.map(CustomerId),
            contact_id: r.contact_id.map(ContactId),
            reporter_id: r.reporter_id.map(UserId),
            tags: string_list(&r.tags),
            public_safe: r.public_safe,
            state: key(&r.state, "state")?,
            wont_do_reason: r.wont_do_reason,
            underlying_need: r.underlying_need,
            workaround: r.workaround,
            processed_by: r.processed_by.map(UserId),
            processed_at: r.processed_at.map(Timestamp),
            created_at: Timestamp(r.created_at),
            updated_at: Timestamp(r.updated_at),
        })
    }
}

pub(crate) const NOTE_COLUMNS: [&str; 17] = [
    "id",
    "text",
    "source",
    "importance",
    "customer_id",
    "contact_id",
    "reporter_id",
    "tags",
    "public_safe",
    "state",
    "wont_do_reason",
    "underlying_need",
    "workaround",
    "processed_by",
    "processed_at",
    "created_at",
    "updated_at",
];

const INSERT_NOTE: &str = "INSERT INTO notes (id, text, source, importance, customer_id, contact_id, reporter_id, tags, public_safe, state, wont_do_reason, underlying_need, workaround, processed_by, processed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
const INSERT_TAG: &str =
    "INSERT INTO note_tags (note_id, tag) VALUES ($1, $2) ON CONFLICT (note_id, tag) DO NOTHING";
const DELETE_TAGS: &str = "DELETE FROM note_tags WHERE note_id = $1";
const NOTE_BY_ID: &str = "SELECT id, text, source, importance, customer_id, contact_id, reporter_id, tags, public_safe, state, wont_do_reason, underlying_need, workaround, processed_by, processed_at, created_at, updated_at FROM notes WHERE id = $1";
const UPDATE_NOTE: &str = "UPDATE notes SET text = $2, source = $3, importance = $4, customer_id = $5, contact_id = $6, tags = $7, public_safe = $8, updated_at = $9 WHERE id = $1";
const SET_NOTE_STATE: &str = "UPDATE notes SET state = $2, wont_do_reason = $3, underlying_need = $4, workaround = $5, processed_by = $6, processed_at = $7, updated_at = $8 WHERE id = $1";
const COUNT_BY_STATE: &str = "SELECT state, COUNT(*) FROM notes GROUP BY state";

/// Notes inside a unit of work: `tx.notes()`.
pub struct NoteTx<'t>(&'t mut Tx);

impl Tx {
    /// Read and write notes in this transaction.
    pub fn notes(&mut self) -> NoteTx<'_> {
        NoteTx(self)
    }
}

impl NoteTx<'_> {
    /// A note, read inside the transaction.
    pub async fn get(&mut self, id: NoteId) -> StoreResult<Note> {
        let row: NoteRow =
            on_tx!(&mut *self.0, c => sqlx::query_as(NOTE_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Insert a note and its tag rows.
    pub async fn insert(&mut self, n: &Note) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(INSERT_NOTE)
            .bind(n.id.0).bind(&n.text).bind(n.source.as_str()).bind(n.importance.as_str())
            .bind(n.customer_id.map(|x| x.0)).bind(n.contact_id.map(|x| x.0)).bind(n.reporter_id.map(|x| x.0))
            .bind(to_json_list(&n.tags)).bind(n.public_safe).bind(n.state.as_str()).bind(n.wont_do_reason.as_deref())
            .bind(n.underlying_need.as_deref()).bind(n.workaround.as_deref()).bind(n.processed_by.map(|x| x.0))
            .bind(n.processed_at.map(|t| t.0)).bind(n.created_at.0).bind(n.updated_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.write_tags(n.id, &n.tags).await
    }

    async fn write_tags(&mut self, id: NoteId, tags: &[String]) -> StoreResult<()> {
        for t in tags {
            on_tx!(&mut *self.0, c => sqlx::query(INSERT_TAG).bind(id.0).bind(t).execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
    }

    /// Write a note's content fields as they now are (text, source,
    /// importance, customer, contact, tags, public safety); rewrites the tag
    /// rows when `tags_changed`.
    pub async fn update(&mut self, n: &Note, tags_changed: bool) -> StoreResult<()> {
        let changed = on_tx!(&mut *self.0, c => sqlx::query(UPDATE_NOTE)
            .bind(n.id.0).bind(&n.text).bind(n.source.as_str()).bind(n.importance.as_str())
            .bind(n.customer_id.map(|x| x.0)).bind(n.contact_id.map(|x| x.0)).bind(to_json_list(&n.tags))
            .bind(n.public_safe).bind(n.updated_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        if tags_changed {
            on_tx!(&mut *self.0, c => sqlx::query(DELETE_TAGS).bind(n.id.0).execute(c).await.map(|r| r.rows_affected()))?;
            self.write_tags(n.id, &n.tags).await?;
        }
        Ok(())
    }

    /// Write a note's triage state and the PM's notes on it.
    pub async fn set_state(&mut self, n: &Note) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(SET_NOTE_STATE)
            .bind(n.id.0).bind(n.state.as_str()).bind(n.wont_do_reason.as_deref()).bind(n.underlying_need.as_deref())
            .bind(n.workaround.as_deref()).bind(n.processed_by.map(|x| x.0)).bind(n.processed_at.map(|t| t.0))
            .bind(n.updated_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// A note by id.
    pub async fn note(&self, id: NoteId) -> StoreResult<Note> {
        let row: NoteRow =
            on_db!(self, p => sqlx::query_as(NOTE_BY_ID).bind(id.0).fetch_one(p).await)?;
        row.try_into()
    }

    /// List notes matching `f`, in `sort` order, one page at a time.
    pub async fn list_notes(
        &self,
        f: &NoteFilter,
        sort: NoteSort,
        page: &PageRequest,
    ) -> StoreResult<Page<Note>> {
        let q = notes_query(f, sort, page, false);
        let rows: Vec<NoteRow> = fetch_built!(self, q, NoteRow)?;
        let notes = rows
            .into_iter()
            .map(Note::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(page_of(notes, page.limit, |n| (CursorKey::None, n.id.0)))
    }

    /// Like [`Db::list_notes`], with each note's customer name joined in one
    /// query (the inbox's hot path).
    pub async fn list_notes_named(
        &self,
        f: &NoteFilter,
        sort: NoteSort,
        page: &PageRequest,
    ) -> StoreResult<Page<(Note, Option<String>)>> {
        let q = notes_query(f, sort, page, true);
        let rows: Vec<NamedNoteRow> = fetch_built!(self, q, NamedNoteRow)?;
        let notes = rows
            .into_iter()
            .map(|r| Ok((Note::try_from(r.note)?, r.customer_name)))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(page_of(notes, page.limit, |(n, _)| {
            (CursorKey::None, n.id.0)
        }))
    }

    /// How many notes are in each triage state.
    pub async fn note_counts(&self) -> StoreResult<Vec<(NoteState, i64)>> {
        let rows: Vec<(String, i64)> =
            on_db!(self, p => sqlx::query_as(COUNT_BY_STATE).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(s, n)| Ok((key(&s, "state")?, n)))
            .collect()
    }
}

#[derive(sqlx::FromRow)]
struct NamedNoteRow {
    #[sqlx(flatten)]
    note: NoteRow,
    customer_name: Option<String>,
}

/// The list query for notes: filters, optional customer-name join, keyset.
fn notes_query(
    f: &NoteFilter,
    sort: NoteSort,
    page: &PageRequest,
    with_customer: bool,
) -> sea_query::SelectStatement {
    let mut q = Query::select();
    q.from("notes").columns(NOTE_COLUMNS.map(|c| ("notes", c)));
    if let Some(s) = f.state {
        q.and_where(Expr::col(("notes", "state")).eq(s.as_str()));
    }
    if let Some(s) = f.source {
        q.and_where(Expr::col(("notes", "source")).eq(s.as_str()));
    }
    if let Some(i) = f.importance {
        q.and_where(Expr::col(("notes", "importance")).eq(i.as_str()));
    }
    if let Some(c) = f.customer_id {
        q.and_where(Expr::col(("notes", "customer_id")).eq(c.0));
    }
    if let Some(p) = f.public_safe {
        q.and_where(Expr::col(("notes", "public_safe")).eq(p));
    }
    if let Some(t) = &f.tag {
        q.and_where(
            Expr::col(("notes", "id")).in_subquery(
                Query::select()
                    .column("note_id")
                    .from("note_tags")
                    .and_where(Expr::col("tag").eq(t.to_lowercase()))
                    .to_owned(),
            ),
        );
    }
    if let Some(i) = f.idea_id {
        q.and_where(
            Expr::col(("notes", "id")).in_subquery(
                Query::select()
                    .column("note_id")
                    .from("links")
                    .and_where(Expr::col("idea_id").eq(i.0))
                    .to_owned(),
            ),
        );
    }
    if let Some(a) = f.area_id {
        q.and_where(
            Expr::col(("notes", "id")).in_subquery(
                Query::select()
                    .column(("links", "note_id"))
                    .from("links")
                    .inner_join(
                        "ideas",
                        Expr::col(("ideas", "id")).equals(("links", "idea_id")),
                    )
                    .and_where(Expr::col(("ideas", "area_id")).eq(a.0))
                    .to_owned(),
            ),
        );
    }
    if with_customer {
        q.expr_as(Expr::col(("customers", "name")), "customer_name")
            .left_join(
                "customers",
                Expr::col(("customers", "id")).equals(("notes", "customer_id")),
            );
    }
    keyset(&mut q, "notes", SortKey::Id, sort == NoteSort::Newest, page);
    q
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    INSERT_NOTE,
    INSERT_TAG,
    DELETE_TAGS,
    NOTE_BY_ID,
    UPDATE_NOTE,
    SET_NOTE_STATE,
    COUNT_BY_STATE,
];
