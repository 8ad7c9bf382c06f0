use std::collections::HashMap;
use std::path::Path;

use super::change::{Applied, Change, Edit, Mode};
use super::places::Places;
use super::{auto, rows, rules, EditError};
use crate::geom::{decode_blob, encode_blob, Envelope};
use crate::gpkg::{GeoPackage, Value};
use crate::journal::{self, same_value, Actor, Origin, Row, UID};
use crate::model::{schema, FieldProblem};
use crate::progress::Silent;

/// The table photos are kept in (see `photo.rs`).
pub(super) const PHOTOS: &str = "tongtin_photos";

/// Edits one municipality file: every change is checked, written and
/// journaled in one transaction, or not at all.
pub struct Editor {
    gpkg: GeoPackage,
    actor: Actor,
    places: Places,
}

impl Editor {
    /// Opens `path` for editing as `actor`: sets up the journal if the file
    /// has none and records what other tools changed since it was last seen.
    pub fn open(path: &Path, actor: Actor) -> Result<Editor, EditError> {
        let not_editable = |why: String| EditError::NotEditable {
            path: path.display().to_string(),
            why,
        };
        let supported = schema().version;
        match crate::model::schema_version(&GeoPackage::open(path)?) {
            Ok(Some(v)) if v == supported => {}
            Ok(Some(found)) if found < supported => {
                return Err(EditError::ModelOlder {
                    path: path.display().to_string(),
                    found,
                    supported,
                })
            }
            Ok(Some(v)) => {
                return Err(not_editable(format!(
                    "its data model {v} is newer than this Tongtin ({supported}); update Tongtin"
                )))
            }
            Ok(None) => return Err(not_editable("it is not a Tongtin municipality file".into())),
            Err(e) => return Err(not_editable(e.to_string())),
        }
        let mut gpkg = GeoPackage::open_writable(path)?;
        gpkg.write(|b| -> Result<(), EditError> {
            journal::install(b.sql(), &Silent)?;
            super::photo::ensure_archive(b.sql())?;
            journal::record_external(b.sql(), &actor)?;
            Ok(())
        })?;
        let places = Places::load(&gpkg)?;
        Ok(Editor { gpkg, actor, places })
    }

    pub fn gpkg(&self) -> &GeoPackage {
        &self.gpkg
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The name edits are recorded under from now on; empty means the
    /// computer's login name.
    pub fn set_user(&mut self, user: &str) {
        self.actor.user = match user.trim() {
            "" => Actor::from_env().user,
            name => name.to_string(),
        };
    }

    /// Applies `edit` in one transaction with its journal ops; a refused
    /// edit changes nothing.
    pub fn apply(&mut self, edit: &Edit) -> Result<Applied, EditError> {
        let derived = self.derive(edit)?;
        let Editor { gpkg, actor, places } = self;
        let applied = gpkg.write(|b| -> Result<Applied, EditError> {
            let conn = b.sql();
            journal::record_external(conn, actor)?;
            let mut run = Run {
                conn,
                actor,
                places,
                mode: edit.mode,
                problems: Vec::new(),
                inverse: Vec::new(),
                extents: HashMap::new(),
                inserted: Vec::new(),
            };
            for (change, derived) in edit.changes.iter().zip(&derived) {
                run.change(change, derived)?;
            }
            if !run.problems.is_empty() {
                return Err(EditError::Invalid(run.problems));
            }
            let Run {
                inverse,
                extents,
                inserted,
                ..
            } = run;
            for (layer, e) in &extents {
                b.touch(layer, Some(*e));
            }
            let ops = journal::record(conn, actor, Origin::App)?;
            Ok(Applied {
                label: edit.label.clone(),
                ops,
                inverse: Edit {
                    label: edit.label.clone(),
                    mode: Mode::Exact,
                    changes: inverse.into_iter().rev().collect(),
                },
                extents: extents.into_iter().collect(),
                inserted,
            })
        })?;
        if applied.extents.iter().any(|(l, _)| l == "boundary" || l == "villages") {
            self.places = Places::load(&self.gpkg)?;
        }
        Ok(applied)
    }

    /// Ground elevation from the file's terrain at (x, y) in CRS `srs`.
    pub(super) fn ground(&self, srs: i32, x: f64, y: f64) -> Option<f64> {
        self.places.elevation_at(&self.gpkg, srs, x, y)
    }

    /// Runs a change of the file's structure (a new table, triggers) in its
    /// own transaction.
    pub(super) fn write_schema(
        &mut self,
        f: impl FnOnce(&rusqlite::Connection) -> Result<(), EditError>,
    ) -> Result<(), EditError> {
        self.gpkg.write(|b| f(b.sql()))
    }

    /// The values each change's geometry implies (village, elevation,
    /// length), worked out before the transaction: they read the terrain.
    fn derive(&self, edit: &Edit) -> Result<Vec<Row>, EditError> {
        let s = schema();
        edit.changes
            .iter()
            .map(|c| {
                let mut out = Row::new();
                if edit.mode == Mode::Exact {
                    return Ok(out);
                }
                let (layer, values, geometry) = match c {
                    Change::Insert {
                        layer,
                        values,
                        geometry: Some(g),
                        ..
                    }
                    | Change::Update {
                        layer,
                        values,
                        geometry: Some(g),
                        ..
                    } => (layer, values, g),
                    _ => return Ok(out),
                };
                let def = s.layer(layer).ok_or_else(|| EditError::UnknownLayer(layer.clone()))?;
                if let Some((_, srs)) = rows::geometry_column(self.gpkg.connection(), layer)? {
                    auto::from_geometry(&mut out, def, geometry, srs, values, &self.places, &self.gpkg);
                }
                Ok(out)
            })
            .collect()
    }
}

/// One edit's transaction in progress.
struct Run<'c> {
    conn: &'c rusqlite::Connection,
    actor: &'c Actor,
    places: &'c Places,
    mode: Mode,
    problems: Vec<FieldProblem>,
    inverse: Vec<Change>,
    extents: HashMap<String, Envelope>,
    inserted: Vec<(String, String)>,
}

