//! One sync of a file with a hub: pull what others did, push what this file
//! did, pull what the hub made of it. Each page pulled is applied in one
//! transaction with the cursor, so a sync cut off at any point resumes
//! where it stopped and applies nothing twice.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use super::error::SyncError;
use super::local::{self, Applied, Channel};
use super::remote::{Hub, HubAccess};
use super::rows;
use super::wire::{EntryChange, PushRequest, WireOp, PHOTO_TABLE, WIRE_VERSION};
use crate::gpkg::GeoPackage;
use crate::journal::{self, Actor};
use crate::model::{schema, schema_version};
use crate::progress::{Progress, Silent};

/// Ops per push request and entries per pull page.
pub const BATCH: usize = 5_000;

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// Ops the hub took now.
    pub pushed: u64,
    /// Ops the hub already had (sent before by an interrupted sync).
    pub duplicates: u64,
    /// Whether this was the file's first sync (its whole data sent).
    pub first: bool,
    /// Hub log entries pulled and applied.
    pub pulled: u64,
    pub applied: AppliedReport,
    /// Conflicts the push raised on the hub.
    pub raised: u64,
    /// Conflicts still open in this file after the sync.
    pub open_conflicts: u64,
    pub attachments_sent: u64,
    pub attachments_received: u64,
    /// The hub log position the file has reached.
    pub cursor: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AppliedReport {
    pub features: u64,
    pub conflicts: u64,
    pub resolved: u64,
    pub held: u64,
}

impl AppliedReport {
    fn add(&mut self, a: &Applied) {
        self.features += a.features;
        self.conflicts += a.conflicts;
        self.resolved += a.resolved;
        self.held += a.held;
    }
}

/// Opens a Tongtin file for sync: the data model must be this Tongtin's,
/// the journal and sync tables are set up, edits by other tools recorded.
pub fn open_for_sync(path: &Path, actor: &Actor) -> Result<GeoPackage, SyncError> {
    let supported = schema().version;
    let version = schema_version(&GeoPackage::open(path)?).map_err(|e| SyncError::Damaged(e.to_string()))?;
    match version {
        Some(v) if v == supported => {}
        Some(v) if v < supported => {
            return Err(SyncError::SchemaBehind {
                file: v,
                hub: supported,
            })
        }
        Some(v) => {
            return Err(SyncError::Hub {
                status: 0,
                code: "schema_ahead".into(),
                message: format!("the file's data model {v} is newer than this Tongtin ({supported}); update Tongtin"),
                message_th: "โครงสร้างข้อมูลของไฟล์ใหม่กว่าโปรแกรมนี้ กรุณาปรับรุ่นโปรแกรม".into(),
            })
        }
        None => {
            return Err(SyncError::Damaged(format!(
                "{} is not a Tongtin municipality file",
                path.display()
            )))
        }
    }
    let mut gpkg = GeoPackage::open_writable(path)?;
    gpkg.write(|b| -> Result<(), SyncError> {
        journal::install(b.sql(), &Silent)?;
        journal::record_external(b.sql(), actor)?;
        local::install(b.sql())
    })?;
    Ok(gpkg)
}

/// Checks that the file syncs with this hub and organisation (binding it
/// on its first sync).
fn bind(gpkg: &mut GeoPackage, access: &HubAccess) -> Result<(), SyncError> {
    let asked = format!("{}#{}", access.url.trim_end_matches('/'), access.org);
    let bound = local::get(gpkg.connection(), "hub")?;
    match bound {
        Some(b) if b != asked && local::get(gpkg.connection(), "org")?.as_deref() != Some(&access.org) => {
            Err(SyncError::OtherHub { bound: b, asked })
        }
        Some(_) => Ok(()),
        None => gpkg.write(|b| {
            local::set(b.sql(), "hub", &asked)?;
            local::set(b.sql(), "org", &access.org)
        }),
    }
}

