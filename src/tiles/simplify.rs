//! Douglas–Peucker simplification in tile units.

use super::clip::P;

/// Keeps the points that deviate more than `tolerance` from the simplified
/// line; the first and last points always stay.
///
/// ```
/// use tongtin::tiles::simplify::simplify;
/// let wobbly = [(0.0, 0.0), (5.0, 0.2), (10.0, 0.0), (10.0, 10.0)];
/// assert_eq!(simplify(&wobbly, 1.0), vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
/// ```
pub fn simplify(line: &[P], tolerance: f64) -> Vec<P> {
    if line.len() <= 2 || tolerance <= 0.0 {
        return line.to_vec();
    }
    let mut keep = vec![false; line.len()];
    keep[0] = true;
    keep[line.len() - 1] = true;
    let mut stack = vec![(0, line.len() - 1)];
    let tol2 = tolerance * tolerance;
    while let Some((first, last)) = stack.pop() {
        let mut worst = (0.0, 0);
        for i in first + 1..last {
            let d = distance2(line[i], line[first], line[last]);
            if d > worst.0 {
                worst = (d, i);
            }
        }
        if worst.0 > tol2 {
            keep[worst.1] = true;
            stack.push((first, worst.1));
            stack.push((worst.1, last));
        }
    }
    line.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

/// Squared distance from `p` to the segment a–b.
fn distance2(p: P, a: P, b: P) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    let (x, y) = (a.0 + t * dx - p.0, a.1 + t * dy - p.1);
    x * x + y * y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closed_ring_keeps_its_closing_point() {
        let ring = [
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (5.0, 10.1),
            (0.0, 10.0),
            (0.0, 0.0),
        ];
        let s = simplify(&ring, 0.5);
        assert_eq!(s.first(), s.last());
        assert_eq!(s.len(), 5);
    }
}
