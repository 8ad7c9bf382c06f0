// Small pieces the inventory panels share: a modal form, a labelled field
// with its problem beside it, coded values' labels, errors in words.

import type { DataModel, IpcError } from "../api";
import { h, type Child } from "../dom";
import { formatBytes, formatIsoDate, formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { errorHeadline } from "../labels";

/** What a panel needs from the window. */
export interface Host {
  lang(): Lang;
  model(): DataModel | null;
  /** The open file, or null. */
  path(): string | null;
  zoomTo(extent: [number, number, number, number]): void;
  /** Shows a map feature in the identify panel (a pole after "go to number"). */
  identify(layer: string, fid: number): Promise<void>;
  /** The map's tiles were invalidated by an edit: fetch them again. */
  redraw(): void;
  /** Waits for one click on the map; its point in EPSG:3857 (null when cancelled). */
  pickPoint(): Promise<[number, number] | null>;
}

/** The label of a coded value (status, fault type, finding) from the data model. */
export function codeLabel(model: DataModel | null, domain: string, code: string | null, lang: Lang): string {
  if (code === null || code === "") return t(lang, "none");
  const v = model?.domains[domain]?.values.find((x) => x.code === code);
  return v ? (lang === "th" ? v.th : v.en) : code;
}

/** A field's label in the data model (`equipment.name` → ชื่อครุภัณฑ์). */
export function fieldName(model: DataModel | null, layer: string, field: string, lang: Lang): string {
  const f = model?.layers.find((l) => l.name === layer)?.fields.find((x) => x.name === field);
  return f ? (lang === "th" ? f.th : f.en) : field;
}

/** An error in words: the core's own problems when it gave them, else the headline. */
export function errorWords(error: IpcError, lang: Lang): string {
  const problems = (error.problems ?? []).filter((p) => p.field === "" || p.field === undefined);
  if (problems.length > 0) return problems.map((p) => (lang === "th" ? p.th : p.en)).join(" · ");
  if ((error.problems ?? []).length > 0) return (error.problems ?? []).map((p) => (lang === "th" ? p.th : p.en)).join(" · ");
  return errorHeadline(error, lang);
}

export function money(value: number | null | undefined, lang: Lang): string {
  return value === null || value === undefined ? t(lang, "none") : formatNumber(value, lang, 2);
}

export function dateText(iso: string | null | undefined, lang: Lang, time = false): string {
  return iso ? formatIsoDate(iso, lang, { month: "short", time }) : t(lang, "none");
}

export function savedText(saved: { path: string; bytes: number }, lang: Lang): string {
  return t(lang, "invFileSaved", { path: saved.path, size: formatBytes(saved.bytes, lang) });
}

/** A labelled control with its hint and the problem beside it (ids tie them together). */
export function field(id: string, label: string, control: HTMLElement, problem?: string | null, hint?: string): HTMLElement {
  control.id = id;
  const problemId = `${id}-problem`;
  if (problem) control.setAttribute("aria-describedby", problemId);
  if (problem) control.setAttribute("aria-invalid", "true");
  return h(
    "div",
    { class: problem ? "field has-problem" : "field", "data-field": id },
    h("label", { for: id }, label),
    control,
    hint ? h("p", { class: "hint" }, hint) : null,
    problem ? h("p", { class: "problem", id: problemId, role: "alert" }, problem) : null,
  );
}

export function textInput(value = "", attrs: Record<string, string | number | boolean | null> = {}): HTMLInputElement {
  const input = h("input", { type: "text", autocomplete: "off", ...attrs });
  input.value = value;
  return input;
}

export function select(options: { value: string; text: string }[], value = ""): HTMLSelectElement {
  const s = h("select", {}, ...options.map((o) => h("option", { value: o.value }, o.text)));
  // Without a known value the first option stays chosen (as a user sees it).
  if (options.some((o) => o.value === value)) s.value = value;
  return s;
}

/**
 * A modal form (a native <dialog>): Tab stays inside it, Enter in a field
 * submits, Esc cancels. `submit` returns true to close it.
 */
export class Modal {
  readonly dialog: HTMLDialogElement;
  readonly form: HTMLFormElement;
  readonly status = h("p", { class: "modal-status", role: "status", "aria-live": "polite" });
  private readonly fields = h("div", { class: "modal-fields" });
  private closed = false;

  constructor(id: string, title: string, lang: Lang, submit: () => Promise<boolean>, submitText?: string) {
    const save = h("button", { type: "submit", id: `${id}-submit` }, submitText ?? t(lang, "invSubmit"));
    const cancel = h("button", { type: "button", class: "secondary", id: `${id}-cancel` }, t(lang, "cancel"));
    this.form = h(
      "form",
      { class: "modal-form", novalidate: true },
      this.fields,
      this.status,
      h("div", { class: "modal-actions" }, save, cancel),
    );
    this.dialog = h("dialog", { class: "inv-modal", id, "aria-labelledby": `${id}-title` }, h("h3", { id: `${id}-title` }, title), this.form);
    // Enter in a field submits (the submit button's implicit submission); Esc cancels (the dialog's own).
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      save.disabled = true;
      void submit()
        .then((done) => {
          if (done) this.close();
        })
        .finally(() => (save.disabled = false));
    });
    cancel.addEventListener("click", () => this.close());
    this.dialog.addEventListener("close", () => this.close());
  }

  fill(...children: Child[]): void {
    this.fields.replaceChildren();
    for (const c of children) if (c) this.fields.append(c);
  }

  open(): void {
    document.body.append(this.dialog);
    this.dialog.showModal();
    this.form.querySelector<HTMLElement>("input, select, textarea")?.focus();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.dialog.open) this.dialog.close();
    this.dialog.remove();
  }
}
