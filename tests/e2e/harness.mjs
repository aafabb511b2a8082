// Shared pieces of the end-to-end tests: a tauri-driver of our own, the real app
// on a fresh data directory, and the real CLI. Everything started here is
// stopped here, by PID, also when a test fails.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const APP = process.env.MANDATE_APP_BIN ?? join(root, "target/debug/mandate-app");
export const CLI = process.env.MANDATE_CLI_BIN ?? join(root, "target/debug/mandate");

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitForHttp(url, ms) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts tauri-driver (which starts WebKitWebDriver) in its own process group. The
 * app inherits `env` (e.g. one with no D-Bus session, so no keyring).
 */
export async function startDriver(env = process.env) {
  const port = await freePort();
  const nativePort = await freePort();
  const child = spawn("tauri-driver", ["--port", String(port), "--native-port", String(nativePort)], {
    detached: true,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const stop = () => {
    try {
      // The negative PID signals the group: tauri-driver and the WebKitWebDriver it
      // started, and nothing else on the machine.
      process.kill(-child.pid, "SIGTERM");
    } catch {
      /* already gone */
    }
  };
  process.on("exit", stop);
  await waitForHttp(`http://127.0.0.1:${port}/status`, 15000);
  return { port, stop };
}

export function freshDataDir() {
  const dir = mkdtempSync(join(tmpdir(), "mandate-e2e-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts the real app on `dataDir` and returns a WebdriverIO browser for its window. */
export async function openApp(driver, dataDir) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driver.port,
    logLevel: "error",
    capabilities: {
      "tauri:options": { application: APP, args: ["--data-dir", dataDir] },
    },
  });
  // The matter screen is up once either the empty state or the table shows.
  await browser.waitUntil(
    async () =>
      (await browser.$('[data-testid="matters-empty"]').isExisting()) ||
      (await browser.$('[data-testid="matter-table"]').isExisting()) ||
      (await browser.$('[data-testid="store-error"]').isExisting()),
    { timeout: 20000, timeoutMsg: "the Mandate window did not show the matter list" },
  );
  return browser;
}

/** Runs the real `mandate` CLI. */
export function cli(args, env = process.env) {
  const r = spawnSync(CLI, args, { env, encoding: "utf8", timeout: 60000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir`, with its bytes. */
export function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath ?? e.path, e.name);
      return { path, bytes: readFileSync(path) };
    });
}

/** Sets an input the way typing would, so React sees the change (date inputs included). */
export async function setInput(browser, testId, value) {
  await browser.$(`[data-testid="${testId}"]`).waitForExist();
  await browser.execute(
    (id, v) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      const proto =
        el instanceof HTMLSelectElement
          ? HTMLSelectElement.prototype
          : el instanceof HTMLTextAreaElement
            ? HTMLTextAreaElement.prototype
            : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, "value").set.call(el, v);
      el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
    },
    testId,
    value,
  );
}
