//! The point of a linestring nearest a given point, and its nearest vertex:
//! snapping, picking a road to split, placing a pole along a road.

use super::Coord;

/// Where on a linestring a point falls.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinePosition {
    /// The index of the segment, which runs from vertex `segment` to `segment + 1`.
    pub segment: usize,
    /// How far along the segment, from 0 (its first vertex) to 1 (its second).
    pub fraction: f64,
    /// The position itself, with Z and M interpolated along the segment.
    pub point: Coord,
    /// The XY distance from the queried point.
    pub distance: f64,
}

/// The point of `line` nearest `(x, y)` in XY. `None` for lines with fewer than 2
/// points, for a query point that is not finite, and when no segment has finite
/// XY coordinates (such segments are skipped). Of equally near positions, the one on the earlier segment wins.
///
/// ```
/// use tongtin::geom::{nearest_on_line, Coord};
/// let road = [
///     Coord { x: 0.0, y: 0.0, z: 100.0, m: 0.0 },
///     Coord { x: 10.0, y: 0.0, z: 110.0, m: 10.0 },
/// ];
/// let at = nearest_on_line(&road, 4.0, 3.0).unwrap();
/// assert_eq!((at.segment, at.fraction, at.distance), (0, 0.4, 3.0));
/// assert_eq!((at.point.x, at.point.y, at.point.z, at.point.m), (4.0, 0.0, 104.0, 4.0));
/// ```
pub fn nearest_on_line(line: &[Coord], x: f64, y: f64) -> Option<LinePosition> {
    if line.len() < 2 {
        return None;
    }
    line.windows(2)
        .enumerate()
        .filter(|(_, w)| is_finite(&w[0]) && is_finite(&w[1]))
        .map(|(segment, w)| project(segment, &w[0], &w[1], x, y))
        .filter(|p| p.distance.is_finite())
        .min_by(|p, q| p.distance.total_cmp(&q.distance))
}

/// The index of the vertex of `line` nearest `(x, y)` in XY, and its distance.
/// `None` for lines with fewer than 2 points, for a query point that is not
/// finite, and when no vertex is finite. Of equally near vertices, the first wins.
///
/// ```
/// use tongtin::geom::{nearest_vertex, Coord};
/// let road = [Coord::xy(0.0, 0.0), Coord::xy(10.0, 0.0), Coord::xy(10.0, 10.0)];
/// assert_eq!(nearest_vertex(&road, 13.0, 6.0), Some((2, 5.0)));
/// ```
pub fn nearest_vertex(line: &[Coord], x: f64, y: f64) -> Option<(usize, f64)> {
    if line.len() < 2 {
        return None;
    }
    line.iter()
        .enumerate()
        .map(|(i, c)| (i, (c.x - x).hypot(c.y - y)))
        .filter(|(_, d)| d.is_finite())
        .min_by(|(_, d), (_, e)| d.total_cmp(e))
}

fn is_finite(c: &Coord) -> bool {
    c.x.is_finite() && c.y.is_finite()
}

/// The point of segment a–b nearest `(x, y)`; a zero-length segment projects to `a`.
fn project(segment: usize, a: &Coord, b: &Coord, x: f64, y: f64) -> LinePosition {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length2 = dx * dx + dy * dy;
    let fraction = if length2 > 0.0 {
        (((x - a.x) * dx + (y - a.y) * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let point = if fraction == 0.0 {
        *a
    } else if fraction == 1.0 {
        *b
    } else {
        Coord {
            x: a.x + fraction * dx,
            y: a.y + fraction * dy,
            z: a.z + fraction * (b.z - a.z),
            m: a.m + fraction * (b.m - a.m),
        }
    };
    LinePosition {
        segment,
        fraction,
        point,
        distance: (point.x - x).hypot(point.y - y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(xy: &[(f64, f64)]) -> Vec<Coord> {
        xy.iter().map(|&(x, y)| Coord::xy(x, y)).collect()
    }

    #[test]
    fn beyond_the_ends_the_ends_are_nearest() {
        let l = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
        let before = nearest_on_line(&l, -3.0, -4.0).unwrap();
        assert_eq!((before.segment, before.fraction, before.distance), (0, 0.0, 5.0));
        assert_eq!(before.point, l[0]);
        let after = nearest_on_line(&l, 10.0, 12.0).unwrap();
        assert_eq!((after.segment, after.fraction, after.point), (1, 1.0, l[2]));
    }

    #[test]
    fn ties_go_to_the_earlier_segment() {
        let l = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
        let corner = nearest_on_line(&l, 12.0, -2.0).unwrap();
        assert_eq!((corner.segment, corner.fraction), (0, 1.0));
        let v = line(&[(0.0, 0.0), (10.0, 0.0), (0.0, 0.0)]);
        assert_eq!(nearest_vertex(&v, 1.0, 1.0).map(|(i, _)| i), Some(0));
    }

    #[test]
    fn zero_length_segments_project_to_their_vertex() {
        let l = line(&[(5.0, 5.0), (5.0, 5.0)]);
        let at = nearest_on_line(&l, 5.0, 8.0).unwrap();
        assert_eq!((at.segment, at.fraction, at.distance), (0, 0.0, 3.0));
    }

    #[test]
    fn degenerate_input_gives_none() {
        assert_eq!(nearest_on_line(&[], 0.0, 0.0), None);
        assert_eq!(nearest_on_line(&line(&[(1.0, 1.0)]), 0.0, 0.0), None);
        assert_eq!(nearest_vertex(&[], 0.0, 0.0), None);
        assert_eq!(nearest_vertex(&line(&[(1.0, 1.0)]), 0.0, 0.0), None);
        let l = line(&[(0.0, 0.0), (10.0, 0.0)]);
        assert_eq!(nearest_on_line(&l, f64::NAN, 0.0), None);
        assert_eq!(nearest_on_line(&l, f64::INFINITY, 0.0), None);
        assert_eq!(nearest_vertex(&l, 0.0, f64::NAN), None);
        let all_nan = line(&[(f64::NAN, f64::NAN), (f64::NAN, f64::NAN)]);
        assert_eq!(nearest_on_line(&all_nan, 0.0, 0.0), None);
        assert_eq!(nearest_vertex(&all_nan, 0.0, 0.0), None);
    }

    #[test]
    fn segments_with_non_finite_coordinates_are_skipped() {
        let l = line(&[(0.0, 0.0), (f64::NAN, 0.0), (10.0, 0.0), (20.0, 0.0)]);
        let at = nearest_on_line(&l, 1.0, 1.0).unwrap();
        assert_eq!((at.segment, at.point.x, at.distance), (2, 10.0, 9.055385138137417));
        assert_eq!(nearest_vertex(&l, 1.0, 1.0).map(|(i, _)| i), Some(0));
    }
}
