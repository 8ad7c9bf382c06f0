// Start-up: the data model, then the file named on the command line or,
// without one, the demo municipality.

import "@fontsource/sarabun/thai-400.css";
import "@fontsource/sarabun/latin-400.css";
import "@fontsource/sarabun/thai-600.css";
import "@fontsource/sarabun/latin-600.css";
import "./style.css";

import {
  chooseFile,
  dataModel,
  demoFile,
  identify,
  onFilesDropped,
  openFile,
  openMap,
  search,
  startupFile,
  toIpcError,
  type DataModel,
  type FileSummary,
  type Identified,
  type SearchHit,
} from "./api";
import { append, h } from "./dom";
import { Editor } from "./edit/editor";
// Equipment, work orders, inventory checks and reports (issue 6).
import { Inventory } from "./inventory/inventory";
import { isLang, otherLang } from "./i18n";
import { MapView, type Picked } from "./map/mapview";
import { renderHits, renderIdentify, renderLayers, renderLegend } from "./map/panels";
import { Terrain } from "./terrain/terrain";
import { savedUser } from "./edit/user";
import { SyncUi } from "./sync/sync";
import { mount, type State } from "./view";

const LANG_KEY = "tongtin.lang";
const RECENT_KEY = "tongtin.recent";
const RECENT_MAX = 8;

