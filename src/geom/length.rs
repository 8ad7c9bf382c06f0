//! Planar length: the sum of XY segment lengths, in the units of the
//! coordinates (metres for UTM).

use super::{Coord, Geometry, Shape};

/// The XY length of a geometry: the length of lines, the perimeter of polygons
/// (every ring, holes included, each closed even where the stored ring is not),
/// and 0 for points. Collections add up their parts. Z is ignored; a coordinate
/// that is not finite makes the length NaN or infinite.
///
/// ```
/// use tongtin::geom::{planar_length, Geometry};
/// let road = Geometry::line_string([(0.0, 0.0), (3.0, 4.0), (3.0, 10.0)]);
/// assert_eq!(planar_length(&road), 11.0);
/// let plot = Geometry::polygon(vec![vec![(0.0, 0.0), (20.0, 0.0), (20.0, 10.0), (0.0, 10.0), (0.0, 0.0)]]);
/// assert_eq!(planar_length(&plot), 60.0);
/// ```
pub fn planar_length(g: &Geometry) -> f64 {
    match &g.shape {
        Shape::Point(_) | Shape::MultiPoint(_) => 0.0,
        Shape::LineString(line) => path_length(line),
        Shape::MultiLineString(lines) => lines.iter().map(|l| path_length(l)).sum(),
        Shape::Polygon(rings) => rings.iter().map(|r| ring_length(r)).sum(),
        Shape::MultiPolygon(polygons) => polygons.iter().flatten().map(|r| ring_length(r)).sum(),
        Shape::GeometryCollection(parts) => parts.iter().map(planar_length).sum(),
    }
}

fn path_length(line: &[Coord]) -> f64 {
    line.windows(2).map(|w| distance(&w[0], &w[1])).sum()
}

fn ring_length(ring: &[Coord]) -> f64 {
    match ring {
        [first, .., last] => path_length(ring) + distance(last, first),
        _ => 0.0,
    }
}

fn distance(p: &Coord, q: &Coord) -> f64 {
    (p.x - q.x).hypot(p.y - q.y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::Dimension;

    #[test]
    fn points_and_short_lines_have_no_length() {
        assert_eq!(planar_length(&Geometry::point(1.0, 2.0)), 0.0);
        assert_eq!(planar_length(&Geometry::line_string([])), 0.0);
        assert_eq!(planar_length(&Geometry::line_string([(1.0, 2.0)])), 0.0);
        assert_eq!(planar_length(&Geometry::polygon(vec![vec![]])), 0.0);
        let empty_point = Geometry {
            dim: Dimension::Xy,
            shape: Shape::Point(Coord::empty()),
        };
        assert_eq!(planar_length(&empty_point), 0.0);
    }

    #[test]
    fn perimeters_include_holes_and_close_open_rings() {
        let closed = Geometry::polygon(vec![
            vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)],
            vec![(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0)],
        ]);
        assert_eq!(planar_length(&closed), 48.0);
        let open = Geometry::polygon(vec![vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]]);
        assert_eq!(planar_length(&open), 40.0);
    }

    #[test]
    fn z_is_ignored_and_parts_add_up() {
        let up = |z: f64| Coord {
            x: 0.0,
            y: 0.0,
            z,
            m: 0.0,
        };
        let climb = Geometry {
            dim: Dimension::Xyz,
            shape: Shape::MultiLineString(vec![
                vec![up(0.0), up(100.0)],
                vec![Coord::xy(0.0, 0.0), Coord::xy(0.0, 5.0)],
            ]),
        };
        assert_eq!(planar_length(&climb), 5.0);
        let all = Geometry {
            dim: Dimension::Xyz,
            shape: Shape::GeometryCollection(vec![climb, Geometry::line_string([(0.0, 0.0), (3.0, 4.0)])]),
        };
        assert_eq!(planar_length(&all), 10.0);
    }

    #[test]
    fn non_finite_coordinates_do_not_panic() {
        assert!(planar_length(&Geometry::line_string([(0.0, 0.0), (f64::NAN, 1.0)])).is_nan());
    }
}
