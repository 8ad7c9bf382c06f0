//! Contour lines by marching squares, with the semantics of `gdal_contour -i
//! INTERVAL -off BASE` (GDAL 3.6, `alg/marching_squares`), so that the two agree
//! line for line:
//!
//! - the sample points are the cell centres, and lines run on to the outer edge
//!   of the cells that have a value (at the grid's edge and around no-data, GDAL
//!   splits a square with missing corners into quarters around the valid ones,
//!   with mid-edge and centre values averaged from the valid corners); no line
//!   enters a cell without a value;
//! - a value within 10⁻⁶ of a level counts as above it (GDAL's `fudge`), so a
//!   plateau exactly at a level has no line and a summit exactly at one has a
//!   tiny ring;
//! - saddle squares always separate the lower-left and upper-right corners
//!   from the rest, whatever the centre: GDAL's choice, which never lets lines
//!   of two levels cross;
//! - segments are joined into the longest polylines; a closed ring ends on its
//!   first point.
//!
//! Every line runs with higher ground on its right (a ring around a summit is
//! clockwise), which labelling uses to set text upright facing uphill.
//!
//! Only the squares whose corners fall in different bands between levels (or
//! lie on a level) are examined closely, and segments are joined by the grid
//! edge they cross rather than by comparing coordinates.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use thiserror::Error;

use crate::gpkg::Grid;

/// At most this many levels between the lowest and highest value (GDAL's limit).
pub const MAX_LEVELS: u64 = 100_000;

/// GDAL's `fudge`: a value closer than this to a level is moved this much above it.
const ON_LEVEL: f64 = 1e-6;
/// Cells closer than this to a level are examined exactly rather than by band.
const NEAR_LEVEL: f64 = 4.0 * ON_LEVEL;
/// Band of a cell without a value (and of the ring of nothing around the grid).
const NO_DATA: i32 = -1;
/// Band of a cell within [`NEAR_LEVEL`] of a level.
const NEAR: i32 = -2;

/// One contour line in the grid's coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct Contour {
    /// The elevation of the line: `base + k × interval`.
    pub level: f64,
    /// At least two points; a closed ring repeats its first point at the end.
    pub line: Vec<(f64, f64)>,
}

impl Contour {
    /// Whether the line is a ring (it ends where it starts).
    pub fn is_closed(&self) -> bool {
        self.line.len() > 2 && self.line.first() == self.line.last()
    }
}

/// Why contours could not be traced.
#[derive(Debug, Error, PartialEq)]
pub enum ContourError {
    /// The interval is zero, negative or not a number.
    #[error("the contour interval must be a positive number, not {0}")]
    BadInterval(f64),
    /// The base is infinite or not a number.
    #[error("the contour base must be a finite number, not {0}")]
    BadBase(f64),
    /// The values span more than [`MAX_LEVELS`] levels, or levels too far
    /// from the base to be numbered exactly.
    #[error("values from {min} to {max} cross too many contour levels at interval {interval} from {base}")]
    TooManyLevels {
        min: f64,
        max: f64,
        interval: f64,
        base: f64,
    },
    /// The grid's values do not fill its width × height.
    #[error("a {width} × {height} grid with {values} values")]
    BadGrid { width: usize, height: usize, values: usize },
}

