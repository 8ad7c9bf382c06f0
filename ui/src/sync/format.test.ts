import { describe, expect, it } from "vitest";

import { MODEL } from "../edit/fixture";
import {
  checkSettings,
  conflictField,
  conflictTitle,
  conflictValue,
  holdsNow,
  positionDifference,
  positionNote,
  progressView,
  sessionKey,
  settingsFor,
  sideText,
  sideWho,
  statusView,
  syncErrorText,
  withSettings,
  REMEMBERED_FILES,
} from "./format";
import type { Conflict, ConflictSide, SyncStatus } from "./syncapi";

const STATUS: SyncStatus = {
  outgoing: false,
  pending: 0,
  open_conflicts: 0,
  last_sync: "2025-10-05T03:20:00Z",
  hub: "http://hub#org",
  cursor: 10,
  running: false,
  signed_in: null,
};

describe("the status badge", () => {
  it("says when the file last synced in the Buddhist era, and that it is in sync", () => {
    const v = statusView(STATUS, "th", "Asia/Bangkok");
    expect(v.phase).toBe("insync");
    expect(v.headline).toBe("ซิงก์แล้ว ไม่มีการแก้ไขรอส่ง");
    expect(v.last).toBe("ซิงก์ล่าสุด 5 ต.ค. 2568 เวลา 10:20 น.");
    expect(v.conflicts).toBe("");
    expect(statusView(STATUS, "en", "Asia/Bangkok").last).toBe("Last sync 5 Oct 2568 BE, 10:20");
  });

  it("puts running, conflicts, never and waiting first, in that order", () => {
    expect(statusView({ ...STATUS, outgoing: true }, "th").headline).toBe("มีการแก้ไขรอส่ง");
    expect(statusView({ ...STATUS, outgoing: true }, "en").headline).toBe("Changes waiting to be sent");
    expect(statusView({ ...STATUS, outgoing: true, pending: 1234 }, "th").headline).toBe("มีการแก้ไขรอส่ง 1,234 รายการ");
    expect(statusView({ ...STATUS, outgoing: true, pending: 12 }, "en").headline).toBe("12 changes waiting to be sent");
    expect(statusView({ ...STATUS, open_conflicts: 1, outgoing: true, pending: 3 }, "en").headline).toContain(
      "3 changes waiting",
    );
    const never = statusView({ ...STATUS, outgoing: true, last_sync: null }, "en");
    expect(never.phase).toBe("never");
    expect(never.last).toBe("");
    const conflicts = statusView({ ...STATUS, open_conflicts: 2, outgoing: true }, "th");
    expect(conflicts.phase).toBe("conflicts");
    expect(conflicts.headline).toBe("มีข้อขัดแย้ง · มีการแก้ไขรอส่ง");
    expect(conflicts.conflicts).toBe("ข้อขัดแย้ง 2 รายการ");
    expect(statusView({ ...STATUS, open_conflicts: 2, running: true }, "en").phase).toBe("running");
  });

  it("shows progress in the UI's language, with the share done", () => {
    const p = progressView({ step: "sending changes / ส่งการแก้ไข", total: 15000, done: 5000 }, "th");
    expect(p.text).toBe("ส่งการแก้ไข 5,000 / 15,000");
    expect(p.fraction).toBeCloseTo(1 / 3);
    expect(progressView({ step: "sending changes / ส่งการแก้ไข", total: 0, done: 0 }, "en")).toEqual({
      text: "sending changes",
      fraction: null,
    });
    expect(progressView({ step: "x / y", total: 10, done: 12 }, "en").fraction).toBe(1);
  });

  it("words the hub's refusals clearly in both languages", () => {
    const e = (code: string) => ({ code, message: "", path: null });
    expect(syncErrorText(e("sync_credentials"), "th")).toMatch(/ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง/);
    expect(syncErrorText(e("sync_credentials"), "en")).toMatch(/Wrong user name or password/);
    expect(syncErrorText(e("sync_unreachable"), "en")).toMatch(/cannot be reached/);
    expect(syncErrorText(e("sync_forbidden"), "th")).toMatch(/ดูข้อมูลได้อย่างเดียว/);
    expect(syncErrorText(e("sync_schema_behind"), "en")).toMatch(/data model/);
    expect(syncErrorText(e("sync_expired"), "en")).toMatch(/expired/);
    const hub = { ...e("sync_hub"), problems: [{ field: "hub", th: "เต็ม", en: "full" }] };
    expect(syncErrorText(hub, "th")).toBe("เครื่องแม่ข่ายปฏิเสธ: เต็ม");
    expect(syncErrorText(hub, "en")).toBe("The hub refused: full");
  });
});

