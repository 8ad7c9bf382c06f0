import { describe, expect, it } from "vitest";

import type { Profile, ProfilePoint } from "../api";
import {
  elevationAxis,
  groundPath,
  layoutProfile,
  linear,
  MIN_ELEVATION_SPAN,
  NO_SLOPE_COLOUR,
  nearestIndex,
  niceStep,
  niceTicks,
  SLOPE_CLASSES,
  slopeClassLabels,
  slopeColour,
  slopeRuns,
  tickDigits,
} from "./chart";

const point = (distance: number, elevation: number | null, slope_pct: number | null = null): ProfilePoint => ({
  distance,
  at: [distance, 0],
  elevation,
  slope_pct,
});

const BOX = { width: 600, height: 200, left: 50, right: 10, top: 10, bottom: 30 };

describe("axis ticks", () => {
  it("step by 1, 2 or 5 times a power of ten", () => {
    expect(niceStep(557, 6)).toBe(100);
    expect(niceStep(1000, 6)).toBe(200);
    expect(niceStep(3.5, 4)).toBe(1);
    expect(niceStep(0.7, 5)).toBe(0.2);
    expect(niceStep(0, 5)).toBe(1);
  });

  it("fall on multiples of the step inside the range", () => {
    expect(niceTicks(0, 557, 6)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(niceTicks(203.8, 207.8, 4)).toEqual([204, 205, 206, 207]);
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("give the elevation axis whole steps and a least height", () => {
    expect(elevationAxis(203.8, 207.8, 4)).toEqual({ domain: [203, 208], ticks: [203, 204, 205, 206, 207, 208] });
    const flat = elevationAxis(100.1, 100.2, 4);
    expect(flat.domain[1] - flat.domain[0]).toBeGreaterThanOrEqual(MIN_ELEVATION_SPAN);
    expect(flat.domain[0]).toBeLessThanOrEqual(100.1);
    expect(flat.domain[1]).toBeGreaterThanOrEqual(100.2);
  });
});

describe("tick labels", () => {
  it("have as many decimals as the step needs", () => {
    expect(tickDigits([200, 205, 210])).toBe(0);
    expect(tickDigits([100, 100.5, 101])).toBe(1);
    expect(tickDigits([0, 0.2, 0.4])).toBe(1);
    expect(tickDigits([1, 1.05])).toBe(2);
    expect(tickDigits([7])).toBe(0);
  });
});

describe("scales", () => {
  it("map linearly both ways, the y axis upside down", () => {
    const y = linear([200, 210], [170, 10]);
    expect(y.at(200)).toBe(170);
    expect(y.at(210)).toBe(10);
    expect(y.at(205)).toBe(90);
    expect(y.invert(90)).toBe(205);
    expect(linear([5, 5], [0, 100]).invert(50)).toBe(5);
  });
});

describe("slope colours", () => {
  it("get redder with steepness, either way", () => {
    expect(slopeColour(0.5)).toBe(SLOPE_CLASSES[0]?.colour);
    expect(slopeColour(-3)).toBe(SLOPE_CLASSES[1]?.colour);
    expect(slopeColour(3)).toBe(slopeColour(-3));
    expect(slopeColour(11.9)).toBe(SLOPE_CLASSES[3]?.colour);
    expect(slopeColour(40)).toBe("#c62828");
    expect(slopeColour(null)).toBe(NO_SLOPE_COLOUR);
  });

  it("name their classes", () => {
    expect(slopeClassLabels()).toEqual(["< 2%", "2–5%", "5–8%", "8–12%", "≥ 12%"]);
  });

  it("join stretches of one class and break where the ground is unknown", () => {
    const x = linear([0, 40], [0, 40]);
    const y = linear([0, 10], [10, 0]);
    const runs = slopeRuns(
      [point(0, 0), point(10, 0.1, 1), point(20, 0.2, 1), point(30, 3, 28), point(35, null), point(40, 3)],
      x,
      y,
    );
    expect(runs.map((r) => r.colour)).toEqual([SLOPE_CLASSES[0]?.colour, "#c62828"]);
    expect(runs[0]?.points.map((p) => p[0])).toEqual([0, 10, 20]);
    expect(runs[1]?.points.map((p) => p[0])).toEqual([20, 30]);
  });

  it("work a slope out from the elevations when the core gave none", () => {
    const x = linear([0, 10], [0, 10]);
    const y = linear([0, 10], [10, 0]);
    expect(slopeRuns([point(0, 0), point(10, 1)], x, y)[0]?.colour).toBe(SLOPE_CLASSES[3]?.colour);
  });
});

describe("the chart", () => {
  it("shades the ground under each known stretch", () => {
    const x = linear([0, 30], [0, 30]);
    const y = linear([0, 10], [10, 0]);
    const path = groundPath([point(0, 1), point(10, 2), point(20, null), point(25, 5), point(30, 5)], x, y, 10);
    expect(path).toBe("M0.0,10.0 L0.0,9.0 L10.0,8.0 L10.0,10.0 Z M25.0,10.0 L25.0,5.0 L30.0,5.0 L30.0,10.0 Z");
  });

  it("lays a profile out inside the box", () => {
    const p: Profile = {
      points: [point(0, 204), point(100, 206, 2), point(200, 205, -1)],
      length: 200,
      min: 204,
      max: 206,
      climb: 2,
      descent: 1,
      steepest_pct: 2,
    };
    const layout = layoutProfile(p, BOX);
    expect(layout).not.toBeNull();
    if (!layout) return;
    expect(layout.x.at(0)).toBe(50);
    expect(layout.x.at(200)).toBe(590);
    expect(layout.y.at(layout.y.domain[0])).toBe(170);
    expect(layout.y.at(layout.y.domain[1])).toBe(10);
    expect(layout.xTicks[0]).toBe(0);
    expect(layout.xTicks[layout.xTicks.length - 1]).toBe(200);
    expect(layout.yTicks.every((t) => t >= layout.y.domain[0] && t <= layout.y.domain[1])).toBe(true);
    expect(layout.runs.length).toBe(2);
  });

  it("has nothing to draw without elevations", () => {
    expect(layoutProfile({ points: [point(0, null)], length: 0, min: null, max: null, climb: 0, descent: 0, steepest_pct: null }, BOX)).toBeNull();
  });

  it("finds the point nearest the pointer", () => {
    const points = [point(0, 1), point(10, 1), point(20, 1), point(30, 1)];
    expect(nearestIndex(points, -5)).toBe(0);
    expect(nearestIndex(points, 14)).toBe(1);
    expect(nearestIndex(points, 16)).toBe(2);
    expect(nearestIndex(points, 99)).toBe(3);
    expect(nearestIndex([], 5)).toBe(-1);
  });
});
