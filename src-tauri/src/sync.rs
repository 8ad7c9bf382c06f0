//! Sync over IPC: the file's sync status, a sync with the hub run on a
//! thread of its own (progress and the outcome as Tauri events), the
//! conflict list converted for people, and resolutions. The password is
//! kept here, in memory, for the session only: never written anywhere.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tauri::{Emitter, Manager};
use tongtin::geom::{decode_blob, Envelope};
use tongtin::gpkg::{GeoPackage, Value};
use tongtin::journal::{parse_list, show_value, Actor, Hlc};
use tongtin::progress::Progress;
use tongtin::sync::remote::HubAccess;
use tongtin::sync::{ConflictKind, Kept, KnownConflict, Side, SyncError, SyncReport, Take};

use crate::ipc::IpcError;

/// The event a running sync reports its progress with.
pub const PROGRESS_EVENT: &str = "sync-progress";
/// The event a sync ends with (its report, or why it stopped).
pub const DONE_EVENT: &str = "sync-done";

/// The password of this session, whether a sync is running, and whether
/// the person asked it to stop.
#[derive(Default)]
pub struct SyncState {
    inner: Mutex<Inner>,
    cancel: Arc<AtomicBool>,
}

#[derive(Default)]
struct Inner {
    /// `url#org#user` and its password, for this session only.
    password: Option<(String, String)>,
    running: bool,
}

fn key(url: &str, org: &str, user: &str) -> String {
    format!("{}#{}#{}", url.trim().trim_end_matches('/'), org.trim(), user.trim())
}

