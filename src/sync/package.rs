//! Sync without a network: a package file carries a file's outgoing ops and
//! the photos they need (on a USB stick); importing it into another file
//! merges them exactly as a hub would ([`accept`]), conflicts and all, and
//! takes no op twice.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::rc::Rc;

use base64::Engine;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use super::error::SyncError;
use super::ledger::{accept, AcceptError, Ledger};
use super::local::{self, Channel};
use super::rows::{self, TableRows, Tables, Written};
use super::state::FeatureState;
use super::wire::{self, Conflict, EntryChange, LiteralRow, Stamp, WireOp, WIRE_VERSION};
use crate::journal::{self, Actor, Origin, Received, Uncaptured};
use crate::model::schema;

/// The largest package accepted, decompressed.
const PACKAGE_LIMIT: u64 = 2 << 30;

/// The content of a sync package file (gzip JSON).
#[derive(Debug, Serialize, Deserialize)]
pub struct Package {
    pub wire: u32,
    pub model_version: u32,
    /// The device that wrote it.
    pub device: String,
    pub created_at: String,
    pub ops: Vec<WireOp>,
    pub blobs: Vec<PackageBlob>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct PackageBlob {
    pub sha256: String,
    /// The bytes, base64.
    pub data: String,
}

/// What an export wrote.
#[derive(Debug, Default, Serialize)]
pub struct Exported {
    pub ops: u64,
    pub attachments: u64,
    pub first: bool,
    pub bytes: u64,
}

/// Writes the file's ops not yet exported (its whole data the first time,
/// or with `all`) to `package`. The file notes what was exported only once
/// the package is written whole.
pub fn export(path: &Path, package: &Path, all: bool, actor: &Actor) -> Result<Exported, SyncError> {
    let mut gpkg = super::open_for_sync(path, actor)?;
    let mut outbox = gpkg.write(|b| -> Result<local::Outbox, SyncError> {
        if all {
            b.sql().execute(
                "DELETE FROM tongtin_sync_state WHERE key IN ('exported_seq', 'exported_resolution')",
                [],
            )?;
        }
        local::outbox(b.sql(), Channel::Package)
    })?;
    let shas: BTreeSet<String> = outbox.ops.iter().flat_map(|o| o.blob_refs()).collect();
    let mut blobs = Vec::new();
    for sha in &shas {
        let data = local::blob(gpkg.connection(), sha)?
            .ok_or_else(|| SyncError::Damaged(format!("photo {sha} is referenced but not in the file")))?;
        blobs.push(PackageBlob {
            sha256: sha.clone(),
            data: base64::engine::general_purpose::STANDARD.encode(data),
        });
    }
    let content = Package {
        wire: WIRE_VERSION,
        model_version: schema().version,
        device: actor.device.clone(),
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        ops: std::mem::take(&mut outbox.ops),
        blobs,
    };
    let bytes = wire::encode(&content);
    let tmp = package.with_extension("partial");
    std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(&bytes).and_then(|_| f.sync_all()))
        .and_then(|_| std::fs::rename(&tmp, package))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })?;
    gpkg.write(|b| local::acknowledge(b.sql(), Channel::Package, &outbox))?;
    Ok(Exported {
        ops: content.ops.len() as u64,
        attachments: content.blobs.len() as u64,
        first: outbox.snapshot,
        bytes: bytes.len() as u64,
    })
}

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct Imported {
    pub accepted: u64,
    pub duplicates: u64,
    pub conflicts: Vec<Conflict>,
    pub open_conflicts: u64,
}

/// Reads a package without applying it: its version and data model are
/// checked, its attachments verified against their SHA-256.
pub fn read(package: &Path) -> Result<(Package, HashMap<String, Vec<u8>>), SyncError> {
    let bytes = std::fs::read(package)?;
    let content: Package = wire::decode(&bytes, PACKAGE_LIMIT)?;
    wire::check_version(content.wire)?;
    if content.model_version > schema().version {
        return Err(SyncError::SchemaAhead {
            layer: "*".into(),
            field: format!("data model {}", content.model_version),
        });
    }
    let mut blobs = HashMap::new();
    for b in &content.blobs {
        let data = base64::engine::general_purpose::STANDARD
            .decode(&b.data)
            .map_err(|e| SyncError::Damaged(format!("photo {}: {e}", b.sha256)))?;
        if crate::edit::sha256_hex(&data) != b.sha256 {
            return Err(SyncError::Damaged(format!(
                "photo {} does not match its SHA-256",
                b.sha256
            )));
        }
        blobs.insert(b.sha256.clone(), data);
    }
    Ok((content, blobs))
}

