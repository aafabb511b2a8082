// A click on the notification of something that arrived opens it: the matter on the
// firm's side, the engagement on the provider's.
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { engagement } from "./exchangeFixtures";

function renderApp() {
  const backend = memoryBackend();
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  return { backend, user };
}

it("opens the matter something arrived in, from whatever screen was showing", async () => {
  const { backend, user } = renderApp();
  await screen.findByTestId("matters-empty");
  const m = await act(() =>
    backend.matterCreate({
      number: "2026-0410",
      title: "Harrow Mills supply dispute",
      client_name: "Harrow Mills",
    }),
  );
  await user.click(screen.getByTestId("nav-settings"));
  act(() => backend.exchange.emitOpenArrival({ channel_id: "ch-1", matter_id: m.id }));
  expect(await screen.findByTestId("detail-title")).toHaveTextContent(
    "Harrow Mills supply dispute",
  );
  expect(screen.getByTestId("nav-matters")).toHaveAttribute("aria-current", "page");
});

it("opens the engagement on a provider's install", async () => {
  const { backend } = renderApp();
  backend.exchange.engagements.push(
    engagement({ channel_id: "ch-1", scope: "First job" }),
    engagement({ channel_id: "ch-2", scope: "Second job", firm_name: "Other Firm LLP" }),
  );
  await screen.findByTestId("matters-empty");
  act(() => backend.exchange.emitOpenArrival({ channel_id: "ch-2", matter_id: null }));
  expect(await screen.findByTestId("engagement-brief")).toHaveTextContent("Second job");
  expect(screen.getByTestId("nav-engagements")).toHaveAttribute("aria-current", "page");
});
