// A paralegal's afternoon in the real window, on a passphrase store: record a
// provider, put a party on a matter, record the client's consent, add a PDF and save
// a copy of it through the native dialog, find each of them with Ctrl+K, lock the
// store and unlock it again. Then the CLI reads the same records, and nothing of the
// PDF is on disk in plaintext.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import {
  chooseInNativeDialog,
  cli,
  filesUnder,
  freshDataDir,
  openApp,
  setInput,
  startDriver,
} from "./harness.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

const PASS = "harbor quill meadow lantern";
const MARKER = "Zephyrine indemnity schedule";

/** A one-page PDF showing `line`, with a correct cross-reference table. */
function pdfWith(line) {
  const content = `BT /F1 12 Tf 72 720 Td (${line}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) pdf += `${String(off).padStart(10, "0")} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, "latin1");
}

const text = (browser, selector) =>
  browser.execute((s) => document.querySelector(s)?.textContent ?? "", selector);

async function waitForText(browser, selector, needle, what) {
  await browser.waitUntil(async () => (await text(browser, selector)).includes(needle), {
    timeout: 20000,
    timeoutMsg: `${what}: "${needle}" never appeared in ${selector}`,
  });
}

async function click(browser, selector) {
  const el = await browser.$(selector);
  await el.waitForClickable({ timeout: 15000 });
  await el.click();
}

async function unlock(browser) {
  const input = await browser.$('[data-testid="passphrase"]');
  await input.waitForDisplayed({ timeout: 20000 });
  await input.setValue(PASS);
  await click(browser, '[data-testid="unlock"]');
}

/** Ctrl+K, type, and wait for a hit of `kind` whose text includes `needle`. */
async function searchFinds(browser, query, kind, needle) {
  await click(browser, '[data-testid="open-search"]');
  await setInput(browser, "search-input", query);
  await browser.waitUntil(
    async () =>
      browser.execute(
        (k, n) =>
          Array.from(document.querySelectorAll(`[data-testid="search-hit"][data-kind="${k}"]`)).some((h) =>
            h.textContent.includes(n),
          ),
        kind,
        needle,
      ),
    { timeout: 15000, timeoutMsg: `searching "${query}" found no ${kind} hit with "${needle}"` },
  );
  await browser.keys("Escape");
  await browser.$('[data-testid="search-palette"]').waitForExist({ reverse: true });
}

