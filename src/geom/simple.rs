//! Whether a linestring crosses or touches itself, the check behind drawing and
//! reshaping roads and drains. Segments are sorted by their smallest x and
//! swept, so only pairs whose envelopes overlap are compared.

use super::orient::{cross, on_segment, Xy};
use super::{Coord, Envelope};

/// The first point, walking from the start, where `line` crosses or touches itself;
/// `None` when the line is simple.
///
/// Contacts are: non-adjacent segments meeting anywhere (a crossing, a vertex on
/// another segment, a vertex visited twice), adjacent segments folding back over
/// each other, and zero-length segments (a vertex repeated in a row). A closed
/// line (last vertex equal to the first, a ring road) may meet itself at that
/// vertex. Lines with fewer than 2 points, and segments with coordinates that are
/// not finite, meet nothing: validate coordinates separately.
///
/// ```
/// use tongtin::geom::{self_intersection, Coord};
/// let line = |xy: &[(f64, f64)]| xy.iter().map(|&(x, y)| Coord::xy(x, y)).collect::<Vec<_>>();
/// // A figure of eight crosses itself at (5, 5).
/// let eight = line(&[(0.0, 0.0), (10.0, 10.0), (10.0, 0.0), (0.0, 10.0)]);
/// assert_eq!(self_intersection(&eight), Some((5.0, 5.0)));
/// // A ring road ends where it starts: that is not a contact.
/// let ring = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 0.0)]);
/// assert_eq!(self_intersection(&ring), None);
/// ```
pub fn self_intersection(line: &[Coord]) -> Option<(f64, f64)> {
    let segments: Vec<(Xy, Xy)> = line.windows(2).map(|w| ((w[0].x, w[0].y), (w[1].x, w[1].y))).collect();
    let last = segments.len().saturating_sub(1);
    let closed = segments.len() >= 3 && segments[0].0 == segments[last].1;
    let adjacent = |i: usize, j: usize| j == i + 1 || (closed && i == 0 && j == last);
    let boxes: Vec<Envelope> = segments.iter().map(|&(a, b)| bounds(a, b)).collect();
    let finite = |p: Xy| p.0.is_finite() && p.1.is_finite();
    let mut order: Vec<usize> = (0..segments.len())
        .filter(|&i| finite(segments[i].0) && finite(segments[i].1))
        .collect();
    order.sort_by(|&i, &j| boxes[i].min_x.total_cmp(&boxes[j].min_x));

    let mut first: Option<Contact> = None;
    let mut note = |contact: Option<Contact>| {
        if let Some(c) = contact {
            if first
                .as_ref()
                .is_none_or(|f| (c.segment, c.fraction) < (f.segment, f.fraction))
            {
                first = Some(c);
            }
        }
    };
    for (k, &i) in order.iter().enumerate() {
        let (a, b) = segments[i];
        if a == b {
            note(Some(Contact {
                segment: i,
                fraction: 0.0,
                point: a,
            }));
        }
        for &j in &order[k + 1..] {
            if boxes[j].min_x > boxes[i].max_x {
                break;
            }
            if !boxes[i].intersects(&boxes[j]) {
                continue;
            }
            let (i, j) = (i.min(j), i.max(j));
            let contact = if adjacent(i, j) {
                fold_back(segments[i], segments[j])
            } else {
                first_contact(segments[i], segments[j])
            };
            note(contact.map(|(fraction, point)| Contact {
                segment: i,
                fraction,
                point,
            }));
        }
    }
    first.map(|c| c.point)
}

/// A point where the line meets itself, placed by its first passage: the
/// earlier segment and the fraction along it.
struct Contact {
    segment: usize,
    fraction: f64,
    point: Xy,
}

fn bounds(a: Xy, b: Xy) -> Envelope {
    let mut e = Envelope::from_xy(a.0, a.1);
    e.expand_xy(b.0, b.1);
    e
}