/// Merges a package into the file at `path`, in one transaction.
pub fn import(path: &Path, package: &Path, actor: &Actor) -> Result<Imported, SyncError> {
    let (content, blobs) = read(package)?;
    let mut gpkg = super::open_for_sync(path, actor)?;
    let layers: BTreeSet<&str> = content.ops.iter().map(|o| o.layer.as_str()).collect();
    let layers: Vec<&str> = layers.into_iter().collect();
    let response = gpkg.write(|b| -> Result<_, SyncError> {
        let conn = b.sql();
        rows::prepare_photos(
            conn,
            content
                .ops
                .iter()
                .filter(|o| o.layer == wire::PHOTO_TABLE)
                .flat_map(|o| o.fields.iter())
                .filter(|f| f.field == "feature_layer")
                .filter_map(|f| f.new.as_deref()),
        )?;
        let response = journal::without_capture(conn, &layers, |journal| {
            let mut ledger = FileLedger::new(conn, journal, &blobs, &content.ops)?;
            accept(&mut ledger, &content.ops).map_err(|e| match e {
                AcceptError::Store(e) => e,
                AcceptError::Rejected(p) => SyncError::Damaged(p.join("; ")),
                AcceptError::MissingBlobs(m) => {
                    SyncError::Damaged(format!("photos missing from the package: {}", m.join(", ")))
                }
            })
        })?;
        for layer in &layers {
            b.touch(layer, None);
        }
        Ok(response)
    })?;
    let open_conflicts = local::conflicts(gpkg.connection(), false)?.len() as u64;
    Ok(Imported {
        accepted: response.accepted,
        duplicates: response.duplicates,
        conflicts: response.conflicts,
        open_conflicts,
    })
}

/// A file taking a package's ops: its rows are the features, its journal
/// tells who wrote each value. Rows are written with the capture triggers
/// off and each change journaled from what the merge decided.
struct FileLedger<'a, 'c> {
    conn: &'a Connection,
    journal: &'a mut Uncaptured<'c>,
    blobs: &'a HashMap<String, Vec<u8>>,
    tables: Tables,
    /// The ops of the package the file has already (journaled or received).
    known: HashSet<String>,
    /// The row [`Ledger::state`] read last, which `put_state` compares with.
    current: Option<((String, String), LiteralRow)>,
    /// What `put_state` wrote, which `append` journals.
    written: Option<(String, String, Written)>,
}

/// One field of one journal op of a feature, newest first.
struct HistoryLine {
    stamp: Stamp,
    kind: String,
    field: String,
    old: Option<String>,
}

