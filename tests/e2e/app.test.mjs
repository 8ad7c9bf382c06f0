// End to end: the real built app under Xvfb, driven through tauri-driver
// and WebKitWebDriver. Run by tests/e2e/run.sh (part of scripts/test.sh).

import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { launch, root } from "./launch.mjs";
import { colouredPixels, sleep } from "./webdriver.mjs";

const shots = join(root, "target/e2e");

let app;
let session;
let launched;

before(async () => {
  launched = Date.now();
  app = await launch({ port: 4444, nativePort: 4445 });
  session = app.session;
});

after(async () => {
  if (!app) return;
  try {
    mkdirSync(shots, { recursive: true });
    writeFileSync(join(shots, "tongtin.png"), await session.screenshot());
  } finally {
    await app.stop();
  }
});

test("the demo opens and the map draws", async () => {
  const path = await session.waitForText("#file-path", (t) => t.endsWith("demo.gpkg"), 60000);
  assert.match(path, /demo\.gpkg$/);
  // Poles, roads and the boundary draw in colour on one of the map's canvases.
  let coloured = 0;
  for (let i = 0; i < 40 && coloured < 500; i++) {
    await sleep(250);
    coloured = await colouredPixels(session);
  }
  assert.ok(coloured >= 500, `the map shows ${coloured} coloured pixels`);
  // A measurement for docs/PERFORMANCE.md, not a pass/fail figure.
  console.log(`# launch to drawn map (demo generated on first run): ${Date.now() - launched} ms`);
  console.log(`# memory at idle: ${memory()}`);
});

/** Resident memory of the app and its WebKit processes, from ps. */
function memory() {
  const out = execSync("ps -eo rss=,comm=").toString();
  const rows = out.trim().split("\n").map((l) => l.trim().split(/\s+/)).filter(([, c]) => /tongtin-app|WebKit/.test(c ?? ""));
  const mb = (kb) => Math.round(Number(kb) / 1024);
  return rows.map(([kb, c]) => `${c} ${mb(kb)} MB`).join(", ") + `; total ${mb(rows.reduce((s, [kb]) => s + Number(kb), 0))} MB`;
}

test("a click on a pole shows its number", async () => {
  const search = await session.find("#search");
  await session.type(search, "นส.01-0001\uE007");
  await session.waitForText("#search-results", (t) => t.includes("นส.01-0001"));
  await session.type(search, "\uE00C");
  await sleep(2500);
  await session.clickCentre(await session.find("#map"));
  const number = await session.waitForText('#identify [data-field="pole_no"]', (t) => t.length > 0);
  assert.equal(number, "นส.01-0001");
});

test("search finds a road by its Thai code and zooms there", async () => {
  const before = JSON.parse(await session.run("return localStorage.getItem('tongtin.view')"));
  const search = await session.find("#search");
  await session.run("document.getElementById('search').value = ''");
  await session.type(search, "นภ.ถ 1-0003\uE007");
  const hits = await session.waitForText("#search-results", (t) => t.includes("นภ.ถ 1-0003"));
  assert.match(hits, /นภ\.ถ 1-0003/);
  await sleep(1500);
  const after = JSON.parse(await session.run("return localStorage.getItem('tongtin.view')"));
  assert.notDeepEqual(after.center, before.center, "the view moved to the road");
  assert.ok(after.zoom >= 13, `zoomed in to the road (zoom ${after.zoom})`);
});

test("switching to English changes the labels", async () => {
  assert.equal(await session.text(await session.find("#lang-switch")), "English");
  await session.click(await session.find("#lang-switch"));
  await session.waitForText("#lang-switch", (t) => t === "ภาษาไทย" || t === "ไทย" || t.includes("ไทย"));
  const panel = await session.waitForText("#layer-panel", (t) => t.includes("Street-light poles"));
  assert.match(panel, /Local roads/);
  const legend = await session.text(await session.find("#legend"));
  assert.match(legend, /In service/);
});
