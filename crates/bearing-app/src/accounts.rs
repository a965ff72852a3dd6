//! Accounts: users, password sign-in with argon2, sign-ins (a browser's
//! cookie; "session" in Bearing means a prioritisation session) and API
//! tokens. Secrets (sign-in and token values) are random 32-byte strings;
//! only their SHA-256 is stored, so a database leak does not leak live
//! credentials.

use crate::{Actor, App, AppError, AppResult};
use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use bearing_domain::{
    ApiToken, Change, ChangeAction, EntityKind, Role, Timestamp, TokenId, User, UserId,
    ValidationError, looks_like_email, plain_text,
};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh random secret, URL-safe.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The stored form of a secret.
pub fn hash_secret(secret: &str) -> String {
    let d = Sha256::digest(secret.as_bytes());
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(d)
}

fn hash_password(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("hashing password: {e}")))
}

/// A new sign-in: the cookie secret and the CSRF token for forms.
#[derive(Clone, Debug)]
pub struct NewSignIn {
    /// Goes in the session cookie.
    pub secret: String,
    /// Goes in every form.
    pub csrf: String,
    /// The user signed in.
    pub user: User,
}

impl App {
    /// Create a user with a password (at least 8 characters).
    pub async fn create_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password: &str,
    ) -> AppResult<User> {
        plain_text("email", email)?;
        plain_text("name", name)?;
        if !looks_like_email(email.trim()) {
            return Err(ValidationError::new(
                "email",
                format!("'{email}' is not an email address"),
            )
            .into());
        }
        if name.trim().is_empty() {
            return Err(ValidationError::missing("name", "name is required").into());
        }
        if password.chars().count() < 8 {
            return Err(ValidationError::new("password", "use at least 8 characters").into());
        }
        let hash = hash_password(password)?;
        let user = User {
            id: UserId::new(),
            email: email.trim().into(),
            name: name.trim().into(),
            role,
            created_at: Timestamp::now(),
        };
        let mut tx = self.db.begin().await?;
        tx.accounts()
            .insert_user(&user, &hash)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => {
                    AppError::Conflict(format!("a user with email {email} already exists"))
                }
                other => other,
            })?;
        tx.record(
            &Change::new(EntityKind::User, user.id, ChangeAction::Created, None).after(
                serde_json::json!({"email": user.email, "name": user.name, "role": user.role}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Check an email and password; on success record a sign-in.
    pub async fn sign_in(&self, email: &str, password: &str) -> AppResult<NewSignIn> {
        let bad =
            || AppError::Unauthorized("that email and password do not match an account".into());
        // No account's email holds a control character (they are refused
        // when accounts are made), and PostgreSQL cannot even look up a NUL.
        if plain_text("email", email).is_err() {
            return Err(bad());
        }
        let (id, hash) = self.db.password_hash(email).await.map_err(|_| bad())?;
        let parsed = PasswordHash::new(&hash).map_err(|_| bad())?;
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .map_err(|_| bad())?;
        let user = self.db.user(id).await?;
        let secret = random_secret();
        let csrf = random_secret();
        let expires = Timestamp(Timestamp::now().0 + self.config.sign_in_hours * 3_600_000);
        self.db
            .insert_sign_in(&hash_secret(&secret), id, &csrf, expires)
            .await?;
        Ok(NewSignIn { secret, csrf, user })
    }

    /// The actor and CSRF token behind a sign-in cookie.
    pub async fn signed_in(&self, secret: &str) -> AppResult<(Actor, String)> {
        let (user, csrf) = self
            .db
            .signed_in_user(&hash_secret(secret))
            .await
            .map_err(|_| AppError::Unauthorized("your session has ended; sign in again".into()))?;
        Ok((Actor { user }, csrf))
    }

    /// End a sign-in.
    pub async fn sign_out(&self, secret: &str) -> AppResult<()> {
        Ok(self.db.delete_sign_in(&hash_secret(secret)).await?)
    }

    /// Remove expired sign-ins; returns how many.
    pub async fn purge_sign_ins(&self) -> AppResult<u64> {
        Ok(self.db.purge_sign_ins().await?)
    }

    /// Make an API token for a user; returns the record and the secret,
    /// which is shown once and never stored.
    pub async fn create_token(&self, user: &User, name: &str) -> AppResult<(ApiToken, String)> {
        plain_text("name", name)?;
        let secret = format!("brg_{}", random_secret());
        let t = ApiToken {
            id: TokenId::new(),
            user_id: user.id,
            name: name.trim().into(),
            created_at: Timestamp::now(),
            last_used_at: None,
        };
        let mut tx = self.db.begin().await?;
        tx.accounts()
            .insert_token(&t, &hash_secret(&secret))
            .await?;
        tx.record(
            &Change::new(
                EntityKind::ApiToken,
                t.id,
                ChangeAction::Created,
                Some(user.id),
            )
            .after(serde_json::json!({"name": t.name})),
        )
        .await?;
        tx.commit().await?;
        Ok((t, secret))
    }

    /// The actor behind a Bearer token.
    pub async fn token_actor(&self, secret: &str) -> AppResult<Actor> {
        let user = self
            .db
            .token_user(&hash_secret(secret))
            .await
            .map_err(|_| AppError::Unauthorized("the API token is not valid".into()))?;
        Ok(Actor { user })
    }

    /// A user by email.
    pub async fn user_by_email(&self, email: &str) -> AppResult<User> {
        if plain_text("email", email).is_err() {
            return Err(AppError::NotFound(format!("user {}", email.escape_debug())));
        }
        self.db
            .user_by_email(email)
            .await
            .map_err(|_| AppError::NotFound(format!("user {email}")))
    }

    /// Every user.
    pub async fn users(&self) -> AppResult<Vec<User>> {
        Ok(self.db.users().await?)
    }
}
