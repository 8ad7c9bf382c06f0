// The work orders: a virtualised list from the core (filter by status,
// oldest open first or newest first), start (technician) and finish
// (materials, cost, lamp change). A pole's status follows its orders in the
// core; the map's tiles are fetched again after each change.

import { toIpcError } from "../api";
import { h } from "../dom";
import { t, type Lang } from "../i18n";
import { finishWorkOrder, inventoryList, startWorkOrder, type ListQuery, type ListRow } from "./api";
import { codeLabel, dateText, errorWords, field, fieldName, Modal, money, select, textInput, type Host } from "./common";
import { ageDays, parseNumber } from "./values";
import { VirtualTable, type Column } from "./vtable";

export class OrdersPanel {
  readonly element = h("section", { class: "inv-orders", id: "inv-orders" });
  private readonly table: VirtualTable;
  private readonly status = h("select", { id: "wo-filter-status" });
  private readonly order = h("select", { id: "wo-order" });
  private readonly count = h("p", { class: "inv-count", id: "wo-count" });
  private readonly message = h("p", { class: "inv-message", id: "wo-message", role: "status" });
  private readonly start = h("button", { type: "button", id: "wo-start", disabled: true });
  private readonly finish = h("button", { type: "button", id: "wo-finish", disabled: true });
  private readonly asset = h("button", { type: "button", class: "secondary", id: "wo-asset", disabled: true });
  private chosen: { no: string; status: string; kind: string; uid: string } | null = null;

  constructor(
    private readonly host: Host,
    /** Shows the asset an order is about (the register's details or the map). */
    private readonly showAsset: (kind: string, uid: string) => void,
  ) {
    const model = () => host.model();
    const col = (f: string, width: string, text?: Column["text"], numeric = false): Column => ({
      field: f,
      width,
      numeric,
      title: (lang) => fieldName(model(), "work_orders", f, lang),
      text: text ?? ((v) => (v === null ? "" : String(v))),
    });
    const coded = (domain: string): Column["text"] => (v, _g, lang) => codeLabel(model(), domain, v === null ? null : String(v), lang);
    this.table = new VirtualTable({
      id: "wo-table",
      label: (lang) => t(lang, "invTabOrders"),
      initialSort: { field: "received_at", descending: false },
      columns: [
        col("order_no", "9rem"),
        col("asset_kind", "6rem", coded("asset_kind")),
        col("fault_type", "minmax(8rem, 1fr)", coded("fault_type")),
        col("status", "7rem", coded("work_status")),
        col("received_at", "9rem", (v, _g, lang) => dateText(v === null ? null : String(v), lang, true)),
        { field: "age", width: "5rem", numeric: true, sortable: false, title: (lang) => t(lang, "invAge"), text: (_v, get, lang) => this.age(get, lang) },
        col("technician", "minmax(6rem, 1fr)"),
        col("cost", "6rem", (v, _g, lang) => (typeof v === "number" ? money(v, lang) : ""), true),
      ],
      fetch: (offset, limit, sort) => inventoryList(this.query(offset, limit, sort)),
      open: (row) => this.choose(row),
      counted: (n) => (this.count.textContent = t(host.lang(), "invRows", { n })),
    });
    this.status.addEventListener("change", () => this.table.reset());
    this.order.addEventListener("change", () => {
      this.table.sort = { field: "received_at", descending: this.order.value === "newest" };
      this.table.setLang(this.host.lang());
      this.table.reset();
    });
    this.start.addEventListener("click", () => this.startOrder());
    this.finish.addEventListener("click", () => this.finishOrder());
    this.asset.addEventListener("click", () => this.chosen && this.showAsset(this.chosen.kind, this.chosen.uid));
    this.element.append(
      h("div", { class: "inv-filters" }, this.status, this.order),
      h("div", { class: "inv-toolbar" }, this.count, this.start, this.finish, this.asset),
      this.message,
      this.table.element,
    );
  }

  private age(get: (f: string) => string | number | null, lang: Lang): string {
    const received = get("received_at");
    if (received === null) return "";
    const end = get("done_at");
    const until = typeof end === "string" ? new Date(end) : new Date();
    return t(lang, "invAgeDays", { n: ageDays(String(received), until) });
  }

  private query(offset: number, limit: number, sort: { field: string; descending: boolean } | null): ListQuery {
    const v = this.status.value;
    const filters: NonNullable<ListQuery["filters"]> = [];
    if (v === "open") filters.push({ field: "status", op: "ne", value: "done" });
    else if (v) filters.push({ field: "status", value: v });
    return { layer: "work_orders", filters, sort: sort ? [sort] : [], offset, limit };
  }

  private choose(row: ListRow): void {
    // The row's own values are read again by uid, by name (the page's columns).
    this.chosen = null;
    void inventoryList({ layer: "work_orders", filters: [{ field: "uid", value: row.uid }], offset: 0, limit: 1 }).then((page) => {
      const r = page.rows[0];
      if (!r) return;
      const v = (name: string) => r.values[page.columns.indexOf(name)];
      this.chosen = { no: String(v("order_no") ?? ""), status: String(v("status") ?? ""), kind: String(v("asset_kind") ?? ""), uid: String(v("asset_uid") ?? "") };
      this.buttons();
    });
  }

