//! An elevation grid resampled onto another grid, in another CRS when asked:
//! each output cell centre is mapped back into the source with PROJ and
//! sampled bilinearly between the source's cell centres, skipping cells
//! without data (GDAL's `gdalwarp -r bilinear` does the same).
//!
//! PROJ transforms a lattice of control points every [`CONTROL`] cells and
//! the cells between them are interpolated, as GDAL's approximate
//! transformer does: between UTM and geographic coordinates the difference
//! over 16 cells is far below a millimetre.

use crate::crs::Transformer;
use crate::gpkg::Grid;
use crate::progress::Progress;

/// Cells between control points along each axis.
const CONTROL: usize = 16;

/// Where an output grid lies: the top-left corner of its top-left cell, the
/// (square) cell size and the number of cells.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GridSpec {
    pub origin_x: f64,
    pub origin_y: f64,
    pub cell: f64,
    pub width: usize,
    pub height: usize,
}

/// Resamples `source` onto `target`. `to_source` maps the target's CRS to
/// the source's (`None` when they are the same). Output cells whose centre
/// falls outside the source, on a source cell without data, or where PROJ
/// cannot transform, have no data (`NaN`).
pub fn warp(source: &Grid, to_source: Option<&Transformer>, target: &GridSpec, progress: &dyn Progress) -> Grid {
    let (w, h) = (target.width, target.height);
    let centre = |col: usize, row: usize| {
        (
            target.origin_x + (col as f64 + 0.5) * target.cell,
            target.origin_y - (row as f64 + 0.5) * target.cell,
        )
    };
    // Control points at the centres of every CONTROL-th cell, one beyond the last.
    let (nx, ny) = ((w.max(1) - 1) / CONTROL + 2, (h.max(1) - 1) / CONTROL + 2);
    let control: Vec<Option<(f64, f64)>> = match to_source {
        Some(t) => (0..ny)
            .flat_map(|r| (0..nx).map(move |c| (c, r)))
            .map(|(c, r)| {
                let (x, y) = centre(c * CONTROL, r * CONTROL);
                t.convert(x, y).ok()
            })
            .collect(),
        None => Vec::new(),
    };
    let mut values = vec![f32::NAN; w * h];
    progress.step("resampling", h as u64);
    for row in 0..h {
        let (kr, ty) = (row / CONTROL, (row % CONTROL) as f64 / CONTROL as f64);
        for col in 0..w {
            let at = if to_source.is_some() {
                let (kc, tx) = (col / CONTROL, (col % CONTROL) as f64 / CONTROL as f64);
                let p = |c: usize, r: usize| control[r * nx + c];
                match (p(kc, kr), p(kc + 1, kr), p(kc, kr + 1), p(kc + 1, kr + 1)) {
                    (Some(a), Some(b), Some(c), Some(d)) => {
                        let lerp =
                            |a: (f64, f64), b: (f64, f64), t: f64| (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
                        Some(lerp(lerp(a, b, tx), lerp(c, d, tx), ty))
                    }
                    _ => None,
                }
            } else {
                Some(centre(col, row))
            };
            if let Some((x, y)) = at {
                values[row * w + col] = sample(source, x, y);
            }
        }
        progress.advance(1);
    }
    Grid {
        origin_x: target.origin_x,
        origin_y: target.origin_y,
        cell_x: target.cell,
        cell_y: target.cell,
        width: w,
        height: h,
        values,
    }
}

/// The bilinear value at (x, y) over the neighbours that have data; `NaN`
/// when the cell holding the point has none or the point is off the grid.
fn sample(g: &Grid, x: f64, y: f64) -> f32 {
    let fx = (x - g.origin_x) / g.cell_x - 0.5;
    let fy = (g.origin_y - y) / g.cell_y - 0.5;
    let (hc, hr) = ((fx + 0.5).floor(), (fy + 0.5).floor());
    let inside = |c: f64, n: usize| c >= 0.0 && c < n as f64;
    if !(inside(hc, g.width) && inside(hr, g.height) && g.get(hc as usize, hr as usize).is_finite()) {
        return f32::NAN;
    }
    let (c0, r0) = (fx.floor(), fy.floor());
    let (tx, ty) = (fx - c0, fy - r0);
    let clamp = |v: f64, n: usize| v.clamp(0.0, (n - 1) as f64) as usize;
    let (mut sum, mut weight) = (0.0f64, 0.0f64);
    for (dc, dr, wgt) in [
        (0.0, 0.0, (1.0 - tx) * (1.0 - ty)),
        (1.0, 0.0, tx * (1.0 - ty)),
        (0.0, 1.0, (1.0 - tx) * ty),
        (1.0, 1.0, tx * ty),
    ] {
        let v = g.get(clamp(c0 + dc, g.width), clamp(r0 + dr, g.height));
        if v.is_finite() && wgt > 0.0 {
            sum += f64::from(v) * wgt;
            weight += wgt;
        }
    }
    (sum / weight) as f32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    /// A 4 × 4 plane z = x + 10·y (in cells) with 10 m cells, top-left at (0, 40).
    fn plane() -> Grid {
        Grid {
            origin_x: 0.0,
            origin_y: 40.0,
            cell_x: 10.0,
            cell_y: 10.0,
            width: 4,
            height: 4,
            values: (0..16).map(|i| ((i % 4) + 10 * (3 - i / 4)) as f32).collect(),
        }
    }

    #[test]
    fn bilinear_sampling_is_exact_on_a_plane_and_skips_missing_neighbours() {
        let g = plane();
        assert_eq!(sample(&g, 15.0, 25.0), 1.0 + 20.0, "a cell centre");
        assert!((sample(&g, 20.0, 20.0) - 16.5).abs() < 1e-6, "between four centres");
        assert!(sample(&g, -1.0, 20.0).is_nan() && sample(&g, 20.0, 41.0).is_nan());
        let mut holes = g.clone();
        holes.values[5] = f32::NAN; // column 1, row 1 (centre 15, 25)
        assert!(sample(&holes, 14.0, 26.0).is_nan(), "the holding cell has no data");
        // Holding cell (2, 1) has data; its neighbour (1, 1) does not, and its weight is left out.
        assert_eq!(sample(&holes, 22.0, 25.0), g.get(2, 1));
        assert!((sample(&holes, 28.0, 25.0) - (22.0 + 0.3)).abs() < 1e-6);
    }

    #[test]
    fn same_crs_on_the_same_lattice_copies_cells() {
        let g = plane();
        let spec = GridSpec {
            origin_x: 10.0,
            origin_y: 30.0,
            cell: 10.0,
            width: 3,
            height: 3,
        };
        let out = warp(&g, None, &spec, &Silent);
        assert_eq!(out.get(0, 0), g.get(1, 1));
        assert_eq!(out.get(1, 2), g.get(2, 3));
        assert!(out.get(2, 0).is_finite() && out.get(2, 2) == g.get(3, 3));
    }

    #[test]
    fn control_points_place_cells_where_proj_puts_them() {
        // A geographic grid (0.0001° cells) around Non Sa-At sampled onto UTM 48N.
        let source = Grid {
            origin_x: 102.0,
            origin_y: 17.0,
            cell_x: 0.0001,
            cell_y: 0.0001,
            width: 600,
            height: 600,
            values: (0..360_000)
                .map(|i| ((i % 600) as f32) * 0.5 + (i / 600) as f32)
                .collect(),
        };
        let to_utm = Transformer::new(4326, 32648).unwrap();
        let (x0, y0) = to_utm.convert(102.01, 16.99).unwrap();
        let spec = GridSpec {
            origin_x: (x0 / 10.0).floor() * 10.0,
            origin_y: (y0 / 10.0).floor() * 10.0,
            cell: 10.0,
            width: 300,
            height: 300,
        };
        let to_source = Transformer::new(32648, 4326).unwrap();
        let out = warp(&source, Some(&to_source), &spec, &Silent);
        for (col, row) in [(0, 0), (7, 250), (123, 45), (299, 299)] {
            let (x, y) = (
                spec.origin_x + (col as f64 + 0.5) * 10.0,
                spec.origin_y - (row as f64 + 0.5) * 10.0,
            );
            let (lon, lat) = to_source.convert(x, y).unwrap();
            let exact = sample(&source, lon, lat);
            // 1e-6 of a source cell along a slope of 1 per cell is 1 µm.
            assert!(
                (out.get(col, row) - exact).abs() < 1e-3,
                "({col}, {row}): {} vs {exact}",
                out.get(col, row)
            );
        }
    }
}