/// Where segment `p` first meets segment `q`, walking along `p`: the fraction
/// along `p` and the point, taken from the input where an end is the contact.
fn first_contact((p1, p2): (Xy, Xy), (q1, q2): (Xy, Xy)) -> Option<(f64, Xy)> {
    if p1 == p2 {
        return on_segment(p1, q1, q2).then_some((0.0, p1));
    }
    let (o1, o2) = (cross(p1, p2, q1), cross(p1, p2, q2));
    if o1 == 0.0 && o2 == 0.0 {
        return collinear_overlap((p1, p2), (q1, q2)).map(|(start, point, _)| (start, point));
    }
    let (o3, o4) = (cross(q1, q2, p1), cross(q1, q2, p2));
    if same_side(o1, o2) || same_side(o3, o4) {
        return None;
    }
    Some(if o1 == 0.0 {
        (fraction(p1, p2, q1).clamp(0.0, 1.0), q1)
    } else if o2 == 0.0 {
        (fraction(p1, p2, q2).clamp(0.0, 1.0), q2)
    } else if o3 == 0.0 {
        (0.0, p1)
    } else if o4 == 0.0 {
        (1.0, p2)
    } else {
        let t = o3 / (o3 - o4);
        (t, (p1.0 + t * (p2.0 - p1.0), p1.1 + t * (p2.1 - p1.1)))
    })
}

/// Where adjacent segments `p` and `q` overlap beyond the vertex they share:
/// the line folds back on itself. Zero-length segments are reported on their own.
fn fold_back((p1, p2): (Xy, Xy), (q1, q2): (Xy, Xy)) -> Option<(f64, Xy)> {
    if p1 == p2 || q1 == q2 || cross(p1, p2, q1) != 0.0 || cross(p1, p2, q2) != 0.0 {
        return None;
    }
    collinear_overlap((p1, p2), (q1, q2))
        .filter(|&(start, _, end)| start < end)
        .map(|(start, point, _)| (start, point))
}

/// The part of `p` that collinear `q` covers: start fraction, start point, end fraction.
fn collinear_overlap((p1, p2): (Xy, Xy), (q1, q2): (Xy, Xy)) -> Option<(f64, Xy, f64)> {
    let (t1, t2) = (fraction(p1, p2, q1), fraction(p1, p2, q2));
    let ((lo, lo_point), hi) = if t1 <= t2 { ((t1, q1), t2) } else { ((t2, q2), t1) };
    if hi < 0.0 || lo > 1.0 {
        None
    } else if lo <= 0.0 {
        Some((0.0, p1, hi.min(1.0)))
    } else {
        Some((lo, lo_point, hi.min(1.0)))
    }
}

/// How far along a→b the projection of `c` falls (0 at a, 1 at b); a ≠ b.
fn fraction(a: Xy, b: Xy, c: Xy) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    ((c.0 - a.0) * dx + (c.1 - a.1) * dy) / (dx * dx + dy * dy)
}

