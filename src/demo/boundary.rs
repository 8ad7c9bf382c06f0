//! The real boundary the demo municipality is built in.

use crate::crs::{CrsError, Transformer};
use crate::geom::{Coord, Dimension, Envelope, Geometry, Shape};

/// Tambon Non Sa-At (TH390406), OCHA COD-AB, CC BY-IGO: see data/boundary/README.md.
const NON_SA_AT: &str = include_str!("../../data/boundary/TH390406.geojson");

pub struct Boundary {
    pub name_th: String,
    pub name_en: String,
    pub pcode: String,
    /// Rings of the polygons in the municipality's CRS.
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
    pub envelope: Envelope,
}

impl Boundary {
    /// Reads the embedded boundary and reprojects it with PROJ.
    pub fn non_sa_at(srs_id: i32) -> Result<Boundary, CrsError> {
        let doc: serde_json::Value = serde_json::from_str(NON_SA_AT).expect("the embedded boundary is valid GeoJSON");
        let feature = &doc["features"][0];
        let props = &feature["properties"];
        let to_utm = Transformer::new(4326, srs_id)?;
        let mut polygons = Vec::new();
        for polygon in feature["geometry"]["coordinates"].as_array().into_iter().flatten() {
            let mut rings = Vec::new();
            for ring in polygon.as_array().into_iter().flatten() {
                let mut out = Vec::new();
                for p in ring.as_array().into_iter().flatten() {
                    let (lon, lat) = (p[0].as_f64().unwrap_or_default(), p[1].as_f64().unwrap_or_default());
                    out.push(to_utm.convert(lon, lat)?);
                }
                rings.push(out);
            }
            polygons.push(rings);
        }
        let mut envelope: Option<Envelope> = None;
        for &(x, y) in polygons.iter().flatten().flatten() {
            envelope.get_or_insert(Envelope::from_xy(x, y)).expand_xy(x, y);
        }
        let text = |k: &str| props[k].as_str().unwrap_or_default().to_string();
        Ok(Boundary {
            name_th: text("adm3_th"),
            name_en: text("adm3_en"),
            pcode: text("adm3_pcode"),
            polygons,
            envelope: envelope.expect("the boundary has coordinates"),
        })
    }

    /// Even-odd point-in-polygon over every ring.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        self.polygons.iter().any(|rings| {
            let mut inside = false;
            for ring in rings {
                let n = ring.len();
                for i in 0..n {
                    let (x1, y1) = ring[i];
                    let (x2, y2) = ring[(i + 1) % n];
                    if (y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1) {
                        inside = !inside;
                    }
                }
            }
            inside
        })
    }

    /// The boundary shifted by (dx, dy), as a MultiPolygon.
    pub fn geometry(&self, dx: f64, dy: f64) -> Geometry {
        let polys = self
            .polygons
            .iter()
            .map(|rings| {
                rings
                    .iter()
                    .map(|r| r.iter().map(|&(x, y)| Coord::xy(x + dx, y + dy)).collect())
                    .collect()
            })
            .collect();
        Geometry {
            dim: Dimension::Xy,
            shape: Shape::MultiPolygon(polys),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_sa_at_lies_in_utm_48n() {
        let b = Boundary::non_sa_at(32648).unwrap();
        assert_eq!(b.pcode, "TH390406");
        assert_eq!(b.name_th, "โนนสะอาด");
        // About 20 km by 14 km, east of 102°E.
        assert!(b.envelope.width() > 15_000.0 && b.envelope.width() < 25_000.0);
        assert!(b.envelope.min_x > 160_000.0 && b.envelope.max_x < 230_000.0);
        let cx = (b.envelope.min_x + b.envelope.max_x) / 2.0;
        let cy = (b.envelope.min_y + b.envelope.max_y) / 2.0;
        assert!(b.contains(cx, cy));
        assert!(!b.contains(b.envelope.min_x - 1.0, cy));
    }
}
