import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";

async function openSettings() {
  const backend = memoryBackend();
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("nav-settings"));
  return { backend, user };
}

it("shows this install's fingerprint, its card (copied on request), and saves its name", async () => {
  const { backend, user } = await openSettings();
  expect(screen.getByTestId("nav-settings")).toHaveAttribute("aria-current", "page");
  const fingerprint = await screen.findByTestId("identity-fingerprint");
  expect(fingerprint).toHaveTextContent("12345 67890 13579 24680 11223 34455");
  expect(fingerprint).toHaveAttribute("id", "identity-fingerprint");
  const card = screen.getByLabelText(/Your public card/);
  expect(card).toHaveAttribute("id", "identity-card");
  expect(card).toHaveAttribute("readonly");
  expect(card).toHaveValue("MANDATE-CARD-1-hale-rowe");

  await user.click(screen.getByTestId("identity-card-copy"));
  expect(await navigator.clipboard.readText()).toBe("MANDATE-CARD-1-hale-rowe");
  expect(await screen.findByText("Copied.")).toBeInTheDocument();

  const name = screen.getByLabelText(/^Name/);
  expect(name).toHaveAttribute("id", "identity-name");
  expect(name).toHaveValue("Hale & Rowe LLP");
  await user.clear(name);
  await user.type(name, "Hale Rowe & Finch LLP");
  await user.click(screen.getByTestId("identity-name-save"));
  expect(
    await screen.findByText(/The other side sees “Hale Rowe & Finch LLP”/),
  ).toBeInTheDocument();
  expect(backend.exchange.callsOf("identitySetName")).toEqual([["Hale Rowe & Finch LLP"]]);
});

it("adds a relay with its token and pin, then lists it", async () => {
  const { backend, user } = await openSettings();
  expect(await screen.findByTestId("relays-empty")).toBeInTheDocument();
  expect(screen.getByTestId("relay-add")).toBeDisabled();

  const token = screen.getByLabelText(/Account token/);
  expect(token).toHaveAttribute("type", "password");
  expect(token).toHaveAccessibleDescription(/needed to invite providers/);
  await user.type(screen.getByLabelText(/^Address/), "https://relay.hale-rowe.example");
  await user.type(token, "tok-123");
  await user.type(screen.getByLabelText(/Certificate SHA-256/), "ab".repeat(32));
  await user.click(screen.getByTestId("relay-add"));

  expect(backend.exchange.callsOf("relayAdd")).toEqual([
    [
      {
        url: "https://relay.hale-rowe.example",
        account_token: "tok-123",
        cert_sha256: "ab".repeat(32),
        ca_pem: null,
      },
    ],
  ]);
  const row = await screen.findByTestId("relay-row-0");
  expect(row).toHaveTextContent("https://relay.hale-rowe.example");
  expect(row).toHaveTextContent("pinned abababababab");
  expect(row).toHaveTextContent("Recorded");
  expect(row).toHaveTextContent("never");
  // The form empties once the relay is added.
  expect(screen.getByLabelText(/Account token/)).toHaveValue("");
});

it("shows a refused relay beside its field", async () => {
  const { backend, user } = await openSettings();
  backend.exchange.failures.relayAdd = {
    code: "invalid",
    field: "url",
    message: "Use an https:// address.",
  };
  await user.type(await screen.findByLabelText(/^Address/), "relay.example");
  await user.click(screen.getByTestId("relay-add"));
  expect(await screen.findByTestId("error-url")).toHaveTextContent("Use an https:// address.");
  expect(screen.getByLabelText(/^Address/)).toHaveAttribute("aria-invalid", "true");
  expect(screen.queryByTestId("relay-row-0")).toBeNull();
});

it("tests each relay's connection and names the problem in plain words", async () => {
  const { backend, user } = await openSettings();
  backend.exchange.relays.push(
    {
      url: "https://good.example",
      has_account: false,
      cert_sha256: null,
      has_ca: true,
      added_at: "2026-11-01T10:00:00.000Z",
      last_ok_at: "2026-11-20T10:00:00.000Z",
    },
    {
      url: "https://bad.example",
      has_account: true,
      cert_sha256: null,
      has_ca: false,
      added_at: "2026-11-01T10:00:00.000Z",
      last_ok_at: null,
    },
  );
  backend.exchange.relayChecks.set("https://good.example", {
    url: "https://good.example",
    ok: true,
    problem: null,
    message: "It answered.",
    millis: 87,
  });
  backend.exchange.relayChecks.set("https://bad.example", {
    url: "https://bad.example",
    ok: false,
    problem: "certificate",
    message: "Its certificate is not the one pinned for it.",
    millis: 120,
  });
  // Shown after a reload (a change of the exchange).
  await user.click(screen.getByTestId("nav-matters"));
  await user.click(screen.getByTestId("nav-settings"));

  const good = await screen.findByTestId("relay-row-0");
  expect(good).toHaveTextContent("CA");
  expect(within(screen.getByTestId("relay-row-1")).getByText("system")).toBeInTheDocument();

  await user.click(screen.getByTestId("relay-test-1"));
  const bad = screen.getByTestId("relay-test-result-1");
  await waitFor(() => expect(bad).toHaveTextContent("Wrong certificate"));
  expect(bad).toHaveTextContent("Its certificate is not the one pinned for it.");
  expect(bad).toHaveAttribute("role", "status");
  expect(screen.getByTestId("relay-test-result-0")).toBeEmptyDOMElement();

  await user.click(screen.getByTestId("relay-test-0"));
  await waitFor(() =>
    expect(screen.getByTestId("relay-test-result-0")).toHaveTextContent("Answered in 87 ms"),
  );
  expect(backend.exchange.callsOf("relayTest")).toEqual([
    ["https://bad.example"],
    ["https://good.example"],
  ]);
});

it("adds the firm's people and chooses who is at this desk", async () => {
  const { backend, user } = await openSettings();
  await user.type(screen.getByTestId("person-name"), "Jane Smith");
  expect(screen.getByTestId("person-role")).toHaveValue("attorney");
  await user.type(screen.getByTestId("person-bar"), "NY 4512290");
  await user.click(screen.getByTestId("person-add"));
  await user.type(screen.getByTestId("person-name"), "Pat Lee");
  await user.selectOptions(screen.getByTestId("person-role"), "paralegal");
  // A paralegal has no bar admission to enter.
  expect(screen.queryByTestId("person-bar")).toBeNull();
  await user.click(screen.getByTestId("person-add"));
  expect(backend.exchange.callsOf("personAdd")).toEqual([
    [{ name: "Jane Smith", role: "attorney", bar_admission: "NY 4512290" }],
    [{ name: "Pat Lee", role: "paralegal", bar_admission: undefined }],
  ]);
  const list = await screen.findByTestId("people-list");
  await waitFor(() => expect(list).toHaveTextContent("Pat Lee · Paralegal"));
  expect(list).toHaveTextContent("Jane Smith · Attorney · bar NY 4512290");
  await user.selectOptions(screen.getByTestId("desk-person"), "Jane Smith (attorney)");
  expect(backend.exchange.callsOf("personUse")).toEqual([["person-1"]]);
  await waitFor(() => expect(screen.getByTestId("desk-person")).toHaveValue("person-1"));
});
