// The history of the feature shown: who changed what and when, newest
// first, from the file's journal (the app's edits and other programs'); while
// editing, the feature can be put back as it was before any change (itself
// an undoable edit).

import { history, toIpcError, type DataModel, type HistoryEntry, type IpcError } from "../api";
import { h, replace } from "../dom";
import { formatIsoDate } from "../format";
import { t, type Lang } from "../i18n";
import { errorHeadline } from "../labels";
import { changeLines, changeText, opLabel, whoLabel } from "./historyformat";
import type { FeatureRef } from "./changes";

/** One journal entry: when, who (and on which computer), what kind, then each field changed. */
export function renderEntry(entry: HistoryEntry, model: DataModel | null, lang: Lang): HTMLElement[] {
  const when = formatIsoDate(entry.time, lang, { time: true, month: "short" });
  const device = entry.device ? ` (${entry.device})` : "";
  return [
    h(
      "p",
      { class: "entry-head" },
      h("span", { class: "when" }, when),
      " · ",
      h("span", { class: "who" }, whoLabel(entry, lang) + device),
      " · ",
      h("span", { class: `kind ${entry.kind}` }, opLabel(entry.kind, lang)),
    ),
    h("ul", { class: "changes" }, ...changeLines(entry, model, lang).map((line) => h("li", { "data-field": line.field }, changeText(line, lang)))),
  ];
}

/**
 * A button putting the feature back as it was just before `entry` (the
 * journal op before it: `restore` takes the version after an op). None for
 * an insert: before it, the feature did not exist (delete it instead).
 */
export function restoreButton(entry: HistoryEntry, lang: Lang, restore: (layer: string, uid: string, seq: number) => void): HTMLElement | null {
  if (entry.kind === "insert") return null;
  const button = h("button", { type: "button", class: "secondary restore" }, t(lang, entry.kind === "delete" ? "restoreDeleted" : "restoreBefore"));
  button.addEventListener("click", () => restore(entry.layer, entry.uid, entry.seq - 1));
  return button;
}

export class HistorySection {
  readonly element = h("details", { id: "history", class: "history" });
  private target: FeatureRef | null = null;
  private entries: HistoryEntry[] | null = null;
  private error: IpcError | null = null;
  private editable = false;
  private lang: Lang = "th";
  private ticket = 0;

  constructor(
    private readonly model: () => DataModel | null,
    private readonly restore: (layer: string, uid: string, seq: number) => void,
  ) {
    this.element.addEventListener("toggle", () => {
      if (this.element.open && this.entries === null) void this.reload();
    });
  }

  setEditable(editable: boolean): void {
    this.editable = editable;
    this.render(this.lang);
  }

  /** Shows the history of another feature (loaded when the section is open). */
  async show(target: FeatureRef | null): Promise<void> {
    const same = target?.layer === this.target?.layer && target?.uid === this.target?.uid;
    this.target = target;
    if (!same) this.entries = null;
    if (this.element.open) await this.reload();
    else this.render(this.lang);
  }

  async reload(): Promise<void> {
    const target = this.target;
    if (!target) {
      this.render(this.lang);
      return;
    }
    const ticket = ++this.ticket;
    try {
      const found = await history({ uid: target.uid, layer: target.layer });
      if (ticket !== this.ticket) return;
      this.entries = found;
      this.error = null;
    } catch (error) {
      if (ticket !== this.ticket) return;
      this.error = toIpcError(error);
    }
    this.render(this.lang);
  }

  render(lang: Lang): void {
    this.lang = lang;
    this.element.hidden = this.target === null;
    const summary = h("summary", { id: "history-title" }, t(lang, "historyTitle"));
    if (!this.target) {
      replace(this.element, summary);
      return;
    }
    let body: Node;
    if (this.error) body = h("p", { class: "problem", role: "alert" }, errorHeadline(this.error, lang));
    else if (this.entries === null) body = h("p", { class: "empty" }, t(lang, "loadingShort"));
    else if (this.entries.length === 0) body = h("p", { class: "empty" }, t(lang, "historyNone"));
    else {
      body = h(
        "ol",
        { class: "history-list" },
        ...this.entries.map((entry) =>
          h(
            "li",
            { "data-seq": entry.seq },
            ...renderEntry(entry, this.model(), lang),
            this.editable ? restoreButton(entry, lang, this.restore) : null,
          ),
        ),
      );
    }
    replace(this.element, summary, body);
  }
}
