// A photo at full size over the window; Esc, the close button or a click
// beside the photo closes it.

import { photoUrl, type PhotoInfo } from "../api";
import { h, replace } from "../dom";
import { formatBytes, formatIsoDate, formatNumber } from "../format";
import { t, type Lang } from "../i18n";

/** `IMG_0012.jpg · 4032 × 3024 · 2.51 MB · สมชาย · 1 ต.ค. 2568`. */
export function photoCaption(p: PhotoInfo, lang: Lang): string {
  return [
    p.file_name ?? t(lang, "photo"),
    `${formatNumber(p.width, lang)} × ${formatNumber(p.height, lang)}`,
    formatBytes(p.byte_size, lang),
    p.created_by || null,
    p.created_at ? formatIsoDate(p.created_at, lang, { month: "short" }) : null,
  ]
    .filter((part): part is string => part !== null)
    .join(" · ");
}

export class PhotoViewer {
  readonly element = h("div", { id: "photo-viewer", class: "photo-viewer", role: "dialog", "aria-modal": "true", hidden: true });
  private opener: HTMLElement | null = null;

  constructor() {
    this.element.addEventListener("click", (e) => {
      if (e.target === this.element) this.close();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && !this.element.hidden) {
        e.stopPropagation();
        this.close();
      }
    }, true);
  }

  open(photo: PhotoInfo, lang: Lang, opener: HTMLElement): void {
    this.opener = opener;
    const close = h("button", { type: "button", class: "secondary", id: "photo-close" }, t(lang, "close"));
    close.addEventListener("click", () => this.close());
    const caption = photoCaption(photo, lang);
    replace(
      this.element,
      h(
        "figure",
        {},
        h("img", { src: photoUrl(photo.id), alt: caption }),
        h("figcaption", {}, caption, " ", close),
      ),
    );
    this.element.setAttribute("aria-label", caption);
    this.element.hidden = false;
    close.focus();
  }

  close(): void {
    this.element.hidden = true;
    replace(this.element);
    this.opener?.focus();
    this.opener = null;
  }
}
