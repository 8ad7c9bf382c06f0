//! Liang–Barsky clipping of one segment to an axis-aligned box: the part
//! inside, shared by exact box queries and tile clipping.

use super::Envelope;

/// The part of segment a–z inside `b` (edges included), `None` when none is.
///
/// ```
/// use tongtin::geom::{clip_segment, Envelope};
/// let b = Envelope::new(0.0, 0.0, 10.0, 10.0);
/// assert_eq!(clip_segment((-5.0, 5.0), (5.0, 5.0), &b), Some(((0.0, 5.0), (5.0, 5.0))));
/// assert_eq!(clip_segment((11.0, 0.0), (20.0, 5.0), &b), None);
/// ```
pub fn clip_segment(a: (f64, f64), z: (f64, f64), b: &Envelope) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (z.0 - a.0, z.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - b.min_x),
        (dx, b.max_x - a.0),
        (-dy, a.1 - b.min_y),
        (dy, b.max_y - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    // The end points themselves, not recomputed, where the segment is not cut.
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            z
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}
