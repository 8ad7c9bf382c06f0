// The equipment and maintenance section of the window (issue 6): a button
// and a "go to number" box in the header, a workbench over the map with the
// register, work orders, the annual check and reports, and "report a fault"
// plus the maintenance history in the identify panel.
// Keys: Ctrl+E opens/closes the workbench, Ctrl+G or F3 goes to the number
// box (a USB scanner types the number and Enter), Esc closes.

import type { DataModel, Identified } from "../api";
import { toIpcError } from "../api";
import { h, replace } from "../dom";
import { t, type Lang } from "../i18n";
import type { MapView } from "../map/mapview";
import { findNumber, inventoryList, saveLabels, workHistory, type WorkOrder } from "./api";
import { CheckPanel } from "./check";
import { errorWords, type Host } from "./common";
import { historyList } from "./details";
import { FaultForm, type Asset } from "./faultform";
import { OrdersPanel } from "./orders";
import { RegisterPanel } from "./register";
import { ReportsPanel } from "./reports";
import { scanned } from "./values";

export interface InventoryHost {
  lang(): Lang;
  model(): DataModel | null;
  path(): string | null;
  /** Shows a feature in the identify panel. */
  identify(layer: string, fid: number): Promise<void>;
}

type Tab = "register" | "orders" | "check" | "reports";
const TABS: readonly Tab[] = ["register", "orders", "check", "reports"];
const TAB_WORDS = { register: "invTabRegister", orders: "invTabOrders", check: "invTabCheck", reports: "invTabReports" } as const;

/** The asset kind of a layer for work orders, if it has one. */
export function assetKind(layer: string): Asset["kind"] | null {
  const kinds: Record<string, Asset["kind"]> = { poles: "pole", lamps: "lamp", roads: "road", drains: "drain", equipment: "equipment" };
  return kinds[layer] ?? null;
}

/** What a feature is called in a heading: its number, code or name. */
export function assetName(d: Identified): string {
  for (const f of ["pole_no", "asset_no", "road_code", "name_th", "name"]) {
    const v = d.fields.find((x) => x.name === f)?.value;
    if (v) return v;
  }
  return `${d.th} #${d.fid}`;
}

export class Inventory {
  readonly button = h("button", { type: "button", class: "secondary", id: "inv-open" });
  readonly goto = h("input", { type: "search", id: "inv-goto", autocomplete: "off" });
  private readonly gotoNote = h("p", { class: "goto-note", id: "inv-goto-note", role: "status", "aria-live": "polite" });
  private readonly workbench = h("section", { class: "inv-workbench", id: "inv-workbench", hidden: true, "aria-labelledby": "inv-title" });
  private readonly title = h("h2", { id: "inv-title" });
  private readonly close = h("button", { type: "button", class: "secondary", id: "inv-close" });
  private readonly tabList = h("div", { role: "tablist", class: "inv-tabs" });
  private readonly panels: Record<Tab, HTMLElement>;
  private readonly register: RegisterPanel;
  private readonly orders: OrdersPanel;
  private readonly check: CheckPanel;
  private readonly reports: ReportsPanel;
  private readonly identifyExtra = h("section", { class: "inv-identify", id: "inv-identify" });
  private tab: Tab = "register";
  private shownAsset: string | null = null;
  private history: WorkOrder[] = [];
  private identifyMessage = "";
  private picked: Identified | null = null;
  private readonly host: Host;

