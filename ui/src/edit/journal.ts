// The journal browser: every change to the file, newest first, by anyone
// (the app's users and other programs), filtered by user, layer and dates;
// while editing, a changed or deleted feature can be put back from here.

import { history, toIpcError, type DataModel, type HistoryEntry, type IpcError } from "../api";
import { h, replace } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { errorHeadline, layerLabel } from "../labels";
import { renderEntry, restoreButton } from "./history";
import { journalFilter, JOURNAL_LIMIT, type JournalQuery } from "./historyformat";

/** The table photos are kept in (the core's Related Tables media table). */
const PHOTOS_TABLE = "tongtin_photos";

export class JournalBrowser {
  readonly element = h("section", { id: "journal", class: "journal", "aria-labelledby": "journal-title", hidden: true });
  private query: JournalQuery = { user: "", layer: "", since: "", until: "" };
  private entries: HistoryEntry[] | null = null;
  private error: IpcError | null = null;
  private bad: "since" | "until" | null = null;
  private lang: Lang = "th";
  /** While editing, entries offer to put their feature back as it was before them. */
  editable = false;

  constructor(
    private readonly model: () => DataModel | null,
    private readonly closed: () => void,
    private readonly restore: (layer: string, uid: string, seq: number) => void,
  ) {}

  get open(): boolean {
    return !this.element.hidden;
  }

  async show(): Promise<void> {
    this.element.hidden = false;
    await this.search();
  }

  hide(): void {
    this.element.hidden = true;
    this.entries = null;
  }

  async search(): Promise<void> {
    const { filter, bad } = journalFilter(this.query);
    this.bad = bad;
    if (!bad) {
      try {
        this.entries = await history(filter);
        this.error = null;
      } catch (error) {
        this.error = toIpcError(error);
      }
    }
    this.render(this.lang);
  }

  private layerName(layer: string, lang: Lang): string {
    if (layer === PHOTOS_TABLE) return t(lang, "photos");
    return layerLabel(this.model(), { name: layer, identifier: null }, lang).text;
  }

  render(lang: Lang): void {
    this.lang = lang;
    if (this.element.hidden) return;
    const text = (key: keyof JournalQuery, label: string, placeholder: string | null) => {
      const input = h("input", {
        type: "text",
        id: `journal-${key}`,
        name: key,
        autocomplete: "off",
        placeholder,
        "aria-invalid": this.bad === key ? "true" : null,
      });
      input.value = this.query[key];
      input.addEventListener("input", () => (this.query[key] = input.value));
      return h("div", { class: "filter" }, h("label", { for: input.id }, label), input);
    };
    const layers = h(
      "select",
      { id: "journal-layer", name: "layer" },
      h("option", { value: "" }, t(lang, "journalAllLayers")),
      ...(this.model()?.layers ?? []).map((l) => h("option", { value: l.name }, this.layerName(l.name, lang))),
      h("option", { value: PHOTOS_TABLE }, t(lang, "photos")),
    );
    layers.value = this.query.layer;
    layers.addEventListener("change", () => (this.query.layer = layers.value));
    const form = h(
      "form",
      { class: "journal-filters" },
      text("user", t(lang, "journalUser"), t(lang, "journalUserPlaceholder")),
      h("div", { class: "filter" }, h("label", { for: "journal-layer" }, t(lang, "journalLayer")), layers),
      text("since", t(lang, "journalSince"), t(lang, "datePlaceholder")),
      text("until", t(lang, "journalUntil"), t(lang, "datePlaceholder")),
      h("button", { type: "submit", id: "journal-search" }, t(lang, "journalSearch")),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.search();
    });
    const close = h("button", { type: "button", class: "secondary", id: "journal-close" }, t(lang, "close"));
    close.addEventListener("click", () => {
      this.hide();
      this.closed();
    });
    let results: Node | null = null;
    if (this.bad) results = h("p", { class: "problem", role: "alert" }, t(lang, "journalBadDate"));
    else if (this.error) results = h("p", { class: "problem", role: "alert" }, `${errorHeadline(this.error, lang)}: ${this.error.message}`);
    else if (this.entries) results = this.table(this.entries, lang);
    replace(
      this.element,
      h("div", { class: "journal-head" }, h("h2", { id: "journal-title" }, t(lang, "journalTitle")), close),
      form,
      results,
    );
  }

  private table(entries: HistoryEntry[], lang: Lang): Node {
    if (entries.length === 0) return h("p", { class: "empty" }, t(lang, "journalNone"));
    const count =
      entries.length >= JOURNAL_LIMIT
        ? t(lang, "journalLimited", { n: formatNumber(entries.length, lang) })
        : t(lang, "journalCount", { n: formatNumber(entries.length, lang) });
    return h(
      "div",
      {},
      h("p", { class: "note", id: "journal-count" }, count),
      h(
        "ol",
        { class: "journal-list", id: "journal-list" },
        ...entries.map((entry) =>
          h(
            "li",
            { "data-seq": entry.seq, "data-layer": entry.layer },
            h("p", { class: "entry-layer" }, this.layerName(entry.layer, lang), " ", h("code", {}, entry.uid.slice(0, 8))),
            ...renderEntry(entry, this.model(), lang),
            this.editable ? restoreButton(entry, lang, this.restore) : null,
          ),
        ),
      ),
    );
  }
}
