// The editing bar above the map: the switch between browsing and editing,
// the tools, undo and redo (with what they would take back), who is
// editing, the journal, a line saying what to do now, and the question
// before a delete. Built once (focus and typing survive), updated on render.

import type { IpcError } from "../api";
import { h, replace } from "../dom";
import { t, type Lang, type MessageKey } from "../i18n";
import { errorHeadline } from "../labels";
import type { Tool } from "./tools";

export interface ToolbarView {
  lang: Lang;
  /** Whether the open file is ready for editing (edit_open succeeded). */
  ready: boolean;
  /** Why the file cannot be edited (read-only, newer journal), or null. */
  unavailable: IpcError | null;
  active: boolean;
  busy: boolean;
  tool: Tool;
  selected: number;
  canMerge: boolean;
  /** What undo and redo would do next, worded; null when nothing. */
  undo: string | null;
  redo: string | null;
  /** What to do now, or why editing is not possible. */
  hint: string;
  confirm: Question | null;
  journalOpen: boolean;
  /** Layer labels for the add buttons. */
  layerName(layer: string): string;
}

/** A question the bar asks before an action, with its two answers. */
export interface Question {
  text: string;
  yes: string;
  no: string;
  /** The yes answer destroys something (drawn in the danger colour). */
  danger: boolean;
}

export interface ToolbarActions {
  toggle(): void;
  setTool(tool: Tool): void;
  merge(): void;
  remove(): void;
  undo(): void;
  redo(): void;
  setUser(user: string): void;
  journal(): void;
  confirm(yes: boolean): void;
  /** Brings a file with an older data model up to date (offered only then). */
  upgrade(): void;
}

/** The layers staff add features to from the bar, and how each is drawn. */
const ADD_LAYERS: readonly { layer: string; draw: "Point" | "LineString"; key: MessageKey }[] = [
  { layer: "poles", draw: "Point", key: "toolAddPole" },
  { layer: "roads", draw: "LineString", key: "toolDrawRoad" },
  { layer: "drains", draw: "LineString", key: "toolDrawDrain" },
];

const TOOLS: readonly { tool: Tool; id: string; key: MessageKey; title: MessageKey }[] = [
  { tool: { kind: "select" }, id: "tool-select", key: "toolSelect", title: "hintSelect" },
  ...ADD_LAYERS.map(({ layer, draw, key }) => ({
    tool: { kind: "add", layer, draw } as Tool,
    id: `tool-add-${layer}`,
    key,
    title: draw === "Point" ? ("hintAddPoint" as const) : ("hintAddLine" as const),
  })),
  { tool: { kind: "move" }, id: "tool-move", key: "toolMove", title: "hintMove" },
  { tool: { kind: "reshape" }, id: "tool-reshape", key: "toolReshape", title: "hintReshape" },
  { tool: { kind: "split" }, id: "tool-split", key: "toolSplit", title: "hintSplit" },
  { tool: { kind: "copy" }, id: "tool-copy", key: "toolCopy", title: "hintCopy" },
];

function sameTool(a: Tool, b: Tool): boolean {
  return a.kind === b.kind && (a.kind !== "add" || (b.kind === "add" && a.layer === b.layer));
}

/** What to do with a tool, in words (`คลิกบนแผนที่ในเขตเทศบาลเพื่อวาง…`). */
export function toolHint(tool: Tool, lang: Lang, layerName: (layer: string) => string): string {
  const entry = TOOLS.find((x) => sameTool(x.tool, tool));
  return entry ? t(lang, entry.title, { layer: tool.kind === "add" ? layerName(tool.layer) : "" }) : "";
}

export class Toolbar {
  private readonly upgrade = h("button", { type: "button", id: "edit-upgrade", class: "secondary", hidden: true });
  private readonly toggle = h("button", { type: "button", id: "edit-toggle", class: "secondary" });
  private readonly tools = TOOLS.map((x) => ({ ...x, button: h("button", { type: "button", id: x.id, class: "tool" }) }));
  private readonly merge = h("button", { type: "button", id: "edit-merge", class: "tool" });
  private readonly remove = h("button", { type: "button", id: "edit-delete", class: "tool danger" });
  private readonly undo = h("button", { type: "button", id: "edit-undo", class: "secondary" });
  private readonly redo = h("button", { type: "button", id: "edit-redo", class: "secondary" });
  private readonly userLabel = h("label", { for: "edit-user" });
  private readonly user = h("input", { type: "text", id: "edit-user", autocomplete: "off" });
  private readonly journal = h("button", { type: "button", id: "journal-open", class: "secondary" });
  private readonly toolGroup: HTMLElement;
  private readonly hint = h("p", { id: "edit-hint", class: "edit-hint", role: "status", "aria-live": "polite" });
  private readonly confirmBox = h("div", { id: "edit-confirm", class: "confirm", role: "alertdialog", hidden: true });

