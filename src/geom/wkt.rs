//! Well-known text (OGC / ISO SQL/MM) for people to read: the history panel
//! and messages. Numbers are rounded and trimmed, so this is not for round trips.

use super::{Coord, Dimension, Geometry, Shape};

/// The most decimals written, whatever is asked: beyond this an f64 shows noise.
const MAX_DECIMALS: usize = 17;

/// The WKT of `g` with at most `max_decimals` decimals (capped at 17), trailing
/// zeros trimmed. Z, M and ZM geometries are tagged (`POINT Z (1 2 3)`), empty
/// ones written as `EMPTY`, multipoints as `MULTIPOINT ((1 2), (3 4))`.
/// Coordinates that are not finite are written as Rust prints them (`NaN`, `inf`).
///
/// ```
/// use tongtin::geom::{to_wkt, Geometry};
/// let pole = Geometry::point(712345.1234, 1812345.5);
/// assert_eq!(to_wkt(&pole, 2), "POINT (712345.12 1812345.5)");
/// let road = Geometry::line_string([(0.0, 0.0), (10.0, 2.5)]);
/// assert_eq!(to_wkt(&road, 3), "LINESTRING (0 0, 10 2.5)");
/// ```
pub fn to_wkt(g: &Geometry, max_decimals: usize) -> String {
    let mut out = String::new();
    geometry(&mut out, g, max_decimals.min(MAX_DECIMALS));
    out
}

fn geometry(out: &mut String, g: &Geometry, decimals: usize) {
    out.push_str(g.geometry_type().name());
    out.push_str(match g.dim {
        Dimension::Xy => " ",
        Dimension::Xyz => " Z ",
        Dimension::Xym => " M ",
        Dimension::Xyzm => " ZM ",
    });
    let f = Format { dim: g.dim, decimals };
    match &g.shape {
        Shape::Point(c) => f.point(out, c),
        Shape::LineString(line) => f.points(out, line),
        Shape::Polygon(rings) => f.rings(out, rings),
        Shape::MultiPoint(points) => list(out, points, |out, c| f.point(out, c)),
        Shape::MultiLineString(lines) => f.rings(out, lines),
        Shape::MultiPolygon(polygons) => list(out, polygons, |out, rings| f.rings(out, rings)),
        Shape::GeometryCollection(parts) => list(out, parts, |out, part| geometry(out, part, decimals)),
    }
}

/// `EMPTY`, or the items in parentheses separated by commas.
fn list<T>(out: &mut String, items: &[T], mut item: impl FnMut(&mut String, &T)) {
    if items.is_empty() {
        out.push_str("EMPTY");
        return;
    }
    out.push('(');
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item(out, it);
    }
    out.push(')');
}

#[derive(Clone, Copy)]
struct Format {
    dim: Dimension,
    decimals: usize,
}

impl Format {
    fn point(self, out: &mut String, c: &Coord) {
        if c.is_empty() {
            out.push_str("EMPTY");
        } else {
            out.push('(');
            self.coord(out, c);
            out.push(')');
        }
    }

    fn points(self, out: &mut String, line: &[Coord]) {
        list(out, line, |out, c| self.coord(out, c));
    }

    fn rings(self, out: &mut String, rings: &[Vec<Coord>]) {
        list(out, rings, |out, ring| self.points(out, ring));
    }

    fn coord(self, out: &mut String, c: &Coord) {
        self.number(out, c.x);
        out.push(' ');
        self.number(out, c.y);
        if self.dim.has_z() {
            out.push(' ');
            self.number(out, c.z);
        }
        if self.dim.has_m() {
            out.push(' ');
            self.number(out, c.m);
        }
    }

    fn number(self, out: &mut String, v: f64) {
        let text = format!("{v:.*}", self.decimals);
        let trimmed = if text.contains('.') {
            text.trim_end_matches('0').trim_end_matches('.')
        } else {
            &text
        };
        out.push_str(if trimmed == "-0" { "0" } else { trimmed });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64, z: f64, m: f64) -> Coord {
        Coord { x, y, z, m }
    }

    fn g(dim: Dimension, shape: Shape) -> Geometry {
        Geometry { dim, shape }
    }

