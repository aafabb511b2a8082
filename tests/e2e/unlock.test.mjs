// A store protected by a passphrase (no keyring needed): the window asks for it,
// refuses a wrong one, locks on request, and unlocks again.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cli, freshDataDir, openApp, startDriver } from "./harness.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

const PASS = "orchard lantern velvet quarry";
const text = (browser, selector) =>
  browser.execute((s) => document.querySelector(s)?.textContent ?? "", selector);

async function unlockWith(browser, passphrase) {
  const input = await browser.$('[data-testid="passphrase"]');
  await input.waitForDisplayed();
  await input.setValue(passphrase);
  await browser.$('[data-testid="unlock"]').click();
}

test("a passphrase store: unlock, refuse a wrong passphrase, lock, unlock", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  const made = cli(["--data-dir", data.dir, "matter", "add", "--number", "PP-7", "--title", "Passphrase matter", "--client", "Nebula"], {
    ...process.env,
    MANDATE_PASSPHRASE: PASS,
  });
  assert.equal(made.code, 0, made.stderr);

  const browser = await openApp(driver, data.dir);
  try {
    assert.match(await text(browser, '[data-testid="store-error"]'), /Enter your passphrase/);

    await unlockWith(browser, "orchard lantern velvet quarrx");
    await browser.$('[data-testid="unlock-error"]').waitForDisplayed({ timeout: 30000 });
    assert.match(await text(browser, '[data-testid="unlock-error"]'), /does not open this store/);

    await unlockWith(browser, PASS);
    await browser.waitUntil(async () => (await text(browser, '[data-testid="matter-table"]')).includes("Passphrase matter"), {
      timeout: 30000,
      timeoutMsg: "the store did not unlock",
    });

    await browser.$('[data-testid="lock-now"]').click();
    await browser.$('[data-testid="passphrase"]').waitForDisplayed({ timeoutMsg: "Lock now did not lock" });
    assert.equal(await browser.$('[data-testid="matter-table"]').isExisting(), false, "nothing of the store shows while locked");
    await unlockWith(browser, PASS);
    await browser.waitUntil(async () => (await text(browser, '[data-testid="matter-table"]')).includes("Passphrase matter"), {
      timeout: 30000,
    });
  } finally {
    await browser.deleteSession();
  }
});

test("a first run with no D-Bus session at all leads straight to a passphrase store", async (t) => {
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  const noBus = await startDriver(env);
  t.after(() => noBus.stop());
  const data = freshDataDir();
  t.after(data.remove);
  const browser = await openApp(noBus, data.dir);
  try {
    assert.match(await text(browser, '[data-testid="store-error"]'), /keyring/i);
    await unlockWith(browser, PASS);
    await browser.$('[data-testid="matters-empty"]').waitForDisplayed({
      timeout: 30000,
      timeoutMsg: "the passphrase did not make a store",
    });
    const meta = JSON.parse(readFileSync(join(data.dir, "store.json"), "utf8"));
    assert.equal(meta.key_source, "passphrase");
    // A passphrase store locks from the window.
    assert.equal(await browser.$('[data-testid="lock-now"]').isExisting(), true);
  } finally {
    await browser.deleteSession();
  }
});

test("a keyring store offers no fake lock: the desktop session's lock protects it", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  const browser = await openApp(driver, data.dir);
  try {
    await browser.$('[data-testid="keyring-lock-note"]').waitForDisplayed({ timeout: 15000 });
    assert.equal(await browser.$('[data-testid="lock-now"]').isExisting(), false);
    await browser.$('[data-testid="nav-backup"]').click();
    assert.match(await text(browser, '[data-testid="keyring-protection"]'), /desktop session/);
  } finally {
    await browser.deleteSession();
  }
});
