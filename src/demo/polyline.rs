//! Measuring, walking, clipping and cutting polylines in projected metres.

pub type Pt = (f64, f64);

pub fn length(line: &[Pt]) -> f64 {
    line.windows(2).map(|w| dist(w[0], w[1])).sum()
}

pub fn dist(a: Pt, b: Pt) -> f64 {
    (b.0 - a.0).hypot(b.1 - a.1)
}

/// The point at distance `d` along `line` and the unit direction there.
pub fn point_at(line: &[Pt], d: f64) -> (Pt, Pt) {
    let mut left = d.max(0.0);
    for w in line.windows(2) {
        let seg = dist(w[0], w[1]);
        if seg > 0.0 && (left <= seg || std::ptr::eq(w, line.windows(2).last().unwrap_or(w))) {
            let t = (left / seg).min(1.0);
            let dir = ((w[1].0 - w[0].0) / seg, (w[1].1 - w[0].1) / seg);
            return ((w[0].0 + t * (w[1].0 - w[0].0), w[0].1 + t * (w[1].1 - w[0].1)), dir);
        }
        left -= seg;
    }
    (line[line.len() - 1], (1.0, 0.0))
}

/// Inserts points so that no step is longer than `step`.
pub fn densify(line: &[Pt], step: f64) -> Vec<Pt> {
    let mut out = vec![line[0]];
    for w in line.windows(2) {
        let n = (dist(w[0], w[1]) / step).ceil().max(1.0) as usize;
        for i in 1..=n {
            let t = i as f64 / n as f64;
            out.push((w[0].0 + t * (w[1].0 - w[0].0), w[0].1 + t * (w[1].1 - w[0].1)));
        }
    }
    out
}

/// The runs of `line` (densified to `step`) whose points satisfy `inside`,
/// keeping only runs at least `min_length` long.
pub fn clip(line: &[Pt], step: f64, min_length: f64, inside: impl Fn(Pt) -> bool) -> Vec<Vec<Pt>> {
    let mut runs = Vec::new();
    let mut current: Vec<Pt> = Vec::new();
    for p in densify(line, step) {
        if inside(p) {
            current.push(p);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    runs.push(current);
    runs.into_iter()
        .filter(|r| r.len() >= 2 && length(r) >= min_length)
        .collect()
}

/// Cuts `line` at the given distances along it.
pub fn cut(line: &[Pt], at: &[f64]) -> Vec<Vec<Pt>> {
    let mut pieces = Vec::new();
    let mut current = vec![line[0]];
    let mut travelled = 0.0;
    let mut cuts = at.iter().copied().peekable();
    for w in line.windows(2) {
        let seg = dist(w[0], w[1]);
        while let Some(&c) = cuts.peek() {
            if c > travelled && c < travelled + seg {
                let t = (c - travelled) / seg;
                let p = (w[0].0 + t * (w[1].0 - w[0].0), w[0].1 + t * (w[1].1 - w[0].1));
                current.push(p);
                pieces.push(std::mem::replace(&mut current, vec![p]));
                cuts.next();
            } else if c <= travelled {
                cuts.next();
            } else {
                break;
            }
        }
        current.push(w[1]);
        travelled += seg;
    }
    pieces.push(current);
    pieces
}

/// Offsets a point sideways from a direction: positive `by` is to the left.
pub fn offset(p: Pt, dir: Pt, by: f64) -> Pt {
    (p.0 - dir.1 * by, p.1 + dir.0 * by)
}

/// The line moved sideways by `by` metres (positive: to the left of travel).
pub fn offset_line(line: &[Pt], by: f64) -> Vec<Pt> {
    let n = line.len();
    (0..n)
        .map(|i| {
            let (a, b) = (line[i.saturating_sub(1)], line[(i + 1).min(n - 1)]);
            let d = dist(a, b).max(f64::EPSILON);
            offset(line[i], ((b.0 - a.0) / d, (b.1 - a.1) / d), by)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_cut_and_clip() {
        let line = [(0.0, 0.0), (100.0, 0.0), (100.0, 50.0)];
        assert_eq!(length(&line), 150.0);
        let (p, d) = point_at(&line, 120.0);
        assert!((p.0 - 100.0).abs() < 1e-9 && (p.1 - 20.0).abs() < 1e-9 && d == (0.0, 1.0));
        let pieces = cut(&line, &[50.0, 110.0]);
        assert_eq!(pieces.len(), 3);
        let total: f64 = pieces.iter().map(|p| length(p)).sum();
        assert!((total - 150.0).abs() < 1e-9);
        assert_eq!(pieces[1].first(), Some(&(50.0, 0.0)));
        let runs = clip(&line, 10.0, 5.0, |(x, _)| x < 60.0);
        assert_eq!(runs.len(), 1);
        assert!((length(&runs[0]) - 50.0).abs() < 1e-9);
        assert_eq!(offset((0.0, 0.0), (1.0, 0.0), 5.0), (0.0, 5.0));
    }
}
