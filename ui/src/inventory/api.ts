// The shell's inventory commands (src-tauri/src/inventory.rs) and the types
// they return. Keep the two in step.

import { invoke, isTauri } from "@tauri-apps/api/core";

import { toIpcError, type EditOut, type Extent, type SearchHit } from "../api";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!isTauri()) throw { code: "no_shell", message: "window.__TAURI_INTERNALS__ is missing", path: null };
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}

export type FilterOp = "eq" | "ne" | "lt" | "le" | "gt" | "ge" | "in" | "empty" | "not_empty";
export type Cell = string | number | null;

export interface ListQuery {
  layer: string;
  search?: string;
  filters?: { field: string; op?: FilterOp; value?: unknown }[];
  sort?: { field: string; descending?: boolean }[];
  offset: number;
  limit: number;
}

export interface ListRow {
  fid: number;
  uid: string;
  values: Cell[];
}

export interface ListPage {
  total: number;
  columns: string[];
  rows: ListRow[];
}

export interface Category {
  code: string;
  th: string;
  en: string;
  useful_life_years: number;
}

export interface NewEquipment {
  asset_no?: string;
  name: string;
  category: string;
  acquired_date?: string;
  quantity?: number;
  unit?: string;
  unit_price?: number;
  funding_source?: string;
  vendor?: string;
  document_no?: string;
  department?: string;
  custodian?: string;
  location?: string;
  /** A pole number or uid. */
  pole?: string;
  /** EPSG:3857. */
  at?: [number, number];
  useful_life_years?: number;
  status?: string;
  notes?: string;
}

export interface Figures {
  fiscal_year: number;
  cost: number;
  rate: number;
  full_year: number;
  this_year: number;
  accumulated: number;
  net: number;
  months: number;
  written_down: boolean;
}

export interface Details {
  fid: number;
  uid: string;
  values: Record<string, string | null>;
  category: Category | null;
  useful_life_years: number | null;
  figures: Figures | null;
  disposal: { method: string; document_no: string; disposed_on: string; amount: number | null } | null;
  extent: Extent | null;
}

export interface WorkOrder {
  uid: string;
  order_no: string;
  asset_kind: string;
  asset_uid: string;
  fault_type: string;
  status: string;
  received_at: string;
  started_at: string | null;
  done_at: string | null;
  technician: string | null;
  materials: string | null;
  cost: number | null;
  reporter: string | null;
  description: string | null;
}

export interface Finish {
  technician?: string | undefined;
  materials?: string | undefined;
  cost?: number | undefined;
  lamp_changed?: boolean;
  lamp_type?: string | undefined;
  watts?: number | undefined;
}

export interface Check {
  uid: string;
  fiscal_year: number;
  committee: string[];
  opened_on: string;
  closed_on: string | null;
  status: string;
}

export interface Item {
  uid: string;
  asset_no: string;
  name: string;
  category: string;
  status: string;
  department: string | null;
  location: string | null;
}

export interface ReportColumn {
  key: string;
  th: string;
  en: string;
  kind: "text" | "integer" | "money" | "decimal" | "date" | "percent";
  decimals: number;
}

export interface ReportTable {
  th: string;
  en: string;
  columns: ReportColumn[];
  rows: Cell[][];
  totals: Cell[] | null;
}

export interface ReportChart {
  th: string;
  en: string;
  labels: string[];
  series: { name: string; values: number[] }[];
}

export interface Report {
  name: string;
  th: string;
  en: string;
  subtitle: string[];
  tables: ReportTable[];
  charts: ReportChart[];
}

export interface Saved {
  path: string;
  bytes: number;
}

export const inventoryList = (query: ListQuery) => call<ListPage>("inventory_list", { query });
export const equipmentCategories = () => call<Category[]>("equipment_categories");
export const nextAssetNo = (category: string, acquired: string | null) =>
  call<string>("next_asset_no", { category, acquired });
export const assetNoTaken = (assetNo: string, exceptUid: string | null) =>
  call<boolean>("asset_no_taken", { assetNo, exceptUid });
export const addEquipment = (item: NewEquipment) =>
  call<{ uid: string; asset_no: string; edit: EditOut }>("add_equipment", { item });
export const equipmentDetails = (uid: string) => call<Details | null>("equipment_details", { uid });
export const disposeEquipment = (disposal: {
  asset_no: string;
  method: string;
  document_no: string;
  disposed_on: string | null;
  amount: number | null;
  notes: string | null;
}) => call<EditOut>("dispose_equipment", { disposal });
export const faultTypes = (kind: string) => call<string[]>("fault_types", { kind });
export const openWorkOrder = (order: {
  asset_kind: string;
  asset_uid: string;
  fault_type: string;
  reporter: string | null;
  contact: string | null;
  description: string | null;
}) => call<{ uid: string; order_no: string; edit: EditOut }>("open_work_order", { order });
export const startWorkOrder = (order: string, technician: string | null) =>
  call<EditOut>("start_work_order", { order, technician });
export const finishWorkOrder = (order: string, finish: Finish) => call<EditOut>("finish_work_order", { order, finish });
export const workHistory = (assetUid: string) => call<WorkOrder[]>("work_history", { assetUid });
export const findCheck = (fy: number) => call<Check | null>("find_check", { fy });
export const openCheck = (fy: number, committee: string[]) => call<Check>("open_check", { fy, committee });
export const recordFinding = (fy: number, assetNo: string, finding: string, notes: string | null) =>
  call<{ asset_no: string; name: string; replaced: boolean }>("record_finding", { fy, assetNo, finding, notes });
export const uncheckedItems = (fy: number) => call<Item[]>("unchecked_items", { fy });
export const closeCheck = (fy: number, force: boolean) => call<EditOut>("close_check", { fy, force });
export const findNumber = (text: string) => call<SearchHit | null>("find_number", { text });
export const buildReport = (name: string, fy: number, lang: string) => call<Report>("build_report", { name, fy, lang });
export const saveReport = (name: string, fy: number, lang: string, format: string) =>
  call<Saved | null>("save_report", { name, fy, lang, format });
export const saveLabels = (layer: "equipment" | "poles", uids: string[], lang: string) =>
  call<Saved | null>("save_labels", { layer, uids, lang });
