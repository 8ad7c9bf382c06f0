// How the terrain is drawn — the sun, exaggeration, tint and contours — and
// how those settings are remembered per file. Pure: tested in settings.test.ts.

import type { Relief } from "../api";

export interface TerrainSettings extends Relief {
  contours: boolean;
  /** Metres between contour lines, one of CONTOUR_INTERVALS. */
  interval: number;
}

export const CONTOUR_INTERVALS: readonly number[] = [1, 2, 5, 10, 20, 50];

/** The sliders' ranges and steps. */
export const LIMITS = {
  azimuth: { min: 0, max: 360, step: 5 },
  altitude: { min: 5, max: 90, step: 5 },
  exaggeration: { min: 0.5, max: 5, step: 0.1 },
} as const;

/** The cartographers' sun: from the north-west, 45° high; no exaggeration, no tint, no contours. */
export const DEFAULT_SETTINGS: Readonly<TerrainSettings> = {
  azimuth: 315,
  altitude: 45,
  exaggeration: 1,
  tint: false,
  contours: false,
  interval: 10,
};

/** Files whose settings are kept, most recently changed first. */
export const REMEMBERED_FILES = 20;

function number(value: unknown, limits: { min: number; max: number }, fallback: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) return fallback;
  return Math.min(limits.max, Math.max(limits.min, value));
}

/** Settings from anything (stored JSON of an older version, a hand-edited value): each part checked, the default where it is not usable. */
export function settingsFrom(raw: unknown): TerrainSettings {
  const o = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const d = DEFAULT_SETTINGS;
  return {
    azimuth: number(o["azimuth"], LIMITS.azimuth, d.azimuth),
    altitude: number(o["altitude"], LIMITS.altitude, d.altitude),
    exaggeration: Math.round(number(o["exaggeration"], LIMITS.exaggeration, d.exaggeration) * 10) / 10,
    tint: typeof o["tint"] === "boolean" ? o["tint"] : d.tint,
    contours: typeof o["contours"] === "boolean" ? o["contours"] : d.contours,
    interval: CONTOUR_INTERVALS.includes(o["interval"] as number) ? (o["interval"] as number) : d.interval,
  };
}

/** What is stored: one entry per file, most recently changed first. */
export type SettingsStore = { path: string; settings: TerrainSettings }[];

function entries(store: unknown): { path: string; settings: unknown }[] {
  if (!Array.isArray(store)) return [];
  return store.filter(
    (e): e is { path: string; settings: unknown } =>
      typeof e === "object" && e !== null && typeof (e as Record<string, unknown>)["path"] === "string",
  );
}

/** The settings remembered for `path`, else the defaults. */
export function settingsFor(store: unknown, path: string): TerrainSettings {
  return settingsFrom(entries(store).find((e) => e.path === path)?.settings);
}

/** The store with `path`'s settings first, keeping at most REMEMBERED_FILES files. */
export function withSettings(store: unknown, path: string, settings: TerrainSettings): SettingsStore {
  const others = entries(store)
    .filter((e) => e.path !== path)
    .map((e) => ({ path: e.path, settings: settingsFrom(e.settings) }));
  return [{ path, settings: { ...settings } }, ...others].slice(0, REMEMBERED_FILES);
}
