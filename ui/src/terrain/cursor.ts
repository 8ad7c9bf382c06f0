// The ground elevation under the cursor, in the status bar under the map:
// asked of the shell when the pointer rests (one question at a time), blank
// off the terrain, off the map and for a file without terrain.

import type OlMap from "ol/Map";

import { elevationAt, type XY } from "../api";
import type { Lang } from "../i18n";
import { Latest } from "./latest";
import { groundText } from "./measure";

const DELAY_MS = 100;

export class CursorElevation {
  private value: number | null = null;
  private lang: Lang = "th";
  private enabled = false;
  private readonly latest = new Latest<XY, number | null>(
    (at) => elevationAt(at),
    (value) => {
      this.value = value;
      this.render(this.lang);
    },
    DELAY_MS,
  );

  constructor(
    map: OlMap,
    private readonly element: HTMLElement,
  ) {
    map.on("pointermove", (e) => {
      if (this.enabled && !e.dragging) this.latest.request(e.coordinate as XY);
    });
    map.getViewport().addEventListener("pointerleave", () => this.clear());
  }

  /** Whether the open file has terrain to ask about. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.clear();
  }

  render(lang: Lang): void {
    this.lang = lang;
    this.element.textContent = groundText(this.value, lang);
  }

  private clear(): void {
    this.latest.cancel();
    this.value = null;
    this.render(this.lang);
  }
}
