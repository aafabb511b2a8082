// Backup and export from the window: an encrypted backup that restores elsewhere
// with everything in it, and a CSV export a spreadsheet can read.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cli, freshDataDir, openApp, setInput, startDriver } from "./harness.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

const BACKUP_PASS = "copper wren estuary fable";
const text = (browser, selector) =>
  browser.execute((s) => document.querySelector(s)?.textContent ?? "", selector);

test("a backup and a CSV export made in the window", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  const out = freshDataDir();
  t.after(out.remove);
  const demo = cli(["--data-dir", data.dir, "demo", "--json"]);
  assert.equal(demo.code, 0, demo.stderr);
  const counts = JSON.parse(demo.stdout);

  const file = join(out.dir, "firm.mandate-backup");
  const exportDir = join(out.dir, "export");
  const browser = await openApp(driver, data.dir);
  try {
    await browser.$('[data-testid="nav-backup"]').click();
    await setInput(browser, "backup-path", file);
    await setInput(browser, "backup-passphrase", BACKUP_PASS);
    await setInput(browser, "backup-confirm", "copper wren estuary fablE");
    await browser.$("#backup-create").click();
    await browser.$('[data-testid="error-confirm"]').waitForExist({ timeout: 10000 });
    assert.equal(existsSync(file), false, "nothing is written when the passphrases differ");

    await setInput(browser, "backup-confirm", BACKUP_PASS);
    await browser.$("#backup-create").click();
    await browser.$("#backup-result").waitForExist({ timeout: 60000, timeoutMsg: "the backup did not finish" });
    const sha = (await text(browser, '[data-testid="backup-sha256"]')).trim();

    // The same file again, typed rather than picked in the dialog: refused, not replaced.
    await setInput(browser, "backup-path", file);
    await setInput(browser, "backup-passphrase", BACKUP_PASS);
    await setInput(browser, "backup-confirm", BACKUP_PASS);
    await browser.$("#backup-create").click();
    await browser.$('[data-testid="error-backup-path"]').waitForExist({ timeout: 30000 });
    assert.match(await text(browser, '[data-testid="error-backup-path"]'), /already there/);

    await setInput(browser, "export-format", "csv");
    await setInput(browser, "export-records-path", exportDir);
    await browser.$("#export-run").click();
    await browser.$("#export-result").waitForExist({ timeout: 60000, timeoutMsg: "the export did not finish" });
    assert.match(await text(browser, "#export-result"), /matters\.csv/);

    // The backup checks out and restores elsewhere with every record.
    const inspect = cli(["backup", "inspect", file, "--json"]);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.equal(JSON.parse(inspect.stdout).db_sha256, sha);
    const restored = join(out.dir, "restored");
    const env = { ...process.env, MANDATE_BACKUP_PASSPHRASE: BACKUP_PASS, MANDATE_PASSPHRASE: "a new passphrase here" };
    const r = cli(["--data-dir", restored, "backup", "restore", file], env);
    assert.equal(r.code, 0, r.stderr);
    const check = JSON.parse(cli(["--data-dir", restored, "store", "check", "--json"], env).stdout);
    assert.equal(check.matters, counts.matters);
    assert.equal(check.audit.intact, true);

    // The export is plain CSV with a header and one line per matter.
    const csv = readFileSync(join(exportDir, "matters.csv"), "utf8").trim().split("\n");
    assert.deepEqual(["id", "number", "title", "client_name"].filter((c) => !csv[0].split(",").includes(c)), []);
    assert.equal(csv.length, counts.matters + 1);
    // The backup file is not readable without its passphrase.
    assert.ok(!readFileSync(file).toString("latin1").includes("SQLite format 3"));
  } finally {
    await browser.deleteSession();
  }
});
