//! Circular arcs as line segments: how the curve geometries of the
//! GeoPackage non-linear extension (written by QGIS and GDAL) are drawn,
//! indexed and measured by a reader that works on lines.

use super::Coord;

/// The largest angle one segment of a stroked arc spans. GDAL's default
/// (the `OGR_ARC_STEPSIZE` configuration option, 4 degrees, in GDAL's
/// "Configuration options" documentation), so lines match what GDAL and
/// QGIS draw from the same file.
pub const ARC_STEP_DEGREES: f64 = 4.0;

/// Appends the arc from `a` through `b` to `c` to `out`: the points after
/// `a`, ending exactly at `c`, none more than [`ARC_STEP_DEGREES`] apart
/// along the circle. Three points on a line are the two straight segments;
/// `a == c` is the whole circle through `b`, counter-clockwise. Z and M
/// change linearly with the angle, from `a` to `b` and from `b` to `c`.
///
/// ```
/// use tongtin::geom::{stroke_arc, Coord};
///
/// // A half circle of radius 10 from (10, 0) through (0, 10) to (-10, 0).
/// let mut line = vec![Coord::xy(10.0, 0.0)];
/// stroke_arc(line[0], Coord::xy(0.0, 10.0), Coord::xy(-10.0, 0.0), &mut line);
/// assert_eq!(line.len(), 1 + 45); // 180 degrees in steps of 4
/// assert_eq!(line.last(), Some(&Coord::xy(-10.0, 0.0)));
/// assert!(line.iter().all(|p| ((p.x * p.x + p.y * p.y).sqrt() - 10.0).abs() < 1e-9));
/// assert!(line.iter().all(|p| p.y >= 0.0)); // the upper half: through b
/// ```
pub fn stroke_arc(a: Coord, b: Coord, c: Coord, out: &mut Vec<Coord>) {
    // Relative to `a`, so that squares of UTM coordinates keep their precision.
    let (bx, by) = (b.x - a.x, b.y - a.y);
    let (cx, cy) = (c.x - a.x, c.y - a.y);
    let full_circle = cx == 0.0 && cy == 0.0;
    let (ux, uy) = if full_circle {
        (bx / 2.0, by / 2.0)
    } else {
        let d = 2.0 * (bx * cy - by * cx);
        let scale = (bx.abs() + by.abs() + cx.abs() + cy.abs()).powi(2);
        if d.abs() <= 1e-12 * scale {
            out.extend([b, c]);
            return;
        }
        let (b2, c2) = (bx * bx + by * by, cx * cx + cy * cy);
        ((b2 * cy - c2 * by) / d, (c2 * bx - b2 * cx) / d)
    };
    let radius = ux.hypot(uy);
    let angle = |x: f64, y: f64| (y - uy).atan2(x - ux);
    let start = angle(0.0, 0.0);
    let counter_clockwise = full_circle || bx * (cy - by) - by * (cx - bx) > 0.0;
    let tau = std::f64::consts::TAU;
    // The signed angle from the start to a point, the way the arc turns.
    let turn = |to: f64| {
        let t = (to - start).rem_euclid(tau);
        if counter_clockwise {
            if t == 0.0 {
                tau
            } else {
                t
            }
        } else {
            -((tau - t).rem_euclid(tau))
        }
    };
    let sweep = if full_circle { tau } else { turn(angle(cx, cy)) };
    let through = turn(angle(bx, by)) / sweep;
    let steps = (sweep.abs() / ARC_STEP_DEGREES.to_radians()).ceil().max(1.0) as usize;
    let between = |p: f64, q: f64, f: f64| p + (q - p) * f;
    for i in 1..steps {
        let f = i as f64 / steps as f64;
        let t = start + sweep * f;
        let (z, m) = if f <= through {
            let g = f / through;
            (between(a.z, b.z, g), between(a.m, b.m, g))
        } else {
            let g = (f - through) / (1.0 - through);
            (between(b.z, c.z, g), between(b.m, c.m, g))
        };
        out.push(Coord {
            x: a.x + ux + radius * t.cos(),
            y: a.y + uy + radius * t.sin(),
            z,
            m,
        });
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arc(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> Vec<Coord> {
        let mut out = vec![Coord::xy(a.0, a.1)];
        stroke_arc(out[0], Coord::xy(b.0, b.1), Coord::xy(c.0, c.1), &mut out);
        out
    }

    fn on_circle(line: &[Coord], centre: (f64, f64), radius: f64) -> bool {
        line.iter()
            .all(|p| ((p.x - centre.0).hypot(p.y - centre.1) - radius).abs() < 1e-6 * radius.max(1.0))
    }

    #[test]
    fn a_clockwise_arc_turns_clockwise_through_its_middle_point() {
        // A quarter circle in UTM coordinates, clockwise from north to east of the centre.
        let (x, y) = (800_000.0, 1_880_000.0);
        let s = std::f64::consts::FRAC_1_SQRT_2 * 50.0;
        let line = arc((x, y + 50.0), (x + s, y + s), (x + 50.0, y));
        assert!(on_circle(&line, (x, y), 50.0));
        assert_eq!(line.len(), 1 + 23, "90 degrees in steps of at most 4");
        assert!(
            line.iter().all(|p| p.x >= x - 1e-9 && p.y >= y - 1e-9),
            "the quarter through the middle point"
        );
        let turns = line.windows(3).all(|w| {
            let cross = (w[1].x - w[0].x) * (w[2].y - w[1].y) - (w[1].y - w[0].y) * (w[2].x - w[1].x);
            cross < 0.0
        });
        assert!(turns, "every corner turns clockwise");
    }

    #[test]
    fn the_long_way_round_is_taken_when_the_middle_point_is_there() {
        // From east to north through the south-west: 270 degrees.
        let line = arc((1.0, 0.0), (-0.6, -0.8), (0.0, 1.0));
        assert!(on_circle(&line, (0.0, 0.0), 1.0));
        assert_eq!(line.len(), 1 + 68);
        assert!(line.iter().any(|p| p.x < -0.99) && line.iter().any(|p| p.y < -0.99));
    }

    #[test]
    fn three_points_on_a_line_stay_straight_and_a_closed_arc_is_a_circle() {
        assert_eq!(
            arc((0.0, 0.0), (1.0, 1.0), (3.0, 3.0)),
            vec![Coord::xy(0.0, 0.0), Coord::xy(1.0, 1.0), Coord::xy(3.0, 3.0)]
        );
        let circle = arc((0.0, 0.0), (2.0, 0.0), (0.0, 0.0));
        assert!(on_circle(&circle, (1.0, 0.0), 1.0));
        assert_eq!(circle.len(), 1 + 90);
        assert_eq!(circle.first(), circle.last());
    }

    #[test]
    fn z_follows_the_control_points() {
        let a = Coord {
            z: 10.0,
            ..Coord::xy(1.0, 0.0)
        };
        let b = Coord {
            z: 20.0,
            ..Coord::xy(0.0, 1.0)
        };
        let c = Coord {
            z: 40.0,
            ..Coord::xy(-1.0, 0.0)
        };
        let mut line = vec![a];
        stroke_arc(a, b, c, &mut line);
        let quarter = std::f64::consts::FRAC_PI_2;
        for p in &line {
            let t = p.y.atan2(p.x);
            let expected = if t <= quarter {
                10.0 + 10.0 * t / quarter
            } else {
                20.0 + 20.0 * (t - quarter) / quarter
            };
            assert!(
                (p.z - expected).abs() < 1e-9,
                "z {} at {t} rad, expected {expected}",
                p.z
            );
        }
        assert_eq!(line.last().map(|p| p.z), Some(40.0));
    }
}
