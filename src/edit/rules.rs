//! The checks of a user's change: every field against the data model, the
//! business keys against the other rows, the geometry against its layer and
//! the municipality. All problems are collected.

use rusqlite::{Connection, OptionalExtension};

use super::places::Places;
use crate::geom::{self_intersection, Coord, Geometry, GeometryType, Shape};
use crate::gpkg::{quote_ident, Value};
use crate::journal::{Row, UID};
use crate::model::{FieldProblem, LayerDef, SYSTEM_FIELDS};

pub fn problem(field: &str, th: String, en: String) -> FieldProblem {
    FieldProblem {
        field: field.to_string(),
        th,
        en,
    }
}

/// Problems of the values a change sets (`all` when inserting: fields it
/// leaves out are checked as empty).
pub fn check_values(
    conn: &Connection,
    layer: &LayerDef,
    geometry_column: Option<&str>,
    uid: &str,
    values: &Row,
    all: bool,
) -> rusqlite::Result<Vec<FieldProblem>> {
    let mut out = Vec::new();
    for name in values.keys() {
        let known = layer.field(name).is_some()
            || SYSTEM_FIELDS.iter().any(|f| f.0 == name)
            || Some(name.as_str()) == geometry_column;
        if !known {
            out.push(problem(
                name,
                format!("ไม่มีช่อง '{name}' ในชั้นข้อมูล {}", layer.th),
                format!("layer {} has no field '{name}'", layer.en),
            ));
        }
    }
    for f in &layer.fields {
        let value = match values.get(&f.name) {
            Some(v) => v,
            None if all => &Value::Null,
            None => continue,
        };
        out.extend(f.check(value));
        if f.unique && !value.is_null() && taken(conn, &layer.name, &f.name, value, uid)? {
            out.push(problem(
                &f.name,
                format!("{}: '{value}' มีอยู่แล้วในเทศบาล ใช้หมายเลขอื่น", f.th),
                format!(
                    "{}: '{value}' is already used in this municipality; choose another",
                    f.en
                ),
            ));
        }
    }
    for f in layer.fields.iter().filter(|f| f.references.is_some()) {
        if let (Some(r), Some(v)) = (&f.references, values.get(&f.name).filter(|v| !v.is_null())) {
            if !taken(conn, &r.layer, &r.field, v, "")? {
                out.push(problem(
                    &f.name,
                    format!("{}: ไม่มี '{v}' ในตาราง {}", f.th, r.layer),
                    format!("{}: '{v}' is not in {}", f.en, r.layer),
                ));
            }
        }
    }
    if let Some(parent) = &layer.parent {
        if let Some(Value::Text(p)) = values.get(&parent.field) {
            let exists: Option<i64> = conn
                .prepare_cached(&format!(
                    "SELECT 1 FROM {} WHERE {} = ?1",
                    quote_ident(&parent.layer),
                    quote_ident(UID)
                ))?
                .query_row([p], |r| r.get(0))
                .optional()?;
            if exists.is_none() {
                out.push(problem(
                    &parent.field,
                    format!("ไม่พบ {} ที่อ้างถึง ({p})", parent.layer),
                    format!("the {} it belongs to ({p}) does not exist", parent.layer),
                ));
            }
        }
    }
    Ok(out)
}

fn taken(conn: &Connection, layer: &str, field: &str, value: &Value, uid: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached(&format!(
        "SELECT EXISTS (SELECT 1 FROM {} WHERE {} = ?1 AND {} != ?2)",
        quote_ident(layer),
        quote_ident(field),
        quote_ident(UID)
    ))?
    .query_row(rusqlite::params![value, uid], |r| r.get(0))
}

/// Problems of a feature's new geometry.
pub fn check_geometry(layer: &LayerDef, geometry: Option<&Geometry>, places: &Places) -> Vec<FieldProblem> {
    let Some(expected) = layer.geometry_type() else {
        return Vec::new();
    };
    let Some(g) = geometry.filter(|g| !g.is_empty()) else {
        return vec![problem(
            "geom",
            "ยังไม่มีตำแหน่งบนแผนที่ คลิกบนแผนที่เพื่อวาง".into(),
            "has no location; click on the map to place it".into(),
        )];
    };
    let mut out = Vec::new();
    if !expected.accepts(g.geometry_type()) {
        out.push(problem(
            "geom",
            format!("ชั้น {} รับรูปร่าง {} ไม่ใช่ {}", layer.th, expected, g.geometry_type()),
            format!(
                "layer {} takes {} geometries, not {}",
                layer.en,
                expected,
                g.geometry_type()
            ),
        ));
        return out;
    }
    let mut finite = true;
    g.for_each_coord(&mut |c| finite &= c.x.is_finite() && c.y.is_finite());
    if !finite {
        out.push(problem(
            "geom",
            "พิกัดไม่ถูกต้อง".into(),
            "has coordinates that are not numbers".into(),
        ));
        return out;
    }
    match &g.shape {
        Shape::Point(c) if !places.inside_boundary(c.x, c.y) => out.push(problem(
            "geom",
            format!("ตำแหน่ง ({:.0}, {:.0}) อยู่นอกเขตเทศบาล วางภายในเขต", c.x, c.y),
            format!(
                "({:.0}, {:.0}) is outside the municipality; place it inside the boundary",
                c.x, c.y
            ),
        )),
        Shape::LineString(coords) => out.extend(check_line(coords)),
        Shape::MultiLineString(lines) => lines.iter().for_each(|l| out.extend(check_line(l))),
        _ => {}
    }
    if expected == GeometryType::LineString && out.is_empty() {
        if let Shape::LineString(coords) = &g.shape {
            if let Some(c) = coords.iter().find(|c| !places.inside_boundary(c.x, c.y)) {
                out.push(problem(
                    "geom",
                    format!("จุด ({:.0}, {:.0}) ของเส้นอยู่นอกเขตเทศบาล", c.x, c.y),
                    format!("vertex ({:.0}, {:.0}) is outside the municipality", c.x, c.y),
                ));
            }
        }
    }
    out
}

fn check_line(coords: &[Coord]) -> Vec<FieldProblem> {
    let mut distinct = coords.to_vec();
    distinct.dedup_by(|a, b| a.x == b.x && a.y == b.y);
    if distinct.len() < 2 {
        return vec![problem(
            "geom",
            "เส้นต้องมีอย่างน้อยสองจุดที่ต่างกัน".into(),
            "a line needs at least two different points".into(),
        )];
    }
    match self_intersection(coords) {
        Some((x, y)) => vec![problem(
            "geom",
            format!("เส้นตัดกันเองที่ ({x:.1}, {y:.1}) แก้จุดยอดให้เส้นไม่ทับตัวเอง"),
            format!("the line crosses itself at ({x:.1}, {y:.1}); move its vertices so it does not"),
        )],
        None => Vec::new(),
    }
}
