import { describe, expect, it } from "vitest";

import type { HistoryEntry } from "../api";
import { MODEL } from "./fixture";
import { changeLines, changeText, journalFilter, JOURNAL_LIMIT, opLabel, shortWkt, whoLabel } from "./historyformat";

const entry = (fields: HistoryEntry["fields"], kind: HistoryEntry["kind"] = "update"): HistoryEntry => ({
  seq: 12,
  op_id: "o",
  edit_id: "e",
  time: "2025-10-01T02:00:00Z",
  user: "สมชาย",
  device: "pc-1",
  origin: "app",
  layer: "poles",
  uid: "P",
  kind,
  fields,
});

describe("geometries in the journal", () => {
  it("show a point with its coordinates and other shapes by their vertices", () => {
    expect(shortWkt("POINT (712345.12 1812345.5)", "th")).toBe("จุด (712345.12 1812345.5)");
    expect(shortWkt("LINESTRING (1 2, 3 4, 5 6)", "th")).toBe("เส้น 3 จุดยอด");
    expect(shortWkt("LINESTRING Z (1 2 3, 3 4 5)", "en")).toBe("Line 2 vertices");
    expect(shortWkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)))", "en")).toBe("Multi-polygon 4 vertices");
    expect(shortWkt("นภ.ถ 1-0012", "th")).toBe("นภ.ถ 1-0012");
  });
});

describe("a journal entry in words", () => {
  it("lists changed fields with domain labels and พ.ศ. dates, not the bookkeeping", () => {
    const e = entry([
      { field: "status", th: "สถานะ", en: "Status", old: "normal", new: "damaged" },
      { field: "install_date", th: "วันที่ติดตั้ง", en: "Installed on", old: null, new: "2025-10-01" },
      { field: "updated_at", th: "แก้ไขเมื่อ", en: "Updated at", old: "2025-01-01T00:00:00Z", new: "2025-10-01T02:00:00Z" },
      { field: "geom", th: "geom", en: "geom", old: "POINT (1 2)", new: "POINT (3 4)" },
    ]);
    const th = changeLines(e, MODEL, "th").map((l) => changeText(l, "th"));
    expect(th).toEqual(["สถานะ: ใช้งานปกติ → ชำรุด", "วันที่ติดตั้ง: 1 ตุลาคม 2568", "ตำแหน่ง/รูปร่าง: จุด (1 2) → จุด (3 4)"]);
    const en = changeLines(e, MODEL, "en").map((l) => changeText(l, "en"));
    expect(en[0]).toBe("Status: In service → Damaged");
  });

  it("says what a deleted value was", () => {
    const e = entry([{ field: "pole_no", th: "หมายเลขเสา", en: "Pole number", old: "A-1", new: null }], "delete");
    expect(changeLines(e, MODEL, "en").map((l) => changeText(l, "en"))).toEqual(["Pole number: A-1 → –"]);
    expect(opLabel("delete", "th")).toBe("ลบ");
  });

  it("names other programs' edits, which carry no user", () => {
    expect(whoLabel({ user: "สมชาย" }, "th")).toBe("สมชาย");
    expect(whoLabel({ user: "" }, "en")).toMatch(/QGIS/);
  });
});

describe("journal filters", () => {
  it("read Buddhist-era dates as whole days in the computer's time zone", () => {
    const { filter, bad } = journalFilter({ user: " สมชาย ", layer: "poles", since: "1/10/2568", until: "2/10/2568" });
    expect(bad).toBeNull();
    expect(filter.user).toBe("สมชาย");
    expect(filter.layer).toBe("poles");
    expect(filter.limit).toBe(JOURNAL_LIMIT);
    expect(filter.since).toBe(new Date(2025, 9, 1).getTime());
    expect(filter.until).toBe(new Date(2025, 9, 3).getTime() - 1);
  });

  it("leave empty filters out and name a date that is no date", () => {
    expect(journalFilter({ user: "", layer: "", since: "", until: "" }).filter).toEqual({ limit: JOURNAL_LIMIT });
    expect(journalFilter({ user: "", layer: "", since: "", until: "32/1/2568" }).bad).toBe("until");
  });
});
