//! Whether a geometry meets an axis-aligned box: the exact test behind
//! bounding-box queries, after the R-tree has proposed candidates.

use super::{clip_segment, Coord, Envelope, Geometry, Shape};

impl Geometry {
    /// True when any part of the geometry touches or lies inside `b`.
    ///
    /// ```
    /// use tongtin::geom::{Envelope, Geometry};
    /// let diagonal = Geometry::line_string([(0.0, 0.0), (10.0, 10.0)]);
    /// assert!(diagonal.intersects_envelope(&Envelope::new(4.0, 4.0, 6.0, 6.0)));
    /// // The line's envelope meets this box, the line itself does not.
    /// assert!(!diagonal.intersects_envelope(&Envelope::new(8.0, 0.0, 10.0, 2.0)));
    /// ```
    pub fn intersects_envelope(&self, b: &Envelope) -> bool {
        match &self.shape {
            Shape::Point(c) => !c.is_empty() && inside(c, b),
            Shape::MultiPoint(cs) => cs.iter().any(|c| !c.is_empty() && inside(c, b)),
            Shape::LineString(cs) => line_meets(cs, b),
            Shape::MultiLineString(lines) => lines.iter().any(|l| line_meets(l, b)),
            Shape::Polygon(rings) => polygon_meets(rings, b),
            Shape::MultiPolygon(polys) => polys.iter().any(|p| polygon_meets(p, b)),
            Shape::GeometryCollection(parts) => parts.iter().any(|g| g.intersects_envelope(b)),
        }
    }
}

fn inside(c: &Coord, b: &Envelope) -> bool {
    c.x >= b.min_x && c.x <= b.max_x && c.y >= b.min_y && c.y <= b.max_y
}

fn line_meets(cs: &[Coord], b: &Envelope) -> bool {
    match cs {
        [] => false,
        [only] => inside(only, b),
        _ => cs
            .windows(2)
            .any(|w| clip_segment((w[0].x, w[0].y), (w[1].x, w[1].y), b).is_some()),
    }
}

fn polygon_meets(rings: &[Vec<Coord>], b: &Envelope) -> bool {
    let Some(exterior) = rings.first() else {
        return false;
    };
    if rings.iter().any(|r| line_meets(r, b)) {
        return true;
    }
    // No edge crosses the box: either the box lies inside the polygon (and
    // not inside a hole) or they are apart.
    let corner = Coord::xy(b.min_x, b.min_y);
    contains(exterior, &corner) && !rings[1..].iter().any(|hole| contains(hole, &corner))
}

fn contains(ring: &[Coord], p: &Coord) -> bool {
    let mut inside = false;
    let n = ring.len();
    for i in 0..n {
        let (a, z) = (&ring[i], &ring[(i + 1) % n]);
        if (a.y > p.y) != (z.y > p.y) && p.x < a.x + (p.y - a.y) * (z.x - a.x) / (z.y - a.y) {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polygons_meet_boxes_inside_across_and_in_holes() {
        let square = Geometry::polygon(vec![
            vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)],
            vec![(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0)],
        ]);
        assert!(
            square.intersects_envelope(&Envelope::new(1.0, 1.0, 2.0, 2.0)),
            "box inside"
        );
        assert!(
            square.intersects_envelope(&Envelope::new(-5.0, -5.0, 20.0, 20.0)),
            "polygon inside box"
        );
        assert!(
            square.intersects_envelope(&Envelope::new(9.0, 9.0, 11.0, 11.0)),
            "across an edge"
        );
        assert!(
            !square.intersects_envelope(&Envelope::new(4.5, 4.5, 5.5, 5.5)),
            "inside the hole"
        );
        assert!(
            !square.intersects_envelope(&Envelope::new(11.0, 11.0, 12.0, 12.0)),
            "apart"
        );
    }

    #[test]
    fn points_and_touching_edges() {
        let b = Envelope::new(0.0, 0.0, 1.0, 1.0);
        assert!(Geometry::point(1.0, 1.0).intersects_envelope(&b));
        assert!(!Geometry::point(1.0, 1.5).intersects_envelope(&b));
        assert!(
            Geometry::line_string([(1.0, -1.0), (1.0, 2.0)]).intersects_envelope(&b),
            "touching the edge counts"
        );
        assert!(!Geometry::line_string([(1.5, -1.0), (1.5, 2.0)]).intersects_envelope(&b));
    }
}
