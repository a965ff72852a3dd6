//! Accounts: users, their sign-ins (a browser's cookie session, by the hash
//! of its secret; never called a "session", which in Bearing means a
//! prioritisation session) and API tokens. Users and tokens are created in
//! a unit of work (`tx.accounts()`); sign-ins and token use are recorded
//! straight on the pool: they are authentication bookkeeping, not changes
//! to the workspace, and reading a page must not wait on a transaction.

use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::rows::key;
use bearing_domain::{ApiToken, Timestamp, TokenId, User, UserId};
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
const INSERT_SIGN_IN: &str = "INSERT INTO sign_ins (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)";
const SIGNED_IN_USER: &str = "SELECT u.id, u.email, u.name, u.role, u.created_at, s.csrf_token FROM sign_ins s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2";
const DELETE_SIGN_IN: &str = "DELETE FROM sign_ins WHERE token_hash = $1";
const PURGE_SIGN_INS: &str = "DELETE FROM sign_ins WHERE expires_at <= $1";
const INSERT_TOKEN: &str = "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)";
const TOKEN_USER: &str = "SELECT u.id, u.email, u.name, u.role, u.created_at, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1";
const TOUCH_TOKEN: &str = "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1";
const TOKENS_OF_USER: &str = "SELECT id, user_id, name, created_at, last_used_at FROM api_tokens WHERE user_id = $1 ORDER BY id";

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
struct SignedInUserRow {
    #[sqlx(flatten)]
    user: UserRow,
    csrf_token: String,
}

/// Accounts inside a unit of work: `tx.accounts()`.
pub struct AccountTx<'t>(&'t mut Tx);

impl Tx {
    /// Create users and tokens in this transaction.
    pub fn accounts(&mut self) -> AccountTx<'_> {
        AccountTx(self)
    }
}

impl AccountTx<'_> {
    /// Create a user with the argon2 PHC string of their password;
    /// `Conflict` if the email is taken.
    pub async fn insert_user(&mut self, u: &User, password_hash: &str) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(INSERT_USER)
            .bind(u.id.0).bind(&u.email).bind(u.email.to_lowercase()).bind(&u.name)
            .bind(u.role.as_str()).bind(password_hash).bind(u.created_at.0)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Record an API token by the hash of its secret.
    pub async fn insert_token(&mut self, t: &ApiToken, token_hash: &str) -> StoreResult<()> {
        on_tx!(&mut *self.0, c => sqlx::query(INSERT_TOKEN).bind(t.id.0).bind(t.user_id.0).bind(&t.name).bind(token_hash).bind(t.created_at.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// A user, read inside the transaction.
    pub async fn user(&mut self, id: UserId) -> StoreResult<User> {
        let row: UserRow =
            on_tx!(&mut *self.0, c => sqlx::query_as(USER_BY_ID).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Every user, read inside the transaction.
    pub async fn users(&mut self) -> StoreResult<Vec<User>> {
        let rows: Vec<UserRow> =
            on_tx!(&mut *self.0, c => sqlx::query_as(ALL_USERS).fetch_all(c).await)?;
        rows.into_iter().map(User::try_from).collect()
    }
}

impl Db {
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

    /// Record a sign-in by the hash of its secret.
    pub async fn insert_sign_in(
        &self,
        token_hash: &str,
        user: UserId,
        csrf: &str,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        let now = Timestamp::now();
        on_db!(self, p => sqlx::query(INSERT_SIGN_IN).bind(token_hash).bind(user.0).bind(csrf).bind(now.0).bind(expires_at.0).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The user and CSRF token of a live sign-in.
    pub async fn signed_in_user(&self, token_hash: &str) -> StoreResult<(User, String)> {
        let row: SignedInUserRow = on_db!(self, p => sqlx::query_as(SIGNED_IN_USER).bind(token_hash).bind(Timestamp::now().0).fetch_one(p).await)?;
        Ok((row.user.try_into()?, row.csrf_token))
    }

    /// End a sign-in.
    pub async fn delete_sign_in(&self, token_hash: &str) -> StoreResult<()> {
        on_db!(self, p => sqlx::query(DELETE_SIGN_IN).bind(token_hash).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Remove expired sign-ins.
    pub async fn purge_sign_ins(&self) -> StoreResult<u64> {
        Ok(
            on_db!(self, p => sqlx::query(PURGE_SIGN_INS).bind(Timestamp::now().0).execute(p).await.map(|r| r.rows_affected()))?,
        )
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
    INSERT_SIGN_IN,
    SIGNED_IN_USER,
    DELETE_SIGN_IN,
    PURGE_SIGN_INS,
    INSERT_TOKEN,
    TOKEN_USER,
    TOUCH_TOKEN,
    TOKENS_OF_USER,
];
