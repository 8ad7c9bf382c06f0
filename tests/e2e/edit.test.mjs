// End to end: editing in the real app under Xvfb. A pole and its lamp are
// added by clicking the map, an attribute is changed, undone and redone,
// a photo is attached by typing its path, the history lists it all and puts
// an earlier version back, and the new pole is then on the map's tiles.
// Every check reads what the window shows.

import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { launch, root } from "./launch.mjs";
import { sleep } from "./webdriver.mjs";

const USER = "สมหญิง ทดสอบ";
const POLE_NO = "E2E-0001";
const CONTROL = "\uE009";

let app;
let session;

before(async () => {
  app = await launch({ port: 4448, nativePort: 4449 });
  session = app.session;
});

after(async () => {
  if (!app) return;
  try {
    mkdirSync(join(root, "target/e2e"), { recursive: true });
    writeFileSync(join(root, "target/e2e/tongtin-edit.png"), await session.screenshot());
  } finally {
    await app.stop();
  }
});

const find = (css) => session.find(css);
const click = (css) => session.clickOn(css);
const text = async (css) => session.text(await find(css));
const value = async (css) => session.value(await find(css));

/** Waits until `check()` is true (it may throw while the window is not there yet). */
async function until(what, check, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Picks an option of a pick list the way a user does: a click on it. */
async function choose(selectCss, code) {
  await click(`${selectCss} option[value="${code}"]`);
  assert.equal(await value(selectCss), code, `${selectCss} shows ${code}`);
}

async function typeInto(css, typed) {
  const input = await find(css);
  await session.click(input);
  await session.type(input, typed);
}

/** A small valid PNG (8×6, orange), written by hand: signature, IHDR, IDAT, IEND. */
function png(width, height) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [0xef, 0x6c, 0x00]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

test("the demo opens ready for editing, with who edits set", async () => {
  await session.waitForText("#file-path", (t) => t.endsWith("demo.gpkg"), 60000);
  await until("editing to be available", async () => (await session.run("return document.getElementById('edit-toggle').disabled")) === false);
  await typeInto("#edit-user", `${USER}\uE004`);
  assert.equal(await session.run("return localStorage.getItem('tongtin.user')"), USER);
});

test("a pole and its lamp are added by clicking the map and filling the form", async () => {
  const search = await find("#search");
  await session.type(search, "นส.01-0001\uE007");
  await session.waitForText("#search-results", (t) => t.includes("นส.01-0001"));
  await session.type(search, "\uE00C");
  await sleep(1500);
  await click("#edit-toggle");
  assert.equal(await text("#edit-toggle"), "เลิกแก้ไข");
  await click("#tool-add-poles");
  await session.waitForText("#edit-hint", (t) => t.includes("คลิกบนแผนที่ในเขตเทศบาล"));
  // Beside the pole the search went to, inside the municipality.
  await session.clickAt(await find("#map"), 90, 70);
  await session.waitForText("#edit-title", (t) => t.includes("ใหม่"));
  // Saving an empty form names every missing field next to it and in the summary.
  await click("#edit-save");
  const summary = await session.waitForText("#edit-error", (t) => t.includes("ต้องกรอก"));
  assert.match(summary, /บันทึกไม่ได้/);
  assert.match(await text('#edit-form .field[data-field="pole_no"] .problem'), /หมายเลขเสา: ต้องกรอก/);
  await typeInto("#edit-pole_no", POLE_NO);
  await choose("#edit-pole_type", "single_arm");
  await choose("#edit-owner", "lao");
  await choose("#edit-status", "normal");
  await click("#add-lamps");
  await choose("#lamps-0-lamp_type", "led");
  await typeInto("#lamps-0-watts", "60");
  await click("#edit-save");
  await session.waitForText("#edit-title", (t) => t === `เสาไฟฟ้าส่องสว่าง ${POLE_NO}`);
  // The core filled in the village and the ground elevation; they are shown, not typed.
  assert.match(await text("#edit-village_no"), /^\d+$/);
  assert.match(await text("#edit-elevation_m"), /^\d+(\.\d+)?$/);
  assert.equal(await text('.system-fields [data-field="created_by"]'), USER);
  // The lamp was saved with the pole, in the same step.
  assert.equal(await value("#lamps-0-lamp_type"), "led");
  assert.equal(await value("#lamps-0-watts"), "60");
  const undo = await find("#edit-undo");
  assert.match(await session.call("GET", `/element/${undo}/attribute/title`), /เลิกทำ: เพิ่มเสาไฟฟ้าส่องสว่าง/);
});

test("an attribute is edited, undone with the button and redone with Ctrl+Y", async () => {
  await choose("#edit-status", "damaged");
  await click("#edit-save");
  await until("the status edit to be the next undo", async () => {
    const undo = await find("#edit-undo");
    return /แก้ไขเสาไฟฟ้าส่องสว่าง/.test(await session.call("GET", `/element/${undo}/attribute/title`));
  });
  assert.equal(await value("#edit-status"), "damaged");

  await click("#edit-undo");
  await until("the old status back in the form", async () => (await value("#edit-status")) === "normal");
  await session.run("document.activeElement && document.activeElement.blur()");
  await session.chord([CONTROL], "y");
  await until("the new status again", async () => (await value("#edit-status")) === "damaged");
});

test("undoing the insert takes the pole away and redo brings it back", async () => {
  await click("#edit-undo");
  await until("the old status", async () => (await value("#edit-status")) === "normal");
  await click("#edit-undo");
  await session.waitForText("#edit-hint", (t) => t.includes("ไม่มีอยู่แล้ว"));
  assert.equal(await text("#edit-title"), "แก้ไขข้อมูล");
  await click("#edit-redo");
  await session.waitForText("#edit-title", (t) => t.includes(POLE_NO));
  assert.equal(await value("#lamps-0-lamp_type"), "led");
  await click("#edit-redo");
  await until("the edited status", async () => (await value("#edit-status")) === "damaged");
});

test("a photo is attached by typing its path, and a file that is no image is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tongtin-photo-"));
  const notImage = join(dir, "notes.png");
  writeFileSync(notImage, "not an image");
  await typeInto("#photo-path", notImage);
  await click("#photo-attach");
  await session.waitForText("#photo-error", (t) => t.includes("JPEG") || t.includes("PNG"));

  const photo = join(dir, "เสา-e2e.png");
  writeFileSync(photo, png(8, 6));
  await session.run("document.getElementById('photo-path').value = ''");
  await typeInto("#photo-path", photo);
  await click("#photo-attach");
  await session.waitForText("#photos figcaption", (t) => t === "เสา-e2e.png");
  assert.match(await text("#photos-title"), /รูปถ่าย \(1\)/);
  // The thumbnail is the photo's bytes from the file, through the tiles:// scheme.
  await until("the thumbnail to load", async () =>
    (await session.run("const i = document.querySelector('#photos img'); return i.complete && i.naturalWidth")) === 8,
  );
  await click("#photos button.thumb");
  await session.waitForText("#photo-viewer figcaption", (t) => t.includes("8 × 6"));
  await click("#photo-close");
});

