//! `journal check`: the journal and the data must agree. Edits another tool
//! left in the capture table are recorded; edits made while the capture
//! triggers were missing are found by the row fingerprints and recorded too;
//! anything else that disagrees is reported, never "fixed" silently.

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;

use super::capture::{self, Journaled};
use super::op::{diff_rows, same_value, FieldChange, Op, OpKind, Origin, Row};
use super::store::{self, row_hash};
use super::{Actor, JournalError};
use crate::gpkg::{quote_ident, GeoPackage, Value};
use crate::progress::Progress;

/// What [`check`] found and recorded.
#[derive(Debug, Default, Serialize)]
pub struct CheckReport {
    /// The journal was set up by this check (the file had none).
    pub installed: bool,
    /// Journaled tables and their rows compared.
    pub tables: usize,
    pub rows: u64,
    /// Other tools' edits the triggers had captured, now in the journal.
    pub captured: Vec<Op>,
    /// Tables whose capture triggers were missing or stale and were put back.
    pub repaired_triggers: Vec<String>,
    /// Edits found by fingerprint (made without the triggers), now in the journal.
    pub uncaptured: Vec<Op>,
    /// Places where the data is not what the journal says it should be.
    pub disagreements: Vec<String>,
}

impl CheckReport {
    /// The journal and the data agree (after recording what was found).
    pub fn agrees(&self) -> bool {
        self.disagreements.is_empty()
    }
}

/// Every row of `t` as the journal sees it, keyed by uid (rows without one are skipped).
fn rows_of(conn: &Connection, t: &Journaled, mut f: impl FnMut(String, Row)) -> Result<u64, JournalError> {
    let cols = t.columns.iter().map(|c| quote_ident(c)).collect::<Vec<_>>().join(", ");
    let mut stmt = conn.prepare(&format!("SELECT {cols} FROM {}", quote_ident(&t.table)))?;
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let row: Row = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| Ok((c.clone(), Value::from(r.get_ref(i)?))))
            .collect::<Result<_, rusqlite::Error>>()?;
        n += 1;
        if let Some(uid) = capture::uid_of(&row).map(str::to_string) {
            f(uid, row);
        }
    }
    Ok(n)
}

/// Fingerprints every row of a newly journaled table.
pub(super) fn fingerprint_all(conn: &Connection, t: &Journaled, progress: &dyn Progress) -> Result<u64, JournalError> {
    progress.step(&format!("journal: {}", t.table), 0);
    let mut pending = Vec::new();
    let n = rows_of(conn, t, |uid, row| pending.push((uid, row_hash(&row))))?;
    pending.sort_unstable();
    conn.execute("DELETE FROM tongtin_journal_state WHERE layer = ?1", [&t.table])?;
    let mut stmt =
        conn.prepare("INSERT OR REPLACE INTO tongtin_journal_state (layer, uid, hash) VALUES (?1, ?2, ?3)")?;
    for (uid, hash) in pending {
        stmt.execute(rusqlite::params![t.table, uid, hash])?;
    }
    Ok(n)
}

/// Checks the file's journal against its data in one transaction, recording
/// what other tools did (see the module text). Sets the journal up first
/// when the file has none.
pub fn check(gpkg: &mut GeoPackage, actor: &Actor, progress: &dyn Progress) -> Result<CheckReport, JournalError> {
    gpkg.write(|b| -> Result<CheckReport, JournalError> {
        let conn = b.sql();
        let mut report = CheckReport {
            installed: !super::is_installed(conn)?,
            ..Default::default()
        };
        let tables = capture::journaled_tables(conn)?;
        let stale: Vec<String> = if report.installed {
            Vec::new()
        } else {
            tables
                .iter()
                .filter_map(|t| match capture::triggers_current(conn, t) {
                    Ok(true) => None,
                    Ok(false) => Some(Ok(t.table.clone())),
                    Err(e) => Some(Err(e)),
                })
                .collect::<Result<_, _>>()?
        };
        if !report.installed {
            report.captured = super::record_external(conn, actor)?;
        }
        super::install(conn, progress)?;
        report.repaired_triggers = stale;
        let known = replay(conn)?;
        report.tables = tables.len();
        let external = actor.external();
        let mut hlc = store::last_hlc(conn)?;
        let now = super::wall_millis();
        let edit_id = uuid::Uuid::new_v4().to_string();
        for t in &tables {
            progress.step(&format!("checking {}", t.table), 0);
            let mut state: HashMap<String, Vec<u8>> = HashMap::new();
            {
                let mut stmt = conn.prepare("SELECT uid, hash FROM tongtin_journal_state WHERE layer = ?1")?;
                let mut rows = stmt.query([&t.table])?;
                while let Some(r) = rows.next()? {
                    state.insert(r.get(0)?, r.get(1)?);
                }
            }
            let mut found: Vec<(String, Option<Row>, Option<Row>)> = Vec::new();
            report.rows += rows_of(conn, t, |uid, row| {
                let stored = state.remove(&uid);
                if stored.as_deref() != Some(row_hash(&row).as_slice()) {
                    let before = stored.map(|_| {
                        known
                            .get(&(t.table.clone(), uid.clone()))
                            .cloned()
                            .flatten()
                            .unwrap_or_default()
                    });
                    found.push((uid, before, Some(row)));
                }
            })?;
            for (uid, _) in state {
                let before = known
                    .get(&(t.table.clone(), uid.clone()))
                    .cloned()
                    .flatten()
                    .unwrap_or_default();
                found.push((uid, Some(before), None));
            }
            for (uid, before, after) in found {
                let Some((kind, fields)) = uncaptured_change(before.as_ref(), after.as_ref()) else {
                    store::set_state(conn, &t.table, &uid, after.as_ref())?;
                    continue;
                };
                hlc = hlc.tick(now);
                let mut op = Op {
                    seq: None,
                    op_id: uuid::Uuid::new_v4().to_string(),
                    edit_id: edit_id.clone(),
                    hlc,
                    user: external.user.clone(),
                    device: external.device.clone(),
                    origin: Origin::External,
                    layer: t.table.clone(),
                    uid: uid.clone(),
                    kind,
                    fields,
                };
                op.seq = Some(store::append(conn, &op)?);
                store::set_state(conn, &t.table, &uid, after.as_ref())?;
                report.uncaptured.push(op);
            }
        }
        store::save_hlc(conn, hlc)?;
        report.disagreements = disagreements(conn, &tables, &replay(conn)?)?;
        Ok(report)
    })
}