describe("the hub settings", () => {
  const good = { url: "https://hub.example.go.th:8470", org: "nonsaat", user: "somchai", caFile: "" };

  it("accept a complete entry, and an empty password once the session knows it", () => {
    expect(checkSettings(good, "secret", false)).toEqual([]);
    expect(checkSettings(good, "", true)).toEqual([]);
    expect(checkSettings(good, "", false)).toEqual([{ field: "password", key: "sync.need.password" }]);
  });

  it("name every problem by field", () => {
    const bad = checkSettings({ url: "hub.example", org: "Non Sa-At", user: "som chai", caFile: "" }, "", false);
    expect(bad.map((p) => p.key)).toEqual(["sync.bad.url", "sync.bad.org", "sync.bad.user", "sync.need.password"]);
    const empty = checkSettings({ url: "", org: "", user: " ", caFile: "" }, "x", false);
    expect(empty.map((p) => p.field)).toEqual(["url", "org", "user"]);
    expect(checkSettings({ ...good, url: "ftp://hub" }, "x", false)[0]?.key).toBe("sync.bad.url");
    expect(checkSettings({ ...good, url: "http://hub/?a=1" }, "x", false)[0]?.key).toBe("sync.bad.url");
    expect(checkSettings({ ...good, org: "-x" }, "x", false)[0]?.key).toBe("sync.bad.org");
  });

  it("are remembered per file without the password, newest first and bounded", () => {
    const withPassword = { ...good, password: "secret", url: " https://hub/ " };
    let store: unknown = withSettings([], "/a.gpkg", withPassword);
    expect(JSON.stringify(store)).not.toContain("secret");
    expect(settingsFor(store, "/a.gpkg").url).toBe("https://hub/");
    expect(settingsFor(store, "/b.gpkg")).toEqual({ url: "", org: "", user: "", caFile: "" });
    for (let i = 0; i < 30; i++) store = withSettings(store, `/f${i}.gpkg`, good);
    expect((store as unknown[]).length).toBe(REMEMBERED_FILES);
    expect(settingsFor("not json", "/a.gpkg").org).toBe("");
    expect(settingsFor([{ path: "/x", settings: { url: 5 } }], "/x").url).toBe("");
  });

  it("key the session's password as the shell does", () => {
    expect(sessionKey({ ...good, url: "http://h:1/" })).toBe("http://h:1#nonsaat#somchai");
  });
});

const side = (over: Partial<ConflictSide>): ConflictSide => ({
  value: null,
  row: null,
  deleted: false,
  user: "สมชาย",
  device: "PC-01",
  time: "2025-10-05T03:20:00.000Z",
  ...over,
});

const conflict = (over: Partial<Conflict>): Conflict => ({
  id: "c1",
  layer: "poles",
  uid: "u1",
  kind: "field",
  field: "status",
  mine: side({ value: "damaged" }),
  theirs: side({ value: "normal", user: "สมหญิง", device: "PC-02" }),
  holds: "theirs",
  current: { pole_no: "นส.01-0001", status: "normal" },
  fid: 1,
  extent: null,
  kept_with: null,
  ...over,
});

