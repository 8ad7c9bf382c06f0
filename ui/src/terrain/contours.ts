// Contour lines from the shell's contour tiles (the interval thinned at low
// zooms by the shell): thin brown lines, every fifth one — the index
// contours — thicker, with its elevation written along it.

import type { FeatureLike } from "ol/Feature";
import MVT from "ol/format/MVT";
import VectorTileLayer from "ol/layer/VectorTile";
import VectorTileSource from "ol/source/VectorTile";
import { Fill, Stroke, Style, Text } from "ol/style";

import { contourTiles } from "../api";
import { fetchTileLoader } from "../map/fetchtiles";
import { contourLabel } from "./measure";

export const CONTOUR_COLOUR = "#9c5a2c";
const FONT = '600 12px "Sarabun", sans-serif';

const line = new Style({ stroke: new Stroke({ color: "rgba(156, 90, 44, 0.75)", width: 0.8 }) });
const indexLine = new Style({ stroke: new Stroke({ color: CONTOUR_COLOUR, width: 1.6 }) });

export class ContourLayer extends VectorTileLayer {
  private interval = 0;
  private readonly labels = new Map<string, Style[]>();

  constructor(
    private readonly base: string,
    failed: (error: unknown) => void,
  ) {
    const format = new MVT();
    const source = new VectorTileSource({ format, maxZoom: 16 });
    source.setTileLoadFunction(fetchTileLoader(format, failed));
    super({
      source,
      visible: false,
      declutter: true,
      renderMode: "hybrid",
      // Its own canvas, so the lines can be told from the features'.
      className: "contours",
      style: (feature) => this.style(feature),
    });
  }

  /** The zoom of the tiles drawn at `resolution` (metres a pixel). */
  tileZoom(resolution: number): number {
    const source = this.getSource();
    const grid = source?.getTileGrid();
    return grid && source ? grid.getZForResolution(resolution, source.zDirection) : 0;
  }

  /** Draws contours every `metres`; the tiles are fetched again only when it changes. */
  setInterval(metres: number): void {
    if (metres === this.interval) return;
    this.interval = metres;
    this.getSource()?.setUrl(contourTiles(this.base, metres));
  }

  private style(feature: FeatureLike): Style | Style[] {
    const elev = feature.get("elev");
    if (feature.get("index") !== 1 || typeof elev !== "number") return line;
    const label = contourLabel(elev);
    let styles = this.labels.get(label);
    if (!styles) {
      styles = [
        indexLine,
        new Style({
          text: new Text({
            text: label,
            font: FONT,
            placement: "line",
            // Along long contours, again every so many pixels.
            repeat: 400,
            fill: new Fill({ color: CONTOUR_COLOUR }),
            stroke: new Stroke({ color: "#ffffff", width: 3 }),
          }),
        }),
      ];
      this.labels.set(label, styles);
    }
    return styles;
  }
}
