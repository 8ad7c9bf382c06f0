// A virtualised table over one of the core's paged lists: only the rows in
// view (and a few around them) are in the DOM; pages are fetched from the
// shell as the user scrolls and kept in a small cache. Sorting, filtering
// and searching are the core's: the table only asks for pages.
// Keys: ↑/↓/PgUp/PgDn/Home/End move, Enter opens, Space selects.

import type { Lang } from "../i18n";
import { h, replace } from "../dom";
import type { ListPage, ListRow } from "./api";
import { nextSort, PageCache, pagesFor, scrollToRow, windowFor } from "./virtual";

export interface Column {
  field: string;
  title: (lang: Lang) => string;
  /** The cell's text; `get` reads another field of the same row. */
  text: (value: string | number | null, get: (field: string) => string | number | null, lang: Lang) => string;
  width: string;
  numeric?: boolean;
  sortable?: boolean;
}

export interface TableOptions {
  id: string;
  columns: Column[];
  fetch: (offset: number, limit: number, sort: { field: string; descending: boolean } | null) => Promise<ListPage>;
  open: (row: ListRow) => void;
  /** Rows can be selected (labels for the selection). */
  selectable?: boolean;
  label: (lang: Lang) => string;
  /** Called after each fetch with the total (the count shown above the table). */
  counted?: (total: number) => void;
  initialSort?: { field: string; descending: boolean } | null;
}

export const ROW_HEIGHT = 32;
const PAGE_SIZE = 100;

export class VirtualTable {
  readonly element: HTMLElement;
  private readonly header = h("div", { class: "vt-head", role: "row" });
  private readonly scroller: HTMLElement;
  private readonly body = h("div", { class: "vt-body", role: "rowgroup" });
  private readonly cache = new PageCache<ListRow>(12);
  private columnsIndex = new Map<string, number>();
  private total = 0;
  private known = false;
  private generation = 0;
  private loading = new Set<number>();
  private active = -1;
  private frame = 0;
  private lang: Lang = "th";
  sort: { field: string; descending: boolean } | null;
  readonly selected = new Set<string>();

  constructor(private readonly o: TableOptions) {
    this.sort = o.initialSort ?? null;
    this.scroller = h("div", {
      class: "vt-scroll",
      id: `${o.id}-rows`,
      tabindex: 0,
      role: "grid",
      "aria-rowcount": 0,
    });
    this.scroller.append(this.body);
    this.scroller.addEventListener("scroll", () => this.schedule());
    this.scroller.addEventListener("keydown", (e) => this.key(e));
    this.element = h("div", { class: "vtable", id: o.id }, this.header, this.scroller);
    const grid = `${o.selectable ? "2rem " : ""}${o.columns.map((c) => c.width).join(" ")}`;
    this.element.style.setProperty("--vt-columns", grid);
  }

  /** Forgets every page (the query changed or an edit was made) and fetches again from the top. */
  reset(keepScroll = false): void {
    this.generation += 1;
    this.cache.clear();
    this.loading.clear();
    this.known = false;
    if (!keepScroll) {
      this.scroller.scrollTop = 0;
      this.active = -1;
    }
    this.draw();
    void this.fill();
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.scroller.setAttribute("aria-label", this.o.label(lang));
    this.drawHeader();
    this.draw();
  }

  focus(): void {
    this.scroller.focus();
  }

  /** The row at `index` if fetched. */
  row(index: number): ListRow | undefined {
    return this.cache.row(index, PAGE_SIZE);
  }

