import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { engagement, item } from "./exchangeFixtures";

async function openEngagements(setup: (b: ReturnType<typeof memoryBackend>) => void = () => {}) {
  const backend = memoryBackend();
  setup(backend);
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("nav-engagements"));
  expect(screen.getByTestId("nav-engagements")).toHaveAttribute("aria-current", "page");
  return { backend, user };
}

function file(name: string, text: string): File {
  // jsdom's File lacks arrayBuffer(); the window's has it.
  const f = new File([text], name, { type: "text/plain" });
  Object.defineProperty(f, "arrayBuffer", {
    value: async () => new TextEncoder().encode(text).buffer,
  });
  return f;
}

it("reads an invite before joining: the firm, its relay and fingerprints, then joins", async () => {
  const { backend, user } = await openEngagements();
  expect(await screen.findByTestId("engagements-empty")).toBeInTheDocument();
  backend.exchange.preview = {
    firm: "Hale & Rowe LLP",
    relay: "https://relay.hale-rowe.example",
    firm_fingerprints: [
      "11111 22222 33333 44444 55555 66666",
      "77777 88888 99999 00000 12121 34343",
    ],
    pinned: true,
    expires: 1_800_000_000,
  };
  await user.click(screen.getByTestId("engagement-join-open"));
  const code = screen.getByLabelText(/Invite code/);
  expect(code).toHaveAttribute("id", "join-code");
  await user.type(code, "MANDATE-INVITE-1-XYZ");
  expect(screen.queryByTestId("join-confirm")).toBeNull();
  await user.click(screen.getByTestId("join-preview"));

  const preview = await screen.findByTestId("join-preview-result");
  expect(preview).toHaveTextContent("Hale & Rowe LLP");
  expect(preview).toHaveTextContent("https://relay.hale-rowe.example");
  expect(preview).toHaveTextContent("Compare these with what the firm reads to you");
  const prints = screen.getByTestId("join-firm-fingerprints");
  expect(prints).toHaveAttribute("id", "join-firm-fingerprints");
  expect(
    within(prints)
      .getAllByRole("listitem")
      .map((li) => li.textContent),
  ).toEqual(["11111 22222 33333 44444 55555 66666", "77777 88888 99999 00000 12121 34343"]);
  expect(backend.exchange.callsOf("invitePreview")).toEqual([["MANDATE-INVITE-1-XYZ"]]);
  expect(backend.exchange.callsOf("inviteJoin")).toEqual([]);

  // Joining: the engagement Rust made shows, opened.
  backend.exchange.engagements.push(engagement({ channel_id: "ch-1" }));
  await user.click(screen.getByTestId("join-confirm"));
  expect(backend.exchange.callsOf("inviteJoin")).toEqual([["MANDATE-INVITE-1-XYZ"]]);
  expect(await screen.findByTestId("join-done")).toHaveTextContent("Hale & Rowe LLP");
  expect(screen.queryByTestId("join-form")).toBeNull();
  expect(await screen.findByTestId("engagement-detail")).toBeInTheDocument();
});

it("shows why a code cannot be read, beside it, and joins nothing", async () => {
  const { backend, user } = await openEngagements();
  backend.exchange.failures.invitePreview = {
    code: "invalid",
    field: "code",
    message: "This is not a Mandate invite code. Paste the whole code the firm sent.",
  };
  await user.click(await screen.findByTestId("engagement-join-open"));
  await user.type(screen.getByTestId("join-code"), "hello");
  await user.click(screen.getByTestId("join-preview"));
  expect(await screen.findByTestId("error-code")).toHaveTextContent("not a Mandate invite code");
  expect(screen.getByTestId("join-code")).toHaveAttribute("aria-invalid", "true");

  // Read, then refused at joining (e.g. expired): a banner, still not joined.
  await user.click(screen.getByTestId("join-preview"));
  backend.exchange.failures.inviteJoin = { code: "not_allowed", message: "This invite expired." };
  await user.click(await screen.findByTestId("join-confirm"));
  expect(await screen.findByRole("alert")).toHaveTextContent("This invite expired.");
  expect(screen.queryByTestId("join-done")).toBeNull();
});

