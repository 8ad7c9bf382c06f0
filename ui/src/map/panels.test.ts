import { describe, expect, it } from "vitest";
import { valueText } from "./panels";

const field = (value: string | null, value_th: string | null = null, value_en: string | null = null) => ({
  name: "x",
  th: "x",
  en: "x",
  value,
  value_th,
  value_en,
});

describe("identify values", () => {
  it("shows numbers as written, not as dates", () => {
    expect(valueText(field("9.1"), "en")).toBe("9.1");
    expect(valueText(field("12"), "th")).toBe("12");
  });

  it("shows dates in the Buddhist era and coded values by their labels", () => {
    expect(valueText(field("2018-07-21"), "en")).toContain("2561");
    expect(valueText(field("normal", "ใช้งานปกติ", "In service"), "th")).toBe("ใช้งานปกติ");
    expect(valueText(field(null), "en")).toBe("–");
  });
});
