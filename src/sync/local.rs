//! The file's side of sync: its cursors, the ops it has to send, applying
//! what the hub decided, and the conflicts it knows of.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{params, Connection, OptionalExtension};

use super::error::SyncError;
use super::rows::Tables;
use super::wire::{Conflict, Entry, EntryChange, WireOp, NULL};
use crate::gpkg::{quote_ident, Value};
use crate::journal::{self, Origin, Received, Uncaptured, UID};

/// Where a file sends its ops: a hub, or sync package files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Hub,
    Package,
}

impl Channel {
    fn sent_key(self) -> &'static str {
        match self {
            Channel::Hub => "pushed_seq",
            Channel::Package => "exported_seq",
        }
    }

    fn resolutions_key(self) -> &'static str {
        match self {
            Channel::Hub => "pushed_resolution",
            Channel::Package => "exported_resolution",
        }
    }

    /// Ops of this origin are not sent on this channel: what came from the
    /// hub goes back to the hub no more.
    fn skips(self) -> Option<Origin> {
        match self {
            Channel::Hub => Some(Origin::Hub),
            Channel::Package => None,
        }
    }
}

/// Creates the sync tables if missing.
pub fn install(conn: &Connection) -> Result<(), SyncError> {
    conn.execute_batch(include_str!("sql/local.sql"))?;
    Ok(())
}

pub fn get(conn: &Connection, key: &str) -> Result<Option<String>, SyncError> {
    Ok(conn
        .prepare_cached("SELECT value FROM tongtin_sync_state WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub fn set(conn: &Connection, key: &str, value: &str) -> Result<(), SyncError> {
    conn.prepare_cached("INSERT OR REPLACE INTO tongtin_sync_state (key, value) VALUES (?1, ?2)")?
        .execute([key, value])?;
    Ok(())
}

fn get_i64(conn: &Connection, key: &str) -> Result<Option<i64>, SyncError> {
    Ok(get(conn, key)?.and_then(|v| v.parse().ok()))
}

/// What a file has to send on a channel.
#[derive(Debug, Default)]
pub struct Outbox {
    pub ops: Vec<WireOp>,
    /// The journal position the ops reach (saved once they are acknowledged).
    pub through_seq: i64,
    /// The last resolution included.
    pub through_resolution: i64,
    /// Whether this is the file's first send: its whole data as inserts.
    pub snapshot: bool,
}

/// The ops to send on `channel`: journal ops after the last acknowledged
/// position (for a first send, every row as an insert instead), then the
/// conflict decisions not yet sent.
pub fn outbox(conn: &Connection, channel: Channel) -> Result<Outbox, SyncError> {
    let through_seq = journal::last_seq(conn)?;
    let mut out = Outbox {
        through_seq,
        ..Outbox::default()
    };
    match get_i64(conn, channel.sent_key())? {
        None => {
            out.snapshot = true;
            out.ops = snapshot(conn)?;
        }
        Some(after) => out.ops = journal_ops(conn, after, channel.skips())?,
    }
    let after = get_i64(conn, channel.resolutions_key())?.unwrap_or(0);
    let mut stmt = conn.prepare_cached(
        "SELECT seq, op_id, conflict_id, layer, uid, hlc, user, device FROM tongtin_sync_resolutions WHERE seq > ?1 ORDER BY seq",
    )?;
    let rows = stmt.query_map([after], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            WireOp {
                op_id: r.get(1)?,
                edit_id: r.get(1)?,
                resolves: vec![r.get(2)?],
                layer: r.get(3)?,
                uid: r.get(4)?,
                hlc: r.get(5)?,
                user: r.get(6)?,
                device: r.get(7)?,
                kind: journal::OpKind::Update,
                fields: Vec::new(),
            },
        ))
    })?;
    out.through_resolution = after;
    for row in rows {
        let (seq, op) = row?;
        out.through_resolution = seq;
        out.ops.push(op);
    }
    Ok(out)
}

