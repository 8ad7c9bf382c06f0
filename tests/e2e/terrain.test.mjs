// End to end: the terrain in the real app under Xvfb. The ground elevation
// under the cursor, the relief tinted by elevation with its legend, contour
// lines, the elevation profile of a road and of a drawn line, and the drains
// recorded against the slope. Every check reads what the window shows.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { launch, root } from "./launch.mjs";
import { countPixels, sleep } from "./webdriver.mjs";

const ESCAPE = "\uE00C";
/** Pixels with colour in them (the relief alone is grey). */
const COLOURED = "a > 100 && Math.max(r, g, b) - Math.min(r, g, b) > 40";
/** The contours' brown. */
const BROWN = "a > 100 && r > g + 25 && g > b + 10 && r - b > 60";

let app;
let session;

before(async () => {
  app = await launch({ port: 4450, nativePort: 4451 });
  session = app.session;
});

after(async () => {
  if (!app) return;
  try {
    mkdirSync(join(root, "target/e2e"), { recursive: true });
    writeFileSync(join(root, "target/e2e/tongtin-terrain.png"), await session.screenshot());
  } finally {
    await app.stop();
  }
});

const find = (css) => session.find(css);
const click = (css) => session.clickOn(css);
const text = async (css) => session.text(await find(css));
const shown = (css) => session.run("const e = document.querySelector(arguments[0]); return !!e && !e.closest('[hidden]')", css);

/** Waits until `check()` is true (it may throw while the window is not there yet). */
async function until(what, check, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      last = await check();
      if (last) return last;
    } catch {
      // not yet
    }
    await sleep(250);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A number as the window writes it (`1,208.4 ม.` → 1208.4). */
function number(written) {
  const m = /-?[\d,]+(\.\d+)?/.exec(written);
  assert.ok(m, `a number in ${JSON.stringify(written)}`);
  return Number(m[0].replaceAll(",", ""));
}

test("the demo opens with the terrain's controls", async () => {
  await session.waitForText("#file-path", (t) => t.endsWith("demo.gpkg"), 60000);
  await until("the terrain section", () => shown("#sun-azimuth"));
  assert.match(await text("#terrain-controls h4"), /ภูมิประเทศ/);
  assert.match(await text("#sun-azimuth-value"), /ตะวันตกเฉียงเหนือ 315°/);
});

test("the ground elevation under the cursor shows in the status bar", async () => {
  const map = await find("#map");
  await sleep(1500);
  await session.pointerMove(map, 20, 10);
  const written = await session.waitForText("#elevation", (t) => /^ระดับพื้นดิน [\d,]+\.\d ม\.$/.test(t));
  const elevation = number(written);
  assert.ok(elevation > 100 && elevation < 400, `a plausible ground elevation: ${elevation} m`);
  await session.pointerMove(await find("#layer-panel h3"), 0, 0);
  await session.waitForText("#elevation", (t) => t === "");
});

test("tinting by elevation colours the relief and shows its legend", async () => {
  const relief = "#map .relief canvas";
  await until("the relief to draw", async () => (await countPixels(session, relief, "a > 100")) > 10000);
  const before = await countPixels(session, relief, COLOURED);
  assert.equal(await shown("#tint-legend"), false);
  await click("#terrain-tint");
  const after = await until("coloured relief", async () => {
    const n = await countPixels(session, relief, COLOURED);
    return n > before + 10000 ? n : 0;
  });
  assert.ok(after > before, `coloured relief pixels ${before} → ${after}`);
  await until("the tint's legend", () => shown("#tint-legend"));
  const written = await session.run("return [...document.querySelectorAll('#tint-legend li')].map((li) => li.textContent)");
  const stops = written.map(number);
  assert.ok(stops.length >= 2, `the legend's elevations: ${written}`);
  assert.ok(stops[0] < stops[stops.length - 1], `lowest first: ${written}`);
  assert.ok(stops.every((e) => e > 100 && e < 400), `plausible elevations: ${stops}`);
});

