// Form values typed by staff, as the shell takes them, and the small
// reckonings the panels show (fiscal years, ages). Pure: tested in values.test.ts.

import { parseBuddhistDate } from "../format";

/** Thai digits (๐–๙) as ASCII, commas and spaces removed: "๑,๒๐๐.๕๐" → "1200.50". */
export function normaliseNumber(text: string): string {
  return text
    .trim()
    .replace(/[\u0E50-\u0E59]/g, (d) => String(d.charCodeAt(0) - 0x0e50))
    .replace(/[,\s]/g, "");
}

export type Parsed<T> = { ok: true; value: T | undefined } | { ok: false };

/** A number field: empty is no value; "1,200.50" and Thai digits are numbers; anything else is refused. */
export function parseNumber(text: string, integer = false): Parsed<number> {
  const t = normaliseNumber(text);
  if (t === "") return { ok: true, value: undefined };
  const pattern = integer ? /^-?\d+$/ : /^-?(\d+\.?\d*|\.\d+)$/;
  if (!pattern.test(t)) return { ok: false };
  const value = Number(t);
  return Number.isFinite(value) ? { ok: true, value } : { ok: false };
}

/** A date field (พ.ศ. day/month/year or ISO) as ISO; empty is no value. */
export function parseDate(text: string): Parsed<string> {
  if (text.trim() === "") return { ok: true, value: undefined };
  const iso = parseBuddhistDate(text);
  return iso ? { ok: true, value: iso } : { ok: false };
}

/** Text as sent: trimmed, empty as absent. */
export function optionalText(text: string | undefined): string | undefined {
  const t = (text ?? "").trim();
  return t === "" ? undefined : t;
}

/** The Thai fiscal year (1 Oct – 30 Sep, named by the พ.ศ. year it ends in) of a day. */
export function fiscalYearOf(day: Date): number {
  const year = day.getFullYear() + 543;
  return day.getMonth() >= 9 ? year + 1 : year;
}

/** Whole days from an ISO time to `now` (0 for the future or an unreadable time). */
export function ageDays(iso: string, now: Date): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((now.getTime() - t) / 86_400_000));
}

/** Committee names as typed, one per line (or separated by commas): blanks dropped. */
export function committeeNames(text: string): string[] {
  return text
    .split(/[\n,;]/)
    .map((n) => n.trim())
    .filter((n) => n !== "");
}

/** What a barcode scanner or a person typed: trimmed, a trailing Enter/Tab removed. */
export function scanned(text: string): string {
  return text.replace(/[\r\n\t]+/g, " ").trim();
}

export type LocationMode = "text" | "map" | "pole";

export interface FormProblem {
  field: string;
  kind: "number" | "date" | "required";
}

const INTEGER_FIELDS = ["quantity", "useful_life_years"] as const;
const REAL_FIELDS = ["unit_price"] as const;
const TEXT_FIELDS = ["asset_no", "unit", "funding_source", "vendor", "document_no", "department", "custodian", "status", "notes"] as const;

/**
 * The register form's typed text as the shell's new item: numbers (Thai
 * digits and thousands separators allowed) and พ.ศ. dates parsed, empty
 * fields left out, the location by its mode. Every problem is collected.
 */
export function buildNewEquipment(
  typed: Record<string, string>,
  where: LocationMode,
  point: [number, number] | null,
): { ok: true; item: Record<string, unknown> & { name: string; category: string; acquired_date?: string } } | { ok: false; problems: FormProblem[] } {
  const problems: FormProblem[] = [];
  const item: Record<string, unknown> & { name: string; category: string; acquired_date?: string } = {
    name: (typed["name"] ?? "").trim(),
    category: (typed["category"] ?? "").trim(),
  };
  for (const f of TEXT_FIELDS) {
    const v = optionalText(typed[f]);
    if (v !== undefined) item[f] = v;
  }
  for (const f of INTEGER_FIELDS) {
    const p = parseNumber(typed[f] ?? "", true);
    if (!p.ok) problems.push({ field: f, kind: "number" });
    else if (p.value !== undefined) item[f] = p.value;
  }
  for (const f of REAL_FIELDS) {
    const p = parseNumber(typed[f] ?? "");
    if (!p.ok) problems.push({ field: f, kind: "number" });
    else if (p.value !== undefined) item[f] = p.value;
  }
  const date = parseDate(typed["acquired_date"] ?? "");
  if (!date.ok) problems.push({ field: "acquired_date", kind: "date" });
  else if (date.value !== undefined) item.acquired_date = date.value;
  if (where === "text") {
    const l = optionalText(typed["location"]);
    if (l !== undefined) item["location"] = l;
  } else if (where === "pole") {
    const p = optionalText(typed["pole"]);
    if (p === undefined) problems.push({ field: "pole", kind: "required" });
    else item["pole"] = p;
  } else if (point) {
    item["at"] = point;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, item };
}
