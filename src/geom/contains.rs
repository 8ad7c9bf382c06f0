//! Whether a polygon contains a point (the boundary counts): even–odd ray
//! crossing per ring, after an exact on-edge test.

use super::orient::on_segment;
use super::{Coord, Geometry, Shape};

/// Whether the polygon `rings` (the exterior first, then holes) contains the point
/// `(x, y)`. A point on any ring, a hole's included, counts as inside. Rings may be
/// closed or not; a polygon without rings, or a point that is not finite, contains nothing.
///
/// ```
/// use tongtin::geom::{polygon_contains, Coord};
/// let ring = |xy: &[(f64, f64)]| xy.iter().map(|&(x, y)| Coord::xy(x, y)).collect::<Vec<_>>();
/// let parcel = vec![
///     ring(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]),
///     ring(&[(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0)]),
/// ];
/// assert!(polygon_contains(&parcel, 1.0, 1.0));
/// assert!(polygon_contains(&parcel, 10.0, 5.0), "on the boundary");
/// assert!(!polygon_contains(&parcel, 5.0, 5.0), "in the hole");
/// ```
pub fn polygon_contains(rings: &[Vec<Coord>], x: f64, y: f64) -> bool {
    let Some((exterior, holes)) = rings.split_first() else {
        return false;
    };
    match locate(exterior, x, y) {
        Location::Outside => false,
        Location::Boundary => true,
        Location::Inside => holes.iter().all(|hole| locate(hole, x, y) != Location::Inside),
    }
}

/// Whether a polygon or multipolygon contains the point `(x, y)`, as
/// [`polygon_contains`] decides for each polygon; false for every other shape.
///
/// ```
/// use tongtin::geom::{geometry_contains_point, Geometry};
/// let square = Geometry::polygon(vec![vec![(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)]]);
/// assert!(geometry_contains_point(&square, 2.0, 2.0));
/// assert!(!geometry_contains_point(&Geometry::point(2.0, 2.0), 2.0, 2.0));
/// ```
pub fn geometry_contains_point(g: &Geometry, x: f64, y: f64) -> bool {
    match &g.shape {
        Shape::Polygon(rings) => polygon_contains(rings, x, y),
        Shape::MultiPolygon(polygons) => polygons.iter().any(|rings| polygon_contains(rings, x, y)),
        _ => false,
    }
}

#[derive(Debug, PartialEq)]
enum Location {
    Inside,
    Boundary,
    Outside,
}

fn locate(ring: &[Coord], x: f64, y: f64) -> Location {
    let mut inside = false;
    for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
        if on_segment((x, y), (a.x, a.y), (b.x, b.y)) {
            return Location::Boundary;
        }
        if (a.y > y) != (b.y > y) && x < a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y) {
            inside = !inside;
        }
    }
    if inside {
        Location::Inside
    } else {
        Location::Outside
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::Dimension;

    fn ring(xy: &[(f64, f64)]) -> Vec<Coord> {
        xy.iter().map(|&(x, y)| Coord::xy(x, y)).collect()
    }

    #[test]
    fn vertices_and_edges_count_as_inside() {
        let triangle = [ring(&[(0.0, 0.0), (10.0, 0.0), (0.0, 10.0), (0.0, 0.0)])];
        assert!(polygon_contains(&triangle, 0.0, 0.0));
        assert!(polygon_contains(&triangle, 5.0, 5.0), "on the diagonal");
        assert!(polygon_contains(&triangle, 5.0, 0.0));
        assert!(!polygon_contains(&triangle, 5.1, 5.0));
        assert!(
            !polygon_contains(&triangle, -1.0, 0.0),
            "on the line of an edge, outside"
        );
    }

    #[test]
    fn the_edge_of_a_hole_belongs_to_the_polygon() {
        let with_hole = [
            ring(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]),
            ring(&[(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0)]),
        ];
        assert!(polygon_contains(&with_hole, 4.0, 5.0));
        assert!(!polygon_contains(&with_hole, 4.5, 5.0));
        assert!(polygon_contains(&with_hole, 3.0, 5.0));
    }

    #[test]
    fn unclosed_rings_close_themselves() {
        let open = [ring(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)])];
        assert!(polygon_contains(&open, 5.0, 5.0));
        assert!(polygon_contains(&open, 0.0, 5.0));
        assert!(!polygon_contains(&open, 11.0, 5.0));
    }

    #[test]
    fn degenerate_input_contains_nothing() {
        assert!(!polygon_contains(&[], 0.0, 0.0));
        assert!(!polygon_contains(&[vec![]], 0.0, 0.0));
        let square = [ring(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)])];
        assert!(!polygon_contains(&square, f64::NAN, 0.5));
        assert!(!polygon_contains(&square, f64::INFINITY, 0.5));
        let broken = [ring(&[(0.0, 0.0), (f64::NAN, 0.0), (1.0, 1.0), (0.0, 0.0)])];
        assert!(!polygon_contains(&broken, 5.0, 5.0));
    }

    #[test]
    fn multipolygons_contain_points_of_any_part() {
        let square = |x0: f64| ring(&[(x0, 0.0), (x0 + 1.0, 0.0), (x0 + 1.0, 1.0), (x0, 1.0), (x0, 0.0)]);
        let g = Geometry {
            dim: Dimension::Xyz,
            shape: Shape::MultiPolygon(vec![vec![square(0.0)], vec![square(5.0)]]),
        };
        assert!(geometry_contains_point(&g, 5.5, 0.5));
        assert!(!geometry_contains_point(&g, 3.0, 0.5));
        let line = Geometry::line_string([(0.0, 0.0), (1.0, 1.0)]);
        assert!(!geometry_contains_point(&line, 0.5, 0.5));
    }
}
