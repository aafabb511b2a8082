// Views refetch when Rust reports a change they show, whether this window made
// it or another process (the `mandate` command) did: the memory backend's
// emitChange stands for the event Rust emits after it notices an outside write.
import { render, screen, waitFor, within } from "@testing-library/react";
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

it("the matter panel follows the matter and its deadlines changed elsewhere", async () => {
  const { backend, user, m } = await openMatter();
  expect(await screen.findByTestId("detail-title")).toHaveTextContent("Change events");
  // Renamed behind the window's back: nothing changes until Rust says so.
  backend.matters[backend.matters.findIndex((x) => x.id === m.id)] = {
    ...m,
    title: "Renamed in the terminal",
  };
  expect(screen.getByTestId("detail-title")).toHaveTextContent("Change events");
  await act(async () => backend.emitChange("matter"));
  await waitFor(() =>
    expect(screen.getByTestId("detail-title")).toHaveTextContent("Renamed in the terminal"),
  );

  await user.click(screen.getByRole("tab", { name: "Deadlines" }));
  await screen.findByText(/No deadlines yet/);
  // deadlineCreate tells the deadline listeners, as Rust's event does.
  await act(() =>
    backend.deadlineCreate({ matter_id: m.id, rule_id: "answer", trigger: "2026-11-20" }),
  );
  expect(await screen.findByText(/Answer to complaint/)).toBeInTheDocument();
});

it("the Documents tab shows a document changed elsewhere, once Rust says so", async () => {
  const { backend, user, m } = await openMatter();
  await backend.documentAdd(
    { matter_id: m.id, file_name: "Lease.txt" },
    new TextEncoder().encode("The lease."),
  );
  await user.click(await screen.findByRole("tab", { name: "Documents" }));
  const list = await screen.findByTestId("document-list");
  expect(list).toHaveTextContent("Lease");
  const [doc] = backend.documents;
  if (!doc) throw new Error("the document was not added");
  backend.documents[0] = { ...doc, title: "Lease (signed copy)" };
  expect(list).not.toHaveTextContent("signed copy");
  await act(async () => backend.emitChange("document"));
  await waitFor(() => expect(screen.getByTestId("document-list")).toHaveTextContent("signed copy"));
});

it("the Messages tab follows a message's delivery on an exchange change", async () => {
  const { backend, user, m } = await openMatter();
  const sent = await backend.messageCreate({
    matter_id: m.id,
    author: "Ann",
    body: "To the provider",
  });
  // As Rust keeps a message sent through the exchange.
  Object.assign(sent, { from_side: "firm", delivery: "queued" });
  await user.click(await screen.findByRole("tab", { name: "Messages" }));
  const tag = () => screen.getByTestId("message-item").querySelector(".message-delivery");
  await waitFor(() => expect(tag()).toHaveTextContent("waiting to go"));
  backend.messages[backend.messages.findIndex((x) => x.id === sent.id)] = {
    ...sent,
    delivery: "received",
  };
  await act(async () => backend.emitChange("exchange"));
  await waitFor(() => expect(tag()).toHaveTextContent("delivered"));
});

it("the matter list and its provider filter follow writes Rust reports", async () => {
  const { backend } = await openMatter();
  expect(await screen.findAllByTestId("matter-row")).toHaveLength(1);
  await act(() => backend.matterCreate({ number: "CE-2", title: "Second", client_name: "D" }));
  await waitFor(() => expect(screen.getAllByTestId("matter-row")).toHaveLength(2));
  const filter = screen.getByTestId("matter-provider-filter");
  expect(within(filter).queryByRole("option", { name: "Outside Review Ltd" })).toBeNull();
  await act(() => backend.providerCreate({ legal_name: "Outside Review Ltd" }));
  expect(
    await within(filter).findByRole("option", { name: "Outside Review Ltd" }),
  ).toBeInTheDocument();
});

it("the Providers and Deadlines screens follow writes Rust reports", async () => {
  const { backend, user, m } = await openMatter();
  await user.click(screen.getByTestId("nav-providers"));
  await screen.findByTestId("providers-empty");
  await act(() => backend.providerCreate({ legal_name: "Lex Review Pvt Ltd" }));
  expect(await screen.findByTestId("provider-row")).toHaveTextContent("Lex Review Pvt Ltd");

  await user.click(screen.getByTestId("nav-deadlines"));
  await screen.findByTestId("deadlines-empty");
  await act(() =>
    backend.deadlineCreate({ matter_id: m.id, rule_id: "answer", trigger: "2026-11-20" }),
  );
  // Due 21 days after the trigger: 2026-12-11, within the next 30 days of 2026-11-27.
  await waitFor(() =>
    expect(screen.getByTestId("bucket-next_30_days")).toHaveTextContent("Answer to complaint"),
  );
});