/// The change of a row found by fingerprint. What the journal knew of the
/// row before is the old side; fields it never knew have an unknown old value.
fn uncaptured_change(before: Option<&Row>, after: Option<&Row>) -> Option<(OpKind, Vec<FieldChange>)> {
    match (before, after) {
        (Some(b), Some(a)) => {
            let fields: Vec<FieldChange> = a
                .iter()
                .filter_map(|(k, v)| match b.get(k) {
                    Some(old) if same_value(old, v) => None,
                    Some(old) => Some(FieldChange {
                        field: k.clone(),
                        old: Some(old.clone()),
                        new: Some(v.clone()),
                    }),
                    None => Some(FieldChange {
                        field: k.clone(),
                        old: None,
                        new: Some(v.clone()),
                    }),
                })
                .collect();
            (!fields.is_empty()).then_some((OpKind::Update, fields))
        }
        _ => diff_rows(before, after),
    }
}

type Replay = HashMap<(String, String), Option<Row>>;

/// What the journal says each feature it has seen looks like now: the
/// fields it recorded, `None` once deleted.
fn replay(conn: &Connection) -> Result<Replay, JournalError> {
    let mut out: Replay = HashMap::new();
    for op in store::read(conn, &Default::default())? {
        let key = (op.layer.clone(), op.uid.clone());
        match op.kind {
            OpKind::Delete => {
                out.insert(key, None);
            }
            OpKind::Insert => {
                out.insert(key, op.after());
            }
            OpKind::Update => {
                let row = out
                    .entry(key)
                    .or_insert_with(|| Some(Row::new()))
                    .get_or_insert_with(Row::new);
                for f in op.fields {
                    if let Some(v) = f.new {
                        row.insert(f.field, v);
                    }
                }
            }
        }
    }
    Ok(out)
}

/// Features whose data differs from what the journal recorded last.
fn disagreements(conn: &Connection, tables: &[Journaled], replay: &Replay) -> Result<Vec<String>, JournalError> {
    let mut out = Vec::new();
    let mut actual: HashMap<(String, String), Row> = HashMap::new();
    for t in tables {
        rows_of(conn, t, |uid, row| {
            if replay.contains_key(&(t.table.clone(), uid.clone())) {
                actual.insert((t.table.clone(), uid), row);
            }
        })?;
    }
    let mut keys: Vec<&(String, String)> = replay.keys().collect();
    keys.sort();
    for key in keys {
        let (layer, uid) = key;
        match (&replay[key], actual.get(key)) {
            (None, Some(_)) => out.push(format!("{layer} {uid}: deleted in the journal, present in the data")),
            (Some(_), None) => out.push(format!("{layer} {uid}: in the journal, missing from the data")),
            (Some(expected), Some(row)) => {
                for (field, value) in expected {
                    let have = row.get(field).unwrap_or(&Value::Null);
                    if !same_value(value, have) && row.contains_key(field) {
                        out.push(format!(
                            "{layer} {uid}.{field}: the journal says {}, the data holds {}",
                            super::literal(value),
                            super::literal(have)
                        ));
                    }
                }
            }
            (None, None) => {}
        }
    }
    Ok(out)
}
