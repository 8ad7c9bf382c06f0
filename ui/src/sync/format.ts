// Sync in words: the status badge, the hub settings (checked, remembered
// per file), progress, and both sides of a conflict as people read them
// (domain labels, พ.ศ. dates, positions). Pure: tested in format.test.ts.

import type { DataModel, IpcError } from "../api";
import { shortWkt } from "../edit/historyformat";
import { fieldSpecs, valueLabel } from "../edit/fields";
import { formatBuddhistDate, formatIsoDate, formatNumber } from "../format";
import { t, tMaybe, type Lang, type MessageKey } from "../i18n";
import { errorHeadline, fieldLabel, layerLabel } from "../labels";
import type { Conflict, ConflictSide, SyncProgress, SyncStatus } from "./syncapi";

// ---------------------------------------------------------------- status

export type SyncPhase = "running" | "never" | "waiting" | "conflicts" | "insync";

export interface StatusView {
  phase: SyncPhase;
  /** `มีการแก้ไขรอส่ง`, `ซิงก์แล้ว`…, for the badge. */
  headline: string;
  /** `ซิงก์ล่าสุด 5 ตุลาคม 2568 เวลา 10:20 น.`, or empty before the first sync. */
  last: string;
  /** `ข้อขัดแย้ง 2 รายการ`, or empty without open conflicts. */
  conflicts: string;
}

/** What the badge says about the file's sync. */
export function statusView(s: SyncStatus, lang: Lang, timeZone?: string): StatusView {
  let phase: SyncPhase;
  if (s.running) phase = "running";
  else if (s.open_conflicts > 0) phase = "conflicts";
  else if (s.last_sync === null) phase = "never";
  else if (s.outgoing) phase = "waiting";
  else phase = "insync";
  const waiting =
    s.pending !== null && s.pending > 0
      ? t(lang, "sync.waitingCount", { n: formatNumber(s.pending, lang) })
      : t(lang, "sync.phase.waiting");
  let headline = phase === "waiting" ? waiting : t(lang, `sync.phase.${phase}`);
  // Conflicts are the loudest, but changes waiting still need saying.
  if (phase === "conflicts" && s.outgoing) headline = `${headline} · ${waiting}`;
  const when = s.last_sync ? new Date(s.last_sync) : null;
  const last =
    when && !Number.isNaN(when.getTime())
      ? t(lang, "sync.last", { when: formatBuddhistDate(when, lang, { time: true, month: "short", ...(timeZone ? { timeZone } : {}) }) })
      : "";
  const conflicts = s.open_conflicts > 0 ? t(lang, "sync.conflictCount", { n: formatNumber(s.open_conflicts, lang) }) : "";
  return { phase, headline, last, conflicts };
}

/** The progress bar: the step in the UI's language and the share done (0–1, null when unknown). */
export function progressView(p: SyncProgress, lang: Lang): { text: string; fraction: number | null } {
  const [en, th] = p.step.split(" / ");
  const step = (lang === "th" ? th : en) ?? p.step;
  if (p.total <= 0) return { text: step, fraction: null };
  const done = Math.min(p.done, p.total);
  return {
    text: `${step} ${formatNumber(done, lang)} / ${formatNumber(p.total, lang)}`,
    fraction: done / p.total,
  };
}

/** Why a sync stopped, in one clear sentence of the UI's language. */
export function syncErrorText(error: IpcError, lang: Lang): string {
  const own = tMaybe(lang, `err.${error.code}`);
  const hub = error.problems?.find((p) => p.field === "hub");
  if (error.code === "sync_hub" && hub) return `${own ?? t(lang, "err.sync_hub")}: ${lang === "th" ? hub.th : hub.en}`;
  return own ?? errorHeadline(error, lang);
}

// ---------------------------------------------------------------- settings

/** What the hub dialog remembers per file (never the password). */
export interface HubSettings {
  url: string;
  org: string;
  user: string;
  /** A PEM file with the CA of a hub that has its own certificate; "" for none. */
  caFile: string;
}

export const EMPTY_SETTINGS: Readonly<HubSettings> = { url: "", org: "", user: "", caFile: "" };

/** Files whose hub settings are kept, most recently used first. */
export const REMEMBERED_FILES = 20;

export interface SettingsProblem {
  field: keyof HubSettings | "password";
  key: MessageKey;
}

