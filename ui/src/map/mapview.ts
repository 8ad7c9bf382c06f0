// The map: shaded relief under the municipality's vector tiles, both served
// by the shell's tiles:// scheme; styles by attribute, Thai labels along
// roads, hover highlight, identify on click, scale bar, north arrow and
// cursor coordinates in UTM and latitude/longitude. Overlays such as the
// contours go between the rasters and the features.

import "ol/ol.css";
import OlMap from "ol/Map";
import View from "ol/View";
import TileLayer from "ol/layer/Tile";
import VectorTileLayer from "ol/layer/VectorTile";
import XYZ from "ol/source/XYZ";
import VectorTileSource from "ol/source/VectorTile";
import MVT from "ol/format/MVT";
import ScaleLine from "ol/control/ScaleLine";
import { defaults as defaultControls } from "ol/control/defaults";
import { Circle as CircleStyle, Fill, Stroke, Style, Text } from "ol/style";
import type { FeatureLike } from "ol/Feature";
import type BaseLayer from "ol/layer/Base";

import { reliefTiles, tileBase, type Extent, type Relief } from "../api";
import type { Lang } from "../i18n";
import { mercatorToLonLat, toUtm } from "../utm";
import {
  BOUNDARY_COLOUR,
  DRAIN_COLOUR,
  DRAW_ORDER,
  LANDMARK_COLOUR,
  nameField,
  poleColour,
  poleRadius,
  roadColour,
  roadLabel,
  roadWidth,
  UNKNOWN_COLOUR,
} from "./symbols";
import { fetchTileLoader } from "./fetchtiles";

const FONT = '"Sarabun", sans-serif';
const VIEW_KEY = "tongtin.view";

export interface Picked {
  layer: string;
  fid: number;
}

interface SavedView {
  path: string;
  center: [number, number];
  zoom: number;
}

export class MapView {
  readonly map: OlMap;
  private readonly relief: TileLayer<XYZ>;
  private readonly features: VectorTileLayer;
  private lang: Lang = "th";
  private hidden = new Set<string>();
  /** Vector layers from bottom to top; the style's zIndex follows this order. */
  private order: string[] = [...DRAW_ORDER];
  private rasters: TileLayer<XYZ>[] = [];
  private readonly base: string;
  private hover: Picked | null = null;
  private path = "";
  private readonly styles = new Map<string, Style | Style[]>();
  /** Bumped after each edit: a new tile address makes the map fetch the tiles again. */
  private revision = 0;

  constructor(target: HTMLElement, coordinates: HTMLElement, onPick: (picked: Picked | null) => void) {
    const base = tileBase();
    this.base = base;
    this.relief = new TileLayer({
      source: new XYZ({ url: `${base}/hillshade/{z}/{x}/{y}.png`, maxZoom: 18, transition: 0, crossOrigin: "anonymous" }),
      opacity: 0.6,
      // Its own canvas, so its colours can be read apart from the features'.
      className: "relief",
      properties: { name: "hillshade" },
    });
    const format = new MVT();
    const source = new VectorTileSource({ format, url: `${base}/vector/{z}/{x}/{y}.pbf`, maxZoom: 16 });
    source.setTileLoadFunction(fetchTileLoader(format, (error) => (target.dataset["tileError"] = String(error))));
    this.features = new VectorTileLayer({
      source,
      style: (feature, resolution) => this.style(feature, resolution),
      declutter: true,
      renderMode: "hybrid",
    });
    this.map = new OlMap({
      target,
      layers: [this.relief, this.features],
      controls: defaultControls({ attribution: false }).extend([new ScaleLine({ units: "metric" })]),
      view: new View({ center: [11365720, 1916169], zoom: 12, maxZoom: 21 }),
    });
    this.map.on("pointermove", (e) => {
      if (e.dragging) return;
      const [x, y] = e.coordinate as [number, number];
      const [lon, lat] = mercatorToLonLat(x, y);
      const u = toUtm(lon, lat);
      coordinates.textContent =
        `E ${u.easting.toFixed(0)}  N ${u.northing.toFixed(0)}  ${u.zone}N · ` +
        `${lat.toFixed(5)}° ${lon.toFixed(5)}°`;
      const picked = this.pick(e.pixel);
      const changed = picked?.layer !== this.hover?.layer || picked?.fid !== this.hover?.fid;
      this.hover = picked;
      target.style.cursor = picked ? "pointer" : "";
      if (changed) this.features.changed();
    });
    this.map.on("singleclick", (e) => onPick(this.pick(e.pixel)));
    this.map.on("moveend", () => this.saveView());
  }

