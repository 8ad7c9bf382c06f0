import { describe, expect, it } from "vitest";

import { stopFractions, tintGradient } from "./legend";

describe("the tint's legend", () => {
  const stops: [number, string][] = [
    [156.3, "#529954"],
    [195.0, "#a6c46b"],
    [311.1, "#f0ece4"],
  ];

  it("places each stop by its elevation", () => {
    const at = stopFractions(stops);
    expect(at[0]).toBe(0);
    expect(at[2]).toBe(1);
    expect(at[1]).toBeCloseTo(0.25, 2);
    expect(stopFractions([[10, "#000000"]])).toEqual([0]);
  });

  it("draws the colours bottom to top", () => {
    expect(tintGradient(stops)).toBe("linear-gradient(to top, #529954 0.0%, #a6c46b 25.0%, #f0ece4 100.0%)");
  });
});
