import { describe, expect, it } from "vitest";

import type { Identified } from "../api";
import { profileTitle } from "./profilepanel";

const field = (name: string, value: string | null) => ({ name, th: name, en: name, value, value_th: null, value_en: null });

describe("the profile's title", () => {
  it("names a road by its layer, code and name in each language", () => {
    const road: Identified = {
      layer: "roads",
      th: "ทางหลวงท้องถิ่น",
      en: "Local roads",
      fid: 3,
      fields: [field("uid", "u"), field("road_code", "นภ.ถ 1-0003"), field("name_th", "ถนนเทศบาล 1"), field("name_en", null)],
      children: [],
    };
    expect(profileTitle(road)).toEqual({
      th: "ทางหลวงท้องถิ่น นภ.ถ 1-0003 ถนนเทศบาล 1",
      en: "Local roads นภ.ถ 1-0003 ถนนเทศบาล 1",
    });
  });

  it("names a line without code or name by its layer", () => {
    const drain: Identified = { layer: "drains", th: "รางระบายน้ำ/ท่อ", en: "Drains", fid: 9, fields: [field("road_code", "")], children: [] };
    expect(profileTitle(drain)).toEqual({ th: "รางระบายน้ำ/ท่อ", en: "Drains" });
  });
});
