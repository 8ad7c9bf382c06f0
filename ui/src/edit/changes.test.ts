import { describe, expect, it } from "vitest";

import {
  bulkValues,
  deleteChanges,
  editLabel,
  geometryChanges,
  newUid,
  updateAll,
} from "./changes";

describe("one user action, one edit", () => {
  it("copies the same values to every target, each with its own copy", () => {
    const changes = updateAll(
      [
        { layer: "poles", uid: "a" },
        { layer: "poles", uid: "b" },
      ],
      { status: "damaged" },
    );
    expect(changes).toEqual([
      { op: "update", layer: "poles", uid: "a", values: { status: "damaged" } },
      { op: "update", layer: "poles", uid: "b", values: { status: "damaged" } },
    ]);
    expect(changes[0]).not.toBe(changes[1]);
    expect(updateAll([{ layer: "poles", uid: "a" }], {})).toEqual([]);
  });

  it("moves with geometry only, deletes by uid", () => {
    expect(geometryChanges([{ ref: { layer: "poles", uid: "a" }, geometry: { type: "Point", coordinates: [1, 2] } }])).toEqual([
      { op: "update", layer: "poles", uid: "a", values: {}, geometry: { type: "Point", coordinates: [1, 2] } },
    ]);
    expect(deleteChanges([{ layer: "poles", uid: "a" }])).toEqual([{ op: "delete", layer: "poles", uid: "a" }]);
  });

  it("bulk edits only the fields filled in", () => {
    expect(bulkValues({ status: "damaged", owner: "", height_m: "  ", pole_type: null })).toEqual({ status: "damaged" });
  });

  it("labels edits by verb and layer", () => {
    expect(editLabel("add", "poles")).toBe("add:poles");
  });

  it("makes version-4 uids", () => {
    const uid = newUid();
    expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newUid()).not.toBe(uid);
  });
});
