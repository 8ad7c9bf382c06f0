//! Village areas: each village's share of the municipality, the cells of the
//! village centres (every place belongs to the nearest centre, as the demo's
//! poles do) clipped to the boundary, one half-plane at a time
//! (Sutherland–Hodgman against each perpendicular bisector).

use super::boundary::Boundary;
use super::network::Village;
use super::polyline::Pt;
use crate::geom::{Coord, Dimension, Geometry, Shape};

/// The area of each village as a MultiPolygon, in village order.
pub fn areas(boundary: &Boundary, villages: &[Village]) -> Vec<Geometry> {
    villages
        .iter()
        .map(|v| {
            let polys: Vec<Vec<Vec<Coord>>> = boundary
                .polygons
                .iter()
                .filter_map(|rings| {
                    let clipped: Vec<Vec<Coord>> = rings.iter().map(|ring| cell_of(ring, v.centre, villages)).collect();
                    let outer = clipped.first().filter(|r| r.len() >= 4)?.clone();
                    Some(
                        std::iter::once(outer)
                            .chain(clipped.into_iter().skip(1).filter(|r| r.len() >= 4))
                            .collect(),
                    )
                })
                .collect();
            Geometry {
                dim: Dimension::Xy,
                shape: Shape::MultiPolygon(polys),
            }
        })
        .collect()
}

/// `ring` clipped to the places nearer `centre` than any other village, closed.
fn cell_of(ring: &[Pt], centre: Pt, villages: &[Village]) -> Vec<Coord> {
    let mut pts: Vec<Pt> = ring.to_vec();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    for other in villages.iter().map(|v| v.centre).filter(|&c| c != centre) {
        pts = clip(&pts, centre, other);
        if pts.is_empty() {
            break;
        }
    }
    let mut out: Vec<Coord> = pts.iter().map(|&(x, y)| Coord::xy(round_cm(x), round_cm(y))).collect();
    if let Some(&first) = out.first() {
        out.push(first);
    }
    out
}

/// Keeps the part of a polygon on `a`'s side of the bisector of `a` and `b`.
fn clip(pts: &[Pt], a: Pt, b: Pt) -> Vec<Pt> {
    let (nx, ny) = (b.0 - a.0, b.1 - a.1);
    let (mx, my) = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    let side = |p: Pt| (p.0 - mx) * nx + (p.1 - my) * ny;
    let mut out = Vec::with_capacity(pts.len());
    for i in 0..pts.len() {
        let (p, q) = (pts[i], pts[(i + 1) % pts.len()]);
        let (sp, sq) = (side(p), side(q));
        if sp <= 0.0 {
            out.push(p);
        }
        if (sp <= 0.0) != (sq <= 0.0) {
            let t = sp / (sp - sq);
            out.push((p.0 + t * (q.0 - p.0), p.1 + t * (q.1 - p.1)));
        }
    }
    out
}

fn round_cm(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_is_cut_along_the_bisector() {
        let square = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        let left = clip(&square, (2.0, 5.0), (8.0, 5.0));
        assert_eq!(left, vec![(0.0, 0.0), (5.0, 0.0), (5.0, 10.0), (0.0, 10.0)]);
        assert!(clip(&square, (20.0, 5.0), (12.0, 5.0)).is_empty());
    }
}
