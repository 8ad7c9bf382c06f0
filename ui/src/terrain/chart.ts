// The geometry of the profile chart: nice axis ticks, linear scales, the
// line coloured by slope class and the ground shaded under it, and the point
// nearest the pointer. Pure: tested in chart.test.ts; profilepanel.ts draws it.

import type { Profile, ProfilePoint } from "../api";

/** The drawing area inside the chart: its size and the margins kept for the axes. */
export interface Box {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export interface Scale {
  domain: [number, number];
  range: [number, number];
  at(value: number): number;
  invert(position: number): number;
}

/** Slope classes by their steepness (either way), as road engineers read them; the last has no upper end. */
export const SLOPE_CLASSES: readonly { below: number; colour: string }[] = [
  { below: 2, colour: "#2e7d32" },
  { below: 5, colour: "#9e9d24" },
  { below: 8, colour: "#f9a825" },
  { below: 12, colour: "#ef6c00" },
  { below: Infinity, colour: "#c62828" },
];

/** Shown when a stretch has no slope (off the terrain). */
export const NO_SLOPE_COLOUR = "#78909c";

/** Profiles flatter than this many metres are drawn over this span, so a flat road does not look like a hill. */
export const MIN_ELEVATION_SPAN = 2;

export function linear(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return {
    domain,
    range,
    at: (v) => r0 + (v - d0) * k,
    invert: (p) => (k === 0 ? d0 : d0 + (p - r0) / k),
  };
}

/** About `span / count`, rounded to 1, 2 or 5 times a power of ten. */
export function niceStep(span: number, count: number): number {
  if (!(span > 0) || !Number.isFinite(span) || count < 1) return 1;
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** The multiples of a nice step between `lo` and `hi` (about `count` of them). */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  return multiples(lo, hi, niceStep(hi - lo, count));
}

/** The multiples of `step` between `lo` and `hi`, both ends included. */
function multiples(lo: number, hi: number, step: number): number[] {
  const ticks: number[] = [];
  const eps = 1e-9;
  for (let i = Math.ceil(lo / step - eps); i * step <= hi + step * eps; i++) {
    ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks;
}

/**
 * The elevation axis for ground between `min` and `max`: at least
 * MIN_ELEVATION_SPAN high, widened to whole steps, with its ticks.
 */
export function elevationAxis(min: number, max: number, count: number): { domain: [number, number]; ticks: number[] } {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi - lo < MIN_ELEVATION_SPAN) {
    const middle = (lo + hi) / 2;
    lo = middle - MIN_ELEVATION_SPAN / 2;
    hi = middle + MIN_ELEVATION_SPAN / 2;
  }
  const step = niceStep(hi - lo, count);
  const domain: [number, number] = [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
  return { domain, ticks: multiples(domain[0], domain[1], step) };
}

/** The colour of a slope's class (steeper is redder), whichever way it goes. */
export function slopeColour(pct: number | null): string {
  if (pct === null || !Number.isFinite(pct)) return NO_SLOPE_COLOUR;
  const steep = Math.abs(pct);
  return (SLOPE_CLASSES.find((c) => steep < c.below) ?? SLOPE_CLASSES[SLOPE_CLASSES.length - 1])?.colour ?? NO_SLOPE_COLOUR;
}

/** The slope of the stretch ending at `b`: the core's, else from the two elevations. */
function stretchSlope(a: ProfilePoint, b: ProfilePoint): number | null {
  if (b.slope_pct !== null) return b.slope_pct;
  if (a.elevation === null || b.elevation === null || b.distance <= a.distance) return null;
  return ((b.elevation - a.elevation) / (b.distance - a.distance)) * 100;
}

/** A stretch of the line in one colour, in chart coordinates. */
export interface Run {
  colour: string;
  points: [number, number][];
}

/** The line as runs of one slope class each, broken where the ground is unknown. */
export function slopeRuns(points: readonly ProfilePoint[], x: Scale, y: Scale): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1] as ProfilePoint;
    const b = points[i] as ProfilePoint;
    if (a.elevation === null || b.elevation === null) {
      current = null;
      continue;
    }
    const colour = slopeColour(stretchSlope(a, b));
    const end: [number, number] = [x.at(b.distance), y.at(b.elevation)];
    if (current && current.colour === colour) current.points.push(end);
    else {
      current = { colour, points: [[x.at(a.distance), y.at(a.elevation)], end] };
      runs.push(current);
    }
  }
  return runs;
}

