//! [`TestApp`]: the real router served on 127.0.0.1:0 over a fresh test
//! database, with an admin account and API token, plus a small HTTP client
//! for JSON calls. Tests talk to it over real HTTP.

use crate::db::{TestContext, TestDb, test_db};
use bearing_app::{App, AppConfig};
use bearing_domain::{Role, User};
use bearing_store::Backend;
use bearing_web::{AppState, WebConfig};
use reqwest::StatusCode;
use serde_json::Value;

/// Email of the admin every TestApp starts with.
pub const ADMIN_EMAIL: &str = "admin@test.local";
/// Its password.
pub const ADMIN_PASSWORD: &str = "correct-horse-battery";

/// A running server over a fresh database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// The app behind the server, for setting up data directly.
    pub app: App,
    /// The admin user.
    pub admin: User,
    /// Admin email.
    pub email: String,
    /// Admin password.
    pub password: String,
    /// An API token acting as the admin.
    pub token: String,
    /// HTTP client (no cookies).
    pub client: reqwest::Client,
    /// The database underneath.
    pub db: TestDb,
    /// Dropping this (with the TestApp) stops the server gracefully.
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestContext for TestApp {
    fn create(backend: Backend) -> impl Future<Output = Option<Self>> {
        TestApp::spawn(backend, AppConfig::default(), WebConfig::default())
    }

    fn test_db(&self) -> &TestDb {
        &self.db
    }
}

/// A TestApp with the demo workspace loaded.
pub struct DemoApp(pub TestApp);

impl TestContext for DemoApp {
    async fn create(backend: Backend) -> Option<Self> {
        let t = TestApp::spawn(backend, AppConfig::default(), WebConfig::default()).await?;
        t.app.load_demo().await.expect("loading demo");
        Some(DemoApp(t))
    }

    fn test_db(&self) -> &TestDb {
        &self.0.db
    }
}

impl TestApp {
    /// Serve a fresh database on an ephemeral port with the given settings.
    pub async fn spawn(backend: Backend, config: AppConfig, web: WebConfig) -> Option<TestApp> {
        let db = test_db(backend).await?;
        Some(Self::spawn_on(db, config, web).await)
    }

    /// Serve an existing test database (e.g. to restart over the same data).
    pub async fn spawn_on(db: TestDb, config: AppConfig, web: WebConfig) -> TestApp {
        let app = App::new(db.connect().await, config);
        let admin = match app.user_by_email(ADMIN_EMAIL).await {
            Ok(u) => u,
            Err(_) => app
                .create_user(ADMIN_EMAIL, "Ada Admin", Role::Admin, ADMIN_PASSWORD)
                .await
                .expect("admin"),
        };
        let (_, token) = app.create_token(&admin, "tests").await.expect("token");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let state = AppState::new(app.clone(), web);
        tokio::spawn(async move {
            let _ = bearing_web::serve(listener, state, async move {
                let _ = rx.await;
            })
            .await;
        });
        TestApp {
            base_url: format!("http://{addr}"),
            app,
            admin,
            email: ADMIN_EMAIL.into(),
            password: ADMIN_PASSWORD.into(),
            token,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            db,
            shutdown: Some(tx),
        }
    }

    /// Stop serving and close the pool; the database stays, for a restart
    /// with [`TestApp::spawn_on`].
    pub async fn shut_down(mut self) -> TestDb {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.app.close().await;
        self.db
    }

