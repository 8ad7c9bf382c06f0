// The conflict list: each open conflict with its feature, field, both sides
// side by side (as people read them, who and when), which one the data
// holds now, and the decision: keep mine, keep theirs, or type a value.
// A decision is the core's resolve: an ordinary journaled edit plus the
// op that closes the conflict everywhere with the next sync.

import type { DataModel, Extent, IpcError } from "../api";
import { h, replace } from "../dom";
import { t, type Lang } from "../i18n";
import { errorHeadline } from "../labels";
import {
  conflictField,
  conflictTitle,
  holdsNow,
  positionNote,
  rowLines,
  sideText,
  sideWho,
  syncErrorText,
} from "./format";
import { syncConflicts, syncResolve, type Conflict } from "./syncapi";

export interface ConflictHost {
  lang(): Lang;
  model(): DataModel | null;
  user(): string;
  zoomTo(extent: Extent): void;
  /** A conflict was settled; `changed` when the file's data changed. */
  resolved(changed: boolean): void;
}

export class ConflictPanel {
  readonly element = h("aside", { id: "sync-conflicts", class: "sync-conflicts", hidden: true, "aria-labelledby": "sync-conflicts-title" });
  private list: Conflict[] = [];
  private error: IpcError | null = null;
  private busy = false;
  /** The conflict whose "type a value" box is open, with what is typed. */
  private typing: { id: string; value: string } | null = null;

  constructor(private readonly host: ConflictHost) {}

  get open(): boolean {
    return !this.element.hidden;
  }

  async toggle(): Promise<void> {
    if (this.open) this.hide();
    else {
      this.element.hidden = false;
      await this.reload();
    }
  }

  hide(): void {
    this.element.hidden = true;
    this.typing = null;
  }

  async reload(): Promise<void> {
    try {
      this.list = await syncConflicts();
      this.error = null;
    } catch (error) {
      this.error = error as IpcError;
    }
    this.render();
  }

  private async decide(c: Conflict, take: "mine" | "theirs" | "value", value: string | null): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.render();
    try {
      const out = await syncResolve(c.id, take, value, this.host.user());
      this.typing = null;
      this.host.resolved(out.changed);
      this.list = await syncConflicts();
    } catch (error) {
      this.error = error as IpcError;
    } finally {
      this.busy = false;
      this.render();
    }
  }

  render(): void {
    if (!this.open) return;
    const lang = this.host.lang();
    const close = h("button", { type: "button", id: "sync-conflicts-close", class: "secondary" }, t(lang, "close"));
    close.addEventListener("click", () => this.hide());
    const error = this.error
      ? h("p", { class: "problem", role: "alert", id: "sync-conflicts-error" }, `${syncErrorText(this.error, lang) || errorHeadline(this.error, lang)}${this.error.problems?.length ? `: ${this.error.problems.map((p) => (lang === "th" ? p.th : p.en)).join("; ")}` : ""}`)
      : null;
    replace(
      this.element,
      h("div", { class: "head" }, h("h2", { id: "sync-conflicts-title" }, `${t(lang, "sync.conflictsTitle")} (${this.list.length})`), close),
      h("p", { class: "hint" }, t(lang, "sync.conflictsHint")),
      error,
      this.list.length === 0
        ? h("p", { class: "empty", id: "sync-conflicts-none" }, t(lang, "sync.conflictsNone"))
        : h("ul", { class: "conflict-list", id: "sync-conflict-list" }, ...this.list.map((c) => this.item(c, lang))),
    );
  }

  private item(c: Conflict, lang: Lang): HTMLElement {
    const model = this.host.model();
    const holds = holdsNow(c);
    const side = (which: "mine" | "theirs") => {
      const s = c[which];
      const lines = c.kind === "field" ? [] : rowLines(model, c.layer, s.row, lang);
      return h(
        "div",
        { class: `side ${which}${holds === which ? " holds" : ""}`, "data-side": which },
        h("p", { class: "side-title" }, t(lang, which === "mine" ? "sync.mine" : "sync.theirs"), holds === which ? h("span", { class: "tag" }, t(lang, "sync.holdsNow")) : null),
        h("p", { class: "value" }, sideText(model, c, which, lang)),
        lines.length > 0 ? h("details", {}, h("summary", {}, `${lines.length}`), h("ul", {}, ...lines.map((l) => h("li", {}, l)))) : null,
        h("p", { class: "who" }, sideWho(s, lang)),
      );
    };
    const button = (id: string, text: string, run: () => void) => {
      const b = h("button", { type: "button", class: `secondary ${id}`, disabled: this.busy }, text);
      b.addEventListener("click", run);
      return b;
    };
    const actions = h(
      "div",
      { class: "actions" },
      button("keep-mine", t(lang, "sync.keepMine"), () => void this.decide(c, "mine", null)),
      button("keep-theirs", t(lang, "sync.keepTheirs"), () => void this.decide(c, "theirs", null)),
      c.kind === "field"
        ? button("type-value", t(lang, "sync.typeValue"), () => {
            this.typing = { id: c.id, value: c.mine.value ?? "" };
            this.render();
            this.element.querySelector<HTMLInputElement>(`li[data-id="${c.id}"] input.typed`)?.focus();
          })
        : null,
      c.extent ? button("zoom", t(lang, "sync.zoom"), () => c.extent && this.host.zoomTo(c.extent)) : null,
    );
    let typed: HTMLElement | null = null;
    if (this.typing?.id === c.id) {
      const input = h("input", { type: "text", class: "typed", value: this.typing.value, "aria-label": t(lang, "sync.typeValue") });
      input.addEventListener("input", () => {
        if (this.typing) this.typing.value = input.value;
      });
      const use = button("use-value", t(lang, "sync.useValue"), () => void this.decide(c, "value", input.value));
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") use.click();
      });
      typed = h("div", { class: "typed-row" }, input, use);
    }
    const note = c.kind === "field" ? positionNote(c.mine.value, c.theirs.value, lang) : "";
    return h(
      "li",
      { class: "conflict", "data-id": c.id, "data-layer": c.layer },
      h("h3", {}, conflictTitle(model, c, lang)),
      h("p", { class: "kind" }, `${conflictField(model, c, lang)} · ${t(lang, `sync.kind.${c.kind}`)}`, note ? h("span", { class: "note" }, ` · ${note}`) : null),
      h("div", { class: "sides" }, side("mine"), side("theirs")),
      actions,
      typed,
    );
  }
}
