//! Values the editor fills in so that staff do not type them: identity,
//! who and when, and what the map already knows (village, elevation, length).

use super::places::Places;
use crate::geom::{planar_length, Geometry, Shape};
use crate::gpkg::{GeoPackage, Value};
use crate::journal::{Actor, Row, UID};
use crate::model::LayerDef;

/// Who and when, on every checked insert and update.
pub fn stamp(values: &mut Row, actor: &Actor, inserting: bool) {
    let now = Value::Text(crate::gpkg::timestamp_now());
    let who = Value::Text(actor.user.clone());
    if inserting {
        values.insert("created_at".into(), now.clone());
        values.insert("created_by".into(), who.clone());
    }
    values.insert("updated_at".into(), now);
    values.insert("updated_by".into(), who);
}

/// A new uid unless the caller chose one.
pub fn uid(values: &mut Row, chosen: Option<&str>) -> String {
    let uid = chosen.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_string);
    values.insert(UID.into(), Value::Text(uid.clone()));
    uid
}

/// Values derived from a new or moved geometry, for the fields the layer
/// has and the user did not fill in themselves.
pub fn from_geometry(
    values: &mut Row,
    layer: &LayerDef,
    geometry: &Geometry,
    srs_id: i32,
    given: &Row,
    places: &Places,
    gpkg: &GeoPackage,
) {
    let mut set = |field: &str, value: Option<Value>| {
        if layer.field(field).is_some() && !given.contains_key(field) {
            if let Some(v) = value {
                values.insert(field.into(), v);
            }
        }
    };
    let anchor = match &geometry.shape {
        Shape::Point(c) => Some((c.x, c.y)),
        Shape::LineString(cs) => cs.get(cs.len() / 2).map(|c| (c.x, c.y)),
        _ => None,
    };
    if let Some((x, y)) = anchor {
        set("village_no", places.village_at(x, y).map(Value::Integer));
        if matches!(geometry.shape, Shape::Point(_)) {
            set("elevation_m", places.elevation_at(gpkg, srs_id, x, y).map(Value::Real));
        }
    }
    if matches!(geometry.shape, Shape::LineString(_) | Shape::MultiLineString(_)) {
        set(
            "length_m",
            Some(Value::Real((planar_length(geometry) * 100.0).round() / 100.0)),
        );
    }
    if let Shape::LineString(cs) = &geometry.shape {
        let at = |c: Option<&crate::geom::Coord>| c.and_then(|c| places.elevation_at(gpkg, srs_id, c.x, c.y));
        set("start_elevation_m", at(cs.first()).map(Value::Real));
        set("end_elevation_m", at(cs.last()).map(Value::Real));
    }
}
