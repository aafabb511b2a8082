// The Messages tab and the exchange: a message can go to the provider of a work
// order that is shared on a channel, and each message says where it came from and
// how far it got.
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, expect, it } from "vitest";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { MatterMessages } from "./components/MatterMessages";
import { channel, me, member, jane as janeSmith } from "./exchangeFixtures";

async function setup({ shared = true } = {}) {
  const backend = memoryBackend();
  const matter = await backend.matterCreate({
    number: "2026-0142",
    title: "Acme v. Widget",
    client_name: "Acme Corp",
  });
  const lex = await backend.providerCreate({ legal_name: "Lex Review Pvt Ltd", countries: ["IN"] });
  const a = await backend.assignmentCreate({
    matter_id: matter.id,
    provider_id: lex.id,
    scope: "Privilege log",
    due_on: "2026-12-15",
    supervising_attorney: "J. Hale",
  });
  if (shared)
    backend.exchange.channels.set(
      a.id,
      channel(a.id, { id: "ch-lex", members: [me(), member({ name: "Lex Review (Pune)" })] }),
    );
  const user = userEvent.setup();
  return { backend, user, matterId: matter.id };
}

function renderTab(backend: ReturnType<typeof memoryBackend>, matterId: string) {
  render(
    <BackendContext.Provider value={backend}>
      <MatterMessages matterId={matterId} />
    </BackendContext.Provider>,
  );
}

beforeEach(() => localStorage.clear());

it("sends to the provider through the exchange when its channel is chosen", async () => {
  const { backend, user, matterId } = await setup();
  renderTab(backend, matterId);
  const where = await screen.findByLabelText("Where it goes");
  expect(where).toHaveAttribute("id", "message-channel");
  expect(
    within(where)
      .getAllByRole("option")
      .map((o) => o.textContent),
  ).toEqual(["Keep here only", "Send to Lex Review (Pune) (Privilege log)"]);
  expect(where).toHaveValue("");

  await user.selectOptions(where, "ch-lex");
  // Sent under this install's name: no "From" to fill in.
  expect(screen.queryByTestId("message-author")).toBeNull();
  await user.type(screen.getByTestId("message-body"), "Please start with custodian A.");
  await user.click(screen.getByTestId("message-send"));

  expect(backend.exchange.callsOf("exchangeMessageSend")).toEqual([
    ["ch-lex", "Please start with custodian A.", false],
  ]);
  await waitFor(() => expect(screen.getByTestId("message-body")).toHaveValue(""));
  // Not also written as a note kept here only.
  expect((await backend.messageList(matterId, null)).items).toEqual([]);
});

it("a message Rust refuses for a sensitive number says so and can go as it is, kept on purpose", async () => {
  const { backend, user, matterId } = await setup();
  backend.exchange.failures.exchangeMessageSend = {
    code: "invalid",
    field: "sensitive",
    message:
      'The message holds 1 sensitive number: SSN in "patient 219-09-9999 seen". Take it out (or write [REDACTED]), or have the person at this desk send it as it is.',
  };
  renderTab(backend, matterId);
  await user.selectOptions(await screen.findByLabelText("Where it goes"), "ch-lex");
  await user.type(screen.getByTestId("message-body"), "patient 219-09-9999 seen");
  await user.click(screen.getByTestId("message-send"));
  expect(await screen.findByRole("alert")).toHaveTextContent("SSN in");
  // The text stays, to correct it or to send it as it is.
  expect(screen.getByTestId("message-body")).toHaveValue("patient 219-09-9999 seen");
  await user.click(screen.getByRole("button", { name: "Send it as it is" }));
  expect(backend.exchange.callsOf("exchangeMessageSend")).toEqual([
    ["ch-lex", "patient 219-09-9999 seen", false],
    ["ch-lex", "patient 219-09-9999 seen", true],
  ]);
  await waitFor(() => expect(screen.getByTestId("message-body")).toHaveValue(""));
  expect(screen.queryByTestId("message-sensitive")).toBeNull();
});

