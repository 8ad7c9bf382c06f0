// Renders the window from the state in main.ts. The header (with the
// language button) is built once, so keyboard focus survives a language
// switch; the rest is rebuilt from the state on every change.

import type { DataModel, FileSummary, IpcError, LayerSummary } from "./api";
import { h, replace } from "./dom";
import { formatBuddhistDate, formatBytes, formatExtent, formatNumber } from "./format";
import { otherLang, t, type Lang } from "./i18n";
import { countLabel, errorHeadline, fieldLabel, geometryLabel, kindLabel, layerLabel } from "./labels";

export interface State {
  /** Files opened before, newest first. */
  recent: string[];
  lang: Lang;
  model: DataModel | null;
  summary: FileSummary | null;
  error: IpcError | null;
  /** What is happening now (`loading`, `loadingDemo`), or null when idle. */
  busy: "loading" | "loadingDemo" | null;
}

export interface Actions {
  toggleLanguage(): void;
  openDemo(): void;
  dismissError(): void;
  chooseFile(): void;
  openRecent(path: string): void;
}

interface Parts {
  title: HTMLElement;
  subtitle: HTMLElement;
  langButton: HTMLButtonElement;
  status: HTMLElement;
  banner: HTMLElement;
  content: HTMLElement;
  search: HTMLInputElement;
  northArrow: HTMLElement;
  openButton: HTMLButtonElement;
  recent: HTMLSelectElement;
}

/** The map's places in the window, built once so the map is never rebuilt. */
export interface MapParts {
  target: HTMLElement;
  coordinates: HTMLElement;
  /** The ground elevation under the cursor, beside the coordinates. */
  elevation: HTMLElement;
  identify: HTMLElement;
  layers: HTMLElement;
  legend: HTMLElement;
  search: HTMLInputElement;
  hits: HTMLElement;
  /** The editing bar above the map and the journal browser below it. */
  editBar: HTMLElement;
  journal: HTMLElement;
  /** Under the map and its status bar: the elevation profile. */
  profile: HTMLElement;
}

export function mount(root: HTMLElement, actions: Actions): { render: (state: State) => void; map: MapParts } {
  const title = h("h1", { id: "app-title" });
  const subtitle = h("p", { class: "subtitle" });
  const langButton = h("button", { type: "button", id: "lang-switch", class: "lang" });
  langButton.addEventListener("click", () => actions.toggleLanguage());
  const openButton = h("button", { type: "button", id: "open-file", class: "secondary" });
  openButton.addEventListener("click", () => actions.chooseFile());
  const recent = h("select", { id: "recent-files" });
  recent.addEventListener("change", () => {
    if (recent.value) actions.openRecent(recent.value);
    recent.value = "";
  });
  const search = h("input", { type: "search", id: "search", autocomplete: "off" });
  const hits = h("ul", { id: "search-results", class: "hits", hidden: true });
  const status = h("p", { id: "status", class: "status", role: "status", "aria-live": "polite" });
  const banner = h("div", { id: "banner" });
  const content = h("section", { id: "content", "aria-labelledby": "app-title" });
  const editBar = h("div", { id: "edit-bar", class: "edit-bar" });
  const journal = h("div", { class: "journal-wrap" });
  const target = h("div", { id: "map", class: "map" });
  const northArrow = h("div", { class: "north", "aria-hidden": "true" }, "▲", h("span", {}, "N"));
  const coordinates = h("p", { id: "coords", class: "coords" });
  const elevation = h("p", { id: "elevation", class: "coords elevation" });
  const profile = h("div", { class: "profile-wrap" });
  const identify = h("aside", { id: "identify", class: "side identify", "aria-live": "polite" });
  const layers = h("aside", { id: "layer-panel", class: "side" });
  const legend = h("aside", { id: "legend", class: "side legend" });
  replace(
    root,
    h(
      "header",
      { class: "bar" },
      h("div", { class: "brand" }, title, subtitle),
      h("div", { class: "files" }, openButton, recent),
      h("div", { class: "search" }, search, hits),
      langButton,
    ),
    h(
      "main",
      {},
      banner,
      status,
      editBar,
      h(
        "div",
        { class: "workspace" },
        h("div", { class: "left" }, layers, legend),
        h("div", { class: "map-wrap" }, target, northArrow, h("div", { class: "status-bar" }, coordinates, elevation), profile),
        identify,
      ),
      journal,
      content,
    ),
  );
  const parts: Parts = { title, subtitle, langButton, status, banner, content, search, northArrow, openButton, recent };
  return {
    render: (state) => render(parts, state, actions),
    map: { target, coordinates, elevation, identify, layers, legend, search, hits, editBar, journal, profile },
  };
}

function render(p: Parts, s: State, actions: Actions): void {
  const { lang } = s;
  document.documentElement.lang = lang;
  document.title = `${t(lang, "appName")} — ${s.summary ? baseName(s.summary.path) : t(lang, "noFile")}`;
  p.title.textContent = t(lang, "appName");
  p.subtitle.textContent = t(lang, "appSubtitle");
  p.langButton.textContent = t(lang, "switchLanguage");
  p.langButton.lang = otherLang(lang);
  p.langButton.setAttribute("aria-label", t(lang, "switchLanguageLabel"));
  p.search.placeholder = t(lang, "searchPlaceholder");
  p.search.setAttribute("aria-label", t(lang, "searchLabel"));
  p.northArrow.title = t(lang, "north");
  p.openButton.textContent = t(lang, "openFileButton");
  p.openButton.title = t(lang, "openFileLabel");
  p.recent.setAttribute("aria-label", t(lang, "recentFiles"));
  replace(
    p.recent,
    h("option", { value: "" }, t(lang, "recentFiles")),
    ...s.recent.map((path) => h("option", { value: path, title: path }, baseName(path))),
  );
  p.recent.disabled = s.recent.length === 0;
  p.status.textContent = s.busy ? t(lang, s.busy) : "";
  renderBanner(p.banner, s, actions);
  if (s.summary) replace(p.content, ...summaryView(s.summary, s.model, lang));
  else replace(p.content, s.busy ? null : h("p", { class: "empty" }, t(lang, "noFile")));
}

