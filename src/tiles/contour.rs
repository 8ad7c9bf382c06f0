//! Contour lines as Mapbox Vector Tiles from the elevation coverage: one layer
//! `contours`, each line with its elevation (`elev`) and whether it is an
//! index contour to label (`index`: 1 on every fifth line of the requested
//! interval, counted from elevation 0, else 0; the same lines at every zoom).
//!
//! Each tile contours the coverage level whose cells suit the zoom (as the
//! shaded relief does) in a window one cell wider than the tile and its
//! buffer, so that lines meet across tile edges; the lines are reprojected to
//! Web Mercator, clipped, simplified below [`FULL_DETAIL_ZOOM`] and encoded.
//!
//! At low zooms the requested interval would draw a solid smear, so a tile
//! uses the interval times the smallest power of 5 that keeps lines
//! [`MIN_SPACING_PIXELS`] apart on a slope of [`REFERENCE_SLOPE`] (see
//! [`interval_at`]): the lines kept are then exactly the index contours of the
//! next finer step, so the labelled lines stay put while zooming out (and at
//! five times the interval or more, every line drawn is an index contour).

use std::path::Path;

use super::clip::{clip_line, Rect, P};
use super::grid::{tile_size, TileId};
use super::mvt::{LayerBuilder, PropValue, TileGeometry, EXTENT};
use super::simplify::simplify;
use super::source::TileSource;
use super::vector::{buffered_bounds, BUFFER, FULL_DETAIL_ZOOM};
use super::TileError;
use crate::crs::Transformer;
use crate::gpkg::{Coverage, GeoPackage};
use crate::terrain::contours;

/// The name of the tiles' one layer.
pub const LAYER: &str = "contours";
/// Every this many lines of the requested interval (counted from elevation 0)
/// is an index contour.
pub const INDEX_EVERY: i64 = 5;
/// Contour lines are kept at least this many screen pixels apart on …
pub const MIN_SPACING_PIXELS: f64 = 4.0;
/// … a slope this steep (1 in 10, hilly ground in Thailand's municipalities).
pub const REFERENCE_SLOPE: f64 = 0.1;
/// Screen pixels along a tile's side.
const TILE_PIXELS: f64 = 256.0;
/// Douglas–Peucker tolerance below full detail, in tile units (as vector tiles).
const TOLERANCE: f64 = 4.0;
const WEB_MERCATOR: i32 = 3857;

/// The interval drawn at zoom `z` for a requested `interval` (metres):
/// `interval × 5ⁿ` with the smallest n ≥ 0 that spaces lines at least
/// [`MIN_SPACING_PIXELS`] apart on a [`REFERENCE_SLOPE`] slope, pixels measured
/// in Web Mercator metres.
///
/// ```
/// use tongtin::tiles::contour::interval_at;
/// assert_eq!(interval_at(10.0, 16), 10.0);
/// assert_eq!(interval_at(10.0, 13), 10.0);
/// assert_eq!(interval_at(10.0, 12), 50.0);
/// assert_eq!(interval_at(10.0, 10), 250.0);
/// assert_eq!(interval_at(1.0, 15), 5.0);
/// ```
pub fn interval_at(interval: f64, z: u8) -> f64 {
    let needed = REFERENCE_SLOPE * MIN_SPACING_PIXELS * tile_size(z) / TILE_PIXELS;
    let mut step = interval;
    // Bounded: z 0 needs about 63 km, which 5¹⁰ decimetres already exceed.
    for _ in 0..32 {
        if step >= needed {
            break;
        }
        step *= 5.0;
    }
    step
}

/// One contour in a tile: its level and its parts, in tile units.
type TileLine = (f64, Vec<Vec<(i32, i32)>>);

/// Makes contour tiles at one interval from the first elevation coverage of a
/// GeoPackage. Holds PROJ objects: one per thread.
pub struct ContourTiler {
    gpkg: GeoPackage,
    coverage: Coverage,
    to_dem: Transformer,
    to_mercator: Transformer,
    interval: f64,
}

impl ContourTiler {
    /// A tiler for lines every `interval` metres (elevation units); `None`
    /// when the file has no elevation coverage.
    pub fn open(path: &Path, interval: f64) -> Result<Option<Self>, TileError> {
        if !(interval.is_finite() && interval > 0.0) {
            return Err(TileError::BadRequest(format!(
                "the contour interval must be a positive number of metres, not {interval}"
            )));
        }
        let Some((gpkg, coverage, epsg)) = super::elevation::open_elevation(path)? else {
            return Ok(None);
        };
        Ok(Some(ContourTiler {
            to_dem: Transformer::new(WEB_MERCATOR, epsg)?,
            to_mercator: Transformer::new(epsg, WEB_MERCATOR)?,
            gpkg,
            coverage,
            interval,
        }))
    }

    /// Whether a line at `level` is an index contour: a multiple of
    /// [`INDEX_EVERY`] intervals.
    fn is_index(&self, level: f64) -> bool {
        let k = level / (self.interval * INDEX_EVERY as f64);
        (k - k.round()).abs() < 1e-9
    }

