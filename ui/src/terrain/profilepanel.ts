// The elevation profile of a road, a drain or a drawn line, below the map: a
// chart of the ground by distance with the line coloured by slope, a readout
// of the point under the pointer (also marked on the map), and the summary —
// length, lowest and highest ground, total climb and descent, steepest slope.

import type { Identified, IpcError, Profile, ProfilePoint, XY } from "../api";
import { h, replace, svg } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang, type MessageKey } from "../i18n";
import { errorHeadline } from "../labels";
import { layoutProfile, nearestIndex, SLOPE_CLASSES, slopeClassLabels, tickDigits, type ChartLayout } from "./chart";
import { formatLength, formatMetres, formatSlope } from "./measure";

/** What is profiled, in both languages. */
export interface ProfileTitle {
  th: string;
  en: string;
}

export interface ProfileEvents {
  /** The point read on the chart (EPSG:3857), or none. */
  hover(at: XY | null): void;
  closed(): void;
}

/** Fields that name a line, in the order tried, after its layer's label. */
const NAMING: Record<"th" | "en", readonly string[]> = {
  th: ["road_code", "name_th", "name_en"],
  en: ["road_code", "name_en", "name_th"],
};

/** A feature as the profile's title: its layer, code and name (`ทางหลวงท้องถิ่น นภ.ถ 1-0003 ถนนเทศบาล 1`). */
export function profileTitle(d: Identified): ProfileTitle {
  const value = (name: string) => d.fields.find((f) => f.name === name)?.value ?? "";
  const title = (lang: "th" | "en") => {
    const [code = "", ...names] = NAMING[lang];
    const name = names.map(value).find((v) => v !== "") ?? "";
    return [lang === "th" ? d.th : d.en, value(code), name].filter((part) => part !== "").join(" ");
  };
  return { th: title("th"), en: title("en") };
}

/** The chart's own coordinates; it scales to the panel's width. */
const VIEW = { width: 760, height: 210, left: 52, right: 14, top: 24, bottom: 36 };

export class ProfilePanel {
  readonly element = h("section", { id: "profile", class: "profile", hidden: true, "aria-labelledby": "profile-title" });
  private title: ProfileTitle | null = null;
  private data: Profile | null = null;
  private error: IpcError | null = null;
  private layout: ChartLayout | null = null;
  private index = -1;
  private lang: Lang = "th";
  /** What the panel shows now: it is built again only when this changes (focus on the chart survives). */
  private drawn: { lang: Lang; title: ProfileTitle | null; data: Profile | null; error: IpcError | null } | null = null;
  private readonly readout = h("p", { id: "profile-readout", class: "readout", "aria-live": "polite" });
  private readonly cursor = svg("g", { class: "cursor", visibility: "hidden" });
  private readonly cursorLine = svg("line", { y1: VIEW.top, y2: VIEW.height - VIEW.bottom });
  private readonly cursorDot = svg("circle", { r: 5 });

