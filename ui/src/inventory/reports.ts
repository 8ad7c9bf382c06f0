// Reports: choose one and a พ.ศ. fiscal year, see its tables and a bar
// chart (SVG), export to XLSX, CSV or PDF through the save dialog with a
// progress line while the core writes the file.

import { toIpcError } from "../api";
import { h, replace, svg } from "../dom";
import { formatIsoDate, formatNumber } from "../format";
import { t, type Lang, type MessageKey } from "../i18n";
import { buildReport, saveReport, type Cell, type Report, type ReportChart, type ReportColumn } from "./api";
import { layoutBars } from "./bars";
import { errorWords, savedText, textInput, type Host } from "./common";
import { fiscalYearOf } from "./values";

export const REPORTS = ["depreciation", "inventory-check", "pole-outages", "road-register", "equipment-value", "work-orders"] as const;

/** A report cell as shown: money and decimals with separators, dates in พ.ศ., percentages. */
export function cellText(cell: Cell, column: ReportColumn, lang: Lang): string {
  if (cell === null) return "";
  if (typeof cell === "string") return column.kind === "date" ? formatIsoDate(cell, lang, { month: "short" }) : cell;
  switch (column.kind) {
    case "money":
      return formatNumber(cell, lang, 2);
    case "decimal":
      return formatNumber(cell, lang, column.decimals);
    case "percent":
      return `${formatNumber(cell * 100, lang, 2)} %`;
    default:
      return formatNumber(cell, lang, Number.isInteger(cell) ? 0 : 2);
  }
}

export class ReportsPanel {
  readonly element = h("section", { class: "inv-reports", id: "inv-reports" });
  private readonly name = h("select", { id: "rep-name" });
  private readonly year = textInput(String(fiscalYearOf(new Date())), { id: "rep-fy", inputmode: "numeric" });
  private readonly show = h("button", { type: "button", id: "rep-show" });
  private readonly progress = h("p", { class: "inv-message", id: "rep-status", role: "status", "aria-live": "polite" });
  private readonly output = h("div", { class: "rep-output", id: "rep-output" });
  private readonly exports = (["xlsx", "csv", "pdf"] as const).map((f) => {
    const b = h("button", { type: "button", class: "secondary", id: `rep-export-${f}` }, f.toUpperCase());
    b.addEventListener("click", () => void this.export(f));
    return b;
  });
  private readonly exportLabel = h("span", {});
  private readonly nameLabel = h("label", { for: "rep-name" });
  private readonly yearLabel = h("label", { for: "rep-fy" });
  private report: Report | null = null;
  private busy = false;

  constructor(private readonly host: Host) {
    this.show.addEventListener("click", () => void this.build());
    this.year.addEventListener("keydown", (e) => {
      if (e.key === "Enter") void this.build();
    });
    this.element.append(
      h(
        "div",
        { class: "inv-filters" },
        this.nameLabel,
        this.name,
        this.yearLabel,
        this.year,
        this.show,
      ),
      h("div", { class: "inv-toolbar" }, this.exportLabel, ...this.exports),
      this.progress,
      this.output,
    );
  }

  private get fy(): number {
    return Number(this.year.value.trim()) || fiscalYearOf(new Date());
  }

  private setBusy(text: string | null): void {
    this.busy = text !== null;
    this.progress.textContent = text ?? "";
    this.progress.classList.toggle("busy", this.busy);
    for (const b of [this.show, ...this.exports]) b.disabled = this.busy;
  }

  private async build(): Promise<void> {
    const lang = this.host.lang();
    this.setBusy(t(lang, "invBuilding"));
    try {
      this.report = await buildReport(this.name.value, this.fy, lang);
      this.setBusy(null);
    } catch (error) {
      this.report = null;
      this.setBusy(null);
      this.progress.textContent = errorWords(toIpcError(error), lang);
    }
    this.drawReport(lang);
  }

  private async export(format: "xlsx" | "csv" | "pdf"): Promise<void> {
    const lang = this.host.lang();
    this.setBusy(t(lang, "invWriting", { format: format.toUpperCase() }));
    try {
      const saved = await saveReport(this.name.value, this.fy, lang, format);
      this.setBusy(null);
      this.progress.textContent = saved ? savedText(saved, lang) : t(lang, "invSaveCancelled");
    } catch (error) {
      this.setBusy(null);
      this.progress.textContent = errorWords(toIpcError(error), lang);
    }
  }

