//! Users, their sign-in sessions and API tokens.

use crate::db::Db;
use crate::error::{StoreError, StoreResult};
use crate::rows::key;
use bearing_domain::{ApiToken, Role, Timestamp, TokenId, User, UserId};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct UserRow {
    id: Uuid,
    email: String,
    name: String,
    role: String,
    created_at: i64,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> StoreResult<User> {
        Ok(User {
            id: UserId(r.id),
            email: r.email,
            name: r.name,
            role: key(&r.role, "role")?,
            created_at: Timestamp(r.created_at),
        })
    }
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: Uuid,
    user_id: Uuid,
    name: String,
    created_at: i64,
    last_used_at: Option<i64>,
}

const INSERT_USER: &str = "INSERT INTO users (id, email, email_lower, name, role, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const USER_BY_ID: &str = "SELECT id, email, name, role, created_at FROM users WHERE id = $1";
const USER_BY_EMAIL: &str =
    "SELECT id, email, name, role, created_at FROM users WHERE email_lower = $1";
const PASSWORD_BY_EMAIL: &str = "SELECT id, password_hash FROM users WHERE email_lower = $1";
const ALL_USERS: &str = "SELECT id, email, name, role, created_at FROM users ORDER BY name, id";
const COUNT_USERS: &str = "SELECT COUNT(*) FROM users";
const SET_PASSWORD: &str = "UPDATE users SET password_hash = $2 WHERE id = $1";
const INSERT_SESSION: &str = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
const SESSION_USER: &str = "SELECT u.id, u.email, u.name, u.role, u.created_at, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2";
const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";
const PURGE_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at <= $1";
const INSERT_TOKEN: &str = "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)";
const TOKEN_USER: &str = "SELECT u.id, u.email, u.name, u.role, u.created_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1";
const TOUCH_TOKEN: &str = "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1";
const TOKENS_OF_USER: &str = "SELECT id, user_id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id";

/// A user as stored, with the secret hash, for account creation.
pub struct NewUserRecord<'a> {
    /// Sign-in email.
    pub email: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Role.
    pub role: Role,
    /// Argon2 PHC string.
    pub password_hash: &'a str,
}

#[derive(sqlx::FromRow)]
struct TokenUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    last_used_at: Option<i64>,
}

/// How stale `last_used_at` may get before a request refreshes it: writing
/// it on every call would turn every API read into a write.
const TOUCH_EVERY_MS: i64 = 5 * 60 * 1000;

#[derive(sqlx::FromRow)]
struct SessionUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
}

impl Db {
    /// Create a user; `Conflict` if the email is taken.
    pub async fn insert_user(&self, u: NewUserRecord<'_>) -> StoreResult<User> {
        let id = UserId::new();
        let now = Timestamp::now();
        on_db!(self, p => sqlx::query(INSERT_USER)
            .bind(id.0).bind(u.email.trim()).bind(u.email.trim().to_lowercase()).bind(u.name.trim())
            .bind(u.role.as_str()).bind(u.password_hash).bind(now.0)
            .execute(p).await.map(|r| r.rows_affected()))?;
        Ok(User {
            id,
            email: u.email.trim().into(),
            name: u.name.trim().into(),
            role: u.role,
            created_at: now,
        })
    }

    /// A user by id.
    pub async fn user(&self, id: UserId) -> StoreResult<User> {
        let row: UserRow =
            on_db!(self, p => sqlx::query_as(USER_BY_ID).bind(id.0).fetch_one(p).await)?;
        row.try_into()
    }

    /// A user by email, case-insensitively.
    pub async fn user_by_email(&self, email: &str) -> StoreResult<User> {
        let row: UserRow = on_db!(self, p => sqlx::query_as(USER_BY_EMAIL).bind(email.trim().to_lowercase()).fetch_one(p).await)?;
        row.try_into()
    }

    /// The user id and password hash for an email, for sign-in.
    pub async fn password_hash(&self, email: &str) -> StoreResult<(UserId, String)> {
        let (id, hash): (Uuid, String) = on_db!(self, p => sqlx::query_as(PASSWORD_BY_EMAIL).bind(email.trim().to_lowercase()).fetch_one(p).await)?;
        Ok((UserId(id), hash))
    }

