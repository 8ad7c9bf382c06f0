//! The file's side of sync: its cursors, the ops it has to send, applying
//! what the hub decided, and the conflicts it knows of.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rusqlite::{params, Connection, OptionalExtension};

use super::error::SyncError;
use super::wire::{Conflict, Entry, EntryChange, LiteralRow, WireOp, PHOTO_TABLE};
use crate::edit::{delete_row, insert_row, update_row};
use crate::gpkg::{quote_ident, Value};
use crate::journal::{self, parse_list, Origin, Received, UID};

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

/// Every row of every journaled table as an insert op, with an op id made
/// from its content: two copies of the same file send the same ops, which a
/// hub then takes once.
fn snapshot(conn: &Connection) -> Result<Vec<WireOp>, SyncError> {
    const NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x0b8e_52c4_1d3f_4a9e_8f62_7c15_93ad_e041);
    // The starting data predates every edit: any edit wins over it.
    let hlc = 0;
    let mut out = Vec::new();
    for t in journal::journaled_tables(conn)? {
        let select: Vec<String> = t.columns.iter().map(|c| format!("quote({})", quote_ident(c))).collect();
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
                let lit: String = r.get(i)?;
                if c == UID {
                    uid = parse_list(&lit).ok().and_then(|mut v| match v.pop() {
                        Some(Value::Text(u)) => Some(u),
                        _ => None,
                    });
                }
                if lit == super::wire::NULL {
                    continue;
                }
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

/// Applies hub log entries in order, in the caller's transaction; each data
/// change is journaled under the op that caused it (origin `hub`).
/// `blob` fetches an attachment's bytes by SHA-256.
pub fn apply_entries(
    conn: &Connection,
    entries: &[Entry],
    unsent: &HashMap<(String, String), BTreeSet<String>>,
    blob: &mut dyn FnMut(&str) -> Result<Vec<u8>, SyncError>,
) -> Result<Applied, SyncError> {
    let mut applied = Applied::default();
    let mut columns: HashMap<String, Vec<(String, bool)>> = HashMap::new();
    for e in entries {
        let key = (e.layer.clone(), e.uid.clone());
        let held = unsent.get(&key);
        match &e.change {
            EntryChange::Upsert { row } => {
                if !columns.contains_key(&e.layer) {
                    columns.insert(e.layer.clone(), table_columns(conn, &e.layer)?);
                }
                let cols = &columns[&e.layer];
                if upsert(conn, e, row, cols, held, blob)? {
                    applied.features += 1;
                }
                if held.is_some() {
                    applied.held += 1;
                }
            }
            EntryChange::Delete => {
                if held.is_some() {
                    applied.held += 1;
                } else if table_exists(conn, &e.layer)? && delete_row(conn, &e.layer, &e.uid)? > 0 {
                    applied.features += 1;
                }
            }
            EntryChange::Conflict { conflict } => {
                if store_conflict(conn, conflict, e.stamp.hlc)? {
                    applied.conflicts += 1;
                }
            }
            EntryChange::Resolved { conflict_id } => {
                if mark_resolved(conn, conflict_id, &e.op_id)? {
                    applied.resolved += 1;
                }
            }
        }
        journal::record_received(
            conn,
            &Received {
                op_id: &e.op_id,
                edit_id: &e.op_id,
                hlc: journal::Hlc(e.stamp.hlc),
                user: &e.stamp.user,
                device: &e.stamp.device,
                origin: Origin::Hub,
            },
        )?;
    }
    Ok(applied)
}

/// The columns of a table with whether each is a BLOB column (not synced
/// through rows: attachments travel by SHA-256).
fn table_columns(conn: &Connection, table: &str) -> Result<Vec<(String, bool)>, SyncError> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({})", quote_ident(table)))?;
    let cols: Vec<(String, String, bool)> = stmt
        .query_map([], |r| Ok((r.get(1)?, r.get(2)?, r.get::<_, i64>(5)? > 0)))?
        .collect::<Result<_, _>>()?;
    if cols.is_empty() {
        return Err(SyncError::UnknownTable(table.to_string()));
    }
    Ok(cols
        .into_iter()
        .filter(|(_, _, pk)| !pk)
        .map(|(n, ty, _)| (n, ty.eq_ignore_ascii_case("BLOB")))
        .collect())
}

fn table_exists(conn: &Connection, table: &str) -> Result<bool, SyncError> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)")?
        .query_row([table], |r| r.get(0))?)
}

pub(super) fn value_of(lit: &str) -> Result<Value, SyncError> {
    let mut v = parse_list(lit).map_err(|e| SyncError::Damaged(format!("value {lit:.40}: {e}")))?;
    match (v.pop(), v.is_empty()) {
        (Some(value), true) => Ok(value),
        _ => Err(SyncError::Damaged(format!("not one value: {lit:.40}"))),
    }
}

