// The contour interval the shell's tiles draw at a zoom: the interval asked
// for, thinned at low zooms so that the lines do not smear together. The
// same rule as `interval_at` in src/tiles/contour.rs; interval.test.ts pins
// both to the table of that function's documentation.

/** Lines are kept at least this many screen pixels apart … */
const MIN_SPACING_PIXELS = 4;
/** … on a slope this steep (1 in 10). */
const REFERENCE_SLOPE = 0.1;
const TILE_PIXELS = 256;
/** The Web Mercator world's width in metres. */
const WORLD_METRES = 2 * Math.PI * 6378137;

/** The interval drawn in tiles of zoom `z` for a requested `interval` (metres): `interval × 5ⁿ`, n as small as will do. */
export function intervalAt(interval: number, z: number): number {
  const needed = (REFERENCE_SLOPE * MIN_SPACING_PIXELS * (WORLD_METRES / 2 ** z)) / TILE_PIXELS;
  let step = interval;
  for (let i = 0; i < 32 && step < needed; i++) step *= 5;
  return step;
}
