// Keyboard shortcuts while editing: Ctrl+Z undo, Ctrl+Y or Ctrl+Shift+Z
// redo, Esc cancels the tool, Delete deletes the selection. Pure, tested in
// keys.test.ts.

export type KeyCommand = "undo" | "redo" | "cancel" | "delete";

/** The parts of a KeyboardEvent the shortcuts look at. */
export interface KeyPress {
  key: string;
  /** The physical key (`KeyZ`): the same with a Thai keyboard layout, where `key` is `ผ`. */
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/**
 * The editing command of a key press, or null. Keys typed in a text field
 * belong to the text (its own undo, Delete, and Esc, which must not throw
 * away a half-filled form).
 */
export function keyCommand(k: KeyPress, inTextField: boolean): KeyCommand | null {
  if (inTextField || k.altKey) return null;
  if (k.key === "Escape") return "cancel";
  const command = k.ctrlKey || k.metaKey;
  const letter = /^Key[A-Z]$/.test(k.code) ? k.code.slice(3).toLowerCase() : k.key.toLowerCase();
  if (command && letter === "z") return k.shiftKey ? "redo" : "undo";
  if (command && letter === "y" && !k.shiftKey) return "redo";
  if (!command && !k.shiftKey && k.key === "Delete") return "delete";
  return null;
}

/** Whether keys typed at `target` go into text (inputs, text areas, pick lists). */
export function isTextField(target: EventTarget | null): boolean {
  if (typeof Element === "undefined" || !(target instanceof Element)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !["button", "checkbox", "radio", "range", "submit"].includes(target.type);
  return target instanceof HTMLElement && target.isContentEditable;
}
