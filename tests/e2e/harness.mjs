// Shared pieces of the end-to-end tests: a tauri-driver of our own, the real app
// on a fresh data directory, and the real CLI. Everything started here is
// stopped here, by PID, also when a test fails.
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
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

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const execFileAsync = promisify(execFile);

/** Runs xdotool (on the test's X display, e.g. xvfb-run's) and returns what it printed. */
async function xdotool(...args) {
  const { stdout } = await execFileAsync("xdotool", args, { encoding: "utf8", timeout: 30000 });
  return stdout.trim();
}

/** The ids of the visible top-level windows named `name` (a regular expression); none is []. */
async function windowsNamed(name) {
  try {
    return (await xdotool("search", "--onlyvisible", "--name", name)).split("\n").filter(Boolean);
  } catch {
    return []; // xdotool exits 1 when nothing matches
  }
}

async function waitFor(what, check, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`${what} within ${ms} ms`);
    await sleep(100);
  }
}

/** Types into the focused X window as a person would (XTEST events, so GTK takes them as real keys). */
async function typeKeys(windowId, ...keys) {
  await xdotool("windowfocus", "--sync", windowId);
  await xdotool("key", "--clearmodifiers", ...keys);
}

/**
 * Answers the native GTK file dialog that Rust opened (the window titled `title`)
 * with `path`, as a person would: focuses it, replaces the name (a save dialog) or
 * opens the location field with Ctrl+L (a folder dialog), types the full path and
 * presses Return. When the file exists GTK asks whether to replace it: `replace`
 * says whether to answer Replace (Return: GTK's default button) or Cancel (Escape,
 * which also closes the file dialog). Resolves once the dialog has closed.
 *
 * Needs xdotool and an X display (the tests run under xvfb-run); no window manager.
 */
export async function chooseInNativeDialog(path, { title, folder = false, replace } = {}) {
  const escaped = title.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&");
  const pattern = `^${escaped}$`;
  const [dialog] = await waitFor(`no native dialog named "${title}" opened`, async () => {
    const ids = await windowsNamed(pattern);
    return ids.length ? ids : null;
  }, 30000);
  // The GTK file chooser grabs focus late; give it a moment to settle.
  await sleep(300);
  const before = new Set(await windowsNamed(""));
  if (folder) await typeKeys(dialog, "ctrl+l");
  await typeKeys(dialog, "ctrl+a", "BackSpace");
  await xdotool("type", "--clearmodifiers", "--delay", "15", path);
  // GTK completes names inline, selecting what it added: Delete drops any such
  // suffix, so the entry holds exactly the path typed.
  await typeKeys(dialog, "Delete", "Return");
  if (replace !== undefined) {
    // GTK's question, a new window of its own, above the file dialog.
    const [question] = await waitFor("GTK did not ask whether to replace the file", async () => {
      const fresh = (await windowsNamed("")).filter((id) => !before.has(id) && id !== dialog);
      return fresh.length ? fresh : null;
    }, 15000);
    await sleep(300);
    await typeKeys(question, replace ? "Return" : "Escape");
    if (!replace) await typeKeys(dialog, "Escape");
  }
  await waitFor(`the native dialog "${title}" did not close`, async () => (await windowsNamed(pattern)).length === 0, 30000);
}

/**
 * Calls one of Mandate's commands from the page, as the window's own code could
 * (the webview's IPC, with the window's permissions). Resolves to {ok} or {refused}
 * (the command's {code, message, field} error).
 */
export function invokeFromPage(browser, command, args) {
  // A promise returned by the script is awaited by WebDriver's execute. (Not a key
  // named "error": WebDriver clients read {error} in a result as a failed command.)
  return browser.execute(
    (cmd, a) =>
      window.__TAURI_INTERNALS__.invoke(cmd, a).then(
        (ok) => ({ ok }),
        (refused) => ({ refused }),
      ),
    command,
    args,
  );
}
