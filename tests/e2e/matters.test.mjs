// A lawyer's first session with Mandate, in the real window: open matters, find
// them, fix a typo, quit, come back. Then check what is on disk.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cli, filesUnder, freshDataDir, openApp, startDriver } from "./harness.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

async function newMatter(browser, fields) {
  await browser.$('[data-testid="new-matter"]').click();
  for (const [name, value] of Object.entries(fields)) {
    const input = await browser.$(`[data-testid="field-${name}"]`);
    await input.waitForDisplayed();
    await input.setValue(value);
  }
  await browser.$('[data-testid="save-matter"]').click();
}

async function rowNumbers(browser) {
  return browser.execute(() =>
    Array.from(document.querySelectorAll('[data-testid="matter-row"]'), (r) => r.getAttribute("data-number")),
  );
}

/** The text of a row; WebKitWebDriver's getText does not read table rows. */
function rowText(browser, number) {
  return browser.execute(
    (n) => document.querySelector(`[data-testid="matter-row"][data-number="${n}"]`)?.textContent ?? "",
    number,
  );
}

async function waitForRows(browser, expected) {
  await browser.waitUntil(
    async () => JSON.stringify(await rowNumbers(browser)) === JSON.stringify(expected),
    { timeout: 10000, timeoutMsg: `rows never became ${JSON.stringify(expected)}` },
  );
}

