// Terrain quantities in words: elevations and lengths in metres, slopes in
// per cent, the sun's direction as a compass point. Pure: tested in
// measure.test.ts.

import { formatNumber } from "../format";
import { t, type Lang, type MessageKey } from "../i18n";

/** `208.4 ม.` / `208.4 m`; `–` for none. */
export function formatMetres(value: number | null, lang: Lang, fractionDigits = 1): string {
  if (value === null || !Number.isFinite(value)) return t(lang, "none");
  return `${formatNumber(value, lang, fractionDigits)} ${t(lang, "unitM")}`;
}

/** A length along the ground: whole metres below a kilometre (`557 ม.`), else kilometres (`1.24 กม.`). */
export function formatLength(metres: number, lang: Lang): string {
  if (!Number.isFinite(metres)) return t(lang, "none");
  if (Math.abs(metres) < 1000) return `${formatNumber(metres, lang)} ${t(lang, "unitM")}`;
  return `${formatNumber(metres / 1000, lang, 2)} ${t(lang, "unitKm")}`;
}

/** A slope along the line: `+3.2%` uphill, `-3.2%` downhill, `0.0%` flat; `–` for none. */
export function formatSlope(pct: number | null, lang: Lang, signed = true): string {
  if (pct === null || !Number.isFinite(pct)) return t(lang, "none");
  const rounded = Math.round(pct * 10) / 10;
  const sign = signed && rounded > 0 ? "+" : "";
  return `${sign}${formatNumber(rounded === 0 ? 0 : rounded, lang, 1)}%`;
}

/** An elevation written along a contour: `210`, or `212.5` for a fractional one (no unit, as on survey maps). */
export function contourLabel(elev: number): string {
  return String(Math.round(elev * 10) / 10);
}

/** `ระดับพื้นดิน 208.4 ม.` for the status bar; empty off the terrain. */
export function groundText(elevation: number | null, lang: Lang): string {
  return elevation === null || !Number.isFinite(elevation) ? "" : t(lang, "groundElevation", { e: formatMetres(elevation, lang) });
}

const COMPASS: readonly MessageKey[] = [
  "compass.n",
  "compass.ne",
  "compass.e",
  "compass.se",
  "compass.s",
  "compass.sw",
  "compass.w",
  "compass.nw",
];

/** The nearest of the eight compass points to an azimuth in degrees (0 north, clockwise). */
export function compassPoint(azimuth: number): MessageKey {
  const turn = ((azimuth % 360) + 360) % 360;
  return COMPASS[Math.round(turn / 45) % 8] as MessageKey;
}

/** Where the sun shines from: `ตะวันตกเฉียงเหนือ 315°` / `north-west 315°`. */
export function sunText(azimuth: number, lang: Lang): string {
  return `${t(lang, compassPoint(azimuth))} ${Math.round(azimuth)}°`;
}
