// The equipment register: a virtualised table of the core's `equipment`
// list with search, filters and sort all done by the core, the details of
// the row opened, and the actions on the selection (QR labels).

import { toIpcError } from "../api";
import { h, replace } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { equipmentCategories, inventoryList, saveLabels, type Category, type ListQuery } from "./api";
import { codeLabel, dateText, errorWords, fieldName, money, select, textInput, type Host } from "./common";
import { ItemDetails } from "./details";
import { AddForm } from "./addform";
import { VirtualTable, type Column } from "./vtable";

export class RegisterPanel {
  readonly element = h("section", { class: "inv-register", id: "inv-register" });
  readonly details: ItemDetails;
  private readonly table: VirtualTable;
  private readonly search = textInput("", { type: "search", id: "inv-search" });
  private readonly category = h("select", { id: "inv-filter-category" });
  private readonly department = textInput("", { id: "inv-filter-department" });
  private readonly status = h("select", { id: "inv-filter-status" });
  private readonly count = h("p", { class: "inv-count", id: "inv-count", "aria-live": "polite" });
  private readonly message = h("p", { class: "inv-message", id: "inv-register-message", role: "status" });
  private readonly add = h("button", { type: "button", id: "inv-add" });
  private readonly labels = h("button", { type: "button", class: "secondary", id: "inv-labels" });
  private categories: Category[] = [];
  private total = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: Host) {
    const model = () => host.model();
    const col = (field: string, width: string, text?: Column["text"], numeric = false): Column => ({
      field,
      width,
      numeric,
      title: (lang) => fieldName(model(), "equipment", field, lang),
      text: text ?? ((v) => (v === null ? "" : String(v))),
    });
    this.table = new VirtualTable({
      id: "inv-table",
      selectable: true,
      label: (lang) => t(lang, "invTableLabel"),
      initialSort: { field: "asset_no", descending: false },
      columns: [
        col("asset_no", "7.5rem"),
        col("name", "minmax(8rem, 2fr)"),
        col("category", "minmax(6rem, 1fr)", (v, _get, lang) => this.categoryName(String(v ?? ""), lang)),
        col("acquired_date", "7rem", (v, _g, lang) => (v ? dateText(String(v), lang) : "")),
        col("unit_price", "7rem", (v, _g, lang) => (typeof v === "number" ? money(v, lang) : ""), true),
        col("department", "minmax(5.5rem, 1fr)"),
        col("status", "5.5rem", (v, _g, lang) => codeLabel(model(), "equipment_status", v === null ? null : String(v), lang)),
      ],
      fetch: (offset, limit, sort) => inventoryList(this.query(offset, limit, sort)),
      open: (row) => void this.details.show(row.uid),
      counted: (total) => {
        this.total = total;
        this.drawCount();
      },
    });
    this.details = new ItemDetails(host, () => this.table.reset(true));
    this.search.addEventListener("input", () => this.later());
    this.department.addEventListener("input", () => this.later());
    this.category.addEventListener("change", () => this.table.reset());
    this.status.addEventListener("change", () => this.table.reset());
    this.search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        clearTimeout(this.timer);
        this.table.reset();
        this.table.focus();
      }
    });
    this.add.addEventListener("click", () => this.register());
    this.labels.addEventListener("click", () => void this.printLabels());
    this.element.append(
      h("div", { class: "inv-filters" }, this.search, this.category, this.department, this.status),
      h("div", { class: "inv-toolbar" }, this.count, this.add, this.labels),
      this.message,
      h("div", { class: "inv-split" }, this.table.element, this.details.element),
    );
  }

  private later(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.table.reset(), 250);
  }

  private categoryName(code: string, lang: Lang): string {
    const c = this.categories.find((x) => x.code === code);
    return c ? (lang === "th" ? c.th : c.en || c.th) : code;
  }

  private query(offset: number, limit: number, sort: { field: string; descending: boolean } | null): ListQuery {
    const filters: NonNullable<ListQuery["filters"]> = [];
    if (this.category.value) filters.push({ field: "category", value: this.category.value });
    if (this.status.value) filters.push({ field: "status", value: this.status.value });
    const search = [this.search.value, this.department.value].join(" ").trim();
    return { layer: "equipment", search, filters, sort: sort ? [sort] : [], offset, limit };
  }

  /** A newly opened file: its categories, the list from the top. */
  async open(): Promise<void> {
    this.table.selected.clear();
    try {
      this.categories = await equipmentCategories();
    } catch {
      this.categories = [];
    }
    this.render(this.host.lang());
    this.table.reset();
  }

  refresh(): void {
    this.table.reset(true);
  }

  private drawCount(): void {
    const lang = this.host.lang();
    const n = formatNumber(this.total, lang);
    const s = this.table.selected.size;
    this.count.textContent = s > 0 ? t(lang, "invRowsSelected", { n, s: formatNumber(s, lang) }) : t(lang, "invRows", { n });
    this.labels.disabled = s === 0;
  }

  private register(): void {
    new AddForm(this.host, this.categories, (uid: string, assetNo: string) => {
      this.message.textContent = t(this.host.lang(), "invRegistered", { no: assetNo });
      this.table.reset(true);
      void this.details.show(uid);
    }).open();
  }

  private async printLabels(): Promise<void> {
    const lang = this.host.lang();
    try {
      const saved = await saveLabels("equipment", [...this.table.selected], lang);
      this.message.textContent = saved ? t(lang, "invLabelSaved", { path: saved.path }) : t(lang, "invSaveCancelled");
    } catch (error) {
      this.message.textContent = errorWords(toIpcError(error), lang);
    }
  }

  render(lang: Lang): void {
    const model = this.host.model();
    this.search.placeholder = t(lang, "invSearchPlaceholder");
    this.search.setAttribute("aria-label", t(lang, "invSearch"));
    this.department.placeholder = t(lang, "invDepartmentPlaceholder");
    this.department.setAttribute("aria-label", t(lang, "invDepartmentPlaceholder"));
    const keep = (s: HTMLSelectElement, fresh: HTMLSelectElement) => {
      const v = s.value;
      replace(s, ...Array.from(fresh.options));
      s.value = v;
    };
    keep(
      this.category,
      select([{ value: "", text: t(lang, "invAllCategories") }, ...this.categories.map((c) => ({ value: c.code, text: lang === "th" ? c.th : c.en || c.th }))]),
    );
    this.category.setAttribute("aria-label", fieldName(model, "equipment", "category", lang));
    keep(
      this.status,
      select([
        { value: "", text: t(lang, "invAllStatuses") },
        ...(model?.domains["equipment_status"]?.values ?? []).map((v) => ({ value: v.code, text: lang === "th" ? v.th : v.en })),
      ]),
    );
    this.status.setAttribute("aria-label", fieldName(model, "equipment", "status", lang));
    this.add.textContent = t(lang, "invAdd");
    this.labels.textContent = t(lang, "invLabelsSelected");
    this.table.setLang(lang);
    this.drawCount();
    this.details.render(lang);
  }
}