/// How to reach the hub, from the hub dialog. An empty password means the
/// one given earlier in this session.
#[derive(Debug, Deserialize)]
pub struct HubIn {
    pub url: String,
    pub org: String,
    pub user: String,
    #[serde(default)]
    pub password: Option<String>,
    /// A PEM file of the CA that signed the hub's certificate.
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// The file's sync status: no network, a few index lookups.
#[derive(Debug, Serialize)]
pub struct StatusOut {
    /// Changes (or resolutions) waiting to be sent; true before the first sync.
    pub outgoing: bool,
    /// How many changes wait; null before the first sync (the whole file goes).
    pub pending: Option<u64>,
    pub open_conflicts: u64,
    /// RFC 3339, UTC.
    pub last_sync: Option<String>,
    /// The hub and organisation the file syncs with (`URL#org`), once it has.
    pub hub: Option<String>,
    pub cursor: i64,
    pub running: bool,
    /// `url#org#user` whose password this session knows.
    pub signed_in: Option<String>,
}

/// One step of a running sync.
#[derive(Clone, Debug, Serialize)]
pub struct ProgressOut {
    /// The core's words, `English / ไทย`.
    pub step: String,
    pub total: u64,
    pub done: u64,
}

#[derive(Debug, Serialize)]
pub struct ReportOut {
    pub first: bool,
    pub pushed: u64,
    pub duplicates: u64,
    pub pulled: u64,
    /// Features of this file the hub's changes altered.
    pub features_changed: u64,
    pub conflicts_raised: u64,
    pub open_conflicts: u64,
    pub photos_sent: u64,
    pub photos_received: u64,
    pub held: u64,
    pub seconds: f64,
    /// Whether the undo history was dropped (the hub changed the data).
    pub undo_cleared: bool,
}

/// What the `sync-done` event carries: a report or an error.
#[derive(Debug, Serialize)]
pub struct DoneOut {
    pub report: Option<ReportOut>,
    pub error: Option<IpcError>,
}

/// One side of a conflict as people read it.
#[derive(Debug, Serialize)]
pub struct SideOut {
    /// A field conflict's value as text (geometry as WKT); null is empty.
    pub value: Option<String>,
    /// A whole-feature conflict: the side's row as text, or null when that side deleted it.
    pub row: Option<BTreeMap<String, Option<String>>>,
    pub deleted: bool,
    pub user: String,
    pub device: String,
    /// RFC 3339; null for the file's starting data.
    pub time: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ConflictOut {
    pub id: String,
    pub layer: String,
    pub uid: String,
    /// `field`, `edit_deleted` or `delete_edited`.
    pub kind: &'static str,
    pub field: Option<String>,
    /// The side made on this device (what "keep mine" keeps).
    pub mine: SideOut,
    pub theirs: SideOut,
    /// Which side the data holds until a person decides: `mine` or `theirs`.
    pub holds: &'static str,
    /// The feature as the file holds it now (text values, geometry as WKT); null when deleted here.
    pub current: Option<BTreeMap<String, Option<String>>>,
    pub fid: Option<i64>,
    /// Where the feature is, in EPSG:3857, for zooming to it.
    pub extent: Option<[f64; 4]>,
    /// A delete withdrawn with its user action: the feature whose keeping
    /// kept this one (a lamp's pole), as the file holds it.
    pub kept_with: Option<KeptWithOut>,
}

#[derive(Debug, Serialize)]
pub struct KeptWithOut {
    pub layer: String,
    pub uid: String,
    /// Its values as text; null when it is not in the file.
    pub current: Option<BTreeMap<String, Option<String>>>,
}

#[derive(Debug, Serialize)]
pub struct ResolutionOut {
    pub changed: bool,
    pub op_id: String,
}

/// A sync error with a code the UI words in Thai and English.
fn sync_error(e: SyncError, path: &Path) -> IpcError {
    let code = match &e {
        SyncError::Cancelled => "sync_cancelled",
        SyncError::Unreachable { .. } => "sync_unreachable",
        SyncError::Credentials => "sync_credentials",
        SyncError::Expired => "sync_expired",
        SyncError::Forbidden { .. } => "sync_forbidden",
        SyncError::SchemaAhead { .. } => "sync_schema_ahead",
        SyncError::SchemaBehind { .. } => "sync_schema_behind",
        SyncError::OtherHub { .. } => "sync_other_hub",
        SyncError::Wire(_) => "sync_version",
        SyncError::NoConflict(_) => "sync_no_conflict",
        SyncError::BadChoice(_) => "sync_bad_choice",
        SyncError::Hub { code, .. } if code == "schema_ahead" => "sync_schema_ahead",
        SyncError::Hub { code, .. } if code == "wire_version" => "sync_version",
        SyncError::Hub { .. } => "sync_hub",
        SyncError::Edit(tongtin::edit::EditError::Invalid(_)) => "invalid",
        _ => "sync",
    };
    let problems = match &e {
        SyncError::Hub {
            message, message_th, ..
        } => vec![tongtin::model::FieldProblem {
            field: "hub".into(),
            th: if message_th.is_empty() {
                message.clone()
            } else {
                message_th.clone()
            },
            en: message.clone(),
        }],
        SyncError::Edit(tongtin::edit::EditError::Invalid(p)) => p.clone(),
        _ => Vec::new(),
    };
    IpcError::new(code, e, Some(path)).with_problems(problems)
}

/// Forwards the core's progress as `sync-progress` events, at most ten a
/// second (and every new step at once).
struct Events {
    app: tauri::AppHandle,
    at: Mutex<(ProgressOut, Instant)>,
    cancel: Arc<AtomicBool>,
}

impl Events {
    fn emit(&self, p: &ProgressOut) {
        let _ = self.app.emit(PROGRESS_EVENT, p.clone());
    }
}

impl Progress for Events {
    fn step(&self, name: &str, total: u64) {
        let mut at = self.at.lock().unwrap_or_else(|p| p.into_inner());
        at.0 = ProgressOut {
            step: name.to_string(),
            total,
            done: 0,
        };
        at.1 = Instant::now();
        self.emit(&at.0);
    }

