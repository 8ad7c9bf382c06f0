import { describe, expect, it } from "vitest";

import { intervalAt } from "./interval";

describe("the contour interval drawn at a zoom", () => {
  it("matches the table of interval_at in src/tiles/contour.rs", () => {
    expect(intervalAt(10, 16)).toBe(10);
    expect(intervalAt(10, 13)).toBe(10);
    expect(intervalAt(10, 12)).toBe(50);
    expect(intervalAt(10, 10)).toBe(250);
    expect(intervalAt(1, 15)).toBe(5);
  });

  it("multiplies the interval asked for by a power of five, more as the map zooms out", () => {
    for (let z = 0; z <= 18; z++) {
      const ratio = intervalAt(2, z) / 2;
      const power = Math.round(Math.log(ratio) / Math.log(5));
      expect(power).toBeGreaterThanOrEqual(0);
      expect(5 ** power).toBeCloseTo(ratio, 9);
      if (z > 0) expect(intervalAt(2, z - 1)).toBeGreaterThanOrEqual(intervalAt(2, z));
    }
  });
});
