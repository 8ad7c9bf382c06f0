//! Editing over IPC: the UI's edits converted to the core's (Web Mercator
//! to the layer's CRS, form text to typed values), the editor and its undo
//! stack for the open file, and the core's answers converted back.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use tongtin::crs::Transformer;
use tongtin::edit::{Applied, Change, Edit, EditError, Editor, UndoStack};
use tongtin::geom::{Coord, Dimension, Envelope, Geometry, Shape};
use tongtin::gpkg::Value;
use tongtin::journal::{read_history, show_value, Actor, HistoryFilter, Row};
use tongtin::model::{schema, FieldProblem};

use crate::ipc::IpcError;

/// The open file's editor and undo stack.
#[derive(Default)]
pub struct EditState {
    session: Mutex<Option<Session>>,
}

struct Session {
    editor: Editor,
    undo: UndoStack,
}

/// A geometry from the map, in EPSG:3857 (GeoJSON layout).
#[derive(Debug, Deserialize)]
#[serde(tag = "type")]
pub enum GeometryIn {
    Point { coordinates: [f64; 2] },
    LineString { coordinates: Vec<[f64; 2]> },
}

/// A geometry for the map, in EPSG:3857.
#[derive(Debug, Serialize)]
#[serde(tag = "type")]
pub enum GeometryOut {
    Point { coordinates: [f64; 2] },
    LineString { coordinates: Vec<[f64; 2]> },
    Polygon { coordinates: Vec<Vec<[f64; 2]>> },
    Other,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum ChangeIn {
    Insert {
        layer: String,
        uid: Option<String>,
        #[serde(default)]
        values: BTreeMap<String, serde_json::Value>,
        geometry: Option<GeometryIn>,
    },
    Update {
        layer: String,
        uid: String,
        #[serde(default)]
        values: BTreeMap<String, serde_json::Value>,
        geometry: Option<GeometryIn>,
    },
    Delete {
        layer: String,
        uid: String,
    },
}

#[derive(Debug, Deserialize)]
pub struct EditIn {
    pub label: String,
    pub changes: Vec<ChangeIn>,
}

#[derive(Debug, Serialize)]
pub struct FeatureRef {
    pub layer: String,
    pub uid: String,
}

/// What an edit, undo or redo did, and what undo and redo would do next.
#[derive(Debug, Serialize)]
pub struct EditOut {
    pub label: String,
    pub ops: usize,
    pub inserted: Vec<FeatureRef>,
    pub undo: Option<String>,
    pub redo: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct UndoState {
    pub undo: Option<String>,
    pub redo: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct WorkingOut {
    pub layer: String,
    pub fid: i64,
    pub uid: String,
    pub geometry: GeometryOut,
}

/// A feature's values for the form (geometry left out), as text.
#[derive(Debug, Serialize)]
pub struct FeatureOut {
    pub layer: String,
    pub fid: i64,
    pub uid: String,
    pub values: BTreeMap<String, Option<String>>,
}

#[derive(Debug, Serialize)]
pub struct FieldChangeOut {
    pub field: String,
    pub th: String,
    pub en: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// One journal op for the history panel and the journal browser.
#[derive(Debug, Serialize)]
pub struct HistoryOut {
    pub seq: i64,
    pub op_id: String,
    pub edit_id: String,
    pub time: String,
    pub user: String,
    pub device: String,
    pub origin: &'static str,
    pub layer: String,
    pub uid: String,
    pub kind: &'static str,
    pub fields: Vec<FieldChangeOut>,
}

#[derive(Debug, Deserialize, Default)]
pub struct HistoryIn {
    pub uid: Option<String>,
    pub layer: Option<String>,
    pub user: Option<String>,
    /// Unix milliseconds.
    pub since: Option<i64>,
    pub until: Option<i64>,
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct PhotoOut {
    pub id: i64,
    pub uid: String,
    pub file_name: Option<String>,
    pub content_type: String,
    pub width: i64,
    pub height: i64,
    pub byte_size: i64,
    pub created_at: Option<String>,
    pub created_by: Option<String>,
}

pub(crate) fn edit_error(e: EditError) -> IpcError {
    let (code, problems) = match &e {
        EditError::Invalid(p) => ("invalid", p.clone()),
        EditError::UnknownLayer(_) => ("unknown_layer", Vec::new()),
        EditError::NotFound { .. } => ("not_found_feature", Vec::new()),
        EditError::Stale { .. } => ("stale", Vec::new()),
        EditError::BadPhoto { th, en } => (
            "bad_photo",
            vec![FieldProblem {
                field: "photo".into(),
                th: th.clone(),
                en: en.clone(),
            }],
        ),
        EditError::NotEditable { .. } => ("not_editable", Vec::new()),
        EditError::ModelOlder { .. } => ("model_older", Vec::new()),
        // A sync holds the file's write lock for longer than the 5 s the editor waits.
        EditError::Journal(_) | EditError::Gpkg(_) if e.to_string().contains("database is locked") => {
            ("busy", Vec::new())
        }
        EditError::Journal(_) | EditError::Gpkg(_) => ("edit", Vec::new()),
    };
    IpcError::new(code, e, None).with_problems(problems)
}

fn geometry_in(g: GeometryIn, srs: i32) -> Result<Geometry, IpcError> {
    let shape = match g {
        GeometryIn::Point { coordinates: [x, y] } => Shape::Point(Coord::xy(x, y)),
        GeometryIn::LineString { coordinates } => {
            Shape::LineString(coordinates.into_iter().map(|[x, y]| Coord::xy(x, y)).collect())
        }
    };
    let mut geometry = Geometry {
        dim: Dimension::Xy,
        shape,
    };
    Transformer::new(3857, srs)
        .and_then(|t| t.transform(&mut geometry))
        .map_err(|e| IpcError::new("crs", e, None))?;
    geometry.map_coords(&mut |c| {
        c.x = (c.x * 1000.0).round() / 1000.0;
        c.y = (c.y * 1000.0).round() / 1000.0;
    });
    Ok(geometry)
}

fn geometry_out(g: &Geometry) -> GeometryOut {
    let xy = |c: &Coord| [c.x, c.y];
    match &g.shape {
        Shape::Point(c) => GeometryOut::Point { coordinates: xy(c) },
        Shape::LineString(cs) => GeometryOut::LineString {
            coordinates: cs.iter().map(xy).collect(),
        },
        Shape::Polygon(rings) => GeometryOut::Polygon {
            coordinates: rings.iter().map(|r| r.iter().map(xy).collect()).collect(),
        },
        _ => GeometryOut::Other,
    }
}

/// Form values typed by the field definitions; every problem collected.
fn values_in(layer: &str, values: BTreeMap<String, serde_json::Value>) -> Result<Row, IpcError> {
    let def = schema()
        .layer(layer)
        .ok_or_else(|| edit_error(EditError::UnknownLayer(layer.to_string())))?;
    let mut row = Row::new();
    let mut problems = Vec::new();
    for (name, input) in values {
        match def.field(&name) {
            Some(f) => match f.parse_input(&input) {
                Ok(v) => {
                    row.insert(name, v);
                }
                Err(p) => problems.push(p),
            },
            None => problems.push(FieldProblem {
                field: name.clone(),
                th: format!("ไม่มีช่อง '{name}'"),
                en: format!("no field '{name}'"),
            }),
        }
    }
    if problems.is_empty() {
        Ok(row)
    } else {
        Err(edit_error(EditError::Invalid(problems)))
    }
}

fn value_text(v: &Value) -> Option<String> {
    (!v.is_null()).then(|| show_value(v))
}

impl Session {
    fn change_in(&self, c: ChangeIn) -> Result<Change, IpcError> {
        let srs = |layer: &str| -> Result<i32, IpcError> {
            self.editor
                .layer_srs(layer)
                .map_err(edit_error)?
                .ok_or_else(|| IpcError::new("no_geometry", format!("layer {layer} has no geometry"), None))
        };
        Ok(match c {
            ChangeIn::Insert {
                layer,
                uid,
                values,
                geometry,
            } => Change::Insert {
                values: values_in(&layer, values)?,
                geometry: geometry.map(|g| geometry_in(g, srs(&layer)?)).transpose()?,
                layer,
                uid,
            },
            ChangeIn::Update {
                layer,
                uid,
                values,
                geometry,
            } => Change::Update {
                values: values_in(&layer, values)?,
                geometry: geometry.map(|g| geometry_in(g, srs(&layer)?)).transpose()?,
                layer,
                uid,
                expect: Row::new(),
            },
            ChangeIn::Delete { layer, uid } => Change::Delete { layer, uid },
        })
    }

    fn out(&self, applied: &Applied) -> EditOut {
        EditOut {
            label: applied.label.clone(),
            ops: applied.ops.len(),
            inserted: applied
                .inserted
                .iter()
                .map(|(layer, uid)| FeatureRef {
                    layer: layer.clone(),
                    uid: uid.clone(),
                })
                .collect(),
            undo: self.undo.undo_label().map(str::to_string),
            redo: self.undo.redo_label().map(str::to_string),
        }
    }

    /// The areas whose tiles the edit made stale, per CRS.
    fn stale_areas(&self, applied: &Applied) -> Vec<(Envelope, i32)> {
        applied
            .extents
            .iter()
            .filter_map(|(layer, e)| self.editor.layer_srs(layer).ok().flatten().map(|srs| (*e, srs)))
            .collect()
    }
}

/// Tiles to redraw after an edit, in each layer's CRS.
pub type Stale = Vec<(Envelope, i32)>;

impl EditState {
    fn with<T>(&self, f: impl FnOnce(&mut Session) -> Result<T, IpcError>) -> Result<T, IpcError> {
        let mut guard = self.session.lock().unwrap_or_else(|p| p.into_inner());
        let session = guard
            .as_mut()
            .ok_or_else(|| IpcError::new("no_editor", "no file is open for editing", None))?;
        f(session)
    }

    /// Opens `path` for editing as `user` (the undo history of the previous file is dropped).
    pub fn open(&self, path: &Path, user: &str) -> Result<(), IpcError> {
        let mut actor = Actor::from_env();
        if !user.trim().is_empty() {
            actor.user = user.trim().to_string();
        }
        let editor = Editor::open(path, actor).map_err(|e| edit_error(e).at(path))?;
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = Some(Session {
            editor,
            undo: UndoStack::default(),
        });
        Ok(())
    }

    pub fn set_user(&self, user: &str) -> Result<(), IpcError> {
        self.with(|s| {
            s.editor.set_user(user);
            Ok(())
        })
    }

    pub fn apply(&self, edit: EditIn) -> Result<(EditOut, Stale), IpcError> {
        self.with(|s| {
            let changes = edit
                .changes
                .into_iter()
                .map(|c| s.change_in(c))
                .collect::<Result<Vec<_>, _>>()?;
            let applied = s
                .editor
                .apply(&Edit::checked(edit.label, changes))
                .map_err(edit_error)?;
            s.undo.push(&applied);
            Ok((s.out(&applied), s.stale_areas(&applied)))
        })
    }

    pub fn undo(&self, redo: bool) -> Result<Option<(EditOut, Stale)>, IpcError> {
        self.with(|s| {
            let Session { editor, undo } = s;
            let applied = if redo { undo.redo(editor) } else { undo.undo(editor) }.map_err(edit_error)?;
            Ok(applied.map(|a| (s.out(&a), s.stale_areas(&a))))
        })
    }

    /// Splits a line at the point of it nearest `at` (EPSG:3857), within
    /// `tolerance` metres on the ground.
    pub fn split(
        &self,
        label: &str,
        layer: &str,
        uid: &str,
        at: [f64; 2],
        tolerance: f64,
    ) -> Result<(EditOut, Stale), IpcError> {
        self.with(|s| {
            let srs = s
                .editor
                .layer_srs(layer)
                .map_err(edit_error)?
                .ok_or_else(|| IpcError::new("no_geometry", format!("layer {layer} has no geometry"), None))?;
            let (x, y) = Transformer::new(3857, srs)
                .and_then(|t| t.convert(at[0], at[1]))
                .map_err(|e| IpcError::new("crs", e, None))?;
            let applied = s
                .editor
                .split(label, layer, uid, (x, y), tolerance)
                .map_err(edit_error)?;
            s.undo.push(&applied);
            Ok((s.out(&applied), s.stale_areas(&applied)))
        })
    }

    /// Joins `other` onto `keep` where their ends meet.
    pub fn merge(&self, label: &str, layer: &str, keep: &str, other: &str) -> Result<(EditOut, Stale), IpcError> {
        const SNAP_M: f64 = 0.5;
        self.with(|s| {
            let applied = s.editor.merge(label, layer, keep, other, SNAP_M).map_err(edit_error)?;
            s.undo.push(&applied);
            Ok((s.out(&applied), s.stale_areas(&applied)))
        })
    }

    /// Forgets the undo history: after a sync applied the hub's changes, an
    /// inverse edit would fight the hub's data (and is refused as stale anyway).
    pub fn forget_undo(&self) {
        if let Some(s) = self.session.lock().unwrap_or_else(|p| p.into_inner()).as_mut() {
            s.undo.clear();
        }
    }

    /// The labels of the next undo and redo steps.
    pub fn undo_state(&self) -> Result<UndoState, IpcError> {
        self.with(|s| {
            Ok(UndoState {
                undo: s.undo.undo_label().map(str::to_string),
                redo: s.undo.redo_label().map(str::to_string),
            })
        })
    }

    pub fn restore(&self, layer: &str, uid: &str, seq: i64) -> Result<(EditOut, Stale), IpcError> {
        self.with(|s| {
            let applied = s.editor.restore(layer, uid, seq).map_err(edit_error)?;
            s.undo.push(&applied);
            Ok((s.out(&applied), s.stale_areas(&applied)))
        })
    }

    pub fn attach_photo(&self, layer: &str, uid: &str, path: &Path) -> Result<(EditOut, Stale), IpcError> {
        let size = std::fs::metadata(path)
            .map_err(|e| {
                let code = if e.kind() == std::io::ErrorKind::NotFound {
                    "not_found"
                } else {
                    "io"
                };
                IpcError::new(code, e, Some(path))
            })?
            .len();
        if size > tongtin::edit::MAX_PHOTO_BYTES as u64 {
            return Err(edit_error(EditError::BadPhoto {
                th: format!("รูปใหญ่เกิน {} MB", tongtin::edit::MAX_PHOTO_BYTES >> 20),
                en: format!("the photo is larger than {} MB", tongtin::edit::MAX_PHOTO_BYTES >> 20),
            }));
        }
        let bytes = std::fs::read(path).map_err(|e| IpcError::new("io", e, Some(path)))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.with(|s| {
            let applied = s.editor.attach_photo(layer, uid, &name, bytes).map_err(edit_error)?;
            s.undo.push(&applied);
            Ok((s.out(&applied), Vec::new()))
        })
    }

    pub fn remove_photo(&self, photo_uid: &str) -> Result<EditOut, IpcError> {
        self.with(|s| {
            let applied = s.editor.remove_photo(photo_uid).map_err(edit_error)?;
            s.undo.push(&applied);
            Ok(s.out(&applied))
        })
    }

    pub fn photos(&self, layer: &str, uid: &str) -> Result<Vec<PhotoOut>, IpcError> {
        self.with(|s| {
            Ok(s.editor
                .photos(layer, uid)
                .map_err(edit_error)?
                .into_iter()
                .map(|p| PhotoOut {
                    id: p.id,
                    uid: p.uid,
                    file_name: p.file_name,
                    content_type: p.content_type,
                    width: p.width,
                    height: p.height,
                    byte_size: p.byte_size,
                    created_at: p.created_at,
                    created_by: p.created_by,
                })
                .collect())
        })
    }

    pub fn working_set(&self, layers: &[String], view: [f64; 4]) -> Result<Vec<WorkingOut>, IpcError> {
        const PER_LAYER: usize = 5_000;
        self.with(|s| {
            let names: Vec<&str> = layers.iter().map(String::as_str).collect();
            let view = Envelope::new(view[0], view[1], view[2], view[3]);
            Ok(tongtin::edit::working_set(s.editor.gpkg(), &names, &view, PER_LAYER)
                .map_err(edit_error)?
                .into_iter()
                .map(|f| WorkingOut {
                    geometry: geometry_out(&f.geometry),
                    layer: f.layer,
                    fid: f.fid,
                    uid: f.uid,
                })
                .collect())
        })
    }

    pub fn feature(&self, layer: &str, fid: i64) -> Result<Option<FeatureOut>, IpcError> {
        self.with(|s| {
            let srs_column = s.editor.layer_srs(layer).map_err(edit_error)?;
            let found = s.editor.feature_by_fid(layer, fid).map_err(edit_error)?;
            Ok(found.map(|(uid, row)| FeatureOut {
                layer: layer.to_string(),
                fid,
                uid,
                values: row
                    .iter()
                    .filter(|(_, v)| srs_column.is_none() || !matches!(v, Value::Blob(_)))
                    .map(|(k, v)| (k.clone(), value_text(v)))
                    .collect(),
            }))
        })
    }

    /// Runs a core action that applies one edit through the open editor (the
    /// inventory's register, work orders, checks), recording it for undo.
    pub(crate) fn apply_with<T>(
        &self,
        f: impl FnOnce(&mut Editor) -> Result<(T, Applied), IpcError>,
    ) -> Result<((T, EditOut), Stale), IpcError> {
        self.with(|s| {
            let (value, applied) = f(&mut s.editor)?;
            s.undo.push(&applied);
            Ok(((value, s.out(&applied)), s.stale_areas(&applied)))
        })
    }

    /// A core action on the open editor whose edit is not offered for undo
    /// (the core does not return it: opening an inventory check).
    pub(crate) fn editor_with<T>(&self, f: impl FnOnce(&mut Editor) -> Result<T, IpcError>) -> Result<T, IpcError> {
        self.with(|s| f(&mut s.editor))
    }

    pub fn history(&self, filter: HistoryIn) -> Result<Vec<HistoryOut>, IpcError> {
        self.with(|s| {
            let ops = read_history(
                s.editor.gpkg().connection(),
                &HistoryFilter {
                    uid: filter.uid,
                    layer: filter.layer,
                    user: filter.user,
                    since_millis: filter.since,
                    until_millis: filter.until,
                    limit: filter.limit.or(Some(500)),
                    ..HistoryFilter::default()
                },
            )
            .map_err(|e| edit_error(EditError::Journal(e)))?;
            Ok(ops
                .into_iter()
                .rev()
                .map(|op| {
                    let def = schema().layer(&op.layer);
                    HistoryOut {
                        seq: op.seq.unwrap_or_default(),
                        time: op.hlc.to_rfc3339(),
                        origin: op.origin.as_str(),
                        kind: op.kind.as_str(),
                        fields: op
                            .fields
                            .iter()
                            .map(|f| {
                                let (th, en) = def
                                    .and_then(|d| d.field(&f.field))
                                    .map(|fd| (fd.th.clone(), fd.en.clone()))
                                    .or_else(|| {
                                        tongtin::model::SYSTEM_FIELDS
                                            .iter()
                                            .find(|s| s.0 == f.field)
                                            .map(|s| (s.2.to_string(), s.3.to_string()))
                                    })
                                    .unwrap_or_else(|| (f.field.clone(), f.field.clone()));
                                FieldChangeOut {
                                    field: f.field.clone(),
                                    th,
                                    en,
                                    old: f.old.as_ref().and_then(value_text),
                                    new: f.new.as_ref().and_then(value_text),
                                }
                            })
                            .collect(),
                        op_id: op.op_id,
                        edit_id: op.edit_id,
                        user: op.user,
                        device: op.device,
                        layer: op.layer,
                        uid: op.uid,
                    }
                })
                .collect())
        })
    }
}
