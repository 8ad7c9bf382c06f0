use thiserror::Error;

use super::wire::WireError;
use crate::edit::EditError;
use crate::gpkg::GpkgError;
use crate::journal::JournalError;

/// Why a sync, an export or an import stopped. Nothing half-applied stays:
/// every step that writes the file is one transaction.
#[derive(Debug, Error)]
pub enum SyncError {
    /// The person stopped the sync; what was sent and received before is
    /// kept, and the next sync goes on from there.
    #[error(
        "the sync was cancelled; what was sent and received so far is kept / ยกเลิกการซิงก์แล้ว ข้อมูลที่ส่งและรับไปแล้วยังอยู่ครบ"
    )]
    Cancelled,
    /// The hub could not be reached (no network, wrong address, hub down).
    #[error("the hub at {url} cannot be reached: {why} / ติดต่อเครื่องแม่ข่ายไม่ได้ ตรวจสอบเครือข่ายหรือที่อยู่")]
    Unreachable { url: String, why: String },
    /// Wrong user name or password, or no role in the organisation.
    #[error("the hub refused the user name or password / ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง")]
    Credentials,
    /// The session ran out; signing in again fixes it.
    #[error("the session has expired; sign in again / หมดเวลาการเข้าระบบ กรุณาเข้าระบบใหม่")]
    Expired,
    /// The user may not do this (a viewer pushing).
    #[error("the hub does not allow this user to {what} / ผู้ใช้นี้ไม่มีสิทธิ์{what_th}")]
    Forbidden { what: String, what_th: String },
    /// Any other refusal by the hub, with its own words.
    #[error("the hub said: {message} / {message_th}")]
    Hub {
        status: u16,
        code: String,
        message: String,
        message_th: String,
    },
    /// The peer speaks another sync format version, or sent a bad message.
    #[error(transparent)]
    Wire(#[from] WireError),
    /// The hub's data has a field or layer this file does not: it needs a
    /// newer data model.
    #[error("the hub has field {field} in {layer}, which this file does not know; update Tongtin and run `tongtin migrate` / ข้อมูลบนเครื่องแม่ข่ายใหม่กว่าไฟล์นี้ กรุณาปรับรุ่นโปรแกรม")]
    SchemaAhead { layer: String, field: String },
    /// The file's data model is older than the hub's.
    #[error("the file's data model {file} is older than the hub's {hub}; run `tongtin migrate` (and update Tongtin if needed) / โครงสร้างข้อมูลของไฟล์เก่ากว่าเครื่องแม่ข่าย")]
    SchemaBehind { file: u32, hub: u32 },
    /// A table named by the hub or a package that the file does not have.
    #[error("the file has no table {0}")]
    UnknownTable(String),
    /// A conflict id the file does not know, or one already settled.
    #[error("no open conflict {0} / ไม่พบข้อขัดแย้ง {0}")]
    NoConflict(String),
    /// A choice that does not fit the conflict.
    #[error("{0}")]
    BadChoice(String),
    /// The file is bound to another hub or organisation.
    #[error("the file syncs with {bound}, not {asked}; use a copy for the other hub / ไฟล์นี้ซิงก์กับ {bound} อยู่แล้ว")]
    OtherHub { bound: String, asked: String },
    /// A record that cannot be read back (sync tables, a package).
    #[error("damaged sync data: {0}")]
    Damaged(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Gpkg(#[from] GpkgError),
    #[error("sync: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
