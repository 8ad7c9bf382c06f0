// End to end: a file made by an older Tongtin (data model 2, without the
// disposals table) opens for viewing, editing is refused with the reason,
// and the app offers to bring the file up to date; once confirmed, the
// missing table is there, the file records the current data model and
// editing can start.

import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import assert from "node:assert/strict";

import { launch, target } from "./launch.mjs";
import { sleep } from "./webdriver.mjs";

const dir = mkdtempSync(join(tmpdir(), "tongtin-e2e-upgrade-"));
const older = join(dir, "older.gpkg");

/** Runs SQL on the file with Python's sqlite3 (no extension functions needed); returns the rows as JSON. */
function sql(statements) {
  const script = `import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = [list(r) for s in sys.argv[2].split(";;") if s.strip() for r in c.execute(s)]
c.commit()
print(json.dumps(rows))`;
  return JSON.parse(execFileSync("python3", ["-c", script, older, statements], { encoding: "utf8" }));
}

const modelVersion = () => Number(sql("SELECT value FROM tongtin_meta WHERE key = 'schema_version'")[0][0]);
const hasDisposals = () => sql("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'disposals'")[0][0] === 1;

let app;
let session;
let current;

before(async () => {
  execFileSync(join(target, "debug/tongtin"), ["demo", older], { stdio: "ignore" });
  current = modelVersion();
  sql(
    [
      "DELETE FROM gpkg_data_columns WHERE table_name = 'disposals'",
      "DELETE FROM gpkg_ogr_contents WHERE table_name = 'disposals'",
      "DELETE FROM gpkg_contents WHERE table_name = 'disposals'",
      "DROP TABLE disposals",
      "UPDATE tongtin_meta SET value = '2' WHERE key = 'schema_version'",
    ].join(";;"),
  );
  assert.equal(modelVersion(), 2);
  assert.ok(!hasDisposals());
  app = await launch({ port: 4458, nativePort: 4459, args: [older] });
  session = app.session;
});

after(async () => {
  await app?.stop();
});

test("an older file is shown, its editing is refused with the reason and an offer to update it", async () => {
  await session.waitForText("#file-path", (t) => t.endsWith("older.gpkg"), 60000);
  await session.waitForText("#edit-hint", (t) => t.includes("รุ่นเก่า"));
  assert.equal(await session.call("GET", `/element/${await session.find("#edit-toggle")}/enabled`), false);
  assert.equal(await session.call("GET", `/element/${await session.find("#edit-upgrade")}/displayed`), true);
  assert.equal(modelVersion(), 2, "opening the file changed nothing");
});

test("confirming the update brings the file to the current data model and editing can start", async () => {
  await session.click(await session.find("#edit-upgrade"));
  await session.waitForText("#edit-confirm", (t) => t.includes(`รุ่น ${current}`));
  assert.equal(await session.text(await session.find("#confirm-yes")), "ปรับรุ่นไฟล์");
  await session.click(await session.find("#confirm-yes"));
  await session.waitForText("#edit-hint", (t) => t.includes("ปรับรุ่นไฟล์แล้ว"), 60000);
  for (let i = 0; i < 100 && !(await session.call("GET", `/element/${await session.find("#edit-toggle")}/enabled`)); i++) {
    await sleep(200);
  }
  assert.equal(await session.call("GET", `/element/${await session.find("#edit-toggle")}/enabled`), true);
  assert.equal(await session.call("GET", `/element/${await session.find("#edit-upgrade")}/displayed`), false);
  assert.equal(modelVersion(), current);
  assert.ok(hasDisposals(), "the missing table was added");
});
