// The panels around the map: identify, search results, layers and legend.
// They are plain DOM built with `h`, redrawn on every change of language.

import type { DataModel, Identified, SearchHit } from "../api";
import { h, replace } from "../dom";
import { formatIsoDate } from "../format";
import { t, type Lang } from "../i18n";
import {
  BOUNDARY_COLOUR,
  CLUSTER_COLOUR,
  DRAIN_COLOUR,
  LANDMARK_COLOUR,
  POLE_STATUS_COLOURS,
  ROAD_SURFACE_COLOURS,
} from "./symbols";

/** Bookkeeping fields, not shown: identity, timestamps, links to a parent row. */
function hidden(name: string): boolean {
  return name === "uid" || name === "created_at" || name === "updated_at" || name.endsWith("_uid");
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

export function valueText(f: Identified["fields"][number], lang: Lang): string {
  const coded = lang === "th" ? f.value_th : f.value_en;
  if (coded) return coded;
  if (f.value === null) return t(lang, "none");
  return ISO_DATE.test(f.value) ? formatIsoDate(f.value, lang) : f.value;
}

function fieldList(d: Identified, lang: Lang): HTMLElement {
  return h(
    "dl",
    { class: "identify-fields" },
    ...d.fields
      .filter((f) => !hidden(f.name))
      .flatMap((f) => [h("dt", {}, lang === "th" ? f.th : f.en), h("dd", { "data-field": f.name }, valueText(f, lang))]),
  );
}

export function renderIdentify(panel: HTMLElement, d: Identified | null, lang: Lang, close: () => void): void {
  if (!d) {
    replace(panel, h("p", { class: "empty" }, t(lang, "identifyNone")));
    return;
  }
  const closeButton = h("button", { type: "button", class: "secondary", id: "identify-close" }, t(lang, "close"));
  closeButton.addEventListener("click", close);
  replace(
    panel,
    h("div", { class: "identify-head" }, h("h3", { id: "identify-title" }, lang === "th" ? d.th : d.en), closeButton),
    fieldList(d, lang),
    ...d.children.map((c, i) =>
      h("section", { class: "identify-child" }, h("h4", {}, `${lang === "th" ? c.th : c.en} ${i + 1}`), fieldList(c, lang)),
    ),
  );
}

export function renderHits(
  list: HTMLElement,
  hits: SearchHit[] | null,
  model: DataModel | null,
  lang: Lang,
  choose: (hit: SearchHit) => void,
): void {
  if (hits === null) {
    replace(list);
    list.hidden = true;
    return;
  }
  list.hidden = false;
  if (hits.length === 0) {
    replace(list, h("li", { class: "empty" }, t(lang, "searchNone")));
    return;
  }
  replace(
    list,
    ...hits.map((hit) => {
      const def = model?.layers.find((l) => l.name === hit.layer);
      const layer = def ? (lang === "th" ? def.th : def.en) : hit.layer;
      const item = h(
        "li",
        {},
        h("button", { type: "button", class: "hit", "data-layer": hit.layer }, hit.label, h("span", { class: "note" }, ` · ${layer}`)),
      );
      item.querySelector("button")?.addEventListener("click", () => choose(hit));
      return item;
    }),
  );
}

export interface LayerControls {
  visible(layer: string): boolean;
  toggle(layer: string, on: boolean): void;
  /** Moves a vector layer one place up (towards the top) or down. */
  move(layer: string, up: boolean): void;
  /** Current and new opacity of the relief, a raster pyramid or "features". */
  opacity(layer: string): number;
  setOpacity(layer: string, value: number): void;
}

/** Vector layers (top first, each movable), raster pyramids, then the relief. */
export function renderLayers(
  panel: HTMLElement,
  model: DataModel | null,
  lang: Lang,
  vectorOrder: string[],
  rasters: string[],
  controls: LayerControls,
): void {
  const label = (name: string) => {
    const def = model?.layers.find((l) => l.name === name);
    return def ? (lang === "th" ? def.th : def.en) : name;
  };
  const row = (name: string, text: string, movable: boolean) => {
    const box = h("input", { type: "checkbox", id: `layer-${name}`, checked: controls.visible(name) });
    box.addEventListener("change", () => controls.toggle(name, box.checked));
    const item = h("li", {}, box, h("label", { for: `layer-${name}` }, text));
    if (movable) {
      const up = h("button", { type: "button", class: "move", "aria-label": `${text} ${t(lang, "moveUp")}` }, "↑");
      const down = h("button", { type: "button", class: "move", "aria-label": `${text} ${t(lang, "moveDown")}` }, "↓");
      up.addEventListener("click", () => controls.move(name, true));
      down.addEventListener("click", () => controls.move(name, false));
      item.append(h("span", { class: "moves" }, up, down));
    }
    return item;
  };
  const slider = (layer: string, text: string) => {
    const input = h("input", {
      type: "range",
      min: 0,
      max: 100,
      value: Math.round(controls.opacity(layer) * 100),
      id: `opacity-${layer}`,
      "aria-label": `${t(lang, "opacity")}: ${text}`,
    });
    input.addEventListener("input", () => controls.setOpacity(layer, Number(input.value) / 100));
    return h("li", { class: "opacity" }, h("span", {}, text), input);
  };
  replace(
    panel,
    h("h3", {}, t(lang, "layerPanel")),
    h(
      "ul",
      { class: "layer-list" },
      ...[...vectorOrder].reverse().map((n) => row(n, label(n), true)),
      ...rasters.map((n) => row(n, label(n), false)),
      row("hillshade", t(lang, "hillshade"), false),
    ),
    h("h4", {}, t(lang, "opacity")),
    h(
      "ul",
      { class: "layer-list" },
      slider("features", t(lang, "mapFeatures")),
      ...rasters.map((n) => slider(n, label(n))),
      slider("hillshade", t(lang, "hillshade")),
    ),
  );
}

export function renderLegend(panel: HTMLElement, model: DataModel | null, lang: Lang): void {
  const domain = (name: string) => model?.domains[name]?.values ?? [];
  const swatch = (colour: string, shape: "dot" | "line" | "dash") => h("span", { class: `swatch ${shape}`, style: `--c: ${colour}` });
  const item = (colour: string, shape: "dot" | "line" | "dash", text: string) => h("li", {}, swatch(colour, shape), text);
  const layer = (name: string) => model?.layers.find((l) => l.name === name);
  const name = (n: string) => (lang === "th" ? layer(n)?.th : layer(n)?.en) ?? n;
  replace(
    panel,
    h("h3", {}, t(lang, "legend")),
    h("p", { class: "legend-group" }, name("poles")),
    h(
      "ul",
      {},
      ...domain("pole_status").map((v) => item(POLE_STATUS_COLOURS[v.code] ?? CLUSTER_COLOUR, "dot", lang === "th" ? v.th : v.en)),
      item(CLUSTER_COLOUR, "dot", t(lang, "poleCluster")),
    ),
    h("p", { class: "legend-group" }, name("roads")),
    h("ul", {}, ...domain("road_surface").map((v) => item(ROAD_SURFACE_COLOURS[v.code] ?? CLUSTER_COLOUR, "line", lang === "th" ? v.th : v.en))),
    h(
      "ul",
      {},
      item(DRAIN_COLOUR, "dash", name("drains")),
      item(LANDMARK_COLOUR, "dot", name("landmarks")),
      item(BOUNDARY_COLOUR, "dash", name("boundary")),
    ),
  );
}
