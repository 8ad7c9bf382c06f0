//! Talking to a hub over HTTP(S): sign in, status, push, pull, attachments.
//! The contract is in docs/ARCHITECTURE.md (Sync); every request carries
//! the wire version.

use std::io::Read;
use std::time::Duration;

use serde::Deserialize;

use super::error::SyncError;
use super::wire::{self, PullResponse, PushRequest, PushResponse, Status, WIRE_VERSION};

/// The largest pull page or push answer accepted, decompressed.
const MESSAGE_LIMIT: u64 = 256 << 20;
/// Attachments are uploaded in pieces of this size (resumable).
const BLOB_CHUNK: usize = 1 << 20;
const CONTENT_TYPE: &str = "application/x-tongtin-sync";

/// How to reach a hub and who signs in.
#[derive(Clone, Debug)]
pub struct HubAccess {
    /// `http://host:port` or `https://…`, without a trailing path.
    pub url: String,
    pub org: String,
    pub user: String,
    pub password: String,
    /// PEM certificates to trust besides the public roots (a hub with its own CA).
    pub ca_pem: Option<Vec<u8>>,
}

/// A signed-in connection to one organisation on a hub.
pub struct Hub {
    agent: ureq::Agent,
    base: String,
    token: String,
}

#[derive(Deserialize)]
struct Login {
    token: String,
}

#[derive(Deserialize, Default)]
struct HubErrorBody {
    #[serde(default)]
    error: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    message_th: String,
    #[serde(default)]
    received: Option<u64>,
}

/// Where an attachment upload stands on the hub.
#[derive(Debug, Deserialize)]
pub struct BlobStatus {
    pub received: u64,
    pub complete: bool,
}

impl Hub {
    /// Signs in; wrong credentials and an unreachable hub are told apart.
    pub fn connect(access: &HubAccess) -> Result<Hub, SyncError> {
        let base = access.url.trim_end_matches('/').to_string();
        let agent = agent(access)?;
        let body = serde_json::json!({"org": access.org, "user": access.user, "password": access.password});
        let response = agent
            .post(format!("{base}/v1/login"))
            .header("Tongtin-Wire", WIRE_VERSION.to_string())
            .content_type("application/json")
            .send(body.to_string().as_bytes())
            .map_err(|e| unreachable(&base, e))?;
        let bytes = read_body(response, &base)?;
        let login: Login =
            serde_json::from_slice(&bytes).map_err(|e| wire::WireError::Malformed(format!("login answer: {e}")))?;
        Ok(Hub {
            agent,
            base,
            token: login.token,
        })
    }

    /// The hub's log position and data-model version: one small request.
    pub fn status(&self) -> Result<Status, SyncError> {
        let bytes = read_body(
            self.get("/v1/status").call().map_err(|e| unreachable(&self.base, e))?,
            &self.base,
        )?;
        Ok(serde_json::from_slice(&bytes).map_err(|e| wire::WireError::Malformed(e.to_string()))?)
    }

    pub fn push(&self, request: &PushRequest) -> Result<PushResponse, SyncError> {
        let body = wire::encode(request);
        let response = self
            .post("/v1/push")
            .content_type(CONTENT_TYPE)
            .send(&body[..])
            .map_err(|e| unreachable(&self.base, e))?;
        let answer: PushResponse = wire::decode(&read_body(response, &self.base)?, MESSAGE_LIMIT)?;
        wire::check_version(answer.wire)?;
        Ok(answer)
    }

    pub fn pull(&self, after: i64, limit: usize) -> Result<PullResponse, SyncError> {
        let response = self
            .get(&format!("/v1/pull?after={after}&limit={limit}"))
            .call()
            .map_err(|e| unreachable(&self.base, e))?;
        let answer: PullResponse = wire::decode(&read_body(response, &self.base)?, MESSAGE_LIMIT)?;
        wire::check_version(answer.wire)?;
        Ok(answer)
    }

    pub fn blob_status(&self, sha256: &str) -> Result<BlobStatus, SyncError> {
        let response = self
            .get(&format!("/v1/blobs/{sha256}/status"))
            .call()
            .map_err(|e| unreachable(&self.base, e))?;
        let bytes = read_body(response, &self.base)?;
        Ok(serde_json::from_slice(&bytes).map_err(|e| wire::WireError::Malformed(e.to_string()))?)
    }

