// The map side of editing: the working set drawn on top of the tiles and the
// OpenLayers interactions of each tool (select with Shift and Ctrl+drag for
// several, move, reshape, draw, split, pick a feature to copy from), all
// snapping to the features of the working set. What the user did is handed
// to the editor as events; nothing is written here. The editor loads this
// module the first time editing is switched on, so browsing does not pay
// for the interactions.

import type OlMap from "ol/Map";
import type MapBrowserEvent from "ol/MapBrowserEvent";
import Feature from "ol/Feature";
import type { Geometry } from "ol/geom";
import LineString from "ol/geom/LineString";
import Point from "ol/geom/Point";
import VectorSource from "ol/source/Vector";
import Collection from "ol/Collection";
import Select from "ol/interaction/Select";
import DragBox from "ol/interaction/DragBox";
import Translate from "ol/interaction/Translate";
import Modify from "ol/interaction/Modify";
import Draw from "ol/interaction/Draw";
import Snap from "ol/interaction/Snap";
import { platformModifierKeyOnly, shiftKeyOnly } from "ol/events/condition";
import type { EventsKey } from "ol/events";
import { unByKey } from "ol/Observable";

import type { GeometryIn } from "../api";
import type { XY } from "../api";
import { WorkingLayer, selectedStyle } from "./workinglayer";
import { refOf, WorkingSource, type Ref } from "./workingsource";

export type Tool =
  | { kind: "select" }
  | { kind: "move" }
  | { kind: "reshape" }
  | { kind: "split" }
  | { kind: "copy" }
  | { kind: "add"; layer: string; draw: "Point" | "LineString" };

export interface ToolEvents {
  /** The selection changed on the map. */
  selected(refs: Ref[]): void;
  /** A new feature's geometry was drawn. */
  drawn(layer: string, geometry: GeometryIn): void;
  /** Features were moved or reshaped; `revert` puts them back if the edit is refused. */
  reshaped(verb: "move" | "reshape", changed: { ref: Ref; geometry: GeometryIn }[], revert: () => void): void;
  /** A line was clicked with the split tool. */
  splitAt(ref: Ref, at: XY): void;
  /** A feature was clicked with the copy tool: the one to copy from. */
  picked(ref: Ref): void;
}

/** A feature's geometry as an edit sends it (points and lines are what the map edits). */
function geometryIn(feature: Feature<Geometry>): GeometryIn | null {
  const g = feature.getGeometry();
  if (g instanceof Point) return { type: "Point", coordinates: g.getCoordinates() as XY };
  if (g instanceof LineString) return { type: "LineString", coordinates: g.getCoordinates() as XY[] };
  return null;
}

export class EditTools {
  /** The features around the view: what the interactions edit and snap to. */
  readonly source: WorkingSource;
  private readonly layer: WorkingLayer;
  private readonly draft = new VectorSource<Feature<Geometry>>();
  private readonly draftLayer: WorkingLayer;
  private readonly select: Select;
  private readonly box = new DragBox({ condition: platformModifierKeyOnly });
  private readonly translate: Translate;
  private readonly modify: Modify;
  private readonly snap: Snap;
  private draw: Draw | null = null;
  /** Whether a line is being drawn (Esc stops it before it cancels the tool). */
  private drawing = false;
  private tool: Tool = { kind: "select" };
  private active = false;
  private clickKey: EventsKey | null = null;
  /** Geometries before a move or reshape began, to tell what changed and to put it back. */
  private before = new Map<Feature<Geometry>, Geometry>();

  constructor(
    private readonly map: OlMap,
    layers: string[],
    private readonly events: ToolEvents,
  ) {
    const source = new WorkingSource(layers);
    this.source = source;
    this.layer = new WorkingLayer(source, "editable");
    this.draftLayer = new WorkingLayer(this.draft, "draft");
    this.select = new Select({
      layers: [this.layer],
      style: selectedStyle,
      hitTolerance: 5,
      toggleCondition: shiftKeyOnly,
    });
    this.select.on("select", () => this.events.selected(this.selected()));
    this.box.on("boxend", () => {
      const extent = this.box.getGeometry().getExtent();
      const chosen = this.select.getFeatures();
      source.forEachFeatureIntersectingExtent(extent, (f) => {
        if (!chosen.getArray().includes(f)) chosen.push(f);
      });
      this.events.selected(this.selected());
    });
    const chosen = this.select.getFeatures() as Collection<Feature<Geometry>>;
    this.translate = new Translate({ features: chosen });
    this.modify = new Modify({ features: chosen });
    this.translate.on("translatestart", () => this.remember());
    this.translate.on("translateend", () => this.report("move"));
    this.modify.on("modifystart", () => this.remember());
    this.modify.on("modifyend", () => this.report("reshape"));
    this.snap = new Snap({ source, pixelTolerance: 10 });
  }

