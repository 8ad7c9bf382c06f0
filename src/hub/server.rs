//! The HTTP API (axum). Every route checks the `Tongtin-Wire` header; every
//! route but login needs `Authorization: Bearer TOKEN`. Store work runs on
//! blocking threads; the server keeps no state but the store's pool.
//!
//! | route | role | body in → out |
//! |---|---|---|
//! | `POST /v1/login` | — | JSON `{org, user, password}` → `{token, expires_at, role}` |
//! | `GET /v1/status` | viewer | → JSON [`crate::sync::Status`] |
//! | `POST /v1/push` | editor | gzip JSON [`crate::sync::PushRequest`] → [`crate::sync::PushResponse`] |
//! | `GET /v1/pull?after=N&limit=M` | viewer | → gzip JSON [`crate::sync::PullResponse`] |
//! | `GET /v1/conflicts[?all=true]` | viewer | → JSON `{conflicts: [{conflict, resolved_by}]}` |
//! | `GET /v1/blobs/{sha}/status` | viewer | → `{received, complete}` |
//! | `PUT /v1/blobs/{sha}?offset=N&total=T` | editor | raw chunk → `{received, complete}` |
//! | `GET /v1/blobs/{sha}` | viewer | → the bytes |

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::auth;
use super::error::{HubError, MAX_BODY, MAX_JSON};
use super::store::{HubStore, Session};
use super::throttle::LoginThrottle;
use crate::sync::{wire, PushRequest, WIRE_VERSION};

/// The header every request carries: the client's wire format version.
pub const WIRE_HEADER: &str = "Tongtin-Wire";
/// The content type of push and pull bodies.
pub const SYNC_CONTENT_TYPE: &str = "application/x-tongtin-sync";
/// Log entries per pull page: the default and the most.
pub const DEFAULT_PULL_LIMIT: u32 = 5000;
pub const MAX_PULL_LIMIT: u32 = 20000;

struct AppState {
    store: Arc<dyn HubStore>,
    token_hours: f64,
    logins: LoginThrottle,
}

impl IntoResponse for HubError {
    fn into_response(self) -> Response {
        if self.status() >= 500 {
            eprintln!("tongtin serve: {self}");
        }
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(self.body())).into_response();
        if let HubError::TooManyAttempts { retry_after } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}

/// The routes over a store.
pub fn router(store: Arc<dyn HubStore>, token_hours: f64) -> Router {
    let state = Arc::new(AppState {
        store,
        token_hours,
        logins: LoginThrottle::default(),
    });
    Router::new()
        .route("/v1/login", post(login).layer(DefaultBodyLimit::max(64 << 10)))
        .route("/v1/status", get(status))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/conflicts", get(conflicts))
        .route("/v1/blobs/{sha}/status", get(blob_status))
        .route("/v1/blobs/{sha}", get(blob).put(put_blob))
        .fallback(|| async { HubError::NotFound("no such endpoint".into()) })
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn(check_wire))
        .with_state(state)
}

/// 426 unless the request speaks this hub's wire version.
async fn check_wire(request: Request, next: Next) -> Response {
    let found = request
        .headers()
        .get(WIRE_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(0);
    match wire::check_version(found) {
        Ok(()) => {
            let mut response = next.run(request).await;
            response
                .headers_mut()
                .insert(WIRE_HEADER, HeaderValue::from(WIRE_VERSION));
            response
        }
        Err(e) => HubError::Wire(e).into_response(),
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, HubError> + Send + 'static) -> Result<T, HubError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| HubError::Internal(format!("a worker failed: {e}")))?
}

/// The session of the request's bearer token.
async fn session(state: &Arc<AppState>, headers: &HeaderMap) -> Result<Session, HubError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    let store = state.store.clone();
    blocking(move || auth::authenticate(&*store, token.as_deref())).await
}

fn require_write(session: &Session) -> Result<(), HubError> {
    if session.role.can_write() {
        Ok(())
    } else {
        Err(HubError::Forbidden(format!(
            "the role {} may read but not change the data of {}",
            session.role, session.org
        )))
    }
}

fn body(body: Result<Bytes, BytesRejection>) -> Result<Bytes, HubError> {
    body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            HubError::TooLarge { limit: MAX_BODY as u64 }
        } else {
            HubError::BadRequest(r.body_text())
        }
    })
}

fn sync_body(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, SYNC_CONTENT_TYPE)], bytes).into_response()
}

#[derive(Deserialize)]
struct LoginRequest {
    org: String,
    user: String,
    password: String,
}

async fn login(
    State(state): State<Arc<AppState>>,
    request: Result<Bytes, BytesRejection>,
) -> Result<Json<auth::LoginAnswer>, HubError> {
    let request: LoginRequest = serde_json::from_slice(&body(request)?)
        .map_err(|e| HubError::BadRequest(format!("expected {{\"org\", \"user\", \"password\"}}: {e}")))?;
    state.logins.check(&request.org, &request.user, Instant::now())?;
    let store = state.store.clone();
    let hours = state.token_hours;
    let (org, user) = (request.org.clone(), request.user.clone());
    let answer = blocking(move || auth::login(&*store, &request.org, &request.user, &request.password, hours)).await;
    match &answer {
        Ok(_) => state.logins.succeeded(&org, &user),
        Err(HubError::Unauthorized) => state.logins.failed(&org, &user, Instant::now()),
        Err(_) => {}
    }
    Ok(Json(answer?))
}