  /** Shows a newly opened file: its remembered view, or its whole extent. */
  show(path: string, extent: Extent | null): void {
    this.path = path;
    this.features.getSource()?.refresh();
    this.relief.getSource()?.refresh();
    const saved = this.savedView();
    if (saved && saved.path === path) {
      this.map.getView().setCenter(saved.center);
      this.map.getView().setZoom(saved.zoom);
    } else if (extent) {
      this.map.getView().fit(extent, { padding: [20, 20, 20, 20] });
    }
  }

  /**
   * Fetches the vector tiles again after an edit (the shell has dropped the
   * cached tiles of the edit's area, so the edit shows at once). The
   * revision query changes the tiles' key, so the old tiles stay on screen
   * until the new ones arrive; the shell reads only the path.
   */
  redraw(): void {
    this.revision += 1;
    this.features.getSource()?.setUrl(`${this.base}/vector/{z}/{x}/{y}.pbf?rev=${this.revision}`);
  }

  /**
   * Draws the relief with another sun, exaggeration or tint. The new tiles
   * have another key, so the old ones stay on screen until they arrive.
   */
  setRelief(relief: Relief): void {
    this.relief.getSource()?.setUrl(reliefTiles(this.base, relief));
  }

  /** Adds a layer above the relief and rasters, under the features (the contours). */
  addOverlay(layer: BaseLayer): void {
    const layers = this.map.getLayers();
    layers.insertAt(layers.getArray().indexOf(this.features), layer);
  }

  zoomTo(extent: Extent): void {
    this.map.getView().fit(extent, { padding: [60, 60, 60, 60], maxZoom: 18, duration: 300 });
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.styles.clear();
    this.features.changed();
  }

  /** The vector layers, bottom to top. */
  getOrder(): string[] {
    return [...this.order];
  }

  setOrder(order: string[]): void {
    this.order = [...order];
    this.styles.clear();
    this.features.changed();
  }

  /** Shows the file's raster tile pyramids (orthophotos) above the relief. */
  setRasters(tables: string[]): void {
    for (const layer of this.rasters) this.map.removeLayer(layer);
    this.rasters = tables.map(
      (table) =>
        new TileLayer({
          source: new XYZ({
            url: `${this.base}/raster/${encodeURIComponent(table)}/{z}/{x}/{y}.png`,
            maxZoom: 21,
            crossOrigin: "anonymous",
          }),
          properties: { name: table },
        }),
    );
    this.rasters.forEach((layer, i) => this.map.getLayers().insertAt(1 + i, layer));
  }

  setVisible(layer: string, visible: boolean): void {
    const raster = this.rasters.find((r) => r.get("name") === layer);
    if (raster) raster.setVisible(visible);
    else if (layer === "hillshade") this.relief.setVisible(visible);
    else if (visible) this.hidden.delete(layer);
    else this.hidden.add(layer);
    this.features.changed();
  }

  /** Opacity of the relief, a raster pyramid (by table) or "features" (all vector layers). */
  setOpacity(layer: string, opacity: number): void {
    if (layer === "hillshade") this.relief.setOpacity(opacity);
    else if (layer === "features") this.features.setOpacity(opacity);
    else this.rasters.find((r) => r.get("name") === layer)?.setOpacity(opacity);
  }

  opacity(layer: string): number {
    if (layer === "hillshade") return this.relief.getOpacity();
    if (layer === "features") return this.features.getOpacity();
    return this.rasters.find((r) => r.get("name") === layer)?.getOpacity() ?? 1;
  }

  private pick(pixel: number[]): Picked | null {
    let found: Picked | null = null;
    this.map.forEachFeatureAtPixel(
      pixel,
      (f) => {
        const layer = f.get("layer");
        const id = f.getId();
        if (typeof layer === "string" && layer !== "boundary" && id !== undefined) {
          found = { layer, fid: Number(id) };
          return true;
        }
        return false;
      },
      { hitTolerance: 4, layerFilter: (l) => l === this.features },
    );
    return found;
  }

  private cached(key: string, make: () => Style | Style[]): Style | Style[] {
    let s = this.styles.get(key);
    if (!s) {
      s = make();
      this.styles.set(key, s);
    }
    return s;
  }

  private style(feature: FeatureLike, resolution: number): Style | Style[] | undefined {
    const layer = String(feature.get("layer"));
    if (this.hidden.has(layer)) return undefined;
    const styles = this.layerStyle(layer, feature, resolution);
    // The layer's place in the order sets the hundreds of its zIndex.
    const rank = (this.order.indexOf(layer) + 1) * 100;
    // Labels stay above every layer's symbols.
    for (const s of styles === undefined ? [] : Array.isArray(styles) ? styles : [styles]) {
      s.setZIndex((s.getText() ? 10_000 : 0) + rank + ((s.getZIndex() ?? 0) % 100));
    }
    return styles;
  }

