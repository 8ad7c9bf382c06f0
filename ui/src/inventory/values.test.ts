import { describe, expect, it } from "vitest";

import { ageDays, buildNewEquipment, committeeNames, fiscalYearOf, parseDate, parseNumber, scanned } from "./values";

describe("register form values", () => {
  it("read numbers with separators and Thai digits, refuse the rest", () => {
    expect(parseNumber("1,250.50")).toEqual({ ok: true, value: 1250.5 });
    expect(parseNumber("๑๒")).toEqual({ ok: true, value: 12 });
    expect(parseNumber("  ")).toEqual({ ok: true, value: undefined });
    expect(parseNumber("12 บาท").ok).toBe(false);
    expect(parseNumber("2.5", true).ok).toBe(false);
    expect(parseNumber("3", true)).toEqual({ ok: true, value: 3 });
  });

  it("read พ.ศ. dates", () => {
    expect(parseDate("15/3/2569")).toEqual({ ok: true, value: "2026-03-15" });
    expect(parseDate("")).toEqual({ ok: true, value: undefined });
    expect(parseDate("31/2/2569").ok).toBe(false);
  });

  it("build the item the shell takes, with every problem by field", () => {
    const built = buildNewEquipment(
      { name: " โต๊ะทำงาน ", category: "office", quantity: "2", unit_price: "4,500", acquired_date: "1/10/2568", location: "สำนักงานเทศบาล", unit: "" },
      "text",
      null,
    );
    expect(built).toEqual({
      ok: true,
      item: { name: "โต๊ะทำงาน", category: "office", quantity: 2, unit_price: 4500, acquired_date: "2025-10-01", location: "สำนักงานเทศบาล" },
    });
    const bad = buildNewEquipment({ name: "x", category: "office", quantity: "two", acquired_date: "soon" }, "pole", null);
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.problems).toEqual([
        { field: "quantity", kind: "number" },
        { field: "acquired_date", kind: "date" },
        { field: "pole", kind: "required" },
      ]);
    const onMap = buildNewEquipment({ name: "x", category: "office", location: "ignored" }, "map", [1, 2]);
    expect(onMap.ok && onMap.item["at"]).toEqual([1, 2]);
    expect(onMap.ok && onMap.item["location"]).toBeUndefined();
  });

  it("name fiscal years by the พ.ศ. year they end in", () => {
    expect(fiscalYearOf(new Date(2025, 9, 1))).toBe(2569);
    expect(fiscalYearOf(new Date(2025, 8, 30))).toBe(2568);
  });

  it("count ages, committee names and scanned numbers", () => {
    expect(ageDays("2026-01-01T00:00:00Z", new Date("2026-01-11T12:00:00Z"))).toBe(10);
    expect(ageDays("not a date", new Date())).toBe(0);
    expect(committeeNames("นายก\n นายข ,\n\nนางค")).toEqual(["นายก", "นายข", "นางค"]);
    expect(scanned(" 416-66-0001\r\n")).toBe("416-66-0001");
  });
});
