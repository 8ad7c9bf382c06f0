// The editing form of a layer, generated from the data model: which input
// each field gets, which fields the core fills in itself, and the values
// between what the file stores, what the form shows and what an edit sends.
// Pure functions, tested in fields.test.ts.

import type { DataModel, InputValue, ModelDomain, ModelLayer } from "../api";
import { formatShortBuddhistDate, parseBuddhistDate } from "../format";
import { t, type Lang } from "../i18n";

export type InputKind = "select" | "text" | "integer" | "real" | "date" | "datetime" | "boolean";

export interface FieldSpec {
  name: string;
  th: string;
  en: string;
  kind: InputKind;
  /** The pick list of a domain (codes with their labels). */
  options: ModelDomain["values"];
  required: boolean;
  unique: boolean;
  min: number | null;
  max: number | null;
  format: "road_code" | null;
  /** Filled in by the core from the geometry (village, elevation, length): shown, not typed. */
  automatic: boolean;
  /** The link to the parent row (a lamp's pole): set by the app, not shown. */
  link: boolean;
}

/** Fields the core adds to every layer: identity, who and when. Shown read-only. */
export const SYSTEM_FIELDS = ["uid", "created_by", "created_at", "updated_by", "updated_at"] as const;

/** Child layers and the field naming their parent (schema.toml `parent`; data_model() does not carry it). */
export const PARENT_LINKS: Record<string, { layer: string; field: string }> = {
  lamps: { layer: "poles", field: "pole_uid" },
};

/** The child layers of `layer` (a pole's lamps). */
export function childLayers(layer: string): string[] {
  return Object.entries(PARENT_LINKS)
    .filter(([, p]) => p.layer === layer)
    .map(([child]) => child);
}

/**
 * The fields the core derives from a new or moved geometry when the edit
 * does not set them (src/edit/auto.rs): the village and, for points, the
 * ground elevation; for lines, the length.
 */
export function automaticFields(geometry: string | null): string[] {
  switch (geometry?.toUpperCase()) {
    case "POINT":
      return ["village_no", "elevation_m"];
    case "LINESTRING":
      return ["village_no", "length_m"];
    default:
      return [];
  }
}

function layerDef(model: DataModel | null, layer: string): ModelLayer | undefined {
  return model?.layers.find((l) => l.name === layer);
}

export function fieldSpecs(model: DataModel | null, layer: string): FieldSpec[] {
  const def = layerDef(model, layer);
  if (!def) return [];
  const automatic = automaticFields(def.geometry);
  const link = PARENT_LINKS[layer]?.field;
  return def.fields.map((f) => {
    const domain = f.domain ? model?.domains[f.domain] : undefined;
    let kind: InputKind = f.type;
    if (domain) kind = "select";
    return {
      name: f.name,
      th: f.th,
      en: f.en,
      kind,
      options: domain?.values ?? [],
      required: f.required,
      unique: f.unique,
      min: f.min,
      max: f.max,
      format: f.format,
      automatic: automatic.includes(f.name),
      link: f.name === link,
    };
  });
}

/** Whether staff type this field (not automatic, not the parent link). */
export function editable(spec: FieldSpec): boolean {
  return !spec.automatic && !spec.link;
}

/** SQLite keeps yes/no as 1/0; the form's pick list uses true/false. */
const BOOLEAN_INPUT: Record<string, string> = { "1": "true", "0": "false", true: "true", false: "false" };

/** What the form shows for a stored value: dates in พ.ศ. (`1/10/2568`), yes/no as true/false. */
export function toInput(spec: FieldSpec, stored: string | null | undefined): string {
  if (stored === null || stored === undefined) return "";
  if (spec.kind === "date") return formatShortBuddhistDate(stored);
  if (spec.kind === "boolean") return BOOLEAN_INPUT[stored] ?? stored;
  return stored;
}

/** What an edit sends for what the form shows: dates as ISO (the core checks the rest). */
export function fromInput(spec: FieldSpec, shown: string): InputValue {
  const text = shown.trim();
  if (spec.kind === "date" && text !== "") return parseBuddhistDate(text) ?? text;
  return text;
}

/** The form of a stored feature: every field's value as the form shows it. */
export function formInput(specs: FieldSpec[], stored: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(specs.map((s) => [s.name, toInput(s, stored[s.name])]));
}

/** The editable fields whose input differs from what is stored ("" clears a value). */
export function changedValues(
  specs: FieldSpec[],
  stored: Record<string, string | null>,
  input: Record<string, string>,
): Record<string, InputValue> {
  const out: Record<string, InputValue> = {};
  for (const s of specs.filter(editable)) {
    const shown = input[s.name];
    if (shown === undefined) continue;
    if (shown.trim() !== toInput(s, stored[s.name]).trim()) out[s.name] = fromInput(s, shown);
  }
  return out;
}

/** The values of a new feature: every editable field filled in (automatic ones are left to the core). */
export function insertValues(specs: FieldSpec[], input: Record<string, string>): Record<string, InputValue> {
  const out: Record<string, InputValue> = {};
  for (const s of specs.filter(editable)) {
    const shown = input[s.name] ?? "";
    if (shown.trim() !== "") out[s.name] = fromInput(s, shown);
  }
  return out;
}

/**
 * The values "copy attributes" takes from another feature: the editable
 * ones except unique keys (a pole number belongs to one pole).
 */
export function copyableValues(specs: FieldSpec[], stored: Record<string, string | null>): Record<string, InputValue> {
  const out: Record<string, InputValue> = {};
  for (const s of specs.filter((s) => editable(s) && !s.unique)) out[s.name] = stored[s.name] ?? "";
  return out;
}

/** A short line under a field: required, unique, range and format, in words. */
export function fieldHint(spec: FieldSpec, lang: Lang): string {
  const parts: string[] = [];
  if (spec.automatic) parts.push(t(lang, "hintAutomatic"));
  if (spec.required && !spec.automatic) parts.push(t(lang, "hintRequired"));
  if (spec.unique) parts.push(t(lang, "hintUnique"));
  if (spec.min !== null && spec.max !== null) parts.push(t(lang, "hintRange", { min: spec.min, max: spec.max }));
  if (spec.format === "road_code") parts.push(t(lang, "hintRoadCode"));
  if (spec.kind === "date") parts.push(t(lang, "hintDate"));
  return parts.join(" · ");
}

/** A value's label for people: the domain's label for a code, else the text as it is. */
export function valueLabel(spec: FieldSpec | undefined, value: string, lang: Lang): string {
  const option = spec?.options.find((o) => o.code === value);
  if (option) return lang === "th" ? option.th : option.en;
  if (spec?.kind === "boolean" && BOOLEAN_INPUT[value]) return t(lang, BOOLEAN_INPUT[value] === "true" ? "yes" : "no");
  return value;
}
