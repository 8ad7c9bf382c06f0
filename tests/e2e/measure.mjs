// Measurements for docs/PERFORMANCE.md (not a test): launch to a drawn map,
// and the app's memory at idle and after panning across the file.
//   xvfb-run -a node tests/e2e/measure.mjs FILE.gpkg

import { execSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { colouredPixels, Session, sleep } from "./webdriver.mjs";

const root = resolve(import.meta.dirname, "../..");
const file = resolve(process.argv[2] ?? "");
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

function memory() {
  const rows = execSync("ps -eo rss=,comm=").toString().trim().split("\n").map((l) => l.trim().split(/\s+/));
  const ours = rows.filter(([, c]) => /tongtin-app|WebKitWebProces|WebKitNetworkPr/.test(c ?? ""));
  const mb = (kb) => Math.round(Number(kb) / 1024);
  return `${ours.map(([kb, c]) => `${c} ${mb(kb)} MB`).join(", ")}; total ${mb(ours.reduce((s, [kb]) => s + Number(kb), 0))} MB`;
}

const driver = spawn("tauri-driver", ["--port", "4446", "--native-port", "4447"], { env: { ...process.env, HOME: mkdtempSync(join(tmpdir(), "tongtin-m-")) } });
for (let i = 0; i < 100; i++) {
  try {
    await fetch("http://127.0.0.1:4446/status");
    break;
  } catch {
    await sleep(100);
  }
}
const started = Date.now();
const session = await Session.start("http://127.0.0.1:4446", join(root, "target/debug/tongtin-app"), [file]);
await session.waitForText("#file-path", (t) => t === file, 60000);
let coloured = 0;
while (coloured < 500 && Date.now() - started < 60000) {
  coloured = await colouredPixels(session);
  if (coloured < 500) await sleep(50);
}
console.log(`launch to drawn map: ${Date.now() - started} ms`);
await sleep(3000);
console.log(`idle: ${memory()}`);
const map = await session.find("#map");
for (let i = 0; i < 60; i++) {
  const dx = i % 20 < 10 ? -300 : 300;
  await session.call("POST", "/actions", {
    actions: [{
      type: "pointer", id: "mouse", parameters: { pointerType: "mouse" },
      actions: [
        { type: "pointerMove", origin: { [ELEMENT]: map }, x: 0, y: 0 },
        { type: "pointerDown", button: 0 },
        { type: "pointerMove", origin: "pointer", x: dx, y: i % 3 === 0 ? -150 : 0, duration: 200 },
        { type: "pointerUp", button: 0 },
      ],
    }],
  });
  if (i % 15 === 7) {
    const zoom = await session.find(".ol-zoom-in");
    await session.click(zoom);
  }
  await sleep(300);
}
await sleep(3000);
console.log(`after panning 60 times: ${memory()}`);
await session.end();
driver.kill();
