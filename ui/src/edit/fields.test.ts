import { describe, expect, it } from "vitest";

import {
  automaticFields,
  changedValues,
  childLayers,
  copyableValues,
  editable,
  fieldHint,
  fieldSpecs,
  formInput,
  fromInput,
  insertValues,
  toInput,
  valueLabel,
} from "./fields";
import { MODEL } from "./fixture";

const poles = fieldSpecs(MODEL, "poles");
const spec = (layer: string, name: string) => {
  const found = fieldSpecs(MODEL, layer).find((s) => s.name === name);
  if (!found) throw new Error(`no field ${layer}.${name}`);
  return found;
};

describe("forms from the data model", () => {
  it("give a pick list to every field with a domain, with Thai and English labels", () => {
    const type = spec("poles", "pole_type");
    expect(type.kind).toBe("select");
    expect(type.options.map((o) => o.code)).toEqual(["single_arm", "double_arm"]);
    expect(type.options[0]).toMatchObject({ th: "กิ่งเดี่ยว", en: "Single arm" });
    expect(spec("poles", "height_m").kind).toBe("real");
    expect(spec("poles", "install_date").kind).toBe("date");
  });

  it("keep rules: required, unique, range and format", () => {
    expect(spec("poles", "pole_no")).toMatchObject({ required: true, unique: true });
    expect(spec("poles", "height_m")).toMatchObject({ min: 1, max: 60 });
    expect(spec("poles", "road_code").format).toBe("road_code");
  });

  it("mark what the core fills in from the geometry as automatic", () => {
    expect(automaticFields("POINT")).toEqual(["village_no", "elevation_m"]);
    expect(automaticFields("LINESTRING")).toEqual(["village_no", "length_m"]);
    expect(automaticFields(null)).toEqual([]);
    expect(poles.filter((s) => s.automatic).map((s) => s.name)).toEqual(["village_no", "elevation_m"]);
    expect(spec("roads", "length_m").automatic).toBe(true);
    expect(editable(spec("poles", "village_no"))).toBe(false);
  });

  it("hide a lamp's link to its pole and know lamps are a pole's children", () => {
    expect(spec("lamps", "pole_uid").link).toBe(true);
    expect(editable(spec("lamps", "pole_uid"))).toBe(false);
    expect(childLayers("poles")).toEqual(["lamps"]);
    expect(childLayers("roads")).toEqual([]);
  });

  it("word the rules under each field", () => {
    expect(fieldHint(spec("poles", "pole_no"), "th")).toBe("ต้องกรอก · ห้ามซ้ำกับรายการอื่น");
    expect(fieldHint(spec("poles", "height_m"), "en")).toBe("between 1 and 60");
    expect(fieldHint(spec("poles", "road_code"), "th")).toContain("นภ.ถ 1-0012");
    expect(fieldHint(spec("poles", "village_no"), "en")).toMatch(/^filled in by the app/);
  });
});

describe("form values", () => {
  it("show dates in the Buddhist era and send them as ISO dates", () => {
    const date = spec("poles", "install_date");
    expect(toInput(date, "2025-10-01")).toBe("1/10/2568");
    expect(fromInput(date, " 1/10/2568 ")).toBe("2025-10-01");
    expect(fromInput(date, "31/2/2568")).toBe("31/2/2568");
    expect(toInput(date, null)).toBe("");
  });

  it("send only the fields that changed, an emptied field as empty", () => {
    const stored = { pole_no: "A-1", pole_type: "single_arm", height_m: "9.5", status: "normal", village_no: "3", install_date: "2025-10-01" };
    const input = formInput(poles, stored);
    expect(input["install_date"]).toBe("1/10/2568");
    expect(changedValues(poles, stored, input)).toEqual({});
    input["status"] = "damaged";
    input["height_m"] = "";
    input["village_no"] = "7";
    expect(changedValues(poles, stored, input)).toEqual({ status: "damaged", height_m: "" });
  });

  it("send every filled editable field of a new feature, none of the automatic ones", () => {
    const input = formInput(poles, {});
    Object.assign(input, { pole_no: "E2E-0001", pole_type: "single_arm", status: "normal", elevation_m: "200" });
    expect(insertValues(poles, input)).toEqual({ pole_no: "E2E-0001", pole_type: "single_arm", status: "normal" });
  });

  it("copy attributes but not unique keys, automatic values or links", () => {
    const stored = { pole_no: "A-1", pole_type: "double_arm", height_m: null, status: "damaged", village_no: "3" };
    expect(copyableValues(poles, stored)).toEqual({
      pole_type: "double_arm",
      height_m: "",
      road_code: "",
      install_date: "",
      status: "damaged",
    });
  });

  it("name coded values by their labels", () => {
    expect(valueLabel(spec("poles", "status"), "damaged", "th")).toBe("ชำรุด");
    expect(valueLabel(spec("poles", "status"), "damaged", "en")).toBe("Damaged");
    expect(valueLabel(spec("poles", "status"), "lost", "en")).toBe("lost");
    expect(valueLabel(undefined, "9.5", "th")).toBe("9.5");
  });
});
