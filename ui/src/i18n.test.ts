import { describe, expect, it } from "vitest";

import { toIpcError } from "./api";
import { MESSAGES, otherLang, t, tMaybe } from "./i18n";

const THAI = /[\u0E00-\u0E7F]/;

describe("messages", () => {
  it("exist in both languages for every key, none empty", () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.th).sort());
    for (const lang of ["th", "en"] as const) {
      for (const [key, text] of Object.entries(MESSAGES[lang])) {
        expect(text.trim(), `${lang}.${key}`).not.toBe("");
      }
    }
  });

  it("are Thai in Thai for the words of the interface", () => {
    for (const key of ["appSubtitle", "loading", "layers", "colLabel", "errorTitle", "openDemo"] as const) {
      expect(MESSAGES.th[key]).toMatch(THAI);
      expect(MESSAGES.en[key]).not.toMatch(THAI);
    }
  });

  it("label the language button with the other language", () => {
    expect(t("th", "switchLanguage")).toBe("English");
    expect(t("en", "switchLanguage")).toBe("ไทย");
    expect(otherLang("th")).toBe("en");
    expect(otherLang("en")).toBe("th");
  });

  it("fill placeholders and leave unknown ones", () => {
    expect(t("th", "fieldsCount", { n: 14 })).toBe("14 ฟิลด์");
    expect(t("en", "zoomLevels", { min: 0 })).toBe("zoom 0–{max}");
    expect(tMaybe("en", "kind.nonsense")).toBeUndefined();
    expect(tMaybe("th", "toString")).toBeUndefined();
  });
});

describe("errors from the shell", () => {
  it("keep the shell's shape", () => {
    expect(toIpcError({ code: "corrupt", message: "bad page", path: "/a.gpkg" })).toEqual({
      code: "corrupt",
      message: "bad page",
      path: "/a.gpkg",
    });
  });

  it("turn Tauri's plain strings and exceptions into internal errors", () => {
    expect(toIpcError("command open_file not allowed")).toEqual({
      code: "internal",
      message: "command open_file not allowed",
      path: null,
    });
    expect(toIpcError(new Error("boom")).code).toBe("internal");
  });
});