test("open, find, edit a matter; it survives a restart; the store is encrypted", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  const title = "Quasar Holdings v. Nebula Freight";
  const edited = "Quasar Holdings v. Nebula Freight Lines";

  let browser = await openApp(driver, data.dir);
  try {
    assert.ok(await browser.$('[data-testid="matters-empty"]').isDisplayed(), "a new store shows the empty state");

    await newMatter(browser, {
      number: "2026-0142",
      title,
      client_name: "Quasar Holdings Inc.",
      court: "S.D.N.Y.",
    });
    const detailTitle = await browser.$('[data-testid="detail-title"]');
    await detailTitle.waitForDisplayed();
    assert.equal(await detailTitle.getText(), title);
    await newMatter(browser, { number: "2026-0143", title: "Lease portfolio review", client_name: "Zenith Realty LLC" });
    await browser.waitUntil(async () => (await detailTitle.getText()) === "Lease portfolio review");
    await browser.waitUntil(async () => (await rowNumbers(browser)).length === 2, { timeoutMsg: "the list did not show both matters" });
    assert.deepEqual((await rowNumbers(browser)).sort(), ["2026-0142", "2026-0143"]);

    // A required field left empty is named beside the field, and nothing is saved.
    await newMatter(browser, { number: "2026-0144", client_name: "Orion" });
    const titleError = await browser.$('[data-testid="error-title"]');
    await titleError.waitForDisplayed();
    assert.match(await titleError.getText(), /Enter a title/);
    // A duplicate number is refused beside the number field.
    await browser.$('[data-testid="field-number"]').setValue("2026-0142");
    await browser.$('[data-testid="field-title"]').setValue("Another");
    await browser.$('[data-testid="save-matter"]').click();
    const numberError = await browser.$('[data-testid="error-number"]');
    await numberError.waitForDisplayed();
    assert.match(await numberError.getText(), /already in use/);
    // Escape asks before it throws away what was typed; discard it.
    await browser.keys("Escape");
    const discard = await browser.$('[data-testid="discard-changes"]');
    await discard.waitForClickable({ timeout: 10000 });
    await discard.click();
    await browser.$('[data-testid="matter-form"]').waitForExist({ reverse: true });

    // Search by client, by partial title, by number.
    const search = await browser.$('[data-testid="matter-search"]');
    await search.setValue("zenith");
    await waitForRows(browser, ["2026-0143"]);
    await search.setValue("quas neb");
    await waitForRows(browser, ["2026-0142"]);
    await search.setValue("2026-0143");
    await waitForRows(browser, ["2026-0143"]);
    await search.setValue("no such words");
    await browser.$('[data-testid="matters-none-found"]').waitForDisplayed();
    await search.clearValue();
    await search.setValue(" ");
    await browser.waitUntil(async () => (await rowNumbers(browser)).length === 2);

    // Edit the first matter's title.
    const row = await browser.$('[data-testid="matter-row"][data-number="2026-0142"]');
    // WebKitWebDriver clicks cells, not rows.
    await row.$("td").click();
    await browser.$('[data-testid="edit-matter"]').click();
    const titleInput = await browser.$('[data-testid="field-title"]');
    await browser.waitUntil(async () => (await titleInput.getValue()) === title);
    await titleInput.setValue(edited);
    await browser.$('[data-testid="save-matter"]').click();
    await browser.waitUntil(async () => (await browser.$('[data-testid="detail-title"]').getText()) === edited, {
      timeoutMsg: "the edited title did not show",
    });
    await browser.waitUntil(
      async () => (await rowText(browser, "2026-0142")).includes(edited),
      { timeoutMsg: "the list did not follow the edit" },
    );
  } finally {
    await browser.deleteSession();
  }

  // Quit and start again: the matter is still there, as edited.
  browser = await openApp(driver, data.dir);
  try {
    await browser.waitUntil(async () => (await rowText(browser, "2026-0142")).includes(edited), {
      timeoutMsg: "the matter did not survive the restart",
    });
  } finally {
    await browser.deleteSession();
  }

  // Nothing of the matter is readable on disk, in any file of the store.
  const files = filesUnder(data.dir);
  assert.ok(files.some((f) => f.path.endsWith("mandate.db")), "the store file exists");
  for (const { path, bytes } of files) {
    for (const secret of ["Quasar", "Nebula", "Zenith Realty", "SQLite format 3"]) {
      assert.equal(bytes.includes(Buffer.from(secret)), false, `${path} holds "${secret}" in plaintext`);
    }
  }

  // The CLI opens the same store with the same keyring entry...
  const shown = cli(["--data-dir", data.dir, "matter", "show", "2026-0142", "--json"]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal(JSON.parse(shown.stdout).title, edited);

  // ...but without the right key, the store does not open: give a copy of the
  // database another store's identity (whose key is real, but not this one's).
  const other = freshDataDir();
  t.after(other.remove);
  assert.equal(cli(["--data-dir", other.dir, "matter", "list"]).code, 0);
  const otherMeta = JSON.parse(readFileSync(join(other.dir, "store.json"), "utf8"));
  const copy = freshDataDir();
  t.after(copy.remove);
  mkdirSync(copy.dir, { recursive: true });
  for (const f of ["mandate.db", "mandate.db-wal"]) {
    try {
      copyFileSync(join(data.dir, f), join(copy.dir, f));
    } catch {
      /* no WAL after a clean shutdown */
    }
  }
  const meta = JSON.parse(readFileSync(join(data.dir, "store.json"), "utf8"));
  writeFileSync(join(copy.dir, "store.json"), JSON.stringify({ ...meta, store_id: otherMeta.store_id }));
  const wrong = cli(["--data-dir", copy.dir, "matter", "list"]);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.stderr, /does not open this store/);

  // And with no keyring reachable at all, it says so instead of crashing.
  const noKeyring = cli(["--data-dir", data.dir, "matter", "list"], {
    ...process.env,
    DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent/mandate-test-bus",
  });
  assert.notEqual(noKeyring.code, 0);
  assert.match(noKeyring.stderr, /keyring/i);
  assert.equal(noKeyring.stderr.trim().split("\n").length, 1, "one line of error");
});

test("a matter the CLI adds while the window is open shows up without a reload", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  const browser = await openApp(driver, data.dir);
  try {
    await browser.$('[data-testid="matters-empty"]').waitForDisplayed({ timeout: 15000 });
    const made = cli(["--data-dir", data.dir, "matter", "add", "--number", "CLI-1", "--title", "Added from the terminal", "--client", "Orbit"]);
    assert.equal(made.code, 0, made.stderr);
    // Rust polls the store for other processes' writes every 2 s and tells the views.
    await waitForRows(browser, ["CLI-1"]);
  } finally {
    await browser.deleteSession();
  }
});
