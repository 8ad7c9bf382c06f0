// One item of the register: its values, this fiscal year's depreciation
// (figures from the core), photos, maintenance history, and the actions:
// edit (through the editor's apply_edit, the form built from the data
// model), dispose, print its QR label, report a fault, show it on the map.

import { applyEdit, toIpcError, type DataModel, type IpcError, type Problem } from "../api";
import { h, replace } from "../dom";
import { changedValues, fieldSpecs, formInput } from "../edit/fields";
import { renderFields, renderProblems } from "../edit/form";
import { PhotoSection } from "../edit/photos";
import { PhotoViewer } from "../edit/photoviewer";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { disposeEquipment, equipmentDetails, saveLabels, workHistory, type Details, type WorkOrder } from "./api";
import { codeLabel, dateText, errorWords, field, fieldName, Modal, money, select, textInput, type Host } from "./common";
import { FaultForm } from "./faultform";
import { parseDate, parseNumber } from "./values";

/** The orders on an asset, newest first, as a list (used by the details and the identify panel). */
export function historyList(orders: WorkOrder[], model: DataModel | null, lang: Lang): HTMLElement {
  if (orders.length === 0) return h("p", { class: "empty" }, t(lang, "invHistoryNone"));
  return h(
    "ol",
    { class: "inv-history" },
    ...orders.map((o) =>
      h(
        "li",
        { "data-order": o.order_no, "data-status": o.status },
        h("strong", {}, o.order_no),
        ` · ${codeLabel(model, "fault_type", o.fault_type, lang)} · `,
        h("span", { class: `wo-status ${o.status}` }, codeLabel(model, "work_status", o.status, lang)),
        h(
          "span",
          { class: "note" },
          ` · ${t(lang, "invReceived")} ${dateText(o.received_at, lang, true)}`,
          o.done_at ? ` → ${dateText(o.done_at, lang, true)}` : "",
          o.technician ? ` · ${o.technician}` : "",
          o.cost !== null ? ` · ${money(o.cost, lang)} ฿` : "",
        ),
      ),
    ),
  );
}

export class ItemDetails {
  readonly element = h("aside", { class: "inv-details", id: "inv-details", "aria-live": "polite" });
  private readonly viewer = new PhotoViewer();
  private readonly photos = new PhotoSection(this.viewer, () => void this.reload());
  private item: Details | null = null;
  private orders: WorkOrder[] = [];
  private message = "";
  private error: IpcError | null = null;

  constructor(
    private readonly host: Host,
    /** The register changed (an edit, a disposal): redraw the table. */
    private readonly changed: () => void,
  ) {
    document.body.append(this.viewer.element);
    this.photos.setEditable(true);
  }

  get shown(): Details | null {
    return this.item;
  }

  async show(uid: string | null): Promise<void> {
    this.message = "";
    this.error = null;
    if (!uid) {
      this.item = null;
      void this.photos.show(null);
      this.render(this.host.lang());
      return;
    }
    try {
      this.item = await equipmentDetails(uid);
      this.orders = this.item ? await workHistory(uid) : [];
      void this.photos.show(this.item ? { layer: "equipment", uid } : null);
    } catch (error) {
      this.error = toIpcError(error);
    }
    this.render(this.host.lang());
  }

  private async reload(): Promise<void> {
    const uid = this.item?.uid;
    const message = this.message;
    await this.show(uid ?? null);
    this.message = message;
    this.render(this.host.lang());
  }

