// Backup and export from the window: an encrypted backup that restores elsewhere
// with everything in it, and a CSV export a spreadsheet can read — each written
// only where the real native (GTK) dialog, opened by Rust, said; the dialog is
// answered with xdotool (harness.mjs, chooseInNativeDialog).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import {
  chooseInNativeDialog,
  cli,
  freshDataDir,
  invokeFromPage,
  openApp,
  setInput,
  startDriver,
} from "./harness.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

const BACKUP_PASS = "copper wren estuary fable";
const text = (browser, selector) =>
  browser.execute((s) => document.querySelector(s)?.textContent ?? "", selector);

test("a backup and a CSV export made in the window, written only where the native dialog said", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  const out = freshDataDir();
  t.after(out.remove);
  const demo = cli(["--data-dir", data.dir, "demo", "--json"]);
  assert.equal(demo.code, 0, demo.stderr);
  const counts = JSON.parse(demo.stdout);

  const file = join(out.dir, "firm.mandate-backup");
  const browser = await openApp(driver, data.dir);
  const shown = (id) => browser.$(`#${id}`).getValue();
  try {
    await browser.$('[data-testid="nav-backup"]').click();
    assert.equal(await browser.$("#backup-path").getAttribute("readonly"), "true", "a path cannot be typed");
    // The real GTK save dialog, opened by Rust, answered as a person would.
    await browser.$('[data-testid="backup-choose"]').click();
    await chooseInNativeDialog(file, { title: "Save the backup" });
    await browser.waitUntil(async () => (await shown("backup-path")) === file, {
      timeoutMsg: "the chosen file is not shown",
    });
    await setInput(browser, "backup-passphrase", BACKUP_PASS);
    await setInput(browser, "backup-confirm", "copper wren estuary fablE");
    await browser.$("#backup-create").click();
    await browser.$('[data-testid="error-confirm"]').waitForExist({ timeout: 10000 });
    assert.equal(existsSync(file), false, "nothing is written when the passphrases differ");

    await setInput(browser, "backup-confirm", BACKUP_PASS);
    await browser.$("#backup-create").click();
    await browser.$("#backup-result").waitForExist({ timeout: 60000, timeoutMsg: "the backup did not finish" });
    const sha = (await text(browser, '[data-testid="backup-sha256"]')).trim();
    assert.equal(await shown("backup-path"), "", "the choice was good for one backup");

    // A path from the webview is refused, whatever it names: the file stays as it was.
    const before = readFileSync(file);
    const typed = await invokeFromPage(browser, "backup_create", { target: file, passphrase: BACKUP_PASS });
    assert.equal(typed.refused?.field, "path", JSON.stringify(typed));
    const elsewhere = join(out.dir, "elsewhere.mandate-backup");
    const made = await invokeFromPage(browser, "backup_create", { target: elsewhere, passphrase: BACKUP_PASS });
    assert.equal(made.refused?.field, "path", JSON.stringify(made));
    assert.equal(existsSync(elsewhere), false);
    // A token is for one write of its own kind: a backup's token cannot export.
    const chosen = invokeFromPage(browser, "backup_choose", {});
    await chooseInNativeDialog(elsewhere, { title: "Save the backup" });
    const { ok: target } = await chosen;
    assert.equal(target.path, elsewhere);
    assert.ok(!target.token.includes("/"), "the window holds a token, not a path");
    const wrongKind = await invokeFromPage(browser, "export_records", { target: target.token, format: "csv" });
    assert.equal(wrongKind.refused?.field, "path", JSON.stringify(wrongKind));
    const spent = await invokeFromPage(browser, "backup_create", { target: target.token, passphrase: BACKUP_PASS });
    assert.equal(spent.refused?.field, "path", "a refused token is used up");
    assert.equal(existsSync(elsewhere), false);
    assert.deepEqual(readFileSync(file), before);

    // The same file picked again in the dialog: GTK asks, Cancel leaves it alone…
    await browser.$('[data-testid="backup-choose"]').click();
    await chooseInNativeDialog(file, { title: "Save the backup", replace: false });
    assert.equal(await shown("backup-path"), "");
    // …and Replace, confirmed there, lets the backup replace it.
    await browser.$('[data-testid="backup-choose"]').click();
    await chooseInNativeDialog(file, { title: "Save the backup", replace: true });
    await browser.waitUntil(async () => (await shown("backup-path")) === file);
    await setInput(browser, "backup-passphrase", BACKUP_PASS);
    await setInput(browser, "backup-confirm", BACKUP_PASS);
    await browser.$("#backup-create").click();
    await browser.waitUntil(async () => !["", sha].includes((await text(browser, '[data-testid="backup-sha256"]')).trim()), {
      timeout: 60000,
      timeoutMsg: "the second backup did not finish",
    });
    assert.notDeepEqual(readFileSync(file), before, "the file was replaced");
    const sha2 = (await text(browser, '[data-testid="backup-sha256"]')).trim();

    // The export: the folder picked holds the backup, so Rust makes a dated one inside.
    await setInput(browser, "export-format", "csv");
    await browser.$('[data-testid="export-choose"]').click();
    await chooseInNativeDialog(out.dir, { title: "Choose a folder for the export", folder: true });
    await browser.waitUntil(async () => (await shown("export-path")) !== "", {
      timeoutMsg: "the chosen folder is not shown",
    });
    const exportDir = await shown("export-path");
    assert.match(exportDir, /\/mandate-export-\d{4}-\d{2}-\d{2}$/);
    assert.equal(dirname(exportDir), out.dir);
    await browser.$("#export-run").click();
    await browser.$("#export-result").waitForExist({ timeout: 60000, timeoutMsg: "the export did not finish" });
    assert.match(await text(browser, "#export-result"), /matters\.csv/);
    // A typed folder is refused, and writes nothing.
    const typedDir = join(out.dir, "typed");
    const refusedExport = await invokeFromPage(browser, "export_records", { target: typedDir, format: "json" });
    assert.equal(refusedExport.refused?.field, "path");
    assert.equal(existsSync(typedDir), false);

    // The backup checks out and restores elsewhere with every record.
    const inspect = cli(["backup", "inspect", file, "--json"]);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.equal(JSON.parse(inspect.stdout).db_sha256, sha2);
    assert.notEqual(sha2, sha);
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