fn upsert(
    conn: &Connection,
    e: &Entry,
    row: &LiteralRow,
    cols: &[(String, bool)],
    held: Option<&BTreeSet<String>>,
    blob: &mut dyn FnMut(&str) -> Result<Vec<u8>, SyncError>,
) -> Result<bool, SyncError> {
    if let Some(unknown) = row.keys().find(|k| !cols.iter().any(|(c, _)| c == *k)) {
        return Err(SyncError::SchemaAhead {
            layer: e.layer.clone(),
            field: unknown.clone(),
        });
    }
    let names: Vec<String> = cols.iter().filter(|(_, b)| !b).map(|(c, _)| c.clone()).collect();
    let reader = RowReader::new(&e.layer, names);
    let current = reader.read(conn, &e.uid)?.map(|r| r.literals);
    let names = reader.names;
    match current {
        None if held.is_some() => Ok(false),
        None => {
            insert_literal_row(conn, &e.layer, &e.uid, row, &names, blob)?;
            Ok(true)
        }
        Some(now) => {
            let mut set: BTreeMap<String, Value> = BTreeMap::new();
            for (c, is_blob) in cols {
                if *is_blob || c == UID || held.is_some_and(|h| h.contains(c)) {
                    continue;
                }
                let target = row.get(c).map(String::as_str).unwrap_or(super::wire::NULL);
                if now.get(c).map(String::as_str).unwrap_or(super::wire::NULL) != target {
                    set.insert(c.clone(), value_of(target)?);
                }
            }
            if set.is_empty() {
                return Ok(false);
            }
            update_row(conn, &e.layer, &e.uid, &set)?;
            Ok(true)
        }
    }
}

/// A stored row: its values, and the same as literals (NULLs left out) in
/// the one form sync compares and sends, [`journal::literal`]'s.
#[derive(Debug, Default)]
pub(super) struct StoredRow {
    pub values: journal::Row,
    pub literals: LiteralRow,
}

/// Reads the rows of one table by uid, columns `names`.
pub(super) struct RowReader {
    pub names: Vec<String>,
    sql: String,
}

impl RowReader {
    pub fn new(table: &str, names: Vec<String>) -> RowReader {
        let select: Vec<String> = names.iter().map(|c| quote_ident(c)).collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = ?1",
            select.join(", "),
            quote_ident(table),
            quote_ident(UID)
        );
        RowReader { names, sql }
    }

    pub fn read(&self, conn: &Connection, uid: &str) -> Result<Option<StoredRow>, SyncError> {
        Ok(conn
            .prepare_cached(&self.sql)?
            .query_row([uid], |r| {
                let mut row = StoredRow::default();
                for (i, c) in self.names.iter().enumerate() {
                    let value = Value::from(r.get_ref(i)?);
                    if !value.is_null() {
                        row.literals.insert(c.clone(), journal::literal(&value));
                    }
                    row.values.insert(c.clone(), value);
                }
                Ok(row)
            })
            .optional()?)
    }
}

/// Inserts a feature from its literal row, every column of `names` set (a
/// NULL left out of the row stays NULL, whatever the column's default); a
/// photo gets its bytes from `blob` by SHA-256. Returns the values of
/// `names` inserted.
pub(super) fn insert_literal_row(
    conn: &Connection,
    table: &str,
    uid: &str,
    row: &LiteralRow,
    names: &[String],
    blob: &mut dyn FnMut(&str) -> Result<Vec<u8>, SyncError>,
) -> Result<journal::Row, SyncError> {
    let mut values = journal::Row::new();
    for name in names {
        let value = match row.get(name) {
            Some(lit) => value_of(lit)?,
            None => Value::Null,
        };
        values.insert(name.clone(), value);
    }
    values.insert(UID.to_string(), Value::Text(uid.to_string()));
    if table == PHOTO_TABLE {
        let sha = match values.get("sha256") {
            Some(Value::Text(s)) => s.clone(),
            _ => return Err(SyncError::Damaged(format!("photo {uid} has no sha256"))),
        };
        let mut with_data = values.clone();
        with_data.insert("data".into(), Value::Blob(blob(&sha)?));
        insert_row(conn, table, &with_data)?;
    } else {
        insert_row(conn, table, &values)?;
    }
    Ok(values)
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

/// The bytes of an attachment this file holds.
pub fn blob(conn: &Connection, sha256: &str) -> Result<Option<Vec<u8>>, SyncError> {
    Ok(conn
        .prepare_cached(&format!("SELECT data FROM {PHOTO_TABLE} WHERE sha256 = ?1 LIMIT 1"))?
        .query_row([sha256], |r| r.get(0))
        .optional()?)
}
