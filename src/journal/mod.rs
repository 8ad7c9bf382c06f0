//! The journal: every insert, update and delete of a feature, field by field
//! with old and new values, recorded inside the GeoPackage in the same SQLite
//! transaction as the edit, by whoever made it.
//!
//! Capture is done by triggers on every journaled table (see `capture.rs`),
//! so edits made by QGIS, GDAL or a script are caught as surely as the app's;
//! Tongtin turns the captured rows into [`Op`]s with a hybrid logical clock,
//! the user and the device. A fingerprint of every row backs the triggers up:
//! [`check`] finds edits made while a tool had removed them.
//!
//! Must not know: the data model's layers and rules (any registered table
//! with a `uid` column is journaled), the desktop shell, sync.

mod capture;
mod check;
mod direct;
mod hlc;
mod literal;
mod op;
mod show;
mod store;

pub use capture::{journaled_table, journaled_tables, Journaled, UID};
pub use check::{check, CheckReport};
pub use direct::{without_capture, KnownOp, Uncaptured};
pub use hlc::{wall_millis, Hlc};
pub use literal::{literal, parse_list, LiteralError};
pub use op::{diff_rows, same_value, FieldChange, Op, OpKind, Origin, Row};
pub use show::show_value;
pub use store::{last_seq, read as read_history, row_hash, HistoryFilter};

use rusqlite::{Connection, OptionalExtension};
use thiserror::Error;

use crate::gpkg::GpkgError;
use crate::model::META_TABLE;
use crate::progress::Progress;

/// The version of the journal tables' format, kept in `tongtin_meta`.
pub const FORMAT_VERSION: u32 = 1;
const FORMAT_KEY: &str = "journal_format";

#[derive(Debug, Error)]
pub enum JournalError {
    /// The journal was written by a newer Tongtin; nothing is written to it.
    #[error("the journal format {found} is newer than this Tongtin supports ({supported}); update Tongtin")]
    Newer { found: u32, supported: u32 },
    /// A journal or capture row that cannot be read back.
    #[error("damaged journal: {what}")]
    Damaged { what: String },
    #[error("journal: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error(transparent)]
    Gpkg(#[from] GpkgError),
}

/// Who makes an edit, as the journal records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub user: String,
    pub device: String,
}

impl Actor {
    /// The user (`TONGTIN_USER`, else the login name) and the device
    /// (`TONGTIN_DEVICE`, else the host name) of this process.
    pub fn from_env() -> Actor {
        let env = |names: &[&str]| {
            names
                .iter()
                .find_map(|n| std::env::var(n).ok().filter(|v| !v.trim().is_empty()))
        };
        let host = || {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
        };
        Actor {
            user: env(&["TONGTIN_USER", "USER", "USERNAME"]).unwrap_or_else(|| "unknown".into()),
            device: env(&["TONGTIN_DEVICE"])
                .or_else(host)
                .or_else(|| env(&["HOSTNAME", "COMPUTERNAME"]))
                .unwrap_or_else(|| "unknown".into()),
        }
    }

    /// Another tool's edit found on this device: its user is not known.
    fn external(&self) -> Actor {
        Actor {
            user: String::new(),
            device: self.device.clone(),
        }
    }
}

/// Whether the file has journal tables.
pub fn is_installed(conn: &Connection) -> Result<bool, JournalError> {
    Ok(conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tongtin_journal')",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(false))
}

fn check_format(conn: &Connection) -> Result<(), JournalError> {
    let has_meta: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
        [META_TABLE],
        |r| r.get(0),
    )?;
    if !has_meta {
        return Ok(());
    }
    let found: Option<String> = conn
        .query_row(
            &format!("SELECT value FROM {META_TABLE} WHERE key = ?1"),
            [FORMAT_KEY],
            |r| r.get(0),
        )
        .optional()?;
    match found.map(|f| f.parse::<u32>()) {
        Some(Ok(v)) if v > FORMAT_VERSION => Err(JournalError::Newer {
            found: v,
            supported: FORMAT_VERSION,
        }),
        Some(Err(_)) => Err(JournalError::Damaged {
            what: "unreadable journal format version".into(),
        }),
        _ => Ok(()),
    }
}