/// The journal's ops after `after` as they go on the wire, read in one pass
/// (the journal keeps values as the literals the wire carries).
fn journal_ops(conn: &Connection, after: i64, skip: Option<Origin>) -> Result<Vec<WireOp>, SyncError> {
    let mut stmt = conn.prepare(
        "SELECT j.seq, j.op_id, j.edit_id, j.hlc, j.user, j.device, j.layer, j.uid, j.kind, f.field, f.old, f.new
         FROM tongtin_journal j LEFT JOIN tongtin_journal_fields f ON f.seq = j.seq
         WHERE j.seq > ?1 AND j.origin != ?2 ORDER BY j.seq, f.field",
    )?;
    let skip = skip.map(Origin::as_str).unwrap_or("");
    let mut rows = stmt.query(params![after, skip])?;
    let mut out: Vec<WireOp> = Vec::new();
    let mut last_seq = None;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        if last_seq != Some(seq) {
            let kind: String = r.get(8)?;
            out.push(WireOp {
                op_id: r.get(1)?,
                edit_id: r.get(2)?,
                hlc: r.get(3)?,
                user: r.get(4)?,
                device: r.get(5)?,
                layer: r.get(6)?,
                uid: r.get(7)?,
                kind: journal::OpKind::parse(&kind)
                    .ok_or_else(|| SyncError::Damaged(format!("journal op {seq}: unknown kind {kind}")))?,
                fields: Vec::new(),
                resolves: Vec::new(),
            });
            last_seq = Some(seq);
        }
        if let (Some(field), Some(op)) = (r.get::<_, Option<String>>(9)?, out.last_mut()) {
            op.fields.push(super::wire::WireField {
                field,
                old: r.get(10)?,
                new: r.get(11)?,
            });
        }
    }
    Ok(out)
}

/// Records that the outbox reached the other side.
pub fn acknowledge(conn: &Connection, channel: Channel, outbox: &Outbox) -> Result<(), SyncError> {
    set(conn, channel.sent_key(), &outbox.through_seq.to_string())?;
    set(conn, channel.resolutions_key(), &outbox.through_resolution.to_string())
}

/// Whether anything waits to be sent on `channel`: a few index lookups,
/// whatever the size of the file.
pub fn has_outgoing(conn: &Connection, channel: Channel) -> Result<bool, SyncError> {
    let captured: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM tongtin_capture)", [], |r| r.get(0))?;
    if captured {
        return Ok(true);
    }
    let Some(after) = get_i64(conn, channel.sent_key())? else {
        return Ok(true);
    };
    let skip = channel.skips().map(Origin::as_str).unwrap_or("");
    let ops: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM tongtin_journal WHERE seq > ?1 AND origin != ?2)")?
        .query_row(params![after, skip], |r| r.get(0))?;
    let resolutions: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM tongtin_sync_resolutions WHERE seq > ?1)")?
        .query_row([get_i64(conn, channel.resolutions_key())?.unwrap_or(0)], |r| r.get(0))?;
    Ok(ops || resolutions)
}

/// How many changes wait to be sent on `channel`: journal ops, decisions on
/// conflicts and features other tools changed since; `None` before the
/// first send, which sends the whole file. Counts only what waits, so it
/// stays quick whatever the size of the file.
pub fn pending(conn: &Connection, channel: Channel) -> Result<Option<u64>, SyncError> {
    let Some(after) = get_i64(conn, channel.sent_key())? else {
        return Ok(None);
    };
    let captured: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT DISTINCT tbl, fid FROM tongtin_capture)",
        [],
        |r| r.get(0),
    )?;
    let skip = channel.skips().map(Origin::as_str).unwrap_or("");
    let ops: i64 = conn
        .prepare_cached("SELECT count(*) FROM tongtin_journal WHERE seq > ?1 AND origin != ?2")?
        .query_row(params![after, skip], |r| r.get(0))?;
    let resolutions: i64 = conn
        .prepare_cached("SELECT count(*) FROM tongtin_sync_resolutions WHERE seq > ?1")?
        .query_row([get_i64(conn, channel.resolutions_key())?.unwrap_or(0)], |r| r.get(0))?;
    Ok(Some((captured + ops + resolutions) as u64))
}

