import { describe, expect, it } from "vitest";

import { nextSort, PageCache, pagesFor, scrollToRow, windowFor } from "./virtual";

describe("the virtual table's window", () => {
  it("draws only the rows in view plus the overscan, with the rest as padding", () => {
    const w = windowFor(3200, 400, 32, 10_000, 5);
    expect(w.first).toBe(95);
    expect(w.last).toBe(117);
    expect(w.padTop).toBe(95 * 32);
    expect(w.padBottom).toBe((10_000 - 1 - 117) * 32);
    expect(w.padTop + (w.last - w.first + 1) * 32 + w.padBottom).toBe(10_000 * 32);
  });

  it("stays inside the table at both ends and when empty", () => {
    expect(windowFor(0, 400, 32, 10_000, 5).first).toBe(0);
    const end = windowFor(10_000 * 32, 400, 32, 10_000, 5);
    expect(end.last).toBe(9_999);
    expect(end.padBottom).toBe(0);
    expect(windowFor(-50, 400, 32, 3).last).toBe(2);
    expect(windowFor(0, 400, 32, 0)).toEqual({ first: 0, last: -1, padTop: 0, padBottom: 0 });
  });

  it("asks for the pages that hold the rows in view", () => {
    expect(pagesFor(95, 117, 100)).toEqual([0, 1]);
    expect(pagesFor(0, 99, 100)).toEqual([0]);
    expect(pagesFor(5, 4, 100)).toEqual([]);
  });

  it("scrolls just enough to show a row", () => {
    expect(scrollToRow(10, 0, 320, 32)).toBe(32);
    expect(scrollToRow(3, 0, 320, 32)).toBe(0);
    expect(scrollToRow(2, 200, 320, 32)).toBe(64);
  });

  it("keeps the most recently used pages only", () => {
    const cache = new PageCache<number>(2);
    cache.set(0, [0, 1]);
    cache.set(1, [2, 3]);
    cache.get(0);
    cache.set(2, [4, 5]);
    expect(cache.get(1)).toBeUndefined();
    expect(cache.row(1, 2)).toBe(1);
    expect(cache.row(5, 2)).toBe(5);
    expect(cache.size).toBe(2);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("sorts ascending on the first click and reverses on the next", () => {
    expect(nextSort(null, "name")).toEqual({ field: "name", descending: false });
    expect(nextSort({ field: "name", descending: false }, "name")).toEqual({ field: "name", descending: true });
    expect(nextSort({ field: "name", descending: true }, "asset_no")).toEqual({ field: "asset_no", descending: false });
  });
});
