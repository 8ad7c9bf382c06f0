// The photos of the feature shown (in the identify panel and the edit
// panel): thumbnails, the full photo on click and, while editing, attaching
// from the native picker, from a typed path (office PCs without a file
// manager at hand) or by dropping files on the window, and removing. The
// core checks size and image; its message is shown as it is.

import {
  attachPhoto,
  choosePhoto,
  photos,
  photoUrl,
  removePhoto,
  toIpcError,
  type EditOut,
  type IpcError,
  type PhotoInfo,
} from "../api";
import { h, replace } from "../dom";
import { formatNumber } from "../format";
import { t, type Lang } from "../i18n";
import { errorHeadline } from "../labels";
import type { FeatureRef } from "./changes";
import { photoCaption, type PhotoViewer } from "./photoviewer";

/** A refused photo's words: the core's own problem (size, not an image), else the error's headline. */
function photoError(error: IpcError, lang: Lang): string {
  const problem = error.problems?.[0];
  if (problem) return lang === "th" ? problem.th : problem.en;
  const path = error.path ? ` (${error.path})` : "";
  return `${errorHeadline(error, lang)}${path}`;
}

export class PhotoSection {
  readonly element = h("section", { id: "photos", class: "photos", "aria-labelledby": "photos-title" });
  private target: FeatureRef | null = null;
  private list: PhotoInfo[] = [];
  private error: IpcError | null = null;
  private editable = false;
  private busy = false;
  private lang: Lang = "th";
  /** The typed path survives a redraw. */
  private path = "";
  private ticket = 0;

  constructor(
    private readonly viewer: PhotoViewer,
    /** A photo was attached or removed: an edit, undoable like any other. */
    private readonly edited: (out: EditOut) => void,
  ) {}

  /** The feature whose photos are shown, if any. */
  get shown(): FeatureRef | null {
    return this.target;
  }

  setEditable(editable: boolean): void {
    this.editable = editable;
    this.render(this.lang);
  }

  async show(target: FeatureRef | null): Promise<void> {
    const same = target?.layer === this.target?.layer && target?.uid === this.target?.uid;
    this.target = target;
    if (!same) {
      this.list = [];
      this.error = null;
    }
    await this.reload();
  }

  async reload(): Promise<void> {
    const ticket = ++this.ticket;
    const target = this.target;
    if (target) {
      try {
        const found = await photos(target.layer, target.uid);
        if (ticket !== this.ticket) return;
        this.list = found;
      } catch (error) {
        if (ticket !== this.ticket) return;
        this.list = [];
        this.error = toIpcError(error);
        // A file that cannot be edited (read-only) has no photo list to show.
        if (this.error.code === "no_editor") this.target = null;
      }
    }
    this.render(this.lang);
  }

  /** Attaches the image at `path` to the feature shown. */
  async attach(path: string): Promise<void> {
    const target = this.target;
    if (!target || path.trim() === "") return;
    this.busy = true;
    this.error = null;
    this.render(this.lang);
    try {
      const out = await attachPhoto(target.layer, target.uid, path.trim());
      this.path = "";
      this.edited(out);
    } catch (error) {
      this.error = toIpcError(error);
    } finally {
      this.busy = false;
    }
    await this.reload();
  }

  private async choose(): Promise<void> {
    try {
      const path = await choosePhoto();
      if (path) await this.attach(path);
    } catch (error) {
      this.error = toIpcError(error);
      this.render(this.lang);
    }
  }

  private async remove(photo: PhotoInfo): Promise<void> {
    try {
      this.edited(await removePhoto(photo.uid));
    } catch (error) {
      this.error = toIpcError(error);
    }
    await this.reload();
  }

  render(lang: Lang): void {
    this.lang = lang;
    if (!this.target) {
      replace(this.element);
      this.element.hidden = true;
      return;
    }
    this.element.hidden = false;
    const title = h("h4", { id: "photos-title" }, `${t(lang, "photos")} (${formatNumber(this.list.length, lang)})`);
    const thumbs = this.list.map((p) => {
      const caption = photoCaption(p, lang);
      const open = h(
        "button",
        { type: "button", class: "thumb", title: caption, "aria-label": `${t(lang, "photoOpen")}: ${caption}` },
        h("img", { src: photoUrl(p.id), alt: p.file_name ?? t(lang, "photo"), loading: "lazy" }),
      );
      open.addEventListener("click", () => this.viewer.open(p, lang, open));
      const figure = h("figure", { "data-photo": p.id }, open, h("figcaption", {}, p.file_name ?? t(lang, "photo")));
      if (this.editable) {
        const remove = h("button", { type: "button", class: "secondary remove", "aria-label": `${t(lang, "photoRemove")}: ${caption}` }, "✕");
        remove.addEventListener("click", () => void this.remove(p));
        figure.append(remove);
      }
      return figure;
    });
    replace(
      this.element,
      title,
      thumbs.length > 0 ? h("div", { class: "thumbs" }, ...thumbs) : h("p", { class: "empty" }, t(lang, "photosNone")),
      this.editable ? this.attachControls(lang) : null,
      this.error ? h("p", { class: "problem", role: "alert", id: "photo-error" }, photoError(this.error, lang)) : null,
    );
  }

  private attachControls(lang: Lang): HTMLElement {
    const choose = h("button", { type: "button", id: "photo-choose", disabled: this.busy }, t(lang, "photoChoose"));
    choose.addEventListener("click", () => void this.choose());
    const path = h("input", { type: "text", id: "photo-path", autocomplete: "off", placeholder: t(lang, "photoPathPlaceholder") });
    path.value = this.path;
    path.addEventListener("input", () => (this.path = path.value));
    const attach = h("button", { type: "submit", class: "secondary", id: "photo-attach", disabled: this.busy }, t(lang, "photoAttach"));
    const form = h(
      "form",
      { class: "photo-path" },
      h("label", { for: "photo-path" }, t(lang, "photoPathLabel")),
      h("div", { class: "row" }, path, attach),
    );
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.attach(path.value);
    });
    return h("div", { class: "photo-attach" }, choose, form, h("p", { class: "hint" }, t(lang, "photoHint")));
  }
}