  render(lang: Lang): void {
    const model = this.host.model();
    const d = this.item;
    if (!d) {
      replace(this.element, this.error ? h("p", { class: "problem" }, errorWords(this.error, lang)) : null);
      this.element.hidden = !this.error;
      return;
    }
    this.element.hidden = false;
    const v = d.values;
    const shown = ["asset_no", "name", "category", "acquired_date", "quantity", "unit", "unit_price", "funding_source", "vendor", "document_no", "department", "custodian", "location", "status", "notes"];
    const valueText = (name: string): string => {
      const raw = v[name] ?? null;
      if (raw === null || raw === "") return t(lang, "none");
      if (name === "status") return codeLabel(model, "equipment_status", raw, lang);
      if (name === "category" && d.category) return lang === "th" ? d.category.th : d.category.en || d.category.th;
      if (name === "acquired_date") return dateText(raw, lang);
      if (name === "unit_price") return money(Number(raw), lang);
      return raw;
    };
    const figures = d.figures;
    const dep = figures
      ? h(
          "dl",
          { class: "inv-figures", id: "inv-figures" },
          ...(
            [
              ["invCost", money(figures.cost, lang)],
              ["invRate", `${formatNumber(figures.rate * 100, lang, 2)} %`],
              ["invFullYear", money(figures.full_year, lang)],
              ["invThisYear", money(figures.this_year, lang)],
              ["invAccumulated", money(figures.accumulated, lang)],
              ["invNet", money(figures.net, lang)],
              ["invMonths", formatNumber(figures.months, lang)],
            ] as const
          ).flatMap(([k, text]) => [h("dt", {}, t(lang, k)), h("dd", { "data-figure": k }, text)]),
        )
      : h("p", { class: "note" }, t(lang, "invDepNone"));
    const button = (id: string, text: string, run: () => void, secondary = true) => {
      const b = h("button", { type: "button", id, class: secondary ? "secondary" : null }, text);
      b.addEventListener("click", run);
      return b;
    };
    const disposed = v["status"] === "disposed";
    replace(
      this.element,
      h("div", { class: "identify-head" }, h("h3", { id: "inv-details-title" }, `${v["asset_no"] ?? ""} ${v["name"] ?? ""}`), button("inv-details-close", t(lang, "close"), () => void this.show(null))),
      h(
        "div",
        { class: "inv-actions" },
        button("inv-edit", t(lang, "invEdit"), () => this.edit(), false),
        disposed ? null : button("inv-dispose", t(lang, "invDispose"), () => this.dispose()),
        button("inv-label", t(lang, "invPrintLabel"), () => void this.label()),
        button("inv-fault", t(lang, "invReportFault"), () => this.fault()),
        d.extent ? button("inv-map", t(lang, "invShowOnMap"), () => d.extent && this.host.zoomTo(d.extent)) : null,
      ),
      this.message ? h("p", { class: "inv-message", id: "inv-details-message", role: "status" }, this.message) : null,
      this.error ? h("p", { class: "problem", role: "alert" }, errorWords(this.error, lang)) : null,
      h("dl", { class: "identify-fields" }, ...shown.flatMap((name) => [h("dt", {}, fieldName(model, "equipment", name, lang)), h("dd", { "data-field": name }, valueText(name))])),
      d.disposal
        ? h("p", { class: "note", id: "inv-disposal" }, t(lang, "invDisposed", { method: codeLabel(model, "disposal_method", d.disposal.method, lang), doc: d.disposal.document_no, date: dateText(d.disposal.disposed_on, lang) }))
        : null,
      h("h4", {}, figures ? t(lang, "invDepreciation", { fy: figures.fiscal_year }) : t(lang, "invDepreciation", { fy: "" })),
      d.useful_life_years ? h("p", { class: "note" }, t(lang, "invLife", { n: d.useful_life_years })) : null,
      dep,
      figures?.written_down ? h("p", { class: "note" }, t(lang, "invWrittenDown")) : null,
      this.photos.element,
      h("h4", {}, t(lang, "invHistory")),
      historyList(this.orders, model, lang),
    );
    this.photos.render(lang);
  }

