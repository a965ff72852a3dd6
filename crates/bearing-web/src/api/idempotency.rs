//! Idempotent POSTs: a middleware on the whole `/api/v1` router. A POST
//! that carries an `Idempotency-Key` header runs at most once per caller
//! and key within 24 hours; a retry with the same key and the same request
//! gets the first answer again (with `Idempotent-Replayed: true`) and
//! changes nothing. Requests without the header, and every other method,
//! pass straight through: no database round-trip, no buffering.
//!
//! With the header, the caller is authenticated here first (keys belong to
//! a user, and a request that would be refused as unauthenticated must
//! get that answer, not claim a key), the key is checked, the body is read
//! (within the server's body limit) to fingerprint the request, and the
//! app admits it (`App::admit_idempotent`). An admitted request runs on its
//! own task, so its answer is recorded even if the client hangs up while
//! it runs. What the states mean and when records lapse is in
//! `bearing_domain::idempotency`; docs/api.md describes it for callers.

use crate::AppState;
use crate::auth::ApiActor;
use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bearing_app::idempotency::{Admission, Claim, KeyedCall};
use bearing_app::{App, AppError};
use bearing_domain::idempotency::{IdempotencyKey, KEY_FIELD, RETRY_AFTER_SECS, StoredResponse};
use tracing::Instrument;

/// The request header carrying a caller's idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

/// The response header marking an answer as a replay of the first.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// The middleware: see the module docs. Layer it on the API router with
/// `axum::middleware::from_fn_with_state`.
pub async fn idempotent_posts(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !req.headers().contains_key(IDEMPOTENCY_HEADER) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    // The normal answer to a caller who is not signed in (401) or forgot
    // the CSRF token (403), before anything about the key.
    let actor = match ApiActor::from_request_parts(&mut parts, &state).await {
        Ok(ApiActor(actor)) => actor,
        Err(e) => return e.into_response(),
    };
    let mut sent = parts.headers.get_all(IDEMPOTENCY_HEADER).iter();
    let (Some(raw), None) = (sent.next(), sent.next()) else {
        return ApiError::invalid(KEY_FIELD, "send one Idempotency-Key header, not several")
            .into_response();
    };
    let key = match IdempotencyKey::parse(raw.as_bytes()) {
        Ok(k) => k,
        Err(v) => return ApiError::from(v).into_response(),
    };
    let Ok(bytes) = axum::body::to_bytes(body, state.config.max_body_bytes).await else {
        return ApiError::payload_too_large().into_response();
    };
    // The path as the caller sent it, /api/v1 included (the nested router
    // sees it without the prefix).
    let uri = parts
        .extensions
        .get::<OriginalUri>()
        .map_or(&parts.uri, |o| &o.0);
    let path = uri
        .path_and_query()
        .map_or_else(|| uri.path(), |p| p.as_str())
        .to_string();
    let call = KeyedCall {
        method: parts.method.as_str(),
        path: &path,
        body: &bytes,
    };
    match state.app.admit_idempotent(&actor, &key, call).await {
        Err(e) => ApiError::from(e).into_response(),
        Ok(Admission::Replay(stored)) => replay(stored),
        Ok(Admission::Reused) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was used with a different request (method, path or body) in the last 24 hours; use a new key for a new request",
            Some(KEY_FIELD.to_string()),
        )
        .into_response(),
        Ok(Admission::InProgress) => in_progress(),
        Ok(Admission::Run(claim)) => {
            let req = Request::from_parts(parts, Body::from(bytes));
            let app = state.app.clone();
            // On its own task: if the client hangs up, this request's
            // future is dropped, but the handler still finishes and its
            // answer is recorded, so the retry replays it rather than
            // waiting out the in-flight timeout and running it twice.
            let run = tokio::spawn(
                run_and_record(app.clone(), claim.clone(), req, next)
                    .instrument(tracing::Span::current()),
            );
            match run.await {
                Ok(resp) => resp,
                Err(e) => {
                    // The handler panicked; nothing is known to be kept,
                    // so a retry may run it again.
                    if let Err(err) = app.release_idempotent(&claim).await {
                        tracing::error!(error = %err, "releasing an idempotency key failed");
                    }
                    ApiError::from(AppError::Internal(format!(
                        "idempotent request task failed: {e}"
                    )))
                    .into_response()
                }
            }
        }
    }
}

/// Run the admitted request and record its answer against the claim.
async fn run_and_record(app: App, claim: Claim, req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let (parts, body) = resp.into_parts();
    // API answers are small JSON documents made in memory; reading one
    // whole cannot fail short of a handler bug.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            if let Err(err) = app.release_idempotent(&claim).await {
                tracing::error!(error = %err, "releasing an idempotency key failed");
            }
            return ApiError::from(AppError::Internal(format!(
                "reading a response to keep for replay: {e}"
            )))
            .into_response();
        }
    };
    let stored = StoredResponse {
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        body: bytes.to_vec(),
    };
    if let Err(e) = app.finish_idempotent(&claim, stored).await {
        // The request did its work; the caller gets its answer. Only the
        // record failed: the key stays in flight until the timeout, so a
        // retry within it is told to wait, not run twice.
        tracing::error!(error = %e, "recording an idempotent answer failed");
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The first attempt's answer again, marked as a replay.
fn replay(stored: StoredResponse) -> Response {
    let Ok(status) = StatusCode::from_u16(stored.status) else {
        return ApiError::from(AppError::Internal(format!(
            "stored idempotent answer has status {}",
            stored.status
        )))
        .into_response();
    };
    let mut resp = Response::new(Body::from(stored.body));
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    if let Some(ct) = stored
        .content_type
        .and_then(|c| HeaderValue::from_str(&c).ok())
    {
        headers.insert(header::CONTENT_TYPE, ct);
    }
    headers.insert(REPLAYED_HEADER, HeaderValue::from_static("true"));
    resp
}

/// 409: the first attempt with this key is still running.
fn in_progress() -> Response {
    let mut resp = ApiError::new(
        StatusCode::CONFLICT,
        "idempotency_in_progress",
        "a request with this Idempotency-Key is still being processed; retry in a moment to get its answer",
        Some(KEY_FIELD.to_string()),
    )
    .into_response();
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    resp
}