describe("a conflict's values as people read them", () => {
  it("shows coded values by their labels, dates in พ.ศ., empty as empty", () => {
    expect(conflictValue(MODEL, "poles", "status", "damaged", "th")).toBe("ชำรุด");
    expect(conflictValue(MODEL, "poles", "status", "damaged", "en")).toBe("Damaged");
    expect(conflictValue(MODEL, "poles", "install_date", "2025-10-01", "th")).toBe("1 ตุลาคม 2568");
    expect(conflictValue(MODEL, "poles", "status", null, "th")).toBe("(ว่าง)");
    expect(conflictValue(MODEL, "poles", "pole_no", "นส.01-0001", "en")).toBe("นส.01-0001");
  });

  it("shows geometries in short and how far apart two positions are", () => {
    expect(conflictValue(MODEL, "poles", "geom", "POINT (712345.12 1812345.5)", "th")).toBe("จุด (712345.12 1812345.5)");
    expect(positionDifference("POINT (0 1000)", "POINT (3 1004)")).toBe(5);
    expect(positionDifference("LINESTRING (1000 0, 1010 0)", "LINESTRING (1000 0, 1010 2)")).toBe(2);
    expect(positionDifference("LINESTRING (1000 0, 1010 0)", "LINESTRING (1000 0, 1010 0, 1020 0)")).toBeNull();
    expect(positionDifference("POINT (102.1 16.5)", "POINT (102.2 16.5)")).toBeNull();
    expect(positionNote("POINT (0 1000)", "POINT (3 1004)", "th")).toBe("ตำแหน่งต่างกัน 5.0 ม.");
    expect(positionNote("POINT (0 1000)", "POINT (300 1000)", "en")).toBe("position differs by 300 m");
    expect(positionNote("normal", "damaged", "en")).toBe("");
  });

  it("titles the feature by its number and the field from the data model", () => {
    const c = conflict({});
    expect(conflictTitle(MODEL, c, "th")).toBe("เสาไฟฟ้าส่องสว่าง นส.01-0001");
    expect(conflictField(MODEL, c, "th")).toBe("สถานะ");
    expect(conflictField(MODEL, c, "en")).toBe("Status");
    const moved = conflict({ field: "geom", mine: side({ value: "POINT (1 2)" }), theirs: side({ value: "POINT (1 3)" }) });
    expect(conflictField(MODEL, moved, "en")).toBe("Location/shape");
    const gone = conflict({ kind: "edit_deleted", field: null, current: null, mine: side({ row: { pole_no: "P-9" } }), theirs: side({ deleted: true }) });
    expect(conflictTitle(MODEL, gone, "en")).toBe("Street-light poles P-9");
    expect(conflictField(MODEL, gone, "th")).toBe("ทั้งรายการ");
    expect(sideText(MODEL, gone, "mine", "en")).toBe("Edited");
    const lamp = conflict({
      ...gone,
      layer: "lamps",
      kept_with: { layer: "poles", uid: "p1", current: { pole_no: "นส.01-0001" } },
    });
    expect(sideText(MODEL, lamp, "mine", "th")).toBe("คงไว้พร้อมเสาไฟฟ้าส่องสว่าง นส.01-0001 ที่อีกฝั่งแก้ไข");
    expect(sideText(MODEL, lamp, "theirs", "en")).toBe("Deleted");
  });

  it("says who made each side and when, and which side the data holds", () => {
    expect(sideWho(side({}), "th", "Asia/Bangkok")).toBe("สมชาย · PC-01 · 5 ต.ค. 2568 เวลา 10:20 น.");
    expect(sideWho(side({ user: "", device: "", time: null }), "en")).toBe("the file's starting data");
    expect(holdsNow(conflict({}))).toBe("theirs");
    expect(holdsNow(conflict({ current: { status: "damaged" } }))).toBe("mine");
    expect(holdsNow(conflict({ current: { status: "removed" } }))).toBeNull();
    const gone = conflict({ kind: "edit_deleted", field: null, current: null, mine: side({ row: {} }), theirs: side({ deleted: true }) });
    expect(holdsNow(gone)).toBe("theirs");
    expect(holdsNow({ ...gone, current: {} })).toBe("mine");
  });
});