impl Run<'_> {
    fn change(&mut self, change: &Change, derived: &Row) -> Result<(), EditError> {
        let layer = change.layer();
        let def = schema().layer(layer);
        if def.is_none() && !(self.mode == Mode::Exact || layer == PHOTOS) {
            return Err(EditError::UnknownLayer(layer.to_string()));
        }
        let geometry_column = rows::geometry_column(self.conn, layer)?;
        match change {
            Change::Insert {
                uid, values, geometry, ..
            } => {
                let mut row = values.clone();
                if let (Some(g), Some((col, srs))) = (geometry, &geometry_column) {
                    row.insert(col.clone(), Value::Blob(encode_blob(g, *srs)));
                }
                let uid = match self.mode {
                    Mode::Checked => {
                        for (k, v) in derived {
                            row.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                        auto::stamp(&mut row, self.actor, true);
                        let uid = auto::uid(&mut row, uid.as_deref());
                        if let Some(def) = def {
                            self.problems.extend(rules::check_values(
                                self.conn,
                                def,
                                geometry_column.as_ref().map(|(c, _)| c.as_str()),
                                &uid,
                                &row,
                                true,
                            )?);
                            self.problems
                                .extend(rules::check_geometry(def, geometry.as_ref(), self.places));
                        }
                        if rows::read(self.conn, layer, &uid)?.is_some() {
                            self.problems.push(rules::problem(
                                UID,
                                format!("รหัส {uid} ถูกใช้แล้ว"),
                                format!("uid {uid} is already used"),
                            ));
                        }
                        uid
                    }
                    Mode::Exact => match row.get(UID) {
                        Some(Value::Text(u)) => {
                            if rows::read(self.conn, layer, u)?.is_some() {
                                return Err(EditError::Stale {
                                    layer: layer.to_string(),
                                    uid: u.clone(),
                                });
                            }
                            u.clone()
                        }
                        _ => auto::uid(&mut row, uid.as_deref()),
                    },
                };
                if !self.problems.is_empty() {
                    return Ok(());
                }
                rows::insert(self.conn, layer, &row)?;
                self.grow(layer, geometry_column.as_ref().and_then(|(c, _)| row.get(c)));
                self.inserted.push((layer.to_string(), uid.clone()));
                self.inverse.push(Change::Delete {
                    layer: layer.to_string(),
                    uid,
                });
            }
            Change::Update {
                uid,
                values,
                geometry,
                expect,
                ..
            } => {
                let (_, current) = rows::read(self.conn, layer, uid)?.ok_or_else(|| EditError::NotFound {
                    layer: layer.to_string(),
                    uid: uid.clone(),
                })?;
                let mut set = values.clone();
                if let (Some(g), Some((col, srs))) = (geometry, &geometry_column) {
                    set.insert(col.clone(), Value::Blob(encode_blob(g, *srs)));
                }
                match self.mode {
                    Mode::Checked => {
                        for (k, v) in derived {
                            set.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                        if let Some(def) = def {
                            self.problems.extend(rules::check_values(
                                self.conn,
                                def,
                                geometry_column.as_ref().map(|(c, _)| c.as_str()),
                                uid,
                                &set,
                                false,
                            )?);
                            if geometry.is_some() {
                                self.problems
                                    .extend(rules::check_geometry(def, geometry.as_ref(), self.places));
                            }
                        }
                        auto::stamp(&mut set, self.actor, false);
                    }
                    Mode::Exact => {
                        let moved = expect
                            .iter()
                            .any(|(k, v)| !same_value(current.get(k).unwrap_or(&Value::Null), v));
                        if moved {
                            return Err(EditError::Stale {
                                layer: layer.to_string(),
                                uid: uid.clone(),
                            });
                        }
                    }
                }
                if !self.problems.is_empty() {
                    return Ok(());
                }
                rows::update(self.conn, layer, uid, &set)?;
                if let Some((col, _)) = &geometry_column {
                    if set.contains_key(col) {
                        self.grow(layer, current.get(col));
                        self.grow(layer, set.get(col));
                    }
                }
                self.inverse.push(Change::Update {
                    layer: layer.to_string(),
                    uid: uid.clone(),
                    values: set
                        .keys()
                        .map(|k| (k.clone(), current.get(k).cloned().unwrap_or(Value::Null)))
                        .collect(),
                    geometry: None,
                    expect: set,
                });
            }
            Change::Delete { uid, .. } => {
                if self.mode == Mode::Checked {
                    for (child_layer, child_uid) in children(self.conn, layer, uid)? {
                        self.change(
                            &Change::Delete {
                                layer: child_layer,
                                uid: child_uid,
                            },
                            &Row::new(),
                        )?;
                    }
                }
                let (_, current) = rows::read(self.conn, layer, uid)?.ok_or_else(|| match self.mode {
                    Mode::Checked => EditError::NotFound {
                        layer: layer.to_string(),
                        uid: uid.clone(),
                    },
                    Mode::Exact => EditError::Stale {
                        layer: layer.to_string(),
                        uid: uid.clone(),
                    },
                })?;
                rows::delete(self.conn, layer, uid)?;
                self.grow(layer, geometry_column.as_ref().and_then(|(c, _)| current.get(c)));
                self.inverse.push(Change::Insert {
                    layer: layer.to_string(),
                    uid: Some(uid.clone()),
                    values: current,
                    geometry: None,
                });
            }
        }
        Ok(())
    }

    fn grow(&mut self, layer: &str, blob: Option<&Value>) {
        let Some(Value::Blob(b)) = blob else { return };
        let Some(e) = decode_blob(b).ok().and_then(|g| g.geometry.envelope()) else {
            return;
        };
        self.extents
            .entry(layer.to_string())
            .and_modify(|x| *x = x.union(&e))
            .or_insert(e);
    }
}

/// What goes with a feature when it is deleted: its child rows (a pole's
/// lamps) and its photos.
fn children(conn: &rusqlite::Connection, layer: &str, uid: &str) -> Result<Vec<(String, String)>, EditError> {
    let mut out = Vec::new();
    for child in schema().layers.iter() {
        if let Some(p) = child.parent.as_ref().filter(|p| p.layer == layer) {
            for u in rows::uids_where(conn, &child.name, &p.field, uid)? {
                out.push((child.name.clone(), u));
            }
        }
    }
    if super::photo::has_photos_table(conn)? {
        for u in super::photo::photo_uids(conn, layer, uid)? {
            out.push((PHOTOS.to_string(), u));
        }
    }
    Ok(out)
}