/// Every row of every journaled table as an insert op, with an op id made
/// from its content: two copies of the same file send the same ops, which a
/// hub then takes once.
fn snapshot(conn: &Connection) -> Result<Vec<WireOp>, SyncError> {
    const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x0b8e_52c4_1d3f_4a9e_8f62_7c15_93ad_e041);
    // The starting data predates every edit: any edit wins over it.
    let hlc = 0;
    let mut out = Vec::new();
    for t in journal::journaled_tables(conn)? {
        let select: Vec<String> = t.columns.iter().map(|c| quote_ident(c)).collect();
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM {} ORDER BY {}",
            select.join(", "),
            quote_ident(&t.table),
            quote_ident(&t.pk)
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let mut fields = Vec::with_capacity(t.columns.len());
            let mut uid = None;
            let mut digest = format!("{}\u{0}", t.table);
            for (i, c) in t.columns.iter().enumerate() {
                let value = Value::from(r.get_ref(i)?);
                match &value {
                    Value::Null => continue,
                    Value::Text(u) if c == UID => uid = Some(u.clone()),
                    _ => {}
                }
                let lit = journal::literal(&value);
                digest.push_str(c);
                digest.push('\u{0}');
                digest.push_str(&lit);
                digest.push('\u{0}');
                fields.push(super::wire::WireField {
                    field: c.clone(),
                    old: None,
                    new: Some(lit),
                });
            }
            let Some(uid) = uid else { continue };
            let op_id = uuid::Uuid::new_v5(&NAMESPACE, digest.as_bytes()).to_string();
            out.push(WireOp {
                op_id: op_id.clone(),
                edit_id: op_id,
                hlc,
                user: String::new(),
                device: String::new(),
                layer: t.table.clone(),
                uid,
                kind: journal::OpKind::Insert,
                fields,
                resolves: Vec::new(),
            });
        }
    }
    Ok(out)
}

/// The fields of each feature changed here and not yet sent to the hub:
/// pulled values do not overwrite them (the hub merges them when they come).
pub fn unsent_fields(conn: &Connection) -> Result<HashMap<(String, String), BTreeSet<String>>, SyncError> {
    let mut out: HashMap<(String, String), BTreeSet<String>> = HashMap::new();
    let Some(after) = get_i64(conn, Channel::Hub.sent_key())? else {
        return Ok(out);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT j.layer, j.uid, f.field FROM tongtin_journal j JOIN tongtin_journal_fields f ON f.seq = j.seq WHERE j.seq > ?1 AND j.origin != 'hub'",
    )?;
    let rows = stmt.query_map([after], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get(2)?))
    })?;
    for row in rows {
        let (layer, uid, field) = row?;
        out.entry((layer, uid)).or_default().insert(field);
    }
    Ok(out)
}

/// What applying pulled entries did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Features whose data changed here.
    pub features: u64,
    pub conflicts: u64,
    pub resolved: u64,
    /// Entries that left a feature as it was because it has unsent changes.
    pub held: u64,
}

