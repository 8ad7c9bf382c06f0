// What the terrain tools show on top of the map: the line of the profile
// shown, the point read on its chart, and a red arrowhead at the start of
// every drain that runs uphill while their list is open.

import Feature from "ol/Feature";
import type { FeatureLike } from "ol/Feature";
import type { Geometry } from "ol/geom";
import LineString from "ol/geom/LineString";
import Point from "ol/geom/Point";
import VectorLayer from "ol/layer/Vector";
import VectorSource from "ol/source/Vector";
import { Circle as CircleStyle, Fill, RegularShape, Stroke, Style } from "ol/style";

import type { XY } from "../api";

const PROFILE_COLOUR = "#00695c";
const UPHILL_COLOUR = "#c62828";

type Kind = "line" | "point" | "drain";

const STYLES: Record<Kind, Style[]> = {
  line: [
    new Style({ stroke: new Stroke({ color: "#ffffff", width: 8 }) }),
    new Style({ stroke: new Stroke({ color: PROFILE_COLOUR, width: 4 }) }),
  ],
  point: [
    new Style({
      image: new CircleStyle({ radius: 7, fill: new Fill({ color: "#ffffff" }), stroke: new Stroke({ color: PROFILE_COLOUR, width: 3 }) }),
    }),
  ],
  drain: [
    new Style({
      image: new RegularShape({
        points: 3,
        radius: 10,
        fill: new Fill({ color: UPHILL_COLOUR }),
        stroke: new Stroke({ color: "#ffffff", width: 2 }),
      }),
    }),
  ],
};

export class TerrainMarks extends VectorLayer<VectorSource<Feature<Geometry>>> {
  private readonly line = new Feature<Geometry>({ kind: "line" });
  private readonly point = new Feature<Geometry>({ kind: "point" });
  private drains: Feature<Geometry>[] = [];

  constructor() {
    super({
      source: new VectorSource<Feature<Geometry>>(),
      // Above the features and the editing layers.
      zIndex: 20,
      style: (feature: FeatureLike) => STYLES[feature.get("kind") as Kind],
      updateWhileAnimating: true,
      updateWhileInteracting: true,
    });
  }

  /** The line of the profile shown, or none. */
  setLine(coordinates: XY[] | null): void {
    this.place(this.line, coordinates && coordinates.length > 1 ? new LineString(coordinates) : null);
  }

  /** The point read on the chart, or none. */
  setPoint(at: XY | null): void {
    this.place(this.point, at ? new Point(at) : null);
  }

  /** Arrowheads at the starts of the drains that run uphill (none: an empty list). */
  setDrains(starts: XY[]): void {
    const source = this.getSource();
    for (const f of this.drains) source?.removeFeature(f);
    this.drains = starts.map((at) => new Feature<Geometry>({ kind: "drain", geometry: new Point(at) }));
    source?.addFeatures(this.drains);
  }

  private place(feature: Feature<Geometry>, geometry: Geometry | null): void {
    const source = this.getSource();
    if (!source) return;
    if (!geometry) {
      if (source.hasFeature(feature)) source.removeFeature(feature);
      return;
    }
    feature.setGeometry(geometry);
    if (!source.hasFeature(feature)) source.addFeature(feature);
  }
}
