// The changes one user action sends as one edit (one undo step): a pole
// with its lamps, a form saved with its children, a split, a merge, copied
// attributes, a bulk edit, moves and deletes. Pure functions, tested in
// changes.test.ts.

import type { ChangeIn, GeometryIn, InputValue } from "../api";
import { PARENT_LINKS } from "./fields";

/** What the user did, for the undo and redo buttons (worded by `undoLabel`). */
export type Verb = "add" | "edit" | "move" | "reshape" | "split" | "merge" | "copy" | "delete";

/** An edit's label: `verb:layer`, worded in the language shown when it is shown. */
export function editLabel(verb: Verb, layer: string): string {
  return `${verb}:${layer}`;
}

export interface FeatureRef {
  layer: string;
  uid: string;
}

type Values = Record<string, InputValue>;

/** A fresh uid for a feature the UI names before it exists (a pole its lamps point to). */
export function newUid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID needs a secure context; getRandomValues does not.
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A child row in a form: new (uid null), changed, or removed. */
export interface ChildEdit {
  layer: string;
  uid: string | null;
  values: Values;
  removed: boolean;
}

function childChanges(parentUid: string, children: ChildEdit[]): ChangeIn[] {
  const out: ChangeIn[] = [];
  for (const c of children) {
    if (c.uid === null) {
      if (c.removed) continue;
      const link = PARENT_LINKS[c.layer]?.field;
      out.push({ op: "insert", layer: c.layer, values: link ? { ...c.values, [link]: parentUid } : c.values });
    } else if (c.removed) {
      out.push({ op: "delete", layer: c.layer, uid: c.uid });
    } else if (Object.keys(c.values).length > 0) {
      out.push({ op: "update", layer: c.layer, uid: c.uid, values: c.values });
    }
  }
  return out;
}

/** A new feature and its children (a pole and its lamps), the children pointing to its uid. */
export function addChanges(
  layer: string,
  uid: string,
  values: Values,
  geometry: GeometryIn | null,
  children: ChildEdit[],
): ChangeIn[] {
  const insert: ChangeIn = geometry ? { op: "insert", layer, uid, values, geometry } : { op: "insert", layer, uid, values };
  return [insert, ...childChanges(uid, children)];
}

/** A feature's form saved: its changed values and its children's changes; nothing when nothing changed. */
export function saveChanges(layer: string, uid: string, values: Values, children: ChildEdit[]): ChangeIn[] {
  const own: ChangeIn[] = Object.keys(values).length > 0 ? [{ op: "update", layer, uid, values }] : [];
  return [...own, ...childChanges(uid, children)];
}

/** The same values set on every feature (copied attributes, a bulk edit); nothing without values. */
export function updateAll(refs: FeatureRef[], values: Values): ChangeIn[] {
  if (Object.keys(values).length === 0) return [];
  return refs.map((r) => ({ op: "update", layer: r.layer, uid: r.uid, values: { ...values } }));
}

/** New geometries for moved or reshaped features. */
export function geometryChanges(moved: { ref: FeatureRef; geometry: GeometryIn }[]): ChangeIn[] {
  return moved.map(({ ref, geometry }) => ({ op: "update", layer: ref.layer, uid: ref.uid, values: {}, geometry }));
}

/** Features deleted (the core takes a pole's lamps and photos with it). */
export function deleteChanges(refs: FeatureRef[]): ChangeIn[] {
  return refs.map((r) => ({ op: "delete", layer: r.layer, uid: r.uid }));
}

/** The values a bulk edit sets: only the fields filled in (an empty field leaves each feature's own value). */
export function bulkValues(input: Record<string, InputValue>): Values {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && String(v).trim() !== ""));
}