/** An SVG path shading the ground under each stretch of known elevation, down to `base`. */
export function groundPath(points: readonly ProfilePoint[], x: Scale, y: Scale, base: number): string {
  const parts: string[] = [];
  let stretch: string[] = [];
  let first = 0;
  let last = 0;
  const close = () => {
    if (stretch.length > 1) parts.push(`M${f(first)},${f(base)} ${stretch.join(" ")} L${f(last)},${f(base)} Z`);
    stretch = [];
  };
  for (const p of points) {
    if (p.elevation === null) {
      close();
      continue;
    }
    const px = x.at(p.distance);
    if (stretch.length === 0) first = px;
    last = px;
    stretch.push(`L${f(px)},${f(y.at(p.elevation))}`);
  }
  close();
  return parts.join(" ");
}

function f(v: number): string {
  return v.toFixed(1);
}

export interface ChartLayout {
  x: Scale;
  y: Scale;
  xTicks: number[];
  yTicks: number[];
  runs: Run[];
  ground: string;
}

/** Everything drawn for a profile in `box`; null when no point of it has an elevation. */
export function layoutProfile(p: Profile, box: Box): ChartLayout | null {
  const known = p.points.flatMap((q) => (q.elevation === null ? [] : [q.elevation]));
  if (known.length === 0) return null;
  const right = box.width - box.right;
  const bottom = box.height - box.bottom;
  const length = Math.max(p.length, p.points[p.points.length - 1]?.distance ?? 0);
  const x = linear([0, length > 0 ? length : 1], [box.left, right]);
  const axis = elevationAxis(Math.min(...known), Math.max(...known), Math.max(2, Math.round((bottom - box.top) / 40)));
  const y = linear(axis.domain, [bottom, box.top]);
  return {
    x,
    y,
    xTicks: niceTicks(0, x.domain[1], Math.max(2, Math.round((right - box.left) / 90))),
    yTicks: axis.ticks,
    runs: slopeRuns(p.points, x, y),
    ground: groundPath(p.points, x, y, bottom),
  };
}

/** The index of the point nearest `distance` along the line (points in order of distance); -1 for none. */
export function nearestIndex(points: readonly ProfilePoint[], distance: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as ProfilePoint).distance <= distance) lo = mid;
    else hi = mid;
  }
  const a = points[lo] as ProfilePoint;
  const b = points[hi] as ProfilePoint;
  return Math.abs(b.distance - distance) < Math.abs(distance - a.distance) ? hi : lo;
}

/** Decimals the labels of evenly spaced ticks need: none for whole steps, else as many as the step has (at most 2). */
export function tickDigits(ticks: readonly number[]): number {
  const step = ticks.length > 1 ? Math.abs((ticks[1] as number) - (ticks[0] as number)) : 1;
  if (step >= 1 || step === 0) return 0;
  return Math.min(2, Math.ceil(-Math.log10(step) - 1e-9));
}

/** The slope classes in words: `< 2%`, `2–5%`, …, `≥ 12%`. */
export function slopeClassLabels(): string[] {
  return SLOPE_CLASSES.map((c, i) => {
    const from = i === 0 ? null : (SLOPE_CLASSES[i - 1] as { below: number }).below;
    if (from === null) return `< ${c.below}%`;
    return Number.isFinite(c.below) ? `${from}–${c.below}%` : `≥ ${from}%`;
  });
}
