import { describe, expect, it } from "vitest";
import { CLUSTER_COLOUR, poleColour, poleRadius, roadColour, roadLabel, roadWidth, UNKNOWN_COLOUR } from "./symbols";

describe("map symbols", () => {
  it("colours poles by status: green in service, red damaged, amber awaiting repair", () => {
    expect(poleColour("normal", undefined)).toBe("#2e7d32");
    expect(poleColour("damaged", undefined)).toBe("#c62828");
    expect(poleColour("awaiting_repair", undefined)).toBe("#f9a825");
    expect(poleColour("something else", undefined)).toBe(UNKNOWN_COLOUR);
    expect(poleColour(undefined, 40)).toBe(CLUSTER_COLOUR);
  });

  it("draws wider roads for higher classes and thinner ones zoomed out", () => {
    expect(roadWidth("highway", 15)).toBeGreaterThan(roadWidth("6", 15));
    expect(roadWidth("3", 12)).toBeLessThan(roadWidth("3", 16));
    expect(roadWidth(undefined, 10)).toBeGreaterThanOrEqual(1);
    expect(roadColour("laterite")).toBe("#c1693c");
  });

  it("grows thinned points with the poles they stand for", () => {
    expect(poleRadius(12, 1000)).toBeGreaterThan(poleRadius(12, undefined));
  });

  it("labels roads in the chosen language, falling back to the other and the code", () => {
    const both = { name_th: "ถนนเทศบาล 1", name_en: "Thetsaban 1 Road", road_code: "นภ.ถ 1-0001" };
    expect(roadLabel(both, "th")).toBe("ถนนเทศบาล 1");
    expect(roadLabel(both, "en")).toBe("Thetsaban 1 Road");
    expect(roadLabel({ name_th: "ซอย ๑" }, "en")).toBe("ซอย ๑");
    expect(roadLabel({ road_code: "นภ.ถ 1-0002" }, "th")).toBe("นภ.ถ 1-0002");
  });
});
