// Registering an item: a form built from the data model's `equipment`
// fields (labels, hints, pick lists), the category from the file's own
// categories, the asset number proposed by the core (next_asset_no) and
// checked as it is typed, and the location as a building/landmark name, a
// point clicked on the map, or a pole number. Problems, whether found here
// (a number that is not one) or by the core, are shown beside their fields.

import { toIpcError, type Problem } from "../api";
import { h } from "../dom";
import { fieldHint, fieldSpecs, type FieldSpec } from "../edit/fields";
import { t, type Lang } from "../i18n";
import { addEquipment, assetNoTaken, nextAssetNo, type Category, type NewEquipment } from "./api";
import { errorWords, field, Modal, select, textInput, type Host } from "./common";
import { buildNewEquipment, type LocationMode } from "./values";

/** Fields the form lays out itself (category from the file, location as one of three). */
const OWN = new Set(["category", "location", "pole_uid"]);

export class AddForm {
  private readonly inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
  private problems: Problem[] = [];
  private where: LocationMode = "text";
  private point: [number, number] | null = null;
  private numberNote = h("p", { class: "hint", id: "inv-add-number-note", "aria-live": "polite" });
  private modal: Modal | null = null;

  constructor(
    private readonly host: Host,
    private readonly categories: Category[],
    private readonly done: (uid: string, assetNo: string) => void,
  ) {}

  open(): void {
    const lang = this.host.lang();
    const specs = fieldSpecs(this.host.model(), "equipment");
    this.modal = new Modal("inv-add-form", t(lang, "invAddTitle"), lang, () => this.submit(specs, lang));
    for (const s of specs) if (!OWN.has(s.name)) this.inputs.set(s.name, this.control(s, lang));
    const category = select(
      [{ value: "", text: t(lang, "choose") }, ...this.categories.map((c) => ({ value: c.code, text: `${lang === "th" ? c.th : c.en || c.th} (${c.useful_life_years})` }))],
    );
    this.inputs.set("category", category);
    this.inputs.set("location", textInput());
    this.inputs.set("pole", textInput());
    const propose = () => void this.propose();
    category.addEventListener("change", propose);
    this.inputs.get("acquired_date")?.addEventListener("change", propose);
    this.inputs.get("asset_no")?.addEventListener("change", () => void this.checkNumber());
    this.draw(specs, lang);
    this.modal.open();
  }

  private control(s: FieldSpec, lang: Lang): HTMLInputElement | HTMLSelectElement {
    if (s.kind === "select")
      return select([{ value: "", text: t(lang, "choose") }, ...s.options.map((o) => ({ value: o.code, text: lang === "th" ? o.th : o.en }))], s.name === "status" ? "in_use" : "");
    const numeric = s.kind === "integer" || s.kind === "real";
    return textInput("", {
      inputmode: numeric ? (s.kind === "integer" ? "numeric" : "decimal") : null,
      placeholder: s.kind === "date" ? t(lang, "datePlaceholder") : null,
    });
  }

  private problemOf(name: string, lang: Lang): string | null {
    const ps = this.problems.filter((p) => p.field === name);
    return ps.length > 0 ? ps.map((p) => (lang === "th" ? p.th : p.en)).join(" · ") : null;
  }

