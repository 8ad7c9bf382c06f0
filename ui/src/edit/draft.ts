// What the edit panel holds: the form of one feature (new or stored) with
// its children (a pole's lamps), or a bulk edit of a selection, and the one
// edit each becomes when saved. Pure functions, tested in draft.test.ts.

import type { DataModel, EditIn, FeatureValues, GeometryIn, Identified } from "../api";
import { addChanges, bulkValues, editLabel, newUid, saveChanges, updateAll, type ChildEdit } from "./changes";
import { changedValues, childLayers, editable, fieldSpecs, formInput, fromInput, insertValues } from "./fields";
import type { Ref } from "./workingsource";

export interface ChildDraft {
  layer: string;
  /** Null for a child added in this form. */
  uid: string | null;
  stored: Record<string, string | null>;
  input: Record<string, string>;
  removed: boolean;
}

export interface Draft {
  layer: string;
  /** Null until the feature is saved. */
  uid: string | null;
  fid: number | null;
  /** The geometry of a feature not saved yet (a stored one's is on the map). */
  geometry: GeometryIn | null;
  stored: Record<string, string | null>;
  input: Record<string, string>;
  children: ChildDraft[];
}

/** Several features of one layer given the same values. */
export interface Bulk {
  layer: string;
  refs: Ref[];
  input: Record<string, string>;
}

export function newDraft(model: DataModel | null, layer: string, geometry: GeometryIn): Draft {
  return { layer, uid: null, fid: null, geometry, stored: {}, input: formInput(fieldSpecs(model, layer), {}), children: [] };
}

export function newChild(model: DataModel | null, layer: string): ChildDraft {
  return { layer, uid: null, stored: {}, input: formInput(fieldSpecs(model, layer), {}), removed: false };
}

/** A child row as identify gives it (a lamp of a pole). */
function storedChild(model: DataModel | null, child: Identified): ChildDraft {
  const stored = Object.fromEntries(child.fields.map((f) => [f.name, f.value]));
  return { layer: child.layer, uid: stored["uid"] ?? null, stored, input: formInput(fieldSpecs(model, child.layer), stored), removed: false };
}

/** The form of a stored feature and its children (those of a layer the model makes its children). */
export function storedDraft(model: DataModel | null, feature: FeatureValues, children: Identified[]): Draft {
  const kinds = childLayers(feature.layer);
  return {
    layer: feature.layer,
    uid: feature.uid,
    fid: feature.fid,
    geometry: null,
    stored: feature.values,
    input: formInput(fieldSpecs(model, feature.layer), feature.values),
    children: children.filter((c) => kinds.includes(c.layer)).map((c) => storedChild(model, c)),
  };
}

function childEdits(model: DataModel | null, children: ChildDraft[]): ChildEdit[] {
  return children.map((c) => {
    const specs = fieldSpecs(model, c.layer);
    return {
      layer: c.layer,
      uid: c.uid,
      values: c.uid === null ? insertValues(specs, c.input) : changedValues(specs, c.stored, c.input),
      removed: c.removed,
    };
  });
}

/**
 * The one edit a saved form makes, and the uid of its feature: a new
 * feature gets `uid` (its new children point to it); a stored one sends
 * only what changed. No changes when nothing changed.
 */
export function draftEdit(model: DataModel | null, draft: Draft, uid: string = newUid()): { edit: EditIn; uid: string } {
  const specs = fieldSpecs(model, draft.layer);
  const children = childEdits(model, draft.children);
  if (draft.uid === null) {
    const changes = addChanges(draft.layer, uid, insertValues(specs, draft.input), draft.geometry, children);
    return { edit: { label: editLabel("add", draft.layer), changes }, uid };
  }
  const changes = saveChanges(draft.layer, draft.uid, changedValues(specs, draft.stored, draft.input), children);
  return { edit: { label: editLabel("edit", draft.layer), changes }, uid: draft.uid };
}

/** The one edit of a bulk form: the fields filled in, set on every feature of the selection. */
export function bulkEdit(model: DataModel | null, bulk: Bulk): EditIn {
  const specs = fieldSpecs(model, bulk.layer);
  const typed = Object.fromEntries(
    specs.filter((s) => editable(s) && !s.unique && bulk.input[s.name] !== undefined).map((s) => [s.name, fromInput(s, bulk.input[s.name] ?? "")]),
  );
  return { label: editLabel("edit", bulk.layer), changes: updateAll(bulk.refs, bulkValues(typed)) };
}
