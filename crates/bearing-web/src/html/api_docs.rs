//! The API reference page, `GET /api/docs`: the OpenAPI document at
//! `/api/v1/openapi.json` rendered by the vendored Redoc viewer
//! (`assets/vendor/redoc.standalone.js`). Public, like the document itself:
//! integrators can read it before they have an account, and it shows no
//! workspace data. Without JavaScript it links to the JSON document.

use crate::html::layout::render;
use askama::Template;
use axum::http::{HeaderValue, header};
use axum::response::Response;

/// Where the page reads the API description from.
pub const SPEC_URL: &str = "/api/v1/openapi.json";

/// This page's Content-Security-Policy: scripts, styles, images, fonts and
/// fetches from this origin only (Redoc's styled-components need inline
/// styles; `data:` covers its inline icons), so the viewer cannot load
/// anything from a CDN or report to a third party even if it tries.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; \
     connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The API reference page.
#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    /// The OpenAPI document's URL.
    spec_url: &'static str,
}

/// `GET /api/docs`: the API reference, signed in or not.
pub async fn page() -> Response {
    let mut resp = render(&ApiDocsPage { spec_url: SPEC_URL });
    resp.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    resp
}
