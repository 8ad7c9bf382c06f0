// Sync in the window: the sync button and its status badge in the header,
// the hub dialog, the progress bar while the shell syncs in the background
// (editing goes on meanwhile), and the conflict list. Built once; words
// updated on render. The password goes to the shell, which keeps it in
// memory for the session; only URL, organisation, user and CA file are
// remembered per file (localStorage, like the terrain settings).

import type { DataModel, Extent, IpcError } from "../api";
import { h, replace } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { ConflictPanel } from "./conflicts";
import {
  checkSettings,
  EMPTY_SETTINGS,
  progressView,
  sessionKey,
  settingsFor,
  statusView,
  syncErrorText,
  withSettings,
  type HubSettings,
  type SettingsProblem,
} from "./format";
import {
  chooseCertificate,
  onDone,
  onProgress,
  syncCancel,
  syncForgetPassword,
  syncStart,
  syncStatus,
  type SyncDone,
  type SyncProgress,
  type SyncStatus,
} from "./syncapi";

const SETTINGS_KEY = "tongtin.sync";
/** local_status is a few index lookups: cheap enough to ask this often. */
const POLL_MS = 3000;
const SOON_MS = 300;

export interface SyncHost {
  lang(): Lang;
  model(): DataModel | null;
  /** The file on the map, or null. */
  path(): string | null;
  /** Who edits (the editing bar's name; "" = the computer's login). */
  user(): string;
  zoomTo(extent: Extent): void;
  /** The file's data changed under the map (the hub's changes, a resolution). */
  dataChanged(undoCleared: boolean): void;
}

type Message = { kind: "ok" | "error"; text: (lang: Lang) => string } | null;

export class SyncUi {
  /** The header's sync section. */
  readonly element: HTMLElement;
  private readonly button = h("button", { type: "button", id: "sync-button" });
  private readonly settingsButton = h("button", { type: "button", id: "sync-settings", class: "secondary icon" }, "⚙");
  private readonly state = h("span", { id: "sync-state", class: "sync-state" });
  private readonly last = h("span", { id: "sync-last", class: "sync-last" });
  private readonly conflictsButton = h("button", { type: "button", id: "sync-conflicts-open", class: "link", hidden: true });
  private readonly progress = h("progress", { id: "sync-progress-bar", max: 1 });
  private readonly progressText = h("span", { id: "sync-progress-text" });
  private readonly cancelButton = h("button", { type: "button", id: "sync-cancel", class: "secondary" });
  private readonly progressBox = h(
    "div",
    { id: "sync-progress", class: "sync-progress", hidden: true },
    this.progress,
    this.progressText,
    this.cancelButton,
  );
  private readonly message = h("p", { id: "sync-message", class: "sync-message", "aria-live": "polite" });

  // The hub dialog.
  private readonly dialog = h("dialog", { id: "sync-dialog", class: "sync-dialog" });
  private readonly fields = {
    url: h("input", { id: "sync-url", type: "url", autocomplete: "off", spellcheck: "false", placeholder: "https://" }),
    org: h("input", { id: "sync-org", type: "text", autocomplete: "off", spellcheck: "false" }),
    user: h("input", { id: "sync-user", type: "text", autocomplete: "username", spellcheck: "false" }),
    password: h("input", { id: "sync-password", type: "password", autocomplete: "current-password" }),
    caFile: h("input", { id: "sync-ca", type: "text", autocomplete: "off", spellcheck: "false" }),
  };
  private readonly dialogError = h("p", { id: "sync-dialog-error", class: "problem", role: "alert" });
  private problems: SettingsProblem[] = [];
  private dialogFailure: IpcError | null = null;

  private readonly conflicts: ConflictPanel;
  private status: SyncStatus | null = null;
  private running: SyncProgress | null = null;
  /** The person asked the running sync to stop; it does after its current batch. */
  private stopping = false;
  private messageNow: Message = null;
  private soon: ReturnType<typeof setTimeout> | undefined;
  private shownPath: string | null = null;

