// The working set: the editable features around the view, loaded from the
// shell (`working_set`) into a vector source for the editing interactions
// (select, move, reshape, snap). The rest of the file stays in the map's
// tiles: handing Snap and Modify a whole 300,000-feature source cost ~3 s to
// set up, the features around the view 9 ms.

import Feature from "ol/Feature";
import VectorSource from "ol/source/Vector";
import LineString from "ol/geom/LineString";
import Point from "ol/geom/Point";
import Polygon from "ol/geom/Polygon";
import type { Geometry } from "ol/geom";

import { workingSet, type Extent, type WorkingFeature } from "../api";

/** A feature of the working set as the editor names it. */
export interface Ref {
  layer: string;
  uid: string;
  fid: number;
}

function featureId(layer: string, uid: string): string {
  return `${layer}/${uid}`;
}

/** The layer, uid and fid a working-set feature carries. */
export function refOf(feature: Feature<Geometry>): Ref {
  return { layer: String(feature.get("layer")), uid: String(feature.get("uid")), fid: Number(feature.get("fid")) };
}

function geometryOf(g: WorkingFeature["geometry"]): Geometry | null {
  switch (g.type) {
    case "Point":
      return new Point(g.coordinates);
    case "LineString":
      return new LineString(g.coordinates);
    case "Polygon":
      return new Polygon(g.coordinates);
    default:
      return null;
  }
}

function sameShape(a: Geometry | undefined, b: Geometry): boolean {
  if (!a || a.getType() !== b.getType()) return false;
  const coordinates = (g: Geometry) => JSON.stringify((g as Point | LineString | Polygon).getCoordinates());
  return coordinates(a) === coordinates(b);
}

export class WorkingSource extends VectorSource<Feature<Geometry>> {
  private ticket = 0;

  /** The editable layers: those with point or line geometry in the open file. */
  constructor(public layers: string[]) {
    super();
  }

  /**
   * Loads the features of the editable layers meeting `view` (EPSG:3857).
   * Features already here are kept (the selection holds them) and moved if
   * their geometry changed; an older load finishing late is ignored.
   */
  async load(view: Extent): Promise<void> {
    const ticket = ++this.ticket;
    const found = await workingSet(this.layers, view);
    if (ticket === this.ticket) this.replaceWith(found);
  }

  /** Forgets every feature (editing ended, or another file was opened). */
  forget(): void {
    this.ticket++;
    this.clear();
  }

  find(layer: string, uid: string): Feature<Geometry> | null {
    const found = this.getFeatureById(featureId(layer, uid));
    return found instanceof Feature ? found : null;
  }

  private replaceWith(found: WorkingFeature[]): void {
    const keep = new Set<string>();
    const added: Feature<Geometry>[] = [];
    for (const w of found) {
      const geometry = geometryOf(w.geometry);
      if (!geometry) continue;
      const id = featureId(w.layer, w.uid);
      keep.add(id);
      const existing = this.find(w.layer, w.uid);
      if (existing) {
        existing.set("fid", w.fid, true);
        if (!sameShape(existing.getGeometry(), geometry)) existing.setGeometry(geometry);
        continue;
      }
      const feature = new Feature<Geometry>({ geometry, layer: w.layer, uid: w.uid, fid: w.fid });
      feature.setId(id);
      added.push(feature);
    }
    const gone = this.getFeatures().filter((f) => !keep.has(String(f.getId())));
    if (gone.length > 0) this.removeFeatures(gone);
    if (added.length > 0) this.addFeatures(added);
  }
}