  private layerStyle(layer: string, feature: FeatureLike, resolution: number): Style | Style[] | undefined {
    const zoom = Math.round(this.map.getView().getZoomForResolution(resolution) ?? 12);
    const hovered = this.hover !== null && this.hover.layer === layer && this.hover.fid === Number(feature.getId());
    const p = feature.getProperties();
    switch (layer) {
      case "poles": {
        const colour = poleColour(p["status"], p["point_count"]);
        const radius = poleRadius(zoom, p["point_count"]) + (hovered ? 3 : 0);
        return this.cached(`pole:${colour}:${radius}:${hovered}`, () =>
          new Style({
            // Every pole is drawn: only labels make way for each other.
            image: new CircleStyle({
              radius,
              declutterMode: "none",
              fill: new Fill({ color: colour }),
              stroke: new Stroke({ color: hovered ? "#ffeb3b" : "#ffffff", width: hovered ? 3 : 1 }),
            }),
            zIndex: 40,
          }),
        );
      }
      case "roads": {
        const width = roadWidth(p["class"], zoom) + (hovered ? 3 : 0);
        const colour = hovered ? "#ffb300" : roadColour(p["surface"]);
        const line = this.cached(`road:${colour}:${width}`, () => [
          new Style({ stroke: new Stroke({ color: "#ffffff", width: width + 2 }), zIndex: 10 }),
          new Style({ stroke: new Stroke({ color: colour, width }), zIndex: 11 }),
        ]) as Style[];
        if (zoom < 15) return line;
        const label = roadLabel(p, this.lang);
        if (!label) return line;
        return [
          ...line,
          new Style({
            text: new Text({
              text: label,
              font: `600 13px ${FONT}`,
              placement: "line",
              fill: new Fill({ color: "#1d2430" }),
              stroke: new Stroke({ color: "#ffffff", width: 3 }),
            }),
            zIndex: 50,
          }),
        ];
      }
      case "drains":
        return this.cached(`drain:${hovered}`, () =>
          new Style({ stroke: new Stroke({ color: hovered ? "#ffb300" : DRAIN_COLOUR, width: hovered ? 4 : 2, lineDash: [6, 4] }), zIndex: 20 }),
        );
      case "landmarks": {
        const name = p[nameField(this.lang)] ?? p["name_th"];
        const dot = new Style({
          image: new CircleStyle({
            radius: hovered ? 8 : 6,
            declutterMode: "obstacle",
            fill: new Fill({ color: LANDMARK_COLOUR }),
            stroke: new Stroke({ color: "#ffffff", width: 2 }),
          }),
          zIndex: 45,
        });
        if (zoom < 13 || typeof name !== "string") return dot;
        return [
          dot,
          new Style({
            text: new Text({
              text: name,
              font: `600 13px ${FONT}`,
              offsetY: -14,
              fill: new Fill({ color: LANDMARK_COLOUR }),
              stroke: new Stroke({ color: "#ffffff", width: 3 }),
            }),
            zIndex: 60,
          }),
        ];
      }
      case "boundary":
        return this.cached("boundary", () =>
          new Style({ stroke: new Stroke({ color: BOUNDARY_COLOUR, width: 2.5, lineDash: [10, 6] }), zIndex: 5 }),
        );
      default:
        return this.cached(`other:${layer}:${hovered}`, () =>
          new Style({
            image: new CircleStyle({ radius: 4, fill: new Fill({ color: UNKNOWN_COLOUR }) }),
            stroke: new Stroke({ color: hovered ? "#ffb300" : UNKNOWN_COLOUR, width: 1.5 }),
            fill: new Fill({ color: "rgba(117,117,117,0.15)" }),
            zIndex: 30,
          }),
        );
    }
  }

  private savedView(): SavedView | null {
    try {
      const raw = localStorage.getItem(VIEW_KEY);
      return raw ? (JSON.parse(raw) as SavedView) : null;
    } catch {
      return null;
    }
  }

  private saveView(): void {
    const view = this.map.getView();
    const center = view.getCenter();
    const zoom = view.getZoom();
    if (!this.path || !center || zoom === undefined) return;
    try {
      const saved: SavedView = { path: this.path, center: [center[0] ?? 0, center[1] ?? 0], zoom };
      localStorage.setItem(VIEW_KEY, JSON.stringify(saved));
    } catch {
      // The view is not remembered; the map still works.
    }
  }
}
