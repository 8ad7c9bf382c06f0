//! The `terrain` coverage: an elevation grid written as an OGC 2D gridded
//! coverage pyramid, from one tile at zoom 0 down to the grid's own cells.
//!
//! Tiles are 16-bit greyscale PNG with a per-tile scale and offset (GDAL's
//! `TILE_FORMAT=PNG`), not float TIFF (`TILE_FORMAT=TIFF`): both are what GDAL
//! and QGIS read, and Tongtin reads both, but on a 2000 × 2000 DEM the PNG
//! pyramid is about 20 times smaller (0.7 MB against 16 MB, see PLATFORM.md),
//! and a GeoPackage travels by e-mail and USB stick. Each tile stores
//! `(value − min) / step` with `step = (max − min) / 65534` of that tile (65535
//! marks no data), so a value is off by at most half a step: a step is at most
//! 1 cm wherever a tile's relief is under 655 m (every tile of the demo: the
//! largest step there is 2.4 mm). No 16-bit encoding holds ±3000 m in 1 cm
//! steps (6000 m / 65535 = 9.2 cm); a tile spanning such relief gets the
//! finest step its own relief allows, which [`Stored::max_step`] reports.

use crate::gpkg::{Batch, CoverageDef, GpkgError, Grid, TileMatrix, TileMatrixSet};
use crate::progress::Progress;

/// The coverage that holds the municipality's ground elevation.
pub const TERRAIN: &str = "terrain";
/// Cells along each side of a tile.
const TILE: usize = 256;

/// What [`write_terrain`] stored.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stored {
    /// Zoom levels, the finest holding the grid's own cells.
    pub levels: usize,
    /// Tiles written (tiles without data are left out, as GDAL does).
    pub tiles: u64,
    /// The largest quantisation step of a tile at the finest level, in metres:
    /// stored elevations are within half of it of the grid's.
    pub max_step: f64,
}

/// Writes `grid` (square or rectangular cells, `NaN` for no data) as the
/// [`TERRAIN`] coverage in CRS `srs_id`, with overview levels that average 2 × 2
/// cells, titled `th` and described `en`. The table must not exist yet.
pub fn write_terrain(
    b: &Batch<'_>,
    grid: &Grid,
    srs_id: i32,
    th: &str,
    en: &str,
    progress: &dyn Progress,
) -> Result<Stored, GpkgError> {
    let tiles_across = grid.width.max(grid.height).div_ceil(TILE).max(1);
    let max_zoom = tiles_across.next_power_of_two().trailing_zeros();
    let span = ((1usize << max_zoom) * TILE) as f64;
    let set = TileMatrixSet {
        srs_id,
        min_x: grid.origin_x,
        min_y: grid.origin_y - span * grid.cell_y,
        max_x: grid.origin_x + span * grid.cell_x,
        max_y: grid.origin_y,
    };
    let levels: Vec<TileMatrix> = (0..=max_zoom)
        .map(|z| {
            let n = 1i64 << z;
            let factor = f64::from(1u32 << (max_zoom - z));
            TileMatrix {
                zoom_level: i64::from(z),
                matrix_width: n,
                matrix_height: n,
                tile_width: TILE as i64,
                tile_height: TILE as i64,
                pixel_x_size: grid.cell_x * factor,
                pixel_y_size: grid.cell_y * factor,
            }
        })
        .collect();
    b.create_coverage(
        &CoverageDef {
            name: TERRAIN.into(),
            identifier: th.into(),
            description: en.into(),
            set,
            data_extent: (
                grid.origin_x,
                grid.origin_y - grid.height as f64 * grid.cell_y,
                grid.origin_x + grid.width as f64 * grid.cell_x,
                grid.origin_y,
            ),
            uom: "m".into(),
        },
        &levels,
    )?;
    // Each level is kept only as far as it has data, in whole tiles; the
    // rest of the square matrix has no tiles.
    let (mut w, mut h) = (grid.width.div_ceil(TILE) * TILE, grid.height.div_ceil(TILE) * TILE);
    let mut cells = vec![f32::NAN; w * h];
    for row in 0..grid.height {
        cells[row * w..row * w + grid.width].copy_from_slice(&grid.values[row * grid.width..(row + 1) * grid.width]);
    }
    let (mut tiles_x, mut tiles_y, mut total) = (w / TILE, h / TILE, 0u64);
    for _ in &levels {
        total += (tiles_x * tiles_y) as u64;
        (tiles_x, tiles_y) = (tiles_x.div_ceil(2), tiles_y.div_ceil(2));
    }
    progress.step("terrain", total);
    let mut stored = Stored {
        levels: levels.len(),
        tiles: 0,
        max_step: 0.0,
    };
    let mut tile = vec![f32::NAN; TILE * TILE];
    for (i, level) in levels.iter().rev().enumerate() {
        let (across, down) = (w / TILE, h / TILE);
        for tr in 0..down {
            for tc in 0..across {
                for r in 0..TILE {
                    let src = (tr * TILE + r) * w + tc * TILE;
                    tile[r * TILE..(r + 1) * TILE].copy_from_slice(&cells[src..src + TILE]);
                }
                if let Some(step) = b.write_coverage_tile(TERRAIN, level, tc as i64, tr as i64, &tile)? {
                    stored.tiles += 1;
                    if i == 0 {
                        stored.max_step = stored.max_step.max(step);
                    }
                }
                progress.advance(1);
            }
        }
        if i + 1 < levels.len() {
            (cells, w, h) = halve(&cells, w, h);
        }
    }
    Ok(stored)
}

/// Averages 2 × 2 blocks of a `w` × `h` grid, ignoring cells without data;
/// the result is padded with no data to whole tiles.
fn halve(grid: &[f32], w: usize, h: usize) -> (Vec<f32>, usize, usize) {
    let (half_w, half_h) = (w.div_ceil(2), h.div_ceil(2));
    let (out_w, out_h) = (half_w.div_ceil(TILE) * TILE, half_h.div_ceil(TILE) * TILE);
    let mut out = vec![f32::NAN; out_w * out_h];
    for r in 0..half_h {
        for c in 0..half_w {
            let (mut sum, mut n) = (0.0f32, 0u8);
            for (dc, dr) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let (cc, rr) = (2 * c + dc, 2 * r + dr);
                if cc < w && rr < h && grid[rr * w + cc].is_finite() {
                    sum += grid[rr * w + cc];
                    n += 1;
                }
            }
            if n > 0 {
                out[r * out_w + c] = sum / f32::from(n);
            }
        }
    }
    (out, out_w, out_h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halving_ignores_missing_cells_and_pads_to_whole_tiles() {
        let nan = f32::NAN;
        let g = [
            1.0, 3.0, nan, nan, //
            5.0, 7.0, nan, nan, //
            nan, nan, nan, nan, //
            nan, nan, nan, 2.0,
        ];
        let (h, w, rows) = halve(&g, 4, 4);
        assert_eq!((w, rows), (TILE, TILE));
        assert_eq!(h[0], 4.0);
        assert!(h[1].is_nan() && h[TILE].is_nan());
        assert_eq!(h[TILE + 1], 2.0);
    }
}
