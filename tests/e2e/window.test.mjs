// End to end: the window opens at the size it had when the app last ran
// (the app's window.json), and resizing it saves the new size.

import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { freshHome, launch } from "./launch.mjs";
import { sleep } from "./webdriver.mjs";

const { home, dataDir } = freshHome();
const saved = join(dataDir, "window.json");
let app;

before(async () => {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(saved, JSON.stringify({ x: 30, y: 20, width: 1100, height: 720, maximized: false }));
  app = await launch({ port: 4460, nativePort: 4461, home });
});

after(async () => {
  await app?.stop();
});

test("the window opens at the size it had when it last closed", async () => {
  let rect;
  for (let i = 0; i < 50; i++) {
    rect = await app.session.call("GET", "/window/rect");
    if (rect.width === 1100) break;
    await sleep(200);
  }
  assert.deepEqual([rect.width, rect.height], [1100, 720]);
});

test("resizing the window saves its size", async () => {
  await app.session.call("POST", "/window/rect", { width: 1000, height: 700 });
  for (let i = 0; i < 50; i++) {
    if (existsSync(saved) && JSON.parse(readFileSync(saved, "utf8")).width !== 1100) break;
    await sleep(200);
  }
  const placement = JSON.parse(readFileSync(saved, "utf8"));
  assert.deepEqual([placement.width, placement.height, placement.maximized], [1000, 700, false]);
});
