// The terrain in the window: the relief's sun, exaggeration and tint and
// the contours (remembered per file), their legend, the ground elevation
// under the cursor, elevation profiles of roads, drains and drawn lines, and
// the check for drains that run uphill.

import { boundingExtent, buffer } from "ol/extent";

import {
  profile,
  terrainLegend,
  tileBase,
  toIpcError,
  type DataModel,
  type Extent,
  type Identified,
  type Profile,
  type ProfileOf,
  type TintLegend,
  type UphillDrain,
} from "../api";
import { h } from "../dom";
import { isTextField } from "../edit/keys";
import { t, type Lang } from "../i18n";
import type { MapView } from "../map/mapview";
import { ContourLayer } from "./contours";
import { TerrainControls } from "./controls";
import { CursorElevation } from "./cursor";
import { DrainCheck } from "./drains";
import { intervalAt } from "./interval";
import { renderTerrainLegend } from "./legend";
import { TerrainMarks } from "./marks";
import type { ProfileDraw } from "./profiledraw";
import { ProfilePanel, profileTitle, type ProfileTitle } from "./profilepanel";
import { DEFAULT_SETTINGS, settingsFor, settingsFrom, withSettings, type TerrainSettings } from "./settings";

const SETTINGS_KEY = "tongtin.terrain";
/** The relief waits this long after a slider moves before asking for new tiles. */
const RELIEF_DELAY_MS = 250;
/** Room around a drain chosen from the list when the map zooms to it. */
const DRAIN_MARGIN_M = 60;

export interface TerrainHost {
  lang(): Lang;
  model(): DataModel | null;
  /** Shows a feature in the identify panel as a click on it does; its details, or null. */
  identify(layer: string, fid: number): Promise<Identified | null>;
}

export interface TerrainParts {
  /** Where the profile panel goes (below the map). */
  profile: HTMLElement;
  /** The status bar's place for the ground elevation under the cursor. */
  elevation: HTMLElement;
}

export class Terrain {
  readonly controls: TerrainControls;
  /** The terrain's part of the legend panel. */
  readonly legend = h("div", { id: "terrain-legend" });
  private settings: TerrainSettings = { ...DEFAULT_SETTINGS };
  private path: string | null = null;
  /** The tint's legend; null for a file without terrain (or before it is known). */
  private tint: TintLegend | null = null;
  private known = false;
  private reliefTimer: ReturnType<typeof setTimeout> | undefined;
  private ticket = 0;
  private readonly contours: ContourLayer;
  private readonly marks = new TerrainMarks();
  /** The drawing tool, loaded on first use (browsing does not pay for the interaction). */
  private draw: ProfileDraw | null = null;
  /** The road or drain whose profile is open (not a drawn line), to read again after edits. */
  private profiled: { of: ProfileOf; title: ProfileTitle } | null = null;
  private readonly cursor: CursorElevation;
  private readonly drains: DrainCheck;
  private readonly panel: ProfilePanel;

  constructor(
    private readonly mapView: MapView,
    parts: TerrainParts,
    private readonly host: TerrainHost,
  ) {
    const map = mapView.map;
    this.contours = new ContourLayer(tileBase(), (error) => {
      const target = map.getTargetElement();
      if (target) target.dataset["tileError"] = String(error);
    });
    mapView.addOverlay(this.contours);
    let drawn = 0;
    map.on("moveend", () => {
      const now = this.drawnInterval();
      if (!this.settings.contours || now === drawn) return;
      drawn = now;
      this.render();
    });
    map.addLayer(this.marks);
    this.cursor = new CursorElevation(map, parts.elevation);
    this.drains = new DrainCheck({
      shown: (drains) => {
        this.marks.setDrains(drains?.map((d) => d.at) ?? []);
        this.render();
      },
      choose: (drain) => void this.chooseDrain(drain),
    });
    this.panel = new ProfilePanel({
      hover: (at) => this.marks.setPoint(at),
      closed: () => {
        this.marks.setLine(null);
        this.profiled = null;
      },
    });
    parts.profile.append(this.panel.element);
    this.controls = new TerrainControls(
      {
        change: (change, sliding) => this.change(change, sliding),
        drawProfile: () => void this.toggleDrawing(),
        checkDrains: () => {
          void this.drains.check();
          this.render();
        },
      },
      this.drains.element,
    );
  }

  /** Whether a line is being drawn for a profile (clicks on the map place its points). */
  get drawing(): boolean {
    return this.draw?.active ?? false;
  }

  /** Shows a newly opened file's terrain as it was last drawn for that file. */
  async open(path: string): Promise<void> {
    this.path = path;
    this.settings = settingsFor(this.stored(), path);
    this.draw?.stop();
    this.drains.close();
    this.panel.close();
    this.apply(false);
    this.tint = null;
    this.known = false;
    this.cursor.setEnabled(false);
    this.render();
    let tint: TintLegend | null = null;
    try {
      tint = await terrainLegend();
    } catch {
      // Drawn as a file without terrain: the relief stays blank and the tools are hidden.
    }
    if (this.path !== path) return;
    this.tint = tint;
    this.known = true;
    this.cursor.setEnabled(tint !== null);
    this.render();
  }

