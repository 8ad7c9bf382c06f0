// Coordinates for the status bar: Web Mercator (the map) to latitude and
// longitude, and those to UTM (WGS 84), with Snyder's series (USGS
// Professional Paper 1395, pp. 61–64): millimetres within a zone.

const A = 6378137;
const F = 1 / 298.257223563;
const E2 = F * (2 - F);
const EP2 = E2 / (1 - E2);
const K0 = 0.9996;

export interface Utm {
  zone: number;
  easting: number;
  northing: number;
}

/** EPSG:3857 metres to [longitude, latitude] in degrees. */
export function mercatorToLonLat(x: number, y: number): [number, number] {
  const lon = (x / A) * (180 / Math.PI);
  const lat = (2 * Math.atan(Math.exp(y / A)) - Math.PI / 2) * (180 / Math.PI);
  return [lon, lat];
}

/** The UTM zone of a longitude (47 or 48 across Thailand). */
export function utmZone(lon: number): number {
  return Math.min(60, Math.max(1, Math.floor((lon + 180) / 6) + 1));
}

/** Longitude/latitude to UTM in `zone` (northern hemisphere). */
export function toUtm(lon: number, lat: number, zone = utmZone(lon)): Utm {
  const phi = (lat * Math.PI) / 180;
  const lambda0 = (((zone - 1) * 6 - 180 + 3) * Math.PI) / 180;
  const sin = Math.sin(phi);
  const cos = Math.cos(phi);
  const tan = Math.tan(phi);
  const n = A / Math.sqrt(1 - E2 * sin * sin);
  const t = tan * tan;
  const c = EP2 * cos * cos;
  const a = cos * ((lon * Math.PI) / 180 - lambda0);
  const e4 = E2 * E2;
  const e6 = e4 * E2;
  const m =
    A *
    ((1 - E2 / 4 - (3 * e4) / 64 - (5 * e6) / 256) * phi -
      ((3 * E2) / 8 + (3 * e4) / 32 + (45 * e6) / 1024) * Math.sin(2 * phi) +
      ((15 * e4) / 256 + (45 * e6) / 1024) * Math.sin(4 * phi) -
      ((35 * e6) / 3072) * Math.sin(6 * phi));
  const easting =
    K0 * n * (a + ((1 - t + c) * a ** 3) / 6 + ((5 - 18 * t + t * t + 72 * c - 58 * EP2) * a ** 5) / 120) + 500000;
  const northing =
    K0 *
    (m +
      n *
        tan *
        ((a * a) / 2 +
          ((5 - t + 9 * c + 4 * c * c) * a ** 4) / 24 +
          ((61 - 58 * t + t * t + 600 * c - 330 * EP2) * a ** 6) / 720));
  return { zone, easting, northing };
}