fn same_side(o1: f64, o2: f64) -> bool {
    (o1 > 0.0 && o2 > 0.0) || (o1 < 0.0 && o2 < 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(xy: &[(f64, f64)]) -> Vec<Coord> {
        xy.iter().map(|&(x, y)| Coord::xy(x, y)).collect()
    }

    #[test]
    fn short_and_simple_lines_have_no_contact() {
        assert_eq!(self_intersection(&[]), None);
        assert_eq!(self_intersection(&line(&[(1.0, 1.0)])), None);
        assert_eq!(self_intersection(&line(&[(0.0, 0.0), (1.0, 0.0)])), None);
        assert_eq!(self_intersection(&line(&[(0.0, 0.0), (5.0, 0.0), (10.0, 0.0)])), None);
        assert_eq!(self_intersection(&line(&[(0.0, 0.0), (5.0, 5.0), (10.0, 0.0)])), None);
    }

    #[test]
    fn a_vertex_on_another_segment_touches() {
        let t = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (5.0, 5.0), (5.0, 0.0)]);
        assert_eq!(self_intersection(&t), Some((5.0, 0.0)));
    }

    #[test]
    fn a_vertex_visited_twice_touches() {
        let l = line(&[(0.0, 0.0), (5.0, 0.0), (5.0, 5.0), (0.0, 5.0), (5.0, 0.0), (10.0, 0.0)]);
        assert_eq!(self_intersection(&l), Some((5.0, 0.0)));
    }

    #[test]
    fn folding_back_over_the_previous_segment() {
        let spike = line(&[(0.0, 0.0), (10.0, 0.0), (4.0, 0.0)]);
        assert_eq!(self_intersection(&spike), Some((4.0, 0.0)));
        let past_start = line(&[(2.0, 0.0), (10.0, 0.0), (-4.0, 0.0)]);
        assert_eq!(self_intersection(&past_start), Some((2.0, 0.0)));
        let there_and_back = line(&[(0.0, 0.0), (10.0, 0.0), (0.0, 0.0)]);
        assert_eq!(self_intersection(&there_and_back), Some((0.0, 0.0)));
    }

    #[test]
    fn collinear_overlap_of_distant_segments() {
        let l = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (3.0, 5.0), (3.0, 0.0), (1.0, 0.0)]);
        assert_eq!(self_intersection(&l), Some((1.0, 0.0)));
    }

    #[test]
    fn a_repeated_vertex_in_a_row_is_reported() {
        assert_eq!(
            self_intersection(&line(&[(0.0, 0.0), (1.0, 0.0), (1.0, 0.0)])),
            Some((1.0, 0.0))
        );
        assert_eq!(self_intersection(&line(&[(3.0, 3.0), (3.0, 3.0)])), Some((3.0, 3.0)));
    }

    #[test]
    fn closed_lines_may_only_meet_at_the_closing_vertex() {
        let ring = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]);
        assert_eq!(self_intersection(&ring), None);
        let pinched = line(&[
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 10.0),
            (0.0, 0.0),
            (-5.0, 5.0),
            (0.0, 0.0),
        ]);
        assert_eq!(self_intersection(&pinched), Some((0.0, 0.0)));
        let closing_fold = line(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (5.0, 0.0), (0.0, 0.0)]);
        assert_eq!(self_intersection(&closing_fold), Some((0.0, 0.0)));
    }

    #[test]
    fn the_first_contact_along_the_line_wins() {
        // Crosses the first segment at x = 8 before it crosses near its start at x = 2,
        // but walking from the start, x = 2 comes first.
        let l = line(&[
            (0.0, 0.0),
            (10.0, 0.0),
            (10.0, 5.0),
            (8.0, 5.0),
            (8.0, -5.0),
            (2.0, -5.0),
            (2.0, 5.0),
        ]);
        assert_eq!(self_intersection(&l), Some((2.0, 0.0)));
    }

    #[test]
    fn non_finite_coordinates_do_not_panic() {
        let l = line(&[
            (0.0, 0.0),
            (f64::NAN, 1.0),
            (10.0, 0.0),
            (f64::INFINITY, 0.0),
            (5.0, -5.0),
        ]);
        assert_eq!(self_intersection(&l), None);
        let eight = line(&[(f64::NAN, f64::NAN), (0.0, 0.0), (10.0, 10.0), (10.0, 0.0), (0.0, 10.0)]);
        assert_eq!(self_intersection(&eight), Some((5.0, 5.0)));
    }

    #[test]
    fn long_lines_are_swept_quickly() {
        // A 5,000-vertex spiral: simple, then closed across itself.
        let mut xy: Vec<(f64, f64)> = (0..5000)
            .map(|i| {
                let a = f64::from(i) * 0.05;
                (712_000.0 + (10.0 + a) * a.cos(), 1_812_000.0 + (10.0 + a) * a.sin())
            })
            .collect();
        assert_eq!(self_intersection(&line(&xy)), None);
        xy.push((712_000.0, 1_812_000.0));
        assert!(self_intersection(&line(&xy)).is_some());
    }

    #[test]
    fn sweep_agrees_with_testing_every_pair() {
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % 20) as f64
        };
        for _ in 0..300 {
            let xy: Vec<(f64, f64)> = (0..6).map(|_| (next(), next())).collect();
            let l = line(&xy);
            assert_eq!(self_intersection(&l), every_pair(&l), "{xy:?}");
        }
    }

    fn every_pair(line: &[Coord]) -> Option<(f64, f64)> {
        let s: Vec<(Xy, Xy)> = line.windows(2).map(|w| ((w[0].x, w[0].y), (w[1].x, w[1].y))).collect();
        let closed = s.len() >= 3 && s[0].0 == s[s.len() - 1].1;
        for i in 0..s.len() {
            let mut best: Option<(f64, Xy)> = (s[i].0 == s[i].1).then_some((0.0, s[i].0));
            for j in i + 1..s.len() {
                let contact = if j == i + 1 || (closed && i == 0 && j == s.len() - 1) {
                    fold_back(s[i], s[j])
                } else {
                    first_contact(s[i], s[j])
                };
                if let Some(c) = contact {
                    if best.is_none_or(|b| c.0 < b.0) {
                        best = Some(c);
                    }
                }
            }
            if let Some((_, p)) = best {
                return Some(p);
            }
        }
        None
    }
}
