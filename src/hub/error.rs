//! Everything the hub can refuse or fail at, with the HTTP answer for each.
//!
//! Every error reaches a client as `{"error": CODE, "message": English,
//! "message_th": Thai}` (plus `missing` or `received` where the variant
//! carries them); [`HubError::code`] and [`HubError::status`] are the
//! contract the sync client relies on.

use serde_json::{json, Value};

use super::store::postgres::PostgresStoreError;
use super::store::sqlite::SqliteStoreError;
use crate::sync::WireError;

/// The largest push body accepted, compressed.
pub const MAX_BODY: usize = 64 << 20;
/// The largest push accepted once decompressed (JSON).
pub const MAX_JSON: u64 = 256 << 20;
/// The largest attachment accepted.
pub const MAX_BLOB: u64 = 64 << 20;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// The request cannot be understood or its content is unusable (every
    /// problem listed). 400 `bad_request`.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// No token, a token the hub never issued, or wrong credentials (the
    /// same message whatever was wrong, so users cannot be enumerated).
    /// 401 `unauthorized`.
    #[error("not signed in, or the organisation, user name or password is wrong")]
    Unauthorized,
    /// Too many failed sign-ins of this name lately; refused whatever the
    /// password for `retry_after` seconds more. 429 `too_many_attempts`.
    #[error("too many failed sign-ins for this user; try again in {} minutes", retry_after.div_ceil(60))]
    TooManyAttempts { retry_after: u64 },
    /// The session's token has expired: sign in again. 401 `token_expired`.
    #[error("the session has expired; sign in again")]
    TokenExpired,
    /// Signed in, but the role does not allow this. 403 `forbidden`.
    #[error("{0}")]
    Forbidden(String),
    /// No such thing (organisation, attachment). 404 `not_found`.
    #[error("not found: {0}")]
    NotFound(String),
    /// The request body is larger than the hub accepts. 413 `too_large`.
    #[error("the request is larger than the hub accepts ({limit} bytes)")]
    TooLarge { limit: u64 },
    /// The client speaks another sync format version. 426 `wire_version`.
    #[error(transparent)]
    Wire(WireError),
    /// The client's file follows an older data model than the
    /// organisation's data. 409 `schema_behind`.
    #[error("the file follows data model version {client}, the organisation's data is at version {hub}; update Tongtin and migrate the file (tongtin migrate) before syncing")]
    SchemaBehind { client: u32, hub: u32 },
    /// The client's file follows a newer data model than this hub's
    /// Tongtin knows. 409 `schema_ahead`.
    #[error("the file follows data model version {client}, newer than this hub supports ({hub}); the hub's Tongtin must be updated")]
    SchemaAhead { client: u32, hub: u32 },
    /// Ops reference attachments not uploaded whole. 409 `missing_blobs`.
    #[error("attachments must be uploaded first: {}", .0.join(", "))]
    MissingBlobs(Vec<String>),
    /// An upload chunk does not continue where the upload stands.
    /// 409 `blob_offset`.
    #[error("the upload continues at byte {received}")]
    BlobOffset { received: u64 },
    /// The uploaded bytes do not have the SHA-256 they were sent under; the
    /// upload was discarded. 422 `blob_mismatch`.
    #[error("the uploaded bytes do not match their SHA-256; the upload was discarded")]
    BlobMismatch,
    /// A name that already exists (an organisation created twice).
    /// 409 `bad_request`.
    #[error("{0} already exists")]
    Exists(String),
    /// The embedded SQLite store failed. 500 `internal`.
    #[error(transparent)]
    Sqlite(#[from] SqliteStoreError),
    /// The PostgreSQL store failed. 500 `internal`.
    #[error(transparent)]
    Postgres(#[from] PostgresStoreError),
    /// Anything else that is the hub's fault. 500 `internal`.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<WireError> for HubError {
    fn from(e: WireError) -> Self {
        match e {
            WireError::TooLarge { limit } => HubError::TooLarge { limit },
            WireError::Malformed(m) => HubError::BadRequest(format!("malformed sync message: {m}")),
            other => HubError::Wire(other),
        }
    }
}

impl HubError {
    /// The machine-readable code in the error body.
    pub fn code(&self) -> &'static str {
        match self {
            HubError::BadRequest(_) | HubError::Exists(_) => "bad_request",
            HubError::Unauthorized => "unauthorized",
            HubError::TokenExpired => "token_expired",
            HubError::TooManyAttempts { .. } => "too_many_attempts",
            HubError::Forbidden(_) => "forbidden",
            HubError::NotFound(_) => "not_found",
            HubError::TooLarge { .. } => "too_large",
            HubError::Wire(_) => "wire_version",
            HubError::SchemaBehind { .. } => "schema_behind",
            HubError::SchemaAhead { .. } => "schema_ahead",
            HubError::MissingBlobs(_) => "missing_blobs",
            HubError::BlobOffset { .. } => "blob_offset",
            HubError::BlobMismatch => "blob_mismatch",
            HubError::Sqlite(_) | HubError::Postgres(_) | HubError::Internal(_) => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        match self {
            HubError::BadRequest(_) => 400,
            HubError::Unauthorized | HubError::TokenExpired => 401,
            HubError::TooManyAttempts { .. } => 429,
            HubError::Forbidden(_) => 403,
            HubError::NotFound(_) => 404,
            HubError::TooLarge { .. } => 413,
            HubError::Wire(_) => 426,
            HubError::SchemaBehind { .. }
            | HubError::SchemaAhead { .. }
            | HubError::MissingBlobs(_)
            | HubError::BlobOffset { .. }
            | HubError::Exists(_) => 409,
            HubError::BlobMismatch => 422,
            HubError::Sqlite(_) | HubError::Postgres(_) | HubError::Internal(_) => 500,
        }
    }

    /// The message in Thai.
    pub fn message_th(&self) -> String {
        match self {
            HubError::BadRequest(m) => format!("คำขอไม่ถูกต้อง: {m}"),
            HubError::Unauthorized => "ยังไม่ได้เข้าสู่ระบบ หรือหน่วยงาน ชื่อผู้ใช้ หรือรหัสผ่านไม่ถูกต้อง".into(),
            HubError::TokenExpired => "หมดเวลาการเข้าสู่ระบบ กรุณาเข้าสู่ระบบใหม่".into(),
            HubError::TooManyAttempts { retry_after } => format!(
                "เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณาลองใหม่ในอีก {} นาที",
                retry_after.div_ceil(60)
            ),
            HubError::Forbidden(_) => "สิทธิ์ของผู้ใช้นี้ไม่อนุญาตให้ทำรายการนี้".into(),
            HubError::NotFound(m) => format!("ไม่พบ: {m}"),
            HubError::TooLarge { limit } => format!("คำขอมีขนาดใหญ่เกินที่เครื่องแม่ข่ายรับได้ ({limit} ไบต์)"),
            HubError::Wire(WireError::Newer { .. }) => {
                "อีกฝั่งใช้รูปแบบการซิงก์ที่ใหม่กว่าเครื่องแม่ข่าย กรุณาปรับรุ่นโปรแกรมของเครื่องแม่ข่าย".into()
            }
            HubError::Wire(_) => "โปรแกรมนี้ใช้รูปแบบการซิงก์รุ่นเก่า กรุณาปรับรุ่นโปรแกรมท้องถิ่น".into(),
            HubError::SchemaBehind { client, hub } => format!(
                "ไฟล์ใช้โครงสร้างข้อมูลรุ่น {client} แต่ข้อมูลของหน่วยงานเป็นรุ่น {hub} กรุณาปรับรุ่นโปรแกรมและปรับรุ่นไฟล์ (tongtin migrate) ก่อนซิงก์"
            ),
            HubError::SchemaAhead { client, hub } => format!(
                "ไฟล์ใช้โครงสร้างข้อมูลรุ่น {client} ใหม่กว่าที่เครื่องแม่ข่ายรองรับ ({hub}) กรุณาปรับรุ่นโปรแกรมของเครื่องแม่ข่าย"
            ),
            HubError::MissingBlobs(_) => "ต้องส่งไฟล์แนบ (รูปภาพ) ให้ครบก่อน".into(),
            HubError::BlobOffset { received } => format!("การส่งไฟล์แนบต้องต่อจากไบต์ที่ {received}"),
            HubError::BlobMismatch => "ไฟล์แนบที่ได้รับไม่ตรงกับรหัส SHA-256 จึงถูกทิ้ง กรุณาส่งใหม่".into(),
            HubError::Exists(m) => format!("{m} มีอยู่แล้ว"),
            HubError::Sqlite(_) | HubError::Postgres(_) | HubError::Internal(_) => {
                "เครื่องแม่ข่ายขัดข้อง กรุณาลองใหม่ภายหลัง".into()
            }
        }
    }

    /// The JSON error body.
    pub fn body(&self) -> Value {
        let message = match self {
            // Details of the hub's own failures stay in its log.
            HubError::Sqlite(_) | HubError::Postgres(_) | HubError::Internal(_) => {
                "the hub failed; try again later".to_string()
            }
            HubError::Wire(e) => wire_message(e),
            other => other.to_string(),
        };
        let mut body = json!({"error": self.code(), "message": message, "message_th": self.message_th()});
        match self {
            HubError::MissingBlobs(missing) => body["missing"] = json!(missing),
            HubError::BlobOffset { received } => body["received"] = json!(received),
            HubError::TooManyAttempts { retry_after } => body["retry_after"] = json!(retry_after),
            _ => {}
        }
        body
    }
}

/// The wire error as the client should read it: which side must update.
fn wire_message(e: &WireError) -> String {
    match e {
        WireError::Newer { found, supported } => format!(
            "the client speaks sync format {found}, newer than this hub ({supported}); the hub's Tongtin must be updated"
        ),
        WireError::Older { found: 0, supported } => format!(
            "the request carries no Tongtin-Wire header; this hub speaks sync format {supported}: update Tongtin"
        ),
        WireError::Older { found, supported } => format!(
            "the client speaks sync format {found}, older than this hub ({supported}); update Tongtin on this computer"
        ),
        other => other.to_string(),
    }
}