/// The contour lines of `grid` at `base + k × interval` for every whole `k`,
/// level by level from the lowest, as `gdal_contour -i interval -off base`
/// draws them (see the module documentation).
///
/// ```
/// use tongtin::gpkg::Grid;
/// use tongtin::terrain::contours;
/// // A slope rising eastwards, cells of 10 m: 1, 11, 21 and 31 m.
/// let grid = Grid {
///     origin_x: 0.0, origin_y: 20.0, cell_x: 10.0, cell_y: 10.0,
///     width: 4, height: 2, values: vec![1.0, 11.0, 21.0, 31.0, 1.0, 11.0, 21.0, 31.0],
/// };
/// let lines = contours(&grid, 5.0, 0.0).unwrap();
/// let levels: Vec<f64> = lines.iter().map(|c| c.level).collect();
/// assert_eq!(levels, [5.0, 10.0, 15.0, 20.0, 25.0, 30.0]);
/// // 5 m lies 0.4 of the way from the first cell centre (x = 5) to the next
/// // (x = 15), and runs north from the grid's bottom edge to its top, higher
/// // ground on its right.
/// assert!(lines[0].line.iter().all(|p| (p.0 - 9.0).abs() < 1e-9));
/// let ys: Vec<f64> = lines[0].line.iter().map(|p| p.1).collect();
/// assert_eq!(ys, [0.0, 5.0, 15.0, 20.0]);
/// ```
pub fn contours(grid: &Grid, interval: f64, base: f64) -> Result<Vec<Contour>, ContourError> {
    if !(interval.is_finite() && interval > 0.0) {
        return Err(ContourError::BadInterval(interval));
    }
    if !base.is_finite() {
        return Err(ContourError::BadBase(base));
    }
    let (w, h) = (grid.width, grid.height);
    if w.checked_mul(h) != Some(grid.values.len()) {
        return Err(ContourError::BadGrid {
            width: w,
            height: h,
            values: grid.values.len(),
        });
    }
    let (mut low, mut high) = (f32::INFINITY, f32::NEG_INFINITY);
    for &v in &grid.values {
        // Finite values only (comparisons with NaN are false).
        if v.abs() < f32::INFINITY {
            low = if v < low { v } else { low };
            high = if v > high { v } else { high };
        }
    }
    let (min, max) = (f64::from(low), f64::from(high));
    if min > max {
        return Ok(Vec::new());
    }
    // Candidate levels, one band of slack on either side; GDAL numbers levels
    // with an `int`, and exact numbering needs them well inside f64's integers.
    let first = ((min - base) / interval).floor() - 1.0;
    let last = ((max - base) / interval).ceil() + 1.0;
    let limit = f64::from(i32::MAX);
    if !(first > -limit && last < limit && last - first <= MAX_LEVELS as f64 + 2.0) {
        return Err(ContourError::TooManyLevels {
            min,
            max,
            interval,
            base,
        });
    }
    let mut tracer = Tracer {
        grid,
        interval,
        base,
        inverse: 1.0 / interval,
        near: NEAR_LEVEL / interval,
        first: first as i64,
        last: last as i64,
        segments: vec![Vec::new(); (last - first) as usize + 1],
    };
    tracer.sweep();
    Ok(tracer.lines())
}

/// A square's corner in pixel coordinates (cell centres at half units) with its value.
#[derive(Clone, Copy)]
struct Corner {
    x: f64,
    y: f64,
    v: f64,
}

/// One piece of a line inside a square: from a crossing to a crossing, each
/// named by the grid edge it lies on, in pixel coordinates.
#[derive(Clone, Copy)]
struct Segment {
    from: u64,
    to: u64,
    a: (f64, f64),
    b: (f64, f64),
}

/// Square edges, in GDAL's order of interpolation: upper (left to right),
/// left (bottom to top), right (bottom to top), lower (left to right).
const UPPER: usize = 0;
const LEFT: usize = 1;
const RIGHT: usize = 2;
const LOWER: usize = 3;

/// The segments of each marching-squares case (bit 1 upper-left corner above
/// the level, 2 lower-left, 4 lower-right, 8 upper-right), from edge to edge,
/// higher ground on the right. Both saddles (5 and 10) cut off the lower-left
/// and upper-right corners, as GDAL does.
const CASES: [&[(usize, usize)]; 16] = [
    &[],
    &[(UPPER, LEFT)],
    &[(LEFT, LOWER)],
    &[(UPPER, LOWER)],
    &[(LOWER, RIGHT)],
    &[(LOWER, LEFT), (UPPER, RIGHT)],
    &[(LEFT, RIGHT)],
    &[(UPPER, RIGHT)],
    &[(RIGHT, UPPER)],
    &[(RIGHT, LEFT)],
    &[(LEFT, LOWER), (RIGHT, UPPER)],
    &[(RIGHT, LOWER)],
    &[(LOWER, UPPER)],
    &[(LOWER, LEFT)],
    &[(LEFT, UPPER)],
    &[],
];

/// GDAL's perturbation of a value lying on a level.
fn fudge(level: f64, value: f64) -> f64 {
    if (level - value).abs() < ON_LEVEL {
        value + ON_LEVEL
    } else {
        value
    }
}

