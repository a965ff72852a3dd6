//! Sign-in rate limits over real HTTP: per account and per client address,
//! refused before the password is checked, answered with 429, `Retry-After`
//! and the sign-in page's inline message, and lifted once the wait is over.
//! Each test sets its own small limits; every request comes from 127.0.0.1.

use bearing_app::AppConfig;
use bearing_domain::Role;
use bearing_testkit::{TestApp, TestDb, backend_test};
use bearing_web::WebConfig;
use reqwest::StatusCode;
use std::num::NonZeroU32;
use std::time::Duration;

/// Long enough that nothing replenishes while a test runs.
const HOUR: Duration = Duration::from_secs(3600);

/// A second account besides the admin.
const BO_EMAIL: &str = "bo@test.local";
const BO_PASSWORD: &str = "password-123";

/// Web settings with these sign-in limits: (burst, period) per account and
/// per address.
fn limits(account: (u32, Duration), ip: (u32, Duration)) -> WebConfig {
    WebConfig {
        signin_account_burst: NonZeroU32::new(account.0).unwrap(),
        signin_account_period: account.1,
        signin_ip_burst: NonZeroU32::new(ip.0).unwrap(),
        signin_ip_period: ip.1,
        ..Default::default()
    }
}

/// What one `POST /signin` came back with.
struct Attempt {
    status: StatusCode,
    /// `Retry-After` in seconds, if sent.
    retry_after: Option<u64>,
    /// Whether a session cookie was set.
    signed_in: bool,
    body: String,
}

async fn attempt(t: &TestApp, email: &str, password: &str) -> Attempt {
    // The form first, for its login-CSRF cookie and token, as a browser does.
    let (cookie, csrf) = t.sign_in_form().await;
    let resp = t
        .client
        .post(t.url("/signin"))
        .header("cookie", cookie)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", email),
            ("password", password),
            ("next", "/ideas"),
        ])
        .send()
        .await
        .unwrap();
    let status = resp.status();
    let retry_after = resp.headers().get("retry-after").map(|v| {
        v.to_str()
            .unwrap()
            .parse::<u64>()
            .expect("Retry-After in whole seconds")
    });
    let signed_in = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("bearing_session="));
    let body = resp.text().await.unwrap();
    Attempt {
        status,
        retry_after,
        signed_in,
        body,
    }
}

/// Assert a wrong-password answer: the ordinary 401 page, no limit involved.
fn assert_wrong_password(a: &Attempt) {
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{}", a.body);
    assert!(a.body.contains("do not match an account"), "{}", a.body);
    assert_eq!(a.retry_after, None);
    assert!(!a.signed_in);
}

/// Assert a successful sign-in: a redirect on, with the session cookie.
fn assert_signed_in(a: &Attempt) {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert!(a.signed_in);
}

