// Views refetch when Rust reports a change they show, whether this window made
// it or another process (the `mandate` command) did: the memory backend's
// emitChange stands for the event Rust emits after it notices an outside write.
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";

async function openMatter() {
  const backend = memoryBackend();
  const m = await backend.matterCreate({
    number: "CE-1",
    title: "Change events",
    client_name: "C",
  });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("matter-row"));
  return { backend, user, m };
}

it("the Messages tab shows a message another process added, once Rust says so", async () => {
  const { backend, user, m } = await openMatter();
  await user.click(await screen.findByRole("tab", { name: "Messages" }));
  await screen.findByTestId("messages-empty");
  // Written behind the window's back: no event yet, so nothing shows.
  await backend.messageCreate({ matter_id: m.id, author: "CLI", body: "from the terminal" });
  expect(screen.queryByText("from the terminal")).toBeNull();
  await act(async () => backend.emitChange("message"));
  expect(await screen.findByText("from the terminal")).toBeInTheDocument();
});

it("the Consents tab refetches on a consent change", async () => {
  const { backend, user, m } = await openMatter();
  await user.click(await screen.findByRole("tab", { name: "Consents" }));
  const p = await backend.providerCreate({ legal_name: "Outside Review Ltd" });
  await backend.consentCreate({
    matter_id: m.id,
    provider_id: p.id,
    scope: "Privilege review by the outside provider",
    data_classes: [],
    countries: ["IN"],
    given_on: "2026-11-01",
    evidence: "Engagement letter, signed",
  });
  expect(screen.queryByText(/Privilege review by the outside provider/)).toBeNull();
  await act(async () => backend.emitChange("consent"));
  expect(await screen.findByText(/Privilege review by the outside provider/)).toBeInTheDocument();
});