    /// Uploads an attachment, continuing from what the hub already holds.
    pub fn upload_blob(&self, sha256: &str, data: &[u8]) -> Result<(), SyncError> {
        let mut at = self.blob_status(sha256)?;
        while !at.complete {
            let start = (at.received as usize).min(data.len());
            let end = (start + BLOB_CHUNK).min(data.len());
            let response = self
                .agent
                .put(format!(
                    "{}/v1/blobs/{sha256}?offset={start}&total={}",
                    self.base,
                    data.len()
                ))
                .header("Tongtin-Wire", WIRE_VERSION.to_string())
                .header("Authorization", format!("Bearer {}", self.token))
                .content_type("application/octet-stream")
                .send(&data[start..end])
                .map_err(|e| unreachable(&self.base, e))?;
            match read_body(response, &self.base) {
                Ok(bytes) => {
                    at = serde_json::from_slice(&bytes).map_err(|e| wire::WireError::Malformed(e.to_string()))?;
                }
                Err(SyncError::Hub { code, .. }) if code == "blob_offset" => at = self.blob_status(sha256)?,
                Err(e) => return Err(e),
            }
            if !at.complete && at.received as usize == data.len() {
                return Err(SyncError::Damaged(format!(
                    "the hub holds all of {sha256} but did not accept it"
                )));
            }
        }
        Ok(())
    }

    pub fn download_blob(&self, sha256: &str) -> Result<Vec<u8>, SyncError> {
        let response = self
            .get(&format!("/v1/blobs/{sha256}"))
            .call()
            .map_err(|e| unreachable(&self.base, e))?;
        read_body(response, &self.base)
    }

    fn get(&self, path: &str) -> ureq::RequestBuilder<ureq::typestate::WithoutBody> {
        self.agent
            .get(format!("{}{path}", self.base))
            .header("Tongtin-Wire", WIRE_VERSION.to_string())
            .header("Authorization", format!("Bearer {}", self.token))
    }

    fn post(&self, path: &str) -> ureq::RequestBuilder<ureq::typestate::WithBody> {
        self.agent
            .post(format!("{}{path}", self.base))
            .header("Tongtin-Wire", WIRE_VERSION.to_string())
            .header("Authorization", format!("Bearer {}", self.token))
    }
}

fn agent(access: &HubAccess) -> Result<ureq::Agent, SyncError> {
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(10)))
        .timeout_global(Some(Duration::from_secs(300)));
    if let Some(pem) = &access.ca_pem {
        let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(pem)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(SyncError::BadChoice("the CA file holds no PEM certificate".into()));
        }
        config = config.tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&certs))
                .build(),
        );
    }
    Ok(config.build().into())
}

fn unreachable(url: &str, e: ureq::Error) -> SyncError {
    SyncError::Unreachable {
        url: url.to_string(),
        why: e.to_string(),
    }
}

/// The body of a successful answer, or the hub's refusal as an error.
fn read_body(response: ureq::http::Response<ureq::Body>, url: &str) -> Result<Vec<u8>, SyncError> {
    let status = response.status().as_u16();
    let mut bytes = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(MESSAGE_LIMIT)
        .read_to_end(&mut bytes)
        .map_err(|e| SyncError::Unreachable {
            url: url.to_string(),
            why: format!("the connection broke while reading: {e}"),
        })?;
    if (200..300).contains(&status) {
        return Ok(bytes);
    }
    let body: HubErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
    Err(match (status, body.error.as_str()) {
        (401, "token_expired") => SyncError::Expired,
        (401, _) => SyncError::Credentials,
        (403, _) => SyncError::Forbidden {
            what: "send changes (a viewer account)".into(),
            what_th: "ส่งการแก้ไข (บัญชีผู้ดูอย่างเดียว)".into(),
        },
        (426, _) => SyncError::Hub {
            status,
            code: "wire_version".into(),
            message: body.message,
            message_th: body.message_th,
        },
        _ => SyncError::Hub {
            status,
            code: if body.error.is_empty() {
                format!("http_{status}")
            } else {
                body.error
            },
            message: if body.message.is_empty() {
                format!(
                    "HTTP {status} {}",
                    body.received.map(|r| r.to_string()).unwrap_or_default()
                )
            } else {
                body.message
            },
            message_th: body.message_th,
        },
    })
}
