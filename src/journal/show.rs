/// A journal value as a person reads it: geometries as WKT (to the
/// centimetre), other BLOBs by size, NULL as empty.
///
/// ```
/// use tongtin::geom::{encode_blob, Geometry};
/// use tongtin::gpkg::Value;
/// use tongtin::journal::show_value;
/// let blob = encode_blob(&Geometry::point(712345.123, 1812345.5), 32648);
/// assert_eq!(show_value(&Value::Blob(blob)), "POINT (712345.12 1812345.5)");
/// assert_eq!(show_value(&Value::Null), "");
/// ```
pub fn show_value(value: &crate::gpkg::Value) -> String {
    use crate::gpkg::Value;
    match value {
        Value::Null => String::new(),
        Value::Blob(b) => match crate::geom::decode_blob(b) {
            Ok(g) => crate::geom::to_wkt(&g.geometry, 2),
            Err(_) => format!("<{} bytes>", b.len()),
        },
        other => other.to_string(),
    }
}