it("keeps several firms' work apart: one group per firm", async () => {
  await openEngagements((b) =>
    b.exchange.engagements.push(
      engagement({ channel_id: "c-zeta-1", firm_name: "Zeta Law", scope: "Translate exhibits" }),
      engagement({
        channel_id: "c-hale-1",
        firm_name: "Hale & Rowe LLP",
        scope: "Privilege log",
        items: [
          item({ item_id: "m1", kind: "message", from_side: "firm", title: "J. Hale", body: "Hi" }),
          item({ item_id: "m2", kind: "message", from_side: "firm", title: "J. Hale", body: "?" }),
          item({ item_id: "m3", kind: "message", from_side: "provider", title: "Me", body: "Ok" }),
        ],
      }),
      engagement({ channel_id: "c-hale-2", firm_name: "Hale & Rowe LLP", scope: "Doc review" }),
    ),
  );
  const list = await screen.findByTestId("engagement-list");
  expect(list).toHaveAttribute("id", "engagement-list");
  const groups = within(list).getAllByRole("region");
  expect(groups.map((g) => within(g).getByRole("heading").textContent)).toEqual([
    "Hale & Rowe LLP",
    "Zeta Law",
  ]);
  const hale = within(list).getByRole("region", { name: "Hale & Rowe LLP" });
  expect(within(hale).getByTestId("engagement-c-hale-1")).toHaveTextContent("Privilege log");
  expect(within(hale).getByTestId("engagement-c-hale-1")).toHaveTextContent(
    "2 messages from the firm",
  );
  expect(within(hale).getByTestId("engagement-c-hale-2")).toBeInTheDocument();
  expect(within(hale).queryByTestId("engagement-c-zeta-1")).toBeNull();
  const zeta = within(list).getByRole("region", { name: "Zeta Law" });
  expect(within(zeta).getByTestId("engagement-c-zeta-1")).toHaveTextContent("due 2026-12-15");
  expect(within(zeta).getByTestId("engagement-c-zeta-1")).toHaveTextContent("Sent");
});

it("offers exactly the moves Rust names for the status, and makes one", async () => {
  const { backend, user } = await openEngagements((b) => {
    b.exchange.engagements.push(engagement({ channel_id: "ch-1", status: "sent" }));
  });
  await user.click(await screen.findByTestId("engagement-ch-1"));
  const detail = await screen.findByTestId("engagement-detail");
  expect(within(detail).getByTestId("engagement-brief")).toHaveTextContent(
    "First-level review of custodian email",
  );
  expect(within(detail).getByTestId("engagement-brief")).toHaveTextContent("Tag privileged");
  const group = await within(detail).findByRole("group", { name: "Move the work along" });
  expect(
    within(group)
      .getAllByRole("button")
      .map((b) => [b.id, b.textContent]),
  ).toEqual([["engagement-move-accepted", "Accept"]]);
  expect(backend.exchange.callsOf("engagementNextStates")).toContainEqual(["sent"]);

  await user.click(screen.getByTestId("engagement-move-accepted"));
  expect(backend.exchange.callsOf("engagementMove")).toEqual([["ch-1", "accepted"]]);
  expect(await screen.findByTestId("engagement-move-in_progress")).toHaveTextContent("Start");
  expect(screen.queryByTestId("engagement-move-accepted")).toBeNull();
  expect(within(detail).getByTestId("engagement-status")).toHaveTextContent("Accepted");
});