function renderBanner(banner: HTMLElement, s: State, actions: Actions): void {
  if (!s.error) {
    replace(banner);
    return;
  }
  const { lang, error } = s;
  const demo = h("button", { type: "button" }, t(lang, "openDemo"));
  demo.addEventListener("click", () => actions.openDemo());
  const dismiss = h("button", { type: "button", class: "secondary" }, t(lang, "dismiss"));
  dismiss.addEventListener("click", () => actions.dismissError());
  replace(
    banner,
    h(
      "div",
      { class: "banner", role: "alert" },
      h("p", { class: "banner-title" }, `${t(lang, "errorTitle")}: ${errorHeadline(error, lang)}`),
      error.path ? h("p", { class: "path" }, error.path) : null,
      error.message ? h("p", { class: "detail" }, `${t(lang, "errorDetail")}: ${error.message}`) : null,
      h("div", { class: "banner-actions" }, demo, dismiss),
    ),
  );
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

function summaryView(f: FileSummary, model: DataModel | null, lang: Lang): Node[] {
  const row = (label: string, ...value: (Node | string | null)[]) =>
    [h("dt", {}, label), h("dd", {}, ...value)] as const;
  let modelVersion: string;
  if (f.schema_version === null) modelVersion = t(lang, "notTongtin");
  else if (model && model.version !== f.schema_version)
    modelVersion = `${f.schema_version} ${t(lang, "modelVersionOfApp", { v: model.version })}`;
  else modelVersion = String(f.schema_version);
  const facts = h(
    "dl",
    { class: "facts" },
    ...row(t(lang, "file"), h("span", { class: "path", id: "file-path" }, f.path)),
    ...row(t(lang, "gpkgVersion"), f.gpkg_version ?? t(lang, "none")),
    ...row(t(lang, "modelVersion"), modelVersion),
    ...row(
      t(lang, "modified"),
      f.modified_ms === null ? t(lang, "none") : formatBuddhistDate(new Date(f.modified_ms), lang, { time: true }),
    ),
    ...row(t(lang, "size"), f.size_bytes === null ? t(lang, "none") : formatBytes(f.size_bytes, lang)),
    ...row(t(lang, "layerCount"), formatNumber(f.layers.length, lang)),
  );
  return [
    h("h2", { id: "file-heading" }, t(lang, "fileSummary")),
    facts,
    h("h2", { id: "layers-heading" }, `${t(lang, "layers")} (${formatNumber(f.layers.length, lang)})`),
    h(
      "div",
      { class: "table-wrap", tabindex: 0, role: "region", "aria-labelledby": "layers-heading" },
      layerTable(f.layers, model, lang),
    ),
  ];
}

function layerTable(layers: LayerSummary[], model: DataModel | null, lang: Lang): HTMLTableElement {
  const cols = ["colLabel", "colName", "colKind", "colGeometry", "colSrs", "colCount", "colExtent", "colFields"] as const;
  const head = h("thead", {}, h("tr", {}, ...cols.map((c) => h("th", { scope: "col" }, t(lang, c)))));
  const body = h("tbody", {}, ...layers.map((l) => layerRow(l, model, lang)));
  return h("table", { class: "layers", id: "layers" }, head, body);
}

function layerRow(l: LayerSummary, model: DataModel | null, lang: Lang): HTMLTableRowElement {
  const label = layerLabel(model, l, lang);
  const labelCell = h(
    "th",
    { scope: "row", class: label.known ? "label" : "label unknown" },
    label.text,
    label.known ? null : h("span", { class: "note" }, t(lang, "unknownLayer")),
  );
  let extent: Node | string = t(lang, "none");
  if (l.extent) {
    const e = formatExtent(l.extent, lang);
    extent = h("span", { class: "extent" }, h("span", {}, `x ${e.x}`), h("span", {}, `y ${e.y}`));
  }
  const count = h("td", { class: "num" }, countLabel(l.count, l.count_of, lang));
  if (l.zoom_levels) {
    const [min, max] = l.zoom_levels;
    count.append(h("span", { class: "note" }, t(lang, "zoomLevels", { min, max })));
  }
  return h(
    "tr",
    { "data-layer": l.name },
    labelCell,
    h("td", {}, h("code", {}, l.name)),
    h("td", {}, kindLabel(l.kind, lang)),
    h("td", {}, geometryLabel(l.geometry_type, l.dimensions, lang)),
    h("td", {}, l.srs ?? t(lang, "none")),
    count,
    h("td", { class: "num" }, extent),
    h("td", {}, fieldsView(l.name, model, lang)),
  );
}

function fieldsView(layer: string, model: DataModel | null, lang: Lang): Node | string {
  const def = model?.layers.find((l) => l.name === layer);
  if (!def || def.fields.length === 0) return t(lang, "none");
  return h(
    "details",
    {},
    h("summary", {}, t(lang, "fieldsCount", { n: formatNumber(def.fields.length, lang) })),
    h(
      "ul",
      { class: "fields" },
      ...def.fields.map((f) =>
        h("li", {}, fieldLabel(model, layer, f.name, lang), " ", h("code", {}, f.name)),
      ),
    ),
  );
}
