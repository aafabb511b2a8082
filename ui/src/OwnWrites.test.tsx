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

/** A matter open in the window, with a provider to send work to. */
async function openMatter() {
  const backend = laterEvents(memoryBackend([], "2026-11-27"));
  await backend.matterCreate({ number: "2026-0142", title: "Acme v. Widget", client_name: "Acme" });
  const p = await backend.providerCreate({ legal_name: "Lex Review Pvt Ltd", countries: ["IN"] });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("matter-row"));
  await screen.findByTestId("matter-detail");
  return { backend, user, providerId: p.id };
}

it("records a consent with one fetch of the consents", async () => {
  const { backend, user, providerId } = await openMatter();
  await user.click(screen.getByTestId("tab-consents"));
  await user.click(await screen.findByTestId("consent-add"));
  await user.selectOptions(screen.getByTestId("consent-provider"), providerId);
  await user.type(screen.getByTestId("consent-scope"), "Document review");
  await user.type(screen.getByTestId("consent-given-on"), "2026-03-02");
  await user.type(screen.getByTestId("consent-evidence"), "Email from GC");
  const list = vi.spyOn(backend, "consentList");
  await user.click(screen.getByTestId("consent-save"));
  expect(await screen.findByTestId("consent-row")).toHaveTextContent("Document review");
  await settle();
  expect(list).toHaveBeenCalledTimes(1);
});

it("writes a work order with one fetch of the assignments", async () => {
  const { backend, user } = await openMatter();
  await user.click(screen.getByTestId("tab-assignments"));
  await user.click(await screen.findByTestId("assignment-add"));
  await user.selectOptions(screen.getByTestId("assignment-provider"), "Lex Review Pvt Ltd");
  await user.type(screen.getByTestId("assignment-scope"), "First-level review");
  await user.type(screen.getByTestId("assignment-due-on"), "2026-12-15");
  await user.type(screen.getByTestId("assignment-supervisor"), "Jane Smith");
  const list = vi.spyOn(backend, "assignmentList");
  await user.click(screen.getByTestId("assignment-save"));
  expect(await screen.findByTestId("assignment-row")).toHaveTextContent("First-level review");
  await settle();
  expect(list).toHaveBeenCalledTimes(1);
});

it("links a party to the matter with one fetch of its parties", async () => {
  const { backend, user } = await openMatter();
  await backend.partyCreate({ name: "Jane Roe", kind: "person" });
  await user.click(screen.getByTestId("tab-parties"));
  await user.click(await screen.findByTestId("party-add"));
  await user.click(await screen.findByRole("radio", { name: /Jane Roe/ }));
  await user.selectOptions(screen.getByTestId("party-role"), "witness");
  const list = vi.spyOn(backend, "matterPartyList");
  await user.click(screen.getByTestId("party-save"));
  expect(await screen.findByTestId("party-row")).toHaveTextContent("Jane Roe");
  await settle();
  expect(list).toHaveBeenCalledTimes(1);
});

it("adds one of the firm's people with the fetches of one change event, no more", async () => {
  const backend = laterEvents(memoryBackend());
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("nav-settings"));
  await user.type(await screen.findByTestId("person-name"), "Pat Lee");
  await user.selectOptions(screen.getByTestId("person-role"), "paralegal");
  await settle();
  // What one exchange change event costs here (the people list and the desk chooser).
  const list = vi.spyOn(backend, "personList");
  backend.emitChange("exchange");
  await settle();
  const perEvent = list.mock.calls.length;
  expect(perEvent).toBeGreaterThan(0);
  list.mockClear();
  await user.click(screen.getByTestId("person-add"));
  expect((await screen.findAllByText(/Pat Lee/)).length).toBeGreaterThan(0);
  await settle();
  expect(list).toHaveBeenCalledTimes(perEvent);
});