    fn advance(&self, n: u64) {
        let mut at = self.at.lock().unwrap_or_else(|p| p.into_inner());
        at.0.done += n;
        if at.1.elapsed() >= Duration::from_millis(100) || at.0.done >= at.0.total {
            at.1 = Instant::now();
            self.emit(&at.0);
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }
}

/// A row's values as text.
fn texts(row: &tongtin::journal::Row) -> BTreeMap<String, Option<String>> {
    row.iter().map(|(k, v)| (k.clone(), text(v))).collect()
}

fn text(v: &Value) -> Option<String> {
    (!v.is_null()).then(|| show_value(v))
}

fn literal_value(lit: &str) -> Option<Value> {
    parse_list(lit)
        .ok()
        .and_then(|mut v| (v.len() == 1).then(|| v.remove(0)))
}

fn literal_text(lit: Option<&str>) -> Option<String> {
    lit.and_then(literal_value).as_ref().and_then(text)
}

fn side_out(s: &Side, kind: ConflictKind) -> SideOut {
    let row = s.row.as_ref().map(|r| {
        r.iter()
            .map(|(k, lit)| (k.clone(), literal_text(Some(lit))))
            .collect::<BTreeMap<_, _>>()
    });
    SideOut {
        value: literal_text(s.value.as_deref()),
        deleted: kind != ConflictKind::Field && row.is_none(),
        row,
        user: s.stamp.user.clone(),
        device: s.stamp.device.clone(),
        time: (s.stamp.hlc != 0).then(|| Hlc(s.stamp.hlc).to_rfc3339()),
    }
}

/// The geometry's box in EPSG:3857, from a row's geometry blob.
fn extent_of(row: &tongtin::journal::Row) -> Option<[f64; 4]> {
    row.values().find_map(|v| match v {
        Value::Blob(b) => {
            let g = decode_blob(b).ok()?;
            let e: Envelope = g.geometry.envelope()?;
            let m = tongtin::crs::Transformer::new(g.srs_id, 3857)
                .ok()?
                .transform_envelope(&e)
                .ok()?;
            Some([m.min_x, m.min_y, m.max_x, m.max_y])
        }
        _ => None,
    })
}

fn conflict_out(gpkg: &GeoPackage, known: KnownConflict, device: &str) -> ConflictOut {
    let c = known.conflict;
    // The same choice of "mine" as the core's resolve makes.
    let theirs_is_mine = if c.theirs.stamp.device == device {
        true
    } else if c.ours.stamp.device == device {
        false
    } else {
        c.kept == Kept::Theirs
    };
    let (mine, theirs) = if theirs_is_mine {
        (&c.theirs, &c.ours)
    } else {
        (&c.ours, &c.theirs)
    };
    let kept_theirs_side = c.kept == Kept::Theirs;
    let holds = if kept_theirs_side == theirs_is_mine {
        "mine"
    } else {
        "theirs"
    };
    let found = tongtin::edit::read_row(gpkg.connection(), &c.layer, &c.uid)
        .ok()
        .flatten();
    let fid: Option<i64> = found.as_ref().and_then(|_| {
        let pk = gpkg
            .connection()
            .query_row("SELECT name FROM pragma_table_info(?1) WHERE pk > 0", [&c.layer], |r| {
                r.get::<_, String>(0)
            })
            .ok()?;
        gpkg.connection()
            .query_row(
                &format!(
                    "SELECT {} FROM {} WHERE uid = ?1",
                    tongtin::gpkg::quote_ident(&pk),
                    tongtin::gpkg::quote_ident(&c.layer)
                ),
                [&c.uid],
                |r| r.get(0),
            )
            .ok()
    });
    let mut extent = found.as_ref().and_then(extent_of);
    if extent.is_none() {
        // Deleted here: where the side that keeps it had it.
        extent = [&c.ours, &c.theirs].iter().find_map(|s| {
            let row: tongtin::journal::Row = s
                .row
                .as_ref()?
                .iter()
                .filter_map(|(k, lit)| Some((k.clone(), literal_value(lit)?)))
                .collect();
            extent_of(&row)
        });
    }
    ConflictOut {
        kind: match c.kind {
            ConflictKind::Field => "field",
            ConflictKind::EditDeleted => "edit_deleted",
            ConflictKind::DeleteEdited => "delete_edited",
        },
        mine: side_out(mine, c.kind),
        theirs: side_out(theirs, c.kind),
        holds,
        current: found.as_ref().map(texts),
        fid,
        extent,
        kept_with: c.kept_with.map(|k| KeptWithOut {
            current: tongtin::edit::read_row(gpkg.connection(), &k.layer, &k.uid)
                .ok()
                .flatten()
                .as_ref()
                .map(texts),
            layer: k.layer,
            uid: k.uid,
        }),
        id: c.id,
        layer: c.layer,
        uid: c.uid,
        field: c.field,
    }
}

/// Who syncs: the name the user gave for editing, this computer's device name.
fn actor(user: &str) -> Actor {
    let mut actor = Actor::from_env();
    if !user.trim().is_empty() {
        actor.user = user.trim().to_string();
    }
    actor
}

fn report_out(r: &SyncReport, seconds: f64, undo_cleared: bool) -> ReportOut {
    ReportOut {
        first: r.first,
        pushed: r.pushed,
        duplicates: r.duplicates,
        pulled: r.pulled,
        features_changed: r.applied.features,
        conflicts_raised: r.raised + r.applied.conflicts,
        open_conflicts: r.open_conflicts,
        photos_sent: r.attachments_sent,
        photos_received: r.attachments_received,
        held: r.applied.held,
        seconds,
        undo_cleared,
    }
}

impl SyncState {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn status(&self, path: &Path) -> Result<StatusOut, IpcError> {
        let gpkg = GeoPackage::open(path).map_err(|e| IpcError::new("gpkg", e, Some(path)))?;
        let s = tongtin::sync::local_status(&gpkg).map_err(|e| sync_error(e, path))?;
        let inner = self.lock();
        Ok(StatusOut {
            outgoing: s.outgoing,
            pending: s.pending,
            open_conflicts: s.open_conflicts,
            last_sync: s.last_sync,
            hub: s.hub,
            cursor: s.cursor,
            running: inner.running,
            signed_in: inner.password.as_ref().map(|(k, _)| k.clone()),
        })
    }

