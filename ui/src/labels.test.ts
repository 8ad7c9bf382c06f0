import { describe, expect, it } from "vitest";

import type { DataModel } from "./api";
import { countLabel, errorHeadline, fieldLabel, geometryLabel, kindLabel, layerLabel, undoLabel } from "./labels";

const model: DataModel = {
  version: 1,
  layers: [
    {
      name: "poles",
      th: "เสาไฟฟ้า",
      en: "Poles",
      geometry: "POINT",
      fields: [
        { name: "pole_no", th: "เลขเสา", en: "Pole number", type: "text", required: true, domain: null, unique: true, min: null, max: null, format: null },
        { name: "height_m", th: "ความสูง (ม.)", en: "Height (m)", type: "real", required: false, domain: null, unique: false, min: 1, max: 60, format: null },
      ],
    },
  ],
  coverages: { terrain: { th: "ความสูงภูมิประเทศ", en: "Terrain elevation", uom: "m" } },
  domains: {},
};

describe("layer labels", () => {
  it("come from the data model in the chosen language", () => {
    expect(layerLabel(model, { name: "poles", identifier: "poles" }, "th")).toEqual({ text: "เสาไฟฟ้า", known: true });
    expect(layerLabel(model, { name: "poles", identifier: null }, "en")).toEqual({ text: "Poles", known: true });
  });

  it("cover raster coverages such as the terrain", () => {
    expect(layerLabel(model, { name: "terrain", identifier: null }, "th").text).toBe("ความสูงภูมิประเทศ");
    expect(layerLabel(model, { name: "terrain", identifier: null }, "en").text).toBe("Terrain elevation");
  });

  it("fall back to the identifier, then the table name, for unknown layers", () => {
    expect(layerLabel(model, { name: "trees", identifier: "Street trees" }, "th")).toEqual({
      text: "Street trees",
      known: false,
    });
    expect(layerLabel(model, { name: "trees", identifier: "  " }, "en")).toEqual({ text: "trees", known: false });
    expect(layerLabel(model, { name: "trees", identifier: null }, "en")).toEqual({ text: "trees", known: false });
  });

  it("fall back when the data model is not loaded", () => {
    expect(layerLabel(null, { name: "poles", identifier: null }, "th")).toEqual({ text: "poles", known: false });
  });

  it("does not take inherited properties for coverages", () => {
    expect(layerLabel(model, { name: "constructor", identifier: null }, "th")).toEqual({
      text: "constructor",
      known: false,
    });
  });
});

describe("field labels", () => {
  it("come from the data model, else the column name", () => {
    expect(fieldLabel(model, "poles", "pole_no", "th")).toBe("เลขเสา");
    expect(fieldLabel(model, "poles", "height_m", "en")).toBe("Height (m)");
    expect(fieldLabel(model, "poles", "colour", "en")).toBe("colour");
    expect(fieldLabel(model, "trees", "species", "th")).toBe("species");
    expect(fieldLabel(null, "poles", "pole_no", "th")).toBe("pole_no");
  });
});

describe("kinds, geometry types and counts", () => {
  it("name the layer kinds, keeping unknown ones as they are", () => {
    expect(kindLabel("features", "th")).toBe("ข้อมูลเชิงพื้นที่");
    expect(kindLabel("coverage", "en")).toBe("Gridded coverage");
    expect(kindLabel("2d-gridded-coverage-x", "th")).toBe("2d-gridded-coverage-x");
  });

  it("name geometry types, with Z and M", () => {
    expect(geometryLabel("POINT", "XY", "th")).toBe("จุด");
    expect(geometryLabel("LINESTRING", "XYZ", "en")).toBe("Line XYZ");
    expect(geometryLabel("multipolygon", "XY", "th")).toBe("รูปปิดหลายส่วน");
    expect(geometryLabel("CIRCULARSTRING", null, "en")).toBe("CIRCULARSTRING");
    expect(geometryLabel(null, null, "th")).toBe("–");
  });

  it("count in Thai units with grouped digits", () => {
    expect(countLabel(2999, "features", "th")).toBe("2,999 รายการ");
    expect(countLabel(3339, "rows", "en")).toBe("3,339 rows");
    expect(countLabel(78, "tiles", "th")).toBe("78 ไทล์");
    expect(countLabel(5, "things", "en")).toBe("5 things");
  });
});

describe("errors", () => {
  it("are worded by code in both languages", () => {
    const e = { code: "not_found", message: "/x.gpkg: file not found", path: "/x.gpkg" };
    expect(errorHeadline(e, "th")).toBe("ไม่พบไฟล์นี้");
    expect(errorHeadline(e, "en")).toBe("This file does not exist");
  });

  it("fall back to the general headline for codes the UI does not know", () => {
    const e = { code: "cosmic_ray", message: "", path: null };
    expect(errorHeadline(e, "th")).toBe("เปิดไฟล์ไม่ได้");
    expect(errorHeadline(e, "en")).toBe("The file could not be opened");
  });
});

describe("undo and redo labels", () => {
  it("word the UI's edits by verb and layer", () => {
    expect(undoLabel("add:poles", model, "th")).toBe("เพิ่มเสาไฟฟ้า");
    expect(undoLabel("edit:poles", model, "en")).toBe("edit Poles");
  });

  it("translate the core's own Thai labels", () => {
    expect(undoLabel("แนบรูป IMG_1.jpg", model, "en")).toBe("attach photo IMG_1.jpg");
    expect(undoLabel("ลบรูป", model, "en")).toBe("remove photo");
    expect(undoLabel("คืนค่าฉบับก่อนหน้า", model, "en")).toBe("restore an earlier version");
    expect(undoLabel("something else", model, "th")).toBe("something else");
  });
});
