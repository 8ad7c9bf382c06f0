import { describe, expect, it } from "vitest";

import { keyCommand, type KeyPress } from "./keys";

const press = (key: string, code: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("editing shortcuts", () => {
  it("undo with Ctrl+Z, redo with Ctrl+Y or Ctrl+Shift+Z (Cmd on a Mac)", () => {
    expect(keyCommand(press("z", "KeyZ", { ctrlKey: true }), false)).toBe("undo");
    expect(keyCommand(press("y", "KeyY", { ctrlKey: true }), false)).toBe("redo");
    expect(keyCommand(press("Z", "KeyZ", { ctrlKey: true, shiftKey: true }), false)).toBe("redo");
    expect(keyCommand(press("z", "KeyZ", { metaKey: true }), false)).toBe("undo");
    expect(keyCommand(press("z", "KeyZ"), false)).toBeNull();
  });

  it("work with a Thai keyboard layout, by the physical key", () => {
    expect(keyCommand(press("ผ", "KeyZ", { ctrlKey: true }), false)).toBe("undo");
    expect(keyCommand(press("ๆ", "KeyY", { ctrlKey: true }), false)).toBe("redo");
  });

  it("cancel with Esc and delete the selection with Delete", () => {
    expect(keyCommand(press("Escape", "Escape"), false)).toBe("cancel");
    expect(keyCommand(press("Delete", "Delete"), false)).toBe("delete");
    expect(keyCommand(press("Delete", "Delete", { ctrlKey: true }), false)).toBeNull();
    expect(keyCommand(press("Backspace", "Backspace"), false)).toBeNull();
  });

  it("leave keys typed in a text field to the text", () => {
    expect(keyCommand(press("z", "KeyZ", { ctrlKey: true }), true)).toBeNull();
    expect(keyCommand(press("Delete", "Delete"), true)).toBeNull();
    expect(keyCommand(press("Escape", "Escape"), true)).toBeNull();
  });
});