struct Tracer<'a> {
    grid: &'a Grid,
    interval: f64,
    base: f64,
    /// 1 / interval, and [`NEAR_LEVEL`] in intervals.
    inverse: f64,
    near: f64,
    /// The lowest and highest candidate level numbers.
    first: i64,
    last: i64,
    /// The segments of each candidate level, from `first`.
    segments: Vec<Vec<Segment>>,
}

impl Tracer<'_> {
    fn level(&self, k: i64) -> f64 {
        k as f64 * self.interval + self.base
    }

    /// The band between levels a value lies in (k between levels `first + k`
    /// and `first + k + 1`), [`NEAR`] within [`NEAR_LEVEL`] of a level, or
    /// [`NO_DATA`].
    fn band(&self, v: f32) -> i32 {
        if !v.is_finite() {
            return NO_DATA;
        }
        // In intervals above `first`, at least 1 for every finite value, so
        // that truncation floors.
        let t = (f64::from(v) - self.base) * self.inverse - self.first as f64;
        let k = t as i32;
        let fraction = t - f64::from(k);
        if fraction < self.near || 1.0 - fraction < self.near {
            return NEAR;
        }
        k
    }

    /// The value of a cell, NaN outside the grid or without data.
    fn value(&self, row: usize, col: usize) -> f64 {
        if row == 0 || col == 0 || row > self.grid.height || col > self.grid.width {
            return f64::NAN;
        }
        let v = self.grid.values[(row - 1) * self.grid.width + col - 1];
        if v.is_finite() {
            f64::from(v)
        } else {
            f64::NAN
        }
    }

    /// Visits the (w + 1) × (h + 1) squares between cell centres, the grid's
    /// edge included, keeping the bands of two rows of cells (padded with
    /// no-data on both sides).
    fn sweep(&mut self) {
        let (w, h) = (self.grid.width, self.grid.height);
        let mut above = vec![NO_DATA; w + 2];
        let mut below = vec![NO_DATA; w + 2];
        for sr in 0..=h {
            if sr < h {
                let row = &self.grid.values[sr * w..(sr + 1) * w];
                for (b, &v) in below[1..=w].iter_mut().zip(row) {
                    *b = self.band(v);
                }
            } else {
                below.fill(NO_DATA);
            }
            for sc in 0..=w {
                let ul = above[sc];
                if ul != NEAR && ul == above[sc + 1] && ul == below[sc] && ul == below[sc + 1] {
                    continue;
                }
                self.square(sr, sc);
            }
            std::mem::swap(&mut above, &mut below);
        }
    }

    /// The square whose lower-right corner is cell (sr, sc) (in cells from
    /// the top-left, cells outside the grid having no value).
    fn square(&mut self, sr: usize, sc: usize) {
        let (x, y) = (sc as f64, sr as f64);
        // Cells are numbered from 1 in `value` so that the row and column
        // before the grid exist.
        let ul = Corner {
            x: x - 0.5,
            y: y - 0.5,
            v: self.value(sr, sc),
        };
        let ur = Corner {
            x: x + 0.5,
            y: y - 0.5,
            v: self.value(sr, sc + 1),
        };
        let ll = Corner {
            x: x - 0.5,
            y: y + 0.5,
            v: self.value(sr + 1, sc),
        };
        let lr = Corner {
            x: x + 0.5,
            y: y + 0.5,
            v: self.value(sr + 1, sc + 1),
        };
        let stride = self.grid.width as u64 + 1;
        let id = sr as u64 * stride + sc as u64;
        // Edge names: 8 per square, the lower (0) and right (1) edges, four
        // half-edges from the middle of the sides to the centre (2–5), and
        // names for the upper and left edges of the first row and column (6, 7).
        let upper = if sr > 0 { (id - stride) * 8 } else { id * 8 + 6 };
        let left = if sc > 0 { (id - 1) * 8 + 1 } else { id * 8 + 7 };
        let (lower, right) = (id * 8, id * 8 + 1);
        let (to_upper, to_left, to_right, to_lower) = (id * 8 + 2, id * 8 + 3, id * 8 + 4, id * 8 + 5);
        let missing = [ul, ur, ll, lr].iter().filter(|c| c.v.is_nan()).count();
        match missing {
            0 => self.march([ul, ur, ll, lr], [upper, left, right, lower]),
            4 => {}
            _ => {
                // GDAL's split: a quarter square around each corner with a
                // value; mid-edge and centre values from the valid corners.
                let mean = |cs: &[Corner]| {
                    let (sum, n) = cs
                        .iter()
                        .filter(|c| !c.v.is_nan())
                        .fold((0.0, 0.0), |(sum, n), c| (sum + c.v, n + 1.0));
                    sum / n
                };
                let mid = |a: Corner, b: Corner| Corner {
                    x: 0.5 * (a.x + b.x),
                    y: 0.5 * (a.y + b.y),
                    v: mean(&[a, b]),
                };
                let centre = Corner {
                    x,
                    y,
                    v: mean(&[ll, ul, lr, ur]),
                };
                let (top, bottom, west, east) = (mid(ul, ur), mid(ll, lr), mid(ul, ll), mid(ur, lr));
                if !ul.v.is_nan() {
                    self.march([ul, top, west, centre], [upper, left, to_upper, to_left]);
                }
                if !ur.v.is_nan() {
                    self.march([top, ur, centre, east], [upper, to_upper, right, to_right]);
                }
                if !ll.v.is_nan() {
                    self.march([west, centre, ll, bottom], [to_left, left, to_lower, lower]);
                }
                if !lr.v.is_nan() {
                    self.march([centre, east, bottom, lr], [to_right, to_lower, right, lower]);
                }
            }
        }
    }

    /// The segments of a square with four values: corners upper-left,
    /// upper-right, lower-left, lower-right; edge names upper, left, right, lower.
    fn march(&mut self, [ul, ur, ll, lr]: [Corner; 4], edges: [u64; 4]) {
        let min = ul.v.min(ur.v).min(ll.v).min(lr.v);
        let max = ul.v.max(ur.v).max(ll.v).max(lr.v);
        let lowest = ((min - NEAR_LEVEL - self.base) / self.interval).ceil() as i64;
        let highest = ((max + NEAR_LEVEL - self.base) / self.interval).floor() as i64;
        for k in lowest.max(self.first)..=highest.min(self.last) {
            let level = self.level(k);
            let above = |c: Corner| level < fudge(level, c.v);
            let case = usize::from(above(ul))
                | usize::from(above(ll)) << 1
                | usize::from(above(lr)) << 2
                | usize::from(above(ur)) << 3;
            let cross = |edge: usize| {
                let (p, q) = match edge {
                    UPPER => (ul, ur),
                    LEFT => (ll, ul),
                    RIGHT => (lr, ur),
                    _ => (ll, lr),
                };
                let fp = fudge(level, p.v);
                let t = (level - fp) / (fudge(level, q.v) - fp);
                (p.x * (1.0 - t) + q.x * t, p.y * (1.0 - t) + q.y * t)
            };
            for &(from, to) in CASES[case] {
                let segment = Segment {
                    from: edges[from],
                    to: edges[to],
                    a: cross(from),
                    b: cross(to),
                };
                self.segments[(k - self.first) as usize].push(segment);
            }
        }
    }

    /// Joins each level's segments into polylines in the grid's coordinates.
    fn lines(&self) -> Vec<Contour> {
        let g = self.grid;
        let to_map = |(px, py): (f64, f64)| (g.origin_x + px * g.cell_x, g.origin_y - py * g.cell_y);
        let mut out = Vec::new();
        for (i, segments) in self.segments.iter().enumerate() {
            if segments.is_empty() {
                continue;
            }
            let level = self.level(self.first + i as i64);
            const NONE: usize = usize::MAX;
            let mut starting: HashMap<u64, usize, BuildHasherDefault<EdgeHasher>> =
                HashMap::with_capacity_and_hasher(segments.len(), BuildHasherDefault::default());
            for (j, s) in segments.iter().enumerate() {
                starting.insert(s.from, j);
            }
            let mut next = vec![NONE; segments.len()];
            let mut joined = vec![false; segments.len()];
            for (j, s) in segments.iter().enumerate() {
                if let Some(&n) = starting.get(&s.to) {
                    next[j] = n;
                    joined[n] = true;
                }
            }
            let mut done = vec![false; segments.len()];
            let walk = |start: usize, done: &mut Vec<bool>| -> Vec<(f64, f64)> {
                let mut line = vec![to_map(segments[start].a)];
                let mut j = start;
                loop {
                    done[j] = true;
                    let p = to_map(segments[j].b);
                    if line.last() != Some(&p) {
                        line.push(p);
                    }
                    j = next[j];
                    if j == NONE || done[j] {
                        return line;
                    }
                }
            };
            // Lines that begin on an edge of the data first, then rings.
            for start in 0..segments.len() {
                if !joined[start] && !done[start] {
                    let line = walk(start, &mut done);
                    if line.len() >= 2 {
                        out.push(Contour { level, line });
                    }
                }
            }
            for start in 0..segments.len() {
                if !done[start] {
                    let mut line = walk(start, &mut done);
                    if line.len() >= 3 {
                        // The last crossing is the first, reached from the other side.
                        let first = line[0];
                        if let Some(end) = line.last_mut() {
                            *end = first;
                        }
                        out.push(Contour { level, line });
                    }
                }
            }
        }
        out
    }
}