impl<'a, 'c> FileLedger<'a, 'c> {
    fn new(
        conn: &'a Connection,
        journal: &'a mut Uncaptured<'c>,
        blobs: &'a HashMap<String, Vec<u8>>,
        ops: &[WireOp],
    ) -> Result<Self, SyncError> {
        let ids = serde_json::to_string(&ops.iter().map(|o| o.op_id.as_str()).collect::<Vec<_>>())
            .map_err(|e| SyncError::Damaged(e.to_string()))?;
        let known = conn
            .prepare(
                "SELECT op_id FROM tongtin_journal WHERE op_id IN (SELECT value FROM json_each(?1))
                 UNION SELECT op_id FROM tongtin_sync_received WHERE op_id IN (SELECT value FROM json_each(?1))",
            )?
            .query_map([ids], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(FileLedger {
            conn,
            journal,
            blobs,
            tables: Tables::default(),
            known,
            current: None,
            written: None,
        })
    }

    fn table(&mut self, table: &str) -> Result<Rc<TableRows>, SyncError> {
        self.tables.get(self.conn, table)
    }

    fn history(&mut self, layer: &str, uid: &str) -> Result<Vec<HistoryLine>, SyncError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT j.op_id, j.hlc, j.user, j.device, j.kind, f.field, f.old, j.edit_id FROM tongtin_journal j JOIN tongtin_journal_fields f ON f.seq = j.seq WHERE j.uid = ?1 AND j.layer = ?2 ORDER BY j.seq DESC",
        )?;
        let lines = stmt
            .query_map([uid, layer], |r| {
                Ok(HistoryLine {
                    stamp: Stamp {
                        op_id: r.get(0)?,
                        hlc: r.get(1)?,
                        user: r.get(2)?,
                        device: r.get(3)?,
                        edit_id: r.get(7)?,
                    },
                    kind: r.get(4)?,
                    field: r.get(5)?,
                    old: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(lines)
    }

    fn row(&mut self, table: &str, uid: &str) -> Result<Option<LiteralRow>, SyncError> {
        self.table(table)?.read(self.conn, uid)
    }

    fn insert(&mut self, layer: &str, uid: &str, state: &FeatureState) -> Result<Written, SyncError> {
        self.table(layer)?.insert(self.conn, uid, &state.row, self.blobs)
    }
}

impl Ledger for FileLedger<'_, '_> {
    type Error = SyncError;

    fn has_op(&mut self, op_id: &str) -> Result<bool, SyncError> {
        Ok(self.known.contains(op_id))
    }

    fn mark_op(&mut self, op: &WireOp) -> Result<(), SyncError> {
        if self.known.insert(op.op_id.clone()) {
            self.conn
                .prepare_cached("INSERT OR IGNORE INTO tongtin_sync_received (op_id) VALUES (?1)")?
                .execute([&op.op_id])?;
        }
        Ok(())
    }

    fn state(&mut self, layer: &str, uid: &str) -> Result<Option<FeatureState>, SyncError> {
        if let Some(row) = self.row(layer, uid)? {
            let mut state = FeatureState::default();
            state.row = row.clone();
            self.current = Some(((layer.to_string(), uid.to_string()), row));
            return Ok(Some(state));
        }
        let lines = self.history(layer, uid)?;
        let Some(deleted) = lines.first().filter(|l| l.kind == "delete") else {
            return Ok(None);
        };
        let mut state = FeatureState::default();
        for l in lines.iter().take_while(|l| l.stamp.op_id == deleted.stamp.op_id) {
            if let Some(old) = &l.old {
                state.set(&l.field, old, &Stamp::default());
            }
        }
        state.deleted = Some(deleted.stamp.clone());
        Ok(Some(state))
    }

    fn writers(&mut self, layer: &str, uid: &str, state: &mut FeatureState) -> Result<(), SyncError> {
        if !state.is_live() {
            return Ok(());
        }
        let mut seen = BTreeSet::new();
        for l in self.history(layer, uid)? {
            if seen.insert(l.field.clone()) {
                let value = state.value(&l.field).to_string();
                state.set(&l.field, &value, &l.stamp);
            }
        }
        Ok(())
    }

    fn put_state(&mut self, layer: &str, uid: &str, state: &FeatureState) -> Result<(), SyncError> {
        let current = match self.current.take() {
            Some((key, row)) if key.0 == layer && key.1 == uid => Some(row),
            _ => self.row(layer, uid)?,
        };
        let written = match (current, state.is_live()) {
            (Some(now), false) => Some(self.table(layer)?.delete(self.conn, uid, now)?),
            (None, false) => None,
            (None, true) => Some(self.insert(layer, uid, state)?),
            (Some(now), true) => self
                .table(layer)?
                .update(self.conn, uid, now, &|c| Some(state.value(c)))?,
        };
        self.written = written.map(|w| (layer.to_string(), uid.to_string(), w));
        Ok(())
    }

    fn append(&mut self, op: &WireOp, change: &EntryChange) -> Result<i64, SyncError> {
        if let (Some((layer, uid, w)), EntryChange::Upsert { .. } | EntryChange::Delete) = (self.written.take(), change)
        {
            let author = Received {
                op_id: &op.op_id,
                edit_id: &op.edit_id,
                hlc: journal::Hlc(op.hlc),
                user: &op.user,
                device: &op.device,
                origin: Origin::Package,
            };
            let seq = w.record(self.journal, &layer, &uid, &author)?;
            self.known.insert(op.op_id.clone());
            return Ok(seq);
        }
        self.last_seq()
    }

    fn put_conflict(&mut self, conflict: &Conflict) -> Result<(), SyncError> {
        local::store_conflict(self.conn, conflict, journal::wall_millis() << 16)?;
        Ok(())
    }

    fn resolve(&mut self, conflict_id: &str, op: &WireOp) -> Result<bool, SyncError> {
        local::mark_resolved(self.conn, conflict_id, &op.op_id)
    }

    fn deleted_by_edit(&mut self, edit_id: &str) -> Result<Vec<(String, String)>, SyncError> {
        let deleted: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT layer, uid FROM tongtin_journal WHERE edit_id = ?1 AND kind = 'delete' ORDER BY seq",
            )?
            .query_map([edit_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut gone = Vec::new();
        for (layer, uid) in deleted {
            if self.row(&layer, &uid)?.is_none() {
                gone.push((layer, uid));
            }
        }
        Ok(gone)
    }

    fn missing_blobs(&mut self, sha256: &[String]) -> Result<Vec<String>, SyncError> {
        let mut out = Vec::new();
        for sha in sha256 {
            if !self.blobs.contains_key(sha) && local::blob(self.conn, sha)?.is_none() {
                out.push(sha.clone());
            }
        }
        Ok(out)
    }

    fn last_seq(&mut self) -> Result<i64, SyncError> {
        Ok(journal::last_seq(self.conn)?)
    }
}
