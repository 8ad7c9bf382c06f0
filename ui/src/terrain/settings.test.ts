import { describe, expect, it } from "vitest";

import { reliefTiles } from "../api";
import { DEFAULT_SETTINGS, REMEMBERED_FILES, settingsFor, settingsFrom, withSettings } from "./settings";

describe("terrain settings", () => {
  it("keep what is usable and take the default for the rest", () => {
    expect(settingsFrom(null)).toEqual(DEFAULT_SETTINGS);
    const s = settingsFrom({ azimuth: 90, altitude: 200, exaggeration: 2.345, tint: "yes", contours: true, interval: 7 });
    expect(s).toEqual({ azimuth: 90, altitude: 90, exaggeration: 2.3, tint: false, contours: true, interval: 10 });
    expect(settingsFrom({ altitude: 1, exaggeration: 0.1 })).toMatchObject({ altitude: 5, exaggeration: 0.5 });
    expect(settingsFrom({ azimuth: Number.NaN, interval: 50 })).toMatchObject({ azimuth: 315, interval: 50 });
  });

  it("are remembered per file, the most recent first, a bounded number of files", () => {
    let store: unknown = "garbage";
    store = withSettings(store, "/a.gpkg", { ...DEFAULT_SETTINGS, tint: true });
    store = withSettings(store, "/b.gpkg", { ...DEFAULT_SETTINGS, interval: 5 });
    expect(settingsFor(store, "/a.gpkg").tint).toBe(true);
    expect(settingsFor(store, "/b.gpkg")).toMatchObject({ tint: false, interval: 5 });
    expect(settingsFor(store, "/c.gpkg")).toEqual(DEFAULT_SETTINGS);
    store = withSettings(store, "/a.gpkg", { ...DEFAULT_SETTINGS, azimuth: 0 });
    expect((store as { path: string }[]).map((e) => e.path)).toEqual(["/a.gpkg", "/b.gpkg"]);
    for (let i = 0; i < 30; i++) store = withSettings(store, `/f${i}.gpkg`, DEFAULT_SETTINGS);
    expect((store as unknown[]).length).toBe(REMEMBERED_FILES);
    expect(settingsFor(store, "/a.gpkg")).toEqual(DEFAULT_SETTINGS);
  });

  it("make the relief's tile address the shell parses", () => {
    const url = reliefTiles("tiles://localhost", { azimuth: 314.6, altitude: 45, exaggeration: 1.25, tint: true });
    expect(url).toBe("tiles://localhost/relief/315/45/1.3/1/{z}/{x}/{y}.png");
    expect(reliefTiles("b", { azimuth: 400, altitude: 0, exaggeration: 0, tint: false })).toBe("b/relief/360/1/0.1/0/{z}/{x}/{y}.png");
  });
});