  constructor(private readonly host: SyncHost) {
    this.button.addEventListener("click", () => void this.syncPressed());
    this.settingsButton.addEventListener("click", () => this.openDialog(null));
    this.cancelButton.addEventListener("click", () => void this.cancel());
    this.conflictsButton.addEventListener("click", () => void this.conflicts.toggle());
    this.conflicts = new ConflictPanel({
      lang: () => host.lang(),
      model: () => host.model(),
      user: () => host.user(),
      zoomTo: (e) => host.zoomTo(e),
      resolved: (changed) => {
        if (changed) host.dataChanged(false);
        this.say({ kind: "ok", text: (lang) => t(lang, "sync.resolved") });
        this.refreshSoon();
      },
    });
    this.element = h(
      "div",
      { class: "sync", id: "sync" },
      h("div", { class: "sync-row" }, this.button, this.settingsButton, h("span", { id: "sync-badge", class: "sync-badge", role: "status" }, this.state, this.last, this.conflictsButton)),
      this.progressBox,
      this.message,
    );
    this.buildDialog();
    document.body.append(this.dialog, this.conflicts.element);
    void onProgress((p) => {
      this.running = p;
      this.render();
    });
    void onDone((d) => this.finished(d));
    setInterval(() => void this.refresh(), POLL_MS);
  }

  /** After anything that may have changed the file (an edit): the badge is read again shortly. */
  refreshSoon(): void {
    clearTimeout(this.soon);
    this.soon = setTimeout(() => void this.refresh(), SOON_MS);
  }

  async refresh(): Promise<void> {
    const path = this.host.path();
    if (path !== this.shownPath) {
      this.shownPath = path;
      this.messageNow = null;
      this.conflicts.hide();
    }
    if (!path) {
      this.status = null;
      this.render();
      return;
    }
    try {
      this.status = await syncStatus();
      if (!this.status.running && this.running) this.running = null;
    } catch {
      this.status = null;
    }
    this.render();
  }

  render(): void {
    const lang = this.host.lang();
    const s = this.status;
    const running = s?.running === true || this.running !== null;
    this.button.textContent = t(lang, "sync.button");
    this.button.title = t(lang, "sync.buttonTitle");
    this.button.disabled = !this.host.path() || running;
    this.settingsButton.title = t(lang, "sync.settingsButton");
    this.settingsButton.setAttribute("aria-label", t(lang, "sync.settingsButton"));
    if (s) {
      const view = statusView({ ...s, running }, lang);
      this.state.textContent = view.headline;
      this.state.dataset["phase"] = view.phase;
      this.last.textContent = view.last;
      this.conflictsButton.hidden = s.open_conflicts === 0 && !this.conflicts.open;
      this.conflictsButton.textContent = view.conflicts || t(lang, "sync.conflictsButton");
    } else {
      this.state.textContent = "";
      this.last.textContent = "";
      this.conflictsButton.hidden = true;
    }
    this.progressBox.hidden = !running;
    this.cancelButton.textContent = t(lang, this.stopping ? "sync.stopping" : "sync.stop");
    this.cancelButton.title = t(lang, "sync.stopTitle");
    this.cancelButton.disabled = this.stopping;
    if (running && this.running) {
      const p = progressView(this.running, lang);
      this.progressText.textContent = p.text || t(lang, "sync.phase.running");
      if (p.fraction === null) this.progress.removeAttribute("value");
      else this.progress.value = p.fraction;
    } else if (running) {
      this.progressText.textContent = t(lang, "sync.phase.running");
      this.progress.removeAttribute("value");
    }
    this.message.textContent = this.messageNow ? this.messageNow.text(lang) : "";
    this.message.className = `sync-message ${this.messageNow?.kind ?? ""}`;
    this.message.setAttribute("role", this.messageNow?.kind === "error" ? "alert" : "status");
    this.renderDialog(lang);
    this.conflicts.render();
  }

  // ------------------------------------------------------------ settings

