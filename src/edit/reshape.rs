//! Splitting a road or drain in two at a point, and merging two that meet
//! into one: each is one edit (one undo step), the attributes carried over.

use super::change::{Applied, Change, Edit};
use super::editor::Editor;
use super::{rows, EditError};
use crate::geom::{decode_blob, merge_lines, planar_length, split_line, Coord, Dimension, Geometry, Shape};
use crate::gpkg::Value;
use crate::journal::Row;
use crate::model::{schema, FieldProblem};

/// A chainage field's value in kilometres, when it has one.
fn km(values: &Row, field: &str) -> Option<f64> {
    values.get(field).and_then(Value::as_f64)
}

/// Fields worked out from the geometry again rather than copied.
const DERIVED: [&str; 1] = ["length_m"];

fn refused(th: String, en: String) -> EditError {
    EditError::Invalid(vec![FieldProblem {
        field: "geom".into(),
        th,
        en,
    }])
}

impl Editor {
    /// The line of a feature, its attribute values (without system and
    /// derived fields) for a copy.
    fn line_of(&self, layer: &str, uid: &str) -> Result<(Vec<Coord>, Row), EditError> {
        let def = schema()
            .layer(layer)
            .ok_or_else(|| EditError::UnknownLayer(layer.into()))?;
        let (_, row) = rows::read(self.gpkg().connection(), layer, uid)?.ok_or_else(|| EditError::NotFound {
            layer: layer.into(),
            uid: uid.into(),
        })?;
        let line = row
            .values()
            .find_map(|v| match v {
                Value::Blob(b) => decode_blob(b).ok().map(|g| g.geometry),
                _ => None,
            })
            .and_then(|g| match g.shape {
                Shape::LineString(cs) => Some(cs),
                _ => None,
            })
            .ok_or_else(|| {
                refused(
                    "ไม่ใช่เส้น แบ่งหรือรวมได้เฉพาะเส้น".into(),
                    "only lines can be split or merged".into(),
                )
            })?;
        let values = def
            .fields
            .iter()
            .filter(|f| !DERIVED.contains(&f.name.as_str()))
            .filter_map(|f| row.get(&f.name).map(|v| (f.name.clone(), v.clone())))
            .filter(|(_, v)| !v.is_null())
            .collect();
        Ok((line, values))
    }

    /// Splits a line feature at the point of it nearest (x, y) (in the
    /// layer's CRS, within `tolerance`): the feature keeps the first part, a
    /// new feature with the same attributes gets the second. `label` names
    /// the step for undo.
    pub fn split(
        &mut self,
        label: &str,
        layer: &str,
        uid: &str,
        (x, y): (f64, f64),
        tolerance: f64,
    ) -> Result<Applied, EditError> {
        let (line, values) = self.line_of(layer, uid)?;
        let (first, second) = split_line(&line, x, y, tolerance).map_err(|e| {
            refused(
                "จุดที่เลือกอยู่ห่างจากเส้นหรืออยู่ที่ปลายเส้น คลิกบนเส้นระหว่างปลายทั้งสอง".into(),
                format!("cannot split there ({e}); click on the line between its ends"),
            )
        })?;
        let line = |cs: Vec<Coord>| Geometry {
            dim: Dimension::Xy,
            shape: Shape::LineString(cs),
        };
        let (first, second) = (line(first), line(second));
        let (mut kept, mut values) = (Row::new(), values);
        if let (Some(start), Some(end)) = (km(&values, "start_km"), km(&values, "end_km")) {
            // The register's chainage is shared out by length.
            let share = planar_length(&first) / (planar_length(&first) + planar_length(&second));
            let at = Value::Real(((start + share * (end - start)) * 1000.0).round() / 1000.0);
            kept.insert("end_km".into(), at.clone());
            values.insert("start_km".into(), at);
        }
        self.apply(&Edit::checked(
            label,
            vec![
                Change::Update {
                    layer: layer.into(),
                    uid: uid.into(),
                    values: kept,
                    geometry: Some(first),
                    expect: Row::new(),
                },
                Change::Insert {
                    layer: layer.into(),
                    uid: None,
                    values,
                    geometry: Some(second),
                },
            ],
        ))
    }

    /// Joins `other` onto `keep` where their ends meet (within `tolerance`):
    /// `keep` takes the joined line and keeps its attributes; `other` is deleted.
    pub fn merge(
        &mut self,
        label: &str,
        layer: &str,
        keep: &str,
        other: &str,
        tolerance: f64,
    ) -> Result<Applied, EditError> {
        let (a, kept) = self.line_of(layer, keep)?;
        let (b, gone) = self.line_of(layer, other)?;
        let mut chainage = Row::new();
        let both = |f: &str| km(&kept, f).zip(km(&gone, f));
        if let (Some((s1, s2)), Some((e1, e2))) = (both("start_km"), both("end_km")) {
            chainage.insert("start_km".into(), Value::Real(s1.min(s2)));
            chainage.insert("end_km".into(), Value::Real(e1.max(e2)));
        }
        let joined = merge_lines(&a, &b, tolerance).map_err(|e| {
            refused(
                "เส้นทั้งสองไม่ได้ต่อกันที่ปลาย รวมได้เฉพาะเส้นที่ปลายชนกัน".into(),
                format!("the lines do not meet at an end ({e}); only lines that share an end can be merged"),
            )
        })?;
        self.apply(&Edit::checked(
            label,
            vec![
                Change::Delete {
                    layer: layer.into(),
                    uid: other.into(),
                },
                Change::Update {
                    layer: layer.into(),
                    uid: keep.into(),
                    values: chainage,
                    geometry: Some(Geometry {
                        dim: Dimension::Xy,
                        shape: Shape::LineString(joined),
                    }),
                    expect: Row::new(),
                },
            ],
        ))
    }
}