test("the history lists who changed what, newest first, and puts an earlier version back", async () => {
  await click("#history summary");
  const history = await session.waitForText("#history .history-list", (t) => t.includes("แนบ") || t.includes("สถานะ"));
  assert.match(history, new RegExp(USER));
  assert.match(history, /สถานะ: ใช้งานปกติ → ชำรุด/);
  assert.match(history, new RegExp(`หมายเลขเสา: ${POLE_NO}`));
  const kinds = await session.run("return [...document.querySelectorAll('#history .history-list > li .kind')].map(k => k.textContent)");
  assert.equal(kinds[kinds.length - 1], "เพิ่ม", "the oldest entry is the insert");

  // The newest change (status to damaged) taken back from the history: a new, undoable edit.
  await click("#history .history-list > li:first-child button.restore");
  await until("the status before that change", async () => (await value("#edit-status")) === "normal");
  const undo = await find("#edit-undo");
  assert.match(await session.call("GET", `/element/${undo}/attribute/title`), /คืนค่าฉบับก่อนหน้า/);

  await click("#journal-open");
  const journal = await session.waitForText("#journal-list", (t) => t.includes(POLE_NO));
  assert.match(journal, /โคม\/หลอด/);
  assert.match(journal, /ชนิดหลอด: แอลอีดี/);
});

test("the editing bar, form and history speak English after the switch", async () => {
  await click("#journal-close");
  await click("#lang-switch");
  await session.waitForText("#edit-toggle", (t) => t === "Stop editing");
  assert.equal(await text("#edit-title"), `Street-light poles ${POLE_NO}`);
  assert.equal(await text('#edit-form label[for="edit-status"]'), "Status *");
  const history = await session.waitForText("#history .history-list", (t) => t.includes("Status"));
  assert.match(history, /Status: In service → Damaged/);
  await click("#lang-switch");
  await session.waitForText("#edit-toggle", (t) => t === "เลิกแก้ไข");
});

