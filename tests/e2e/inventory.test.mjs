// End to end: equipment and maintenance in the real app under Xvfb. An item
// is registered through the form (the core proposes its asset number) and
// found in the register list; its QR label is saved as a PDF; a fault is
// reported on a pole found with "go to number" and the pole turns ชำรุด;
// the order is started and finished and the pole is ใช้งานปกติ again.
// Documents are saved into TONGTIN_SAVE_DIR (the shell skips the dialog only then).

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { launch, root } from "./launch.mjs";
import { sleep } from "./webdriver.mjs";

const ENTER = "\uE007";
const saveDir = mkdtempSync(join(tmpdir(), "tongtin-e2e-save-"));

let app;
let session;

before(async () => {
  process.env.TONGTIN_SAVE_DIR = saveDir;
  app = await launch({ port: 4452, nativePort: 4453 });
  session = app.session;
});

after(async () => {
  if (!app) return;
  try {
    mkdirSync(join(root, "target/e2e"), { recursive: true });
    writeFileSync(join(root, "target/e2e/tongtin-inventory.png"), await session.screenshot());
  } finally {
    await app.stop();
  }
});

const find = (css) => session.find(css);
const click = async (css) => session.click(await find(css));
const text = async (css) => session.text(await find(css));
const value = async (css) => session.value(await find(css));

async function until(what, check, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

async function typeInto(css, typed) {
  const input = await find(css);
  await session.click(input);
  await session.type(input, typed);
}

/** The text of the first element matching `css`, read in the page (virtual-table rows are redrawn as they scroll). */
const pageText = (css) => session.run("return document.querySelector(arguments[0])?.textContent ?? null", css);

async function gotoNumber(number) {
  await session.run("const g = document.getElementById('inv-goto'); g.value = ''; g.focus();");
  await typeInto("#inv-goto", `${number}${ENTER}`);
}

let assetNo = "";

test("an item is registered with the proposed number and appears in the register", async () => {
  await session.waitForText("#file-path", (t) => t.endsWith(".gpkg"), 120000);
  await click("#inv-open");
  await session.waitForText("#inv-count", (t) => /\d/.test(t));
  await click("#inv-add");
  await find("#inv-add-form");
  await typeInto("#inv-add-name", "เครื่องพิมพ์ทดสอบ E2E");
  await click("#inv-add-category option:nth-child(2)");
  await until("the proposed asset number", async () => (assetNo = await value("#inv-add-asset_no")).length > 0);
  await typeInto("#inv-add-unit_price", "4,500");
  await typeInto("#inv-add-acquired_date", "1/10/2568");
  await typeInto("#inv-add-location", "สำนักงานเทศบาลตำบลโนนสะอาด");
  await sleep(500);
  await click("#inv-add-form-submit");
  const registered = await session.waitForText("#inv-register-message", (t) => /\d/.test(t));
  // The number the core gave (the proposal, or the next free one if it changed meanwhile).
  assetNo = /\S*\d\S*/.exec(registered)?.[0] ?? assetNo;
  await session.waitForText("#inv-details-title", (t) => t.includes(assetNo));
  await session.waitForText('#inv-figures [data-figure="invCost"]', (t) => t.includes("4,500.00"));
  await typeInto("#inv-search", `${assetNo}${ENTER}`);
  await until("the item in the register list", async () => (await pageText('#inv-table-rows .vt-row[data-index="0"] [data-field="asset_no"]')) === assetNo);
  mkdirSync(join(root, "target/e2e"), { recursive: true });
  writeFileSync(join(root, "target/e2e/tongtin-workbench.png"), await session.screenshot());
});

test("its QR label is saved as a PDF", async () => {
  await click("#inv-label");
  const message = await session.waitForText("#inv-details-message", (t) => t.includes(saveDir));
  const path = message.slice(message.indexOf(saveDir)).trim();
  const bytes = readFileSync(path);
  assert.equal(bytes.subarray(0, 4).toString("latin1"), "%PDF", path);
  await click("#inv-close");
});

let poleNo = "";
let orderNo = "";

test("a fault reported on a pole makes it ชำรุด", async () => {
  for (let i = 1; i <= 30 && !poleNo; i++) {
    const candidate = `นส.01-${String(i).padStart(4, "0")}`;
    await gotoNumber(candidate);
    await session.waitForText('#identify [data-field="pole_no"]', (t) => t === candidate);
    if ((await text('#identify [data-field="status"]')) === "ใช้งานปกติ") poleNo = candidate;
  }
  assert.ok(poleNo, "a pole in normal use among the first 30");
  await click("#identify-fault");
  await find("#inv-fault-form");
  await typeInto("#inv-fault-reporter", "นายทดสอบ ระบบ");
  await typeInto("#inv-fault-description", "ไฟดับทั้งคืน");
  await click("#inv-fault-form-submit");
  const saved = await session.waitForText("#inv-fault-saved", (t) => t.includes("WO-"));
  orderNo = /WO-[\d-]+/.exec(saved)?.[0] ?? "";
  assert.ok(orderNo, saved);
  await click("#inv-fault-form-cancel");
  await session.waitForText('#identify [data-field="status"]', (t) => t === "ชำรุด");
  await session.waitForText("#inv-identify", (t) => t.includes(orderNo));
});

test("starting and finishing the order puts the pole back in normal use", async () => {
  await click("#inv-open");
  await click("#inv-tab-orders");
  await click('#wo-order option[value="newest"]');
  await until("the new order at the top", async () => (await pageText('#wo-table-rows .vt-row[data-index="0"] [data-field="order_no"]')) === orderNo);
  await session.run("document.querySelector('#wo-table-rows .vt-row[data-index=\"0\"]').click()");
  await until("start enabled", async () => (await session.call("GET", `/element/${await find("#wo-start")}/enabled`)) === true);
  await click("#wo-start");
  await typeInto("#wo-technician", "ช่างสมชาย");
  await click("#wo-start-form-submit");
  await session.waitForText("#wo-message", (t) => t.includes(orderNo));
  await until("finish enabled", async () => (await session.call("GET", `/element/${await find("#wo-finish")}/enabled`)) === true);
  await click("#wo-finish");
  await typeInto("#wo-materials", "หลอด LED 1 ดวง");
  await typeInto("#wo-cost", "350");
  await click("#wo-finish-form-submit");
  await session.waitForText("#wo-message", (t) => t.includes(orderNo) && !t.includes("เริ่ม"));
  await click("#inv-close");
  await gotoNumber(poleNo);
  await session.waitForText('#identify [data-field="pole_no"]', (t) => t === poleNo);
  await session.waitForText('#identify [data-field="status"]', (t) => t === "ใช้งานปกติ");
});
