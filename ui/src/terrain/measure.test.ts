import { describe, expect, it } from "vitest";

import { compassPoint, contourLabel, formatLength, formatMetres, formatSlope, groundText, sunText } from "./measure";

describe("terrain quantities in words", () => {
  it("write elevations in metres with one decimal", () => {
    expect(formatMetres(208.44, "th")).toBe("208.4 ม.");
    expect(formatMetres(1208.46, "en")).toBe("1,208.5 m");
    expect(formatMetres(null, "en")).toBe("–");
    expect(groundText(208.44, "th")).toBe("ระดับพื้นดิน 208.4 ม.");
    expect(groundText(208.44, "en")).toBe("Ground 208.4 m");
    expect(groundText(null, "th")).toBe("");
  });

  it("write lengths in metres, or kilometres from one kilometre", () => {
    expect(formatLength(557.39, "th")).toBe("557 ม.");
    expect(formatLength(1240, "en")).toBe("1.24 km");
    expect(formatLength(12345.6, "th")).toBe("12.35 กม.");
  });

  it("label contours in metres without a unit", () => {
    expect(contourLabel(210)).toBe("210");
    expect(contourLabel(212.5)).toBe("212.5");
    expect(contourLabel(209.99999)).toBe("210");
  });

  it("write slopes in per cent with their direction", () => {
    expect(formatSlope(3.24, "en")).toBe("+3.2%");
    expect(formatSlope(-3.26, "en")).toBe("-3.3%");
    expect(formatSlope(-0.04, "en")).toBe("0.0%");
    expect(formatSlope(12.5, "th", false)).toBe("12.5%");
    expect(formatSlope(null, "th")).toBe("–");
  });

  it("name the sun's direction by the nearest compass point", () => {
    expect(compassPoint(0)).toBe("compass.n");
    expect(compassPoint(22)).toBe("compass.n");
    expect(compassPoint(23)).toBe("compass.ne");
    expect(compassPoint(180)).toBe("compass.s");
    expect(compassPoint(338)).toBe("compass.n");
    expect(compassPoint(360)).toBe("compass.n");
    expect(compassPoint(-45)).toBe("compass.nw");
    expect(sunText(315, "th")).toBe("ตะวันตกเฉียงเหนือ 315°");
    expect(sunText(90, "en")).toBe("east 90°");
  });
});