test("after editing, the new pole is on the map's tiles and its photo in the identify panel", async () => {
  await click("#edit-toggle");
  assert.equal(await text("#edit-toggle"), "แก้ไขแผนที่");
  const search = await find("#search");
  await session.run("document.getElementById('search').value = ''");
  await session.type(search, `${POLE_NO}\uE007`);
  await session.waitForText("#search-results", (t) => t.includes(POLE_NO));
  await session.type(search, "\uE00C");
  await sleep(2000);
  await session.clickCentre(await find("#map"));
  await session.waitForText('#identify [data-field="pole_no"]', (t) => t === POLE_NO);
  assert.equal(await text('#identify [data-field="status"]'), "ใช้งานปกติ");
  await session.waitForText("#photos figcaption", (t) => t === "เสา-e2e.png");
  assert.equal(await session.run("return document.getElementById('photo-path')"), null, "browsing attaches nothing");
});

test("a road is drawn, split in two, merged back and deleted, each one undo step", async () => {
  await click("#edit-toggle");
  await click("#tool-add-roads");
  const map = await find("#map");
  await session.clickAt(map, -200, 150);
  await session.clickAt(map, 0, 170);
  await session.doubleClickAt(map, 200, 150);
  await session.waitForText("#edit-title", (t) => t === "ทางหลวงท้องถิ่น (ใหม่)");
  await choose("#edit-class", "4");
  await choose("#edit-surface", "asphalt");
  await typeInto("#edit-name_th", "ถนนทดสอบ");
  await click("#edit-save");
  await session.waitForText("#edit-title", (t) => t === "ทางหลวงท้องถิ่น ถนนทดสอบ");
  const length = Number(await text("#edit-length_m"));
  assert.ok(length > 100, `the core measured the road: ${length} m`);

  await click("#tool-split");
  await session.clickAt(map, -100, 160);
  await session.waitForText("#edit-title", (t) => t.startsWith("แก้ไขพร้อมกัน 2 รายการ"));
  const undo = await find("#edit-undo");
  const undoTitle = () => session.call("GET", `/element/${undo}/attribute/title`);
  assert.match(await undoTitle(), /แบ่งทางหลวงท้องถิ่น/);

  await click("#edit-merge");
  await session.waitForText("#edit-title", (t) => t === "ทางหลวงท้องถิ่น ถนนทดสอบ");
  assert.match(await undoTitle(), /รวมทางหลวงท้องถิ่น/);
  const merged = Number(await text("#edit-length_m"));
  assert.ok(Math.abs(merged - length) <= 0.02, `merged back to the drawn length: ${merged} m, drawn ${length} m`);

  await session.run("document.activeElement && document.activeElement.blur()");
  await session.chord([], "\uE017");
  await session.waitForText("#edit-confirm", (t) => t.includes("ลบ 1 รายการ"));
  await click("#confirm-yes");
  await session.waitForText("#edit-title", (t) => t === "แก้ไขข้อมูล");
  assert.match(await undoTitle(), /ลบทางหลวงท้องถิ่น/);
  await session.chord([CONTROL], "z");
  await session.waitForText("#edit-title", (t) => t === "ทางหลวงท้องถิ่น ถนนทดสอบ");
});

test("an open road profile follows the road when an undo splits it again and a redo merges it", async () => {
  const length = async () => {
    const written = await session.waitForText("#profile-length", (t) => /\d/.test(t));
    const n = Number((/[\d,]+(\.\d+)?/.exec(written)?.[0] ?? "NaN").replaceAll(",", ""));
    return written.includes("กม.") ? n * 1000 : n;
  };
  await click("#edit-toggle");
  const map = await find("#map");
  // On the road drawn above, between its middle vertex and its east end.
  await session.clickAt(map, 100, 160);
  await session.waitForText('#identify [data-field="name_th"]', (t) => t === "ถนนทดสอบ");
  await click("#identify-profile");
  await session.waitForText("#profile-title", (t) => t.includes("ทางหลวงท้องถิ่น"));
  const whole = await length();
  assert.ok(whole > 100, `the whole road: ${whole}`);

  // The undo stack ends with the merge of the road test above.
  await click("#edit-toggle");
  await session.run("document.activeElement && document.activeElement.blur()");
  await session.chord([CONTROL], "z");
  await until("the profile of the shorter road", async () => (await length()) < whole - 10);
  await session.chord([CONTROL], "y");
  await until("the profile of the whole road again", async () => Math.abs((await length()) - whole) < 0.5);
});