  constructor(private readonly events: ProfileEvents) {
    this.cursor.append(this.cursorLine, this.cursorDot);
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  loading(title: ProfileTitle): void {
    this.set(title, null, null);
  }

  show(title: ProfileTitle, profile: Profile): void {
    this.set(title, profile, null);
  }

  failed(title: ProfileTitle, error: IpcError): void {
    this.set(title, null, error);
  }

  close(): void {
    if (!this.open) return;
    this.element.hidden = true;
    this.data = null;
    this.layout = null;
    this.events.hover(null);
    this.events.closed();
  }

  render(lang: Lang): void {
    this.lang = lang;
    const d = this.drawn;
    if (!this.title || (d && d.lang === lang && d.title === this.title && d.data === this.data && d.error === this.error)) return;
    this.drawn = { lang, title: this.title, data: this.data, error: this.error };
    const close = h("button", { type: "button", class: "secondary", id: "profile-close" }, t(lang, "close"));
    close.addEventListener("click", () => this.close());
    const head = h("div", { class: "profile-head" }, h("h2", { id: "profile-title" }, t(lang, "profileTitle", { name: this.title[lang] })), close);
    if (this.error) {
      replace(this.element, head, h("p", { class: "problem", role: "alert" }, errorHeadline(this.error, lang)));
      return;
    }
    if (!this.data) {
      replace(this.element, head, h("p", { class: "empty" }, t(lang, "profileLoading")));
      return;
    }
    this.layout = layoutProfile(this.data, VIEW);
    if (!this.layout) {
      replace(this.element, head, h("p", { class: "empty", id: "profile-none" }, t(lang, "profileNoGround")));
      return;
    }
    replace(
      this.element,
      head,
      this.summary(this.data, lang),
      this.chart(this.layout, lang),
      this.readout,
      this.slopeLegend(lang),
    );
    this.point(this.index);
  }

  private set(title: ProfileTitle, data: Profile | null, error: IpcError | null): void {
    this.title = title;
    this.data = data;
    this.error = error;
    this.index = -1;
    this.events.hover(null);
    this.element.hidden = false;
    this.render(this.lang);
  }

  private chart(layout: ChartLayout, lang: Lang): SVGSVGElement {
    const { x, y } = layout;
    const bottom = VIEW.height - VIEW.bottom;
    const right = VIEW.width - VIEW.right;
    const yDigits = tickDigits(layout.yTicks);
    const chart = svg(
      "svg",
      {
        viewBox: `0 0 ${VIEW.width} ${VIEW.height}`,
        class: "chart",
        id: "profile-chart",
        role: "img",
        tabindex: 0,
        "aria-label": t(lang, "profileChart"),
      },
      ...layout.yTicks.map((v) =>
        svg(
          "g",
          { class: "tick" },
          svg("line", { x1: VIEW.left, x2: right, y1: y.at(v), y2: y.at(v) }),
          svg("text", { x: VIEW.left - 6, y: y.at(v) + 4, "text-anchor": "end" }, formatNumber(v, lang, yDigits)),
        ),
      ),
      ...layout.xTicks.map((v) =>
        svg(
          "g",
          { class: "tick" },
          svg("line", { x1: x.at(v), x2: x.at(v), y1: VIEW.top, y2: bottom }),
          svg("text", { x: x.at(v), y: bottom + 16, "text-anchor": "middle" }, formatNumber(v, lang)),
        ),
      ),
      svg("path", { class: "ground", d: layout.ground }),
      ...layout.runs.map((run) =>
        svg("polyline", { class: "run", stroke: run.colour, points: run.points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ") }),
      ),
      svg("text", { class: "axis-title", x: right, y: VIEW.height - 2, "text-anchor": "end" }, t(lang, "profileDistance")),
      svg("text", { class: "axis-title", x: 4, y: 12 }, t(lang, "profileElevation")),
      this.cursor,
    );
    chart.addEventListener("pointermove", (e) => {
      const box = chart.getBoundingClientRect();
      if (box.width === 0) return;
      const distance = x.invert(((e.clientX - box.left) * VIEW.width) / box.width);
      this.point(nearestIndex(this.data?.points ?? [], distance));
    });
    chart.addEventListener("pointerleave", () => this.point(-1));
    chart.addEventListener("keydown", (e) => {
      const n = this.data?.points.length ?? 0;
      if (n === 0 || (e.key !== "ArrowLeft" && e.key !== "ArrowRight")) return;
      e.preventDefault();
      const step = Math.max(1, Math.round(n / 100)) * (e.key === "ArrowLeft" ? -1 : 1);
      this.point(Math.min(n - 1, Math.max(0, (this.index < 0 ? 0 : this.index) + step)));
    });
    return chart;
  }

  /** Reads point `index` (-1: none) on the chart and marks it on the map. */
  private point(index: number): void {
    this.index = index;
    const p: ProfilePoint | undefined = this.data?.points[index];
    const layout = this.layout;
    if (!p || !layout) {
      this.cursor.setAttribute("visibility", "hidden");
      this.readout.textContent = t(this.lang, "profileHint");
      this.events.hover(null);
      return;
    }
    const px = layout.x.at(p.distance).toFixed(1);
    this.cursor.setAttribute("visibility", "visible");
    this.cursorLine.setAttribute("x1", px);
    this.cursorLine.setAttribute("x2", px);
    this.cursorDot.setAttribute("cx", px);
    this.cursorDot.setAttribute("cy", p.elevation === null ? "-100" : layout.y.at(p.elevation).toFixed(1));
    this.readout.textContent = t(this.lang, "profileReadout", {
      d: formatLength(p.distance, this.lang),
      e: formatMetres(p.elevation, this.lang),
      s: formatSlope(p.slope_pct, this.lang),
    });
    this.events.hover(p.at);
  }

  private slopeLegend(lang: Lang): HTMLElement {
    const labels = slopeClassLabels();
    return h(
      "p",
      { class: "slope-legend" },
      `${t(lang, "slope")}:`,
      ...SLOPE_CLASSES.map((c, i) => h("span", {}, h("span", { class: "swatch line", style: `--c: ${c.colour}` }), labels[i] ?? "")),
    );
  }

  private summary(p: Profile, lang: Lang): HTMLElement {
    // Each term with its value, so that a line breaks between pairs only.
    const row = (key: MessageKey, id: string, value: string) => h("div", {}, h("dt", {}, t(lang, key)), h("dd", { id }, value));
    return h(
      "dl",
      { class: "profile-summary" },
      row("profileLength", "profile-length", formatLength(p.length, lang)),
      row("profileMin", "profile-min", formatMetres(p.min, lang)),
      row("profileMax", "profile-max", formatMetres(p.max, lang)),
      row("profileClimb", "profile-climb", formatMetres(p.climb, lang)),
      row("profileDescent", "profile-descent", formatMetres(p.descent, lang)),
      row("profileSteepest", "profile-steepest", formatSlope(p.steepest_pct === null ? null : Math.abs(p.steepest_pct), lang, false)),
    );
  }
}