  /** The identify panel's button for the profile of a line feature (roads, drains); null for others. */
  profileButton(d: Identified): HTMLElement | null {
    const line = this.host.model()?.layers.find((l) => l.name === d.layer)?.geometry === "LINESTRING";
    const uid = d.fields.find((f) => f.name === "uid")?.value;
    if (!line || !uid || this.tint === null) return null;
    const lang = this.host.lang();
    const button = h(
      "button",
      { type: "button", class: "secondary", id: "identify-profile", title: t(lang, "profileButtonTitle") },
      t(lang, "profileButton"),
    );
    button.addEventListener("click", () => void this.showProfile({ layer: d.layer, uid }, profileTitle(d)));
    return button;
  }

  /**
   * Esc: stops drawing, else closes the profile, else the drain list. While
   * editing (where Esc belongs to the editor) only from inside them.
   */
  key(e: KeyboardEvent, editing: boolean): boolean {
    if (e.key !== "Escape" || isTextField(e.target)) return false;
    if (this.draw?.active) {
      this.draw.stop();
      this.render();
      return true;
    }
    const inside = (el: HTMLElement) => e.target instanceof Node && el.contains(e.target);
    if (this.panel.open && (!editing || inside(this.panel.element))) {
      this.panel.close();
      return true;
    }
    if (this.drains.open && (!editing || inside(this.drains.element))) {
      this.drains.close();
      return true;
    }
    return false;
  }

  /** The contour interval the tiles draw at the map's present zoom. */
  private drawnInterval(): number {
    const resolution = this.mapView.map.getView().getResolution();
    return resolution === undefined ? this.settings.interval : intervalAt(this.settings.interval, this.contours.tileZoom(resolution));
  }

  render(lang: Lang = this.host.lang()): void {
    this.controls.render({
      lang,
      settings: this.settings,
      available: this.known ? this.tint !== null : null,
      drawing: this.drawing,
      checking: this.drains.checking,
    });
    renderTerrainLegend(this.legend, lang, this.settings, this.tint, this.drawnInterval());
    this.drains.render(lang);
    this.panel.render(lang);
    this.cursor.render(lang);
  }

  private change(change: Partial<TerrainSettings>, sliding: boolean): void {
    this.settings = settingsFrom({ ...this.settings, ...change });
    this.apply(sliding);
    this.save();
    this.render();
  }

  /** Draws the relief and contours as the settings say; while a slider moves, the relief waits for it to rest. */
  private apply(wait: boolean): void {
    clearTimeout(this.reliefTimer);
    if (wait) this.reliefTimer = setTimeout(() => this.mapView.setRelief(this.settings), RELIEF_DELAY_MS);
    else this.mapView.setRelief(this.settings);
    this.contours.setInterval(this.settings.interval);
    this.contours.setVisible(this.settings.contours);
  }

  private stored(): unknown {
    try {
      return JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? "[]");
    } catch {
      return [];
    }
  }

  private save(): void {
    if (!this.path) return;
    try {
      localStorage.setItem(SETTINGS_KEY, JSON.stringify(withSettings(this.stored(), this.path, this.settings)));
    } catch {
      // Not remembered; the map is drawn all the same.
    }
  }

  private async toggleDrawing(): Promise<void> {
    if (this.draw?.active) this.draw.stop();
    else {
      if (!this.draw) {
        const { ProfileDraw } = await import("./profiledraw");
        this.draw ??= new ProfileDraw(this.mapView.map);
      }
      const title = { th: t("th", "profileDrawn"), en: t("en", "profileDrawn") };
      this.draw.start((line) => void this.showProfile({ coordinates: line }, title));
    }
    this.render();
  }

  /** The file changed: an open profile of a road or drain is read again, since its line may have moved. */
  refreshProfile(): void {
    if (this.profiled && this.panel.open) void this.showProfile(this.profiled.of, this.profiled.title, false);
  }

  /** Shows the profile of `of`; `reveal` clears the panel while it loads and scrolls it into view. */
  private async showProfile(of: ProfileOf, title: ProfileTitle, reveal = true): Promise<Profile | null> {
    const ticket = ++this.ticket;
    this.profiled = "layer" in of ? { of, title } : null;
    if (reveal) {
      this.marks.setLine(null);
      this.panel.loading(title);
      this.render();
    }
    try {
      const found = await profile(of);
      if (ticket !== this.ticket) return null;
      this.panel.show(title, found);
      this.marks.setLine(found.points.map((p) => p.at));
      if (reveal) this.panel.element.scrollIntoView({ block: "nearest" });
      return found;
    } catch (error) {
      if (ticket === this.ticket) this.panel.failed(title, toIpcError(error));
      return null;
    } finally {
      this.render();
    }
  }

  /** A drain from the list: its details in the identify panel, its profile, and the map zoomed to it. */
  private async chooseDrain(drain: UphillDrain): Promise<void> {
    const found = await this.host.identify("drains", drain.fid);
    const title = found
      ? profileTitle(found)
      : { th: t("th", "drainItem", { fid: drain.fid }), en: t("en", "drainItem", { fid: drain.fid }) };
    const p = await this.showProfile({ layer: "drains", uid: drain.uid }, title);
    const line = p?.points.map((q) => q.at) ?? [drain.at];
    this.mapView.zoomTo(buffer(boundingExtent(line), DRAIN_MARGIN_M) as Extent);
  }
}