    /// Starts a sync of `path` on a thread of its own; progress and the
    /// outcome arrive as events. Refused while one is running.
    pub fn start(app: &tauri::AppHandle, path: PathBuf, hub: HubIn, user: &str) -> Result<(), IpcError> {
        let url = hub.url.trim().trim_end_matches('/').to_string();
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(IpcError::new(
                "sync_bad_url",
                format!("not an http(s) address: {url}"),
                None,
            ));
        }
        let ca_pem = match hub.ca_file.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            Some(f) => Some(std::fs::read(f).map_err(|e| IpcError::new("sync_ca_file", e, Some(Path::new(f))))?),
            None => None,
        };
        let state = app.state::<SyncState>();
        let access = {
            let mut inner = state.lock();
            if inner.running {
                return Err(IpcError::new("sync_running", "a sync is already running", Some(&path)));
            }
            let k = key(&url, &hub.org, &hub.user);
            let password = match hub.password.filter(|p| !p.is_empty()) {
                Some(p) => p,
                None => match &inner.password {
                    Some((known, p)) if *known == k => p.clone(),
                    _ => return Err(IpcError::new("sync_no_password", "the password is needed", None)),
                },
            };
            inner.password = Some((k, password.clone()));
            inner.running = true;
            state.cancel.store(false, Ordering::SeqCst);
            HubAccess {
                url,
                org: hub.org.trim().to_string(),
                user: hub.user.trim().to_string(),
                password,
                ca_pem,
            }
        };
        let actor = actor(user);
        let handle = app.clone();
        let cancel = state.cancel.clone();
        std::thread::Builder::new()
            .name("sync".into())
            .spawn(move || {
                let app = handle;
                let events = Events {
                    app: app.clone(),
                    at: Mutex::new((
                        ProgressOut {
                            step: String::new(),
                            total: 0,
                            done: 0,
                        },
                        Instant::now(),
                    )),
                    cancel,
                };
                let started = Instant::now();
                let result = tongtin::sync::sync(&path, &access, &actor, &events);
                let state = app.state::<SyncState>();
                let done = match result {
                    Ok(report) => {
                        let changed = report.applied.features > 0;
                        if changed {
                            // The hub's changes are in the file: every vector tile may be
                            // stale, and an undo would now fight the hub's data.
                            crate::map::invalidate_all(&app);
                            app.state::<crate::editing::EditState>().forget_undo();
                        }
                        DoneOut {
                            report: Some(report_out(&report, started.elapsed().as_secs_f64(), changed)),
                            error: None,
                        }
                    }
                    Err(e) => {
                        if matches!(e, SyncError::Credentials) {
                            state.lock().password = None;
                        }
                        DoneOut {
                            report: None,
                            error: Some(sync_error(e, &path)),
                        }
                    }
                };
                state.lock().running = false;
                let _ = app.emit(DONE_EVENT, serde_json::to_value(&done).unwrap_or_default());
            })
            .map_err(|e| {
                app.state::<SyncState>().lock().running = false;
                IpcError::new("internal", e, None)
            })?;
        Ok(())
    }

