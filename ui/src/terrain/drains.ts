// The drains that run uphill: those whose end lies above their start, so
// water would flow against the direction recorded, worst first. Each opens
// the drain; the map marks their starts while the list is open.

import { toIpcError, uphillDrains, type IpcError, type UphillDrain } from "../api";
import { h, replace } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { errorHeadline } from "../labels";
import { formatMetres } from "./measure";

export interface DrainEvents {
  /** The list was shown (its drains) or closed (null). */
  shown(drains: UphillDrain[] | null): void;
  choose(drain: UphillDrain): void;
}

export class DrainCheck {
  readonly element = h("div", { id: "drains", class: "drains", hidden: true });
  private drains: UphillDrain[] | null = null;
  private error: IpcError | null = null;
  private chosen: string | null = null;
  private busy = false;
  private lang: Lang = "th";
  /** What the list shows now: it is built again only when this changes (focus on it survives). */
  private drawn = "";

  constructor(private readonly events: DrainEvents) {}

  get open(): boolean {
    return !this.element.hidden;
  }

  get checking(): boolean {
    return this.busy;
  }

  async check(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.render(this.lang);
    try {
      this.drains = await uphillDrains();
    } catch (error) {
      this.drains = null;
      this.error = toIpcError(error);
    }
    this.busy = false;
    this.chosen = null;
    this.render(this.lang);
    this.events.shown(this.drains);
  }

  close(): void {
    if (!this.open) return;
    this.drains = null;
    this.error = null;
    this.render(this.lang);
    this.events.shown(null);
  }

  render(lang: Lang): void {
    this.lang = lang;
    this.element.hidden = this.drains === null && this.error === null;
    const drawn = JSON.stringify([lang, this.drains, this.error, this.chosen]);
    if (drawn === this.drawn) return;
    this.drawn = drawn;
    const close = h("button", { type: "button", class: "secondary", id: "drains-close" }, t(lang, "close"));
    close.addEventListener("click", () => this.close());
    if (this.error) {
      replace(this.element, h("p", { class: "problem", role: "alert" }, errorHeadline(this.error, lang)), close);
      return;
    }
    const drains = this.drains ?? [];
    const head = drains.length === 0 ? t(lang, "drainsNone") : t(lang, "drainsFound", { n: formatNumber(drains.length, lang) });
    replace(
      this.element,
      h("div", { class: "drains-head" }, h("p", { id: "drains-summary", role: "status" }, head), close),
      h("ol", { id: "drains-list", class: "drains-list" }, ...drains.map((d) => this.item(d, lang))),
    );
  }

  private item(d: UphillDrain, lang: Lang): HTMLElement {
    const button = h(
      "button",
      { type: "button", class: "hit", "data-uid": d.uid, "aria-current": this.chosen === d.uid ? "true" : null },
      h(
        "span",
        { class: "drain-name" },
        d.road_code ? t(lang, "drainItemAlong", { fid: d.fid, road: d.road_code }) : t(lang, "drainItem", { fid: d.fid }),
      ),
      " ",
      h("span", { class: "rise" }, t(lang, "drainRise", { rise: formatMetres(d.rise, lang) })),
      h("span", { class: "note" }, `${formatMetres(d.start_elevation, lang)} → ${formatMetres(d.end_elevation, lang)}`),
    );
    button.addEventListener("click", () => {
      this.chosen = d.uid;
      this.render(this.lang);
      this.element.querySelector<HTMLElement>(`button[data-uid="${d.uid}"]`)?.focus();
      this.events.choose(d);
    });
    return h("li", {}, button);
  }
}
