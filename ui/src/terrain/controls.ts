// The terrain section of the layer panel: the sun's direction (with a small
// compass dial) and height, the vertical exaggeration, the tint, contours at
// a chosen interval, and the profile and drain tools. Built once, so a
// slider keeps the pointer and focus while the window is redrawn.

import { h, replace } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { sunText } from "./measure";
import { CONTOUR_INTERVALS, LIMITS, type TerrainSettings } from "./settings";

export interface ControlEvents {
  /** A setting changed; `sliding` while a slider is being dragged (the relief waits for it to rest). */
  change(change: Partial<TerrainSettings>, sliding: boolean): void;
  drawProfile(): void;
  checkDrains(): void;
}

export interface ControlsView {
  lang: Lang;
  settings: TerrainSettings;
  /** Whether the file has terrain (null until known); without, only a note is shown. */
  available: boolean | null;
  drawing: boolean;
  checking: boolean;
}

function slider(id: string, limits: { min: number; max: number; step: number }): HTMLInputElement {
  return h("input", { type: "range", id, min: limits.min, max: limits.max, step: limits.step });
}

export class TerrainControls {
  readonly element = h("section", { id: "terrain-controls", class: "terrain" });
  private readonly title = h("h4", {});
  private readonly none = h("p", { class: "note", id: "terrain-none" });
  private readonly body = h("div", { class: "terrain-body" });
  private readonly azimuth = slider("sun-azimuth", LIMITS.azimuth);
  private readonly altitude = slider("sun-altitude", LIMITS.altitude);
  private readonly exaggeration = slider("exaggeration", LIMITS.exaggeration);
  private readonly labels = {
    azimuth: h("label", { for: "sun-azimuth" }),
    altitude: h("label", { for: "sun-altitude" }),
    exaggeration: h("label", { for: "exaggeration" }),
    tint: h("span", {}),
    contours: h("span", {}),
  };
  private readonly values = {
    azimuth: h("output", { for: "sun-azimuth", id: "sun-azimuth-value" }),
    altitude: h("output", { for: "sun-altitude" }),
    exaggeration: h("output", { for: "exaggeration" }),
  };
  /** The sun on a compass dial, where the light comes from. */
  private readonly hand = h("span", { class: "hand" });
  private readonly tint = h("input", { type: "checkbox", id: "terrain-tint" });
  private readonly contours = h("input", { type: "checkbox", id: "contours-on" });
  private readonly interval = h("select", { id: "contour-interval" });
  private readonly draw = h("button", { type: "button", id: "profile-draw", class: "secondary" });
  private readonly drains = h("button", { type: "button", id: "drains-check", class: "secondary" });
  private readonly hint = h("p", { class: "note", id: "profile-draw-hint", role: "status", "aria-live": "polite" });
  private lang: Lang | null = null;

  constructor(events: ControlEvents, drainList: HTMLElement) {
    const slide = (input: HTMLInputElement, key: "azimuth" | "altitude" | "exaggeration") => {
      input.addEventListener("input", () => events.change({ [key]: Number(input.value) }, true));
      input.addEventListener("change", () => events.change({ [key]: Number(input.value) }, false));
    };
    slide(this.azimuth, "azimuth");
    slide(this.altitude, "altitude");
    slide(this.exaggeration, "exaggeration");
    this.tint.addEventListener("change", () => events.change({ tint: this.tint.checked }, false));
    this.contours.addEventListener("change", () => events.change({ contours: this.contours.checked }, false));
    this.interval.addEventListener("change", () => events.change({ interval: Number(this.interval.value), contours: true }, false));
    this.draw.addEventListener("click", () => events.drawProfile());
    this.drains.addEventListener("click", () => events.checkDrains());
    const row = (label: HTMLElement, value: HTMLElement, input: HTMLElement) =>
      h("div", { class: "terrain-slider" }, h("div", { class: "terrain-label" }, label, value), input);
    replace(
      this.body,
      row(this.labels.azimuth, h("span", { class: "sun" }, h("span", { class: "dial", "aria-hidden": "true" }, this.hand), this.values.azimuth), this.azimuth),
      row(this.labels.altitude, this.values.altitude, this.altitude),
      row(this.labels.exaggeration, this.values.exaggeration, this.exaggeration),
      h("label", { class: "check" }, this.tint, this.labels.tint),
      h("div", { class: "contour-row" }, h("label", { class: "check" }, this.contours, this.labels.contours), this.interval),
      h("div", { class: "terrain-tools" }, this.draw, this.hint, this.drains),
      drainList,
    );
    replace(this.element, this.title, this.none, this.body);
  }

  render(v: ControlsView): void {
    const { lang, settings: s } = v;
    this.title.textContent = t(lang, "terrainTitle");
    this.none.textContent = t(lang, "terrainNone");
    this.none.hidden = v.available !== false;
    this.body.hidden = v.available !== true;
    this.labels.azimuth.textContent = t(lang, "sunAzimuth");
    this.labels.altitude.textContent = t(lang, "sunAltitude");
    this.labels.exaggeration.textContent = t(lang, "exaggeration");
    this.labels.tint.textContent = t(lang, "tint");
    this.labels.contours.textContent = t(lang, "contours");
    this.interval.setAttribute("aria-label", t(lang, "contourInterval"));
    this.setValue(this.azimuth, s.azimuth);
    this.setValue(this.altitude, s.altitude);
    this.setValue(this.exaggeration, s.exaggeration);
    this.values.azimuth.textContent = sunText(s.azimuth, lang);
    this.hand.style.transform = `rotate(${s.azimuth}deg)`;
    this.values.altitude.textContent = `${formatNumber(s.altitude, lang)}°`;
    this.values.exaggeration.textContent = `× ${formatNumber(s.exaggeration, lang, 1)}`;
    this.tint.checked = s.tint;
    this.contours.checked = s.contours;
    if (this.lang !== lang) {
      replace(this.interval, ...CONTOUR_INTERVALS.map((n) => h("option", { value: n }, `${formatNumber(n, lang)} ${t(lang, "unitM")}`)));
      this.lang = lang;
    }
    this.interval.value = String(s.interval);
    this.draw.textContent = t(lang, "profileDraw");
    this.draw.title = t(lang, "profileDrawHint");
    this.draw.setAttribute("aria-pressed", String(v.drawing));
    this.hint.textContent = v.drawing ? t(lang, "profileDrawHint") : "";
    this.drains.textContent = v.checking ? t(lang, "drainsChecking") : t(lang, "drainsCheck");
    this.drains.title = t(lang, "drainsCheckTitle");
    this.drains.disabled = v.checking;
  }

  /** Sets a slider unless it already shows the value (a slider being dragged keeps its place). */
  private setValue(input: HTMLInputElement, value: number): void {
    if (Number(input.value) !== value) input.value = String(value);
  }
}
