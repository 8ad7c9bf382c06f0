// How the working set is drawn while editing, on top of the map's tiles: a
// blue outline on every editable feature, a yellow halo with vertex handles
// on the selected ones, and orange dashes for a feature being drawn.

import VectorLayer from "ol/layer/Vector";
import type VectorSource from "ol/source/Vector";
import type Feature from "ol/Feature";
import type { FeatureLike } from "ol/Feature";
import type { Geometry } from "ol/geom";
import LineString from "ol/geom/LineString";
import MultiPoint from "ol/geom/MultiPoint";
import { Circle as CircleStyle, Fill, RegularShape, Stroke, Style } from "ol/style";

const EDITABLE = "#0b5cad";
const HALO = "#ffeb3b";
const DRAFT = "#ef6c00";

function isPoint(feature: FeatureLike): boolean {
  return feature.getGeometry()?.getType() === "Point";
}

/** A thin outline: enough to show what can be edited without hiding the map's own colours. */
const editable = {
  point: new Style({ image: new CircleStyle({ radius: 6, stroke: new Stroke({ color: EDITABLE, width: 1.5 }) }) }),
  line: new Style({ stroke: new Stroke({ color: "rgba(11,92,173,0.45)", width: 2 }) }),
};

/** The vertices of a line as square handles (what reshaping drags). */
const vertices = new Style({
  image: new RegularShape({
    points: 4,
    radius: 5,
    angle: Math.PI / 4,
    fill: new Fill({ color: "#ffffff" }),
    stroke: new Stroke({ color: EDITABLE, width: 2 }),
  }),
  geometry: (feature) => {
    const g = feature.getGeometry();
    return g instanceof LineString ? new MultiPoint(g.getCoordinates()) : undefined;
  },
});

const selected = {
  point: [
    new Style({ image: new CircleStyle({ radius: 11, fill: new Fill({ color: HALO }) }) }),
    new Style({ image: new CircleStyle({ radius: 7, fill: new Fill({ color: EDITABLE }), stroke: new Stroke({ color: "#ffffff", width: 2 }) }) }),
  ],
  line: [
    new Style({ stroke: new Stroke({ color: HALO, width: 10 }) }),
    new Style({ stroke: new Stroke({ color: EDITABLE, width: 3 }) }),
    vertices,
  ],
};

const draft = {
  point: new Style({
    image: new CircleStyle({ radius: 8, fill: new Fill({ color: "rgba(239,108,0,0.35)" }), stroke: new Stroke({ color: DRAFT, width: 3 }) }),
  }),
  line: new Style({ stroke: new Stroke({ color: DRAFT, width: 4, lineDash: [8, 6] }) }),
};

/** The selected features' look (given to the Select interaction). */
export function selectedStyle(feature: FeatureLike): Style[] {
  return isPoint(feature) ? selected.point : selected.line;
}

export class WorkingLayer extends VectorLayer<VectorSource<Feature<Geometry>>> {
  constructor(source: VectorSource<Feature<Geometry>>, look: "editable" | "draft") {
    const styles = look === "editable" ? editable : draft;
    super({
      source,
      style: (feature) => (isPoint(feature) ? styles.point : styles.line),
      zIndex: look === "editable" ? 10 : 11,
      updateWhileInteracting: true,
    });
  }
}