    /// Asks the running sync to stop after the batch it is on.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    pub fn forget_password(&self) {
        self.lock().password = None;
    }
}

/// The open conflicts of the file, oldest first, as people read them.
pub fn conflicts(path: &Path) -> Result<Vec<ConflictOut>, IpcError> {
    let gpkg = GeoPackage::open(path).map_err(|e| IpcError::new("gpkg", e, Some(path)))?;
    let known = tongtin::sync::local::conflicts(gpkg.connection(), false).map_err(|e| sync_error(e, path))?;
    let device = Actor::from_env().device;
    Ok(known.into_iter().map(|k| conflict_out(&gpkg, k, &device)).collect())
}

/// Settles conflict `id`: `take` is `mine`, `theirs` or `value` (with `value` typed as a form takes it).
pub fn resolve(
    path: &Path,
    id: &str,
    take: &str,
    value: Option<String>,
    user: &str,
) -> Result<ResolutionOut, IpcError> {
    let take = match (take, value) {
        ("mine", _) => Take::Mine,
        ("theirs", _) => Take::Theirs,
        ("value", Some(v)) => Take::Value(v),
        _ => {
            return Err(IpcError::new(
                "sync_bad_choice",
                format!("no such choice: {take}"),
                None,
            ))
        }
    };
    tongtin::sync::resolve(path, id, &take, &actor(user))
        .map(|r| ResolutionOut {
            changed: r.changed,
            op_id: r.op_id,
        })
        .map_err(|e| sync_error(e, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_password_is_keyed_by_hub_org_and_user() {
        assert_eq!(key("http://h:1/ ", " org", "u "), "http://h:1#org#u");
        assert_ne!(key("http://h:1", "org", "u"), key("http://h:1", "org", "v"));
    }

    #[test]
    fn literals_read_as_people_read_them() {
        assert_eq!(literal_text(Some("'ชำรุด'")).as_deref(), Some("ชำรุด"));
        assert_eq!(literal_text(Some("12")).as_deref(), Some("12"));
        assert_eq!(literal_text(Some("NULL")), None);
        assert_eq!(literal_text(None), None);
        let blob = tongtin::geom::encode_blob(&tongtin::geom::Geometry::point(712345.0, 1812345.5), 32648);
        let lit = tongtin::journal::literal(&Value::Blob(blob));
        assert_eq!(literal_text(Some(&lit)).as_deref(), Some("POINT (712345 1812345.5)"));
    }

    #[test]
    fn hub_refusals_get_their_own_codes() {
        let p = Path::new("/f.gpkg");
        assert_eq!(sync_error(SyncError::Credentials, p).code, "sync_credentials");
        assert_eq!(sync_error(SyncError::Expired, p).code, "sync_expired");
        assert_eq!(
            sync_error(SyncError::SchemaBehind { file: 2, hub: 3 }, p).code,
            "sync_schema_behind"
        );
        let hub = sync_error(
            SyncError::Hub {
                status: 500,
                code: "x".into(),
                message: "broken".into(),
                message_th: "เสีย".into(),
            },
            p,
        );
        assert_eq!(hub.code, "sync_hub");
        assert_eq!(hub.problems[0].th, "เสีย");
    }
}
