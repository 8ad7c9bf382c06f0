// The shell's sync commands and events (src-tauri/src/sync.rs). Keep the two in step.

import { invoke, isTauri } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

import { toIpcError, type Extent, type IpcError } from "../api";

/** The open file's sync status (no network). */
export interface SyncStatus {
  /** Changes or resolutions waiting to be sent; true before the first sync. */
  outgoing: boolean;
  /** How many changes wait; null before the first sync (the whole file goes). */
  pending: number | null;
  open_conflicts: number;
  /** ISO 8601, UTC; null before the first sync. */
  last_sync: string | null;
  /** `URL#org` the file syncs with, once it has. */
  hub: string | null;
  cursor: number;
  running: boolean;
  /** `url#org#user` whose password the shell holds for this session. */
  signed_in: string | null;
}

export interface HubIn {
  url: string;
  org: string;
  user: string;
  /** Empty: the one given earlier in this session. */
  password: string;
  ca_file: string;
}

export interface SyncProgress {
  /** The core's words, `English / ไทย`. */
  step: string;
  total: number;
  done: number;
}

export interface SyncReport {
  first: boolean;
  pushed: number;
  duplicates: number;
  pulled: number;
  features_changed: number;
  conflicts_raised: number;
  open_conflicts: number;
  photos_sent: number;
  photos_received: number;
  held: number;
  seconds: number;
  undo_cleared: boolean;
}

export interface SyncDone {
  report: SyncReport | null;
  error: IpcError | null;
}

export interface ConflictSide {
  /** A field conflict's value as text (geometry as WKT); null is empty. */
  value: string | null;
  /** A whole-feature conflict: the row as text; null when that side deleted it. */
  row: Record<string, string | null> | null;
  deleted: boolean;
  user: string;
  device: string;
  /** ISO 8601; null for the file's starting data. */
  time: string | null;
}

export interface Conflict {
  id: string;
  layer: string;
  uid: string;
  kind: "field" | "edit_deleted" | "delete_edited";
  field: string | null;
  /** Made on this computer: what "keep mine" keeps. */
  mine: ConflictSide;
  theirs: ConflictSide;
  /** The side the sync kept until someone decides. */
  holds: "mine" | "theirs";
  /** The feature as the file holds it now; null when deleted here. */
  current: Record<string, string | null> | null;
  fid: number | null;
  extent: Extent | null;
  /** A delete withdrawn with its user action: the feature whose keeping kept this one (a lamp's pole). */
  kept_with: { layer: string; uid: string; current: Record<string, string | null> | null } | null;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!isTauri()) throw { code: "no_shell", message: "window.__TAURI_INTERNALS__ is missing", path: null };
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toIpcError(error);
  }
}

export const syncStatus = () => call<SyncStatus>("sync_status");
/** Starts a sync in the background; `onProgress` and `onDone` hear how it goes. */
export const syncStart = (hub: HubIn, user: string) =>
  call<null>("sync_start", { hub: { ...hub, ca_file: hub.ca_file || null, password: hub.password || null }, user });
export const syncConflicts = () => call<Conflict[]>("sync_conflicts");
export const syncResolve = (id: string, take: "mine" | "theirs" | "value", value: string | null, user: string) =>
  call<{ changed: boolean; op_id: string }>("sync_resolve", { id, take, value, user });
export const syncForgetPassword = () => call<null>("sync_forget_password");
export const syncCancel = () => call<null>("sync_cancel");
export const chooseCertificate = () => call<string | null>("choose_certificate");

export async function onProgress(handler: (p: SyncProgress) => void): Promise<UnlistenFn> {
  if (!isTauri()) return () => undefined;
  return listen<SyncProgress>("sync-progress", (e) => handler(e.payload));
}

export async function onDone(handler: (d: SyncDone) => void): Promise<UnlistenFn> {
  if (!isTauri()) return () => undefined;
  return listen<SyncDone>("sync-done", (e) => handler(e.payload));
}
