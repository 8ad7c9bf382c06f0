// The "draw a line for a profile" tool: click to place points, double-click
// to finish; Esc stops it. Nothing is written to the file.

import type OlMap from "ol/Map";
import Draw from "ol/interaction/Draw";
import LineString from "ol/geom/LineString";

import type { XY } from "../api";

export class ProfileDraw {
  private draw: Draw | null = null;

  constructor(private readonly map: OlMap) {}

  get active(): boolean {
    return this.draw !== null;
  }

  /** Starts drawing; `done` gets the line (EPSG:3857) once it is finished and the tool has stopped. */
  start(done: (line: XY[]) => void): void {
    this.stop();
    // Clicks while drawing place points; they neither identify nor select.
    const draw = new Draw({ type: "LineString", stopClick: true });
    draw.on("drawend", (e) => {
      const geometry = e.feature.getGeometry();
      // The double-click that finished the line reaches the map after this:
      // the tool stays until it has passed, so that it does not zoom in.
      setTimeout(() => {
        if (this.draw === draw) this.stop();
        if (geometry instanceof LineString) done(geometry.getCoordinates() as XY[]);
      }, 0);
    });
    this.map.addInteraction(draw);
    this.draw = draw;
  }

  /** Stops the tool; a line half drawn is dropped. */
  stop(): void {
    if (!this.draw) return;
    this.map.removeInteraction(this.draw);
    this.draw = null;
  }
}
