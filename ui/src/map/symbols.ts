// How each layer of the municipality is drawn: colours and widths as plain
// data, so the legend and the map draw from the same table.

import type { Lang } from "../i18n";

export const POLE_STATUS_COLOURS: Record<string, string> = {
  normal: "#2e7d32",
  damaged: "#c62828",
  awaiting_repair: "#f9a825",
};
/** Thinned points that stand for several poles. */
export const CLUSTER_COLOUR = "#546e7a";
export const UNKNOWN_COLOUR = "#757575";

export const ROAD_SURFACE_COLOURS: Record<string, string> = {
  concrete: "#8e9aa6",
  asphalt: "#37474f",
  laterite: "#c1693c",
  crushed_rock: "#a1887f",
  earth: "#8d6e63",
};

/** Carriageway width on screen, in pixels at zoom 15, by road class. */
export const ROAD_CLASS_WIDTHS: Record<string, number> = {
  highway: 8,
  special: 7,
  "1": 6,
  "2": 5.5,
  "3": 5,
  "4": 4,
  "5": 3,
  "6": 2.5,
};

export const DRAIN_COLOUR = "#1e88e5";
export const LANDMARK_COLOUR = "#6a1b9a";
export const BOUNDARY_COLOUR = "#6a1b9a";

/** Layers drawn, bottom to top (the order of the layer panel, reversed). */
export const DRAW_ORDER = ["boundary", "drains", "roads", "equipment", "poles", "landmarks"] as const;

export function poleColour(status: unknown, pointCount: unknown): string {
  if (typeof pointCount === "number" && pointCount > 1 && typeof status !== "string") return CLUSTER_COLOUR;
  return (typeof status === "string" && POLE_STATUS_COLOURS[status]) || UNKNOWN_COLOUR;
}

export function roadColour(surface: unknown): string {
  return (typeof surface === "string" && ROAD_SURFACE_COLOURS[surface]) || UNKNOWN_COLOUR;
}

/** Road width in pixels: by class, thinner when zoomed out. */
export function roadWidth(roadClass: unknown, zoom: number): number {
  const base = (typeof roadClass === "string" && ROAD_CLASS_WIDTHS[roadClass]) || 3;
  const factor = zoom >= 17 ? 1.6 : zoom >= 15 ? 1 : zoom >= 13 ? 0.6 : 0.35;
  return Math.max(1, base * factor);
}

/** Radius of a pole symbol; thinned points grow with what they stand for. */
export function poleRadius(zoom: number, pointCount: unknown): number {
  const base = zoom >= 17 ? 6 : zoom >= 15 ? 4.5 : zoom >= 13 ? 3 : 2;
  if (typeof pointCount === "number" && pointCount > 1) return Math.min(9, base + Math.log10(pointCount));
  return base;
}

/** The attribute holding a feature's name in the chosen language. */
export function nameField(lang: Lang): "name_th" | "name_en" {
  return lang === "th" ? "name_th" : "name_en";
}

/** A label for a road: its name in the language, else the other, else its code. */
export function roadLabel(props: Record<string, unknown>, lang: Lang): string {
  const other = lang === "th" ? "name_en" : "name_th";
  for (const key of [nameField(lang), other, "road_code"]) {
    const v = props[key];
    if (typeof v === "string" && v.length > 0) return v;
  }
  return "";
}