/// Syncs the file at `path` with a hub.
pub fn sync(path: &Path, access: &HubAccess, actor: &Actor, progress: &dyn Progress) -> Result<SyncReport, SyncError> {
    let mut gpkg = open_for_sync(path, actor)?;
    bind(&mut gpkg, access)?;
    let hub = Hub::connect(access)?;
    let status = hub.status()?;
    let model_version = schema().version;
    if status.model_version > model_version {
        return Err(SyncError::SchemaBehind {
            file: model_version,
            hub: status.model_version,
        });
    }
    let mut report = SyncReport::default();
    let first = local::get(gpkg.connection(), "pushed_seq")?.is_none();
    report.first = first;
    if !first {
        pull(&mut gpkg, &hub, &mut report, progress)?;
    }
    push(&mut gpkg, &hub, actor, &mut report, progress)?;
    pull(&mut gpkg, &hub, &mut report, progress)?;
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    gpkg.write(|b| local::set(b.sql(), "last_sync", &now))?;
    report.open_conflicts = local::conflicts(gpkg.connection(), false)?.len() as u64;
    report.cursor = local::get(gpkg.connection(), "cursor")?
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok(report)
}

fn push(
    gpkg: &mut GeoPackage,
    hub: &Hub,
    actor: &Actor,
    report: &mut SyncReport,
    progress: &dyn Progress,
) -> Result<(), SyncError> {
    let outbox = gpkg.write(|b| -> Result<local::Outbox, SyncError> {
        journal::record_external(b.sql(), actor)?;
        local::outbox(b.sql(), Channel::Hub)
    })?;
    let shas: BTreeSet<String> = outbox.ops.iter().flat_map(|o| o.blob_refs()).collect();
    if !shas.is_empty() {
        progress.step("sending photos / ส่งรูปภาพ", shas.len() as u64);
        for sha in &shas {
            stop_if_cancelled(progress)?;
            let data = local::blob(gpkg.connection(), sha)?
                .ok_or_else(|| SyncError::Damaged(format!("photo {sha} is referenced but not in the file")))?;
            hub.upload_blob(sha, &data)?;
            report.attachments_sent += 1;
            progress.advance(1);
        }
    }
    progress.step("sending changes / ส่งการแก้ไข", outbox.ops.len() as u64);
    for batch in batches(&outbox.ops) {
        stop_if_cancelled(progress)?;
        let answer = hub.push(&PushRequest {
            wire: WIRE_VERSION,
            model_version: schema().version,
            device: actor.device.clone(),
            ops: batch.to_vec(),
        })?;
        report.pushed += answer.accepted;
        report.duplicates += answer.duplicates;
        report.raised += answer.conflicts.len() as u64;
        gpkg.write(|b| -> Result<(), SyncError> {
            for c in &answer.conflicts {
                local::store_conflict(b.sql(), c, journal::wall_millis() << 16)?;
            }
            Ok(())
        })?;
        progress.advance(batch.len() as u64);
    }
    gpkg.write(|b| local::acknowledge(b.sql(), Channel::Hub, &outbox))
}

/// Stops between batches when asked: each batch pushed is taken by the hub
/// once, each page pulled is applied with its cursor in one transaction, so
/// nothing is half done and the next sync goes on from here.
fn stop_if_cancelled(progress: &dyn Progress) -> Result<(), SyncError> {
    if progress.cancelled() {
        return Err(SyncError::Cancelled);
    }
    Ok(())
}

/// The outbox in pushes of about [`BATCH`] ops that never split one user
/// action (the hub keeps an action's deletes together), unless the action
/// alone passes four times that.
fn batches(ops: &[WireOp]) -> Vec<&[WireOp]> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < ops.len() {
        let mut end = (start + BATCH).min(ops.len());
        let limit = (start + 4 * BATCH).min(ops.len());
        while end < limit && ops[end].edit_id == ops[end - 1].edit_id {
            end += 1;
        }
        out.push(&ops[start..end]);
        start = end;
    }
    out
}