  private drawReport(lang: Lang): void {
    const r = this.report;
    if (!r) {
      replace(this.output);
      return;
    }
    replace(
      this.output,
      h("h3", { id: "rep-title" }, lang === "th" ? r.th : r.en),
      ...r.subtitle.map((s) => h("p", { class: "note" }, s)),
      ...r.charts.map((c) => chart(c, lang)),
      ...r.tables.map((tb, i) =>
        h(
          "div",
          { class: "table-wrap", tabindex: 0, role: "region", "aria-label": lang === "th" ? tb.th : tb.en },
          h("h4", {}, lang === "th" ? tb.th : tb.en),
          h(
            "table",
            { class: "layers rep-table", "data-table": i },
            h("thead", {}, h("tr", {}, ...tb.columns.map((c) => h("th", { scope: "col" }, lang === "th" ? c.th : c.en)))),
            h(
              "tbody",
              {},
              ...(tb.rows.length === 0
                ? [h("tr", {}, h("td", { colspan: Math.max(1, tb.columns.length) }, t(lang, "invNoRows")))]
                : tb.rows.map((row) => h("tr", {}, ...row.map((cell, j) => cellTd(cell, tb.columns[j], lang))))),
            ),
            tb.totals ? h("tfoot", {}, h("tr", {}, ...tb.totals.map((cell, j) => cellTd(cell, tb.columns[j], lang)))) : null,
          ),
        ),
      ),
    );
  }

  render(lang: Lang): void {
    const v = this.name.value || REPORTS[0];
    replace(this.name, ...REPORTS.map((n) => h("option", { value: n }, t(lang, `report.${n}` as MessageKey))));
    this.name.value = v;
    this.nameLabel.textContent = t(lang, "invReport");
    this.yearLabel.textContent = t(lang, "invFiscalYear");
    this.show.textContent = t(lang, "invShow");
    this.exportLabel.textContent = t(lang, "invExport");
    if (!this.busy) this.drawReport(lang);
  }
}

function cellTd(cell: Cell | undefined, column: ReportColumn | undefined, lang: Lang): HTMLElement {
  const text = column && cell !== undefined ? cellText(cell, column, lang) : "";
  return h("td", { class: column && column.kind !== "text" && column.kind !== "date" ? "num" : null }, text);
}

/** A grouped bar chart of one of the report's charts, in SVG. */
function chart(c: ReportChart, lang: Lang): HTMLElement {
  const width = 720;
  const height = 260;
  const box = { width, height, left: 70, bottom: 60, top: 12 };
  const layout = layoutBars(c, box);
  const title = lang === "th" ? c.th : c.en;
  const drawing = svg(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, class: "rep-chart", role: "img", "aria-label": t(lang, "invChart", { title }) },
    ...layout.ticks.map((tk) =>
      svg(
        "g",
        {},
        svg("line", { x1: box.left, x2: width, y1: tk.y, y2: tk.y, stroke: "#d5d9e0" }),
        svg("text", { x: box.left - 6, y: tk.y + 4, "text-anchor": "end", "font-size": 11 }, formatNumber(tk.value, lang)),
      ),
    ),
    ...layout.bars.map((b) =>
      svg("rect", { x: b.x, y: b.y, width: b.width, height: b.height, fill: b.colour }, svg("title", {}, `${b.label} · ${b.series}: ${formatNumber(b.value, lang, Number.isInteger(b.value) ? 0 : 2)}`)),
    ),
    svg("line", { x1: box.left, x2: width, y1: layout.baseline, y2: layout.baseline, stroke: "#1d2430" }),
    ...layout.groups.map((g) =>
      svg("text", { x: g.x, y: height - box.bottom + 16, "text-anchor": "middle", "font-size": 11 }, g.label.length > 14 ? `${g.label.slice(0, 13)}…` : g.label),
    ),
  );
  const legend = h(
    "ul",
    { class: "rep-legend" },
    ...c.series.map((s, i) => h("li", {}, h("span", { class: "swatch dot", style: `--c: ${layout.bars.find((b) => b.series === s.name)?.colour ?? "#0b5cad"}` }), s.name || String(i + 1))),
  );
  return h("figure", { class: "rep-figure" }, h("figcaption", {}, title), drawing, legend);
}
