//! Users, sessions and API tokens, through the app (which hashes passwords
//! and secrets): unique emails case-insensitively, sign-in, session expiry
//! and purging, tokens and their last use.

use super::*;
use bearing_app::AppError;
use bearing_app::accounts::hash_secret;
use bearing_testkit::backend_test;

backend_test!(users_sign_in_and_out, |t| async move {
    let app = app(&t);
    let ann = app
        .create_user(
            " Ann@Example.test ",
            " Ann Admin ",
            Role::Admin,
            "password123",
        )
        .await
        .unwrap();
    assert_eq!(
        (ann.email.as_str(), ann.name.as_str(), ann.role),
        ("Ann@Example.test", "Ann Admin", Role::Admin)
    );
    let bob = app
        .create_user("bob@example.test", "Bob", Role::Viewer, "password123")
        .await
        .unwrap();
    assert_eq!(t.db.user(ann.id).await.unwrap(), ann);
    assert_eq!(t.db.user_by_email("ANN@example.TEST").await.unwrap(), ann);
    assert_eq!(
        t.db.users().await.unwrap(),
        [ann.clone(), bob.clone()],
        "by name"
    );
    assert_eq!(t.db.count_users().await.unwrap(), 2);
    assert_not_found(t.db.user(UserId::new()).await);
    assert_not_found(t.db.user_by_email("nobody@example.test").await);

    match app
        .create_user("ANN@example.test", "Another Ann", Role::Pm, "password123")
        .await
    {
        Err(AppError::Conflict(_)) => {}
        other => panic!("expected an email conflict, got {other:?}"),
    }
    assert_eq!(t.db.count_users().await.unwrap(), 2);

    assert!(matches!(
        app.sign_in("ann@example.test", "wrong-password").await,
        Err(AppError::Unauthorized(_))
    ));
    assert!(matches!(
        app.sign_in("nobody@example.test", "password123").await,
        Err(AppError::Unauthorized(_))
    ));
    let session = app
        .sign_in("ann@example.test", "password123")
        .await
        .unwrap();
    assert_eq!(session.user, ann);
    let (actor, csrf) = app.signed_in(&session.secret).await.unwrap();
    assert_eq!((actor.user, csrf), (ann.clone(), session.csrf.clone()));
    app.sign_out(&session.secret).await.unwrap();
    assert!(matches!(
        app.signed_in(&session.secret).await,
        Err(AppError::Unauthorized(_))
    ));

    // A new password replaces the old one.
    t.db.set_password_hash(bob.id, "not-argon2").await.unwrap();
    assert!(
        app.sign_in("bob@example.test", "password123")
            .await
            .is_err()
    );
    assert_not_found(t.db.set_password_hash(UserId::new(), "x").await);
});

backend_test!(expired_sessions_are_refused_and_purged, |t| async move {
    let pat = pm(&t.db).await;
    let now = Timestamp::now().0;
    t.db.insert_sign_in(
        &hash_secret("old"),
        pat.user.id,
        "csrf-old",
        Timestamp(now - 1_000),
    )
    .await
    .unwrap();
    t.db.insert_sign_in(
        &hash_secret("live"),
        pat.user.id,
        "csrf-live",
        Timestamp(now + 3_600_000),
    )
    .await
    .unwrap();
    assert_not_found(t.db.signed_in_user(&hash_secret("old")).await);
    assert_eq!(
        t.db.signed_in_user(&hash_secret("live")).await.unwrap(),
        (pat.user.clone(), "csrf-live".to_string())
    );
    assert_eq!(t.db.purge_sign_ins().await.unwrap(), 1);
    assert_eq!(t.db.purge_sign_ins().await.unwrap(), 0);
    assert!(t.db.signed_in_user(&hash_secret("live")).await.is_ok());
    t.db.delete_sign_in(&hash_secret("live")).await.unwrap();
    assert_not_found(t.db.signed_in_user(&hash_secret("live")).await);
});

backend_test!(api_tokens_act_as_their_user, |t| async move {
    let app = app(&t);
    let pat = pm(&t.db).await;
    let (token, secret) = app.create_token(&pat.user, " CI ").await.unwrap();
    assert_eq!(
        (token.user_id, token.name.as_str(), token.last_used_at),
        (pat.user.id, "CI", None)
    );
    assert!(secret.starts_with("brg_"));
    assert_eq!(
        t.db.tokens_of(pat.user.id).await.unwrap(),
        std::slice::from_ref(&token)
    );

    let actor = app.token_actor(&secret).await.unwrap();
    assert_eq!(actor.user, pat.user);
    let used = t.db.tokens_of(pat.user.id).await.unwrap();
    assert!(used[0].last_used_at.is_some(), "using a token records when");
    assert!(matches!(
        app.token_actor("brg_not-a-token").await,
        Err(AppError::Unauthorized(_))
    ));

    let (second, _) = app.create_token(&pat.user, "laptop").await.unwrap();
    let names: Vec<TokenId> =
        t.db.tokens_of(pat.user.id)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.id)
            .collect();
    assert_eq!(names, [token.id, second.id], "oldest first");
    assert!(t.db.tokens_of(UserId::new()).await.unwrap().is_empty());
});
