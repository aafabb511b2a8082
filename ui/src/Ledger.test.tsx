// The firm's disclosure ledger screen: newest first, what went to whose keys, the
// refused sends with their reasons, an override with its reason.
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import type { LedgerRow } from "./bindings/LedgerRow";

const row = (over: Partial<LedgerRow>): LedgerRow => ({
  decided_at: "2026-11-27T10:00:00.000Z",
  matter: "2026-0142",
  provider: "Lex Review Pvt Ltd",
  assignment_id: "a-1",
  items: ["document Lease.txt v1 (sha256 ab12)"],
  recipients: [],
  decision: "allow",
  reasons: [],
  consent_id: "c-1",
  decided_by: "Jane Smith (attorney)",
  override_reason: null,
  ...over,
});

it("lists every send newest first, with its keys, reasons and overrides, and filters by decision", async () => {
  const backend = memoryBackend();
  backend.ledger.push(
    row({
      decided_at: "2026-11-27T09:00:00.000Z",
      decision: "block",
      consent_id: null,
      reasons: ["No client consent is on file. (consent.missing)"],
    }),
    row({
      decided_at: "2026-11-27T10:00:00.000Z",
      recipients: ["47675 07132 22216 08669 79082 36851"],
    }),
    row({
      decided_at: "2026-11-27T11:00:00.000Z",
      decision: "override",
      override_reason: "Consent arrives Monday.",
      reasons: ["No client consent is on file. (consent.missing)"],
      recipients: ["47675 07132 22216 08669 79082 36851"],
    }),
  );
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("nav-ledger"));
  const rows = await screen.findAllByTestId("ledger-row");
  expect(rows.map((r) => r.getAttribute("data-decision"))).toEqual(["override", "allow", "block"]);
  expect(rows[0]).toHaveTextContent("Reason: Consent arrives Monday.");
  expect(rows[1]).toHaveTextContent("47675 07132 22216 08669 79082 36851");
  expect(rows[1]).toHaveTextContent("Lex Review Pvt Ltd");
  expect(rows[2]).toHaveTextContent("Blocked");
  expect(rows[2]).toHaveTextContent("No client consent is on file.");
  await user.selectOptions(screen.getByTestId("ledger-decision"), "block");
  const only = screen.getAllByTestId("ledger-row");
  expect(only).toHaveLength(1);
  expect(within(only[0] as HTMLElement).getByText("Blocked")).toBeInTheDocument();
});

it("on a matter, saves the ledger as CSV and the client report as PDF, and counts overrides", async () => {
  const { Ledger } = await import("./components/Ledger");
  const backend = memoryBackend();
  backend.ledger.push(
    row({ decision: "override", override_reason: "Consent arrives Monday." }),
    row({ decided_at: "2026-11-27T12:00:00.000Z" }),
  );
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <Ledger matterId="m-1" />
    </BackendContext.Provider>,
  );
  expect(await screen.findByTestId("ledger-overrides")).toHaveTextContent(
    "1 send went on an attorney's override",
  );
  await user.click(screen.getByRole("button", { name: "Client report (PDF)…" }));
  expect(await screen.findByTestId("ledger-saved")).toHaveTextContent(
    "Saved to /home/ann/Documents/Disclosure report.pdf",
  );
  await user.click(screen.getByRole("button", { name: "Save as CSV…" }));
  expect(backend.saved).toEqual(["report.pdf m-1", 'ledger.csv {"matter_id":"m-1"}']);
});
