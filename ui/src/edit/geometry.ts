// Line geometry for splitting and merging roads and drains, in map
// coordinates (EPSG:3857). Pure functions, tested in geometry.test.ts.

export type XY = [number, number];

/** Two coordinates closer than this (map units, about a centimetre) are the same point. */
const SAME_POINT = 0.01;

function distance(a: XY, b: XY): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** The point of segment a–b nearest to p. */
function nearestOnSegment(p: XY, a: XY, b: XY): XY {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const length2 = dx * dx + dy * dy;
  const along = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2));
  return [a[0] + along * dx, a[1] + along * dy];
}

/**
 * Splits a line at the point of it nearest to `at`: the first part ends and
 * the second begins there (on a vertex when `at` is one). Null when that
 * point is an end of the line, which would leave an empty part.
 */
export function splitLineAt(line: XY[], at: XY, tolerance = SAME_POINT): { first: XY[]; second: XY[] } | null {
  let best: { segment: number; point: XY; gap: number } | null = null;
  for (let i = 0; i + 1 < line.length; i++) {
    const point = nearestOnSegment(at, line[i] as XY, line[i + 1] as XY);
    const gap = distance(point, at);
    if (!best || gap < best.gap) best = { segment: i, point, gap };
  }
  if (!best) return null;
  const { segment, point } = best;
  const atEnd = [line[0], line[line.length - 1]].some((end) => distance(end as XY, point) <= tolerance);
  if (atEnd) return null;
  const vertex = [segment, segment + 1].find((k) => distance(line[k] as XY, point) <= tolerance);
  if (vertex !== undefined) return { first: line.slice(0, vertex + 1), second: line.slice(vertex) };
  return { first: [...line.slice(0, segment + 1), point], second: [point, ...line.slice(segment + 1)] };
}

/**
 * Joins two lines that meet end to end into one (either may run the other
 * way; `a` keeps its direction). Null when no end of one lies on an end of
 * the other.
 */
export function mergeLines(a: XY[], b: XY[], tolerance = SAME_POINT): XY[] | null {
  if (a.length < 2 || b.length < 2) return null;
  const meets = (p: XY, q: XY) => distance(p, q) <= tolerance;
  const aStart = a[0] as XY;
  const aEnd = a[a.length - 1] as XY;
  const bStart = b[0] as XY;
  const bEnd = b[b.length - 1] as XY;
  const reversed = (line: XY[]) => [...line].reverse();
  if (meets(aEnd, bStart)) return [...a, ...b.slice(1)];
  if (meets(aEnd, bEnd)) return [...a, ...reversed(b).slice(1)];
  if (meets(aStart, bEnd)) return [...b, ...a.slice(1)];
  if (meets(aStart, bStart)) return [...reversed(b), ...a.slice(1)];
  return null;
}