  constructor(
    readonly element: HTMLElement,
    private readonly actions: ToolbarActions,
    user: string,
  ) {
    this.toggle.addEventListener("click", () => actions.toggle());
    this.upgrade.addEventListener("click", () => actions.upgrade());
    for (const x of this.tools) x.button.addEventListener("click", () => actions.setTool(x.tool));
    this.merge.addEventListener("click", () => actions.merge());
    this.remove.addEventListener("click", () => actions.remove());
    this.undo.addEventListener("click", () => actions.undo());
    this.redo.addEventListener("click", () => actions.redo());
    this.user.value = user;
    this.user.addEventListener("change", () => actions.setUser(this.user.value));
    this.journal.addEventListener("click", () => actions.journal());
    this.toolGroup = h("div", { class: "tools", role: "toolbar" }, ...this.tools.map((x) => x.button), this.merge, this.remove);
    replace(
      element,
      h(
        "div",
        { class: "edit-row" },
        this.toggle,
        this.upgrade,
        this.toolGroup,
        h("div", { class: "undo-redo" }, this.undo, this.redo),
        h("div", { class: "edit-user" }, this.userLabel, this.user),
        this.journal,
      ),
      h("div", { class: "edit-row" }, this.hint, this.confirmBox),
    );
  }

  render(v: ToolbarView): void {
    const { lang } = v;
    this.toggle.textContent = v.active ? t(lang, "editStop") : t(lang, "editStart");
    this.toggle.setAttribute("aria-pressed", String(v.active));
    this.toggle.disabled = !v.ready;
    this.toggle.title = v.unavailable ? `${t(lang, "editUnavailable")}: ${errorHeadline(v.unavailable, lang)}` : t(lang, "editToggleTitle");
    // Offered again after a failed attempt (code "migrate"): the file is unchanged then.
    this.upgrade.hidden = !["model_older", "migrate"].includes(v.unavailable?.code ?? "");
    this.upgrade.disabled = v.busy;
    this.upgrade.textContent = t(lang, "editUpgrade");
    this.toolGroup.hidden = !v.active;
    this.toolGroup.setAttribute("aria-label", t(lang, "editTools"));
    for (const x of this.tools) {
      const layer = x.tool.kind === "add" ? v.layerName(x.tool.layer) : "";
      x.button.textContent = t(lang, x.key);
      x.button.title = t(lang, x.title, { layer });
      x.button.setAttribute("aria-pressed", String(sameTool(x.tool, v.tool)));
      x.button.disabled = v.busy;
    }
    this.merge.textContent = t(lang, "toolMerge");
    this.merge.title = t(lang, "hintMerge");
    this.merge.disabled = v.busy || !v.canMerge;
    this.remove.textContent = v.selected > 1 ? t(lang, "deleteCount", { n: v.selected }) : t(lang, "delete");
    this.remove.title = t(lang, "deleteTitle");
    this.remove.disabled = v.busy || v.selected === 0;
    this.undo.hidden = this.redo.hidden = !v.active;
    this.undo.textContent = `↶ ${t(lang, "undo")}`;
    this.undo.title = v.undo ? `${t(lang, "undo")}: ${v.undo} (Ctrl+Z)` : t(lang, "undoNone");
    this.undo.disabled = v.busy || v.undo === null;
    this.redo.textContent = `↷ ${t(lang, "redo")}`;
    this.redo.title = v.redo ? `${t(lang, "redo")}: ${v.redo} (Ctrl+Y)` : t(lang, "redoNone");
    this.redo.disabled = v.busy || v.redo === null;
    this.userLabel.textContent = t(lang, "editUser");
    this.user.placeholder = t(lang, "editUserPlaceholder");
    this.journal.textContent = t(lang, "journalTitle");
    this.journal.setAttribute("aria-pressed", String(v.journalOpen));
    this.hint.textContent = v.hint;
    this.renderConfirm(v);
  }

  private renderConfirm(v: ToolbarView): void {
    const appearing = this.confirmBox.hidden && v.confirm !== null;
    this.confirmBox.hidden = v.confirm === null;
    if (v.confirm === null) {
      replace(this.confirmBox);
      return;
    }
    const q = v.confirm;
    const yes = h("button", { type: "button", id: "confirm-yes", class: q.danger ? "danger" : null }, q.yes);
    const no = h("button", { type: "button", id: "confirm-no", class: "secondary" }, q.no);
    yes.addEventListener("click", () => this.actions.confirm(true));
    no.addEventListener("click", () => this.actions.confirm(false));
    replace(this.confirmBox, h("span", {}, q.text), yes, no);
    if (appearing) no.focus();
  }
}