  /** Shows the working set and turns the tools on (or everything off). */
  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    if (active) {
      this.map.addLayer(this.layer);
      this.map.addLayer(this.draftLayer);
      for (const i of [this.select, this.box, this.translate, this.modify]) this.map.addInteraction(i);
      this.clickKey = this.map.on("singleclick", (e) => this.click(e));
      this.apply();
    } else {
      this.removeDraw();
      for (const i of [this.select, this.box, this.translate, this.modify, this.snap]) this.map.removeInteraction(i);
      this.map.removeLayer(this.layer);
      this.map.removeLayer(this.draftLayer);
      if (this.clickKey) unByKey(this.clickKey);
      this.clickKey = null;
      this.select.getFeatures().clear();
      this.draft.clear();
    }
  }

  setTool(tool: Tool): void {
    this.tool = tool;
    if (this.active) this.apply();
  }

  /** Selects these features on the map (those in the working set). */
  setSelection(refs: Ref[]): void {
    const chosen = this.select.getFeatures();
    chosen.clear();
    for (const r of refs) {
      const f = this.source.find(r.layer, r.uid);
      if (f) chosen.push(f);
    }
  }

  /** The features of the working set among `refs`, with their current fids. */
  resolve(refs: { layer: string; uid: string }[]): Ref[] {
    return refs.flatMap((r) => {
      const f = this.source.find(r.layer, r.uid);
      return f ? [refOf(f)] : [];
    });
  }


  /** Shows the geometry of a feature not saved yet (or none). */
  showDraft(geometry: GeometryIn | null): void {
    this.draft.clear();
    if (!geometry) return;
    const g = geometry.type === "Point" ? new Point(geometry.coordinates) : new LineString(geometry.coordinates);
    this.draft.addFeature(new Feature<Geometry>({ geometry: g }));
  }

  /** Stops a line being drawn; false when none was. */
  abortDrawing(): boolean {
    if (!this.draw || !this.drawing) return false;
    this.draw.abortDrawing();
    return true;
  }

  private selected(): Ref[] {
    return this.select.getFeatures().getArray().map(refOf);
  }

  /**
   * Turns on what the current tool uses. Snap is added last: OpenLayers runs
   * the newest interaction first, so the others receive snapped coordinates.
   */
  private apply(): void {
    const kind = this.tool.kind;
    this.removeDraw();
    this.map.removeInteraction(this.snap);
    this.select.setActive(kind === "select" || kind === "move" || kind === "reshape");
    this.box.setActive(kind === "select");
    this.translate.setActive(kind === "move");
    this.modify.setActive(kind === "reshape");
    if (this.tool.kind === "add") {
      const { layer, draw } = this.tool;
      this.draw = new Draw({ type: draw });
      this.draw.on("drawstart", () => (this.drawing = true));
      this.draw.on("drawabort", () => (this.drawing = false));
      this.draw.on("drawend", (e) => {
        this.drawing = false;
        const geometry = geometryIn(e.feature as Feature<Geometry>);
        if (geometry) this.events.drawn(layer, geometry);
      });
      this.map.addInteraction(this.draw);
    }
    if (kind === "add" || kind === "move" || kind === "reshape") this.map.addInteraction(this.snap);
  }

  private removeDraw(): void {
    if (!this.draw) return;
    this.map.removeInteraction(this.draw);
    this.draw = null;
    this.drawing = false;
  }

  private remember(): void {
    this.before = new Map(
      this.select
        .getFeatures()
        .getArray()
        .map((f) => [f as Feature<Geometry>, (f.getGeometry() as Geometry).clone()]),
    );
  }

  private report(verb: "move" | "reshape"): void {
    const before = this.before;
    this.before = new Map();
    const changed: { ref: Ref; geometry: GeometryIn }[] = [];
    for (const [feature, old] of before) {
      const geometry = geometryIn(feature);
      const was = old instanceof Point || old instanceof LineString ? JSON.stringify(old.getCoordinates()) : "";
      if (geometry && JSON.stringify(geometry.coordinates) !== was) changed.push({ ref: refOf(feature), geometry });
    }
    if (changed.length === 0) return;
    this.events.reshaped(verb, changed, () => {
      for (const [feature, old] of before) feature.setGeometry(old);
    });
  }

  /** Clicks of the split and copy tools: the feature under the pointer. */
  private click(e: MapBrowserEvent): void {
    const kind = this.tool.kind;
    if (kind !== "split" && kind !== "copy") return;
    let hit: Feature<Geometry> | null = null;
    this.map.forEachFeatureAtPixel(
      e.pixel,
      (f) => {
        const feature = f as Feature<Geometry>;
        if (kind === "split" && !(feature.getGeometry() instanceof LineString)) return false;
        hit = feature;
        return true;
      },
      { layerFilter: (l) => l === this.layer, hitTolerance: 6 },
    );
    if (!hit) return;
    const feature: Feature<Geometry> = hit;
    if (kind === "copy") {
      this.events.picked(refOf(feature));
      return;
    }
    this.events.splitAt(refOf(feature), e.coordinate as XY);
  }
}
