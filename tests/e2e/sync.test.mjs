// End to end: syncing in the real app with a real hub on loopback. The
// test starts `tongtin serve` (SQLite store), creates an organisation and
// an editor with `tongtin hub`, then in the window: the hub dialog, the
// first sync (the demo's whole data), an edit that shows as waiting, a
// second sync, and the hub checked from outside: a fresh copy of the demo
// synced with the CLI receives the edited value. A sync over a slow link
// (a relay that holds every chunk) is stopped with Stop and the next one
// sends what waited. A wrong password gets the
// clear credentials message in Thai and English. The hub is killed at the
// end, also when a test fails.

import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { launch, root, target } from "./launch.mjs";
import { sleep } from "./webdriver.mjs";

const tongtin = join(target, "debug/tongtin");
const ORG = "nonsaat-e2e";
const USER = "somchai";
const PASSWORD = "e2e-password-1";
const POLE_NO = "นส.01-0001";

let app;
let session;
let hub;
let hubUrl;
const dir = mkdtempSync(join(tmpdir(), "tongtin-sync-e2e-"));
const store = `sqlite:${join(dir, "hub.sqlite")}`;
/** The status the edit sets, and the first sync's time as the app reported it. */
let edited;
let firstSyncSeconds;

function cli(args, env = {}) {
  return execFileSync(tongtin, args, {
    env: { ...process.env, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 180_000,
  });
}

/** Starts `tongtin serve` on a free port; resolves with its URL from the first line it prints. */
function startHub() {
  return new Promise((resolve, reject) => {
    hub = spawn(tongtin, ["serve", "--store", store, "--listen", "127.0.0.1:0"], {
      env: { ...process.env, TONGTIN_HUB_ADMIN_PASSWORD: "e2e-admin-password" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    const timer = setTimeout(() => reject(new Error(`the hub did not start: ${out}`)), 30_000);
    hub.stdout.on("data", (chunk) => {
      out += chunk;
      const m = /listening on (https?:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    hub.once("exit", (code) => reject(new Error(`the hub exited (${code}): ${out}`)));
  });
}

/**
 * A TCP relay to `port` that holds every chunk `delayMs` each way: a hub
 * behind a slow link, so that a sync lasts long enough to be stopped.
 */
function slowLink(port, delayMs) {
  return new Promise((resolve) => {
    const server = createServer((client) => {
      const upstream = connect(port, "127.0.0.1");
      const later = (to) => (chunk) => setTimeout(() => to.destroyed || to.write(chunk), delayMs);
      client.on("data", later(upstream));
      upstream.on("data", later(client));
      for (const [a, b] of [[client, upstream], [upstream, client]]) {
        a.on("error", () => b.destroy());
        a.on("close", () => setTimeout(() => b.destroy(), delayMs));
      }
    });
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }),
    );
  });
}

before(async () => {
  cli(["hub", "--store", store, "org", "add", ORG, "--name", "เทศบาลตำบลโนนสะอาด (e2e)"]);
  cli(["hub", "--store", store, "user", "add", USER, "--org", ORG, "--role", "editor", "--password-env", "E2E_PW"], {
    E2E_PW: PASSWORD,
  });
  hubUrl = await startHub();
  app = await launch({ port: 4456, nativePort: 4457 });
  session = app.session;
});

after(async () => {
  try {
    if (session) {
      mkdirSync(join(root, "target/e2e"), { recursive: true });
      writeFileSync(join(root, "target/e2e/tongtin-sync.png"), await session.screenshot());
    }
  } finally {
    hub?.kill("SIGKILL");
    try {
      await app?.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

const find = (css) => session.find(css);
const click = (css) => session.clickOn(css);
const text = async (css) => session.text(await find(css));
const value = async (css) => session.value(await find(css));

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

async function typeInto(css, typed) {
  const input = await find(css);
  await session.run("arguments[0].value = ''", { "element-6066-11e4-a52e-4f735466cecf": input });
  await session.click(input);
  await session.type(input, typed);
}

test("the demo opens with a sync button and a badge that says it never synced", async () => {
  await session.waitForText("#file-path", (t) => t.endsWith("demo.gpkg"), 60000);
  await session.waitForText("#sync-state", (t) => t === "ยังไม่เคยซิงก์");
  assert.equal(await text("#sync-button"), "ซิงก์");
  await until("editing to be available", async () => (await session.run("return document.getElementById('edit-toggle').disabled")) === false);
});

test("the hub dialog checks what is typed, then the first sync sends the whole demo", async () => {
  await click("#sync-button");
  await until("the hub dialog", async () => session.run("return document.getElementById('sync-dialog').open"));
  // Nothing typed yet: each missing field is named.
  await click("#sync-go");
  await session.waitForText('#sync-dialog .field[data-field="url"] .problem', (t) => t.includes("ต้องกรอกที่อยู่"));
  await typeInto("#sync-url", "hub.example");
  await typeInto("#sync-org", ORG);
  await typeInto("#sync-user", USER);
  await typeInto("#sync-password", PASSWORD);
  await click("#sync-go");
  await session.waitForText('#sync-dialog .field[data-field="url"] .problem', (t) => t.includes("http://"));
  await typeInto("#sync-url", hubUrl);
  await typeInto("#sync-password", PASSWORD);
  const started = Date.now();
  await click("#sync-go");
  assert.equal(await session.run("return document.getElementById('sync-dialog').open"), false);
  // The progress bar says what is being sent while the shell works in the background.
  await session.waitForText("#sync-progress-text", (t) => /ส่ง|รับ|กำลังซิงก์/.test(t), 30000).catch(() => "");
  await session.waitForText("#sync-state", (t) => t === "ซิงก์แล้ว ไม่มีการแก้ไขรอส่ง", 150000);
  const wall = (Date.now() - started) / 1000;
  const message = await text("#sync-message");
  assert.match(message, /ซิงก์ครั้งแรกเสร็จ: ส่งข้อมูลทั้งไฟล์ [\d,]+ รายการ/);
  firstSyncSeconds = Number(/ใน ([\d.]+) วินาที/.exec(message)?.[1]);
  console.log(`first sync of the demo: ${message} (${wall.toFixed(1)} s as the user waited)`);
  assert.match(await text("#sync-last"), /^ซิงก์ล่าสุด \d+ .+ 25\d\d เวลา \d\d:\d\d น\.$/);
  // URL, organisation and user are remembered for the file; the password is not.
  const stored = await session.run("return localStorage.getItem('tongtin.sync')");
  assert.match(stored, new RegExp(ORG));
  assert.doesNotMatch(stored, new RegExp(PASSWORD));
});

test("an edit shows as waiting, and the second sync sends it", async () => {
  const search = await find("#search");
  await session.type(search, `${POLE_NO}\uE007`);
  await session.waitForText("#search-results", (t) => t.includes(POLE_NO));
  await session.type(search, "\uE00C");
  await sleep(1500);
  await click("#edit-toggle");
  await sleep(1000);
  await session.clickCentre(await find("#map"));
  await session.waitForText("#edit-title", (t) => t.includes(POLE_NO));
  const before = await value("#edit-status");
  edited = before === "damaged" ? "normal" : "damaged";
  await click(`#edit-status option[value="${edited}"]`);
  await click("#edit-save");
  await until("the edit to be saved", async () => {
    const undo = await find("#edit-undo");
    return /แก้ไขเสาไฟฟ้าส่องสว่าง/.test(await session.call("GET", `/element/${undo}/attribute/title`));
  });
  await session.waitForText("#sync-state", (t) => t === "มีการแก้ไขรอส่ง 1 รายการ", 10000);

  // The session knows the password: the button syncs at once, no dialog.
  await click("#sync-button");
  await session.waitForText("#sync-state", (t) => t === "ซิงก์แล้ว ไม่มีการแก้ไขรอส่ง", 60000);
  assert.match(await text("#sync-message"), /ซิงก์เสร็จ: ส่ง [1-9]\d* รายการ/);
  assert.equal(await session.run("return document.getElementById('sync-dialog').open"), false);
  // Editing went on: the form still shows the edited value.
  assert.equal(await value("#edit-status"), edited);
});

test("the hub has the change: a fresh copy of the demo synced with the CLI receives it", async () => {
  const copy = join(dir, "copy.gpkg");
  cli(["demo", copy]);
  const before = execFileSync("sqlite3", [copy, `SELECT status FROM poles WHERE pole_no = '${POLE_NO}'`], { encoding: "utf8" }).trim();
  assert.notEqual(before, edited, "the copy starts with the old value");
  const out = cli(["sync", copy, "--hub", hubUrl, "--org", ORG, "--user", USER], { TONGTIN_HUB_PASSWORD: PASSWORD });
  assert.match(out, /in sync/);
  const after = execFileSync("sqlite3", [copy, `SELECT status FROM poles WHERE pole_no = '${POLE_NO}'`], { encoding: "utf8" }).trim();
  assert.equal(after, edited);
});

test("a conflict with another office is listed side by side and settled with keep theirs", async () => {
  const copy = join(dir, "copy.gpkg");
  const office2 = { TONGTIN_HUB_PASSWORD: PASSWORD, TONGTIN_USER: "somying", TONGTIN_DEVICE: "office-2" };
  const status = () =>
    execFileSync("sqlite3", [copy, `SELECT status FROM poles WHERE pole_no = '${POLE_NO}'`], { encoding: "utf8" }).trim();
  // The other office changes the same pole's status with GDAL, as QGIS would (the capture
  // triggers record it), and syncs first.
  execFileSync("ogrinfo", ["-q", copy, "-sql", `UPDATE poles SET status = 'awaiting_repair' WHERE pole_no = '${POLE_NO}'`]);
  cli(["sync", copy, "--hub", hubUrl, "--org", ORG, "--user", USER], office2);
  const mine = edited === "damaged" ? "normal" : "damaged";
  await click(`#edit-status option[value="${mine}"]`);
  await click("#edit-save");
  await session.waitForText("#sync-state", (t) => /^มีการแก้ไขรอส่ง [\d,]+ รายการ$/.test(t), 10000);
  await click("#sync-button");
  await session.waitForText("#sync-state", (t) => t.startsWith("มีข้อขัดแย้ง"), 60000);
  assert.match(await text("#sync-message"), /พบข้อขัดแย้ง 1 รายการ/);
  await session.waitForText("#sync-conflicts-open", (t) => t === "ข้อขัดแย้ง 1 รายการ");
  await click("#sync-conflicts-open");
  const item = await session.waitForText("#sync-conflict-list li.conflict", (t) => t.includes(POLE_NO));
  assert.match(item, /เสาไฟฟ้าส่องสว่าง นส\.01-0001/);
  assert.match(item, /สถานะ · แก้ค่าเดียวกันต่างกัน/);
  const label = { normal: "ใช้งานปกติ", damaged: "ชำรุด" }[mine];
  assert.equal(await text('#sync-conflict-list li.conflict .side.mine .value'), label);
  assert.equal(await text('#sync-conflict-list li.conflict .side.theirs .value'), "รอซ่อม");
  // Made with GDAL: recorded as another program, on the other office's computer, with when.
  assert.match(await text('#sync-conflict-list li.conflict .side.theirs .who'), /^โปรแกรมอื่น \(เช่น QGIS\) · office-2 · \d+ .+ 25\d\d เวลา/);
  // The later edit (this computer's) holds until someone decides.
  assert.match(await text('#sync-conflict-list li.conflict .side.mine .side-title'), /ใช้อยู่ตอนนี้/);
  mkdirSync(join(root, "target/e2e"), { recursive: true });
  writeFileSync(join(root, "target/e2e/tongtin-sync-conflicts.png"), await session.screenshot());
  await click("#sync-conflict-list li.conflict .keep-theirs");
  await session.waitForText("#sync-conflicts-none", (t) => t === "ไม่มีข้อขัดแย้ง");
  await session.waitForText("#sync-message", (t) => t.includes("จะส่งไปในการซิงก์ครั้งถัดไป"));
  await session.waitForText("#sync-state", (t) => /^มีการแก้ไขรอส่ง [\d,]+ รายการ$/.test(t));
  await click("#sync-conflicts-close");
  await click("#sync-button");
  await session.waitForText("#sync-state", (t) => t === "ซิงก์แล้ว ไม่มีการแก้ไขรอส่ง", 60000);
  // The other office receives the decision: its value stands and the conflict is closed there too.
  cli(["sync", copy, "--hub", hubUrl, "--org", ORG, "--user", USER], office2);
  assert.equal(status(), "awaiting_repair");
  const open = spawnSync(tongtin, ["conflicts", copy, "--json"], { encoding: "utf8" });
  assert.deepEqual(JSON.parse(open.stdout), []);
});

async function syncVia(url) {
  await click("#sync-settings");
  await until("the hub dialog", async () => session.run("return document.getElementById('sync-dialog').open"));
  await typeInto("#sync-url", url);
  await typeInto("#sync-password", PASSWORD);
  await click("#sync-go");
}

test("Stop ends a sync on a slow link after its batch; the next sync sends what waited", async () => {
  const now = await value("#edit-status");
  await click(`#edit-status option[value="${now === "damaged" ? "normal" : "damaged"}"]`);
  await click("#edit-save");
  await session.waitForText("#sync-state", (t) => /^มีการแก้ไขรอส่ง [\d,]+ รายการ$/.test(t), 10000);
  const slow = await slowLink(Number(new URL(hubUrl).port), 700);
  try {
    await syncVia(slow.url);
    await session.waitForText("#sync-cancel", (t) => t === "หยุด", 20000);
    await click("#sync-cancel");
    await session.waitForText("#sync-message", (t) => t.includes("หยุดการซิงก์แล้ว"), 60000);
    await session.waitForText("#sync-state", (t) => /^มีการแก้ไขรอส่ง [\d,]+ รายการ$/.test(t), 10000);
  } finally {
    slow.close();
  }
  await syncVia(hubUrl);
  await session.waitForText("#sync-state", (t) => t === "ซิงก์แล้ว ไม่มีการแก้ไขรอส่ง", 60000);
});

test("a wrong password gets the clear credentials message, in Thai and in English", async () => {
  await click("#sync-settings");
  await until("the hub dialog", async () => session.run("return document.getElementById('sync-dialog').open"));
  assert.equal(await value("#sync-url"), hubUrl, "the file's hub is remembered");
  assert.equal(await value("#sync-user"), USER);
  assert.equal(await value("#sync-password"), "", "the password is never shown again");
  await typeInto("#sync-password", "not-the-password");
  await click("#sync-go");
  await session.waitForText("#sync-message", (t) => t.includes("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"), 30000);
  // The dialog asks again, with the reason.
  await until("the dialog to ask again", async () => session.run("return document.getElementById('sync-dialog').open"));
  assert.match(await text("#sync-dialog-error"), /ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง/);
  await click("#sync-close");
  await click("#lang-switch");
  await session.waitForText("#sync-message", (t) => t.includes("Wrong user name or password"));
  assert.equal(await text("#sync-button"), "Sync");
  await click("#lang-switch");
  assert.ok(firstSyncSeconds > 0);
});
