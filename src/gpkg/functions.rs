//! The SQL functions that GeoPackage R-tree and geometry-type triggers call.
//! Without them a write to a spatially indexed table fails inside SQLite.

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::ValueRef;
use rusqlite::Connection;

use crate::geom::{decode_blob, read_header, Envelope, GeometryType};

pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    let bound =
        |f: fn(&Envelope) -> f64| move |ctx: &Context<'_>| Ok(blob_arg(ctx).and_then(envelope_of).map(|e| f(&e)));
    conn.create_scalar_function("ST_MinX", 1, flags, bound(|e| e.min_x))?;
    conn.create_scalar_function("ST_MaxX", 1, flags, bound(|e| e.max_x))?;
    conn.create_scalar_function("ST_MinY", 1, flags, bound(|e| e.min_y))?;
    conn.create_scalar_function("ST_MaxY", 1, flags, bound(|e| e.max_y))?;
    conn.create_scalar_function("ST_IsEmpty", 1, flags, |ctx| {
        Ok(blob_arg(ctx).map(|b| match read_header(b) {
            Ok(h) if h.empty => 1,
            Ok(_) => i32::from(envelope_of(b).is_none()),
            Err(_) => 1,
        }))
    })?;
    conn.create_scalar_function("ST_SRID", 1, flags, |ctx| {
        Ok(blob_arg(ctx).and_then(|b| read_header(b).ok()).map(|h| h.srs_id))
    })?;
    conn.create_scalar_function("ST_GeometryType", 1, flags, |ctx| {
        Ok(blob_arg(ctx)
            .and_then(|b| decode_blob(b).ok())
            .map(|g| g.stored_type.name().to_string()))
    })?;
    conn.create_scalar_function("GPKG_IsAssignable", 2, flags, |ctx| {
        let declared: String = ctx.get(0)?;
        let actual: String = ctx.get(1)?;
        Ok(
            match (GeometryType::from_name(&declared), GeometryType::from_name(&actual)) {
                (Some(d), Some(a)) => i32::from(d.accepts(a)),
                _ => 0,
            },
        )
    })
}

fn blob_arg<'a>(ctx: &'a Context<'_>) -> Option<&'a [u8]> {
    match ctx.get_raw(0) {
        ValueRef::Blob(b) => Some(b),
        _ => None,
    }
}

/// The header's envelope when it has one, else the decoded geometry's (points).
fn envelope_of(blob: &[u8]) -> Option<Envelope> {
    let header = read_header(blob).ok()?;
    if header.empty {
        return None;
    }
    header.envelope.or_else(|| decode_blob(blob).ok()?.geometry.envelope())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::{encode_blob, Geometry};

    #[test]
    fn functions_answer_like_spatialite() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        let blob = encode_blob(&Geometry::line_string([(1.0, 2.0), (3.0, -4.0)]), 32648);
        let row: (f64, f64, f64, f64, i32, i32, String) = conn
            .query_row(
                "SELECT ST_MinX(?1), ST_MaxX(?1), ST_MinY(?1), ST_MaxY(?1), ST_IsEmpty(?1), ST_SRID(?1), ST_GeometryType(?1)",
                [&blob],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
            )
            .unwrap();
        assert_eq!(row, (1.0, 3.0, -4.0, 2.0, 0, 32648, "LINESTRING".to_string()));
        let point = encode_blob(&Geometry::point(5.0, 6.0), 32648);
        let x: f64 = conn.query_row("SELECT ST_MaxX(?1)", [&point], |r| r.get(0)).unwrap();
        assert_eq!(x, 5.0);
        let null: Option<f64> = conn.query_row("SELECT ST_MinX(NULL)", [], |r| r.get(0)).unwrap();
        assert_eq!(null, None);
        let ok: i32 = conn
            .query_row("SELECT GPKG_IsAssignable('GEOMETRY', 'POINT')", [], |r| r.get(0))
            .unwrap();
        assert_eq!(ok, 1);
    }
}