/// What [`install`] did.
#[derive(Debug, Default, PartialEq)]
pub struct InstallReport {
    /// Tables whose capture triggers were created or brought up to date.
    pub triggers: Vec<String>,
    /// Rows fingerprinted as the journal's starting state.
    pub fingerprinted: u64,
}

/// Sets up the journal in the transaction of `conn`: its tables, the capture
/// triggers of every journaled table whose triggers are missing or stale, and
/// the fingerprints of rows of newly journaled tables (the state the journal
/// starts from). Idempotent.
pub fn install(conn: &Connection, progress: &dyn Progress) -> Result<InstallReport, JournalError> {
    check_format(conn)?;
    conn.execute_batch(include_str!("sql/journal.sql"))?;
    conn.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS {META_TABLE} (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
    ))?;
    conn.execute(
        &format!("INSERT OR REPLACE INTO {META_TABLE} (key, value) VALUES (?1, ?2)"),
        rusqlite::params![FORMAT_KEY, FORMAT_VERSION.to_string()],
    )?;
    let mut report = InstallReport::default();
    for t in journaled_tables(conn)? {
        if capture::triggers_current(conn, &t)? {
            continue;
        }
        let fresh: bool = conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM tongtin_capture_layouts WHERE tbl = ?1)",
            [&t.table],
            |r| r.get(0),
        )?;
        capture::install_triggers(conn, &t)?;
        if fresh {
            report.fingerprinted += check::fingerprint_all(conn, &t, progress)?;
        }
        report.triggers.push(t.table);
    }
    Ok(report)
}

/// Turns everything captured since the last call into journal ops of one
/// edit made by `actor`, in the caller's transaction, and returns them.
pub fn record(conn: &Connection, actor: &Actor, origin: Origin) -> Result<Vec<Op>, JournalError> {
    let captured = capture::take_captured(conn)?;
    if captured.is_empty() {
        return Ok(Vec::new());
    }
    let edit_id = uuid::Uuid::new_v4().to_string();
    let mut hlc = store::last_hlc(conn)?;
    let now = wall_millis();
    let mut ops = Vec::new();
    for c in captured {
        let old_uid = c.old.as_ref().and_then(capture::uid_of).map(str::to_string);
        let new_uid = c.new.as_ref().and_then(capture::uid_of).map(str::to_string);
        let steps: Vec<(Option<String>, Option<&Row>, Option<&Row>)> = match (&old_uid, &new_uid) {
            (Some(a), Some(b)) if a != b => vec![
                (old_uid.clone(), c.old.as_ref(), None),
                (new_uid.clone(), None, c.new.as_ref()),
            ],
            _ => vec![(new_uid.clone().or(old_uid.clone()), c.old.as_ref(), c.new.as_ref())],
        };
        for (uid, before, after) in steps {
            let Some(uid) = uid else { continue };
            let Some((kind, fields)) = diff_rows(before, after) else {
                continue;
            };
            hlc = hlc.tick(c.at.unwrap_or(now).min(now));
            let mut op = Op {
                seq: None,
                op_id: uuid::Uuid::new_v4().to_string(),
                edit_id: edit_id.clone(),
                hlc,
                user: actor.user.clone(),
                device: actor.device.clone(),
                origin,
                layer: c.table.clone(),
                uid: uid.clone(),
                kind,
                fields,
            };
            op.seq = Some(store::append(conn, &op)?);
            store::set_state(conn, &c.table, &uid, after)?;
            ops.push(op);
        }
    }
    store::save_hlc(conn, hlc)?;
    Ok(ops)
}

/// Who made a change that arrived by sync, recorded under the author's op
/// ([`without_capture`]).
#[derive(Clone, Debug)]
pub struct Received<'a> {
    pub op_id: &'a str,
    pub edit_id: &'a str,
    pub hlc: Hlc,
    pub user: &'a str,
    pub device: &'a str,
    pub origin: Origin,
}

/// Whether the journal has an op with this id.
pub fn has_op(conn: &Connection, op_id: &str) -> Result<bool, JournalError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM tongtin_journal WHERE op_id = ?1)")?
        .query_row([op_id], |r| r.get(0))?)
}

/// Records what other tools left captured, as their (unnamed) edit.
pub fn record_external(conn: &Connection, here: &Actor) -> Result<Vec<Op>, JournalError> {
    record(conn, &here.external(), Origin::External)
}