it("a note is from the person at this desk, or from someone outside the firm when said so", async () => {
  const { backend, user, matterId } = await setup();
  const jane = janeSmith();
  backend.exchange.people.push(jane);
  backend.exchange.desk = jane;
  renderTab(backend, matterId);
  expect(await screen.findByTestId("message-from-desk")).toHaveTextContent(
    "From Jane Smith (at this desk)",
  );
  expect(screen.queryByTestId("message-author")).toBeNull();
  await user.type(screen.getByTestId("message-body"), "Called opposing counsel.");
  await user.click(screen.getByTestId("message-send"));
  expect(await screen.findByText("Called opposing counsel.")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Someone outside the firm wrote it" }));
  await user.type(screen.getByTestId("message-author"), "Priya Rao (Lexwell)");
  await user.type(screen.getByTestId("message-body"), "Emailed: the log is late.");
  await user.click(screen.getByTestId("message-send"));
  expect(await screen.findByText("Emailed: the log is late.")).toBeInTheDocument();
  const authors = (await backend.messageList(matterId, null)).items.map((m) => m.author);
  expect(authors).toEqual(["Priya Rao (Lexwell)", "Jane Smith"]);
  // The next note is the desk's again.
  expect(await screen.findByTestId("message-from-desk")).toBeInTheDocument();
});

it("keeps a note here only by default", async () => {
  const { backend, user, matterId } = await setup();
  renderTab(backend, matterId);
  await screen.findByLabelText("Where it goes");
  await user.type(screen.getByTestId("message-author"), "J. Hale");
  await user.type(screen.getByTestId("message-body"), "Called opposing counsel.");
  await user.click(screen.getByTestId("message-send"));
  expect(await screen.findByText("Called opposing counsel.")).toBeInTheDocument();
  expect(backend.exchange.callsOf("exchangeMessageSend")).toEqual([]);
  // A note kept here carries no delivery tag.
  expect(document.querySelector(".message-delivery")).toBeNull();
});

it("offers no channel when no work order of the matter is shared", async () => {
  const { backend, matterId } = await setup({ shared: false });
  renderTab(backend, matterId);
  expect(await screen.findByTestId("messages-empty")).toBeInTheDocument();
  await waitFor(() => expect(backend.exchange.callsOf("channelForAssignment")).toHaveLength(1));
  expect(screen.queryByTestId("message-channel")).toBeNull();
  expect(screen.getByTestId("message-author")).toBeInTheDocument();
});

it("tags each message with where it came from and how far it got", async () => {
  const { backend, matterId } = await setup();
  const add = async (body: string, sentAt: string, set: Record<string, unknown>) => {
    const m = await backend.messageCreate({
      matter_id: matterId,
      author: "x",
      body,
      sent_at: sentAt,
    });
    // As Rust stores a message that went through the exchange.
    Object.assign(m, set);
  };
  await add("From Lex", "2026-11-27T10:05:00.000Z", {
    author: "Lex Review",
    from_side: "provider",
  });
  await add("Queued one", "2026-11-27T10:04:00.000Z", { from_side: "firm", delivery: "queued" });
  await add("Sent one", "2026-11-27T10:03:00.000Z", { from_side: "firm", delivery: "sent" });
  await add("Got there", "2026-11-27T10:02:00.000Z", { from_side: "firm", delivery: "received" });
  await add("Broke", "2026-11-27T10:01:00.000Z", { from_side: "firm", delivery: "failed" });
  await add("Local note", "2026-11-27T10:00:00.000Z", {});
  renderTab(backend, matterId);

  const items = await screen.findAllByTestId("message-item");
  const tags = items.map((li) => {
    const tag = li.querySelector(".message-delivery");
    return tag ? [tag.getAttribute("data-delivery"), tag.textContent] : null;
  });
  expect(tags).toEqual([
    ["from_provider", "from the provider"],
    ["queued", "waiting to go"],
    ["sent", "sent"],
    ["received", "delivered"],
    ["failed", "failed"],
    null,
  ]);
  expect(items[0]).toHaveTextContent("Lex Review");
});

it("writes as the person at this desk, when one is chosen", async () => {
  const { backend, user, matterId } = await setup({ shared: false });
  const jane = janeSmith();
  backend.exchange.people.push(jane);
  backend.exchange.desk = jane;
  renderTab(backend, matterId);
  expect(await screen.findByTestId("message-from-desk")).toHaveTextContent("Jane Smith");
  await user.type(screen.getByTestId("message-body"), "Called the GC.");
  await user.click(screen.getByTestId("message-send"));
  await waitFor(async () =>
    expect((await backend.messageList(matterId, null)).items[0]?.author).toBe("Jane Smith"),
  );
});