  private draw(specs: FieldSpec[], lang: Lang): void {
    const modal = this.modal;
    if (!modal) return;
    const label = (s: FieldSpec) => `${lang === "th" ? s.th : s.en}${s.required && s.name !== "asset_no" ? " *" : ""}`;
    const rows: HTMLElement[] = [];
    for (const s of specs) {
      if (s.name === "location" || s.name === "pole_uid") continue;
      const input = this.inputs.get(s.name);
      if (!input) continue;
      const row = field(`inv-add-${s.name}`, label(s), input, this.problemOf(s.name, lang), fieldHint(s, lang));
      if (s.name === "asset_no") row.append(this.numberNote);
      rows.push(row);
    }
    const modes: LocationMode[] = ["text", "map", "pole"];
    const words: Record<LocationMode, string> = { text: t(lang, "invWhereText"), map: t(lang, "invWhereMap"), pole: t(lang, "invWherePole") };
    const radios = modes.map((m) => {
      const r = h("input", { type: "radio", name: "inv-where", id: `inv-where-${m}`, value: m, checked: this.where === m });
      r.addEventListener("change", () => {
        this.where = m;
        this.draw(specs, lang);
        if (m === "map") void this.pick(specs, lang);
      });
      return h("label", { for: `inv-where-${m}`, class: "radio" }, r, words[m]);
    });
    let where: HTMLElement;
    if (this.where === "text") where = field("inv-add-location", words.text, this.inputs.get("location") as HTMLElement, this.problemOf("location", lang));
    else if (this.where === "pole") where = field("inv-add-pole", words.pole, this.inputs.get("pole") as HTMLElement, this.problemOf("pole", lang));
    else {
      const again = h("button", { type: "button", class: "secondary", id: "inv-where-pick" }, t(lang, "invWhereMapPick"));
      again.addEventListener("click", () => void this.pick(specs, lang));
      where = h("div", { class: "field" }, again, h("p", { class: "hint" }, this.point ? `${t(lang, "invWhereMapPicked")}: ${this.point.map((v) => v.toFixed(1)).join(", ")}` : ""));
    }
    modal.fill(...rows, h("fieldset", { class: "inv-where" }, h("legend", {}, t(lang, "invWhere")), ...radios, where));
  }

  /** Hides the form while the user clicks a point on the map, then shows it again. */
  private async pick(specs: FieldSpec[], lang: Lang): Promise<void> {
    const dialog = this.modal?.dialog;
    if (!dialog) return;
    dialog.close();
    const point = await this.host.pickPoint();
    if (point) this.point = point;
    document.body.append(dialog);
    dialog.showModal();
    this.draw(specs, lang);
  }

  private async propose(): Promise<void> {
    const category = this.inputs.get("category")?.value ?? "";
    const number = this.inputs.get("asset_no");
    if (!category || !number) return;
    const lang = this.host.lang();
    const acquired = buildNewEquipment({ acquired_date: this.inputs.get("acquired_date")?.value ?? "", name: "", category }, "text", null);
    try {
      const proposed = await nextAssetNo(category, acquired.ok ? (acquired.item.acquired_date ?? null) : null);
      number.value = proposed;
      this.numberNote.textContent = t(lang, "invProposed", { no: proposed });
    } catch (error) {
      this.numberNote.textContent = errorWords(toIpcError(error), lang);
    }
  }

  private async checkNumber(): Promise<void> {
    const value = this.inputs.get("asset_no")?.value.trim() ?? "";
    if (!value) return;
    const lang = this.host.lang();
    try {
      this.numberNote.textContent = (await assetNoTaken(value, null)) ? t(lang, "invNoTaken") : t(lang, "invNoFree");
    } catch {
      // The core checks again when the item is saved.
    }
  }

  private async submit(specs: FieldSpec[], lang: Lang): Promise<boolean> {
    const typed: Record<string, string> = {};
    for (const [name, input] of this.inputs) typed[name] = input.value;
    const built = buildNewEquipment(typed, this.where, this.point);
    if (!built.ok) {
      this.problems = built.problems.map((p) => ({
        field: p.field,
        th: p.kind === "number" ? t("th", "invNumberInvalid") : p.kind === "date" ? t("th", "hintDate") : t("th", "invRequired"),
        en: p.kind === "number" ? t("en", "invNumberInvalid") : p.kind === "date" ? t("en", "hintDate") : t("en", "invRequired"),
      }));
      this.draw(specs, lang);
      this.focusProblem();
      return false;
    }
    try {
      const added = await addEquipment(built.item as NewEquipment);
      this.host.redraw();
      this.done(added.uid, added.asset_no);
      return true;
    } catch (error) {
      const e = toIpcError(error);
      this.problems = (e.problems ?? []).map((p) => (p.field === "pole_uid" ? { ...p, field: "pole" } : p));
      this.draw(specs, lang);
      if (this.modal) this.modal.status.textContent = errorWords(e, lang);
      this.focusProblem();
      return false;
    }
  }

  private focusProblem(): void {
    this.modal?.form.querySelector<HTMLElement>("[aria-invalid=true]")?.focus();
  }
}
