//! Bearing's web server: server-rendered HTML pages (`html`) and the JSON API
//! under `/api/v1` (`api`), over one [`App`]. Handlers are thin: parse, call
//! one app function, render. Errors map to responses in one place each
//! (`error` for JSON, `html::error` for pages).
#![forbid(unsafe_code)]
// The OpenAPI schema table is one large `json!` literal.
#![recursion_limit = "512"]

pub mod api;
pub mod auth;
pub mod csrf;
pub mod error;
pub mod html;
pub mod json;
pub mod signin_limit;

use axum::Router;
use axum::http::{HeaderValue, header};
use bearing_app::App;
use signin_limit::SignInLimits;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Web settings.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    /// Sign-in attempts one account (email) may make at once before it is
    /// limited to one per [`WebConfig::signin_account_period`]. Every attempt
    /// counts, right password or wrong. See [`signin_limit`].
    pub signin_account_burst: NonZeroU32,
    /// Once an account's burst is spent, one more sign-in attempt is allowed
    /// per this period (the burst refills at the same pace). Zero turns the
    /// limit off.
    pub signin_account_period: Duration,
    /// Sign-in attempts one client address (IPv4 address or IPv6 /64, the
    /// TCP peer) may make at once before it is limited to one per
    /// [`WebConfig::signin_ip_period`]. Behind a reverse proxy all clients
    /// share the proxy's address; see [`signin_limit`].
    pub signin_ip_burst: NonZeroU32,
    /// Once an address's burst is spent, one more sign-in attempt is allowed
    /// per this period. Zero turns the limit off.
    pub signin_ip_period: Duration,
}

// Sign-in defaults. A person who has forgotten which password they used tries
// a handful; ten covers that, and after it one try every six seconds is
// about as fast as anyone retypes a password, so no real person waits long.
// A guesser gets ten a minute per account (14,400 a day) instead of as many
// as the cores can hash. Per address, thirty at once lets a whole office
// behind one NAT sign in together at nine o'clock; one a second after that
// bounds argon2 work from any one client to a small share of a core, while
// spraying common passwords over many accounts from one address is held to
// 86,400 tries a day rather than thousands a minute. (The `unwrap`s run at
// compile time: a zero burst would fail the build, never a request.)
const SIGNIN_ACCOUNT_BURST: NonZeroU32 = NonZeroU32::new(10).unwrap();
const SIGNIN_ACCOUNT_PERIOD: Duration = Duration::from_secs(6);
const SIGNIN_IP_BURST: NonZeroU32 = NonZeroU32::new(30).unwrap();
const SIGNIN_IP_PERIOD: Duration = Duration::from_secs(1);

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            secure_cookies: false,
            signin_account_burst: SIGNIN_ACCOUNT_BURST,
            signin_account_period: SIGNIN_ACCOUNT_PERIOD,
            signin_ip_burst: SIGNIN_IP_BURST,
            signin_ip_period: SIGNIN_IP_PERIOD,
        }
    }
}

/// What every handler gets: the app, the web settings and the server's
/// sign-in limits.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Use cases.
    pub app: App,
    /// Web settings.
    pub config: Arc<WebConfig>,
    /// Sign-in attempts counted per account and per address; one set per
    /// server, so with several app servers each keeps its own.
    pub signin_limits: Arc<SignInLimits>,
}

impl AppState {
    /// Bundle an app with web settings and fresh sign-in limits.
    pub fn new(app: App, config: WebConfig) -> Self {
        Self {
            app,
            signin_limits: Arc::new(SignInLimits::new(&config)),
            config: Arc::new(config),
        }
    }
}

/// The whole router: pages, API, health. Serve it with connect info
/// (`into_make_service_with_connect_info::<SocketAddr>()`, as [`serve`]
/// does): sign-in needs the client's address.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(html::routes())
        .nest("/api/v1", api::routes(&state))
        .route("/healthz", axum::routing::get(healthz))
        // Extractors enforce the limit, so the API can answer 413 in its own JSON shape.
        .layer(axum::extract::DefaultBodyLimit::max(
            state.config.max_body_bytes,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // Every request gets an id (or keeps the one a proxy sent) that is
        // on every log line it causes and in its response's `x-request-id`,
        // so an internal error a user reports can be found in the logs.
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .layer(SetRequestIdLayer::x_request_id(NewRequestId))
        .with_state(state)
}

/// Request ids for [`SetRequestIdLayer`]: time-ordered UUIDs.
#[derive(Clone, Copy, Debug)]
struct NewRequestId;

impl MakeRequestId for NewRequestId {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::now_v7().to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// The tracing span of one request: method, path and request id.
fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
}

async fn healthz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match s.app.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable",
            )
                .into_response()
        }
    }
}

/// Serve on an already-bound listener until `shutdown` resolves. Taking the
/// listener lets tests bind port 0 and read the port back. Requests carry
/// their TCP peer's address (`ConnectInfo<SocketAddr>`) for the sign-in
/// limits.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
