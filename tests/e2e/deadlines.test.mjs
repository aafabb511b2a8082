// A paralegal dockets a rule-based deadline on a matter, finds it on the
// dashboard with its explanation, and exports the calendar for the firm (to the
// file picked in the real native dialog, answered with xdotool).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import ICAL from "ical.js";
import { chooseInNativeDialog, cli, freshDataDir, invokeFromPage, openApp, setInput, startDriver } from "./harness.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

const text = (browser, selector) =>
  browser.execute((s) => document.querySelector(s)?.textContent ?? "", selector);

test("a rule-based deadline: computed, explained, on the dashboard, exported to .ics", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  const browser = await openApp(driver, data.dir);
  try {
    // A matter to docket against.
    await browser.$('[data-testid="new-matter"]').click();
    await setInput(browser, "field-number", "2026-0200");
    await setInput(browser, "field-title", "Orion Shipping v. Vega Ports");
    await setInput(browser, "field-client_name", "Orion Shipping");
    await browser.$('[data-testid="save-matter"]').click();
    // Deadlines have their own tab in the matter panel.
    await browser.$("#tab-deadlines").waitForDisplayed();
    await browser.$("#tab-deadlines").click();
    await browser.$('[data-testid="add-deadline"]').waitForDisplayed();

    // Response to a motion served by mail on Mon 2026-03-02: 14 days is Mon
    // 2026-03-16, and FRCP 6(d) adds 3 days for mail: Thu 2026-03-19.
    await browser.$('[data-testid="add-deadline"]').click();
    await browser.waitUntil(async () => (await text(browser, '[data-testid="field-rule"]')).includes("Response to a motion"));
    await setInput(browser, "field-rule", "motion-response");
    await setInput(browser, "field-trigger", "2026-03-02");
    await setInput(browser, "field-service", "mail");
    await browser.$('[data-testid="save-deadline"]').click();
    const due = await browser.$('[data-testid="deadline-due"]');
    await due.waitForExist({ timeoutMsg: "the deadline was not added" });
    assert.equal(await due.getAttribute("data-due"), "2026-03-19");
    const steps = await text(browser, '[data-testid="deadline-steps"]');
    assert.match(steps, /6\(d\)/, "the explanation names the mail extension");
    assert.match(steps, /Mon 2026-03-16/);

    // The dashboard lists it (it is in the past, so overdue) and opens its explanation.
    await browser.$('[data-testid="nav-deadlines"]').click();
    await browser.$('[data-testid="bucket-overdue"]').waitForExist();
    await browser.waitUntil(async () => (await text(browser, '[data-testid="bucket-overdue"]')).includes("Response to a motion"), {
      timeoutMsg: "the deadline is not on the dashboard",
    });
    const id = await browser.execute(() => document.querySelector('[data-testid="bucket-overdue"] [data-testid="deadline-item"]')?.getAttribute("data-id"));
    await browser.$('[data-testid="bucket-overdue"] [data-testid="deadline-item"] button').click();
    await browser.waitUntil(async () => (await text(browser, '[data-testid="deadline-steps"]')).includes("6(d)"));

    // Export to a file and read it back with a standard iCalendar parser.
    const out = join(data.dir, "..", `${data.dir.split("/").pop()}-deadlines.ics`);
    t.after(() => import("node:fs").then((fs) => fs.rmSync(out, { force: true })));
    await browser.$('[data-testid="export-deadlines"]').click();
    // The real GTK save dialog, opened by Rust; the window only shows what it answered.
    await browser.$('[data-testid="deadline-export-choose"]').click();
    await chooseInNativeDialog(out, { title: "Export deadlines" });
    await browser.waitUntil(async () => (await browser.$('[data-testid="export-path"]').getValue()) === out, {
      timeoutMsg: "the chosen file is not shown",
    });
    await browser.$('[data-testid="export-save"]').click();
    await browser.$('[data-testid="export-result"]').waitForExist({ timeoutMsg: "the export did not finish" });
    // A path from the webview is refused.
    const typed = join(data.dir, "..", `${data.dir.split("/").pop()}-typed.ics`);
    const refused = await invokeFromPage(browser, "deadline_export", { target: typed, filter: {}, includePrivate: true });
    assert.equal(refused.refused?.field, "path", JSON.stringify(refused));
    assert.equal(existsSync(typed), false);

    const ics = readFileSync(out, "utf8");
    assert.ok(ics.includes("\r\n"), "lines end in CRLF");
    const cal = new ICAL.Component(ICAL.parse(ics));
    const events = cal.getAllSubcomponents("vevent").map((e) => new ICAL.Event(e));
    assert.equal(events.length, 1);
    assert.equal(events[0].uid, `${id}@mandate`, "the UID is the deadline's stable id");
    assert.equal(events[0].startDate.toString(), "2026-03-19");
    assert.equal(events[0].startDate.isDate, true, "an all-day event");
    assert.equal(events[0].endDate.toString(), "2026-03-20", "DTEND is the exclusive next day");
    assert.ok(!ics.includes("Orion"), "the client's name stays out of the calendar");
    assert.ok(cal.getAllSubcomponents("vevent")[0].getAllSubcomponents("valarm").length >= 1, "it carries alarms");
  } finally {
    await browser.deleteSession();
  }
});

test("a deadline that came due while Mandate was closed is shown when it starts", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  // Dated in the court's time zone (the default, New York), as the store computes it.
  const today = new Date().toLocaleDateString("en-CA", { timeZone: "America/New_York" });
  for (const args of [
    ["matter", "add", "--number", "2026-0300", "--title", "Reminder matter", "--client", "Lyra"],
    ["deadline", "add", "--matter", "2026-0300", "--due", today, "--title", "File the joint status report"],
  ]) {
    const r = cli(["--data-dir", data.dir, ...args]);
    assert.equal(r.code, 0, r.stderr);
  }
  // Watch the session bus for the desktop notification itself (org.freedesktop.
  // Notifications.Notify), as a notification server would receive it.
  const monitor = spawn("dbus-monitor", ["--session", "interface='org.freedesktop.Notifications',member='Notify'"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  t.after(() => monitor.kill());
  let bus = "";
  monitor.stdout.on("data", (d) => (bus += d));
  await new Promise((r) => setTimeout(r, 500));
  const browser = await openApp(driver, data.dir);
  try {
    await browser.waitUntil(async () => bus.includes("Deadline was due"), {
      timeout: 15000,
      timeoutMsg: "no desktop notification was sent",
    });
    // By default a notification names no matter, client or deadline: it can show on
    // a locked screen (Deadlines → Settings can turn the names on).
    assert.doesNotMatch(bus, /2026-0300|Reminder matter|Lyra|joint status report/);
    // The window's banner is one line with the count; it opens the list, which names them.
    await browser.waitUntil(async () => (await text(browser, '[data-testid="reminders"]')).includes("1 deadline reminder"), {
      timeout: 15000,
      timeoutMsg: "no reminder was shown for the deadline due today",
    });
    await browser.$('[data-testid="reminders-toggle"]').click();
    await browser.waitUntil(async () => (await text(browser, '[data-testid="reminder-list"]')).includes("File the joint status report"), {
      timeout: 10000,
      timeoutMsg: "the reminder list did not open",
    });
    assert.match(await text(browser, '[data-testid="reminder-list"]'), /2026-0300/);
  } finally {
    await browser.deleteSession();
  }
  // Shown once: starting again raises nothing new for the same due date.
  const again = await openApp(driver, data.dir);
  try {
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(await again.$('[data-testid="reminders"]').isExisting(), false, "the same reminder came twice");
  } finally {
    await again.deleteSession();
  }
});
