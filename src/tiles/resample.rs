//! Raster tiles in Web Mercator from rasters stored in another CRS: where
//! each output pixel falls, and PNG encoding.

use super::grid::{tile_size, TileId};
use super::TileError;
use crate::crs::Transformer;

/// Pixels along each side of a raster tile.
pub const PIXELS: usize = 256;
/// Control points per side, minus one: output pixels between them are
/// interpolated, as GDAL's approximate transformer does.
const CONTROL: usize = 16;

/// The position of every output pixel of one tile in the source CRS.
pub struct PixelMap {
    control: Vec<(f64, f64)>,
}

impl PixelMap {
    /// Transforms the control points of tile `id` with `to_source` (from EPSG:3857).
    pub fn new(id: TileId, to_source: &Transformer) -> Result<Self, TileError> {
        let bounds = id.bounds();
        let step = tile_size(id.z) / PIXELS as f64;
        let mut control = Vec::with_capacity((CONTROL + 1) * (CONTROL + 1));
        for r in 0..=CONTROL {
            for c in 0..=CONTROL {
                let x = bounds.min_x + (c * PIXELS / CONTROL) as f64 * step;
                let y = bounds.max_y - (r * PIXELS / CONTROL) as f64 * step;
                control.push(to_source.convert(x, y)?);
            }
        }
        Ok(PixelMap { control })
    }

    /// The source coordinates of the centre of pixel (`px`, `py`).
    pub fn at(&self, px: usize, py: usize) -> (f64, f64) {
        let cell = PIXELS as f64 / CONTROL as f64;
        let (fx, fy) = ((px as f64 + 0.5) / cell, (py as f64 + 0.5) / cell);
        let (c, r) = ((fx as usize).min(CONTROL - 1), (fy as usize).min(CONTROL - 1));
        let (tx, ty) = (fx - c as f64, fy - r as f64);
        let p = |c: usize, r: usize| self.control[r * (CONTROL + 1) + c];
        let lerp = |a: (f64, f64), b: (f64, f64), t: f64| (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
        lerp(
            lerp(p(c, r), p(c + 1, r), tx),
            lerp(p(c, r + 1), p(c + 1, r + 1), tx),
            ty,
        )
    }
}

/// Encodes a `PIXELS` × `PIXELS` image of 8-bit samples in `colour`.
pub fn encode_png(samples: &[u8], colour: png::ColorType) -> Result<Vec<u8>, TileError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, PIXELS as u32, PIXELS as u32);
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let err = |e: png::EncodingError| TileError::BadRequest(format!("encoding a raster tile: {e}"));
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(samples).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_centres_follow_the_transformation() {
        let id = TileId::new(15, 25_700, 14_900).unwrap();
        let t = Transformer::new(3857, 32648).unwrap();
        let map = PixelMap::new(id, &t).unwrap();
        let b = id.bounds();
        let step = tile_size(id.z) / PIXELS as f64;
        for (px, py) in [(0, 0), (100, 37), (255, 255)] {
            let exact = t
                .convert(b.min_x + (px as f64 + 0.5) * step, b.max_y - (py as f64 + 0.5) * step)
                .unwrap();
            let approx = map.at(px, py);
            assert!(
                (exact.0 - approx.0).abs() < 0.01 && (exact.1 - approx.1).abs() < 0.01,
                "{exact:?} {approx:?}"
            );
        }
    }
}
