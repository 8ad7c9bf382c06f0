import { describe, expect, it } from "vitest";
import { mercatorToLonLat, toUtm, utmZone } from "./utm";

describe("UTM", () => {
  it("matches GDAL's transformation in zone 48N", () => {
    // gdaltransform -s_srs EPSG:4326 -t_srs EPSG:32648 <<< "102.1 16.95" (GDAL 3.6.2)
    const u = toUtm(102.1, 16.95);
    expect(u.zone).toBe(48);
    expect(u.easting).toBeCloseTo(191122.662057823, 2);
    expect(u.northing).toBeCloseTo(1876304.09658049, 2);
  });

  it("matches GDAL's transformation in zone 47N (Bangkok)", () => {
    // gdaltransform -s_srs EPSG:4326 -t_srs EPSG:32647 <<< "100.5 13.75"
    const u = toUtm(100.5, 13.75);
    expect(u.zone).toBe(47);
    // → 662176.290477137 1520582.49436025
    expect(u.easting).toBeCloseTo(662176.290477137, 2);
    expect(u.northing).toBeCloseTo(1520582.49436025, 2);
  });

  it("puts Thailand in zones 47 and 48", () => {
    expect(utmZone(98.9)).toBe(47);
    expect(utmZone(102.0)).toBe(48);
  });

  it("turns Web Mercator back into degrees", () => {
    // gdaltransform -s_srs EPSG:4326 -t_srs EPSG:3857 <<< "102.1 16.96"
    const [lon, lat] = mercatorToLonLat(11365720.0099932, 1916169.30188833);
    expect(lon).toBeCloseTo(102.1, 9);
    expect(lat).toBeCloseTo(16.96, 9);
  });
});
