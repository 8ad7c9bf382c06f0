//! Hypsometric tint: a colour for each elevation, from the lowest ground of
//! the municipality (green) through yellow and brown to its highest (near
//! white), shaded by the relief.

/// The ramp as (fraction of the elevation range, colour).
pub const RAMP: [(f64, [u8; 3]); 5] = [
    (0.0, [82, 153, 84]),
    (0.25, [166, 196, 107]),
    (0.5, [235, 220, 140]),
    (0.75, [196, 150, 96]),
    (1.0, [240, 236, 228]),
];

/// The ramp's colour at `fraction` (clamped to 0–1), interpolated.
///
/// ```
/// use tongtin::tiles::tint::{colour, RAMP};
/// assert_eq!(colour(0.0), RAMP[0].1);
/// assert_eq!(colour(2.0), RAMP[4].1);
/// assert_eq!(colour(0.125), [124, 175, 96]);
/// ```
pub fn colour(fraction: f64) -> [u8; 3] {
    let f = if fraction.is_finite() {
        fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    for pair in RAMP.windows(2) {
        let ((a, ca), (b, cb)) = (pair[0], pair[1]);
        if f <= b {
            let t = (f - a) / (b - a);
            return std::array::from_fn(|i| {
                (f64::from(ca[i]) + t * (f64::from(cb[i]) - f64::from(ca[i]))).round() as u8
            });
        }
    }
    RAMP[RAMP.len() - 1].1
}

/// The legend for elevations `min`–`max`: each ramp stop's elevation and colour.
pub fn legend(min: f64, max: f64) -> Vec<(f64, [u8; 3])> {
    RAMP.iter().map(|&(f, c)| (min + f * (max - min), c)).collect()
}
