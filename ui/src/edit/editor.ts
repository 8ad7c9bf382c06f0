// Editing the open file: the mode switch, the tools' results turned into
// edits (one user action, one edit, one undo step), undo and redo, the form
// of the selection, photos, history and the journal. Every change goes
// through the shell; after each, the map's tiles are fetched again and the
// working set, the form, photos and history are read back from the file.

import { buffer } from "ol/extent";

import {
  applyEdit,
  editOpen,
  feature,
  identify,
  migrateFile,
  redo,
  restore,
  setUser,
  toIpcError,
  undo,
  undoState,
  splitFeature,
  mergeFeatures,
  type DataModel,
  type EditIn,
  type EditOut,
  type Extent,
  type GeometryIn,
  type IpcError,
  type Problem,
  type XY,
} from "../api";
import { t, type Lang, type MessageKey } from "../i18n";
import { errorHeadline, layerLabel, undoLabel } from "../labels";
import type { MapView } from "../map/mapview";
import {
  deleteChanges,
  editLabel,
  geometryChanges,
  updateAll,
  type FeatureRef,
} from "./changes";
import { bulkEdit, draftEdit, newChild, newDraft, storedDraft, type Bulk, type Draft } from "./draft";
import { childLayers, copyableValues, fieldSpecs, formInput } from "./fields";
import { HistorySection } from "./history";
import { JournalBrowser } from "./journal";
import { isTextField, keyCommand } from "./keys";
import { renderEditPanel } from "./panel";
import { PhotoSection } from "./photos";
import { PhotoViewer } from "./photoviewer";
import { Toolbar, toolHint } from "./toolbar";
import type { EditTools, Tool } from "./tools";
import { savedUser, saveUser } from "./user";
import type { Ref } from "./workingsource";

/** How far from a line a click may be and still split it, in metres on the ground. */
const SPLIT_TOLERANCE_M = 5;

/** Below this zoom the view holds too many features to edit; the working set is not loaded. */
const MIN_EDIT_ZOOM = 15;
/** The working set reaches this share of the view beyond each edge, for snapping at the edges. */
const VIEW_MARGIN = 0.25;
const RELOAD_DELAY_MS = 250;

export interface EditorHost {
  /** Redraws the window (which calls `render`). */
  changed(): void;
  model(): DataModel | null;
  lang(): Lang;
  /** Editing was switched on or off. */
  modeChanged(active: boolean): void;
  /** Loads the file again from the start (its data model was brought up to date). */
  reopen(path: string): Promise<void>;
  /** Features of the file changed: an edit, an undo or redo, or a sync. */
  featuresChanged(): void;
}

export interface EditorParts {
  bar: HTMLElement;
  /** The side panel: the edit panel while editing. */
  panel: HTMLElement;
  journal: HTMLElement;
}

export class Editor {
  readonly photos: PhotoSection;
  readonly history: HistorySection;
  private readonly journal: JournalBrowser;
  private readonly viewer = new PhotoViewer();
  /** The map's editing interactions, loaded when editing is first switched on. */
  private tools: EditTools | null = null;
  /** The layers edited on the map in the open file. */
  private layers: string[] = [];
  private readonly toolbar: Toolbar;

