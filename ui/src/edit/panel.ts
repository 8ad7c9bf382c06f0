// The edit panel beside the map while editing: the form of the selected or
// new feature with its lamps, photos and history; the bulk form of a
// selection; or what to do next. Refused edits are listed above the form
// and beside each field.

import type { DataModel, IpcError, Problem } from "../api";
import { h, replace, type Child } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { errorHeadline, layerLabel } from "../labels";
import type { Bulk, Draft } from "./draft";
import { fieldSpecs } from "./fields";
import { renderFields, renderProblems, renderSystemFields } from "./form";
import type { Ref } from "./workingsource";

export interface PanelView {
  lang: Lang;
  model: DataModel | null;
  draft: Draft | null;
  bulk: Bulk | null;
  selection: Ref[];
  problems: Problem[];
  error: IpcError | null;
  busy: boolean;
  /** What to do next, when nothing is selected. */
  hint: string;
  /** The photo and history sections of the stored feature shown. */
  photos: HTMLElement;
  history: HTMLElement;
}

export interface PanelActions {
  save(): void;
  cancel(): void;
  addChild(layer: string): void;
  removeChild(index: number): void;
}

/** Fields that name a feature, in the order tried: its keys, then its code or name. */
const NAMING = ["pole_no", "asset_no", "road_code", "name_th", "name"];

function layerName(model: DataModel | null, layer: string, lang: Lang): string {
  return layerLabel(model, { name: layer, identifier: null }, lang).text;
}

/** `เสาไฟฟ้าส่องสว่าง นส.01-0001`, or `เสาไฟฟ้าส่องสว่าง (ใหม่)` before it is saved. */
function draftTitle(draft: Draft, model: DataModel | null, lang: Lang): string {
  const layer = layerName(model, draft.layer, lang);
  if (draft.uid === null) return `${layer} (${t(lang, "newFeature")})`;
  const name = NAMING.map((f) => draft.stored[f]).find((v) => v !== null && v !== undefined && v !== "");
  return name ? `${layer} ${name}` : layer;
}

function errorBox(v: PanelView): HTMLElement | null {
  if (!v.error) return null;
  const detail = v.problems.length === 0 && v.error.message ? h("p", { class: "detail" }, v.error.message) : null;
  return h(
    "div",
    { class: "edit-error", role: "alert", id: "edit-error" },
    h("p", { class: "banner-title" }, errorHeadline(v.error, v.lang)),
    renderProblems(v.problems, v.lang),
    detail,
  );
}

function actionsRow(v: PanelView, actions: PanelActions, cancelKey: "cancel" | "revert"): HTMLElement {
  const save = h("button", { type: "submit", id: "edit-save", disabled: v.busy }, t(v.lang, v.busy ? "saving" : "save"));
  const cancel = h("button", { type: "button", class: "secondary", id: "edit-cancel", disabled: v.busy }, t(v.lang, cancelKey));
  cancel.addEventListener("click", () => actions.cancel());
  return h("div", { class: "form-actions" }, save, cancel);
}

function childrenSection(draft: Draft, v: PanelView, actions: PanelActions, layer: string): HTMLElement {
  const name = layerName(v.model, layer, v.lang);
  const specs = fieldSpecs(v.model, layer);
  const forms = draft.children.flatMap((c, i) => {
    if (c.layer !== layer || c.removed) return [];
    const remove = h("button", { type: "button", class: "secondary remove-child" }, t(v.lang, "removeChild", { layer: name }));
    remove.addEventListener("click", () => actions.removeChild(i));
    return [
      h(
        "fieldset",
        { class: "child-form", "data-layer": layer, "data-index": i },
        h("legend", {}, c.uid === null ? `${name} (${t(v.lang, "newFeature")})` : `${name} ${i + 1}`),
        renderFields({ specs, input: c.input, stored: c.stored, problems: v.problems, lang: v.lang, id: `${layer}-${i}` }),
        remove,
      ),
    ];
  });
  const add = h("button", { type: "button", class: "secondary", id: `add-${layer}` }, t(v.lang, "addChild", { layer: name }));
  add.addEventListener("click", () => actions.addChild(layer));
  return h("section", { class: "children", "data-layer": layer }, h("h4", {}, name), ...forms, add);
}

function draftView(draft: Draft, v: PanelView, actions: PanelActions, childLayerNames: string[]): Child[] {
  const form = h(
    "form",
    { id: "edit-form", class: "edit-form", novalidate: true, "data-layer": draft.layer },
    renderFields({ specs: fieldSpecs(v.model, draft.layer), input: draft.input, stored: draft.stored, problems: v.problems, lang: v.lang, id: "edit" }),
    ...childLayerNames.map((layer) => childrenSection(draft, v, actions, layer)),
    actionsRow(v, actions, draft.uid === null ? "cancel" : "revert"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    actions.save();
  });
  return [
    h("h3", { id: "edit-title" }, draftTitle(draft, v.model, v.lang)),
    errorBox(v),
    form,
    renderSystemFields(draft.stored, v.lang),
    draft.uid === null ? null : v.photos,
    draft.uid === null ? null : v.history,
  ];
}

function bulkView(bulk: Bulk, v: PanelView, actions: PanelActions): Child[] {
  const form = h(
    "form",
    { id: "edit-form", class: "edit-form bulk", novalidate: true, "data-layer": bulk.layer },
    renderFields({ specs: fieldSpecs(v.model, bulk.layer), input: bulk.input, stored: {}, problems: v.problems, lang: v.lang, id: "bulk", bulk: true }),
    actionsRow(v, actions, "cancel"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    actions.save();
  });
  const title = t(v.lang, "bulkTitle", { n: formatNumber(bulk.refs.length, v.lang), layer: layerName(v.model, bulk.layer, v.lang) });
  return [h("h3", { id: "edit-title" }, title), h("p", { class: "note" }, t(v.lang, "bulkNote")), errorBox(v), form];
}

function mixedView(v: PanelView): Child[] {
  const counts = new Map<string, number>();
  for (const r of v.selection) counts.set(r.layer, (counts.get(r.layer) ?? 0) + 1);
  return [
    h("h3", { id: "edit-title" }, t(v.lang, "selectedCount", { n: formatNumber(v.selection.length, v.lang) })),
    h("ul", { class: "counts" }, ...[...counts].map(([layer, n]) => h("li", {}, `${layerName(v.model, layer, v.lang)}: ${formatNumber(n, v.lang)}`))),
    h("p", { class: "note" }, t(v.lang, "mixedNote")),
    errorBox(v),
  ];
}

export function renderEditPanel(panel: HTMLElement, v: PanelView, actions: PanelActions, childLayerNames: (layer: string) => string[]): void {
  if (v.draft) replace(panel, ...draftView(v.draft, v, actions, childLayerNames(v.draft.layer)));
  else if (v.bulk) replace(panel, ...bulkView(v.bulk, v, actions));
  else if (v.selection.length > 1) replace(panel, ...mixedView(v));
  else replace(panel, h("h3", { id: "edit-title" }, t(v.lang, "editPanelTitle")), errorBox(v), h("p", { class: "empty", id: "edit-idle" }, v.hint));
}
