// The shell's commands (src-tauri/src/main.rs) and the types they return
// (src-tauri/src/ipc.rs). Keep the two in step.

import { invoke, isTauri } from "@tauri-apps/api/core";

export type Extent = [number, number, number, number];

export interface LayerSummary {
  name: string;
  /** features, attributes, tiles, coverage, or another data_type. */
  kind: string;
  identifier: string | null;
  geometry_type: string | null;
  dimensions: "XY" | "XYZ" | "XYM" | "XYZM" | null;
  srs: string | null;
  count: number;
  /** What `count` counts: features, rows or tiles. */
  count_of: string;
  extent: Extent | null;
  zoom_levels: [number, number] | null;
  spatial_index: boolean;
}

export interface FileSummary {
  path: string;
  gpkg_version: string | null;
  schema_version: number | null;
  /** Milliseconds since 1970. */
  modified_ms: number | null;
  size_bytes: number | null;
  layers: LayerSummary[];
}

export interface ModelField {
  name: string;
  th: string;
  en: string;
  type: "text" | "integer" | "real" | "date" | "datetime" | "boolean";
  required: boolean;
  domain: string | null;
}

export interface ModelLayer {
  name: string;
  th: string;
  en: string;
  geometry: string | null;
  fields: ModelField[];
}

export interface ModelDomain {
  th: string;
  en: string;
  values: { code: string; th: string; en: string }[];
}

export interface DataModel {
  version: number;
  layers: ModelLayer[];
  coverages: Record<string, { th: string; en: string; uom: string }>;
  domains: Record<string, ModelDomain>;
}

/** An error from the shell: `code` picks the words shown, `message` is the detail. */
export interface IpcError {
  code: string;
  message: string;
  path: string | null;
}

/** Whatever was thrown, as an IpcError (Tauri itself rejects with plain strings). */
export function toIpcError(error: unknown): IpcError {
  if (typeof error === "object" && error !== null && "code" in error) {
    const e = error as Partial<IpcError>;
    return {
      code: String(e.code),
      message: typeof e.message === "string" ? e.message : "",
      path: typeof e.path === "string" ? e.path : null,
    };
  }
  if (error instanceof Error) return { code: "internal", message: error.message, path: null };
  return { code: "internal", message: String(error), path: null };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!isTauri()) {
    throw { code: "no_shell", message: "window.__TAURI_INTERNALS__ is missing", path: null };
  }
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}

export const openFile = (path: string) => call<FileSummary>("open_file", { path });
export const dataModel = () => call<DataModel>("data_model");
export const demoFile = () => call<string>("demo_file");
export const startupFile = () => call<string | null>("startup_file");

/** A search hit with where to zoom (EPSG:3857). */
export interface SearchHit {
  layer: string;
  fid: number;
  label: string;
  extent: Extent | null;
}

export interface IdentifyField {
  name: string;
  th: string;
  en: string;
  value: string | null;
  value_th: string | null;
  value_en: string | null;
}

export interface Identified {
  layer: string;
  th: string;
  en: string;
  fid: number;
  fields: IdentifyField[];
  children: Identified[];
}

/** Starts the map's tiles for the file; its extent in EPSG:3857, null when empty. */
export const openMap = (path: string) => call<Extent | null>("open_map", { path });
export const search = (path: string, query: string) => call<SearchHit[]>("search", { path, query });
export const identify = (path: string, layer: string, fid: number) =>
  call<Identified | null>("identify", { path, layer, fid });

/** File → Open: the native dialog; null when the user cancels. */
export const chooseFile = () => call<string | null>("choose_file");