test("contours at 10 m draw brown lines and say so in the legend", async () => {
  const contours = "#map .contours canvas";
  assert.equal(await session.value(await find("#contour-interval")), "10");
  await click("#contours-on");
  const n = await until("brown contour lines", async () => {
    const count = await countPixels(session, contours, BROWN);
    return count > 300 ? count : 0;
  });
  assert.ok(n > 300, `${n} brown pixels`);
  // The tiles thin the lines at low zooms; the legend says what is drawn.
  const thinned = /^เส้นชั้นความสูงทุก (50|250|1,250) ม\. ที่มาตราส่วนนี้ \(ซูมเข้าเพื่อดูทุก 10 ม\.\)$/;
  const zoom = async (button, times) => {
    for (let i = 0; i < times; i++) {
      await click(button);
      await sleep(400);
    }
  };
  await zoom(".ol-zoom-in", 4);
  await session.waitForText("#contour-legend", (t) => t === "เส้นชั้นความสูงทุก 10 ม.");
  await zoom(".ol-zoom-out", 4);
  await session.waitForText("#contour-legend", (t) => thinned.test(t));
});

test("a road's profile shows its length, lowest and highest ground", async () => {
  const search = await find("#search");
  await session.type(search, "นภ.ถ 1-0003\uE007");
  await session.waitForText("#search-results", (t) => t.includes("นภ.ถ 1-0003"));
  await click('#search-results button.hit[data-layer="roads"]');
  await session.waitForText("#identify-title", (t) => t.includes("ทางหลวงท้องถิ่น"));
  await click("#identify-profile");
  await session.waitForText("#profile-title", (t) => t.includes("นภ.ถ 1-0003"));
  const length = number(await session.waitForText("#profile-length", (t) => /\d/.test(t)));
  const min = number(await text("#profile-min"));
  const max = number(await text("#profile-max"));
  assert.ok(length > 0, `length ${length}`);
  assert.ok(min > 100 && max < 400 && min <= max, `lowest ${min} m, highest ${max} m`);
  assert.match(await text("#profile-steepest"), /%$/);
  // Pointing at the chart reads it.
  await session.pointerMove(await find("#profile-chart"), 30, 0);
  await session.waitForText("#profile-readout", (t) => /^ระยะ .+ · ระดับ [\d,.]+ ม\. · ความชัน/.test(t));
  await session.run("document.activeElement && document.activeElement.blur()");
  await session.chord([], ESCAPE);
  await until("the profile to close", async () => !(await shown("#profile-chart")));
});

test("a line drawn on the map gets its profile", async () => {
  await session.run("document.getElementById('map').scrollIntoView()");
  await click("#profile-draw");
  await session.waitForText("#profile-draw-hint", (t) => t.includes("ดับเบิลคลิก"));
  const map = await find("#map");
  await session.clickAt(map, -120, -40);
  await session.clickAt(map, 0, 30);
  await session.doubleClickAt(map, 120, 0);
  await session.waitForText("#profile-title", (t) => t.includes("เส้นที่วาด"));
  const length = number(await session.waitForText("#profile-length", (t) => /\d/.test(t)));
  assert.ok(length > 0, `length ${length}`);
  assert.equal(await session.run("return document.getElementById('profile-draw').getAttribute('aria-pressed')"), "false");
});

test("the drain check lists drains running uphill and opens one", async () => {
  await click("#drains-check");
  const summary = await session.waitForText("#drains-summary", (t) => /\d+ สาย/.test(t));
  assert.ok(number(summary) >= 1, summary);
  const first = await text("#drains-list li:first-child");
  const rise = number(/สูงขึ้น ([\d,.]+)/.exec(first)?.[1] ?? "");
  assert.ok(rise > 0, `the worst drain rises ${rise} m`);
  await click("#drains-list li:first-child button");
  await session.waitForText("#identify-title", (t) => t.includes("รางระบายน้ำ"));
  await session.waitForText("#profile-title", (t) => t.includes("รางระบายน้ำ"));
  const climb = number(await session.waitForText("#profile-climb", (t) => /\d/.test(t)));
  assert.ok(climb > 0, `the drain climbs ${climb} m along its recorded direction`);
  await click("#drains-close");
  assert.equal(await shown("#drains-list"), false);
});

test("the terrain's settings are remembered for the file", async () => {
  await session.run("location.reload()");
  await session.waitForText("#file-path", (t) => t.endsWith("demo.gpkg"), 60000);
  await until("the terrain section", () => shown("#terrain-tint"));
  assert.equal(await session.run("return document.getElementById('terrain-tint').checked"), true);
  assert.equal(await session.run("return document.getElementById('contours-on').checked"), true);
  await session.waitForText("#contour-legend", (t) => t.includes("10"));
});