  constructor(
    header: HTMLElement,
    private readonly mapView: MapView,
    private readonly outer: InventoryHost,
  ) {
    this.host = {
      lang: () => outer.lang(),
      model: () => outer.model(),
      path: () => outer.path(),
      zoomTo: (extent) => mapView.zoomTo(extent),
      identify: (layer, fid) => outer.identify(layer, fid),
      redraw: () => {
        mapView.redraw();
        this.registerChanged();
      },
      pickPoint: () =>
        new Promise((resolve) => {
          this.workbench.classList.add("picking");
          mapView.map.once("singleclick", (e) => {
            this.workbench.classList.remove("picking");
            const [x, y] = e.coordinate as [number, number];
            resolve([x, y]);
          });
        }),
    };
    this.register = new RegisterPanel(this.host);
    this.orders = new OrdersPanel(this.host, (kind, uid) => void this.showAsset(kind, uid));
    this.check = new CheckPanel(this.host);
    this.reports = new ReportsPanel(this.host);
    this.panels = { register: this.register.element, orders: this.orders.element, check: this.check.element, reports: this.reports.element };
    for (const tab of TABS) {
      const panel = this.panels[tab];
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", `inv-tab-${tab}`);
    }
    this.button.addEventListener("click", () => this.toggle());
    this.close.addEventListener("click", () => this.hide());
    this.goto.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        void this.go(scanned(this.goto.value));
      } else if (e.key === "Escape") {
        this.goto.value = "";
        this.gotoNote.textContent = "";
      }
    });
    header.insertBefore(h("div", { class: "inv-header" }, this.button, h("div", { class: "goto" }, this.goto, this.gotoNote)), header.lastElementChild);
    this.workbench.append(h("div", { class: "inv-head" }, this.title, this.tabList, this.close), ...TABS.map((tab) => this.panels[tab]));
    document.body.append(this.workbench);
    document.addEventListener("keydown", (e) => this.key(e));
  }

  /** A file was opened: lists start again. */
  async open(): Promise<void> {
    this.shownAsset = null;
    await this.register.open();
    this.orders.open();
    if (this.tab === "check") void this.check.load();
  }

  private key(e: KeyboardEvent): void {
    const ctrl = e.ctrlKey || e.metaKey;
    if ((ctrl && (e.code === "KeyG" || e.key.toLowerCase() === "g")) || e.key === "F3") {
      e.preventDefault();
      this.goto.focus();
      this.goto.select();
    } else if (ctrl && (e.code === "KeyE" || e.key.toLowerCase() === "e")) {
      e.preventDefault();
      this.toggle();
    } else if (e.key === "Escape" && !this.workbench.hidden && !document.querySelector("dialog[open]")) {
      e.preventDefault();
      this.hide();
    }
  }

  private toggle(): void {
    if (this.workbench.hidden) this.show(this.tab);
    else this.hide();
  }

  show(tab: Tab): void {
    this.tab = tab;
    this.workbench.hidden = false;
    this.render(this.host.lang());
    if (tab === "check") void this.check.load();
    if (tab === "orders") this.orders.refresh();
    this.tabList.querySelector<HTMLElement>(`#inv-tab-${tab}`)?.focus();
  }

  private hide(): void {
    this.workbench.hidden = true;
    this.button.focus();
  }

  /** An edit changed the register or the orders. */
  private registerChanged(): void {
    this.register.refresh();
    this.orders.refresh();
    if (this.picked) void this.outer.identify(this.picked.layer, this.picked.fid);
  }

  /** Go to number: an asset number opens its details, a pole number zooms the map and selects the pole. */
  private async go(number: string): Promise<void> {
    if (!number) return;
    const lang = this.host.lang();
    try {
      const hit = await findNumber(number);
      if (!hit) {
        this.gotoNote.textContent = t(lang, "invGotoNone", { n: number });
        this.goto.select();
        return;
      }
      this.gotoNote.textContent = hit.label;
      if (hit.extent) this.mapView.zoomTo(hit.extent);
      if (hit.layer === "equipment") {
        const uid = await this.uidOf(hit.layer, hit.fid);
        this.show("register");
        if (uid) await this.register.details.show(uid);
      } else {
        this.workbench.hidden = true;
        await this.outer.identify(hit.layer, hit.fid);
      }
      this.goto.value = "";
    } catch (error) {
      this.gotoNote.textContent = errorWords(toIpcError(error), lang);
    }
  }

  private async uidOf(layer: string, fid: number): Promise<string | null> {
    const page = await inventoryList({ layer, filters: [{ field: "fid", value: fid }], offset: 0, limit: 1 });
    return page.rows[0]?.uid ?? null;
  }

  /** The asset of a work order: equipment in the register, others on the map. */
  private async showAsset(kind: string, uid: string): Promise<void> {
    const layers: Record<string, string> = { pole: "poles", lamp: "lamps", road: "roads", drain: "drains", equipment: "equipment" };
    const layer = layers[kind];
    if (!layer) return;
    if (kind === "equipment") {
      this.show("register");
      await this.register.details.show(uid);
      return;
    }
    const page = await inventoryList({ layer, filters: [{ field: "uid", value: uid }], offset: 0, limit: 1 });
    const row = page.rows[0];
    if (!row) return;
    const target = kind === "lamp" ? page.rows[0] : row;
    if (!target) return;
    if (kind === "lamp") {
      const poleUid = page.columns.indexOf("pole_uid");
      const pole = poleUid >= 0 ? target.values[poleUid] : null;
      if (typeof pole === "string") return this.showAsset("pole", pole);
    }
    const found = await findNumber(String(target.values[page.columns.indexOf(kind === "pole" ? "pole_no" : "uid")] ?? ""));
    if (found?.extent) this.mapView.zoomTo(found.extent);
    this.workbench.hidden = true;
    await this.outer.identify(layer, target.fid);
  }

  /**
   * Adds "report a fault", a pole's label and the maintenance history to the
   * identify panel of a pole, lamp, road, drain or item of equipment.
   */
  decorate(panel: HTMLElement, d: Identified): void {
    const kind = assetKind(d.layer);
    const uid = d.fields.find((f) => f.name === "uid")?.value ?? null;
    if (!kind || !uid) return;
    this.picked = d;
    if (this.shownAsset !== uid) {
      this.shownAsset = uid;
      this.history = [];
      this.identifyMessage = "";
      void workHistory(uid)
        .then((orders) => {
          if (this.shownAsset !== uid) return;
          this.history = orders;
          this.drawIdentify(d, kind, uid);
        })
        .catch(() => undefined);
    }
    this.drawIdentify(d, kind, uid);
    panel.append(this.identifyExtra);
  }

  private drawIdentify(d: Identified, kind: Asset["kind"], uid: string): void {
    const lang = this.host.lang();
    const fault = h("button", { type: "button", id: "identify-fault" }, t(lang, "invReportFault"));
    fault.addEventListener("click", () =>
      new FaultForm(this.host, { kind, uid, label: assetName(d) }, () => {
        this.shownAsset = null;
        this.registerChanged();
      }).open(),
    );
    let label: HTMLElement | null = null;
    if (kind === "pole" || kind === "equipment") {
      label = h("button", { type: "button", class: "secondary", id: "identify-label" }, t(lang, "invPrintLabel"));
      label.addEventListener("click", () => {
        void saveLabels(kind === "pole" ? "poles" : "equipment", [uid], lang)
          .then((saved) => (this.identifyMessage = saved ? t(lang, "invLabelSaved", { path: saved.path }) : t(lang, "invSaveCancelled")))
          .catch((error: unknown) => (this.identifyMessage = errorWords(toIpcError(error), lang)))
          .then(() => this.drawIdentify(d, kind, uid));
      });
    }
    let details: HTMLElement | null = null;
    if (kind === "equipment") {
      details = h("button", { type: "button", class: "secondary", id: "identify-details" }, t(lang, "invDetails"));
      details.addEventListener("click", () => {
        this.show("register");
        void this.register.details.show(uid);
      });
    }
    replace(
      this.identifyExtra,
      h("div", { class: "inv-actions" }, fault, label, details),
      this.identifyMessage ? h("p", { class: "inv-message", id: "identify-message", role: "status" }, this.identifyMessage) : null,
      h("h4", {}, t(lang, "invHistory")),
      historyList(this.history, this.host.model(), lang),
    );
  }

  render(lang: Lang): void {
    this.button.textContent = t(lang, "invOpen");
    this.button.title = t(lang, "invOpenTitle");
    this.goto.placeholder = t(lang, "invGotoPlaceholder");
    this.goto.setAttribute("aria-label", t(lang, "invGoto"));
    this.title.textContent = t(lang, "invTitle");
    this.close.textContent = t(lang, "invClose");
    replace(
      this.tabList,
      ...TABS.map((tab) => {
        const b = h("button", { type: "button", role: "tab", id: `inv-tab-${tab}`, class: "tab", "aria-selected": tab === this.tab ? "true" : "false", tabindex: tab === this.tab ? 0 : -1 }, t(lang, TAB_WORDS[tab]));
        b.addEventListener("click", () => this.show(tab));
        b.addEventListener("keydown", (e) => {
          const i = TABS.indexOf(tab);
          const next = e.key === "ArrowRight" ? TABS[(i + 1) % TABS.length] : e.key === "ArrowLeft" ? TABS[(i + TABS.length - 1) % TABS.length] : null;
          if (next) {
            e.preventDefault();
            this.show(next);
          }
        });
        return b;
      }),
    );
    for (const tab of TABS) this.panels[tab].hidden = tab !== this.tab;
    if (this.workbench.hidden) return;
    this.register.render(lang);
    this.orders.render(lang);
    this.check.render(lang);
    this.reports.render(lang);
  }
}