  get rowCount(): number {
    return this.total;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
      void this.fill();
    });
  }

  private view() {
    return windowFor(this.scroller.scrollTop, this.scroller.clientHeight || 400, ROW_HEIGHT, this.known ? this.total : PAGE_SIZE);
  }

  /** Fetches the pages the view needs that are neither cached nor on their way. */
  private async fill(): Promise<void> {
    const w = this.view();
    const generation = this.generation;
    const wanted = this.known ? pagesFor(w.first, w.last, PAGE_SIZE) : [Math.floor(w.first / PAGE_SIZE)];
    for (const page of wanted) {
      if (this.cache.get(page) || this.loading.has(page)) continue;
      this.loading.add(page);
      try {
        const result = await this.o.fetch(page * PAGE_SIZE, PAGE_SIZE, this.sort);
        if (generation !== this.generation) return;
        this.columnsIndex = new Map(result.columns.map((c, i) => [c, i]));
        this.cache.set(page, result.rows);
        const first = !this.known;
        this.total = result.total;
        this.known = true;
        this.o.counted?.(result.total);
        this.draw();
        if (first) void this.fill();
      } catch {
        if (generation !== this.generation) return;
      } finally {
        if (generation === this.generation) this.loading.delete(page);
      }
    }
  }

  private drawHeader(): void {
    const cells = this.o.columns.map((c) => {
      const sorted = this.sort?.field === c.field ? (this.sort.descending ? "descending" : "ascending") : "none";
      const title = c.title(this.lang);
      if (c.sortable === false) return h("div", { class: "vt-th", role: "columnheader" }, title);
      const button = h(
        "button",
        { type: "button", class: "vt-sort", "data-field": c.field, "aria-sort": sorted },
        title,
        sorted === "ascending" ? " ▲" : sorted === "descending" ? " ▼" : "",
      );
      button.addEventListener("click", () => {
        this.sort = nextSort(this.sort, c.field);
        this.drawHeader();
        this.reset();
      });
      return h("div", { class: c.numeric ? "vt-th num" : "vt-th", role: "columnheader", "aria-sort": sorted }, button);
    });
    replace(this.header, this.o.selectable ? h("div", { class: "vt-th" }) : null, ...cells);
  }

  /** Puts the rows in view into the DOM (placeholders for rows still on their way). */
  private draw(): void {
    const w = this.view();
    const total = this.known ? this.total : 0;
    this.scroller.setAttribute("aria-rowcount", String(total));
    const rows: HTMLElement[] = [];
    if (this.known) {
      for (let i = w.first; i <= w.last && i < total; i++) rows.push(this.drawRow(i));
    }
    const pad = (px: number) => h("div", { class: "vt-pad", style: `height: ${px}px` });
    replace(this.body, pad(this.known ? w.padTop : 0), ...rows, pad(this.known ? Math.max(0, w.padBottom) : 0));
  }

  private drawRow(index: number): HTMLElement {
    const row = this.row(index);
    const attrs = {
      class: index === this.active ? "vt-row active" : "vt-row",
      role: "row",
      "aria-rowindex": index + 1,
      "data-index": index,
      "data-uid": row?.uid ?? null,
      "aria-selected": row && this.selected.has(row.uid) ? "true" : null,
    };
    if (!row) return h("div", { ...attrs, class: `${attrs.class} pending` }, h("div", { class: "vt-td" }, "…"));
    const get = (field: string) => {
      const i = this.columnsIndex.get(field);
      return i === undefined ? null : (row.values[i] ?? null);
    };
    const cells = this.o.columns.map((c) =>
      h("div", { class: c.numeric ? "vt-td num" : "vt-td", role: "gridcell", "data-field": c.field }, c.text(get(c.field), get, this.lang)),
    );
    let box: HTMLElement | null = null;
    if (this.o.selectable) {
      const check = h("input", { type: "checkbox", tabindex: -1, checked: this.selected.has(row.uid), "aria-label": row.uid });
      check.addEventListener("click", (e) => {
        e.stopPropagation();
        this.toggle(row.uid);
      });
      box = h("div", { class: "vt-td" }, check);
    }
    const el = h("div", attrs, box, ...cells);
    el.addEventListener("click", () => {
      this.active = index;
      this.o.open(row);
      this.draw();
    });
    return el;
  }

  private toggle(uid: string): void {
    if (this.selected.has(uid)) this.selected.delete(uid);
    else this.selected.add(uid);
    this.o.counted?.(this.total);
    this.draw();
  }

  private key(e: KeyboardEvent): void {
    if (!this.known || this.total === 0) return;
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    let next = this.active;
    if (e.key in moves) next = Math.max(0, this.active + (moves[e.key] ?? 0));
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = this.total - 1;
    else if (e.key === "Enter" || e.key === " ") {
      const row = this.row(this.active);
      if (!row) return;
      e.preventDefault();
      if (e.key === "Enter") this.o.open(row);
      else if (this.o.selectable) this.toggle(row.uid);
      return;
    } else return;
    e.preventDefault();
    this.active = Math.min(this.total - 1, next);
    this.scroller.scrollTop = scrollToRow(this.active, this.scroller.scrollTop, this.scroller.clientHeight, ROW_HEIGHT);
    this.draw();
    void this.fill();
  }
}