  private path: string | null = null;
  private phase: "closed" | "opening" | "ready" | "failed" = "closed";
  private failure: IpcError | null = null;
  private on = false;
  private tool: Tool = { kind: "select" };
  private selection: Ref[] = [];
  private draft: Draft | null = null;
  private bulk: Bulk | null = null;
  private problems: Problem[] = [];
  private error: IpcError | null = null;
  private notice: MessageKey | null = null;
  private undoNext: string | null = null;
  private redoNext: string | null = null;
  private confirm: { text: (lang: Lang) => string; yes: MessageKey; no: MessageKey; danger: boolean; run: () => void } | null = null;
  private busy = false;
  private ticket = 0;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly mapView: MapView,
    private readonly parts: EditorParts,
    private readonly host: EditorHost,
  ) {
    this.photos = new PhotoSection(this.viewer, (out) => this.photoEdited(out));
    this.history = new HistorySection(
      () => host.model(),
      (layer, uid, seq) => void this.restore(layer, uid, seq),
    );
    this.journal = new JournalBrowser(
      () => host.model(),
      () => host.changed(),
      (layer, uid, seq) => void this.restore(layer, uid, seq),
    );
    parts.journal.append(this.journal.element);
    document.body.append(this.viewer.element);
    this.toolbar = new Toolbar(
      parts.bar,
      {
        toggle: () => this.setActive(!this.on),
        setTool: (tool) => this.setTool(tool),
        merge: () => void this.merge(),
        remove: () => this.askDelete(),
        undo: () => void this.step("undo"),
        redo: () => void this.step("redo"),
        setUser: (user) => void this.setUser(user),
        journal: () => void this.toggleJournal(),
        confirm: (yes) => this.answer(yes),
        upgrade: () => this.askUpgrade(),
      },
      savedUser(),
    );
    mapView.map.on("moveend", () => this.scheduleReload());
  }

  get active(): boolean {
    return this.on;
  }

  /** Opens a newly shown file for editing (its journal is set up); editing starts switched off. */
  async open(path: string, layers: string[]): Promise<void> {
    if (this.on) this.setActive(false);
    this.path = path;
    this.layers = layers;
    this.phase = "opening";
    this.failure = null;
    this.undoNext = this.redoNext = null;
    this.journal.hide();
    this.host.changed();
    try {
      await editOpen(path, savedUser());
      if (this.path === path) this.phase = "ready";
    } catch (error) {
      if (this.path !== path) return;
      this.phase = "failed";
      this.failure = toIpcError(error);
    }
    this.host.changed();
  }

  /**
   * The file changed under the editor (a sync brought the hub's changes, a
   * conflict was settled): new tiles and the working set again; with
   * `undoCleared` the shell dropped the undo history, so the buttons empty.
   * An open form is left as typed.
   */
  async externalChange(undoCleared: boolean): Promise<void> {
    if (undoCleared) this.undoNext = this.redoNext = null;
    this.mapView.redraw();
    this.host.featuresChanged();
    if (this.on) await this.reload();
    this.host.changed();
  }

  /** Shows a feature's photos and history while browsing (read-only); null hides them. */
  showBrowsing(target: FeatureRef | null): void {
    void this.photos.show(target);
    void this.history.show(target);
  }

  /** Keyboard shortcuts while editing. */
  key(e: KeyboardEvent): void {
    if (!this.on) return;
    const command = keyCommand(e, isTextField(e.target));
    if (!command) return;
    e.preventDefault();
    if (command === "undo" || command === "redo") void this.step(command);
    else if (command === "cancel") this.cancel();
    else this.askDelete();
  }

  /** Files dropped on the window: attached as photos to the feature shown, when editing. */
  async dropped(paths: string[]): Promise<void> {
    if (!this.photos.shown) return;
    if (!this.on) {
      this.say("dropNeedsEditing");
      return;
    }
    for (const path of paths) await this.photos.attach(path);
  }

  render(): void {
    const lang = this.host.lang();
    const model = this.host.model();
    const layerName = (layer: string) => layerLabel(model, { name: layer, identifier: null }, lang).text;
    let hint = "";
    if (this.failure) hint = `${t(lang, "editUnavailable")}: ${errorHeadline(this.failure, lang)}`;
    else if (this.phase === "opening") hint = t(lang, "editPreparing");
    else if (this.notice) hint = t(lang, this.notice);
    else if (this.on) hint = toolHint(this.tool, lang, layerName);
    this.toolbar.render({
      lang,
      ready: this.phase === "ready",
      unavailable: this.failure,
      active: this.on,
      busy: this.busy,
      tool: this.tool,
      selected: this.selection.length,
      canMerge: this.mergeable() !== null,
      undo: this.undoNext === null ? null : undoLabel(this.undoNext, model, lang),
      redo: this.redoNext === null ? null : undoLabel(this.redoNext, model, lang),
      hint,
      confirm: this.confirm
        ? { text: this.confirm.text(lang), yes: t(lang, this.confirm.yes), no: t(lang, this.confirm.no), danger: this.confirm.danger }
        : null,
      journalOpen: this.journal.open,
      layerName,
    });
    this.journal.render(lang);
    this.photos.render(lang);
    this.history.render(lang);
    if (!this.on) return;
    renderEditPanel(
      this.parts.panel,
      {
        lang,
        model,
        draft: this.draft,
        bulk: this.bulk,
        selection: this.selection,
        problems: this.problems,
        error: this.error,
        busy: this.busy,
        hint: toolHint(this.tool, lang, layerName),
        photos: this.photos.element,
        history: this.history.element,
      },
      {
        save: () => void this.save(),
        cancel: () => this.cancelForm(),
        addChild: (layer) => this.addChild(layer),
        removeChild: (index) => this.removeChild(index),
      },
      childLayers,
    );
  }

  // ------------------------------------------------------------ mode and tools

  private setActive(on: boolean): void {
    if (on && this.phase !== "ready") return;
    this.on = on;
    this.photos.setEditable(on);
    this.history.setEditable(on);
    this.journal.editable = on;
    this.tool = { kind: "select" };
    this.clear();
    this.showBrowsing(null);
    if (on) void this.startTools();
    else {
      this.tools?.setActive(false);
      this.tools?.source.forget();
    }
    this.host.modeChanged(on);
    this.host.changed();
  }

  private async startTools(): Promise<void> {
    if (!this.tools) {
      const { EditTools } = await import("./tools");
      this.tools ??= new EditTools(this.mapView.map, this.layers, {
        selected: (refs) => void this.select(refs),
        drawn: (layer, geometry) => this.drawn(layer, geometry),
        reshaped: (verb, changed, revert) => void this.reshaped(verb, changed, revert),
        splitAt: (ref, at) => void this.split(ref, at),
        picked: (ref) => void this.copyFrom(ref),
      });
    }
    if (!this.on) return;
    this.tools.source.layers = this.layers;
    this.tools.setActive(true);
    this.tools.setTool(this.tool);
    await this.reload();
  }

  private setTool(tool: Tool): void {
    this.dropNewDraft();
    this.tool = tool;
    this.tools?.setTool(tool);
    this.notice = tool.kind === "copy" && this.selection.length === 0 ? "copySelectFirst" : null;
    this.host.changed();
  }

  /** Esc: stop drawing, else close the question, drop a new feature, leave the tool, clear the selection. */
  private cancel(): void {
    if (this.tools?.abortDrawing()) return;
    if (this.confirm) this.confirm = null;
    else if (this.draft?.uid === null) this.dropNewDraft();
    else if (this.tool.kind !== "select") this.setTool({ kind: "select" });
    else this.clear();
    this.host.changed();
  }

  private clear(): void {
    this.selection = [];
    this.tools?.setSelection([]);
    this.dropNewDraft();
    this.draft = null;
    this.bulk = null;
    this.problems = [];
    this.error = null;
    this.notice = null;
    this.confirm = null;
    this.showBrowsing(null);
  }

  private dropNewDraft(): void {
    if (this.draft?.uid !== null) return;
    this.draft = null;
    this.problems = [];
    this.error = null;
    this.tools?.showDraft(null);
  }

  private say(notice: MessageKey | null): void {
    this.notice = notice;
    this.host.changed();
  }

  // ------------------------------------------------------------ the working set

  private scheduleReload(): void {
    if (!this.on) return;
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => void this.reload(), RELOAD_DELAY_MS);
  }

  /** Loads the features around the view, or asks to zoom in. */
  private async reload(): Promise<void> {
    const tools = this.tools;
    if (!tools) return;
    const map = this.mapView.map;
    const size = map.getSize();
    const zoom = map.getView().getZoom() ?? 0;
    if (!size || zoom < MIN_EDIT_ZOOM) {
      tools.source.forget();
      if (this.notice !== "zoomInToEdit") this.say("zoomInToEdit");
      return;
    }
    const view = map.getView().calculateExtent(size);
    const margin = Math.max(view[2]! - view[0]!, view[3]! - view[1]!) * VIEW_MARGIN;
    try {
      await tools.source.load(buffer(view, margin) as Extent);
      tools.setSelection(this.selection);
      if (this.notice === "zoomInToEdit") this.say(null);
    } catch (error) {
      this.error = toIpcError(error);
      this.host.changed();
    }
  }

  // ------------------------------------------------------------ selection and forms

  private async select(refs: Ref[]): Promise<void> {
    this.selection = refs;
    this.problems = [];
    this.error = null;
    this.notice = null;
    await this.loadSelection();
  }

  /** Reads the selection's form from the file: one feature with its children, or a bulk form. */
  private async loadSelection(): Promise<void> {
    const ticket = ++this.ticket;
    const refs = this.selection;
    const model = this.host.model();
    let draft: Draft | null = null;
    let bulk: Bulk | null = null;
    const first = refs[0];
    if (refs.length === 1 && first) {
      try {
        const path = this.path;
        const [values, details] = await Promise.all([
          feature(first.layer, first.fid),
          childLayers(first.layer).length > 0 && path ? identify(path, first.layer, first.fid) : Promise.resolve(null),
        ]);
        if (ticket !== this.ticket) return;
        if (values) draft = storedDraft(model, values, details?.children ?? []);
        else {
          this.selection = [];
          this.notice = "featureGone";
        }
      } catch (error) {
        if (ticket !== this.ticket) return;
        this.error = toIpcError(error);
      }
    } else if (first && refs.every((r) => r.layer === first.layer)) {
      bulk = { layer: first.layer, refs, input: {} };
    }
    this.draft = draft;
    this.bulk = bulk;
    const shown = draft?.uid ? { layer: draft.layer, uid: draft.uid } : null;
    this.showBrowsing(shown);
    this.host.changed();
  }

  private drawn(layer: string, geometry: GeometryIn): void {
    this.selection = [];
    this.tools?.setSelection([]);
    // Clicking again while a new feature is open moves it and keeps what was typed.
    if (this.draft?.uid === null && this.draft.layer === layer) this.draft.geometry = geometry;
    else this.draft = newDraft(this.host.model(), layer, geometry);
    this.bulk = null;
    this.problems = [];
    this.error = null;
    this.notice = null;
    this.tools?.showDraft(geometry);
    this.showBrowsing(null);
    this.host.changed();
    this.parts.panel.querySelector<HTMLElement>("#edit-form input, #edit-form select")?.focus();
  }

  private addChild(layer: string): void {
    if (!this.draft) return;
    this.draft.children.push(newChild(this.host.model(), layer));
    this.host.changed();
    const forms = this.parts.panel.querySelectorAll<HTMLElement>(`.child-form[data-layer="${layer}"]`);
    forms[forms.length - 1]?.querySelector<HTMLElement>("input, select")?.focus();
  }

  private removeChild(index: number): void {
    const child = this.draft?.children[index];
    if (!child || !this.draft) return;
    if (child.uid === null) this.draft.children.splice(index, 1);
    else child.removed = true;
    this.host.changed();
  }

  /** The form's cancel: a new feature is dropped, a stored one's form goes back to what is stored. */
  private cancelForm(): void {
    const model = this.host.model();
    if (this.draft?.uid === null) this.dropNewDraft();
    else if (this.draft) {
      this.draft.input = formInput(fieldSpecs(model, this.draft.layer), this.draft.stored);
      this.draft.children = this.draft.children.filter((c) => c.uid !== null);
      for (const c of this.draft.children) {
        c.removed = false;
        c.input = formInput(fieldSpecs(model, c.layer), c.stored);
      }
    } else this.clear();
    this.problems = [];
    this.error = null;
    this.host.changed();
  }

  private async save(): Promise<void> {
    const model = this.host.model();
    if (this.draft) {
      const { edit, uid } = draftEdit(model, this.draft);
      if (edit.changes.length === 0) return this.say("nothingChanged");
      await this.apply(edit, [{ layer: this.draft.layer, uid }]);
    } else if (this.bulk) {
      const edit = bulkEdit(model, this.bulk);
      if (edit.changes.length === 0) return this.say("nothingChanged");
      await this.apply(edit, this.bulk.refs);
    }
  }

  // ------------------------------------------------------------ edits

  /** Sends one edit; on success the map and forms are read back, with `focus` selected. */
  private async apply(edit: EditIn, focus: FeatureRef[] | null): Promise<boolean> {
    return this.run(() => applyEdit(edit), () => focus);
  }

  /**
   * Runs one edit command of the shell, then shows its result (selecting
   * what `focus` picks from it) or its problems.
   */
  private async run(command: () => Promise<EditOut>, focus: (out: EditOut) => FeatureRef[] | null): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    this.problems = [];
    this.notice = null;
    this.host.changed();
    try {
      const out = await command();
      await this.edited(out, focus(out));
      return true;
    } catch (error) {
      this.error = toIpcError(error);
      this.problems = this.error.problems ?? [];
      return false;
    } finally {
      this.busy = false;
      this.host.changed();
      this.showFirstProblem();
    }
  }

  /** Takes the user to the first field the core refused, else to the summary. */
  private showFirstProblem(): void {
    if (this.problems.length === 0) return;
    const field = this.parts.panel.querySelector<HTMLElement>(".has-problem input, .has-problem select");
    if (field) field.focus();
    else this.parts.panel.querySelector("#edit-error")?.scrollIntoView({ block: "nearest" });
  }

  /**
   * After an edit, undo or redo: new tiles, the working set again, and the
   * selection read back. Without `focus`, what the step inserted is
   * selected (a pole brought back by redo), else the selection as it was.
   */
  private async edited(out: EditOut, focus: FeatureRef[] | null): Promise<void> {
    this.undoNext = out.undo;
    this.redoNext = out.redo;
    this.mapView.redraw();
    this.host.featuresChanged();
    if (this.draft?.uid === null) {
      this.draft = null;
      this.tools?.showDraft(null);
    }
    await this.reload();
    const resolve = (refs: FeatureRef[]) => this.tools?.resolve(refs) ?? [];
    const inserted = resolve(out.inserted);
    const wanted = focus ?? (inserted.length > 0 ? inserted : this.selection);
    const found = resolve(wanted);
    this.selection = found;
    this.tools?.setSelection(found);
    await this.loadSelection();
    if (found.length < wanted.length && focus === null) this.notice = "featureGone";
  }

  private async step(which: "undo" | "redo"): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.problems = [];
    this.notice = null;
    this.host.changed();
    try {
      const out = await (which === "undo" ? undo() : redo());
      if (out) await this.edited(out, null);
      else if (which === "undo") this.undoNext = null;
      else this.redoNext = null;
    } catch (error) {
      this.error = toIpcError(error);
      this.problems = this.error.problems ?? [];
      const state = await undoState().catch(() => null);
      if (state) {
        this.undoNext = state.undo;
        this.redoNext = state.redo;
      }
    } finally {
      this.busy = false;
      this.host.changed();
    }
  }

  private async reshaped(verb: "move" | "reshape", changed: { ref: Ref; geometry: GeometryIn }[], revert: () => void): Promise<void> {
    const layers = new Set(changed.map((c) => c.ref.layer));
    const layer = layers.size === 1 ? (changed[0]?.ref.layer ?? "") : "";
    const ok = await this.apply({ label: editLabel(verb, layer), changes: geometryChanges(changed) }, this.selection);
    if (!ok) revert();
  }

  /** Splits the line where it was clicked; the core carries the attributes over. */
  private async split(ref: Ref, at: XY): Promise<void> {
    const label = editLabel("split", ref.layer);
    await this.run(
      () => splitFeature(label, ref.layer, ref.uid, at, SPLIT_TOLERANCE_M),
      (out) => [ref, ...out.inserted],
    );
  }

  /** The two selected lines of one layer that merge would join, or null. */
  private mergeable(): { keep: Ref; drop: Ref } | null {
    const [a, b] = this.selection;
    if (this.selection.length !== 2 || !a || !b || a.layer !== b.layer) return null;
    return { keep: a, drop: b };
  }

  private async merge(): Promise<void> {
    const pair = this.mergeable();
    if (!pair) return this.say("mergeSelectTwo");
    const label = editLabel("merge", pair.keep.layer);
    await this.run(() => mergeFeatures(label, pair.keep.layer, pair.keep.uid, pair.drop.uid), () => [pair.keep]);
  }

  private async copyFrom(from: Ref): Promise<void> {
    const targets = this.selection.filter((r) => !(r.layer === from.layer && r.uid === from.uid));
    if (targets.length === 0) return this.say("copySelectFirst");
    if (targets.some((r) => r.layer !== from.layer)) return this.say("copySameLayer");
    try {
      const stored = await feature(from.layer, from.fid);
      if (!stored) return this.say("featureGone");
      const values = copyableValues(fieldSpecs(this.host.model(), from.layer), stored.values);
      if (await this.apply({ label: editLabel("copy", from.layer), changes: updateAll(targets, values) }, targets)) {
        this.setTool({ kind: "select" });
      }
    } catch (error) {
      this.error = toIpcError(error);
      this.host.changed();
    }
  }

  private askDelete(): void {
    const refs = [...this.selection];
    if (refs.length === 0) return;
    const layers = new Set(refs.map((r) => r.layer));
    const layer = layers.size === 1 ? (refs[0]?.layer ?? "") : "";
    this.confirm = {
      text: (lang) => t(lang, "confirmDelete", { n: refs.length }),
      yes: "confirmYes",
      no: "confirmNo",
      danger: true,
      run: () => void this.apply({ label: editLabel("delete", layer), changes: deleteChanges(refs) }, []),
    };
    this.host.changed();
  }

  /** A file made by an older Tongtin: offers to bring it up to this one's data model. */
  private askUpgrade(): void {
    const path = this.path;
    if (path === null) return;
    this.confirm = {
      text: (lang) => t(lang, "confirmUpgrade", { to: this.host.model()?.version ?? "" }),
      yes: "upgradeYes",
      no: "upgradeNo",
      danger: false,
      run: () => void this.upgrade(path),
    };
    this.host.changed();
  }

  private async upgrade(path: string): Promise<void> {
    this.busy = true;
    this.host.changed();
    try {
      await migrateFile(path);
      await this.host.reopen(path);
      this.say("fileUpgraded");
    } catch (error) {
      this.failure = toIpcError(error);
    } finally {
      this.busy = false;
      this.host.changed();
    }
  }

  private answer(yes: boolean): void {
    const confirm = this.confirm;
    this.confirm = null;
    this.host.changed();
    if (yes) confirm?.run();
  }

  private async restore(layer: string, uid: string, seq: number): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.host.changed();
    try {
      await this.edited(await restore(layer, uid, seq), [{ layer, uid }]);
      if (this.journal.open) await this.journal.search();
    } catch (error) {
      this.error = toIpcError(error);
      this.problems = this.error.problems ?? [];
    } finally {
      this.busy = false;
      this.host.changed();
    }
  }

  private photoEdited(out: EditOut): void {
    this.undoNext = out.undo;
    this.redoNext = out.redo;
    void this.history.reload();
    this.host.changed();
  }

  private async setUser(user: string): Promise<void> {
    saveUser(user);
    // An empty name means the computer's login, which edit_open picks when the
    // file is next opened; set_user("") would record edits under no name at all.
    if (this.phase !== "ready" || user.trim() === "") return;
    try {
      await setUser(user.trim());
    } catch (error) {
      this.error = toIpcError(error);
      this.host.changed();
    }
  }

  private async toggleJournal(): Promise<void> {
    if (this.journal.open) this.journal.hide();
    else await this.journal.show();
    this.host.changed();
  }
}