    /// Full URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Call the API as the admin: method, path under the host, optional JSON.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.call_as(&self.token, method, path, body).await
    }

    /// Call the API with a given token.
    pub async fn call_as(
        &self,
        token: &str,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .request(method, self.url(path))
            .bearer_auth(token);
        if let Some(b) = body {
            req = req.json(&b);
        }
        status_and_json(req.send().await.expect("request")).await
    }

    /// GET as the admin.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    /// POST JSON as the admin.
    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    /// PATCH JSON as the admin.
    pub async fn patch(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    /// POST raw bytes with a content type, for malformed-input tests.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> (StatusCode, Value) {
        let resp = self
            .client
            .post(self.url(path))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Open the sign-in form as a fresh browser would: its sign-in cookie
    /// (`bearing_signin=…`, the login-CSRF pair) and the token in the
    /// form's hidden `csrf` field.
    pub async fn sign_in_form(&self) -> (String, String) {
        let resp = self
            .client
            .get(self.url("/signin"))
            .send()
            .await
            .expect("request");
        let cookie = set_cookie(&resp, "bearing_signin=").expect("a sign-in cookie");
        let html = resp.text().await.expect("body");
        (
            cookie,
            hidden_csrf(&html).expect("a csrf field in the sign-in form"),
        )
    }

    /// Sign in as the admin through the web form (opening it first, for its
    /// login-CSRF token) and return the session cookie
    /// (`bearing_session=…`), for [`TestApp::page`] and [`TestApp::form`].
    pub async fn sign_in_cookie(&self) -> String {
        let (signin_cookie, csrf) = self.sign_in_form().await;
        let resp = self
            .client
            .post(self.url("/signin"))
            .header("cookie", signin_cookie)
            .form(&[
                ("csrf", csrf.as_str()),
                ("email", self.email.as_str()),
                ("password", self.password.as_str()),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("request");
        set_cookie(&resp, "bearing_session=").expect("a session cookie")
    }

    /// GET a page with the session `cookie`: the status, and the redirect
    /// target if there is one, else the body.
    pub async fn page(&self, cookie: &str, path: &str) -> (StatusCode, String) {
        let req = self.client.get(self.url(path));
        Self::send_with_cookie(req, cookie).await
    }

    /// POST a form with the session `cookie`: the status, and the redirect
    /// target if there is one, else the body.
    pub async fn form(
        &self,
        cookie: &str,
        path: &str,
        fields: &[(&str, &str)],
    ) -> (StatusCode, String) {
        let req = self.client.post(self.url(path)).form(fields);
        Self::send_with_cookie(req, cookie).await
    }

    async fn send_with_cookie(req: reqwest::RequestBuilder, cookie: &str) -> (StatusCode, String) {
        let resp = req.header("cookie", cookie).send().await.expect("request");
        let status = resp.status();
        let location = resp
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = resp.text().await.expect("body");
        (status, if location.is_empty() { body } else { location })
    }

    /// POST `body` as JSON to an API `path` with the session `cookie` (as
    /// the board's script does) and, if given, an `X-CSRF-Token` header: the
    /// status and the JSON answer.
    pub async fn post_with_cookie(
        &self,
        cookie: &str,
        csrf: Option<&str>,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .post(self.url(path))
            .header("cookie", cookie)
            .json(&body);
        if let Some(t) = csrf {
            req = req.header("x-csrf-token", t);
        }
        status_and_json(req.send().await.expect("request")).await
    }

    /// Make a user with `role` and an API token for them.
    pub async fn user_with_token(&self, email: &str, role: Role) -> (User, String) {
        let u = self
            .app
            .create_user(email, email, role, "password-123")
            .await
            .expect("user");
        let (_, t) = self.app.create_token(&u, "t").await.expect("token");
        (u, t)
    }
}

/// The `name=value` part of the response's first `Set-Cookie` starting
/// with `prefix` (e.g. `bearing_session=`).
pub fn set_cookie(resp: &reqwest::Response, prefix: &str) -> Option<String> {
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(prefix))
        .and_then(|v| v.split(';').next())
        .map(str::to_string)
}

/// The value of the first hidden `csrf` field in a page
/// (`name="csrf" value="…"`).
pub fn hidden_csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let at = html.find(marker)? + marker.len();
    html[at..].split('"').next().map(str::to_string)
}

/// A response's status and body as JSON (`Null` when empty, a string when
/// not JSON).
async fn status_and_json(resp: reqwest::Response) -> (StatusCode, Value) {
    let status = resp.status();
    let text = resp.text().await.expect("body");
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, json)
}
