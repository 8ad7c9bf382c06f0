//! Clipping lines and polygons to a tile's rectangle (plus its buffer).

use crate::geom::Envelope;

pub type P = (f64, f64);

/// An axis-aligned clipping rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl Rect {
    pub fn contains(&self, p: P) -> bool {
        p.0 >= self.min_x && p.0 <= self.max_x && p.1 >= self.min_y && p.1 <= self.max_y
    }
}

/// The parts of a polyline inside `r`, each a polyline of its own.
///
/// ```
/// use tongtin::tiles::clip::{clip_line, Rect};
/// let r = Rect { min_x: 0.0, min_y: 0.0, max_x: 10.0, max_y: 10.0 };
/// let parts = clip_line(&[(-5.0, 5.0), (5.0, 5.0), (5.0, 15.0)], &r);
/// assert_eq!(parts, vec![vec![(0.0, 5.0), (5.0, 5.0), (5.0, 10.0)]]);
/// ```
pub fn clip_line(line: &[P], r: &Rect) -> Vec<Vec<P>> {
    let mut parts: Vec<Vec<P>> = Vec::new();
    let mut current: Vec<P> = Vec::new();
    for w in line.windows(2) {
        match clip_segment(w[0], w[1], r) {
            Some((a, b)) => {
                if current.last() != Some(&a) {
                    if current.len() >= 2 {
                        parts.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    current.push(a);
                }
                current.push(b);
                if b != w[1] {
                    parts.push(std::mem::take(&mut current));
                }
            }
            None => {
                if current.len() >= 2 {
                    parts.push(std::mem::take(&mut current));
                }
                current.clear();
            }
        }
    }
    if current.len() >= 2 {
        parts.push(current);
    }
    if line.len() == 1 && r.contains(line[0]) {
        parts.push(line.to_vec());
    }
    parts
}

/// The part of segment a–b inside `r` (see [`crate::geom::clip_segment`]).
fn clip_segment(a: P, b: P, r: &Rect) -> Option<(P, P)> {
    crate::geom::clip_segment(a, b, &Envelope::new(r.min_x, r.min_y, r.max_x, r.max_y))
}

/// One side of the clip rectangle: whether a point is inside it, and where a
/// segment crosses it.
type Edge = (fn(P, &Rect) -> bool, fn(P, P, &Rect) -> P);

/// Sutherland–Hodgman: the ring clipped to `r`, closed, or empty when nothing is left.
/// The result keeps the ring's orientation; parts of a concave ring that are
/// cut off are joined along the rectangle's edge, as renderers expect.
pub fn clip_ring(ring: &[P], r: &Rect) -> Vec<P> {
    let mut pts: Vec<P> = ring.to_vec();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    let edges: [Edge; 4] = [
        (|p, r| p.0 >= r.min_x, |a, b, r| at_x(a, b, r.min_x)),
        (|p, r| p.0 <= r.max_x, |a, b, r| at_x(a, b, r.max_x)),
        (|p, r| p.1 >= r.min_y, |a, b, r| at_y(a, b, r.min_y)),
        (|p, r| p.1 <= r.max_y, |a, b, r| at_y(a, b, r.max_y)),
    ];
    for (inside, cross) in edges {
        if pts.is_empty() {
            break;
        }
        let mut out = Vec::with_capacity(pts.len() + 4);
        for i in 0..pts.len() {
            let cur = pts[i];
            let prev = pts[(i + pts.len() - 1) % pts.len()];
            match (inside(prev, r), inside(cur, r)) {
                (true, true) => out.push(cur),
                (true, false) => out.push(cross(prev, cur, r)),
                (false, true) => {
                    out.push(cross(prev, cur, r));
                    out.push(cur);
                }
                (false, false) => {}
            }
        }
        pts = out;
    }
    if pts.len() < 3 {
        return Vec::new();
    }
    pts.push(pts[0]);
    pts
}

fn at_x(a: P, b: P, x: f64) -> P {
    (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0))
}

fn at_y(a: P, b: P, y: f64) -> P {
    (a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1), y)
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: Rect = Rect {
        min_x: 0.0,
        min_y: 0.0,
        max_x: 10.0,
        max_y: 10.0,
    };

    #[test]
    fn a_line_leaving_and_reentering_becomes_two_parts() {
        let parts = clip_line(&[(2.0, 2.0), (2.0, 20.0), (8.0, 20.0), (8.0, 2.0)], &R);
        assert_eq!(
            parts,
            vec![vec![(2.0, 2.0), (2.0, 10.0)], vec![(8.0, 10.0), (8.0, 2.0)]]
        );
        assert!(clip_line(&[(20.0, 20.0), (30.0, 30.0)], &R).is_empty());
    }

    #[test]
    fn rings_are_cut_to_the_rectangle_and_stay_closed() {
        let ring = [(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0), (-5.0, -5.0)];
        let clipped = clip_ring(&ring, &R);
        assert_eq!(clipped.first(), clipped.last());
        assert!(clipped.iter().all(|&p| R.contains(p)));
        let area: f64 = clipped
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum::<f64>()
            / 2.0;
        assert_eq!(area, 25.0, "the quarter inside, same orientation");
        assert!(clip_ring(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], &R).is_empty());
        let around = clip_ring(&[(-1.0, -1.0), (11.0, -1.0), (11.0, 11.0), (-1.0, 11.0)], &R);
        assert_eq!(around.len(), 5, "a ring around the tile becomes the tile's outline");
    }
}