  private buttons(): void {
    const lang = this.host.lang();
    const c = this.chosen;
    this.start.disabled = c?.status !== "received";
    this.finish.disabled = c?.status !== "in_progress";
    this.asset.disabled = !c;
    this.start.textContent = c ? `${t(lang, "invStart")} ${c.no}` : t(lang, "invStart");
    this.finish.textContent = c ? `${t(lang, "invFinish")} ${c.no}` : t(lang, "invFinish");
  }

  /** After an order changed here or elsewhere. */
  refresh(): void {
    this.table.reset(true);
    if (this.chosen) {
      const uid = this.chosen;
      void inventoryList({ layer: "work_orders", filters: [{ field: "order_no", value: uid.no }], offset: 0, limit: 1 }).then((page) => {
        const r = page.rows[0];
        if (r) this.choose(r);
      });
    }
  }

  open(): void {
    this.chosen = null;
    this.buttons();
    this.table.reset();
  }

  private done(text: string): void {
    this.message.textContent = text;
    this.host.redraw();
    this.refresh();
  }

  private startOrder(): void {
    const c = this.chosen;
    if (!c) return;
    const lang = this.host.lang();
    const technician = textInput();
    const modal = new Modal("wo-start-form", `${t(lang, "invStart")} ${c.no}`, lang, async () => {
      try {
        await startWorkOrder(c.no, technician.value.trim() || null);
        this.done(t(lang, "invStarted", { no: c.no }));
        return true;
      } catch (error) {
        modal.status.textContent = errorWords(toIpcError(error), lang);
        return false;
      }
    });
    modal.fill(field("wo-technician", t(lang, "invTechnician"), technician));
    modal.open();
  }

  private finishOrder(): void {
    const c = this.chosen;
    if (!c) return;
    const lang = this.host.lang();
    const model = this.host.model();
    const technician = textInput();
    const materials = textInput();
    const cost = textInput("", { inputmode: "decimal" });
    const lamp = h("input", { type: "checkbox", id: "wo-lamp" });
    const lampType = select([{ value: "", text: t(lang, "choose") }, ...(model?.domains["lamp_type"]?.values ?? []).map((v) => ({ value: v.code, text: lang === "th" ? v.th : v.en }))]);
    const watts = textInput("", { inputmode: "numeric" });
    let costProblem: string | null = null;
    let wattsProblem: string | null = null;
    const modal = new Modal("wo-finish-form", t(lang, "invFinishTitle", { no: c.no }), lang, async () => {
      const money = parseNumber(cost.value);
      const w = parseNumber(watts.value, true);
      costProblem = money.ok ? null : t(lang, "invNumberInvalid");
      wattsProblem = w.ok ? null : t(lang, "invNumberInvalid");
      if (!money.ok || !w.ok) {
        draw();
        return false;
      }
      try {
        await finishWorkOrder(c.no, {
          technician: technician.value.trim() || undefined,
          materials: materials.value.trim() || undefined,
          cost: money.value,
          lamp_changed: lamp.checked,
          lamp_type: lampType.value || undefined,
          watts: w.value,
        });
        this.done(t(lang, "invFinished", { no: c.no }));
        return true;
      } catch (error) {
        modal.status.textContent = errorWords(toIpcError(error), lang);
        return false;
      }
    });
    const lampRow = h("div", { class: "field check" }, lamp, h("label", { for: "wo-lamp" }, t(lang, "invLampChanged")));
    const draw = () =>
      modal.fill(
        field("wo-finish-technician", t(lang, "invTechnician"), technician),
        field("wo-materials", t(lang, "invMaterials"), materials),
        field("wo-cost", t(lang, "invCostBaht"), cost, costProblem),
        c.kind === "pole" || c.kind === "lamp" ? lampRow : null,
        c.kind === "pole" || c.kind === "lamp" ? field("wo-lamp-type", t(lang, "invLampType"), lampType) : null,
        c.kind === "pole" || c.kind === "lamp" ? field("wo-watts", t(lang, "invWatts"), watts, wattsProblem) : null,
      );
    draw();
    modal.open();
  }

  render(lang: Lang): void {
    const model = this.host.model();
    const keep = (s: HTMLSelectElement, fresh: HTMLSelectElement) => {
      const v = s.value;
      s.replaceChildren(...Array.from(fresh.options));
      s.value = v;
    };
    keep(
      this.status,
      select([
        { value: "", text: t(lang, "invOrdersAll") },
        { value: "open", text: t(lang, "invOrdersOpen") },
        ...(model?.domains["work_status"]?.values ?? []).map((v) => ({ value: v.code, text: lang === "th" ? v.th : v.en })),
      ]),
    );
    this.status.setAttribute("aria-label", fieldName(model, "work_orders", "status", lang));
    keep(this.order, select([{ value: "oldest", text: t(lang, "invOrdersOldest") }, { value: "newest", text: t(lang, "invOrdersNewest") }]));
    this.order.setAttribute("aria-label", t(lang, "invOrdersOldest"));
    this.asset.textContent = t(lang, "invOrderAsset");
    this.table.setLang(lang);
    this.buttons();
  }
}