  private stored(): unknown {
    try {
      return JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "[]");
    } catch {
      return [];
    }
  }

  private settings(): HubSettings {
    const path = this.host.path();
    return path ? settingsFor(this.stored(), path) : { ...EMPTY_SETTINGS };
  }

  private remember(s: HubSettings): void {
    const path = this.host.path();
    if (!path) return;
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(withSettings(this.stored(), path, s)));
    } catch {
      // Not remembered; this sync goes ahead all the same.
    }
  }

  private typed(): HubSettings {
    return {
      url: this.fields.url.value,
      org: this.fields.org.value,
      user: this.fields.user.value,
      caFile: this.fields.caFile.value,
    };
  }

  private passwordKnown(s: HubSettings): boolean {
    return this.status?.signed_in === sessionKey(s);
  }

  // ------------------------------------------------------------ syncing

  /** The sync button: straight to the hub when it is set and the password known, else the dialog. */
  private async syncPressed(): Promise<void> {
    const s = this.settings();
    await this.refresh();
    if (checkSettings(s, "", this.passwordKnown(s)).length > 0) {
      this.openDialog(null);
      return;
    }
    await this.start(s, "");
  }

  private async start(s: HubSettings, password: string): Promise<boolean> {
    this.messageNow = null;
    this.running = { step: "", total: 0, done: 0 };
    this.render();
    try {
      await syncStart({ url: s.url.trim(), org: s.org.trim(), user: s.user.trim(), password, ca_file: s.caFile.trim() }, this.host.user());
      await this.refresh();
      return true;
    } catch (error) {
      this.running = null;
      this.failed(error as IpcError);
      return false;
    }
  }

  /** Stops the running sync after the batch it is on; what was sent and received stays. */
  private async cancel(): Promise<void> {
    this.stopping = true;
    this.render();
    try {
      await syncCancel();
    } catch (error) {
      this.stopping = false;
      this.failed(error as IpcError);
    }
  }

  private finished(d: SyncDone): void {
    this.running = null;
    this.stopping = false;
    if (d.error?.code === "sync_cancelled") this.say({ kind: "ok", text: (lang) => t(lang, "sync.stopped") });
    else if (d.error) this.failed(d.error);
    else if (d.report) {
      const r = d.report;
      this.say({
        kind: "ok",
        text: (lang) => {
          const parts = [
            r.first
              ? t(lang, "sync.doneFirst", { n: formatNumber(r.pushed + r.duplicates, lang), s: r.seconds.toFixed(1) })
              : t(lang, "sync.done", {
                  sent: formatNumber(r.pushed + r.duplicates, lang),
                  changed: formatNumber(r.features_changed, lang),
                }),
          ];
          if (r.open_conflicts > 0) parts.push(t(lang, "sync.doneConflicts", { n: formatNumber(r.open_conflicts, lang) }));
          if (r.undo_cleared) parts.push(t(lang, "sync.undoCleared"));
          return parts.join(" · ");
        },
      });
      if (r.features_changed > 0) this.host.dataChanged(r.undo_cleared);
      if (this.conflicts.open || r.conflicts_raised > 0) void this.conflicts.reload();
    }
    void this.refresh();
  }

  private failed(error: IpcError): void {
    this.say({ kind: "error", text: (lang) => `${t(lang, "sync.failed")}: ${syncErrorText(error, lang)}` });
    // Wrong credentials or a session that ran out: the dialog asks again.
    if (error.code === "sync_credentials" || error.code === "sync_no_password") this.openDialog(error);
  }

  private say(message: Message): void {
    this.messageNow = message;
    this.render();
  }

  // ------------------------------------------------------------ the dialog

  private buildDialog(): void {
    const row = (name: keyof typeof this.fields, ...extra: HTMLElement[]) =>
      h("div", { class: "field", "data-field": name }, h("label", { for: this.fields[name].id }), ...extra, h("p", { class: "problem" }));
    const choose = h("button", { type: "button", id: "sync-ca-choose", class: "secondary" });
    choose.addEventListener("click", () => {
      void chooseCertificate()
        .then((file) => {
          if (file) this.fields.caFile.value = file;
        })
        .catch(() => undefined);
    });
    const go = h("button", { type: "submit", id: "sync-go" });
    const close = h("button", { type: "button", id: "sync-close", class: "secondary" });
    close.addEventListener("click", () => this.dialog.close());
    const forget = h("button", { type: "button", id: "sync-forget", class: "secondary" });
    forget.addEventListener("click", () => {
      void syncForgetPassword().then(() => this.refresh());
      this.fields.password.value = "";
    });
    const form = h(
      "form",
      { id: "sync-form", method: "dialog", novalidate: true },
      h("h2", { id: "sync-dialog-title" }),
      h("p", { class: "hint", id: "sync-dialog-hint" }),
      row("url", this.fields.url),
      row("org", this.fields.org),
      row("user", this.fields.user),
      row("password", this.fields.password, h("span", { class: "note", id: "sync-password-note" })),
      row("caFile", h("span", { class: "with-button" }, this.fields.caFile, choose)),
      this.dialogError,
      h("div", { class: "actions" }, go, forget, close),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.submit();
    });
    for (const input of Object.values(this.fields)) input.addEventListener("input", () => this.clearProblems());
    replace(this.dialog, form);
    this.dialog.setAttribute("aria-labelledby", "sync-dialog-title");
  }

  private clearProblems(): void {
    if (this.problems.length === 0 && !this.dialogFailure) return;
    this.problems = [];
    this.dialogFailure = null;
    this.renderDialog(this.host.lang());
  }

  /** Opens the hub dialog with the file's remembered settings; `failure` says why it is asked again. */
  private openDialog(failure: IpcError | null): void {
    const s = this.settings();
    this.fields.url.value = s.url;
    this.fields.org.value = s.org;
    this.fields.user.value = s.user;
    this.fields.caFile.value = s.caFile;
    this.fields.password.value = "";
    this.problems = [];
    this.dialogFailure = failure;
    this.renderDialog(this.host.lang());
    if (!this.dialog.open) this.dialog.showModal();
    const first = failure ? this.fields.password : Object.values(this.fields).find((f) => f.value === "") ?? this.fields.password;
    first.focus();
  }

  private async submit(): Promise<void> {
    const s = this.typed();
    const password = this.fields.password.value;
    this.problems = checkSettings(s, password, this.passwordKnown(s));
    this.dialogFailure = null;
    this.renderDialog(this.host.lang());
    if (this.problems.length > 0) {
      const first = this.problems[0];
      if (first) this.fields[first.field].focus();
      return;
    }
    this.remember(s);
    this.fields.password.value = "";
    this.dialog.close();
    await this.start(s, password);
  }

  private renderDialog(lang: Lang): void {
    const labels = { url: "sync.url", org: "sync.org", user: "sync.user", password: "sync.password", caFile: "sync.caFile" } as const;
    const title = this.dialog.querySelector("#sync-dialog-title");
    if (title) title.textContent = t(lang, "sync.dialogTitle");
    const hint = this.dialog.querySelector("#sync-dialog-hint");
    if (hint) hint.textContent = t(lang, "sync.dialogHint");
    for (const [name, key] of Object.entries(labels) as [keyof typeof labels, (typeof labels)[keyof typeof labels]][]) {
      const box = this.dialog.querySelector(`.field[data-field="${name}"]`);
      const label = box?.querySelector("label");
      if (label) label.textContent = t(lang, key);
      const problem = this.problems.find((p) => p.field === name);
      const p = box?.querySelector(".problem");
      if (p) p.textContent = problem ? t(lang, problem.key) : "";
      box?.classList.toggle("has-problem", problem !== undefined);
      this.fields[name].setAttribute("aria-invalid", String(problem !== undefined));
    }
    const note = this.dialog.querySelector("#sync-password-note");
    if (note) note.textContent = this.passwordKnown(this.typed()) ? t(lang, "sync.passwordKnown") : "";
    this.dialogError.textContent = this.dialogFailure ? syncErrorText(this.dialogFailure, lang) : "";
    const set = (id: string, key: Parameters<typeof t>[1]) => {
      const el = this.dialog.querySelector(`#${id}`);
      if (el) el.textContent = t(lang, key);
    };
    set("sync-go", "sync.start");
    set("sync-close", "sync.cancel");
    set("sync-forget", "sync.forget");
    set("sync-ca-choose", "sync.caChoose");
  }
}