test("provider, party, consent and document made in the window; found; locked and unlocked", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  const env = { ...process.env, MANDATE_PASSPHRASE: PASS };
  const made = cli(
    ["--data-dir", data.dir, "matter", "add", "--number", "2026-0200", "--title", "Vance Estate", "--client", "R. Vance"],
    env,
  );
  assert.equal(made.code, 0, made.stderr);
  // The file to add lies outside the store folder, as it would on a lawyer's disk.
  const files = freshDataDir();
  t.after(files.remove);
  const pdfPath = join(files.dir, "inventory.pdf");
  const pdf = pdfWith(MARKER);
  writeFileSync(pdfPath, pdf);

  const browser = await openApp(driver, data.dir);
  try {
    await unlock(browser);
    await waitForText(browser, '[data-testid="matter-table"]', "Vance Estate", "unlock");

    // A provider.
    await click(browser, '[data-testid="nav-providers"]');
    await click(browser, '[data-testid="new-provider"]');
    await setInput(browser, "field-legal_name", "Lexbridge Services Pvt Ltd");
    await setInput(browser, "field-countries", "IN");
    await click(browser, '[data-testid="save-provider"]');
    await waitForText(browser, '[data-testid="provider-file"]', "Lexbridge", "provider file");

    // The matter, its Parties tab: a new adverse party.
    await click(browser, '[data-testid="nav-matters"]');
    // Table rows are not "interactable" to WebKitWebDriver; click as the page would.
    await browser.execute(() => document.querySelector('[data-testid="matter-row"][data-number="2026-0200"]').click());
    await click(browser, "#tab-parties");
    await click(browser, "#party-add");
    await click(browser, "#party-mode-new");
    await setInput(browser, "party-name", "Halvorsen Shipping AS");
    await setInput(browser, "party-role", "adverse");
    await click(browser, "#party-save");
    await browser.$('[data-testid="party-row"][data-role="adverse"]').waitForExist({ timeout: 15000 });
    await waitForText(browser, '[data-testid="party-row"]', "Halvorsen", "party row");

    // Consents tab: the client's consent for Lexbridge.
    await click(browser, "#tab-consents");
    await click(browser, "#consent-add");
    const providerId = await browser.execute(
      () =>
        Array.from(document.querySelectorAll("#consent-provider option")).find((o) => o.textContent.includes("Lexbridge"))
          ?.value,
    );
    assert.ok(providerId, "the provider is offered in the consent form");
    await setInput(browser, "consent-provider", providerId);
    await setInput(browser, "consent-scope", "First-level document review");
    await setInput(browser, "consent-countries", "IN");
    await setInput(browser, "consent-given-on", "2026-11-02");
    await setInput(browser, "consent-evidence", "Engagement letter, clause 4");
    await click(browser, "#consent-save");
    await waitForText(browser, '[data-testid="consent-row"]', "First-level document review", "consent row");

    // Documents tab: a PDF picked in the file chooser; its text shows and is searchable.
    await click(browser, "#tab-documents");
    await browser.$("#document-file").waitForExist();
    await browser.$("#document-file").addValue(pdfPath);
    await waitForText(browser, '[data-testid="document-list"]', "inventory", "document list");
    await waitForText(browser, '[data-testid="document-text"]', MARKER, "document text");

    // Save a copy: the real GTK save dialog, opened by Rust, answered with xdotool. The
    // copy is the file's bytes, and the matter's history records it.
    const copy = join(files.dir, "inventory-copy.pdf");
    await click(browser, '[data-testid="document-save-copy"]');
    await chooseInNativeDialog(copy, { title: "Save a copy" });
    await waitForText(browser, '[data-testid="document-panel"] [role="status"]', `Saved a copy to ${copy}`, "save a copy");
    assert.deepEqual(readFileSync(copy), pdf);
    await click(browser, "#tab-history");
    await waitForText(browser, '[data-testid="matter-history"]', "Decrypted copy of a document saved", "history");

    await searchFinds(browser, "zephyrine", "Documents", "inventory");
    await searchFinds(browser, "halvorsen", "Parties", "Halvorsen");
    // A party hit opens the matter the party is on.
    await click(browser, '[data-testid="nav-providers"]');
    await click(browser, '[data-testid="open-search"]');
    await setInput(browser, "search-input", "halvorsen");
    await click(browser, '[data-testid="search-hit"][data-kind="Parties"]');
    await waitForText(browser, '[data-testid="detail-title"]', "Vance Estate", "the party's matter");
    await searchFinds(browser, "lexbridge", "Providers", "Lexbridge");

    // Lock: nothing of the store shows; unlock: the document is still found.
    await click(browser, '[data-testid="lock-now"]');
    await browser.$('[data-testid="passphrase"]').waitForDisplayed({ timeout: 15000 });
    assert.equal(await browser.$('[data-testid="matter-table"]').isExisting(), false);
    await unlock(browser);
    await waitForText(browser, '[data-testid="matter-table"]', "Vance Estate", "unlock again");
    await searchFinds(browser, "indemnity", "Documents", "inventory");
  } finally {
    await browser.deleteSession();
  }

  // The CLI reads what the window wrote, byte for byte.
  const docs = JSON.parse(cli(["--data-dir", data.dir, "document", "list", "--matter", "2026-0200", "--json"], env).stdout);
  assert.equal(docs.length, 1);
  assert.equal(docs[0].latest.sha256, createHash("sha256").update(pdf).digest("hex"));
  assert.equal(docs[0].latest.text_status, "text");
  const consents = JSON.parse(cli(["--data-dir", data.dir, "consent", "list", "--matter", "2026-0200", "--json"], env).stdout);
  assert.deepEqual(consents.map((c) => [c.scope, c.countries]), [["First-level document review", ["IN"]]]);
  const check = cli(["--data-dir", data.dir, "store", "check", "--json"], env);
  assert.equal(check.code, 0, check.stderr);
  assert.equal(JSON.parse(check.stdout).documents, 1);

  // Nothing of the PDF or the parties is on disk in plaintext.
  for (const f of filesUnder(data.dir)) {
    const s = f.bytes.toString("latin1");
    for (const secret of [MARKER, "Halvorsen", "Lexbridge", "%PDF-1.4", "SQLite format 3"]) {
      assert.ok(!s.includes(secret), `${f.path} holds "${secret}" in plaintext`);
    }
  }
});
