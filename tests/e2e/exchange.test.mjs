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
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { cli, filesUnder, freshDataDir, openApp, setInput, startDriver } from "./harness.mjs";
import { makeCa, relayAccount, startRelay } from "./relay.mjs";

// Screenshots go here when set (to look at under Xvfb), else into the test's temp folder.
const SHOTS = process.env.MANDATE_SCREENSHOTS;
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
  ok(dir, ["provider", "add", "--name", "Lexwell Review Ltd", "--country", "IN", "--diligence-done", "security questionnaire: DMS 4411",
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

    // Invite from the work order.
    await openMatterTab(browser, "2026-0410", "assignments");
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

    // The provider joins from its terminal; the window shows its fingerprint.
    const joined = okJson(provider.dir, ["invite", "join", code, "--relay-ca", ca.caFile]);
    assert.equal(joined.firm, "Jones & Park LLP");
    const providerFp = okJson(provider.dir, ["identity", "show"]).fingerprint;
    await waitForText(browser, '[data-testid="share-members"]', providerFp, "the provider's fingerprint");
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
  // own clock, so the firm syncs until the message is there, for at most 30 s).
  let messages = "";
  for (let i = 0; i < 15 && !/one question on clause 9/.test(messages); i++) {
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