it("opens a document received and shows its text; lists deadlines", async () => {
  const { backend, user } = await openEngagements((b) => {
    b.exchange.engagements.push(
      engagement({
        channel_id: "ch-1",
        items: [
          item({ item_id: "doc-1", title: "Lease.txt" }),
          item({ item_id: "doc-2", title: "Scan.pdf" }),
          item({
            item_id: "dl-1",
            kind: "deadline",
            title: "Production due",
            body: "Due 2026-12-10",
            sha256: null,
          }),
        ],
      }),
    );
    b.exchange.fileTexts.set("doc-1", "The tenant shall pay rent monthly.");
  });
  await user.click(await screen.findByTestId("engagement-ch-1"));
  const detail = await screen.findByTestId("engagement-detail");
  expect(within(detail).getByTestId("engagement-deadlines")).toHaveTextContent(
    "Production dueDue 2026-12-10",
  );
  await user.click(within(detail).getByTestId("engagement-open-doc-1"));
  const text = await within(detail).findByTestId("engagement-file-text");
  expect(text).toHaveAttribute("id", "engagement-file-text");
  expect(text).toHaveClass("document-text");
  expect(text).toHaveTextContent("The tenant shall pay rent monthly.");
  expect(backend.exchange.callsOf("engagementFileText")).toEqual([["ch-1", "doc-1"]]);

  // A file with no text says so.
  await user.click(within(detail).getByTestId("engagement-open-doc-2"));
  expect(await within(detail).findByTestId("engagement-file-no-text")).toBeInTheDocument();
  expect(within(detail).queryByTestId("engagement-file-text")).toBeNull();
});

it("delivers a file with its name and bytes, and follows it until the firm has it", async () => {
  const { backend, user } = await openEngagements((b) =>
    b.exchange.engagements.push(engagement({ channel_id: "ch-1" })),
  );
  await user.click(await screen.findByTestId("engagement-ch-1"));
  await screen.findByTestId("engagement-detail");
  await user.upload(
    document.getElementById("deliver-file") as HTMLInputElement,
    file("Review memo.txt", "Findings"),
  );
  await waitFor(() => expect(backend.exchange.callsOf("engagementDeliver")).toHaveLength(1));
  const [channelId, name, bytes] = backend.exchange.callsOf("engagementDeliver")[0] ?? [];
  expect(channelId).toBe("ch-1");
  expect(name).toBe("Review memo.txt");
  expect(Array.from(bytes as Uint8Array)).toEqual(Array.from(new TextEncoder().encode("Findings")));

  const row = await screen.findByTestId("deliver-item-env-1");
  expect(row).toHaveAttribute("id", "deliver-item-env-1");
  expect(row).toHaveAttribute("data-state", "queued");
  expect(row).toHaveTextContent("Waiting to go");
  expect(document.getElementById("deliver-items-progress")).toHaveTextContent("0 of 1 sent");

  // Sync delivers it: Rust reports a change of the exchange.
  const sent = backend.exchange.outbox.find((e) => e.envelope_id === "env-1");
  if (sent) sent.state = "received";
  await act(async () => backend.emitChange("exchange"));
  await waitFor(() => expect(row).toHaveAttribute("data-state", "received"));
  expect(row).toHaveTextContent("Received by the firm");
  expect(document.getElementById("deliver-items-progress")).toBeNull();
});

it("sends a message to the firm and shows the thread", async () => {
  const { backend, user } = await openEngagements((b) =>
    b.exchange.engagements.push(
      engagement({
        channel_id: "ch-1",
        items: [
          item({
            item_id: "m1",
            kind: "message",
            from_side: "firm",
            title: "J. Hale",
            body: "Please start with custodian A.",
            sha256: null,
          }),
        ],
      }),
    ),
  );
  await user.click(await screen.findByTestId("engagement-ch-1"));
  const thread = await screen.findByTestId("engagement-messages");
  expect(within(thread).getByTestId("engagement-message")).toHaveTextContent("J. Hale");
  expect(within(thread).getByTestId("engagement-message")).toHaveTextContent(
    "Please start with custodian A.",
  );
  const send = screen.getByTestId("engagement-message-send");
  expect(send).toBeDisabled();
  await user.type(screen.getByLabelText("Message to the firm"), "Started today.");
  await user.click(send);
  expect(backend.exchange.callsOf("exchangeMessageSend")).toEqual([
    ["ch-1", "Started today.", false],
  ]);
  expect(await screen.findByText(/Queued: it goes with the next sync/)).toBeInTheDocument();
  expect(screen.getByTestId("engagement-message-body")).toHaveValue("");
});
