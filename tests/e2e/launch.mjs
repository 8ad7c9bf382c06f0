// Starts the built app under tauri-driver with a fresh home (the app then
// generates the demo in its data folder) and stops both, waiting for the
// driver to exit so the next test file can start its own.

import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { Session, sleep } from "./webdriver.mjs";

export const root = resolve(import.meta.dirname, "../..");
// The build's target folder: CARGO_TARGET_DIR when set (a worktree's own), else target/.
export const target = resolve(root, process.env.CARGO_TARGET_DIR ?? "target");
const app = join(target, "debug/tongtin-app");

/** A fresh home folder for the app; `dataDir` is where the app keeps its own files in it. */
export function freshHome() {
  const home = mkdtempSync(join(tmpdir(), "tongtin-e2e-"));
  return { home, dataDir: join(home, ".local/share/th.tongtin.desktop") };
}

/**
 * Each test file gets its own ports, so a driver still shutting down never
 * answers the next file. `args` go to the app (a file to open at start);
 * `home` is a folder from freshHome() prepared beforehand (a new one otherwise).
 */
export async function launch({ port, nativePort, args = [], home = freshHome().home }) {
  // Its own process group, so that stop() also ends the app and the WebKit
  // driver it started, even after the page crashed: nothing is left holding
  // the test runner's output open.
  const driver = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    env: { ...process.env, HOME: home },
    stdio: "inherit",
    detached: true,
  });
  const exited = new Promise((done) => driver.once("exit", done));
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${port}/status`);
      break;
    } catch {
      await sleep(100);
    }
  }
  const session = await Session.start(`http://127.0.0.1:${port}`, app, args);
  return {
    session,
    home,
    async stop() {
      try {
        await Promise.race([session.end(), sleep(10_000)]);
      } finally {
        try {
          process.kill(-driver.pid, "SIGKILL");
        } catch {
          driver.kill("SIGKILL");
        }
        await Promise.race([exited, sleep(10_000)]);
      }
    },
  };
}
