// End to end: equipment and maintenance in the real app under Xvfb. An item
// is registered through the form (the core proposes its asset number) and
// found in the register list; its QR label is saved as a PDF; a fault is
// reported on a pole found with "go to number" and the pole turns ชำรุด;
// the order is started and finished and the pole is ใช้งานปกติ again; the
// annual check records the item and is closed; its report is saved as XLSX
// and PDF; the item is disposed of.
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
const click = (css) => session.clickOn(css);
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

/** The first whole number in a text, thousands separators allowed. */
const numberIn = (text) => Number((/\d[\d,]*/.exec(text)?.[0] ?? "NaN").replaceAll(",", ""));

test("the annual check records a scanned item and closes only when told to close with items unchecked", async () => {
  await click("#inv-open");
  await click("#inv-tab-check");
  await find("#chk-open");
  await session.run("document.getElementById('chk-committee').value = 'นายหนึ่ง ทดสอบ\\nนางสอง ทดสอบ';");
  await click("#chk-open");
  await session.waitForText("#chk-state", (t) => t.includes("นายหนึ่ง ทดสอบ") && t.includes("นางสอง ทดสอบ"));
  const before = numberIn(await session.waitForText("#chk-unchecked-count", (t) => /\d/.test(t)));
  assert.ok(before > 1, `items to check: ${before}`);
  await typeInto("#chk-scan", `${assetNo}${ENTER}`);
  await session.waitForText("#chk-log", (t) => t.includes(assetNo));
  await until("one item fewer to check", async () => numberIn(await text("#chk-unchecked-count")) === before - 1);
  assert.equal(await pageText(`#chk-unchecked [data-asset="${assetNo}"]`), null, "the checked item leaves the list");

  await click("#chk-close");
  await session.waitForText("#chk-message", (t) => t.includes(String(before - 1)));
  await click("#chk-force");
  await click("#chk-close");
  await session.waitForText("#chk-state", (t) => t.includes("ปิดการตรวจสอบแล้ว"));
});

test("the inventory-check report lists the finding and is saved as XLSX and PDF", async () => {
  await click("#inv-tab-reports");
  await click('#rep-name option[value="inventory-check"]');
  await click("#rep-show");
  await session.waitForText("#rep-title", (t) => t.length > 0);
  await until("the checked item in the report", async () => (await text("#rep-output")).includes(assetNo));
  for (const [format, magic] of [
    ["xlsx", "PK"],
    ["pdf", "%PDF"],
  ]) {
    await click(`#rep-export-${format}`);
    const message = await session.waitForText("#rep-status", (t) => t.includes(saveDir) && t.includes(`.${format}`));
    const rest = message.slice(message.indexOf(saveDir));
    const path = rest.slice(0, rest.lastIndexOf(" ("));
    const bytes = readFileSync(path);
    assert.equal(bytes.subarray(0, magic.length).toString("latin1"), magic, path);
  }
});

test("disposing of the item records the document and marks it จำหน่ายแล้ว", async () => {
  await click("#inv-tab-register");
  await session.run("const s = document.getElementById('inv-search'); s.value = ''; s.focus();");
  await typeInto("#inv-search", `${assetNo}${ENTER}`);
  await until("the item in the register list", async () => (await pageText('#inv-table-rows .vt-row[data-index="0"] [data-field="asset_no"]')) === assetNo);
  await session.run("document.querySelector('#inv-table-rows .vt-row[data-index=\"0\"]').click()");
  await session.waitForText("#inv-details-title", (t) => t.includes(assetNo));
  await click("#inv-dispose");
  await find("#inv-dispose-form");
  await click("#inv-dispose-form-submit");
  await session.waitForText("#inv-dispose-doc-problem", (t) => t.length > 0);
  await typeInto("#inv-dispose-doc", "นส 0001/2570");
  await typeInto("#inv-dispose-date", "15/11/2569");
  await typeInto("#inv-dispose-amount", "1,200");
  await click("#inv-dispose-form-submit");
  await session.waitForText("#inv-disposal", (t) => t.includes("นส 0001/2570") && t.includes("2569"));
  await session.waitForText('#inv-details [data-field="status"]', (t) => t === "จำหน่ายแล้ว");
  assert.equal(await pageText("#inv-dispose"), null, "a disposed item offers no second disposal");
  await click("#inv-close");
});
