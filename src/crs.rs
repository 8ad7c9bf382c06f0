//! Coordinate transformations with PROJ (the system library).

use proj::Proj;
use thiserror::Error;

use crate::geom::{Envelope, Geometry};

#[derive(Debug, Error)]
pub enum CrsError {
    /// PROJ has no operation between the two systems (unknown code, missing proj.db).
    #[error("cannot transform from EPSG:{from} to EPSG:{to}: {detail}")]
    NoTransformation { from: i32, to: i32, detail: String },
    /// A coordinate PROJ could not transform (outside the projection's domain).
    #[error("coordinate ({x}, {y}) cannot be transformed from EPSG:{from} to EPSG:{to}")]
    OutOfDomain { from: i32, to: i32, x: f64, y: f64 },
}

/// A transformation between two EPSG systems, in traditional GIS axis order
/// (longitude/easting first).
pub struct Transformer {
    proj: Proj,
    from: i32,
    to: i32,
}

impl Transformer {
    pub fn new(from: i32, to: i32) -> Result<Self, CrsError> {
        let proj = Proj::new_known_crs(&format!("EPSG:{from}"), &format!("EPSG:{to}"), None).map_err(|e| {
            CrsError::NoTransformation {
                from,
                to,
                detail: e.to_string(),
            }
        })?;
        Ok(Transformer { proj, from, to })
    }

    pub fn convert(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        match self.proj.convert((x, y)) {
            Ok((tx, ty)) if tx.is_finite() && ty.is_finite() => Ok((tx, ty)),
            _ => Err(CrsError::OutOfDomain {
                from: self.from,
                to: self.to,
                x,
                y,
            }),
        }
    }

    /// The box around a transformed box, sampled along its edges (a
    /// projection bends straight edges).
    pub fn transform_envelope(&self, e: &Envelope) -> Result<Envelope, CrsError> {
        const STEPS: usize = 8;
        let mut out: Option<Envelope> = None;
        for i in 0..=STEPS {
            let f = i as f64 / STEPS as f64;
            for (x, y) in [
                (e.min_x + f * e.width(), e.min_y),
                (e.min_x + f * e.width(), e.max_y),
                (e.min_x, e.min_y + f * e.height()),
                (e.max_x, e.min_y + f * e.height()),
            ] {
                let (tx, ty) = self.convert(x, y)?;
                match out.as_mut() {
                    Some(o) => o.expand_xy(tx, ty),
                    None => out = Some(Envelope::from_xy(tx, ty)),
                }
            }
        }
        Ok(out.expect("a box has corners"))
    }

    /// Transforms every coordinate of `geometry` in place.
    pub fn transform(&self, geometry: &mut Geometry) -> Result<(), CrsError> {
        let mut failure = None;
        geometry.map_coords(&mut |c| {
            if failure.is_some() || c.is_empty() {
                return;
            }
            match self.convert(c.x, c.y) {
                Ok((x, y)) => {
                    c.x = x;
                    c.y = y;
                }
                Err(e) => failure = Some(e),
            }
        });
        failure.map_or(Ok(()), Err)
    }
}

/// The UTM zone (47 or 48 in Thailand) whose central meridian is nearest `lon`.
///
/// ```
/// assert_eq!(tongtin::crs::utm_epsg_for(102.1, 16.9), 32648);
/// assert_eq!(tongtin::crs::utm_epsg_for(100.5, 13.75), 32647);
/// ```
pub fn utm_epsg_for(lon: f64, lat: f64) -> i32 {
    let zone = (((lon + 180.0) / 6.0).floor() as i32).clamp(0, 59) + 1;
    if lat >= 0.0 {
        32600 + zone
    } else {
        32700 + zone
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wgs84_to_utm48_matches_gdal() {
        // gdaltransform -s_srs EPSG:4326 -t_srs EPSG:32648 <<< "102.1 16.95"
        // → 191122.662057823 1876304.09658049 (GDAL 3.6.2 / PROJ 9.1.1)
        let t = Transformer::new(4326, 32648).unwrap();
        let (x, y) = t.convert(102.1, 16.95).unwrap();
        assert!((x - 191_122.662_057_823).abs() < 1e-6, "{x}");
        assert!((y - 1_876_304.096_580_49).abs() < 1e-6, "{y}");
    }

    #[test]
    fn unknown_codes_are_errors() {
        assert!(matches!(
            Transformer::new(4326, 999_999),
            Err(CrsError::NoTransformation { .. })
        ));
    }
}
