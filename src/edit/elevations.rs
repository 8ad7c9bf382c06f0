//! Ground elevations brought up to date from the terrain, for every pole and
//! drain end whose recorded value differs (after a new DEM was imported).

use super::change::{Applied, Change, Edit};
use super::editor::Editor;
use super::EditError;
use crate::geom::{decode_blob, Shape};
use crate::gpkg::Value;
use crate::journal::Row;

/// A recorded elevation counts as current within this many metres (the
/// terrain is stored to millimetres; surveys record centimetres).
const SAME_M: f64 = 0.05;

/// The fields each layer takes from the terrain, by which point of its geometry.
const FIELDS: [(&str, &str, End); 3] = [
    ("poles", "elevation_m", End::First),
    ("drains", "start_elevation_m", End::First),
    ("drains", "end_elevation_m", End::Last),
];

#[derive(Clone, Copy)]
enum End {
    First,
    Last,
}

impl Editor {
    /// One edit (one undo step) setting every pole's and drain end's
    /// elevation from the terrain where it is missing or differs; `None`
    /// when all are current or the file has no terrain.
    pub fn fill_elevations(&mut self, label: &str) -> Result<Option<Applied>, EditError> {
        let mut changes: Vec<Change> = Vec::new();
        for layer in ["poles", "drains"] {
            let Some(srs) = self.layer_srs(layer)? else { continue };
            let fields: Vec<(&str, End)> = FIELDS
                .iter()
                .filter(|(l, _, _)| *l == layer)
                .map(|(_, f, e)| (*f, *e))
                .collect();
            let cols = fields
                .iter()
                .map(|(f, _)| format!("\"{f}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let rows: Vec<(String, Vec<u8>, Vec<Option<f64>>)> = {
                let conn = self.gpkg().connection();
                let mut stmt = conn.prepare(&format!(
                    "SELECT uid, geom, {cols} FROM \"{layer}\" WHERE geom IS NOT NULL AND uid IS NOT NULL"
                ))?;
                let n = fields.len();
                let rows = stmt
                    .query_map([], |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            (0..n).map(|i| r.get(2 + i)).collect::<Result<Vec<Option<f64>>, _>>()?,
                        ))
                    })?
                    .collect::<Result<_, _>>()?;
                rows
            };
            for (uid, blob, recorded) in rows {
                let Ok(stored) = decode_blob(&blob) else { continue };
                let points: Vec<(f64, f64)> = match &stored.geometry.shape {
                    Shape::Point(c) => vec![(c.x, c.y)],
                    Shape::LineString(cs) => cs.iter().map(|c| (c.x, c.y)).collect(),
                    _ => continue,
                };
                let mut values = Row::new();
                for ((field, end), old) in fields.iter().zip(recorded) {
                    let at = match end {
                        End::First => points.first(),
                        End::Last => points.last(),
                    };
                    let Some(&(x, y)) = at else { continue };
                    let Some(ground) = self.ground(srs, x, y) else { continue };
                    if old.is_none_or(|o| (o - ground).abs() > SAME_M) {
                        values.insert(field.to_string(), Value::Real(ground));
                    }
                }
                if !values.is_empty() {
                    changes.push(Change::Update {
                        layer: layer.into(),
                        uid,
                        values,
                        geometry: None,
                        expect: Row::new(),
                    });
                }
            }
        }
        if changes.is_empty() {
            return Ok(None);
        }
        self.apply(&Edit::checked(label, changes)).map(Some)
    }
}
