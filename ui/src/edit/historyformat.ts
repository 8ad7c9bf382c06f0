// The journal in words: who, what kind of change, and each field's old and
// new value as people read it (domain labels, พ.ศ. dates, geometries in
// short). Pure functions, tested in historyformat.test.ts.

import type { DataModel, FieldChange, HistoryEntry, HistoryFilter } from "../api";
import { formatIsoDate, parseBuddhistDate } from "../format";
import { t, tMaybe, type Lang } from "../i18n";
import { fieldSpecs, SYSTEM_FIELDS, valueLabel } from "./fields";

const WKT = /^\s*([A-Z]+)(?:\s+(?:Z|M|ZM))?\s*(\(.*\)|EMPTY)\s*$/is;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * A geometry's WKT in short: a point with its coordinates, anything else by
 * its kind and number of vertices (`เส้น 12 จุดยอด`). Other text unchanged.
 */
export function shortWkt(text: string, lang: Lang): string {
  const m = WKT.exec(text);
  if (!m) return text;
  const type = (m[1] ?? "").toUpperCase();
  const body = m[2] ?? "";
  const name = tMaybe(lang, `geom.${type}`) ?? type;
  if (body.toUpperCase() === "EMPTY") return `${name} (${t(lang, "none")})`;
  if (type === "POINT") return `${name} ${body.replace(/\s+/g, " ").replace(/\( /, "(").replace(/ \)/, ")")}`;
  const vertices = body.replace(/[()]/g, "").split(",").filter((v) => v.trim() !== "").length;
  return `${name} ${t(lang, "vertexCount", { n: vertices })}`;
}

/** Whether a field is bookkeeping (uid, who and when): said once per entry, not listed. */
function isBookkeeping(field: string): boolean {
  return (SYSTEM_FIELDS as readonly string[]).includes(field);
}

/** Who made a change: the user's name, or "another program" for QGIS, GDAL and scripts. */
export function whoLabel(entry: Pick<HistoryEntry, "user">, lang: Lang): string {
  if (entry.user.trim() !== "") return entry.user;
  return t(lang, "otherProgram");
}

export function opLabel(kind: HistoryEntry["kind"], lang: Lang): string {
  return t(lang, `op.${kind}`);
}

export interface ChangeLine {
  field: string;
  label: string;
  old: string | null;
  new: string | null;
}

/** One value of the journal as people read it. */
function shownValue(
  model: DataModel | null,
  layer: string,
  field: string,
  value: string | null,
  lang: Lang,
): string | null {
  if (value === null) return null;
  if (WKT.test(value)) return shortWkt(value, lang);
  const spec = fieldSpecs(model, layer).find((s) => s.name === field);
  if (spec?.kind === "date" || (spec === undefined && ISO_DATE.test(value))) return formatIsoDate(value, lang);
  return valueLabel(spec, value, lang);
}

function fieldName(change: FieldChange, lang: Lang): string {
  const label = lang === "th" ? change.th : change.en;
  // The geometry column has no label in the data model.
  if (label === change.field && (WKT.test(change.new ?? "") || WKT.test(change.old ?? ""))) return t(lang, "geometryField");
  return label;
}

/** The fields of an entry worth listing, each with its label and its old and new value in words. */
export function changeLines(entry: HistoryEntry, model: DataModel | null, lang: Lang): ChangeLine[] {
  return entry.fields
    .filter((f) => !isBookkeeping(f.field))
    .filter((f) => f.old !== null || f.new !== null)
    .map((f) => ({
      field: f.field,
      label: fieldName(f, lang),
      old: shownValue(model, entry.layer, f.field, f.old, lang),
      new: shownValue(model, entry.layer, f.field, f.new, lang),
    }));
}

/** `สถานะ: ใช้งานปกติ → ชำรุด`; the new value alone for an insert, `→ –` for a delete. */
export function changeText(line: ChangeLine, lang: Lang): string {
  const none = t(lang, "none");
  if (line.old === null) return `${line.label}: ${line.new ?? none}`;
  if (line.new === null) return `${line.label}: ${line.old} → ${none}`;
  return `${line.label}: ${line.old} → ${line.new}`;
}

/** The journal browser's filters as typed: a user, a layer, and dates in พ.ศ. (`1/10/2568`). */
export interface JournalQuery {
  user: string;
  layer: string;
  since: string;
  until: string;
}

/** Entries the journal browser asks for at most. */
export const JOURNAL_LIMIT = 500;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The history filter of a journal query: dates count in the computer's time
 * zone, `until` to the end of its day. `bad` names a date that is no date.
 */
export function journalFilter(q: JournalQuery): { filter: HistoryFilter; bad: "since" | "until" | null } {
  const filter: HistoryFilter = { limit: JOURNAL_LIMIT };
  if (q.user.trim() !== "") filter.user = q.user.trim();
  if (q.layer !== "") filter.layer = q.layer;
  for (const key of ["since", "until"] as const) {
    if (q[key].trim() === "") continue;
    const iso = parseBuddhistDate(q[key]);
    if (!iso) return { filter, bad: key };
    const midnight = new Date(`${iso}T00:00:00`).getTime();
    filter[key] = key === "since" ? midnight : midnight + DAY_MS - 1;
  }
  return { filter, bad: null };
}
