import { describe, expect, it } from "vitest";

import type { Identified } from "../api";
import { bulkEdit, draftEdit, newChild, newDraft, storedDraft } from "./draft";
import { MODEL } from "./fixture";

const lamp = (fid: number, uid: string, lampType: string): Identified => ({
  layer: "lamps",
  th: "โคม/หลอด",
  en: "Lamps",
  fid,
  fields: [
    { name: "uid", th: "uid", en: "uid", value: uid, value_th: null, value_en: null },
    { name: "pole_uid", th: "เสา", en: "Pole", value: "P", value_th: null, value_en: null },
    { name: "lamp_type", th: "ชนิดหลอด", en: "Lamp type", value: lampType, value_th: null, value_en: null },
    { name: "watts", th: "วัตต์", en: "W", value: "40", value_th: null, value_en: null },
  ],
  children: [],
});

describe("a new pole and its lamp", () => {
  it("is one edit: the pole with the uid the UI chose, the lamp pointing to it", () => {
    const draft = newDraft(MODEL, "poles", { type: "Point", coordinates: [11365720, 1916169] });
    Object.assign(draft.input, { pole_no: "E2E-0001", pole_type: "single_arm", status: "normal" });
    const child = newChild(MODEL, "lamps");
    child.input["lamp_type"] = "led";
    child.input["watts"] = "60";
    draft.children.push(child);
    const { edit, uid } = draftEdit(MODEL, draft, "P-1");
    expect(uid).toBe("P-1");
    expect(edit).toEqual({
      label: "add:poles",
      changes: [
        {
          op: "insert",
          layer: "poles",
          uid: "P-1",
          values: { pole_no: "E2E-0001", pole_type: "single_arm", status: "normal" },
          geometry: { type: "Point", coordinates: [11365720, 1916169] },
        },
        { op: "insert", layer: "lamps", values: { lamp_type: "led", watts: "60", pole_uid: "P-1" } },
      ],
    });
  });

  it("drops a lamp added and removed again before saving", () => {
    const draft = newDraft(MODEL, "poles", { type: "Point", coordinates: [0, 0] });
    draft.children.push({ ...newChild(MODEL, "lamps"), removed: true });
    expect(draftEdit(MODEL, draft, "P").edit.changes).toHaveLength(1);
  });
});

describe("a stored pole's form", () => {
  const stored = () =>
    storedDraft(
      MODEL,
      { layer: "poles", fid: 7, uid: "P", values: { uid: "P", pole_no: "A-1", pole_type: "single_arm", status: "normal", village_no: "3" } },
      [lamp(1, "L1", "led"), lamp(2, "L2", "led")],
    );

  it("holds the stored values and its lamps", () => {
    const draft = stored();
    expect(draft.input["status"]).toBe("normal");
    expect(draft.children.map((c) => c.uid)).toEqual(["L1", "L2"]);
    expect(draft.children[0]?.input["watts"]).toBe("40");
  });

  it("saves nothing when nothing changed", () => {
    expect(draftEdit(MODEL, stored()).edit.changes).toEqual([]);
  });

  it("saves the changed fields, a changed lamp, a removed lamp and a new one as one edit", () => {
    const draft = stored();
    draft.input["status"] = "damaged";
    draft.children[0]!.input["watts"] = "100";
    draft.children[1]!.removed = true;
    const extra = newChild(MODEL, "lamps");
    extra.input["lamp_type"] = "led";
    draft.children.push(extra);
    const { edit, uid } = draftEdit(MODEL, draft);
    expect(uid).toBe("P");
    expect(edit).toEqual({
      label: "edit:poles",
      changes: [
        { op: "update", layer: "poles", uid: "P", values: { status: "damaged" } },
        { op: "update", layer: "lamps", uid: "L1", values: { watts: "100" } },
        { op: "delete", layer: "lamps", uid: "L2" },
        { op: "insert", layer: "lamps", values: { lamp_type: "led", pole_uid: "P" } },
      ],
    });
  });
});

describe("a bulk edit", () => {
  it("sets the filled fields on every selected feature and never a unique key", () => {
    const refs = [
      { layer: "poles", uid: "a", fid: 1 },
      { layer: "poles", uid: "b", fid: 2 },
    ];
    const edit = bulkEdit(MODEL, { layer: "poles", refs, input: { status: "damaged", height_m: "", pole_no: "X", install_date: "1/10/2568" } });
    expect(edit.label).toBe("edit:poles");
    expect(edit.changes).toEqual([
      { op: "update", layer: "poles", uid: "a", values: { status: "damaged", install_date: "2025-10-01" } },
      { op: "update", layer: "poles", uid: "b", values: { status: "damaged", install_date: "2025-10-01" } },
    ]);
  });
});