    /// The tile's lines in tile units (clipped, simplified, rounded) with
    /// their elevations, from the lowest level; empty outside the coverage.
    fn lines(&self, id: TileId) -> Result<Vec<TileLine>, TileError> {
        let bounds = id.bounds();
        let scale = f64::from(EXTENT) / tile_size(id.z);
        let window = buffered_bounds(id);
        let area = self.to_dem.transform_envelope(&window)?;
        let set = &self.coverage.set;
        if area.max_x < set.min_x || area.min_x > set.max_x || area.max_y < set.min_y || area.min_y > set.max_y {
            return Ok(Vec::new());
        }
        let ground_pixel = area.width() / window.width() * tile_size(id.z) / TILE_PIXELS;
        let level = *self.coverage.level_for(ground_pixel.max(1e-9));
        let grid = self.coverage.read(&self.gpkg, &level, &area, 1)?;
        let lines =
            contours(&grid, interval_at(self.interval, id.z), 0.0).map_err(|e| TileError::BadRequest(e.to_string()))?;
        let clip = Rect {
            min_x: -BUFFER,
            min_y: -BUFFER,
            max_x: f64::from(EXTENT) + BUFFER,
            max_y: f64::from(EXTENT) + BUFFER,
        };
        let tolerance = if id.z >= FULL_DETAIL_ZOOM { 0.0 } else { TOLERANCE };
        let mut out = Vec::with_capacity(lines.len());
        for contour in lines {
            let mut line: Vec<P> = Vec::with_capacity(contour.line.len());
            for &(x, y) in &contour.line {
                let (mx, my) = self.to_mercator.convert(x, y)?;
                line.push(((mx - bounds.min_x) * scale, (bounds.max_y - my) * scale));
            }
            let parts: Vec<Vec<(i32, i32)>> = clip_line(&line, &clip)
                .into_iter()
                .map(|part| round(&simplify(&part, tolerance)))
                .filter(|part| part.len() >= 2)
                .collect();
            if !parts.is_empty() {
                out.push((contour.level, parts));
            }
        }
        Ok(out)
    }
}

/// Points rounded to tile units, repeated points dropped.
fn round(line: &[P]) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::with_capacity(line.len());
    for p in line {
        let q = (p.0.round() as i32, p.1.round() as i32);
        if out.last() != Some(&q) {
            out.push(q);
        }
    }
    out
}

/// `elev` as an integer when the level is a whole number, else a double.
fn elevation(level: f64) -> PropValue {
    if level.fract() == 0.0 && level.abs() < 1e15 {
        PropValue::Int(level as i64)
    } else {
        PropValue::Double(level)
    }
}

impl TileSource for ContourTiler {
    fn content_type(&self) -> &'static str {
        "application/vnd.mapbox-vector-tile"
    }

    fn tile(&self, id: TileId) -> Result<Vec<u8>, TileError> {
        let lines = self.lines(id)?;
        if lines.is_empty() {
            return Ok(Vec::new());
        }
        let mut layer = LayerBuilder::new(LAYER);
        for (n, (level, parts)) in lines.into_iter().enumerate() {
            let index = PropValue::Int(i64::from(self.is_index(level)));
            layer.add(
                n as u64 + 1,
                &TileGeometry::Lines(parts),
                &[("elev", elevation(level)), ("index", index)],
            );
        }
        let mut out = Vec::new();
        layer.write_to(&mut out);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoOptions};
    use crate::geom::Envelope;
    use crate::progress::Silent;

    #[test]
    fn a_tile_over_the_demo_has_lines_at_multiples_of_the_interval() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("demo.gpkg");
        generate(&path, &DemoOptions::default(), false, &Silent).unwrap();
        let tiler = ContourTiler::open(&path, 10.0).unwrap().expect("the demo has terrain");
        let g = GeoPackage::open(&path).unwrap();
        let extent = g.layer("terrain").unwrap().extent.unwrap();
        let centre = Transformer::new(32648, WEB_MERCATOR)
            .unwrap()
            .convert(0.5 * (extent.min_x + extent.max_x), 0.5 * (extent.min_y + extent.max_y))
            .unwrap();
        let mut seen = 0;
        for z in [11, 13, 15] {
            let id = TileId::covering(&Envelope::from_xy(centre.0, centre.1), z)
                .next()
                .unwrap();
            let lines = tiler.lines(id).unwrap();
            assert!(!lines.is_empty(), "z{z}: the demo's terrain has lines");
            let step = interval_at(10.0, z);
            for (level, parts) in &lines {
                assert_eq!(level % step, 0.0, "z{z}: {level}");
                for part in parts {
                    assert!(part
                        .iter()
                        .all(|p| p.0 >= -65 && p.0 <= 4161 && p.1 >= -65 && p.1 <= 4161));
                }
            }
            seen += lines.len();
            let bytes = tiler.tile(id).unwrap();
            assert_eq!(bytes[0], 0x1A, "an MVT layer");
            assert!(bytes.windows(LAYER.len()).any(|w| w == LAYER.as_bytes()));
        }
        assert!(seen > 3);
        let far = TileId::new(16, 0, 0).unwrap();
        assert!(tiler.tile(far).unwrap().is_empty(), "no lines outside the coverage");
        assert!(ContourTiler::open(&path, 0.0).is_err());
        let index: Vec<bool> = [150.0, 190.0, 200.0, 250.0].map(|l| tiler.is_index(l)).into();
        assert_eq!(index, [true, false, true, true]);
        assert_eq!(elevation(190.0), PropValue::Int(190));
        assert_eq!(elevation(192.5), PropValue::Double(192.5));
    }
}
