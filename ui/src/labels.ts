// Words for what a file contains: layer and field labels from the data
// model, kinds, geometry types, counts and errors. Pure functions, tested in
// labels.test.ts.

import type { DataModel, IpcError, LayerSummary } from "./api";
import { hasOwn, t, tMaybe, type Lang } from "./i18n";
import { formatNumber } from "./format";

export interface Label {
  text: string;
  /** False when the layer is not in the data model and a fallback was used. */
  known: boolean;
}

/**
 * A layer's label: from the data model (layers, then coverages such as the
 * terrain); for a layer the model does not know, the GeoPackage identifier,
 * else the table name.
 */
export function layerLabel(
  model: DataModel | null,
  layer: Pick<LayerSummary, "name" | "identifier">,
  lang: Lang,
): Label {
  const coverage =
    model && hasOwn(model.coverages, layer.name) ? model.coverages[layer.name] : undefined;
  const def = model?.layers.find((l) => l.name === layer.name) ?? coverage;
  if (def && def[lang]) return { text: def[lang], known: true };
  const identifier = layer.identifier?.trim();
  return { text: identifier ? identifier : layer.name, known: false };
}

/** A field's label from the data model, or its column name. */
export function fieldLabel(model: DataModel | null, layer: string, field: string, lang: Lang): string {
  const def = model?.layers.find((l) => l.name === layer)?.fields.find((f) => f.name === field);
  return def?.[lang] || field;
}

export function kindLabel(kind: string, lang: Lang): string {
  return tMaybe(lang, `kind.${kind}`) ?? kind;
}

/** `จุด` / `Point`; Z and M added (`จุด XYZ`); unknown types as they are. */
export function geometryLabel(
  type: string | null,
  dimensions: string | null,
  lang: Lang,
): string {
  if (!type) return t(lang, "none");
  const name = tMaybe(lang, `geom.${type.toUpperCase()}`) ?? type;
  return dimensions && dimensions !== "XY" ? `${name} ${dimensions}` : name;
}

/** `2,999 รายการ` / `2,999 features`. */
export function countLabel(count: number, countOf: string, lang: Lang): string {
  const n = formatNumber(count, lang);
  return tMaybe(lang, `countOf.${countOf}`, { n }) ?? `${n} ${countOf}`;
}

/** The headline of an error in `lang`; codes the UI does not know get the generic one. */
export function errorHeadline(error: IpcError, lang: Lang): string {
  return tMaybe(lang, `err.${error.code}`) ?? t(lang, "errorTitle");
}

const EDIT_LABEL = /^(add|edit|move|reshape|split|merge|copy|delete):(.*)$/;

/**
 * An edit's label for the undo and redo buttons, in `lang`: the UI's own
 * (`add:poles`, see edit/changes.ts) by verb and layer; the core's, which
 * are Thai (`แนบรูป IMG.jpg`, `ลบรูป`, `คืนค่าฉบับก่อนหน้า`), translated; any other as it is.
 */
export function undoLabel(label: string, model: DataModel | null, lang: Lang): string {
  const ui = EDIT_LABEL.exec(label);
  if (ui) {
    const [, verb = "", layer = ""] = ui;
    const text = layerLabel(model, { name: layer, identifier: null }, lang).text;
    return tMaybe(lang, `verb.${verb}`, { layer: text }) ?? label;
  }
  const photo = /^แนบรูป\s*(.*)$/.exec(label);
  if (photo) return t(lang, "verb.attachPhoto", { name: photo[1] ?? "" }).trim();
  if (label === "ลบรูป") return t(lang, "verb.removePhoto");
  if (label === "คืนค่าฉบับก่อนหน้า") return t(lang, "verb.restore");
  return label;
}