    #[test]
    fn dimensions_are_tagged() {
        let p = c(1.0, 2.0, 3.0, 4.0);
        assert_eq!(to_wkt(&g(Dimension::Xy, Shape::Point(p)), 3), "POINT (1 2)");
        assert_eq!(to_wkt(&g(Dimension::Xyz, Shape::Point(p)), 3), "POINT Z (1 2 3)");
        assert_eq!(to_wkt(&g(Dimension::Xym, Shape::Point(p)), 3), "POINT M (1 2 4)");
        assert_eq!(to_wkt(&g(Dimension::Xyzm, Shape::Point(p)), 3), "POINT ZM (1 2 3 4)");
    }

    #[test]
    fn empty_geometries() {
        assert_eq!(
            to_wkt(&g(Dimension::Xy, Shape::Point(Coord::empty())), 2),
            "POINT EMPTY"
        );
        assert_eq!(
            to_wkt(&g(Dimension::Xyz, Shape::Point(Coord::empty())), 2),
            "POINT Z EMPTY"
        );
        assert_eq!(
            to_wkt(&g(Dimension::Xy, Shape::LineString(vec![])), 2),
            "LINESTRING EMPTY"
        );
        assert_eq!(to_wkt(&g(Dimension::Xy, Shape::Polygon(vec![])), 2), "POLYGON EMPTY");
        assert_eq!(
            to_wkt(&g(Dimension::Xym, Shape::MultiPolygon(vec![])), 2),
            "MULTIPOLYGON M EMPTY"
        );
        assert_eq!(
            to_wkt(&g(Dimension::Xy, Shape::GeometryCollection(vec![])), 2),
            "GEOMETRYCOLLECTION EMPTY"
        );
        let some_empty = Shape::MultiPoint(vec![Coord::empty(), Coord::xy(1.0, 2.0)]);
        assert_eq!(to_wkt(&g(Dimension::Xy, some_empty), 2), "MULTIPOINT (EMPTY, (1 2))");
    }

    #[test]
    fn every_shape() {
        let square = vec![
            Coord::xy(0.0, 0.0),
            Coord::xy(1.0, 0.0),
            Coord::xy(1.0, 1.0),
            Coord::xy(0.0, 0.0),
        ];
        let polygon = g(Dimension::Xy, Shape::Polygon(vec![square.clone(), vec![]]));
        assert_eq!(to_wkt(&polygon, 1), "POLYGON ((0 0, 1 0, 1 1, 0 0), EMPTY)");
        let points = g(
            Dimension::Xy,
            Shape::MultiPoint(vec![Coord::xy(1.0, 2.0), Coord::xy(3.0, 4.0)]),
        );
        assert_eq!(to_wkt(&points, 1), "MULTIPOINT ((1 2), (3 4))");
        let lines = g(
            Dimension::Xy,
            Shape::MultiLineString(vec![square[..2].to_vec(), square[2..].to_vec()]),
        );
        assert_eq!(to_wkt(&lines, 1), "MULTILINESTRING ((0 0, 1 0), (1 1, 0 0))");
        let polygons = g(Dimension::Xy, Shape::MultiPolygon(vec![vec![square], vec![]]));
        assert_eq!(to_wkt(&polygons, 1), "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), EMPTY)");
        let z_point = g(Dimension::Xyz, Shape::Point(c(1.0, 2.0, 3.0, 0.0)));
        let collection = g(Dimension::Xyz, Shape::GeometryCollection(vec![z_point, polygon]));
        assert_eq!(
            to_wkt(&collection, 1),
            "GEOMETRYCOLLECTION Z (POINT Z (1 2 3), POLYGON ((0 0, 1 0, 1 1, 0 0), EMPTY))"
        );
    }

    #[test]
    fn numbers_are_rounded_and_trimmed() {
        let p = |x: f64, y: f64| g(Dimension::Xy, Shape::Point(Coord::xy(x, y)));
        assert_eq!(to_wkt(&p(712345.125, -0.001), 2), "POINT (712345.12 0)");
        assert_eq!(to_wkt(&p(-1.5, 100.0), 0), "POINT (-2 100)");
        assert_eq!(to_wkt(&p(0.1, 1e-20), usize::MAX), "POINT (0.10000000000000001 0)");
        assert_eq!(to_wkt(&p(f64::NAN, f64::INFINITY), 2), "POINT (NaN inf)");
    }
}