/// Hashing for edge names (already unique integers): SplitMix64's finaliser.
#[derive(Default)]
struct EdgeHasher(u64);

impl Hasher for EdgeHasher {
    fn finish(&self) -> u64 {
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(width: usize, height: usize, values: Vec<f32>) -> Grid {
        Grid {
            origin_x: 0.0,
            origin_y: height as f64,
            cell_x: 1.0,
            cell_y: 1.0,
            width,
            height,
            values,
        }
    }

    /// Twice the signed area (positive anticlockwise, y up).
    fn area2(ring: &[(f64, f64)]) -> f64 {
        ring.windows(2).map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1).sum()
    }

    #[test]
    fn a_cone_gives_one_clockwise_ring_per_level() {
        let n = 21;
        let values = (0..n * n)
            .map(|i| {
                let (c, r) = ((i % n) as f64 - 10.0, (i / n) as f64 - 10.0);
                (100.0 - 9.0 * (c * c + r * r).sqrt()).max(15.0) as f32
            })
            .collect();
        let lines = contours(&grid(n, n, values), 10.0, 0.0).unwrap();
        let levels: Vec<f64> = lines.iter().map(|c| c.level).collect();
        assert_eq!(levels, [20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]);
        for c in &lines[..8] {
            assert!(c.is_closed(), "{c:?}");
            assert!(area2(&c.line) < 0.0, "higher ground on the right: clockwise");
            // Radius (100 - level) / 9 cells around the centre of cell (10, 10).
            let r = (100.0 - c.level) / 9.0;
            for &(x, y) in &c.line {
                let d = ((x - 10.5).powi(2) + (y - 10.5).powi(2)).sqrt();
                assert!((d - r).abs() < 0.1 * r, "level {}: {d} against {r}", c.level);
            }
        }
        // The summit is exactly 100: it counts as above 100, as in GDAL.
        assert!(lines[8].is_closed());
        assert!(lines[8]
            .line
            .iter()
            .all(|&(x, y)| (x - 10.5).abs() < 1e-6 && (y - 10.5).abs() < 1e-6));
    }