/// Applies hub log entries in order, in the caller's transaction, with the
/// capture triggers of their layers off; each data change is journaled under
/// the op that caused it (origin `hub`; under a new id when that op is this
/// file's own). `arrived` holds the photos downloaded for the entries.
pub fn apply_entries(
    conn: &Connection,
    journal: &mut Uncaptured,
    entries: &[Entry],
    unsent: &HashMap<(String, String), BTreeSet<String>>,
    arrived: &HashMap<String, Vec<u8>>,
) -> Result<Applied, SyncError> {
    let mut applied = Applied::default();
    let mut tables = Tables::default();
    for e in entries {
        let held = unsent.get(&(e.layer.clone(), e.uid.clone()));
        let written = match &e.change {
            EntryChange::Upsert { row } => {
                let t = tables.get(conn, &e.layer)?;
                if let Some(unknown) = t.unknown_field(row) {
                    return Err(SyncError::SchemaAhead {
                        layer: e.layer.clone(),
                        field: unknown.clone(),
                    });
                }
                if held.is_some() {
                    applied.held += 1;
                }
                match t.read(conn, &e.uid)? {
                    None if held.is_some() => None,
                    None => Some(t.insert(conn, &e.uid, row, arrived)?),
                    Some(now) => t.update(conn, &e.uid, now, &|c| match held {
                        Some(h) if h.contains(c) => None,
                        _ => Some(row.get(c).map(String::as_str).unwrap_or(NULL)),
                    })?,
                }
            }
            EntryChange::Delete if held.is_some() => {
                applied.held += 1;
                None
            }
            EntryChange::Delete if !table_exists(conn, &e.layer)? => None,
            EntryChange::Delete => {
                let t = tables.get(conn, &e.layer)?;
                match t.read(conn, &e.uid)? {
                    Some(now) => Some(t.delete(conn, &e.uid, now)?),
                    None => None,
                }
            }
            EntryChange::Conflict { conflict } => {
                if store_conflict(conn, conflict, e.stamp.hlc)? {
                    applied.conflicts += 1;
                }
                None
            }
            EntryChange::Resolved { conflict_id } => {
                if mark_resolved(conn, conflict_id, &e.op_id)? {
                    applied.resolved += 1;
                }
                None
            }
        };
        if let Some(w) = written {
            applied.features += 1;
            let own = journal::has_op(conn, &e.op_id)?;
            let fresh = uuid::Uuid::new_v4().to_string();
            let author = Received {
                op_id: if own { &fresh } else { &e.op_id },
                edit_id: &e.op_id,
                hlc: journal::Hlc(e.stamp.hlc),
                user: &e.stamp.user,
                device: &e.stamp.device,
                origin: Origin::Hub,
            };
            w.record(journal, &e.layer, &e.uid, &author)?;
        }
    }
    Ok(applied)
}

fn table_exists(conn: &Connection, table: &str) -> Result<bool, SyncError> {
    Ok(crate::gpkg::table_exists(conn, table)?)
}

/// Keeps a conflict; false when the file knew it already.
pub fn store_conflict(conn: &Connection, c: &Conflict, hlc: i64) -> Result<bool, SyncError> {
    let body = serde_json::to_string(c).map_err(|e| SyncError::Damaged(e.to_string()))?;
    let kind = serde_json::to_value(c.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string));
    let kept = serde_json::to_value(c.kept)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string));
    Ok(conn
        .prepare_cached(
            "INSERT OR IGNORE INTO tongtin_conflicts (id, layer, uid, field, kind, kept, body, raised_hlc) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(params![c.id, c.layer, c.uid, c.field, kind, kept, body, hlc])?
        > 0)
}

/// Closes a conflict; false when it was not open here.
pub fn mark_resolved(conn: &Connection, conflict_id: &str, op_id: &str) -> Result<bool, SyncError> {
    Ok(conn
        .prepare_cached("UPDATE tongtin_conflicts SET resolved_by = ?2 WHERE id = ?1 AND resolved_by IS NULL")?
        .execute([conflict_id, op_id])?
        > 0)
}

/// A conflict as the file keeps it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct KnownConflict {
    #[serde(flatten)]
    pub conflict: Conflict,
    pub raised_hlc: i64,
    /// The op that settled it, if settled.
    pub resolved_by: Option<String>,
}

/// The conflicts the file knows of, open ones only unless `all`, oldest first.
pub fn conflicts(conn: &Connection, all: bool) -> Result<Vec<KnownConflict>, SyncError> {
    if !table_exists(conn, "tongtin_conflicts")? {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT body, raised_hlc, resolved_by FROM tongtin_conflicts {} ORDER BY raised_hlc, id",
        if all { "" } else { "WHERE resolved_by IS NULL" }
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (body, raised_hlc, resolved_by) = row?;
        let conflict = serde_json::from_str(&body).map_err(|e| SyncError::Damaged(format!("conflict record: {e}")))?;
        out.push(KnownConflict {
            conflict,
            raised_hlc,
            resolved_by,
        });
    }
    Ok(out)
}

/// The bytes of an attachment this file holds or kept when it was removed
/// (none before its first photo).
pub fn blob(conn: &Connection, sha256: &str) -> Result<Option<Vec<u8>>, SyncError> {
    Ok(crate::edit::photo_bytes(conn, sha256)?)
}