fn pull(gpkg: &mut GeoPackage, hub: &Hub, report: &mut SyncReport, progress: &dyn Progress) -> Result<(), SyncError> {
    let mut cursor: i64 = local::get(gpkg.connection(), "cursor")?
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut started = false;
    loop {
        stop_if_cancelled(progress)?;
        let page = hub.pull(cursor, BATCH)?;
        if !started {
            progress.step("receiving changes / รับการแก้ไข", (page.last_seq - cursor).max(0) as u64);
            started = true;
        }
        let mut blobs = std::collections::HashMap::new();
        for e in &page.entries {
            if let (EntryChange::Upsert { row }, true) = (&e.change, e.layer == PHOTO_TABLE) {
                let sha = row
                    .get("sha256")
                    .and_then(|l| l.strip_prefix('\'')?.strip_suffix('\'').map(str::to_string));
                if let Some(sha) = sha {
                    if !blobs.contains_key(&sha) && local::blob(gpkg.connection(), &sha)?.is_none() {
                        let data = hub.download_blob(&sha)?;
                        report.attachments_received += 1;
                        blobs.insert(sha, data);
                    }
                }
            }
        }
        let next = page.entries.last().map(|e| e.seq).unwrap_or(cursor).max(cursor);
        let applied = gpkg.write(|b| -> Result<Applied, SyncError> {
            let conn = b.sql();
            let unsent = local::unsent_fields(conn)?;
            rows::prepare_photos(
                conn,
                page.entries.iter().filter_map(|e| match &e.change {
                    EntryChange::Upsert { row } if e.layer == PHOTO_TABLE => {
                        row.get("feature_layer").map(String::as_str)
                    }
                    _ => None,
                }),
            )?;
            let layers: BTreeSet<&str> = page.entries.iter().map(|e| e.layer.as_str()).collect();
            let written: Vec<&str> = layers.iter().copied().collect();
            let applied = journal::without_capture(conn, &written, |journal| {
                local::apply_entries(conn, journal, &page.entries, &unsent, &blobs)
            })?;
            for layer in layers {
                if applied.features > 0 {
                    b.touch(layer, None);
                }
            }
            local::set(conn, "cursor", &next.to_string())?;
            Ok(applied)
        })?;
        report.pulled += page.entries.len() as u64;
        report.applied.add(&applied);
        progress.advance((next - cursor).max(0) as u64);
        cursor = next;
        if !page.more || page.entries.is_empty() {
            return Ok(());
        }
    }
}

/// What waits to be sent and when the file last synced: no network, a few
/// index lookups whatever the size of the file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LocalStatus {
    pub outgoing: bool,
    /// Changes waiting to be sent; `None` before the first sync (which
    /// sends the whole file).
    pub pending: Option<u64>,
    pub open_conflicts: u64,
    pub last_sync: Option<String>,
    pub hub: Option<String>,
    pub cursor: i64,
}

pub fn local_status(gpkg: &GeoPackage) -> Result<LocalStatus, SyncError> {
    let conn = gpkg.connection();
    let has_tables: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'tongtin_sync_state')",
        [],
        |r| r.get(0),
    )?;
    if !has_tables || !journal::is_installed(conn)? {
        return Ok(LocalStatus {
            outgoing: true,
            ..LocalStatus::default()
        });
    }
    let open: i64 = conn.query_row(
        "SELECT count(*) FROM tongtin_conflicts WHERE resolved_by IS NULL",
        [],
        |r| r.get(0),
    )?;
    Ok(LocalStatus {
        outgoing: local::has_outgoing(conn, Channel::Hub)?,
        pending: local::pending(conn, Channel::Hub)?,
        open_conflicts: open as u64,
        last_sync: local::get(conn, "last_sync")?,
        hub: local::get(conn, "hub")?,
        cursor: local::get(conn, "cursor")?.and_then(|c| c.parse().ok()).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(edits: &[(usize, &str)]) -> Vec<WireOp> {
        edits
            .iter()
            .flat_map(|&(n, edit)| {
                (0..n).map(move |i| WireOp {
                    op_id: format!("{edit}-{i}"),
                    edit_id: edit.into(),
                    hlc: 0,
                    user: String::new(),
                    device: String::new(),
                    layer: "poles".into(),
                    uid: format!("{edit}-{i}"),
                    kind: crate::journal::OpKind::Delete,
                    fields: Vec::new(),
                    resolves: Vec::new(),
                })
            })
            .collect()
    }

    #[test]
    fn pushes_end_at_the_end_of_an_action() {
        let all = ops(&[(BATCH - 2, "a"), (5, "b"), (10, "c")]);
        let sizes: Vec<usize> = batches(&all).iter().map(|b| b.len()).collect();
        assert_eq!(sizes, [BATCH + 3, 10], "action b is not split");
        let huge = ops(&[(5 * BATCH, "bulk")]);
        let sizes: Vec<usize> = batches(&huge).iter().map(|b| b.len()).collect();
        assert_eq!(sizes, [4 * BATCH, BATCH], "a huge action is split after all");
    }
}