    /// Replace a user's password hash.
    pub async fn set_password_hash(&self, id: UserId, hash: &str) -> StoreResult<()> {
        let r = on_db!(self, p => sqlx::query(SET_PASSWORD).bind(id.0).bind(hash).execute(p).await.map(|r| r.rows_affected()))?;
        if r == 0 {
            Err(StoreError::NotFound)
        } else {
            Ok(())
        }
    }

    /// Every user, by name (workspaces hold tens to hundreds of users).
    pub async fn users(&self) -> StoreResult<Vec<User>> {
        let rows: Vec<UserRow> = on_db!(self, p => sqlx::query_as(ALL_USERS).fetch_all(p).await)?;
        rows.into_iter().map(User::try_from).collect()
    }

    /// How many users exist.
    pub async fn count_users(&self) -> StoreResult<i64> {
        Ok(on_db!(self, p => sqlx::query_scalar(COUNT_USERS).fetch_one(p).await)?)
    }

    /// Record a sign-in session by the hash of its secret.
    pub async fn insert_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf: &str,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        let now = Timestamp::now();
        on_db!(self, p => sqlx::query(INSERT_SESSION).bind(token_hash).bind(user.0).bind(csrf).bind(now.0).bind(expires_at.0).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The user and CSRF token of a live session.
    pub async fn session_user(&self, token_hash: &str) -> StoreResult<(User, String)> {
        let row: SessionUserRow = on_db!(self, p => sqlx::query_as(SESSION_USER).bind(token_hash).bind(Timestamp::now().0).fetch_one(p).await)?;
        Ok((row.user.try_into()?, row.csrf_token))
    }

    /// End a session.
    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        on_db!(self, p => sqlx::query(DELETE_SESSION).bind(token_hash).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Remove expired sessions.
    pub async fn purge_sessions(&self) -> StoreResult<u64> {
        Ok(
            on_db!(self, p => sqlx::query(PURGE_SESSIONS).bind(Timestamp::now().0).execute(p).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Record an API token by the hash of its secret.
    pub async fn insert_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<ApiToken> {
        let id = TokenId::new();
        let now = Timestamp::now();
        on_db!(self, p => sqlx::query(INSERT_TOKEN).bind(id.0).bind(user.0).bind(name).bind(token_hash).bind(now.0).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(ApiToken {
            id,
            user_id: user,
            name: name.into(),
            created_at: now,
            last_used_at: None,
        })
    }

    /// The user an API token acts as, marking the token used (to within
    /// five minutes: writing on every call would turn each API read into a write).
    pub async fn token_user(&self, token_hash: &str) -> StoreResult<User> {
        let row: TokenUserRow =
            on_db!(self, p => sqlx::query_as(TOKEN_USER).bind(token_hash).fetch_one(p).await)?;
        let now = Timestamp::now().0;
        if row.last_used_at.is_none_or(|t| now - t > TOUCH_EVERY_MS) {
            // Last-used is advisory; a failed touch must not fail the request.
            let _ = on_db!(self, p => sqlx::query(TOUCH_TOKEN).bind(token_hash).bind(now).execute(p).await.map(|r| r.rows_affected()));
        }
        row.user.try_into()
    }

    /// A user's API tokens (without secrets).
    pub async fn tokens_of(&self, user: UserId) -> StoreResult<Vec<ApiToken>> {
        let rows: Vec<TokenRow> =
            on_db!(self, p => sqlx::query_as(TOKENS_OF_USER).bind(user.0).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| ApiToken {
                id: TokenId(r.id),
                user_id: UserId(r.user_id),
                name: r.name,
                created_at: Timestamp(r.created_at),
                last_used_at: r.last_used_at.map(Timestamp),
            })
            .collect())
    }
}

/// Every static SQL text in this file, for the prepare-everything test.
pub const STATEMENTS: &[&str] = &[
    INSERT_USER,
    USER_BY_ID,
    USER_BY_EMAIL,
    PASSWORD_BY_EMAIL,
    ALL_USERS,
    COUNT_USERS,
    SET_PASSWORD,
    INSERT_SESSION,
    SESSION_USER,
    DELETE_SESSION,
    PURGE_SESSIONS,
    INSERT_TOKEN,
    TOKEN_USER,
    TOUCH_TOKEN,
    TOKENS_OF_USER,
];
