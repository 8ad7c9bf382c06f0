//! Joining two linestrings that meet end to end into one: merging road or
//! drain sections.

use thiserror::Error;

use super::Coord;

/// Why two lines could not be merged.
#[derive(Clone, Copy, Debug, Error, PartialEq)]
pub enum MergeError {
    /// One of the lines has fewer than 2 points.
    #[error("a line to merge has fewer than 2 points")]
    TooShort,
    /// No end of one line is within the tolerance of an end of the other.
    #[error("the lines do not meet: their nearest ends are {gap} apart")]
    Apart { gap: f64 },
}

/// Joins `a` and `b` where an end of one lies within `tolerance` of an end of the
/// other (in XY), reversing either as needed.
///
/// The result starts at the end of `a` that is not joined and follows `a`, then
/// `b`. The shared vertex appears once, as `a` has it. When several pairs of ends
/// meet (the lines close a loop), the nearest pair joins; on a tie, `a`'s last
/// point to `b`'s first, then to `b`'s last, then `a`'s first to `b`'s first.
///
/// ```
/// use tongtin::geom::{merge_lines, Coord};
/// let a = [Coord::xy(0.0, 0.0), Coord::xy(10.0, 0.0)];
/// let b = [Coord::xy(20.0, 5.0), Coord::xy(10.0, 0.0)];
/// let merged = merge_lines(&a, &b, 0.01).unwrap();
/// assert_eq!(merged, [Coord::xy(0.0, 0.0), Coord::xy(10.0, 0.0), Coord::xy(20.0, 5.0)]);
/// ```
pub fn merge_lines(a: &[Coord], b: &[Coord], tolerance: f64) -> Result<Vec<Coord>, MergeError> {
    let (Some((a_first, a_last)), Some((b_first, b_last))) = (ends(a), ends(b)) else {
        return Err(MergeError::TooShort);
    };
    // (a reversed, b reversed, gap): reversing a joins its first point, reversing b its last.
    let joins = [
        (false, false, distance(&a_last, &b_first)),
        (false, true, distance(&a_last, &b_last)),
        (true, false, distance(&a_first, &b_first)),
        (true, true, distance(&a_first, &b_last)),
    ];
    // The first of equal minima wins: the order above is the preference on a tie.
    let nearest = joins
        .iter()
        .filter(|j| j.2 <= tolerance)
        .min_by(|x, y| x.2.total_cmp(&y.2));
    let Some(&(reverse_a, reverse_b, _)) = nearest else {
        let gap = joins.iter().fold(f64::NAN, |gap, j| gap.min(j.2));
        return Err(MergeError::Apart { gap });
    };
    let mut merged: Vec<Coord> = if reverse_a {
        a.iter().rev().copied().collect()
    } else {
        a.to_vec()
    };
    if reverse_b {
        merged.extend(b.iter().rev().skip(1));
    } else {
        merged.extend(b.iter().skip(1));
    }
    Ok(merged)
}

/// The first and last points of a line of at least 2 points.
fn ends(line: &[Coord]) -> Option<(Coord, Coord)> {
    match line {
        [first, .., last] => Some((*first, *last)),
        _ => None,
    }
}

fn distance(p: &Coord, q: &Coord) -> f64 {
    (p.x - q.x).hypot(p.y - q.y)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(xy: &[(f64, f64)]) -> Vec<Coord> {
        xy.iter().map(|&(x, y)| Coord::xy(x, y)).collect()
    }

    #[test]
    fn every_orientation_starts_at_the_free_end_of_a() {
        let a = line(&[(0.0, 0.0), (1.0, 0.0)]);
        let a_rev = line(&[(1.0, 0.0), (0.0, 0.0)]);
        let b = line(&[(1.0, 0.0), (2.0, 0.0)]);
        let b_rev = line(&[(2.0, 0.0), (1.0, 0.0)]);
        let expected = line(&[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)]);
        for (a, b) in [(&a, &b), (&a, &b_rev), (&a_rev, &b), (&a_rev, &b_rev)] {
            assert_eq!(merge_lines(a, b, 0.0).unwrap(), expected, "{a:?} + {b:?}");
        }
    }

    #[test]
    fn within_tolerance_a_keeps_its_vertex() {
        let a = line(&[(0.0, 0.0), (10.0, 0.0)]);
        let b = line(&[(10.05, 0.0), (20.0, 0.0), (30.0, 5.0)]);
        assert_eq!(
            merge_lines(&a, &b, 0.1).unwrap(),
            line(&[(0.0, 0.0), (10.0, 0.0), (20.0, 0.0), (30.0, 5.0)])
        );
        assert_eq!(
            merge_lines(&a, &b, 0.01),
            Err(MergeError::Apart {
                gap: 0.05000000000000071
            })
        );
    }

    #[test]
    fn closing_a_loop_keeps_a_forward() {
        let a = line(&[(0.0, 0.0), (10.0, 0.0)]);
        let b = line(&[(10.0, 0.0), (5.0, 5.0), (0.0, 0.0)]);
        assert_eq!(
            merge_lines(&a, &b, 0.0).unwrap(),
            line(&[(0.0, 0.0), (10.0, 0.0), (5.0, 5.0), (0.0, 0.0)])
        );
    }

    #[test]
    fn the_nearest_pair_of_ends_joins() {
        let a = line(&[(0.0, 0.0), (10.0, 0.0)]);
        let b = line(&[(10.5, 0.0), (5.0, 5.0), (0.0, 0.1)]);
        assert_eq!(merge_lines(&a, &b, 1.0).unwrap()[0], Coord::xy(10.0, 0.0));
    }

    #[test]
    fn short_lines_and_bad_numbers_are_errors() {
        let a = line(&[(0.0, 0.0), (10.0, 0.0)]);
        assert_eq!(merge_lines(&a, &a[..1], 1.0), Err(MergeError::TooShort));
        assert_eq!(merge_lines(&[], &a, 1.0), Err(MergeError::TooShort));
        assert!(matches!(merge_lines(&a, &a, f64::NAN), Err(MergeError::Apart { .. })));
        let nan = line(&[(f64::NAN, 0.0), (f64::NAN, 1.0)]);
        assert!(matches!(merge_lines(&a, &nan, 1.0), Err(MergeError::Apart { gap }) if gap.is_nan()));
    }
}
