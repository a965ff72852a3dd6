//! Comments on ideas and the people who follow an idea. Read from the
//! pool; written in a unit of work (`tx.comments()`, `tx.followers()`).

use crate::db::{Db, Tx};
use crate::error::StoreResult;
use bearing_domain::*;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: Uuid,
    idea_id: Uuid,
    author_id: Option<Uuid>,
    body: String,
    created_at: i64,
}

impl From<CommentRow> for Comment {
    fn from(r: CommentRow) -> Comment {
        Comment {
            id: CommentId(r.id),
            idea_id: IdeaId(r.idea_id),
            author_id: r.author_id.map(UserId),
            body: r.body,
            created_at: Timestamp(r.created_at),
        }
    }
}

const INSERT_COMMENT: &str =
    "INSERT INTO comments (id, idea_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5)";
const COMMENT_BY_ID: &str =
    "SELECT id, idea_id, author_id, body, created_at FROM comments WHERE id = $1";
const UPDATE_COMMENT: &str = "UPDATE comments SET body = $2 WHERE id = $1";
const COMMENTS_OF: &str = "SELECT id, idea_id, author_id, body, created_at FROM comments WHERE idea_id = $1 ORDER BY id LIMIT $2";
const FOLLOW: &str = "INSERT INTO followers (idea_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (idea_id, user_id) DO NOTHING";
const UNFOLLOW: &str = "DELETE FROM followers WHERE idea_id = $1 AND user_id = $2";
const FOLLOWERS_OF: &str =
    "SELECT user_id FROM followers WHERE idea_id = $1 ORDER BY created_at, user_id";

/// Comments inside a unit of work: `tx.comments()`.
pub struct CommentTx<'t>(&'t mut Tx);

/// Followers inside a unit of work: `tx.followers()`.
pub struct FollowerTx<'t>(&'t mut Tx);

impl Tx {
    /// Read and write comments in this transaction.
    pub fn comments(&mut self) -> CommentTx<'_> {
        CommentTx(self)
    }

    /// Write who follows which idea in this transaction.
    pub fn followers(&mut self) -> FollowerTx<'_> {
        FollowerTx(self)
    }
}

impl CommentTx<'_> {
    /// A comment, read inside the transaction.
    pub async fn get(&mut self, id: CommentId) -> StoreResult<Comment> {
        let row: CommentRow =
            on_tx!(&mut *self.0, c => sqlx::query_as(COMMENT_BY_ID).bind(id.0).fetch_one(c).await)?;
        Ok(row.into())
    }

    /// Add a comment.
    pub async fn insert(&mut self, c: &Comment) -> StoreResult<()> {
        on_tx!(&mut *self.0, conn => sqlx::query(INSERT_COMMENT).bind(c.id.0).bind(c.idea_id.0).bind(c.author_id.map(|a| a.0)).bind(&c.body).bind(c.created_at.0).execute(conn).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Replace a comment's body.
    pub async fn set_body(&mut self, id: CommentId, body: &str) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(UPDATE_COMMENT).bind(id.0).bind(body).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl FollowerTx<'_> {
    /// `user` follows `idea` from `at` (no change if they already do).
    pub async fn follow(&mut self, idea: IdeaId, user: UserId, at: Timestamp) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(FOLLOW).bind(idea.0).bind(user.0).bind(at.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// `user` stops following `idea`.
    pub async fn unfollow(&mut self, idea: IdeaId, user: UserId) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(UNFOLLOW).bind(idea.0).bind(user.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Db {
    /// A comment by id.
    pub async fn comment(&self, id: CommentId) -> StoreResult<Comment> {
        let row: CommentRow =
            on_db!(self, p => sqlx::query_as(COMMENT_BY_ID).bind(id.0).fetch_one(p).await)?;
        Ok(row.into())
    }

    /// The first `limit` comments on an idea, oldest first.
    pub async fn comments_of(&self, idea: IdeaId, limit: i64) -> StoreResult<Vec<Comment>> {
        let rows: Vec<CommentRow> = on_db!(self, p => sqlx::query_as(COMMENTS_OF).bind(idea.0).bind(limit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Comment::from).collect())
    }

    /// Who follows an idea.
    pub async fn followers_of(&self, idea: IdeaId) -> StoreResult<Vec<UserId>> {
        let rows: Vec<Uuid> =
            on_db!(self, p => sqlx::query_scalar(FOLLOWERS_OF).bind(idea.0).fetch_all(p).await)?;
        Ok(rows.into_iter().map(UserId).collect())
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    INSERT_COMMENT,
    COMMENT_BY_ID,
    UPDATE_COMMENT,
    COMMENTS_OF,
    FOLLOW,
    UNFOLLOW,
    FOLLOWERS_OF,
];
