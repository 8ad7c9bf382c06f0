// Dates in the Buddhist era (พ.ศ.), numbers and sizes, in Thai or English.
// Pure functions: unit-tested in format.test.ts.

import type { Lang } from "./i18n";

/** Years of the Buddhist era run 543 ahead of the Gregorian calendar. */
export const BUDDHIST_ERA_OFFSET = 543;

export function buddhistYear(gregorianYear: number): number {
  return gregorianYear + BUDDHIST_ERA_OFFSET;
}

const MONTHS: Record<Lang, { long: readonly string[]; short: readonly string[] }> = {
  th: {
    long: [
      "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
      "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
    ],
    short: [
      "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
      "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
    ],
  },
  en: {
    long: [
      "January", "February", "March", "April", "May", "June",
      "July", "August", "September", "October", "November", "December",
    ],
    short: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  },
};

export interface DateOptions {
  /** `long` (ตุลาคม) or `short` (ต.ค.); long by default. */
  month?: "long" | "short";
  /** Add the time of day (hours and minutes). */
  time?: boolean;
  /** IANA time zone; the computer's own when absent. */
  timeZone?: string;
}

interface DateParts {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
}

function partsOf(date: Date, timeZone: string | undefined): DateParts {
  const format = new Intl.DateTimeFormat("en-US-u-ca-gregory-nu-latn", {
    ...(timeZone === undefined ? {} : { timeZone }),
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  });
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(format.formatToParts(date).find((p) => p.type === type)?.value ?? NaN);
  return {
    year: get("year"),
    month: get("month"),
    day: get("day"),
    hour: get("hour") % 24,
    minute: get("minute"),
  };
}

function compose(p: DateParts, lang: Lang, options: DateOptions): string {
  const month = MONTHS[lang][options.month ?? "long"][p.month - 1] ?? String(p.month);
  const year = buddhistYear(p.year);
  const hhmm = `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
  if (lang === "th") {
    const date = `${p.day} ${month} ${year}`;
    return options.time ? `${date} เวลา ${hhmm} น.` : date;
  }
  const date = `${p.day} ${month} ${year} BE`;
  return options.time ? `${date}, ${hhmm}` : date;
}

/**
 * A moment as a date of the Buddhist era: `1 ตุลาคม 2568` in Thai,
 * `1 October 2568 BE` in English. An invalid date gives `–`.
 */
export function formatBuddhistDate(date: Date, lang: Lang, options: DateOptions = {}): string {
  if (Number.isNaN(date.getTime())) return "–";
  return compose(partsOf(date, options.timeZone), lang, options);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date as stored in a GeoPackage (ISO 8601): a calendar date
 * (`2025-10-01`) is shown as it is, without a time-zone shift; a date-time
 * (`2025-10-01T02:00:00.000Z`) is shown in `options.timeZone`. Text that is
 * not a date is returned unchanged.
 */
export function formatIsoDate(iso: string, lang: Lang, options: DateOptions = {}): string {
  const dateOnly = DATE_ONLY.exec(iso);
  if (dateOnly) {
    const [year, month, day] = dateOnly.slice(1).map(Number) as [number, number, number];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return iso;
    return compose({ year, month, day, hour: 0, minute: 0 }, lang, { ...options, time: false });
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatBuddhistDate(date, lang, options);
}

/** The locale of numbers: Thai conventions, Arabic digits (as Thai offices write them). */
export function numberLocale(lang: Lang): string {
  return lang === "th" ? "th-TH-u-nu-latn" : "en-US";
}

/** `1,234,567` or, with `fractionDigits`, `183,578.54`; `–` for a non-finite number. */
export function formatNumber(value: number, lang: Lang, fractionDigits = 0): string {
  if (!Number.isFinite(value)) return "–";
  return new Intl.NumberFormat(numberLocale(lang), {
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** `9.46 MB`: sizes in the units people read in both languages. */
export function formatBytes(bytes: number, lang: Lang): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "–";
  const units = ["B", "KB", "MB", "GB", "TB"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(value, lang, unit === 0 ? 0 : 2)} ${units[unit]}`;
}

/** Decimals for coordinates: 6 for degrees, 2 (centimetres) for projected metres. */
export function coordinateDigits(extent: readonly [number, number, number, number]): number {
  return extent.every((v) => Math.abs(v) <= 360) ? 6 : 2;
}

/** An extent as two ranges, `x: 183,578.54 – 204,342.87` and `y: …`. */
export function formatExtent(
  extent: readonly [number, number, number, number],
  lang: Lang,
): { x: string; y: string } {
  const digits = coordinateDigits(extent);
  const n = (v: number) => formatNumber(v, lang, digits);
  const [minX, minY, maxX, maxY] = extent;
  return { x: `${n(minX)} – ${n(maxX)}`, y: `${n(minY)} – ${n(maxY)}` };
}

const SHORT_DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** The ISO text of a real calendar date, or null (30 February). */
function isoOf(year: number, month: number, day: number): string | null {
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * A date as staff type it, day/month/year in the Buddhist era (`1/10/2568`,
 * also with `.` or `-`), as an ISO date (`2025-10-01`). A year below 2400 is
 * taken as Gregorian; an ISO date is kept. Null when it is no date.
 */
export function parseBuddhistDate(text: string): string | null {
  const t = text.trim();
  const iso = DATE_ONLY.exec(t);
  if (iso) {
    const [year, month, day] = iso.slice(1).map(Number) as [number, number, number];
    return isoOf(year, month, day);
  }
  const short = SHORT_DATE.exec(t);
  if (!short) return null;
  const [day, month, year] = short.slice(1).map(Number) as [number, number, number];
  return isoOf(year >= 2400 ? year - BUDDHIST_ERA_OFFSET : year, month, day);
}

/** An ISO date as staff write it: `2025-10-01` → `1/10/2568`; other text unchanged. */
export function formatShortBuddhistDate(iso: string): string {
  const m = DATE_ONLY.exec(iso.trim());
  if (!m) return iso;
  const [year, month, day] = m.slice(1).map(Number) as [number, number, number];
  return `${day}/${month}/${buddhistYear(year)}`;
}