    #[test]
    fn a_slope_gives_straight_lines_edge_to_edge() {
        // Rising 3 per cell eastwards from 2: 10 falls between cell centres.
        let values = (0..5 * 4).map(|i| (2 + 3 * (i % 5)) as f32).collect();
        let lines = contours(&grid(5, 4, values), 10.0, 0.0).unwrap();
        assert_eq!(lines.len(), 1, "{lines:?}");
        let x = 2.5 + 2.0 / 3.0;
        assert!(lines[0].line.iter().all(|p| (p.0 - x).abs() < 1e-9), "{:?}", lines[0]);
        let ys: Vec<f64> = lines[0].line.iter().map(|p| p.1).collect();
        assert_eq!(
            ys,
            [0.0, 0.5, 1.5, 2.5, 3.5, 4.0],
            "north-running: east is on the right"
        );
    }

    #[test]
    fn levels_exactly_on_values_count_as_below_them() {
        let values = vec![0.0, 10.0, 20.0, 0.0, 10.0, 20.0];
        let lines = contours(&grid(3, 2, values), 10.0, 0.0).unwrap();
        // Nothing at 0 (the lowest values are above it); 10 just west of the
        // 10 m centres; 20 just west of the 20 m ones (GDAL draws both).
        let levels: Vec<f64> = lines.iter().map(|c| c.level).collect();
        assert_eq!(levels, [10.0, 20.0]);
        assert!(lines[0].line.iter().all(|p| p.0 < 1.5 && p.0 > 1.5 - 1e-6));
        assert!(lines[1].line.iter().all(|p| p.0 < 2.5 && p.0 > 2.5 - 1e-6));
        let flat = contours(&grid(2, 2, vec![10.0; 4]), 10.0, 0.0).unwrap();
        assert!(flat.is_empty(), "a plateau on a level has no line");
    }