  private edit(): void {
    const d = this.item;
    if (!d) return;
    const lang = this.host.lang();
    const specs = fieldSpecs(this.host.model(), "equipment").filter((s) => s.name !== "pole_uid");
    const input = formInput(specs, d.values);
    let problems: Problem[] = [];
    const modal = new Modal("inv-edit-form", `${t(lang, "invEdit")} ${d.values["asset_no"] ?? ""}`, lang, async () => {
      const values = changedValues(specs, d.values, input);
      if (Object.keys(values).length === 0) return true;
      try {
        await applyEdit({ label: `${t(lang, "invEdit")} ${d.values["asset_no"] ?? ""}`, changes: [{ op: "update", layer: "equipment", uid: d.uid, values }] });
        this.host.redraw();
        this.changed();
        this.message = t(lang, "invSaved");
        await this.reload();
        return true;
      } catch (error) {
        const e = toIpcError(error);
        problems = e.problems ?? [];
        draw();
        modal.status.textContent = errorWords(e, lang);
        return false;
      }
    });
    const draw = () => modal.fill(renderProblems(problems, lang), renderFields({ specs, input, stored: d.values, problems, lang, id: "inv-edit" }));
    draw();
    modal.open();
  }

  private dispose(): void {
    const d = this.item;
    if (!d) return;
    const lang = this.host.lang();
    const model = this.host.model();
    const method = select((model?.domains["disposal_method"]?.values ?? []).map((v) => ({ value: v.code, text: lang === "th" ? v.th : v.en })));
    const doc = textInput();
    const date = textInput("", { placeholder: t(lang, "datePlaceholder") });
    const amount = textInput("", { inputmode: "decimal" });
    const notes = textInput();
    const problems: Record<string, string> = {};
    const assetNo = d.values["asset_no"] ?? "";
    const modal = new Modal("inv-dispose-form", t(lang, "invDisposeTitle", { no: assetNo }), lang, async () => {
      for (const k of Object.keys(problems)) delete problems[k];
      const day = parseDate(date.value);
      const money = parseNumber(amount.value);
      if (!day.ok) problems["date"] = t(lang, "hintDate");
      if (!money.ok) problems["amount"] = t(lang, "invNumberInvalid");
      if (doc.value.trim() === "") problems["doc"] = t(lang, "invRequired");
      if (Object.keys(problems).length > 0) {
        draw();
        return false;
      }
      try {
        await disposeEquipment({
          asset_no: assetNo,
          method: method.value,
          document_no: doc.value,
          disposed_on: day.ok ? (day.value ?? null) : null,
          amount: money.ok ? (money.value ?? null) : null,
          notes: notes.value.trim() || null,
        });
        this.host.redraw();
        this.changed();
        this.message = t(lang, "invSaved");
        await this.reload();
        return true;
      } catch (error) {
        modal.status.textContent = errorWords(toIpcError(error), lang);
        return false;
      }
    });
    const draw = () =>
      modal.fill(
        field("inv-dispose-method", t(lang, "invMethod"), method),
        field("inv-dispose-doc", t(lang, "invDocNo"), doc, problems["doc"]),
        field("inv-dispose-date", t(lang, "invDate"), date, problems["date"], t(lang, "hintDate")),
        field("inv-dispose-amount", t(lang, "invAmount"), amount, problems["amount"]),
        field("inv-dispose-notes", t(lang, "invNotes"), notes),
      );
    draw();
    modal.open();
  }

  private async label(): Promise<void> {
    const d = this.item;
    if (!d) return;
    const lang = this.host.lang();
    try {
      const saved = await saveLabels("equipment", [d.uid], lang);
      this.message = saved ? t(lang, "invLabelSaved", { path: saved.path }) : t(lang, "invSaveCancelled");
    } catch (error) {
      this.message = errorWords(toIpcError(error), lang);
    }
    this.render(lang);
  }

  private fault(): void {
    const d = this.item;
    if (!d) return;
    new FaultForm(this.host, { kind: "equipment", uid: d.uid, label: `${d.values["asset_no"] ?? ""} ${d.values["name"] ?? ""}` }, () => {
      this.changed();
      void this.reload();
    }).open();
  }
}
