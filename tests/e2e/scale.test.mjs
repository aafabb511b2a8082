// A firm's whole history in the window: 100,000 matters. The list shows the count,
// renders only the rows in view, loads the next pages as it is scrolled, and finds
// one matter among them by typing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { cli, freshDataDir, openApp, setInput, startDriver } from "./harness.mjs";

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => driver?.stop());

const MATTERS = 100000;

test("100,000 matters: counted, windowed, scrolled page by page, searched", async (t) => {
  const data = freshDataDir();
  t.after(data.remove);
  const made = cli(["--data-dir", data.dir, "generate", "--matters", String(MATTERS), "--messages", "0", "--json"]);
  assert.equal(made.code, 0, made.stderr);
  assert.equal(JSON.parse(made.stdout).matters_inserted, MATTERS);

  const browser = await openApp(driver, data.dir);
  try {
    await setInput(browser, "matter-status-filter", "all");
    await browser.waitUntil(
      async () => (await browser.execute(() => document.querySelector('[data-testid="matter-count"]')?.textContent ?? "")).match(/100[,.\u202f\u00a0]?000 matters/) !== null,
      { timeout: 20000, timeoutMsg: "the list never showed the count of 100,000" },
    );
    const rendered = () => browser.execute(() => document.querySelectorAll('[data-testid="matter-row"]').length);
    const firstRows = await rendered();
    assert.ok(firstRows > 0 && firstRows < 120, `only the rows in view are in the page (${firstRows})`);

    // Scroll down ten pages' worth, one screen at a time, as a person would.
    const started = Date.now();
    for (let i = 0; i < 25; i++) {
      await browser.execute(() => {
        const el = document.querySelector('[data-testid="matter-scroll"]');
        el.scrollTop = el.scrollHeight;
        el.dispatchEvent(new Event("scroll"));
      });
      await browser.pause(40);
    }
    await browser.waitUntil(
      async () =>
        browser.execute(() => {
          const rows = document.querySelectorAll('[data-testid="matter-row"]');
          const last = rows[rows.length - 1];
          return Number(last?.getAttribute("aria-rowindex") ?? 0) > 500;
        }),
      { timeout: 30000, timeoutMsg: "scrolling did not load the pages below" },
    );
    const scrolledMs = Date.now() - started;
    const rowsAfter = await rendered();
    assert.ok(rowsAfter < 120, `still only the rows in view after scrolling (${rowsAfter})`);

    // One matter among 100,000, by part of its number.
    await setInput(browser, "matter-search", "G-054321");
    await browser.waitUntil(
      async () =>
        browser.execute(
          () =>
            Array.from(document.querySelectorAll('[data-testid="matter-row"]'), (r) => r.getAttribute("data-number")).join(
              ",",
            ) === "G-054321",
        ),
      { timeout: 20000, timeoutMsg: "typing the number did not find the one matter" },
    );
    t.diagnostic(`first screen ${firstRows} rows; 25 scroll steps loaded 500+ rows in ${scrolledMs} ms`);
  } finally {
    await browser.deleteSession();
  }
});