    #[test]
    fn saddles_cut_off_the_lower_left_and_upper_right_corners() {
        for values in [vec![0.0, 19.0, 19.0, 0.0], vec![19.0, 0.0, 0.0, 19.0]] {
            let lines = contours(&grid(2, 2, values.clone()), 10.0, 0.0).unwrap();
            assert_eq!(lines.len(), 2, "{values:?}: {lines:?}");
            for c in &lines {
                // Each line stays on one side of the diagonal through the centre.
                let near_ll = c.line.iter().all(|p| p.0 + p.1 < 2.0);
                let near_ur = c.line.iter().all(|p| p.0 + p.1 > 2.0);
                assert!(near_ll || near_ur, "{values:?}: {c:?}");
            }
        }
    }

    #[test]
    fn no_data_breaks_lines_at_the_edge_of_its_cell() {
        // A cone with its summit cell missing: the rings around it open up.
        let mut values = vec![0.0f32; 25];
        for r in 1..4 {
            for c in 1..4 {
                values[r * 5 + c] = 9.0;
            }
        }
        values[12] = f32::NAN;
        values[0] = f32::INFINITY;
        let lines = contours(&grid(5, 5, values), 5.0, 0.0).unwrap();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].is_closed(), "the 5 m ring does not come near the hole");
        let mut hole = vec![15.0f32; 9];
        hole[4] = f32::NAN;
        hole[0] = 0.0;
        let lines = contours(&grid(3, 3, hole), 10.0, 0.0).unwrap();
        assert_eq!(lines.len(), 1);
        for &(x, y) in &lines[0].line {
            assert!(x <= 1.0 + 1e-9 || y >= 2.0 - 1e-9, "({x}, {y}) inside the missing cell");
        }
        assert!(!lines[0].is_closed());
    }

    #[test]
    fn tiny_and_empty_grids_and_bad_levels() {
        assert!(contours(&grid(1, 1, vec![5.0]), 1.0, 0.0).unwrap().is_empty());
        assert!(contours(&grid(0, 0, vec![]), 1.0, 0.0).unwrap().is_empty());
        assert!(contours(&grid(2, 1, vec![f32::NAN; 2]), 1.0, 0.0).unwrap().is_empty());
        let two = contours(&grid(2, 1, vec![0.0, 2.0]), 1.0, 0.5).unwrap();
        assert_eq!(two.iter().map(|c| c.level).collect::<Vec<_>>(), [0.5, 1.5]);
        assert!(two.iter().all(|c| c.line.len() == 3 && !c.is_closed()));
        assert_eq!(
            contours(&grid(1, 1, vec![1.0]), 0.0, 0.0),
            Err(ContourError::BadInterval(0.0))
        );
        assert!(matches!(
            contours(&grid(1, 1, vec![1.0]), f64::NAN, 0.0),
            Err(ContourError::BadInterval(_))
        ));
        assert!(matches!(
            contours(&grid(1, 1, vec![1.0]), 1.0, f64::INFINITY),
            Err(ContourError::BadBase(_))
        ));
        assert!(matches!(
            contours(&grid(2, 1, vec![0.0, 1.0e6]), 1.0, 0.0),
            Err(ContourError::TooManyLevels { .. })
        ));
        assert!(matches!(
            contours(&grid(2, 1, vec![0.0, 1.0]), 1.0, 1e300),
            Err(ContourError::TooManyLevels { .. })
        ));
        assert!(matches!(
            contours(&grid(2, 2, vec![0.0]), 1.0, 0.0),
            Err(ContourError::BadGrid { .. })
        ));
    }
}
