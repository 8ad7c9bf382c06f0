// A feature's form, generated from the data model: a pick list for each
// domain, text for the rest, hints for required fields, ranges and formats,
// automatic values shown read-only, and each problem the core found next to
// its field. Typing writes into `input` without redrawing, so focus stays.

import type { Problem } from "../api";
import { h } from "../dom";
import { formatIsoDate } from "../format";
import { t, type Lang } from "../i18n";
import { fieldHint, SYSTEM_FIELDS, type FieldSpec } from "./fields";

export interface FormOptions {
  specs: FieldSpec[];
  /** What the form shows, by field; changed as the user types. */
  input: Record<string, string>;
  /** The stored values: automatic and system fields are shown from here. */
  stored: Record<string, string | null>;
  problems: Problem[];
  lang: Lang;
  /** Makes the ids of this form's inputs unique in the window (`edit`, `lamps-0`). */
  id: string;
  /** A bulk edit: empty fields leave each feature's value; unique fields are left out. */
  bulk?: boolean;
}

function problemText(p: Problem, lang: Lang): string {
  return lang === "th" ? p.th : p.en;
}

function control(spec: FieldSpec, o: FormOptions, inputId: string, describedBy: string): HTMLElement {
  const value = o.input[spec.name] ?? "";
  const common = { id: inputId, name: spec.name, "aria-describedby": describedBy, required: spec.required && !o.bulk };
  const keep = (el: HTMLInputElement | HTMLSelectElement) => {
    el.addEventListener(el instanceof HTMLSelectElement ? "change" : "input", () => {
      o.input[spec.name] = el.value;
    });
    return el;
  };
  if (spec.kind === "select" || spec.kind === "boolean") {
    const options =
      spec.kind === "boolean"
        ? [
            { code: "true", th: t("th", "yes"), en: t("en", "yes") },
            { code: "false", th: t("th", "no"), en: t("en", "no") },
          ]
        : [...spec.options];
    // A code the list does not know (another tool wrote it) stays choosable rather than lost.
    if (value !== "" && !options.some((x) => x.code === value)) options.push({ code: value, th: value, en: value });
    const empty = o.bulk ? t(o.lang, "bulkKeep") : t(o.lang, "choose");
    const select = h(
      "select",
      common,
      h("option", { value: "" }, empty),
      ...options.map((x) => h("option", { value: x.code }, o.lang === "th" ? x.th : x.en)),
    );
    select.value = value;
    return keep(select);
  }
  const numeric = spec.kind === "integer" || spec.kind === "real";
  const input = h("input", {
    ...common,
    type: "text",
    inputmode: numeric ? (spec.kind === "integer" ? "numeric" : "decimal") : null,
    autocomplete: "off",
    placeholder: o.bulk ? t(o.lang, "bulkKeep") : spec.kind === "date" ? t(o.lang, "datePlaceholder") : null,
  });
  input.value = value;
  return keep(input);
}

function field(spec: FieldSpec, o: FormOptions): HTMLElement {
  const inputId = `${o.id}-${spec.name}`;
  const label = o.lang === "th" ? spec.th : spec.en;
  const problems = o.problems.filter((p) => p.field === spec.name);
  const hint = fieldHint(spec, o.lang);
  const hintId = `${inputId}-hint`;
  const problemId = `${inputId}-problem`;
  const wrap = h("div", { class: problems.length > 0 ? "field has-problem" : "field", "data-field": spec.name });
  if (spec.automatic) {
    const stored = o.stored[spec.name];
    wrap.append(
      h("span", { class: "label" }, label),
      h("output", { id: inputId, name: spec.name }, stored ?? t(o.lang, "automaticPending")),
    );
  } else {
    wrap.append(
      h("label", { for: inputId }, label, spec.required && !o.bulk ? h("span", { class: "required", "aria-hidden": "true" }, " *") : null),
      control(spec, o, inputId, problems.length > 0 ? `${problemId} ${hintId}` : hintId),
    );
  }
  wrap.append(h("p", { class: "hint", id: hintId }, hint));
  if (problems.length > 0) {
    wrap.append(h("p", { class: "problem", id: problemId }, problems.map((p) => problemText(p, o.lang)).join(" · ")));
  }
  return wrap;
}

/** The fields of one feature (or of a selection, in a bulk edit). */
export function renderFields(o: FormOptions): HTMLElement {
  const shown = o.specs.filter((s) => !s.link && !(o.bulk && (s.unique || s.automatic)));
  return h("div", { class: "fields-grid" }, ...shown.map((s) => field(s, o)));
}

/** Who made the feature and who changed it last, and when: filled in by the core, read-only. */
export function renderSystemFields(stored: Record<string, string | null>, lang: Lang): HTMLElement | null {
  if (stored["uid"] === undefined) return null;
  const label: Record<(typeof SYSTEM_FIELDS)[number], string> = {
    uid: t(lang, "sysUid"),
    created_by: t(lang, "sysCreatedBy"),
    created_at: t(lang, "sysCreatedAt"),
    updated_by: t(lang, "sysUpdatedBy"),
    updated_at: t(lang, "sysUpdatedAt"),
  };
  return h(
    "dl",
    { class: "system-fields" },
    ...SYSTEM_FIELDS.flatMap((name) => {
      const value = stored[name];
      const text = value ? (name.endsWith("_at") ? formatIsoDate(value, lang, { time: true, month: "short" }) : value) : t(lang, "none");
      return [h("dt", {}, label[name]), h("dd", { "data-field": name }, text)];
    }),
  );
}

/** Every problem of a refused edit, in one list above the form (the summary). */
export function renderProblems(problems: Problem[], lang: Lang): HTMLElement | null {
  if (problems.length === 0) return null;
  return h("ul", { class: "problem-list" }, ...problems.map((p) => h("li", { "data-field": p.field }, problemText(p, lang))));
}