function savedRecent(): string[] {
  try {
    const list: unknown = JSON.parse(localStorage.getItem(RECENT_KEY) ?? "[]");
    return Array.isArray(list) ? list.filter((p): p is string => typeof p === "string").slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

function remember(path: string): void {
  state.recent = [path, ...state.recent.filter((p) => p !== path)].slice(0, RECENT_MAX);
  try {
    localStorage.setItem(RECENT_KEY, JSON.stringify(state.recent));
  } catch {
    // Not remembered; the file is open all the same.
  }
}

function savedLang(): State["lang"] {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    return isLang(saved) ? saved : "th";
  } catch {
    return "th";
  }
}

const state: State = { lang: savedLang(), recent: savedRecent(), model: null, summary: null, error: null, busy: null };

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app");

const hiddenLayers = new Set<string>();
let picked: Identified | null = null;
let hits: SearchHit[] | null = null;

const { render: renderView, map: parts } = mount(root, {
  toggleLanguage() {
    state.lang = otherLang(state.lang);
    try {
      localStorage.setItem(LANG_KEY, state.lang);
    } catch {
      // Language choice is not remembered; the switch still works.
    }
    render(state);
  },
  openDemo() {
    void loadDemo();
  },
  chooseFile() {
    void pickAndLoad();
  },
  openRecent(path: string) {
    void load(path);
  },
  dismissError() {
    state.error = null;
    render(state);
    document.getElementById("lang-switch")?.focus();
  },
});

// While editing, a click on the map selects for editing instead of identifying;
// while a line is drawn for a profile, it places a point.
const mapView = new MapView(parts.target, parts.coordinates, (p) => {
  if (!editor.active && !terrain.drawing) void pick(p);
});

const editor = new Editor(
  mapView,
  { bar: parts.editBar, panel: parts.identify, journal: parts.journal },
  {
    changed: () => render(state),
    model: () => state.model,
    lang: () => state.lang,
    modeChanged: () => {
      picked = null;
    },
    reopen: (path) => load(path),
    featuresChanged: () => terrain.refreshProfile(),
  },
);

const terrain = new Terrain(
  mapView,
  { profile: parts.profile, elevation: parts.elevation },
  {
    lang: () => state.lang,
    model: () => state.model,
    identify: (layer, fid) => pick({ layer, fid }),
  },
);

// Sync with the hub (issue 7): the button, badge and progress in the header,
// the hub dialog and the conflict list. Runs in the shell's background.
const sync = new SyncUi({
  lang: () => state.lang,
  model: () => state.model,
  path: () => state.summary?.path ?? null,
  user: () => savedUser(),
  zoomTo: (extent) => mapView.zoomTo(extent),
  dataChanged: (undoCleared) => void editor.externalChange(undoCleared),
});
root.querySelector("header.bar")?.insertBefore(sync.element, document.getElementById("lang-switch"));

// Equipment, work orders, inventory checks and reports (issue 6): a button
// and a go-to-number box in the header, a workbench over the map, and
// "report a fault" with the maintenance history in the identify panel.
const inventory = new Inventory(root.querySelector("header") ?? root, mapView, {
  lang: () => state.lang,
  model: () => state.model,
  path: () => state.summary?.path ?? null,
  identify: async (layer, fid) => {
    await pick({ layer, fid });
  },
});

// The layer list and legend are drawn again on every change; the terrain's
// controls beside them are built once (a slider being dragged, or the drain
// list in use, keeps the pointer and focus).
const layerList = h("div", {});
const legendList = h("div", {});
parts.layers.append(layerList, terrain.controls.element);
parts.legend.append(legendList, terrain.legend);

/** The layers edited on the map: the model's point and line layers that the file has. */
function editableLayers(summary: FileSummary, model: DataModel | null): string[] {
  const present = new Set(summary.layers.filter((l) => l.kind === "features").map((l) => l.name));
  return (model?.layers ?? [])
    .filter((l) => present.has(l.name) && (l.geometry === "POINT" || l.geometry === "LINESTRING"))
    .map((l) => l.name);
}

function render(s: State): void {
  renderView(s);
  mapView.setLang(s.lang);
  editor.render();
  if (!editor.active) renderBrowsing(s);
  renderHits(parts.hits, hits, s.model, s.lang, (hit) => void choose(hit));
  const rasters = s.summary?.layers.filter((l) => l.kind === "tiles").map((l) => l.name) ?? [];
  renderLayers(layerList, s.model, s.lang, mapView.getOrder(), rasters, {
    visible: (layer) => !hiddenLayers.has(layer),
    toggle: (layer, on) => {
      if (on) hiddenLayers.delete(layer);
      else hiddenLayers.add(layer);
      mapView.setVisible(layer, on);
    },
    move: (layer, up) => {
      const order = mapView.getOrder();
      const i = order.indexOf(layer);
      const j = up ? i + 1 : i - 1;
      if (i < 0 || j < 0 || j >= order.length) return;
      [order[i], order[j]] = [order[j] as string, order[i] as string];
      mapView.setOrder(order);
      render(state);
    },
    opacity: (layer) => mapView.opacity(layer),
    setOpacity: (layer, value) => mapView.setOpacity(layer, value),
  });
  renderLegend(legendList, s.model, s.lang);
  terrain.render(s.lang);
  // The sync badge is read again after every change (an edit adds to what waits).
  sync.render();
  sync.refreshSoon();

  inventory.render(s.lang);
}

/** The identify panel while browsing, with the feature's photos and history. */
function renderBrowsing(s: State): void {
  renderIdentify(parts.identify, picked, s.lang, () => {
    picked = null;
    editor.showBrowsing(null);
    render(state);
  });
  if (picked) append(parts.identify, terrain.profileButton(picked), editor.photos.element, editor.history.element);
  if (picked) inventory.decorate(parts.identify, picked);
}

/** Shows what was clicked (or chosen) in the identify panel; its details, or null. */
async function pick(p: Picked | null): Promise<Identified | null> {
  if (!p || !state.summary) {
    picked = null;
    editor.showBrowsing(null);
    render(state);
    return null;
  }
  try {
    picked = await identify(state.summary.path, p.layer, p.fid);
    const uid = picked?.fields.find((f) => f.name === "uid")?.value;
    editor.showBrowsing(picked && uid ? { layer: picked.layer, uid } : null);
  } catch (error) {
    state.error = toIpcError(error);
  }
  render(state);
  return picked;
}

async function choose(hit: SearchHit): Promise<void> {
  hits = null;
  if (hit.extent) mapView.zoomTo(hit.extent);
  await pick({ layer: hit.layer, fid: hit.fid });
}

parts.search.addEventListener("keydown", (e) => {
  if (e.key === "Escape") {
    hits = null;
    render(state);
    return;
  }
  if (e.key !== "Enter" || !state.summary) return;
  const query = parts.search.value;
  void search(state.summary.path, query)
    .then((found) => {
      hits = found;
      render(state);
      const first = found[0];
      if (first?.extent) mapView.zoomTo(first.extent);
    })
    .catch((error: unknown) => {
      state.error = toIpcError(error);
      render(state);
    });
});

async function load(path: string): Promise<void> {
  state.busy = "loading";
  render(state);
  try {
    state.summary = await openFile(path);
    mapView.show(path, await openMap(path));
    const features = state.summary.layers.filter((l) => l.kind === "features").map((l) => l.name);
    const known = mapView.getOrder().filter((n) => features.includes(n));
    // Layers the data model does not know go under its own, drawn with the default style.
    mapView.setOrder([...features.filter((n) => !known.includes(n)), ...known]);
    mapView.setRasters(state.summary.layers.filter((l) => l.kind === "tiles").map((l) => l.name));
    remember(path);
    picked = null;
    editor.showBrowsing(null);
    state.error = null;
    void editor.open(path, editableLayers(state.summary, state.model));
    void terrain.open(path);
    void inventory.open();
  } catch (error) {
    // The file shown before (if any) stays, with the banner above it.
    state.error = toIpcError(error);
  } finally {
    state.busy = null;
    render(state);
  }
}

async function pickAndLoad(): Promise<void> {
  try {
    const path = await chooseFile();
    if (path) await load(path);
  } catch (error) {
    state.error = toIpcError(error);
    render(state);
  }
}

document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && (e.code === "KeyO" || e.key.toLowerCase() === "o")) {
    e.preventDefault();
    void pickAndLoad();
    return;
  }
  if (terrain.key(e, editor.active)) {
    e.preventDefault();
    return;
  }
  editor.key(e);
});

onFilesDropped((paths) => void editor.dropped(paths));

async function loadDemo(): Promise<void> {
  state.busy = "loadingDemo";
  render(state);
  let path: string;
  try {
    path = await demoFile();
  } catch (error) {
    state.error = toIpcError(error);
    state.busy = null;
    render(state);
    return;
  }
  await load(path);
}

async function start(): Promise<void> {
  render(state);
  try {
    state.model = await dataModel();
  } catch (error) {
    state.error = toIpcError(error);
    render(state);
    return;
  }
  const path = await startupFile().catch(() => null);
  await (path ? load(path) : loadDemo());
}

void start();
