// The shell's commands (src-tauri/src/main.rs) and the types they return
// (src-tauri/src/ipc.rs). Keep the two in step.

import { convertFileSrc, invoke, isTauri } from "@tauri-apps/api/core";
import { getCurrentWebview } from "@tauri-apps/api/webview";

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
  /** Unique within the file (pole number, asset number). */
  unique: boolean;
  min: number | null;
  max: number | null;
  /** A text format the value must follow: `road_code` (นภ.ถ 1-0012). */
  format: "road_code" | null;
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

/** One broken rule of a refused edit, in both languages. */
export interface Problem {
  field: string;
  th: string;
  en: string;
}

/** An error from the shell: `code` picks the words shown, `message` is the detail. */
export interface IpcError {
  code: string;
  message: string;
  path: string | null;
  /** For a refused edit (`invalid`, `bad_photo`): every problem, by field. */
  problems?: Problem[];
}

function isProblem(p: unknown): p is Problem {
  if (typeof p !== "object" || p === null) return false;
  const o = p as Record<string, unknown>;
  return typeof o["field"] === "string" && typeof o["th"] === "string" && typeof o["en"] === "string";
}

/** Whatever was thrown, as an IpcError (Tauri itself rejects with plain strings). */
export function toIpcError(error: unknown): IpcError {
  if (typeof error === "object" && error !== null && "code" in error) {
    const e = error as Partial<IpcError>;
    const out: IpcError = {
      code: String(e.code),
      message: typeof e.message === "string" ? e.message : "",
      path: typeof e.path === "string" ? e.path : null,
    };
    if (Array.isArray(e.problems)) out.problems = e.problems.filter(isProblem);
    return out;
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

/** What bringing a file up to the current data model changed. */
export interface MigrationOut {
  from: number;
  to: number;
  added_layers: string[];
  added_fields: string[];
}
export const migrateFile = (path: string) => call<MigrationOut>("migrate_file", { path });

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

// ---------------------------------------------------------------- terrain

/** The base of the shell's tile addresses (`tiles://localhost` or its http form). */
export function tileBase(): string {
  return convertFileSrc("", "tiles").replace(/\/$/, "");
}

/** How the relief is drawn: the sun (degrees), vertical exaggeration (×) and the elevation tint. */
export interface Relief {
  azimuth: number;
  altitude: number;
  exaggeration: number;
  tint: boolean;
}

/**
 * The relief's tile address template: azimuth 0–360 and altitude 1–90 in
 * whole degrees, exaggeration with one decimal (0.1–100), tint 0 or 1.
 */
export function reliefTiles(base: string, r: Relief): string {
  const azimuth = Math.min(360, Math.max(0, Math.round(r.azimuth)));
  const altitude = Math.min(90, Math.max(1, Math.round(r.altitude)));
  const exaggeration = Math.min(100, Math.max(0.1, r.exaggeration)).toFixed(1);
  return `${base}/relief/${azimuth}/${altitude}/${exaggeration}/${r.tint ? 1 : 0}/{z}/{x}/{y}.png`;
}

/** Contour lines every `interval` metres as vector tiles (layer `contours`: `elev`, `index`). */
export function contourTiles(base: string, interval: number): string {
  return `${base}/contours/${interval}/{z}/{x}/{y}.pbf`;
}

/** One sample of a profile; `at` in EPSG:3857, slope in per cent along the line (null at the start or off the terrain). */
export interface ProfilePoint {
  distance: number;
  at: XY;
  elevation: number | null;
  slope_pct: number | null;
}

export interface Profile {
  points: ProfilePoint[];
  length: number;
  min: number | null;
  max: number | null;
  climb: number;
  descent: number;
  steepest_pct: number | null;
}

/** A drain whose end lies above its start (against its recorded direction); `at` is its start. */
export interface UphillDrain {
  fid: number;
  uid: string;
  /** The road the drain runs along, when the register says. */
  road_code: string | null;
  start_elevation: number;
  end_elevation: number;
  rise: number;
  at: XY;
}

/** The tint's colours by elevation (metres), lowest first. */
export interface TintLegend {
  stops: [number, string][];
}

/** A line to profile: a road or drain of the file, or one drawn on the map (EPSG:3857). */
export type ProfileOf = { layer: string; uid: string } | { coordinates: XY[] };

/** Ground elevation in metres at a map position (EPSG:3857); null off the terrain. */
export const elevationAt = (at: XY) => call<number | null>("elevation_at", { at });
export const profile = (of: ProfileOf) => call<Profile>("profile", { of });
/** Drains recorded against the slope, worst first. */
export const uphillDrains = () => call<UphillDrain[]>("uphill_drains");
export const terrainLegend = () => call<TintLegend | null>("terrain_legend");

/** File → Open: the native dialog; null when the user cancels. */
export const chooseFile = () => call<string | null>("choose_file");

// ---------------------------------------------------------------- editing

/** A form value: text as typed ("" is empty), or a number or yes/no. */
export type InputValue = string | number | boolean | null;

/** Geometries in EPSG:3857 (the map's), GeoJSON layout. */
export type GeometryIn =
  | { type: "Point"; coordinates: [number, number] }
  | { type: "LineString"; coordinates: [number, number][] };

export type ChangeIn =
  | { op: "insert"; layer: string; uid?: string; values: Record<string, InputValue>; geometry?: GeometryIn }
  | { op: "update"; layer: string; uid: string; values: Record<string, InputValue>; geometry?: GeometryIn }
  | { op: "delete"; layer: string; uid: string };

export interface EditIn {
  /** What the user did, shown on the undo and redo buttons. */
  label: string;
  changes: ChangeIn[];
}

/** What an edit, undo or redo did, and what undo and redo would do next (null: nothing). */
export interface EditOut {
  label: string;
  ops: number;
  inserted: { layer: string; uid: string }[];
  undo: string | null;
  redo: string | null;
}

export interface WorkingFeature {
  layer: string;
  fid: number;
  uid: string;
  geometry:
    | { type: "Point"; coordinates: [number, number] }
    | { type: "LineString"; coordinates: [number, number][] }
    | { type: "Polygon"; coordinates: [number, number][][] }
    | { type: "Other" };
}

/** A feature's values as text, for the form (system fields included, geometry left out). */
export interface FeatureValues {
  layer: string;
  fid: number;
  uid: string;
  values: Record<string, string | null>;
}

export interface HistoryFilter {
  uid?: string;
  layer?: string;
  user?: string;
  /** Milliseconds since 1970. */
  since?: number;
  until?: number;
  limit?: number;
}

export interface FieldChange {
  field: string;
  th: string;
  en: string;
  /** Geometries as WKT in the layer's CRS. */
  old: string | null;
  new: string | null;
}

/** One op of the journal, newest first. */
export interface HistoryEntry {
  seq: number;
  op_id: string;
  edit_id: string;
  /** ISO 8601, UTC. */
  time: string;
  /** Empty when another tool (QGIS, a script) made the change. */
  user: string;
  device: string;
  origin: "app" | "external";
  layer: string;
  uid: string;
  kind: "insert" | "update" | "delete";
  fields: FieldChange[];
}

export interface PhotoInfo {
  id: number;
  uid: string;
  file_name: string | null;
  content_type: string;
  width: number;
  height: number;
  byte_size: number;
  created_at: string | null;
  created_by: string | null;
}

/** Opens the file for editing as `user` ("" = the computer's login); call after openMap. */
export const editOpen = (path: string, user: string) => call<null>("edit_open", { path, user });
export const setUser = (user: string) => call<null>("set_user", { user });
export const applyEdit = (edit: EditIn) => call<EditOut>("apply_edit", { edit });
export const undo = () => call<EditOut | null>("undo");
export const redo = () => call<EditOut | null>("redo");
/** A map position, EPSG:3857. */
export type XY = [number, number];
/** Splits a road or drain at the point of it nearest `at`, within `tolerance` metres. */
export const splitFeature = (label: string, layer: string, uid: string, at: XY, tolerance: number) =>
  call<EditOut>("split_feature", { label, layer, uid, at, tolerance });
/** Joins `other` onto `keep` where their ends meet; `keep` keeps its attributes. */
export const mergeFeatures = (label: string, layer: string, keep: string, other: string) =>
  call<EditOut>("merge_features", { label, layer, keep, other });
/** The labels of the next undo and redo steps (after a refused undo dropped one). */
export const undoState = () => call<{ undo: string | null; redo: string | null }>("undo_state");
/** Puts a feature back as it was after journal op `seq` (a new, undoable edit). */
export const restore = (layer: string, uid: string, seq: number) => call<EditOut>("restore", { layer, uid, seq });
/** The features of `layers` around `view` (EPSG:3857), at most 5,000 per layer. */
export const workingSet = (layers: string[], view: Extent) => call<WorkingFeature[]>("working_set", { layers, view });
export const feature = (layer: string, fid: number) => call<FeatureValues | null>("feature", { layer, fid });
export const history = (filter: HistoryFilter) => call<HistoryEntry[]>("history", { filter });
export const photos = (layer: string, uid: string) => call<PhotoInfo[]>("photos", { layer, uid });
export const attachPhoto = (layer: string, uid: string, path: string) =>
  call<EditOut>("attach_photo", { layer, uid, path });
export const removePhoto = (uid: string) => call<EditOut>("remove_photo", { uid });
/** The native photo picker (JPEG, PNG); null when cancelled. */
export const choosePhoto = () => call<string | null>("choose_photo");

/** A photo's bytes, for an <img src> (WebKitGTK loads images from the custom scheme itself). */
export function photoUrl(id: number): string {
  return `${tileBase()}/photo/${id}`;
}

/**
 * Calls `handler` with the paths of files dropped on the window (Tauri
 * hands the webview real paths, which attach_photo reads). Nothing outside the shell.
 */
export function onFilesDropped(handler: (paths: string[]) => void): void {
  if (!isTauri()) return;
  void getCurrentWebview().onDragDropEvent((event) => {
    if (event.payload.type === "drop") handler(event.payload.paths);
  });
}
