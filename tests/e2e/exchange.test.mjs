// The exchange in the real window, against a real mandate-relay over TLS with a
// CA made by the test:
//  1. the firm in the window, the provider as the CLI: add the relay, invite, mark
//     the provider's fingerprint verified, send two document versions and a
//     deadline, see them sent and then received; the provider's deliverable and
//     message arrive in the matter, with a desktop notification on the session bus;
//  2. the provider in the window, the firm as the CLI: join by code, open the
//     received document, accept, deliver a file and write; the firm's CLI has them;
//  3. offline, then online: with the relay stopped, a message and a deliverable
//     wait (the header says offline, 2 waiting) and arrive exactly once after.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chooseInNativeDialog, cli, filesUnder, freshDataDir, openApp, setInput, startDriver } from "./harness.mjs";
import { makeCa, relayAccount, startRelay } from "./relay.mjs";

// Screenshots go here when set (to look at under Xvfb), else into the test's temp folder.
const SHOTS = process.env.MANDATE_SCREENSHOTS;
// The keys of the provider diligence checklist (Model Rule 5.3 comment 3), as
// `mandate provider add --factor` takes them.
const DILIGENCE_FACTORS = ["education", "experience", "reputation", "services", "confidentiality", "jurisdiction", "security"];
// Rounds every 2 s instead of 10, so the test does not wait on the clock.
const ENV = { ...process.env, MANDATE_SYNC_EVERY_SECS: "2" };

let driver;
let ca;
before(async () => {
  ca = makeCa();
  driver = await startDriver(ENV);
});
after(() => {
  driver?.stop();
  ca?.remove();
});

const text = (browser, selector) =>
  browser.execute((s) => document.querySelector(s)?.textContent ?? "", selector);
const value = (browser, selector) => browser.execute((s) => document.querySelector(s)?.value ?? "", selector);
const attr = (browser, selector, name) =>
  browser.execute((s, n) => document.querySelector(s)?.getAttribute(n) ?? null, selector, name);

async function waitForText(browser, selector, needle, what, timeout = 30000) {
  await browser.waitUntil(async () => (await text(browser, selector)).includes(needle), {
    timeout,
    timeoutMsg: `${what}: "${needle}" never appeared in ${selector}`,
  });
}

/** Clicks as the page would (table rows and some buttons are not "interactable" to WebKitWebDriver). */
async function click(browser, selector) {
  await browser.$(selector).waitForExist({ timeout: 20000 });
  await browser.execute((s) => document.querySelector(s).click(), selector);
}

