// The terrain's part of the legend: the tint's colours as a bar with the
// elevations of its stops while the tint is on, and the contour interval
// while contours are drawn.

import type { TintLegend } from "../api";
import { h, replace } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { CONTOUR_COLOUR } from "./contours";
import type { TerrainSettings } from "./settings";

/** Where each stop sits on the bar, 0 at the lowest elevation and 1 at the highest. */
export function stopFractions(stops: TintLegend["stops"]): number[] {
  const first = stops[0]?.[0] ?? 0;
  const last = stops[stops.length - 1]?.[0] ?? first;
  const span = last - first;
  return stops.map(([e]) => (span > 0 ? (e - first) / span : 0));
}

/** The bar's CSS gradient, lowest elevation at the bottom. */
export function tintGradient(stops: TintLegend["stops"]): string {
  const at = stopFractions(stops);
  return `linear-gradient(to top, ${stops.map(([, colour], i) => `${colour} ${((at[i] ?? 0) * 100).toFixed(1)}%`).join(", ")})`;
}

/**
 * The legend; `drawn` is the contour interval the tiles draw at the map's
 * zoom, which is coarser than the one asked for when zoomed out.
 */
export function renderTerrainLegend(element: HTMLElement, lang: Lang, s: TerrainSettings, tint: TintLegend | null, drawn: number): void {
  const parts: HTMLElement[] = [];
  if (s.tint && tint && tint.stops.length > 1) {
    const at = stopFractions(tint.stops);
    parts.push(
      h("p", { class: "legend-group" }, `${t(lang, "tintLegend")} (${t(lang, "unitM")})`),
      h(
        "div",
        { class: "tint-legend", id: "tint-legend" },
        h("span", { class: "tint-bar", style: `background: ${tintGradient(tint.stops)}` }),
        h(
          "ul",
          { class: "tint-stops" },
          ...tint.stops.map(([e], i) =>
            h("li", { style: `bottom: ${((at[i] ?? 0) * 100).toFixed(1)}%` }, formatNumber(e, lang)),
          ),
        ),
      ),
    );
  }
  const metres = (n: number) => `${formatNumber(n, lang)} ${t(lang, "unitM")}`;
  if (s.contours) {
    parts.push(
      h(
        "ul",
        {},
        h(
          "li",
          { id: "contour-legend" },
          h("span", { class: "swatch line thin", style: `--c: ${CONTOUR_COLOUR}` }),
          drawn > s.interval
            ? t(lang, "contoursEveryThinned", { n: metres(drawn), m: metres(s.interval) })
            : t(lang, "contoursEvery", { n: metres(s.interval) }),
        ),
      ),
    );
  }
  replace(element, ...parts);
}
