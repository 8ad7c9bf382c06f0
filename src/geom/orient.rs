//! The orientation predicate the segment algorithms share, in plain f64.
//!
//! Exact zero means collinear: good enough for digitised lines in projected
//! metres, where collinear vertices come from snapping and share exact values.

/// A position in the plane.
pub(super) type Xy = (f64, f64);

/// Twice the signed area of triangle a–b–c: positive when c lies left of a→b.
pub(super) fn cross(a: Xy, b: Xy, c: Xy) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

/// Whether `p` lies on the segment a–b, its ends included.
pub(super) fn on_segment(p: Xy, a: Xy, b: Xy) -> bool {
    cross(a, b, p) == 0.0 && p.0 >= a.0.min(b.0) && p.0 <= a.0.max(b.0) && p.1 >= a.1.min(b.1) && p.1 <= a.1.max(b.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sides_and_segments() {
        assert!(cross((0.0, 0.0), (1.0, 0.0), (0.5, 1.0)) > 0.0);
        assert!(cross((0.0, 0.0), (1.0, 0.0), (0.5, -1.0)) < 0.0);
        assert!(on_segment((2.0, 2.0), (0.0, 0.0), (4.0, 4.0)));
        assert!(on_segment((4.0, 4.0), (0.0, 0.0), (4.0, 4.0)));
        assert!(!on_segment((5.0, 5.0), (0.0, 0.0), (4.0, 4.0)));
        assert!(on_segment((1.0, 1.0), (1.0, 1.0), (1.0, 1.0)));
        assert!(!on_segment((f64::NAN, 0.0), (0.0, 0.0), (1.0, 0.0)));
    }
}