const ORG_CODE = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Every problem of the dialog's input; `passwordKnown` when this session has the password. */
export function checkSettings(s: HubSettings, password: string, passwordKnown: boolean): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const url = s.url.trim();
  if (url === "") problems.push({ field: "url", key: "sync.need.url" });
  else {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.hostname === "" || parsed.search !== "" || parsed.hash !== "")
      problems.push({ field: "url", key: "sync.bad.url" });
  }
  if (s.org.trim() === "") problems.push({ field: "org", key: "sync.need.org" });
  else if (!ORG_CODE.test(s.org.trim())) problems.push({ field: "org", key: "sync.bad.org" });
  const user = s.user.trim();
  if (user === "") problems.push({ field: "user", key: "sync.need.user" });
  else if (/\s/.test(user) || [...user].length > 64) problems.push({ field: "user", key: "sync.bad.user" });
  if (password === "" && !passwordKnown) problems.push({ field: "password", key: "sync.need.password" });
  return problems;
}

/** The key under which the shell keeps this session's password (`url#org#user`). */
export function sessionKey(s: HubSettings): string {
  return `${s.url.trim().replace(/\/+$/, "")}#${s.org.trim()}#${s.user.trim()}`;
}

/** Settings from anything stored (an older version, a hand edit): strings or empty. */
export function settingsFrom(raw: unknown): HubSettings {
  const o = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const str = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : "");
  return { url: str("url"), org: str("org"), user: str("user"), caFile: str("caFile") };
}

type Entry = { path: string; settings: unknown };

function entries(store: unknown): Entry[] {
  if (!Array.isArray(store)) return [];
  return store.filter(
    (e): e is Entry => typeof e === "object" && e !== null && typeof (e as Record<string, unknown>)["path"] === "string",
  );
}

export function settingsFor(store: unknown, path: string): HubSettings {
  return settingsFrom(entries(store).find((e) => e.path === path)?.settings);
}

/** The store with `path`'s settings first (trimmed, password never), at most REMEMBERED_FILES files. */
export function withSettings(store: unknown, path: string, s: HubSettings): { path: string; settings: HubSettings }[] {
  const clean = settingsFrom({ url: s.url.trim(), org: s.org.trim(), user: s.user.trim(), caFile: s.caFile.trim() });
  const others = entries(store)
    .filter((e) => e.path !== path)
    .map((e) => ({ path: e.path, settings: settingsFrom(e.settings) }));
  return [{ path, settings: clean }, ...others].slice(0, REMEMBERED_FILES);
}

// ---------------------------------------------------------------- conflicts

const WKT = /^\s*([A-Z]+)(?:\s+(?:Z|M|ZM))?\s*(\(.*\)|EMPTY)\s*$/is;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;
/** Fields that name a feature, in the order tried. */
const NAMING = ["pole_no", "asset_no", "order_no", "road_code", "name_th", "name"];

export function isWkt(text: string | null): boolean {
  return text !== null && WKT.test(text);
}

/** The vertices of a WKT geometry, in order. */
export function wktCoords(text: string): [number, number][] {
  const m = WKT.exec(text);
  if (!m) return [];
  return (m[2] ?? "")
    .replace(/[()]/g, "")
    .split(",")
    .map((v) => v.trim().split(/\s+/).map(Number))
    .filter((v) => v.length >= 2 && v.every(Number.isFinite))
    .map((v) => [v[0] as number, v[1] as number]);
}

/**
 * How far apart two positions are, in the layer's units (metres in the
 * municipality's UTM zone): for points the distance, for lines with the same
 * vertices the largest move of one vertex; null when not comparable (other
 * vertex counts, or degrees).
 */
export function positionDifference(a: string, b: string): number | null {
  const p = wktCoords(a);
  const q = wktCoords(b);
  if (p.length === 0 || p.length !== q.length) return null;
  if ([...p, ...q].every(([x, y]) => Math.abs(x) <= 180 && Math.abs(y) <= 90)) return null;
  let most = 0;
  for (let i = 0; i < p.length; i++) {
    const [x1, y1] = p[i] as [number, number];
    const [x2, y2] = q[i] as [number, number];
    most = Math.max(most, Math.hypot(x1 - x2, y1 - y2));
  }
  return most;
}

/** `ตำแหน่งต่างกัน 3.2 ม.` / `position differs by 3.2 m`, or `` when not comparable. */
export function positionNote(a: string | null, b: string | null, lang: Lang): string {
  if (a === null || b === null || !isWkt(a) || !isWkt(b)) return "";
  const d = positionDifference(a, b);
  if (d === null) return "";
  const m = d < 10 ? d.toFixed(1) : formatNumber(Math.round(d), lang);
  return t(lang, "sync.positionDiffers", { m });
}