/// Assert a 429 naming `whose` limit ("for this account" / "from your
/// network address"), with a Retry-After within `at_most`, the email kept
/// in the form and no session. Returns the Retry-After.
fn assert_limited(a: &Attempt, whose: &str, email: &str, at_most: Duration) -> u64 {
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
    assert!(!a.signed_in, "a limited attempt must not sign in");
    let secs = a.retry_after.expect("a Retry-After header");
    assert!(
        (1..=at_most.as_secs()).contains(&secs),
        "Retry-After {secs}"
    );
    let unit = if secs == 1 { "second" } else { "seconds" };
    let message = format!("Too many sign-in attempts {whose}. Try again in {secs} {unit}.");
    assert!(a.body.contains(&message), "{message} not in {}", a.body);
    assert!(a.body.contains(r#"role="alert""#), "{}", a.body);
    assert!(
        a.body.contains(&format!(r#"value="{email}""#)),
        "typed email kept: {}",
        a.body
    );
    secs
}

backend_test!(
    account_limit_refuses_even_the_right_password,
    |db: TestDb| async move {
        let t = TestApp::spawn_on(db, AppConfig::default(), limits((3, HOUR), (100, HOUR))).await;
        for _ in 0..3 {
            assert_wrong_password(&attempt(&t, &t.email, "guess-guess").await);
        }
        // The right password is refused: the limit answered before the
        // password was checked, or it would have signed in.
        let a = attempt(&t, &t.email, &t.password).await;
        let secs = assert_limited(&a, "for this account", &t.email, HOUR);
        assert!(secs > HOUR.as_secs() - 60, "one period to wait, got {secs}");
        // The account is the email as sign-in matches it: case and spaces
        // do not make a fresh limit.
        let shouting = "ADMIN@Test.Local";
        let a = attempt(&t, &format!("  {shouting} "), &t.password).await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.body);
        assert!(a.body.contains("for this account"), "{}", a.body);
        // Being refused does not extend the wait.
        let again = attempt(&t, &t.email, &t.password).await;
        assert!(assert_limited(&again, "for this account", &t.email, HOUR) <= secs);
    }
);

backend_test!(
    other_accounts_sign_in_from_the_same_address_until_its_limit,
    |db: TestDb| async move {
        let t = TestApp::spawn_on(db, AppConfig::default(), limits((2, HOUR), (5, HOUR))).await;
        t.app
            .create_user(BO_EMAIL, "Bo", Role::Contributor, BO_PASSWORD)
            .await
            .unwrap();
        // Attempts 1–3 from this address: the admin's account is spent.
        assert_wrong_password(&attempt(&t, &t.email, "guess-one").await);
        assert_wrong_password(&attempt(&t, &t.email, "guess-two").await);
        let a = attempt(&t, &t.email, &t.password).await;
        assert_limited(&a, "for this account", &t.email, HOUR);
        // Attempts 4 and 5: another account from the same address is fine.
        assert_signed_in(&attempt(&t, BO_EMAIL, BO_PASSWORD).await);
        assert_signed_in(&attempt(&t, BO_EMAIL, BO_PASSWORD).await);
        // Attempt 6: the address's burst of 5 is spent, right password or not.
        let a = attempt(&t, BO_EMAIL, BO_PASSWORD).await;
        assert_limited(&a, "from your network address", BO_EMAIL, HOUR);
    }
);

backend_test!(address_limit_trips_on_its_own, |db: TestDb| async move {
    let t = TestApp::spawn_on(db, AppConfig::default(), limits((10, HOUR), (4, HOUR))).await;
    // Four made-up accounts, one attempt each: no account limit is near.
    for i in 0..4 {
        assert_wrong_password(&attempt(&t, &format!("spray-{i}@test.local"), "hunter22").await);
    }
    let a = attempt(&t, "spray-4@test.local", "hunter22").await;
    assert_limited(&a, "from your network address", "spray-4@test.local", HOUR);
    // The admin's account was never tried, yet its right password is refused:
    // the address limit comes first.
    let a = attempt(&t, &t.email, &t.password).await;
    assert_limited(&a, "from your network address", &t.email, HOUR);
});

backend_test!(
    the_account_signs_in_again_after_retry_after,
    |db: TestDb| async move {
        let period = Duration::from_secs(2);
        let t = TestApp::spawn_on(db, AppConfig::default(), limits((1, period), (100, HOUR))).await;
        // One attempt spends the account's burst; keep guessing until the
        // limit answers (a second guess suffices unless the machine is so slow
        // that a whole period passed in between).
        let mut refused = None;
        for _ in 0..10 {
            let a = attempt(&t, &t.email, "guess-guess").await;
            if a.status == StatusCode::TOO_MANY_REQUESTS {
                refused = Some(a);
                break;
            }
            assert_wrong_password(&a);
        }
        let a = refused.expect("the account limit to answer within ten guesses");
        let secs = assert_limited(&a, "for this account", &t.email, period);
        // Wait what the server asked for, plus a margin, and the right
        // password works again.
        tokio::time::sleep(Duration::from_secs(secs) + Duration::from_millis(250)).await;
        assert_signed_in(&attempt(&t, &t.email, &t.password).await);
    }
);

backend_test!(
    default_limits_leave_a_person_alone,
    |t: TestApp| async move {
        // Someone who mistypes five times, then gets it right, then signs in
        // on four more devices: well inside the defaults.
        for _ in 0..5 {
            assert_wrong_password(&attempt(&t, &t.email, "close-but-no").await);
        }
        for _ in 0..5 {
            assert_signed_in(&attempt(&t, &t.email, &t.password).await);
        }
    }
);
