//! Static assets (the stylesheets, scripts and vendored htmx, Sortable and
//! Redoc), compiled into the
//! binary and served from memory under `/assets/` with a cache header.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const APP_CSS: &str = include_str!("../../assets/app.css");
const HTMX_JS: &str = include_str!("../../assets/vendor/htmx.min.js");
const HTMX_LICENSE: &str = include_str!("../../assets/vendor/htmx.LICENSE");
const SORTABLE_JS: &str = include_str!("../../assets/vendor/sortable.min.js");
const SORTABLE_LICENSE: &str = include_str!("../../assets/vendor/sortable.LICENSE");
const BOARD_JS: &str = include_str!("../../assets/board.js");
const API_DOCS_CSS: &str = include_str!("../../assets/api-docs.css");
const API_DOCS_JS: &str = include_str!("../../assets/api-docs.js");
const REDOC_JS: &str = include_str!("../../assets/vendor/redoc.standalone.js");
const REDOC_LICENSE: &str = include_str!("../../assets/vendor/redoc.LICENSE");

/// Cache assets for a day; they change only with a new release.
const CACHE_CONTROL: &str = "public, max-age=86400";

/// The body and content type of an asset path (below `/assets/`), if known.
pub fn lookup(path: &str) -> Option<(&'static str, &'static str)> {
    match path {
        "app.css" => Some((APP_CSS, "text/css; charset=utf-8")),
        "vendor/htmx.min.js" => Some((HTMX_JS, "text/javascript; charset=utf-8")),
        "vendor/htmx.LICENSE" => Some((HTMX_LICENSE, "text/plain; charset=utf-8")),
        "vendor/sortable.min.js" => Some((SORTABLE_JS, "text/javascript; charset=utf-8")),
        "vendor/sortable.LICENSE" => Some((SORTABLE_LICENSE, "text/plain; charset=utf-8")),
        "board.js" => Some((BOARD_JS, "text/javascript; charset=utf-8")),
        "api-docs.css" => Some((API_DOCS_CSS, "text/css; charset=utf-8")),
        "api-docs.js" => Some((API_DOCS_JS, "text/javascript; charset=utf-8")),
        "vendor/redoc.standalone.js" => Some((REDOC_JS, "text/javascript; charset=utf-8")),
        "vendor/redoc.LICENSE" => Some((REDOC_LICENSE, "text/plain; charset=utf-8")),
        _ => None,
    }
}

/// `GET /assets/{*path}`: one asset from memory, or 404.
pub async fn serve(Path(path): Path<String>) -> Response {
    match lookup(&path) {
        Some((body, content_type)) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, CACHE_CONTROL),
            ],
            body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