async fn status(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Result<Response, HubError> {
    let s = session(&state, &headers).await?;
    let store = state.store.clone();
    let status = blocking(move || store.status(&s.org)).await?;
    Ok(Json(status).into_response())
}

async fn push(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    request: Result<Bytes, BytesRejection>,
) -> Result<Response, HubError> {
    let s = session(&state, &headers).await?;
    require_write(&s)?;
    let bytes = body(request)?;
    let store = state.store.clone();
    let response = blocking(move || {
        let request: PushRequest = wire::decode(&bytes, MAX_JSON)?;
        wire::check_version(request.wire)?;
        store.push(&s.org, &request)
    })
    .await?;
    Ok(sync_body(wire::encode(&response)))
}

#[derive(Deserialize)]
struct PullParams {
    after: Option<i64>,
    limit: Option<u32>,
}

async fn pull(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    params: Result<Query<PullParams>, QueryRejection>,
) -> Result<Response, HubError> {
    let s = session(&state, &headers).await?;
    let Query(p) = params.map_err(|e| HubError::BadRequest(e.body_text()))?;
    let after = p.after.unwrap_or(0).max(0);
    let limit = p.limit.unwrap_or(DEFAULT_PULL_LIMIT).clamp(1, MAX_PULL_LIMIT);
    let store = state.store.clone();
    let bytes = blocking(move || Ok(wire::encode(&store.pull(&s.org, after, limit)?))).await?;
    Ok(sync_body(bytes))
}

#[derive(Deserialize)]
struct ConflictParams {
    #[serde(default)]
    all: bool,
}

async fn conflicts(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    params: Result<Query<ConflictParams>, QueryRejection>,
) -> Result<Response, HubError> {
    let s = session(&state, &headers).await?;
    let Query(p) = params.map_err(|e| HubError::BadRequest(e.body_text()))?;
    let store = state.store.clone();
    let list = blocking(move || store.conflicts(&s.org, !p.all)).await?;
    Ok(Json(serde_json::json!({ "conflicts": list })).into_response())
}

async fn blob_status(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(sha): Path<String>,
) -> Result<Response, HubError> {
    let s = session(&state, &headers).await?;
    let store = state.store.clone();
    let status = blocking(move || store.blob_status(&s.org, &sha)).await?;
    Ok(Json(status).into_response())
}

#[derive(Deserialize)]
struct ChunkParams {
    offset: u64,
    total: u64,
}

async fn put_blob(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(sha): Path<String>,
    params: Result<Query<ChunkParams>, QueryRejection>,
    chunk: Result<Bytes, BytesRejection>,
) -> Result<Response, HubError> {
    let s = session(&state, &headers).await?;
    require_write(&s)?;
    let Query(p) =
        params.map_err(|e| HubError::BadRequest(format!("offset and total are needed: {}", e.body_text())))?;
    let chunk = body(chunk)?;
    let store = state.store.clone();
    let status = blocking(move || store.put_blob(&s.org, &sha, p.offset, p.total, &chunk)).await?;
    Ok(Json(status).into_response())
}

async fn blob(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(sha): Path<String>,
) -> Result<Response, HubError> {
    let s = session(&state, &headers).await?;
    let store = state.store.clone();
    let name = sha.clone();
    let bytes = blocking(move || store.blob(&s.org, &sha))
        .await?
        .ok_or_else(|| HubError::NotFound(format!("attachment {name}")))?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

/// Serves the API on `listener` (already bound) until Ctrl-C or SIGTERM,
/// over HTTPS when `tls` names a certificate chain and key (PEM).
/// `listening` is told the base URL once the hub accepts connections.
pub async fn serve(
    listener: std::net::TcpListener,
    store: Arc<dyn HubStore>,
    token_hours: f64,
    tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
    listening: impl FnOnce(&str),
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let addr: SocketAddr = listener.local_addr()?;
    // The last reference to the store is dropped on a blocking thread: the
    // PostgreSQL client blocks when it closes, which async threads forbid.
    let keep = store.clone();
    let app = router(store, token_hours);
    let served = serve_app(listener, addr, app, tls, listening).await;
    let _ = tokio::task::spawn_blocking(move || drop(keep)).await;
    served
}

async fn serve_app(
    listener: std::net::TcpListener,
    addr: SocketAddr,
    app: Router,
    tls: Option<(std::path::PathBuf, std::path::PathBuf)>,
    listening: impl FnOnce(&str),
) -> std::io::Result<()> {
    match tls {
        Some((cert, key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| {
                    std::io::Error::new(
                        e.kind(),
                        format!("cannot use {} and {} for TLS: {e}", cert.display(), key.display()),
                    )
                })?;
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                shutdown_signal().await;
                stopper.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
            });
            listening(&format!("https://{addr}"));
            axum_server::from_tcp_rustls(listener, config)?
                .handle(handle)
                .serve(app.into_make_service())
                .await
        }
        None => {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            listening(&format!("http://{addr}"));
            axum::serve(listener, app)
                .with_graceful_shutdown(shutdown_signal())
                .await
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
