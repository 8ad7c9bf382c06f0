// Start-up: the data model, then the file named on the command line or,
// without one, the demo municipality.

import "@fontsource/sarabun/thai-400.css";
import "@fontsource/sarabun/latin-400.css";
import "@fontsource/sarabun/thai-600.css";
import "@fontsource/sarabun/latin-600.css";
import "./style.css";

import { dataModel, demoFile, openFile, startupFile, toIpcError } from "./api";
import { isLang, otherLang } from "./i18n";
import { mount, type State } from "./view";

const LANG_KEY = "tongtin.lang";

function savedLang(): State["lang"] {
  try {
    const saved = localStorage.getItem(LANG_KEY);
    return isLang(saved) ? saved : "th";
  } catch {
    return "th";
  }
}

const state: State = { lang: savedLang(), model: null, summary: null, error: null, busy: null };

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app");

const render = mount(root, {
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
  dismissError() {
    state.error = null;
    render(state);
    document.getElementById("lang-switch")?.focus();
  },
});

async function load(path: string): Promise<void> {
  state.busy = "loading";
  render(state);
  try {
    state.summary = await openFile(path);
    state.error = null;
  } catch (error) {
    // The file shown before (if any) stays, with the banner above it.
    state.error = toIpcError(error);
  } finally {
    state.busy = null;
    render(state);
  }
}

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
