//! Thinning points at low zoom: one point per screen-pixel cell, carrying how
//! many it stands for, so a dense layer still shows where everything is
//! without a tile of millions of points.

use std::collections::HashMap;

/// Keeps the first point of every `cell`-sized square and counts the rest.
/// Returns (index into `points`, how many points the kept one stands for).
///
/// ```
/// use tongtin::tiles::thin::thin;
/// let points = [(1.0, 1.0), (2.0, 2.0), (20.0, 1.0)];
/// assert_eq!(thin(&points, 16.0), vec![(0, 2), (2, 1)]);
/// ```
pub fn thin(points: &[(f64, f64)], cell: f64) -> Vec<(usize, u32)> {
    let mut cells: HashMap<(i64, i64), usize> = HashMap::with_capacity(points.len() / 4 + 1);
    let mut kept: Vec<(usize, u32)> = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let key = ((p.0 / cell).floor() as i64, (p.1 / cell).floor() as i64);
        match cells.get(&key) {
            Some(&k) => kept[k].1 += 1,
            None => {
                cells.insert(key, kept.len());
                kept.push((i, 1));
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_point_is_counted_once_and_no_non_empty_input_empties() {
        let points: Vec<(f64, f64)> = (0..10_000)
            .map(|i| ((i % 100) as f64 * 3.0, (i / 100) as f64 * 3.0))
            .collect();
        let kept = thin(&points, 16.0);
        assert!(!kept.is_empty() && kept.len() < points.len());
        assert_eq!(kept.iter().map(|k| k.1 as usize).sum::<usize>(), points.len());
        assert_eq!(thin(&[(5.0, 5.0)], 16.0), vec![(0, 1)]);
    }
}
