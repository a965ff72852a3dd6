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

use axum::Router;
use axum::http::{HeaderValue, header};
use bearing_app::App;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Web settings.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            secure_cookies: false,
        }
    }
}

/// What every handler gets: the app and the web settings.
#[derive(Clone, Debug)]
pub struct AppState {
    /// Use cases.
    pub app: App,
    /// Web settings.
    pub config: Arc<WebConfig>,
}

impl AppState {
    /// Bundle an app with web settings.
    pub fn new(app: App, config: WebConfig) -> Self {
        Self {
            app,
            config: Arc::new(config),
        }
    }
}

/// The whole router: pages, API, health.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(html::routes())
        .nest("/api/v1", api::routes())
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
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match s.app.db.ping().await {
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
/// listener lets tests bind port 0 and read the port back.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
