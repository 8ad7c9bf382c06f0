//! Shaded-relief raster tiles in Web Mercator from the elevation coverage:
//! the offline base map under everything.

use std::path::Path;

use super::grid::TileId;
use super::resample::{encode_png, PixelMap, PIXELS};
use super::source::TileSource;
use super::TileError;
use crate::crs::Transformer;
use crate::gpkg::{Coverage, GeoPackage, Grid};
use crate::terrain::{hillshade, Light};

pub struct HillshadeTiler {
    gpkg: GeoPackage,
    coverage: Coverage,
    to_dem: Transformer,
    light: Light,
    /// The elevation range the tint spans, when tinted.
    tint: Option<(f64, f64)>,
}

impl HillshadeTiler {
    /// The first elevation coverage of the file, `None` when it has none;
    /// `tint` colours the relief by elevation (see [`super::tint`]).
    pub fn open(path: &Path, light: Light, tint: bool) -> Result<Option<Self>, TileError> {
        let Some((gpkg, coverage, epsg)) = super::elevation::open_elevation(path)? else {
            return Ok(None);
        };
        let to_dem = Transformer::new(3857, epsg)?;
        let tint = if tint { elevation_range(&gpkg, &coverage)? } else { None };
        Ok(Some(HillshadeTiler {
            gpkg,
            coverage,
            to_dem,
            light,
            tint,
        }))
    }

    fn render(&self, id: TileId) -> Result<Option<Vec<u8>>, TileError> {
        let bounds = id.bounds();
        let area = self.to_dem.transform_envelope(&bounds)?;
        let set = &self.coverage.set;
        if area.max_x < set.min_x || area.min_x > set.max_x || area.max_y < set.min_y || area.min_y > set.max_y {
            return Ok(None);
        }
        let ground_pixel = area.width() / PIXELS as f64;
        let level = *self.coverage.level_for(ground_pixel.max(1e-9));
        let grid = self.coverage.read(&self.gpkg, &level, &area, 2)?;
        let shade = hillshade(&grid, &self.light);
        if shade.iter().all(|&v| v == 0) {
            return Ok(None);
        }
        let map = PixelMap::new(id, &self.to_dem)?;
        let Some((low, high)) = self.tint else {
            let mut pixels = vec![0u8; PIXELS * PIXELS * 2];
            for py in 0..PIXELS {
                for px in 0..PIXELS {
                    let (x, y) = map.at(px, py);
                    if let Some(v) = sample(&grid, &shade, x, y) {
                        pixels[(py * PIXELS + px) * 2] = v;
                        pixels[(py * PIXELS + px) * 2 + 1] = 255;
                    }
                }
            }
            return encode_png(&pixels, png::ColorType::GrayscaleAlpha).map(Some);
        };
        let span = (high - low).max(1e-9);
        let mut pixels = vec![0u8; PIXELS * PIXELS * 4];
        for py in 0..PIXELS {
            for px in 0..PIXELS {
                let (x, y) = map.at(px, py);
                let (Some(v), Some(z)) = (sample(&grid, &shade, x, y), grid.sample(x, y)) else {
                    continue;
                };
                // The tint at full strength where the sun shines flat, darker on slopes facing away.
                let light = 0.35 + 0.65 * f64::from(v) / 255.0;
                let c = super::tint::colour((z - low) / span);
                let o = (py * PIXELS + px) * 4;
                for i in 0..3 {
                    pixels[o + i] = (f64::from(c[i]) * light).round().min(255.0) as u8;
                }
                pixels[o + 3] = 255;
            }
        }
        encode_png(&pixels, png::ColorType::Rgba).map(Some)
    }

    /// The elevation range the tint spans, when tinted.
    pub fn tint_range(&self) -> Option<(f64, f64)> {
        self.tint
    }
}

/// The lowest and highest elevation of a coverage, from its coarsest level
/// (cheap, and what the tint needs: the colours of the whole municipality).
fn elevation_range(gpkg: &GeoPackage, coverage: &Coverage) -> Result<Option<(f64, f64)>, TileError> {
    let Some(level) = coverage.levels.first() else {
        return Ok(None);
    };
    let s = &coverage.set;
    let grid = coverage.read(
        gpkg,
        level,
        &crate::geom::Envelope::new(s.min_x, s.min_y, s.max_x, s.max_y),
        0,
    )?;
    let values = grid.values.iter().copied().filter(|v| v.is_finite());
    let (low, high) = values.fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    Ok((low <= high).then(|| (f64::from(low), f64::from(high))))
}

/// Bilinear shade at (x, y), from the cells that have a value.
fn sample(grid: &Grid, shade: &[u8], x: f64, y: f64) -> Option<u8> {
    let fx = (x - grid.origin_x) / grid.cell_x - 0.5;
    let fy = (grid.origin_y - y) / grid.cell_y - 0.5;
    if fx < 0.0 || fy < 0.0 || fx >= (grid.width - 1) as f64 || fy >= (grid.height - 1) as f64 {
        return None;
    }
    let (c, r) = (fx as usize, fy as usize);
    let (tx, ty) = (fx - c as f64, fy - r as f64);
    let mut sum = 0.0;
    let mut weight = 0.0;
    for (dc, dr, w) in [
        (0, 0, (1.0 - tx) * (1.0 - ty)),
        (1, 0, tx * (1.0 - ty)),
        (0, 1, (1.0 - tx) * ty),
        (1, 1, tx * ty),
    ] {
        let v = shade[(r + dr) * grid.width + c + dc];
        if v > 0 {
            sum += f64::from(v) * w;
            weight += w;
        }
    }
    (weight > 0.25).then(|| (sum / weight).round() as u8)
}

impl TileSource for HillshadeTiler {
    fn content_type(&self) -> &'static str {
        "image/png"
    }

    fn tile(&self, id: TileId) -> Result<Vec<u8>, TileError> {
        Ok(self.render(id)?.unwrap_or_default())
    }
}
