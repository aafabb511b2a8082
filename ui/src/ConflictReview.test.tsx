// The conflict-check review: run a check, see each match with how it matched, clear
// it with a reason (Rust records who and when), and nothing is cleared without one.
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { ConflictReview } from "./components/ConflictReview";
import { jane } from "./exchangeFixtures";

it("runs the check, shows each match and clears it only with a reason", async () => {
  const backend = memoryBackend();
  backend.exchange.people.push(jane());
  backend.exchange.desk = jane();
  const open = {
    party: "Wexley Capital Partners",
    listed: "Wexley Capital",
    kind: "contained" as const,
    score: 0.93,
    cleared_by: null,
    cleared_at: null,
    note: null,
  };
  backend.exchange.conflictRun.matches = [open];
  // What Rust answers once the match is cleared: who cleared it (the desk) and when.
  backend.exchange.conflictCleared = {
    ...backend.exchange.conflictRun,
    matter_id: "m-1",
    provider_id: "p-1",
    matches: [
      {
        ...open,
        cleared_by: "Jane Smith",
        cleared_at: "2026-11-27T14:05:00.000Z",
        note: "Different fund, other country",
      },
    ],
  };
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <ConflictReview matterId="m-1" providerId="p-1" against="the provider's declared conflicts" />
    </BackendContext.Provider>,
  );
  expect(await screen.findByTestId("conflict-state")).toHaveTextContent("Not checked yet");
  await user.click(screen.getByRole("button", { name: "Run conflict check" }));
  const match = await screen.findByTestId("conflict-match");
  expect(match).toHaveTextContent("Wexley Capital Partners ~ Wexley Capital");
  expect(match).toHaveTextContent("one name within the other, 93%");
  expect(screen.getByTestId("conflict-state")).toHaveTextContent("1 match, 1 open.");
  expect(backend.exchange.callsOf("conflictCheckRun")).toEqual([["m-1", "p-1"]]);

  const clear = screen.getByRole("button", {
    name: "Clear Wexley Capital Partners ~ Wexley Capital",
  });
  expect(clear).toBeDisabled();
  await user.type(
    screen.getByLabelText("Why Wexley Capital Partners and Wexley Capital are not a conflict"),
    "Different fund, other country",
  );
  await user.click(clear);
  expect(backend.exchange.callsOf("conflictMatchClear")).toEqual([
    ["check-1", 1, "Different fund, other country"],
  ]);
  expect(await screen.findByText(/Cleared by Jane Smith/)).toHaveTextContent(
    "Different fund, other country",
  );
  expect(screen.getByTestId("conflict-state")).toHaveTextContent("1 match, 0 open.");
});
