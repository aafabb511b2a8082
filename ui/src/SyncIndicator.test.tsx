import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { SyncIndicator } from "./components/SyncIndicator";
import type { SyncStatus } from "./bindings/SyncStatus";
import { entry, syncStatus } from "./exchangeFixtures";

/** 14:03 on the local clock, whatever the machine's time zone. */
const AT_1403 = new Date(2026, 10, 27, 14, 3).toISOString();

function renderIndicator(backend = memoryBackend()) {
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <button>elsewhere</button>
      <SyncIndicator />
    </BackendContext.Provider>,
  );
  return { backend, user };
}

it("says online, when it last synced and how many items wait, and follows pushed statuses", async () => {
  const backend = memoryBackend();
  backend.exchange.sync = syncStatus({ online: true, last_ok_at: AT_1403, waiting: 2 });
  renderIndicator(backend);
  const indicator = await screen.findByTestId("sync-indicator");
  expect(indicator).toHaveAttribute("id", "sync-indicator");
  expect(indicator).toHaveAttribute("role", "status");
  expect(indicator).toHaveTextContent("Online · synced 14:03 · 2 waiting");
  expect(indicator).toHaveAttribute("data-online", "true");
  expect(indicator).toHaveAttribute("data-waiting", "2");
  expect(screen.queryByTestId("needs-attention")).toBeNull();

  act(() =>
    backend.exchange.emitSyncStatus(
      syncStatus({ online: false, waiting: 3, last_error: "relay.example: connection refused" }),
    ),
  );
  expect(indicator).toHaveTextContent("Offline · 3 waiting");
  expect(indicator).toHaveAttribute("data-online", "false");
  expect(indicator).toHaveAttribute("data-waiting", "3");
  expect(screen.getByTestId("sync-error")).toHaveTextContent("connection refused");

  act(() => backend.exchange.emitSyncStatus(syncStatus({ enabled: false, online: null })));
  expect(indicator).toHaveTextContent(/^Sync off$/);
  expect(indicator).toHaveAttribute("data-online", "unknown");
  expect(indicator).toHaveAttribute("data-waiting", "0");
});

it("asks for the status again on an exchange change, and a pushed status beats an older answer", async () => {
  const backend = memoryBackend();
  backend.exchange.sync = syncStatus({ online: true, waiting: 1 });
  renderIndicator(backend);
  const indicator = await screen.findByTestId("sync-indicator");
  expect(indicator).toHaveTextContent("Online · 1 waiting");

  // Changed without a push (an item queued): shown once Rust reports the change.
  backend.exchange.sync = syncStatus({ online: true, waiting: 2 });
  expect(indicator).toHaveTextContent("Online · 1 waiting");
  await act(async () => backend.emitChange("exchange"));
  await waitFor(() => expect(indicator).toHaveTextContent("Online · 2 waiting"));

  // A status pushed while the answer to a question asked before it is on its way
  // is the newer one: the late answer does not replace it.
  let answer: (s: SyncStatus) => void = () => {};
  backend.syncStatus = () => new Promise<SyncStatus>((ok) => (answer = ok));
  await act(async () => backend.emitChange("exchange"));
  act(() => backend.exchange.emitSyncStatus(syncStatus({ online: false, waiting: 3 })));
  expect(indicator).toHaveTextContent("Offline · 3 waiting");
  await act(async () => answer(syncStatus({ online: true, waiting: 2 })));
  expect(indicator).toHaveTextContent("Offline · 3 waiting");
});

it("asks for a round of sync when clicked, or from the keyboard", async () => {
  const { backend, user } = renderIndicator();
  const indicator = await screen.findByTestId("sync-indicator");
  await user.click(indicator);
  expect(backend.exchange.callsOf("syncNow")).toHaveLength(1);
  within(indicator).getByRole("button").focus();
  await user.keyboard("{Enter}");
  expect(backend.exchange.callsOf("syncNow")).toHaveLength(2);
});

it("lists the failed sends behind the badge, with why, what to do and Retry", async () => {
  const backend = memoryBackend();
  backend.exchange.sync = syncStatus({ needs_attention: 1, waiting: 1 });
  backend.exchange.outbox.push(
    entry({ envelope_id: "env-ok", label: "document Lease.pdf v1", state: "queued" }),
    entry({
      envelope_id: "env-bad",
      label: "document Exhibit 4.pdf v2",
      state: "failed",
      last_error: "The relay refused it: it is larger than the relay accepts (50 MB).",
    }),
  );
  const { user } = renderIndicator(backend);
  const badge = await screen.findByTestId("needs-attention");
  expect(badge).toHaveTextContent("1");
  expect(badge).toHaveAttribute("aria-expanded", "false");
  await user.click(badge);

  const list = await screen.findByRole("dialog", { name: "Needs attention" });
  expect(list).toHaveAttribute("id", "attention-list");
  expect(badge).toHaveAttribute("aria-expanded", "true");
  await waitFor(() => expect(list).toHaveTextContent("Exhibit 4.pdf"));
  // Only what failed; the queued item is on its way.
  expect(list).not.toHaveTextContent("Lease.pdf");
  expect(list).toHaveTextContent("larger than the relay accepts");
  expect(list).toHaveTextContent(
    "Retry after fixing the cause, or remove the item from the share.",
  );
  expect(backend.exchange.callsOf("outboxList")).toContainEqual([null, false]);

  await user.click(screen.getByTestId("outbox-retry-env-bad"));
  expect(backend.exchange.callsOf("outboxRetry")).toEqual([["env-bad"]]);
  await waitFor(() => expect(list).toHaveTextContent("No failed sends are waiting."));

  // Escape closes it, and focus goes back to the badge.
  await user.keyboard("{Escape}");
  expect(screen.queryByRole("dialog")).toBeNull();
  expect(badge).toHaveFocus();
});

it("closes the attention list on a click elsewhere", async () => {
  const backend = memoryBackend();
  backend.exchange.sync = syncStatus({ needs_attention: 2 });
  const { user } = renderIndicator(backend);
  await user.click(await screen.findByTestId("needs-attention"));
  const list = await screen.findByRole("dialog", { name: "Needs attention" });
  // No failed send of its own: both were envelopes received and refused.
  await waitFor(() => expect(list).toHaveTextContent("2 items received from the other side"));
  await user.click(screen.getByRole("button", { name: "elsewhere" }));
  expect(screen.queryByRole("dialog")).toBeNull();
});

it("sits in the window's header on every screen", async () => {
  const backend = memoryBackend();
  backend.exchange.sync = syncStatus({ online: false, waiting: 4 });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  const banner = await screen.findByRole("banner", { name: "Sync" });
  expect(await within(banner).findByTestId("sync-indicator")).toHaveTextContent(
    "Offline · 4 waiting",
  );
  await user.click(screen.getByTestId("nav-engagements"));
  expect(within(banner).getByTestId("sync-indicator")).toBeInTheDocument();
});
