//! Comments on ideas and the people who follow an idea.

use crate::activity::Change;
use crate::db::Db;
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

impl Db {
    /// Add a comment to an idea; the author starts following it.
    pub async fn insert_comment(
        &self,
        idea: IdeaId,
        author: Option<UserId>,
        body: &str,
    ) -> StoreResult<Comment> {
        let id = CommentId::new();
        let now = Timestamp::now();
        let mut tx = self.begin().await?;
        tx.idea(idea).await?;
        on_tx!(&mut tx, c => sqlx::query(INSERT_COMMENT).bind(id.0).bind(idea.0).bind(author.map(|a| a.0)).bind(body).bind(now.0).execute(c).await.map(|r| r.rows_affected()))?;
        if let Some(a) = author {
            on_tx!(&mut tx, c => sqlx::query(FOLLOW).bind(idea.0).bind(a.0).bind(now.0).execute(c).await.map(|r| r.rows_affected()))?;
        }
        tx.touch_idea(idea).await?;
        tx.record(Change {
            entity_type: "idea",
            entity_id: idea.0,
            actor: author,
            action: "commented",
            before: None,
            after: Some(serde_json::json!({"comment_id": id})),
        })
        .await?;
        tx.commit().await?;
        Ok(Comment {
            id,
            idea_id: idea,
            author_id: author,
            body: body.into(),
            created_at: now,
        })
    }

    /// A comment by id.
    pub async fn comment(&self, id: CommentId) -> StoreResult<Comment> {
        let row: CommentRow =
            on_db!(self, p => sqlx::query_as(COMMENT_BY_ID).bind(id.0).fetch_one(p).await)?;
        Ok(row.into())
    }

    /// Replace a comment's body, keeping the old text in the idea's history.
    pub async fn update_comment(
        &self,
        id: CommentId,
        body: &str,
        actor: Option<UserId>,
    ) -> StoreResult<Comment> {
        let before = self.comment(id).await?;
        let mut tx = self.begin().await?;
        on_tx!(&mut tx, c => sqlx::query(UPDATE_COMMENT).bind(id.0).bind(body).execute(c).await.map(|r| r.rows_affected()))?;
        tx.record(Change {
            entity_type: "idea",
            entity_id: before.idea_id.0,
            actor,
            action: "edited_comment",
            before: Some(serde_json::json!({"comment_id": id, "body": before.body})),
            after: Some(serde_json::json!({"comment_id": id, "body": body})),
        })
        .await?;
        tx.commit().await?;
        Ok(Comment {
            body: body.to_string(),
            ..before
        })
    }

    /// The first `limit` comments on an idea, oldest first.
    pub async fn comments_of(&self, idea: IdeaId, limit: i64) -> StoreResult<Vec<Comment>> {
        let rows: Vec<CommentRow> = on_db!(self, p => sqlx::query_as(COMMENTS_OF).bind(idea.0).bind(limit).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Comment::from).collect())
    }

    /// Follow or unfollow an idea.
    pub async fn set_following(&self, idea: IdeaId, user: UserId, follow: bool) -> StoreResult<()> {
        self.idea(idea).await?;
        if follow {
            on_db!(self, p => sqlx::query(FOLLOW).bind(idea.0).bind(user.0).bind(Timestamp::now().0).execute(p).await.map(|r| r.rows_affected()))?;
        } else {
            on_db!(self, p => sqlx::query(UNFOLLOW).bind(idea.0).bind(user.0).execute(p).await.map(|r| r.rows_affected()))?;
        }
        Ok(())
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
