import { describe, expect, it } from "vitest";

import { layoutBars } from "./bars";
import { cellText } from "./reports";

describe("report charts and cells", () => {
  const size = { width: 400, height: 200, left: 40, bottom: 20, top: 10 };

  it("lays out grouped bars from the baseline, tallest at the top", () => {
    const l = layoutBars({ labels: ["หมู่ 1", "หมู่ 2"], series: [{ name: "a", values: [10, 5] }, { name: "b", values: [0, 20] }] }, size);
    expect(l.bars).toHaveLength(4);
    expect(l.baseline).toBe(180);
    const tallest = l.bars.find((b) => b.value === 20);
    expect(tallest?.y).toBeCloseTo(10);
    expect(l.bars[0]?.height).toBeCloseTo(85);
    expect(l.groups.map((g) => g.x)).toEqual([130, 310]);
    expect(l.ticks[0]?.value).toBe(0);
  });

  it("draws nothing odd for an empty chart", () => {
    const l = layoutBars({ labels: [], series: [] }, size);
    expect(l.bars).toEqual([]);
    expect(Number.isFinite(l.baseline)).toBe(true);
  });

  it("shows cells as the column says", () => {
    const col = (kind: "money" | "date" | "percent" | "text" | "integer") => ({ key: "k", th: "", en: "", kind, decimals: 2 });
    expect(cellText(1234.5, col("money"), "en")).toBe("1,234.50");
    expect(cellText("2026-01-02", col("date"), "th")).toBe("2 ม.ค. 2569");
    expect(cellText(0.125, col("percent"), "en")).toBe("12.50 %");
    expect(cellText(null, col("integer"), "en")).toBe("");
  });
});
