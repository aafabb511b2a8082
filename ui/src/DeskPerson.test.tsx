// The header names who is at this desk, asks until someone is chosen, and opens
// Settings to choose.
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { jane as janeSmith } from "./exchangeFixtures";

it("asks who is at this desk until someone is chosen, then names them", async () => {
  const backend = memoryBackend();
  const user = userEvent.setup();
  const { unmount } = render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  const ask = await screen.findByTestId("desk-person-indicator");
  expect(ask).toHaveTextContent("Who is at this desk?");
  await user.click(ask);
  expect(await screen.findByTestId("desk-person")).toBeInTheDocument();
  unmount();

  const jane = janeSmith();
  backend.exchange.people.push(jane);
  backend.exchange.desk = jane;
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  expect(await screen.findByTestId("desk-person-indicator")).toHaveTextContent(
    "Jane Smith (attorney)",
  );
});
