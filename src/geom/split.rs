//! Splitting a linestring in two at the point nearest a click: cutting a road
//! or a drain where a new junction or a change of surface begins.

use thiserror::Error;

use super::{nearest_on_line, Coord};

/// Positions closer than this (in XY units) are the same vertex.
const SAME_POINT: f64 = 1e-9;

/// Why a line could not be split.
#[derive(Clone, Copy, Debug, Error, PartialEq)]
pub enum SplitError {
    /// Fewer than 2 points, or no segment with finite coordinates, or a split point that is not finite.
    #[error("not a line that can be split")]
    NotALine,
    /// The line passes farther from the split point than the tolerance allows.
    #[error("the line passes {distance} from the split point, farther than {tolerance}")]
    TooFar { distance: f64, tolerance: f64 },
    /// The split point is at an end of the line: one piece would have no length.
    #[error("the split point is at an end of the line")]
    AtEnd,
}

/// Splits `line` at its point nearest `(x, y)`, which must be within `tolerance`.
///
/// Both pieces share the split vertex: the last of the first piece is the first of
/// the second. A split point within 1e-9 of an existing vertex splits at that
/// vertex; otherwise a vertex is inserted, with Z and M interpolated. Splitting at
/// either end fails, since one piece would have fewer than 2 distinct points.
///
/// ```
/// use tongtin::geom::{split_line, Coord};
/// let road = [Coord::xy(0.0, 0.0), Coord::xy(10.0, 0.0), Coord::xy(10.0, 10.0)];
/// let (a, b) = split_line(&road, 4.0, 0.5, 1.0).unwrap();
/// assert_eq!(a, [Coord::xy(0.0, 0.0), Coord::xy(4.0, 0.0)]);
/// assert_eq!(b, [Coord::xy(4.0, 0.0), Coord::xy(10.0, 0.0), Coord::xy(10.0, 10.0)]);
/// assert!(split_line(&road, 4.0, 3.0, 1.0).is_err(), "3 m away, 1 m allowed");
/// ```
pub fn split_line(line: &[Coord], x: f64, y: f64, tolerance: f64) -> Result<(Vec<Coord>, Vec<Coord>), SplitError> {
    let at = nearest_on_line(line, x, y).ok_or(SplitError::NotALine)?;
    if tolerance.is_nan() || at.distance > tolerance {
        return Err(SplitError::TooFar {
            distance: at.distance,
            tolerance,
        });
    }
    let (first, second) = if let Some(v) = [at.segment, at.segment + 1]
        .into_iter()
        .find(|&v| same_point(&line[v], &at.point))
    {
        (line[..=v].to_vec(), line[v..].to_vec())
    } else {
        let mut first = line[..=at.segment].to_vec();
        first.push(at.point);
        let mut second = vec![at.point];
        second.extend_from_slice(&line[at.segment + 1..]);
        (first, second)
    };
    if has_length(&first) && has_length(&second) {
        Ok((first, second))
    } else {
        Err(SplitError::AtEnd)
    }
}

fn same_point(a: &Coord, b: &Coord) -> bool {
    (a.x - b.x).hypot(a.y - b.y) <= SAME_POINT
}

/// Whether a piece has at least 2 distinct points.
fn has_length(piece: &[Coord]) -> bool {
    piece.iter().any(|c| !same_point(c, &piece[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(xy: &[(f64, f64)]) -> Vec<Coord> {
        xy.iter().map(|&(x, y)| Coord::xy(x, y)).collect()
    }

    #[test]
    fn splitting_near_a_vertex_uses_it() {
        let l = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
        let (a, b) = split_line(&l, 10.0 - 5e-10, 0.0, 1.0).unwrap();
        assert_eq!(a, line(&[(0.0, 0.0), (10.0, 0.0)]));
        assert_eq!(b, line(&[(10.0, 0.0), (10.0, 10.0)]));
        let (a, b) = split_line(&l, 9.0, -2.0, 5.0).unwrap();
        assert_eq!((a.len(), b.len()), (2, 3), "1 m from the vertex: a new vertex");
    }

    #[test]
    fn the_inserted_vertex_interpolates_z_and_m() {
        let l = [
            Coord {
                x: 0.0,
                y: 0.0,
                z: 10.0,
                m: 0.0,
            },
            Coord {
                x: 4.0,
                y: 0.0,
                z: 14.0,
                m: 40.0,
            },
        ];
        let (a, b) = split_line(&l, 1.0, 0.0, 0.0).unwrap();
        let mid = Coord {
            x: 1.0,
            y: 0.0,
            z: 11.0,
            m: 10.0,
        };
        assert_eq!(a, [l[0], mid]);
        assert_eq!(b, [mid, l[1]]);
    }

    #[test]
    fn splitting_at_an_end_fails() {
        let l = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0)]);
        assert_eq!(split_line(&l, -1.0, 0.0, 2.0), Err(SplitError::AtEnd));
        assert_eq!(split_line(&l, 10.0, 10.0, 0.0), Err(SplitError::AtEnd));
        let repeated_start = line(&[(0.0, 0.0), (0.0, 0.0), (10.0, 0.0)]);
        assert_eq!(split_line(&repeated_start, 0.0, 0.0, 0.0), Err(SplitError::AtEnd));
    }

    #[test]
    fn closed_lines_split_anywhere_but_at_the_closing_vertex() {
        let ring = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 0.0)]);
        let (a, b) = split_line(&ring, 10.0, 10.0, 0.0).unwrap();
        assert_eq!((a.len(), b.len()), (3, 2));
        assert_eq!(split_line(&ring, 0.0, 0.0, 0.0), Err(SplitError::AtEnd));
    }

    #[test]
    fn far_points_and_bad_input_are_errors() {
        let l = line(&[(0.0, 0.0), (10.0, 0.0)]);
        assert_eq!(
            split_line(&l, 5.0, 3.0, 1.0),
            Err(SplitError::TooFar {
                distance: 3.0,
                tolerance: 1.0
            })
        );
        assert!(matches!(
            split_line(&l, 5.0, 0.0, f64::NAN),
            Err(SplitError::TooFar { .. })
        ));
        assert_eq!(split_line(&[], 0.0, 0.0, 1.0), Err(SplitError::NotALine));
        assert_eq!(split_line(&l[..1], 0.0, 0.0, 1.0), Err(SplitError::NotALine));
        assert_eq!(split_line(&l, f64::NAN, 0.0, 1.0), Err(SplitError::NotALine));
    }
}