/** One value of a conflict as people read it: labels for codes, พ.ศ. dates, geometries in short. */
export function conflictValue(model: DataModel | null, layer: string, field: string, value: string | null, lang: Lang): string {
  if (value === null || value === "") return t(lang, "sync.empty");
  if (isWkt(value)) return shortWkt(value, lang);
  const spec = fieldSpecs(model, layer).find((s) => s.name === field);
  if (spec?.kind === "date" || spec?.kind === "datetime" || (spec === undefined && ISO_DATE.test(value)))
    return formatIsoDate(value, lang);
  return valueLabel(spec, value, lang);
}

/** The conflict's field title from the data model; the geometry column by its own word. */
export function conflictField(model: DataModel | null, c: Pick<Conflict, "layer" | "field" | "mine" | "theirs">, lang: Lang): string {
  if (c.field === null) return t(lang, "sync.wholeFeature");
  const label = fieldLabel(model, c.layer, c.field, lang);
  if (label === c.field && (isWkt(c.mine.value) || isWkt(c.theirs.value))) return t(lang, "geometryField");
  return label;
}

/** `เสาไฟฟ้าส่องสว่าง นส.01-0001`: the layer and the feature's number or name (from the file, else either side). */
export function conflictTitle(
  model: DataModel | null,
  c: Pick<Conflict, "layer" | "current"> & { mine: Pick<ConflictSide, "row">; theirs: Pick<ConflictSide, "row"> },
  lang: Lang,
): string {
  const layer = layerLabel(model, { name: c.layer, identifier: null }, lang).text;
  const rows = [c.current, c.mine.row, c.theirs.row];
  for (const f of NAMING) {
    for (const row of rows) {
      const v = row?.[f];
      if (v) return `${layer} ${v}`;
    }
  }
  return layer;
}

/** Who made a side and when: `สมชาย · PC-01 · 5 ต.ค. 2568 เวลา 10:20 น.`; the file's starting data said so. */
export function sideWho(side: ConflictSide, lang: Lang, timeZone?: string): string {
  if (side.time === null && side.user === "") return t(lang, "sync.startingData");
  const parts = [side.user || t(lang, "otherProgram")];
  if (side.device) parts.push(side.device);
  if (side.time) {
    const when = new Date(side.time);
    parts.push(formatBuddhistDate(when, lang, { time: true, month: "short", ...(timeZone ? { timeZone } : {}) }));
  }
  return parts.join(" · ");
}

/** What one side of a conflict holds, in words: the field's value, or for a whole feature kept / deleted. */
export function sideText(model: DataModel | null, c: Conflict, which: "mine" | "theirs", lang: Lang): string {
  const side = c[which];
  if (c.kind !== "field" && !side.deleted && c.kept_with) {
    const k = c.kept_with;
    const title = conflictTitle(model, { layer: k.layer, current: k.current, mine: { row: null }, theirs: { row: null } }, lang);
    return t(lang, "sync.sideKeptWith", { feature: title });
  }
  if (c.kind !== "field") return side.deleted ? t(lang, "sync.sideDeleted") : t(lang, "sync.sideEdited");
  return conflictValue(model, c.layer, c.field ?? "", side.value, lang);
}

/** For a whole-feature conflict: the edited side's fields in words (bookkeeping left out). */
export function rowLines(model: DataModel | null, layer: string, row: Record<string, string | null> | null, lang: Lang): string[] {
  if (!row) return [];
  const skip = new Set(["uid", "created_by", "created_at", "updated_by", "updated_at"]);
  return Object.entries(row)
    .filter(([k, v]) => !skip.has(k) && v !== null && v !== "")
    .map(([k, v]) => {
      const label = isWkt(v) ? t(lang, "geometryField") : fieldLabel(model, layer, k, lang);
      return `${label}: ${conflictValue(model, layer, k, v, lang)}`;
    });
}

/** Which side the file holds now: `mine`, `theirs`, or null when neither (a value typed since). */
export function holdsNow(c: Conflict): "mine" | "theirs" | null {
  if (c.kind !== "field") {
    const exists = c.current !== null;
    if (c.mine.deleted !== c.theirs.deleted) return exists === !c.mine.deleted ? "mine" : "theirs";
    return c.holds;
  }
  const now = c.current ? (c.current[c.field ?? ""] ?? null) : null;
  if (now === c.mine.value) return "mine";
  if (now === c.theirs.value) return "theirs";
  return null;
}