function ok(dir, args, env = process.env) {
  const r = cli(["--data-dir", dir, ...args], env);
  assert.equal(r.code, 0, `mandate ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}
const okJson = (dir, args, env) => JSON.parse(ok(dir, [...args, "--json"], env));

/** The client's consent to sending the matter's work to the provider. */
function recordConsent(dir) {
  ok(dir, ["consent", "add", "--matter", "2026-0410", "--provider", "Lexwell Review Ltd", "--scope", "Contract review",
    "--country", "IN", "--given-on", "2026-11-02", "--evidence", "engagement letter, section 4"]);
}

/**
 * The firm's matter with a provider, a work order, two documents and a deadline,
 * and what the send guard asks for on file (the client's consent only when asked).
 */
function seedFirm(dir, work, { consent = true } = {}) {
  ok(dir, ["matter", "add", "--number", "2026-0410", "--title", "Harrow Mills supply dispute", "--client", "Harrow Mills",
    "--supervising-attorney", "Jane Smith"]);
  ok(dir, ["provider", "add", "--name", "Lexwell Review Ltd", "--country", "IN",
    ...DILIGENCE_FACTORS.flatMap((f) => ["--factor", `${f}: DMS 4411`]),
    "--diligence-review-on", "2099-01-01", "--nda-signed-on", "2026-01-02", "--ai-use", "none"]);
  ok(dir, ["conflicts", "check", "--matter", "2026-0410", "--provider", "Lexwell Review Ltd"]);
  if (consent) recordConsent(dir);
  const assignment = okJson(dir, [
    "assignment", "add", "--matter", "2026-0410", "--provider", "Lexwell Review Ltd",
    "--scope", "First-level review of the supply contracts", "--due-on", "2027-02-01", "--supervisor", "Jane Smith",
  ]);
  const docs = [];
  for (const [name, body] of [
    ["Supply agreement.txt", "Supply agreement. QUILLON-MARKER-1 clause 14."],
    ["Amendment 2.txt", "Amendment 2. QUILLON-MARKER-2 price schedule."],
  ]) {
    const file = join(work, name);
    writeFileSync(file, body);
    docs.push(okJson(dir, ["document", "add", "--matter", "2026-0410", file]));
  }
  const [deadline] = okJson(dir, ["deadline", "add", "--matter", "2026-0410", "--due", "2027-01-25", "--title", "Review memo to supervising attorney", "--kind", "vendor"]);
  ok(dir, ["identity", "name", "Jones & Park LLP"]);
  return { assignment, versions: docs.map((d) => d.latest.id), deadline };
}

async function openMatterTab(browser, number, tab) {
  await click(browser, '[data-testid="nav-matters"]');
  await click(browser, `[data-testid="matter-row"][data-number="${number}"]`);
  await click(browser, `#tab-${tab}`);
}

async function addRelay(browser, relay, token) {
  await click(browser, '[data-testid="nav-settings"]');
  await setInput(browser, "relay-url", relay.url);
  if (token) await setInput(browser, "relay-account-token", token);
  await setInput(browser, "relay-ca-pem", ca.caPem);
  await click(browser, '[data-testid="relay-add"]');
  await waitForText(browser, '[data-testid="relay-list"]', relay.url, "the relay was not listed");
  await click(browser, '[data-testid="relay-test-0"]');
  await waitForText(browser, '[data-testid="relay-test-result-0"]', "Answered", "Test connection did not succeed");
}

/**
 * From the matter's work order in the window: open the share panel, choose the relay,
 * make the invite (its code and QR code shown); the provider joins with the code from
 * its terminal, and the window shows the provider's fingerprint.
 */
async function inviteFromTheWindow(browser, relay, matterNumber, providerDir) {
  await openMatterTab(browser, matterNumber, "assignments");
  await click(browser, '[data-testid="share-open"]');
  await browser.$('[data-testid="share-relay"]').waitForExist({ timeout: 20000 });
  await setInput(browser, "share-relay", relay.url);
  await click(browser, '[data-testid="invite-create"]');
  await browser.waitUntil(async () => (await value(browser, '[data-testid="invite-code"]')).startsWith("MANDATE-INVITE-1-"), {
    timeout: 30000,
    timeoutMsg: "no invite code was shown",
  });
  const code = await value(browser, '[data-testid="invite-code"]');
  assert.ok(await browser.$('[data-testid="invite-qr"]').isExisting(), "no QR code");
  const joined = okJson(providerDir, ["invite", "join", code, "--relay-ca", ca.caFile]);
  const providerFp = okJson(providerDir, ["identity", "show"]).fingerprint;
  await waitForText(browser, '[data-testid="share-members"]', providerFp, "the provider's fingerprint");
  return { joined, providerFp };
}

/**
 * A firm's and a provider's fresh stores, a work folder, and a relay (with an
 * account for the firm) on a data folder of its own; all removed after the test.
 */
async function freshExchange(t) {
  const work = mkdtempSync(join(tmpdir(), "mandate-e2e-work-"));
  const relayData = mkdtempSync(join(tmpdir(), "mandate-e2e-relay-"));
  const firm = freshDataDir();
  const provider = freshDataDir();
  t.after(() => {
    firm.remove();
    provider.remove();
    rmSync(work, { recursive: true, force: true });
    rmSync(relayData, { recursive: true, force: true });
  });
  const token = relayAccount(relayData, "jones-park");
  const relay = await startRelay(ca, relayData);
  t.after(() => relay.stop());
  return { work, relayData, firm, provider, token, relay };
}

test("the firm shares from the window, the provider works in the CLI, and the work comes back", async (t) => {
  const { work, relayData, firm, provider, token, relay } = await freshExchange(t);
  const seeded = seedFirm(firm.dir, work, { consent: false });
  ok(provider.dir, ["identity", "name", "Lexwell Review Ltd"]);

  const monitor = spawn("dbus-monitor", ["--session", "interface='org.freedesktop.Notifications',member='Notify'"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  t.after(() => monitor.kill());
  let bus = "";
  monitor.stdout.on("data", (d) => (bus += d));

  const browser = await openApp(driver, firm.dir);
  try {
    await addRelay(browser, relay, token);

    // Invite from the work order; the provider joins from its terminal and the
    // window shows its fingerprint.
    const { joined, providerFp } = await inviteFromTheWindow(browser, relay, "2026-0410", provider.dir);
    assert.equal(joined.firm, "Jones & Park LLP");
    await click(browser, '[data-testid="member-verify-0"]');
    await waitForText(browser, '[data-testid="share-members"]', "Verified", "the fingerprint was not marked verified");

    // Exactly two versions and the deadline go, once the send guard allows it: with
    // no client consent on file it blocks, says what would satisfy it, and Send stays off.
    for (const v of seeded.versions) await click(browser, `[data-testid="share-version-${v}"]`);
    await click(browser, `[data-testid="share-deadline-${seeded.deadline.id}"]`);
    await browser.waitUntil(async () => (await attr(browser, '[data-testid="share-guard"]', "data-decision")) === "block", {
      timeout: 20000,
      timeoutMsg: "the send guard did not block a send without consent",
    });
    assert.match(await text(browser, '[data-testid="share-guard"]'), /Record the client's informed consent/);
    assert.equal(await browser.$('[data-testid="share-send"]').isEnabled(), false, "Send was offered on a block");
    await browser.execute(() => document.querySelector('[data-testid="share-guard"]').scrollIntoView());
    await browser.saveScreenshot(join(SHOTS ?? work, "exchange-guard-blocked.png"));
    // The consent is recorded (here from the terminal); the window sees it and allows.
    recordConsent(firm.dir);
    await browser.waitUntil(async () => ["allow", "allow_with_conditions"].includes(await attr(browser, '[data-testid="share-guard"]', "data-decision")), {
      timeout: 20000,
      timeoutMsg: "the send guard did not allow the send once the consent was on file",
    });
    await browser.waitUntil(() => browser.$('[data-testid="share-send"]').isEnabled(), { timeout: 10000 });
    await click(browser, '[data-testid="share-send"]');
    const states = () =>
      browser.execute(() => [...document.querySelectorAll('[data-testid^="share-item-"]')].map((e) => e.getAttribute("data-state")));
    await browser.waitUntil(async () => {
      const s = await states();
      return s.length === 3 && s.every((x) => x === "sent" || x === "received");
    }, { timeout: 30000, timeoutMsg: "the three items were not sent" });

    // The provider takes them (its second round tells the relay it holds them).
    okJson(provider.dir, ["sync", "--once"]);
    const e = okJson(provider.dir, ["engagement", "show", joined.channel_id]);
    const titles = e.items.map((i) => i.title).join("|");
    assert.match(titles, /Supply agreement\.txt/);
    assert.match(titles, /Amendment 2\.txt/);
    assert.match(titles, /Review memo to supervising attorney/);
    okJson(provider.dir, ["sync", "--once"]);
    await browser.waitUntil(async () => {
      const s = await states();
      return s.length === 3 && s.every((x) => x === "received");
    }, { timeout: 30000, timeoutMsg: "the items were never shown as received by the provider" });
    await browser.execute(() => document.querySelector('[data-testid="share-items"]')?.scrollIntoView());
    await browser.saveScreenshot(join(SHOTS ?? work, "exchange-share-panel.png"));

    // The provider delivers a memo and writes; both arrive in the matter.
    const memo = join(work, "Review memo.txt");
    writeFileSync(memo, "Memo: clause 14 survives the amendment.");
    ok(provider.dir, ["deliver", "--assignment", joined.channel_id, memo]);
    ok(provider.dir, ["message", "send", "--assignment", joined.channel_id, "Memo delivered; one open question on clause 9."]);
    okJson(provider.dir, ["sync", "--once"]);
    await click(browser, "#tab-documents");
    await waitForText(browser, '[data-testid="tabpanel-documents"]', "Review memo.txt", "the deliverable did not arrive as a document");
    await waitForText(browser, '[data-testid="document-from"]', "from Lexwell Review Ltd", "the deliverable is not marked with its provider");
    await click(browser, "#tab-messages");
    await waitForText(browser, '[data-testid="tabpanel-messages"]', "one open question on clause 9", "the provider's message did not arrive");
    await waitForText(browser, '[data-testid="tabpanel-messages"]', "Lexwell Review Ltd", "the message does not name its sender");
    await browser.waitUntil(async () => bus.includes("new from the exchange"), {
      timeout: 20000,
      timeoutMsg: "no desktop notification was sent for what arrived",
    });
    // Discreet by default: the notification names no matter, client, provider or file.
    assert.doesNotMatch(bus, /2026-0410|Harrow|Lexwell|Review memo/);
    await browser.saveScreenshot(join(SHOTS ?? work, "exchange-firm-messages.png"));
  } finally {
    await browser.deleteSession();
  }
  // Nothing of the documents is on the relay's disk or in either store in plaintext.
  for (const dir of [relayData, firm.dir, provider.dir]) {
    for (const f of filesUnder(dir)) {
      assert.ok(!f.bytes.includes("QUILLON-MARKER"), `plaintext in ${f.path}`);
    }
  }
});

/**
 * The firm (CLI) has a relay, a work order and an invite; the provider's window is
 * open, has added the same relay in Settings and joined by code. Returns what the
 * two scenarios below need.
 */
async function providerJoinsInTheWindow(t) {
  const { work, relayData, firm, provider, token, relay } = await freshExchange(t);
  const seeded = seedFirm(firm.dir, work);
  ok(firm.dir, ["relay", "add", relay.url, "--account-token", token, "--relay-ca", ca.caFile]);
  const invite = okJson(firm.dir, ["invite", "create", "--assignment", seeded.assignment.id, "--relay", relay.url]);
  const firmFp = okJson(firm.dir, ["identity", "show"]).fingerprint;
  ok(provider.dir, ["identity", "name", "Lexwell Review Ltd"]);

  const browser = await openApp(driver, provider.dir);
  t.after(() => browser.deleteSession());
  // The provider trusts the relay's CA by adding the relay itself (no account: it only joins).
  await addRelay(browser, relay, null);
  await click(browser, '[data-testid="nav-engagements"]');
  await click(browser, '[data-testid="engagement-join-open"]');
  await setInput(browser, "join-code", invite.code);
  await click(browser, '[data-testid="join-preview"]');
  await waitForText(browser, '[data-testid="join-firm-fingerprints"]', firmFp, "the firm's fingerprint to compare");
  await waitForText(browser, '[data-testid="join-firm"]', "Jones & Park LLP", "the firm's name");
  await click(browser, '[data-testid="join-confirm"]');
  const row = `[data-testid="engagement-${invite.channel_id}"]`;
  await browser.$(row).waitForExist({ timeout: 30000, timeoutMsg: "the engagement was not listed after joining" });

  // The firm sends the brief and the first document.
  okJson(firm.dir, ["sync", "--once"]);
  okJson(firm.dir, ["share", "--assignment", seeded.assignment.id, "--brief", "--document", seeded.versions[0]]);
  okJson(firm.dir, ["sync", "--once"]);
  await click(browser, row);
  await waitForText(browser, '[data-testid="engagement-brief"]', "First-level review of the supply contracts", "the brief", 30000);
  return { browser, firm, provider, relay, relayData, seeded, channel: invite.channel_id, work };
}

/** The states of the provider's queued and sent deliverables and messages, by label. */
const deliverStates = (browser) =>
  browser.execute(() => [...document.querySelectorAll('[data-testid^="deliver-item-"]')].map((e) => e.getAttribute("data-state")));

test("the provider joins, reads, accepts, delivers and writes in the window; the firm's CLI has it all", async (t) => {
  const { browser, firm, seeded, channel, work } = await providerJoinsInTheWindow(t);

  // The document opens in the viewer, read from the encrypted store.
  await browser.$('[data-testid^="engagement-open-"]').waitForExist({ timeout: 30000 });
  await click(browser, '[data-testid^="engagement-open-"]');
  await waitForText(browser, '[data-testid="engagement-file-text"]', "QUILLON-MARKER-1 clause 14", "the received document's text");

  // Only the provider's moves are offered; it accepts.
  await click(browser, '[data-testid="engagement-move-accepted"]');
  await waitForText(browser, '[data-testid="engagement-status"]', "ccepted", "the engagement's status after Accept");
  assert.equal(await browser.$('[data-testid="engagement-move-approved"]').isExisting(), false, "the provider was offered the firm's approval");

  // A deliverable through the file chooser, and a message.
  const memo = join(work, "Provider memo.txt");
  writeFileSync(memo, "Memo from the provider: clause 14 holds.");
  await browser.$("#deliver-file").addValue(memo);
  await setInput(browser, "engagement-message-body", "Memo attached; one question on clause 9.");
  await click(browser, '[data-testid="engagement-message-send"]');
  await browser.waitUntil(async () => {
    const s = await deliverStates(browser);
    return s.length >= 1 && s.every((x) => x === "sent" || x === "received");
  }, { timeout: 30000, timeoutMsg: "the deliverable was not sent" });
  // The message goes in its own round: wait until nothing is left to go.
  await browser.waitUntil(async () => (await attr(browser, '[data-testid="sync-indicator"]', "data-waiting")) === "0", {
    timeout: 30000,
    timeoutMsg: "the provider's message and moves did not all go",
  });
  await browser.saveScreenshot(join(SHOTS ?? work, "exchange-engagements.png"));

  // The firm's CLI receives them into the matter (the window's rounds run on their
  // own clock, and a round that met a busy relay waits its backoff, so the firm syncs
  // until the message is there, for at most 60 s).
  let messages = "";
  for (let i = 0; i < 30 && !/one question on clause 9/.test(messages); i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, 2000));
    const report = okJson(firm.dir, ["sync", "--once"]);
    assert.deepEqual(report.rejected, []);
    messages = ok(firm.dir, ["message", "list", "--matter", "2026-0410", "--json"]);
  }
  const a = okJson(firm.dir, ["assignment", "show", seeded.assignment.id]);
  assert.equal(a.status, "accepted");
  const docs = okJson(firm.dir, ["document", "list", "--matter", "2026-0410"]);
  assert.ok(docs.some((d) => d.owner === "provider" && d.latest.file_name === "Provider memo.txt"), JSON.stringify(docs));
  assert.match(messages, /one question on clause 9/);
  assert.ok(channel);
});

test("offline, then online: what was made while the relay was down goes once it is back, exactly once", async (t) => {
  const { browser, firm, relay, relayData, work } = await providerJoinsInTheWindow(t);
  const indicator = '[data-testid="sync-indicator"]';
  await browser.waitUntil(async () => (await attr(browser, indicator, "data-online")) === "true", {
    timeout: 30000,
    timeoutMsg: "the header never said online",
  });
  const before = okJson(firm.dir, ["sync", "--once"]);
  assert.deepEqual(before.received, []);

  await relay.stop();
  const memo = join(work, "Offline memo.txt");
  writeFileSync(memo, "Written on the train.");
  await browser.$("#deliver-file").addValue(memo);
  await setInput(browser, "engagement-message-body", "Written offline.");
  await click(browser, '[data-testid="engagement-message-send"]');
  await browser.waitUntil(
    async () => (await attr(browser, indicator, "data-online")) === "false" && (await attr(browser, indicator, "data-waiting")) === "2",
    { timeout: 30000, timeoutMsg: "the header did not say offline with 2 waiting" },
  );
  await waitForText(browser, indicator, "Offline", "the indicator's words");
  await browser.saveScreenshot(join(SHOTS ?? work, "exchange-offline.png"));

  // The relay comes back on the same address with what it had.
  const back = await startRelay(ca, relayData, relay.port);
  t.after(() => back.stop());
  await browser.waitUntil(
    async () => (await attr(browser, indicator, "data-online")) === "true" && (await attr(browser, indicator, "data-waiting")) === "0",
    { timeout: 60000, timeoutMsg: "the waiting items did not go when the relay came back" },
  );
  const report = okJson(firm.dir, ["sync", "--once"]);
  assert.equal(report.received.length, 2, JSON.stringify(report));
  assert.deepEqual(okJson(firm.dir, ["sync", "--once"]).received, [], "something arrived twice");
  const docs = okJson(firm.dir, ["document", "list", "--matter", "2026-0410"]);
  assert.equal(docs.filter((d) => d.latest.file_name === "Offline memo.txt").length, 1);
});

test("the send guard in the window: a number found blocks, the redacted copy goes, the ledger says so", async (t) => {
  const { work, relayData, firm, provider, token, relay } = await freshExchange(t);
  const seeded = seedFirm(firm.dir, work);
  const intake = join(work, "Intake.txt");
  writeFileSync(intake, "Intake, Case No. 2:19-cr-00045. Claimant SSN 123-45-6789. QUILLON-MARKER-3");
  const doc = okJson(firm.dir, ["document", "add", "--matter", "2026-0410", intake]);
  ok(firm.dir, ["relay", "add", relay.url, "--account-token", token, "--relay-ca", ca.caFile]);
  const invite = okJson(firm.dir, ["invite", "create", "--assignment", seeded.assignment.id, "--relay", relay.url]);
  ok(provider.dir, ["identity", "name", "Lexwell Review Ltd"]);
  okJson(provider.dir, ["invite", "join", invite.code, "--relay-ca", ca.caFile]);
  okJson(firm.dir, ["sync", "--once"]);

  const browser = await openApp(driver, firm.dir);
  t.after(() => browser.deleteSession());
  await openMatterTab(browser, "2026-0410", "assignments");
  await click(browser, '[data-testid="share-open"]');
  await click(browser, `[data-testid="share-version-${doc.latest.id}"]`);
  // The scan finds the SSN (not the case number), and the guard blocks on it.
  await waitForText(browser, '[data-testid="share-scan"]', "123-45-6789", "the scan's hit");
  assert.doesNotMatch(await text(browser, '[data-testid="share-scan"]'), /2:19-cr-00045<\/span>/);
  await browser.waitUntil(async () => (await attr(browser, '[data-testid="share-guard"]', "data-decision")) === "block", {
    timeout: 20000,
    timeoutMsg: "the guard did not block on the SSN",
  });
  assert.match(await text(browser, '[data-testid="share-guard"]'), /Sensitive numbers found/);
  await browser.execute(() => document.querySelector('[data-testid="share-scan"]').scrollIntoView());
  await browser.saveScreenshot(join(SHOTS ?? work, "exchange-scan.png"));
  // Redacted: a new version goes instead; the guard allows it.
  await click(browser, `[data-testid="scan-redact-${doc.latest.id}"]`);
  await browser.waitUntil(async () => ["allow", "allow_with_conditions"].includes(await attr(browser, '[data-testid="share-guard"]', "data-decision")), {
    timeout: 20000,
    timeoutMsg: "the guard did not allow the redacted copy",
  });
  await click(browser, '[data-testid="share-send"]');
  await browser.waitUntil(
    async () => (await browser.execute(() => document.querySelectorAll('[data-testid^="share-item-"][data-state="sent"], [data-testid^="share-item-"][data-state="received"]').length)) >= 1,
    { timeout: 30000, timeoutMsg: "the redacted copy was not sent" },
  );
  // The provider gets the redacted copy, not the number.
  okJson(provider.dir, ["sync", "--once"]);
  const e = okJson(provider.dir, ["engagement", "show", invite.channel_id]);
  const item = e.items.find((i) => i.kind === "document");
  assert.match(item.title, /Intake \(redacted\)\.txt/);
  const copy = join(work, "received.txt");
  ok(provider.dir, ["engagement", "file", invite.channel_id, item.item_id, "--out", copy]);
  const received = readFileSync(copy, "utf8");
  assert.match(received, /\[REDACTED SSN\]/);
  assert.doesNotMatch(received, /123-45-6789/);
  // The ledger: the send, with the provider's key.
  const ledger = okJson(firm.dir, ["ledger", "--matter", "2026-0410"]);
  const decisions = ledger.map((r) => r.decision);
  assert.ok(decisions.includes("allow") || decisions.includes("allow_with_conditions"), JSON.stringify(decisions));
  const sent = ledger.find((r) => r.decision.startsWith("allow"));
  assert.equal(sent.recipients.length, 1);
  assert.match(sent.items.join(" "), /Intake \(redacted\)\.txt/);
  await click(browser, "#tab-documents");
  await waitForText(browser, '[data-testid="disclosure-list"]', "Encrypted to", "the matter's ledger view");
  // The firm's ledger screen has the send (the window never tried the blocked one:
  // Send stayed off, so no refusal was recorded).
  await click(browser, '[data-testid="nav-ledger"]');
  await browser.$('[data-testid="ledger-row"]').waitForExist({ timeout: 20000 });
  const shown = await browser.execute(() =>
    [...document.querySelectorAll('[data-testid="ledger-row"]')].map((r) => r.getAttribute("data-decision")),
  );
  assert.deepEqual(shown.map((d) => d.startsWith("allow")), [true], JSON.stringify(shown));
  assert.match(await text(browser, '[data-testid="ledger-table"]'), /Intake \(redacted\)\.txt/);
  await browser.saveScreenshot(join(SHOTS ?? work, "exchange-ledger.png"));
});

/** The text of a PDF as pdftotext (poppler-utils, from scripts/setup.sh) reads it, spaces folded. */
function pdfText(file) {
  const r = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  assert.equal(r.status, 0, `pdftotext (run scripts/setup.sh if it is missing): ${r.stderr ?? r.error}`);
  return r.stdout.replace(/\s+/g, " ");
}

const guardRules = (browser) =>
  browser.execute(() => [...document.querySelectorAll('[data-testid="share-guard-reasons"] li')].filter((li) => li.getAttribute("data-blocks") === "true").map((li) => li.getAttribute("data-rule")));

test("a blocked send, its facts recorded in the window, the SSN redacted, the send allowed, the ledger and the client's report", async (t) => {
  const { work, relayData, firm, provider, token, relay } = await freshExchange(t);
  // A matter holding health information, a provider with only its NDA, review date
  // and AI answer on file, and a document with one Social Security number in it.
  ok(firm.dir, ["matter", "add", "--number", "2026-0511", "--title", "Calder v. Northfield Clinic", "--client", "Ruth Calder",
    "--supervising-attorney", "Jane Smith", "--data-class", "health_information"]);
  ok(firm.dir, ["provider", "add", "--name", "Lexwell Review Ltd", "--country", "IN", "--diligence-review-on", "2099-01-01",
    "--nda-signed-on", "2026-01-02", "--ai-use", "none"]);
  const assignment = okJson(firm.dir, ["assignment", "add", "--matter", "2026-0511", "--provider", "Lexwell Review Ltd",
    "--scope", "Medical chronology", "--due-on", "2027-02-01", "--supervisor", "Jane Smith"]);
  const file = join(work, "Intake notes.txt");
  writeFileSync(file, "Intake notes. Patient SSN 219-09-9999, seen on 2026-03-14 for the fall. CALDER-MARKER-1.");
  const doc = okJson(firm.dir, ["document", "add", "--matter", "2026-0511", file]);
  ok(firm.dir, ["identity", "name", "Jones & Park LLP"]);
  ok(firm.dir, ["person", "add", "--name", "Jane Smith", "--role", "attorney", "--bar-admission", "NY 4410021"]);
  ok(firm.dir, ["person", "use", "Jane Smith"]);

  const browser = await openApp(driver, firm.dir);
  try {
    await addRelay(browser, relay, token);
    const { joined, providerFp } = await inviteFromTheWindow(browser, relay, "2026-0511", provider.dir);
    await click(browser, '[data-testid="member-verify-0"]');
    await waitForText(browser, '[data-testid="share-members"]', "Verified", "the fingerprint was not marked verified");

    // 1. The send is blocked, for every fact that is missing, and Send stays off.
    await click(browser, `[data-testid="share-version-${doc.latest.id}"]`);
    await browser.waitUntil(async () => (await attr(browser, '[data-testid="share-guard"]', "data-decision")) === "block", {
      timeout: 20000,
      timeoutMsg: "the send guard did not block",
    });
    const blocked = await guardRules(browser);
    for (const rule of ["consent.missing", "diligence.incomplete", "data.health_baa", "conflict.unchecked", "scan.unresolved"]) {
      assert.ok(blocked.includes(rule), `${rule} not among ${blocked}`);
    }
    assert.equal(await browser.$('[data-testid="share-send"]').isEnabled(), false, "Send was offered on a block");
    await browser.saveScreenshot(join(SHOTS ?? work, "guard-walk-blocked.png"));

    // 2. The conflict check, run and recorded from the share panel.
    await click(browser, "#conflict-run");
    await waitForText(browser, '[data-testid="conflict-state"]', "Checked by Jane Smith", "the conflict check was not recorded");

    // 3. The client's consent, recorded in the Consents tab (covering health data).
    await click(browser, "#tab-consents");
    await click(browser, '[data-testid="consent-add"]');
    await browser.$('[data-testid="consent-form"]').waitForExist({ timeout: 20000 });
    const providerId = okJson(firm.dir, ["provider", "list"]).items[0].id;
    await setInput(browser, "consent-provider", providerId);
    await setInput(browser, "consent-scope", "Medical chronology by an outside reviewer");
    await click(browser, '[data-testid="consent-class-health_information"]');
    await setInput(browser, "consent-countries", "IN");
    await setInput(browser, "consent-given-on", "2026-11-20");
    await setInput(browser, "consent-evidence", "signed consent form, file 0511-C1");
    await click(browser, '[data-testid="consent-save"]');
    await waitForText(browser, '[data-testid="matter-consents"]', "Medical chronology by an outside reviewer", "the consent was not recorded");

    // 4. The provider's diligence (Model Rule 5.3 comment 3) and its BAA, in its file.
    await click(browser, '[data-testid="nav-providers"]');
    await click(browser, '[data-testid="provider-row"]');
    await waitForText(browser, '[data-testid="diligence"]', "7 open", "the checklist does not show the seven open factors");
    await click(browser, "#diligence-edit");
    for (const f of DILIGENCE_FACTORS) {
      await click(browser, `[data-testid="factor-${f}"]`);
      await setInput(browser, `factor-${f}-evidence`, `vendor file VF-22, ${f}`);
    }
    await click(browser, "#diligence-save");
    await waitForText(browser, '[data-testid="diligence"]', "complete", "the checklist was not saved complete");
    await browser.saveScreenshot(join(SHOTS ?? work, "guard-walk-diligence.png"));
    await click(browser, '[data-testid="edit-provider"]');
    await setInput(browser, "field-baa", "2026-11-21");
    await click(browser, "#provider-save");
    await waitForText(browser, '[data-testid="provider-file"]', "On file, signed 2026-11-21", "the BAA was not recorded");

    // 5. Back to the work order: the one SSN the scan found is redacted; the redacted
    // copy takes the original's place and the guard allows.
    await openMatterTab(browser, "2026-0511", "assignments");
    await click(browser, '[data-testid="share-open"]');
    await click(browser, `[data-testid="share-version-${doc.latest.id}"]`);
    await waitForText(browser, `[data-testid="scan-item-${doc.latest.id}"]`, "219-09-9999", "the scan did not show the SSN in context");
    await click(browser, `[data-testid="scan-redact-${doc.latest.id}"]`);
    await browser
      .waitUntil(async () => ["allow", "allow_with_conditions"].includes(await attr(browser, '[data-testid="share-guard"]', "data-decision")), {
        timeout: 30000,
      })
      .catch(async () => assert.fail(`the send guard did not allow once every fact was recorded: ${await guardRules(browser)}`));
    await browser.waitUntil(() => browser.$('[data-testid="share-send"]').isEnabled(), { timeout: 10000 });
    await click(browser, '[data-testid="share-send"]');
    const states = () =>
      browser.execute(() => [...document.querySelectorAll('[data-testid^="share-item-"]')].map((e) => e.getAttribute("data-state")));
    await browser.waitUntil(async () => {
      const s = await states();
      return s.length === 1 && (s[0] === "sent" || s[0] === "received");
    }, { timeout: 30000, timeoutMsg: "the redacted copy was not sent" });

    // What the provider holds is the redacted copy: no SSN.
    okJson(provider.dir, ["sync", "--once"]);
    const e = okJson(provider.dir, ["engagement", "show", joined.channel_id]);
    const item = e.items.find((i) => i.kind === "document");
    assert.match(item.title, /Intake notes \(redacted\)\.txt/);
    const out = join(work, "received.txt");
    ok(provider.dir, ["engagement", "file", joined.channel_id, item.item_id, "--out", out]);
    const got = readFileSync(out, "utf8");
    rmSync(out);
    assert.ok(!got.includes("219-09-9999") && got.includes("CALDER-MARKER-1"), got);

    // 6. The ledger: the send of the redacted copy, encrypted to the provider's key
    // (a block in the window records nothing: Send was never offered).
    await click(browser, "#tab-ledger");
    await browser.waitUntil(async () => (await browser.$$('[data-testid="ledger-row"]')).length === 1, {
      timeout: 20000,
      timeoutMsg: "the matter's ledger does not show the send",
    });
    const row = await text(browser, '[data-testid="ledger-row"]');
    assert.match(row, /Intake notes \(redacted\)\.txt/);
    assert.ok(row.includes(providerFp), row);
    assert.match(await attr(browser, '[data-testid="ledger-row"]', "data-decision"), /^allow/);
    await browser.saveScreenshot(join(SHOTS ?? work, "guard-walk-ledger.png"));

    // 7. The client's report, saved through the native dialog and read back.
    const report = join(work, "Calder disclosure report.pdf");
    await click(browser, "#ledger-save-report");
    await chooseInNativeDialog(report, { title: "Save the client report" });
    await waitForText(browser, '[data-testid="ledger-saved"]', "Calder disclosure report.pdf", "the window did not say where the report went");
    const words = pdfText(report);
    for (const expected of ["Disclosure report", "2026-0511", "Ruth Calder", "Lexwell Review Ltd", "Intake notes (redacted).txt",
      "Medical chronology by an outside reviewer", "signed consent form, file 0511-C1", "Jane Smith"]) {
      assert.ok(words.includes(expected), `the report lacks "${expected}": ${words}`);
    }
    assert.ok(!words.includes("219-09-9999"), "the report holds the SSN");
    if (SHOTS) spawnSync("pdftoppm", ["-png", "-r", "80", "-f", "1", "-l", "1", report, join(SHOTS, "guard-walk-report")]);
  } finally {
    await browser.deleteSession();
  }
  for (const dir of [relayData, firm.dir, provider.dir]) {
    for (const f of filesUnder(dir)) {
      assert.ok(!f.bytes.includes("CALDER-MARKER"), `plaintext in ${f.path}`);
    }
  }
});
