// A view's own write is followed by the change event Rust emits for it (the
// double emits it too), which loads the view again: the view does not also load
// again by hand, so one write costs one fetch.
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it, vi } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { DiligenceChecklist } from "./components/DiligenceChecklist";
import { MatterDocuments } from "./components/MatterDocuments";

/**
 * The double with its change events delivered a little later, as Tauri's come over
 * IPC: emitted within the write, they would otherwise fall into the same render as
 * a reload by hand and hide it.
 */
function laterEvents(backend: ReturnType<typeof memoryBackend>) {
  const onChanged = backend.onChanged;
  backend.onChanged = (kind, handler) => onChanged(kind, () => setTimeout(handler, 10));
  return backend;
}

/** Long enough for the event's fetch, and a redundant one, to have started. */
const settle = () => new Promise((r) => setTimeout(r, 100));

it("closes a matter with one fetch of the matter", async () => {
  const backend = laterEvents(memoryBackend());
  await backend.matterCreate({ number: "2026-0142", title: "Acme v. Widget", client_name: "Acme" });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("matter-row"));
  expect(await screen.findByTestId("detail-status")).toHaveTextContent("open");
  const get = vi.spyOn(backend, "matterGet");
  await user.click(screen.getByTestId("toggle-status"));
  await vi.waitFor(() => expect(screen.getByTestId("detail-status")).toHaveTextContent("closed"));
  await settle();
  expect(get).toHaveBeenCalledTimes(1);
});

it("adds a document with one fetch of the list", async () => {
  const backend = laterEvents(memoryBackend());
  const m = await backend.matterCreate({ number: "2026-010", title: "Lease", client_name: "Pier" });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <MatterDocuments matterId={m.id} />
    </BackendContext.Provider>,
  );
  expect(await screen.findByText(/No documents yet/)).toBeInTheDocument();
  const list = vi.spyOn(backend, "documentList");
  const f = new File(["Base rent"], "Rent.txt", { type: "text/plain" });
  // jsdom's File lacks arrayBuffer(); the window's has it.
  Object.defineProperty(f, "arrayBuffer", {
    value: async () => new TextEncoder().encode("Base rent").buffer,
  });
  await user.upload(document.getElementById("document-file") as HTMLInputElement, f);
  expect(await screen.findByTestId("document-list")).toHaveTextContent("Rent");
  await settle();
  expect(list).toHaveBeenCalledTimes(1);
});

it("saves a diligence checklist with one fetch of the checklist", async () => {
  const backend = laterEvents(memoryBackend());
  const p = await backend.providerCreate({ legal_name: "Lexwell Review Ltd", countries: ["IN"] });
  backend.exchange.diligence.set(p.id, {
    factors: [],
    others: [],
    open: 0,
    review_on: "2026-11-20",
    review: { state: "due", days: 7 },
  });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <DiligenceChecklist providerId={p.id} />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByRole("button", { name: "Record diligence" }));
  const asked = vi.spyOn(backend, "providerDiligence");
  await user.type(screen.getByLabelText("Add a check of the firm's own"), "Reference call");
  await user.click(screen.getByRole("button", { name: "Save checklist" }));
  await screen.findByRole("button", { name: "Record diligence" });
  await settle();
  expect(asked).toHaveBeenCalledTimes(1);
});
