import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, expect, it, vi } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { PROVIDER_FINGERPRINT, channel, entry, me, member } from "./exchangeFixtures";

const RELAY = {
  url: "https://relay.hale-rowe.example",
  has_account: true,
  cert_sha256: null,
  has_ca: false,
  added_at: "2026-11-01T10:00:00.000Z",
  last_ok_at: null,
};

const bytes = (s: string) => new TextEncoder().encode(s);

/** A matter with a work order, two documents (one in two versions) and two deadlines. */
async function setup({ relays = [RELAY], laterEvents = false } = {}) {
  const backend = memoryBackend([], "2026-11-27");
  backend.exchange.relays.push(...relays);
  if (laterEvents) {
    // Change events a little after the write, as Tauri's come over IPC.
    const onChanged = backend.onChanged;
    backend.onChanged = (kind, handler) => onChanged(kind, () => setTimeout(handler, 10));
  }
  const matter = await backend.matterCreate({
    number: "2026-0142",
    title: "Acme v. Widget",
    client_name: "Acme Corp",
  });
  const lex = await backend.providerCreate({ legal_name: "Lex Review Pvt Ltd", countries: ["IN"] });
  const a = await backend.assignmentCreate({
    matter_id: matter.id,
    provider_id: lex.id,
    scope: "First-level review of custodian email",
    instructions: "Tag privileged documents.",
    due_on: "2026-12-15",
    supervising_attorney: "J. Hale",
  });
  const lease = await backend.documentAdd(
    { matter_id: matter.id, file_name: "Lease.txt" },
    bytes("v1 text"),
  );
  // Read now: the document's `latest` moves on to the next version.
  const lease1 = lease.latest.id;
  const lease2 = await backend.documentAdd(
    { matter_id: matter.id, file_name: "Lease.txt", document_id: lease.id },
    bytes("the second text"),
  );
  const memo = await backend.documentAdd(
    { matter_id: matter.id, file_name: "Memo.txt" },
    bytes("memo"),
  );
  const [production] = await backend.deadlineCreate({
    matter_id: matter.id,
    title: "Production due",
    due_date: "2026-12-10",
  });
  const [reply] = await backend.deadlineCreate({
    matter_id: matter.id,
    title: "Reply brief",
    due_date: "2026-12-20",
  });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("matter-row"));
  await user.click(await screen.findByTestId("tab-assignments"));
  return {
    backend,
    user,
    assignment: a,
    versions: { lease1, lease2: lease2.latest.id, memo: memo.latest.id },
    deadlines: { production: production?.id ?? "", reply: reply?.id ?? "" },
  };
}

beforeEach(() => localStorage.clear());

it("creates an invite on the chosen relay and shows its code, QR code and fingerprint", async () => {
  const { backend, user, assignment } = await setup({
    relays: [RELAY, { ...RELAY, url: "https://second.example", has_account: false }],
  });
  // A 2×2 code: the top row dark, then only the bottom-right module.
  backend.exchange.invite = {
    ...backend.exchange.invite,
    code: "MANDATE-INVITE-1-ABCDEF",
    qr: { width: 2, dark: [true, true, false, true] },
  };
  await user.click(await screen.findByTestId("share-open"));
  const panel = await screen.findByTestId("share-panel");
  expect(panel).toHaveAttribute("id", "share-panel");
  await user.selectOptions(await within(panel).findByLabelText("Relay"), "https://second.example");
  await user.click(within(panel).getByTestId("invite-create"));

  const code = await within(panel).findByLabelText("Invite code");
  expect(code).toHaveAttribute("id", "invite-code");
  expect(code).toHaveValue("MANDATE-INVITE-1-ABCDEF");
  expect(code).toHaveAttribute("readonly");
  expect(backend.exchange.callsOf("inviteCreate")).toEqual([
    [assignment.id, "https://second.example"],
  ]);

  const qr = within(panel).getByRole("img", { name: "Invite code as a QR code" });
  expect(qr).toHaveAttribute("id", "invite-qr");
  const modules = Array.from(qr.querySelectorAll("rect.qr-dark")).map((r) =>
    ["x", "y", "width"].map((k) => r.getAttribute(k)).join(","),
  );
  // Offset by the 4-module quiet zone; a row's run of dark modules is one rect.
  expect(modules).toEqual(["4,4,2", "5,5,1"]);

  expect(within(panel).getByTestId("share-my-fingerprint")).toHaveTextContent(
    "12345 67890 13579 24680 11223 34455",
  );
  expect(within(panel).getByText(/Waiting for the provider to join/)).toBeInTheDocument();

  await user.click(within(panel).getByTestId("invite-copy"));
  expect(await navigator.clipboard.readText()).toBe("MANDATE-INVITE-1-ABCDEF");
});

it("without a relay, says to add one in Settings and goes there", async () => {
  const { user } = await setup({ relays: [] });
  await user.click(await screen.findByTestId("share-open"));
  expect(await screen.findByTestId("share-no-relay")).toHaveTextContent(
    "Add a relay in Settings first",
  );
  expect(screen.queryByTestId("invite-create")).toBeNull();
  await user.click(screen.getByTestId("share-open-settings"));
  expect(screen.getByTestId("nav-settings")).toHaveAttribute("aria-current", "page");
  expect(await screen.findByTestId("relay-form")).toBeInTheDocument();
});

it("lists who joined once the channel changes, and marks a fingerprint verified", async () => {
  const { backend, user, assignment } = await setup();
  backend.exchange.channels.set(assignment.id, channel(assignment.id));
  await user.click(await screen.findByTestId("share-open"));
  expect(await screen.findByTestId("share-waiting")).toHaveTextContent(
    "Waiting for the provider to join",
  );
  expect(screen.queryByTestId("share-members")).toBeNull();

  // The provider joins: Rust reports a change of the exchange.
  backend.exchange.channels.set(
    assignment.id,
    channel(assignment.id, { members: [me(), member()] }),
  );
  await act(async () => backend.emitChange("exchange"));
  const members = await screen.findByTestId("share-members");
  expect(members).toHaveTextContent("Lex Review Pvt Ltd");
  expect(members).toHaveTextContent(PROVIDER_FINGERPRINT);
  expect(screen.queryByTestId("share-waiting")).toBeNull();
  // Not verified yet: sending is allowed, with a warning.
  expect(screen.getByTestId("share-unverified")).toBeInTheDocument();

  await user.click(within(members).getByTestId("member-verify-0"));
  expect(backend.exchange.callsOf("memberVerify")).toEqual([["ch-1", PROVIDER_FINGERPRINT]]);
  expect(await within(members).findByText(/^Verified/)).toBeInTheDocument();
  expect(within(members).queryByTestId("member-verify-0")).toBeNull();
  expect(screen.queryByTestId("share-unverified")).toBeNull();
});

it("sends exactly the versions and deadlines ticked, and nothing else is offered", async () => {
  const { backend, user, assignment, versions, deadlines } = await setup();
  backend.exchange.channels.set(
    assignment.id,
    channel(assignment.id, { members: [me(), member({ verified_at: "2026-11-27T10:00:00Z" })] }),
  );
  await user.click(await screen.findByTestId("share-open"));
  const panel = await screen.findByTestId("share-panel");

  // The brief shows what it holds.
  expect(await within(panel).findByTestId("share-brief-details")).toHaveTextContent(
    "First-level review of custodian email",
  );
  expect(within(panel).getByTestId("share-brief-details")).toHaveTextContent("2026-12-15");
  expect(within(panel).getByTestId("share-brief-details")).toHaveTextContent("Tag privileged");
  // Every version of every document, every deadline, the brief: nothing more.
  await within(panel).findByTestId(`share-version-${versions.memo}`);
  const boxes = within(panel)
    .getAllByRole("checkbox")
    .map((b) => b.id)
    .sort();
  expect(boxes).toEqual(
    [
      "share-brief",
      `share-version-${versions.lease1}`,
      `share-version-${versions.lease2}`,
      `share-version-${versions.memo}`,
      `share-deadline-${deadlines.production}`,
      `share-deadline-${deadlines.reply}`,
    ].sort(),
  );
  const lease2 = within(panel).getByLabelText(/Lease · v2/);
  expect(lease2).toHaveAttribute("id", `share-version-${versions.lease2}`);
  expect(lease2.closest("label")).toHaveTextContent("Lease · v2 · Lease.txt · 15 B");
  expect(within(panel).getByLabelText(/Reply brief · due 2026-12-20/)).toBeInTheDocument();

  const send = within(panel).getByTestId("share-send");
  expect(send).toBeDisabled();
  await user.click(within(panel).getByTestId(`share-version-${versions.lease1}`));
  await user.click(within(panel).getByTestId(`share-version-${versions.memo}`));
  await user.click(within(panel).getByTestId(`share-deadline-${deadlines.reply}`));
  // Enabled once the send guard has answered for exactly what is ticked.
  await waitFor(() => expect(send).toBeEnabled());
  await user.click(send);

  expect(backend.exchange.callsOf("shareSend")).toHaveLength(1);
  const [[request]] = backend.exchange.callsOf("shareSend") as [[Record<string, unknown>]];
  expect(request).toEqual({
    assignment_id: assignment.id,
    brief: false,
    document_versions: expect.arrayContaining([versions.lease1, versions.memo]),
    deadlines: [deadlines.reply],
  });
  expect(request.document_versions).toHaveLength(2);
  // Sent: the ticks clear.
  await waitFor(() => expect(send).toBeDisabled());
  expect(within(panel).getByTestId(`share-version-${versions.lease1}`)).not.toBeChecked();
});

it("shows each item's state in words, how far the sending got, and retries a failed one", async () => {
  const { backend, user, assignment } = await setup();
  backend.exchange.channels.set(
    assignment.id,
    channel(assignment.id, { members: [me(), member()] }),
  );
  backend.exchange.outbox.push(
    entry({ envelope_id: "e1", label: "brief", state: "received", size: 1024 * 1024 }),
    entry({ envelope_id: "e2", label: "document Lease.txt v1", state: "sent", size: 1024 * 1024 }),
    entry({
      envelope_id: "e3",
      label: "document Memo.txt v1",
      state: "queued",
      size: 2 * 1024 * 1024,
    }),
    entry({
      envelope_id: "e4",
      label: "deadline Reply brief",
      state: "failed",
      last_error: "The relay is full.",
    }),
    entry({ envelope_id: "other", channel_id: "ch-2", label: "someone else's", state: "queued" }),
  );
  await user.click(await screen.findByTestId("share-open"));
  const items = await screen.findByTestId("share-items");
  expect(items).toHaveAttribute("id", "share-items");
  const row = (id: string) => within(items).getByTestId(`share-item-${id}`);
  expect(row("e1")).toHaveAttribute("data-state", "received");
  expect(row("e1")).toHaveTextContent("Received by the provider");
  expect(row("e2")).toHaveAttribute("data-state", "sent");
  expect(row("e2")).toHaveTextContent(/Sent$/);
  expect(row("e3")).toHaveAttribute("data-state", "queued");
  expect(row("e3")).toHaveTextContent("Waiting to go");
  expect(row("e3")).toHaveTextContent("2.0 MB");
  expect(row("e4")).toHaveAttribute("data-state", "failed");
  expect(row("e4")).toHaveTextContent("Failed: The relay is full.");
  expect(within(items).queryByText("someone else's")).toBeNull();
  expect(backend.exchange.callsOf("outboxList")).toContainEqual(["ch-1", true]);

  const progress = document.getElementById("share-items-progress");
  expect(progress).toHaveAttribute("role", "status");
  expect(progress).toHaveTextContent("2 of 4 sent · 2.0 MB of 4.0 MB");

  expect(within(row("e1")).queryByRole("button", { name: /Retry/ })).toBeNull();
  await user.click(within(row("e4")).getByRole("button", { name: "Retry deadline Reply brief" }));
  expect(backend.exchange.callsOf("outboxRetry")).toEqual([["e4"]]);
  await waitFor(() => expect(row("e4")).toHaveAttribute("data-state", "queued"));
});

it("shows the send guard's reasons and what satisfies each, and a block keeps Send disabled", async () => {
  const { backend, user, assignment, versions } = await setup();
  backend.exchange.channels.set(
    assignment.id,
    channel(assignment.id, { members: [me(), member({ verified_at: "2026-11-27T10:00:00Z" })] }),
  );
  backend.exchange.guard = {
    decision: "block",
    consent_id: null,
    reasons: [
      {
        rule: "consent.missing",
        source: "ABA Formal Op. 08-451; Model Rule 1.6(a) (informed consent)",
        blocks: true,
        message:
          "No client consent to sending this matter's work to Lex Review Pvt Ltd is on file.",
        fix: "Record the client's informed consent for this matter and provider, with its evidence.",
      },
      {
        rule: "provider.ai_use_undeclared",
        source: "ABA Formal Op. 512 (generative AI tools)",
        blocks: false,
        message: "Lex Review Pvt Ltd has not said whether it uses AI tools.",
        fix: "Ask the provider and record its answer in the provider file.",
      },
    ],
  };
  await user.click(await screen.findByTestId("share-open"));
  const panel = await screen.findByTestId("share-panel");
  await user.click(await within(panel).findByTestId(`share-version-${versions.memo}`));
  const guard = await within(panel).findByTestId("share-guard");
  expect(guard).toHaveAttribute("data-decision", "block");
  expect(guard).toHaveTextContent("No client consent");
  expect(guard).toHaveTextContent("To satisfy it: Record the client's informed consent");
  expect(guard).toHaveTextContent("ABA Formal Op. 08-451");
  expect(guard).toHaveTextContent("has not said whether it uses AI tools");
  expect(within(panel).getByTestId("share-send")).toBeDisabled();
  // The guard was asked about exactly what is ticked.
  const asked = backend.exchange.callsOf("guardCheck").at(-1) as [Record<string, unknown>];
  expect(asked[0]).toEqual({
    assignment_id: assignment.id,
    brief: false,
    document_versions: [versions.memo],
    deadlines: [],
  });

  // Once the facts are recorded the guard allows, and Send is offered.
  backend.exchange.guard = { decision: "allow", reasons: [], consent_id: "c-1" };
  await user.click(within(panel).getByTestId("share-brief"));
  await waitFor(() => expect(within(panel).getByTestId("share-send")).toBeEnabled());
  expect(within(panel).getByTestId("share-guard")).toHaveAttribute("data-decision", "allow");
});

it("lists each sensitive number in what is ticked, redacts a document into a new version, and keeps one by name", async () => {
  const { backend, user, assignment, versions } = await setup();
  backend.exchange.channels.set(
    assignment.id,
    channel(assignment.id, { members: [me(), member({ verified_at: "2026-11-27T10:00:00Z" })] }),
  );
  const finding = (kind: "ssn" | "phone", text: string, context: string) => ({
    hit: { kind, start: 0, end: text.length, text, context },
    kept_by: null,
    kept_at: null,
  });
  backend.exchange.scans = [
    {
      kind: "document",
      id: versions.memo,
      label: "Memo.txt v1",
      findings: [
        finding("ssn", "123-45-6789", "Claimant SSN 123-45-6789; born"),
        finding("phone", "(212) 555-0142", "Call (212) 555-0142."),
      ],
    },
  ];
  await user.click(await screen.findByTestId("share-open"));
  const panel = await screen.findByTestId("share-panel");
  await user.click(await within(panel).findByTestId(`share-version-${versions.memo}`));
  const scan = await within(panel).findByTestId("share-scan");
  expect(scan).toHaveTextContent("SSN");
  expect(scan).toHaveTextContent("Claimant SSN 123-45-6789; born");
  expect(scan).toHaveTextContent("phone number");

  // Keeping needs a name.
  const keep = within(scan).getByTestId(`scan-keep-${versions.memo}-1`);
  expect(keep).toBeDisabled();
  await user.type(within(scan).getByTestId("scan-keep-by"), "Jane Smith");
  await user.click(keep);
  expect(backend.exchange.callsOf("scanKeep")).toEqual([
    [assignment.id, versions.memo, "(212) 555-0142", "Jane Smith"],
  ]);

  // Redacting makes a new version, which goes instead of the original.
  await user.click(within(scan).getByTestId(`scan-redact-${versions.memo}`));
  await waitFor(() =>
    expect(within(panel).getByTestId(`share-version-${versions.memo}`)).not.toBeChecked(),
  );
  const matter = (await backend.matterList({})).items[0];
  const redacted = (await backend.documentList(matter?.id ?? ""))
    .map((d) => d.latest)
    .find((v) => v.file_name.startsWith("redacted-"));
  const redactedId = redacted?.id ?? "missing";
  expect(redacted).toBeDefined();
  await waitFor(() =>
    expect(within(panel).getByTestId(`share-version-${redactedId}`)).toBeChecked(),
  );
  const asked = backend.exchange.callsOf("scanShare").at(-1) as [{ document_versions: string[] }];
  expect(asked[0].document_versions).toEqual([redactedId]);
});

it("offers the override of a block only to an attorney at the desk, and sends with the reason", async () => {
  const { backend, user, assignment, versions } = await setup();
  backend.exchange.channels.set(
    assignment.id,
    channel(assignment.id, { members: [me(), member({ verified_at: "2026-11-27T10:00:00Z" })] }),
  );
  backend.exchange.guard = {
    decision: "block",
    consent_id: null,
    reasons: [
      {
        rule: "consent.missing",
        source: "ABA Formal Op. 08-451",
        blocks: true,
        message: "No client consent is on file.",
        fix: "Record the client's informed consent.",
      },
    ],
  };
  const paralegal = {
    id: "p-1",
    name: "Pat Lee",
    role: "paralegal" as const,
    bar_admission: null,
    created_at: "2026-11-01T00:00:00Z",
  };
  backend.exchange.people.push(paralegal);
  backend.exchange.desk = paralegal;
  await user.click(await screen.findByTestId("share-open"));
  const panel = await screen.findByTestId("share-panel");
  await user.click(await within(panel).findByTestId(`share-version-${versions.memo}`));
  expect(await within(panel).findByTestId("share-override-none")).toHaveTextContent(
    "Only an attorney may override",
  );
  expect(within(panel).queryByTestId("share-override")).toBeNull();
  // An attorney at the desk (chosen in Settings): the panel, opened again, offers it.
  cleanupAndAttorney(backend);
  await user.click(within(panel).getByTestId("share-close"));
  // Ticked items are unsaved input: closing may ask first.
  const discard = screen.queryByTestId("discard-changes");
  if (discard) await user.click(discard);
  await user.click(await screen.findByTestId("share-open"));
  const again = await screen.findByTestId("share-panel");
  await user.click(await within(again).findByTestId(`share-version-${versions.memo}`));
  const override = await within(again).findByTestId("share-override");
  expect(override).toBeDisabled();
  await user.type(within(again).getByTestId("override-reason"), "Consent arrives Monday.");
  await user.click(override);
  expect(backend.exchange.callsOf("shareSend").at(-1)).toEqual([
    {
      assignment_id: assignment.id,
      brief: false,
      document_versions: [versions.memo],
      deadlines: [],
    },
    "Consent arrives Monday.",
  ]);
});

it("redacts with one fetch of the matter's documents: the change event's", async () => {
  const { backend, user, assignment, versions } = await setup({ laterEvents: true });
  backend.exchange.channels.set(
    assignment.id,
    channel(assignment.id, { members: [me(), member({ verified_at: "2026-11-27T10:00:00Z" })] }),
  );
  backend.exchange.scans = [
    {
      kind: "document",
      id: versions.memo,
      label: "Memo.txt v1",
      findings: [
        {
          hit: { kind: "ssn", start: 0, end: 11, text: "123-45-6789", context: "SSN 123-45-6789" },
          kept_by: null,
          kept_at: null,
        },
      ],
    },
  ];
  await user.click(await screen.findByTestId("share-open"));
  const panel = await screen.findByTestId("share-panel");
  await user.click(await within(panel).findByTestId(`share-version-${versions.memo}`));
  const scan = await within(panel).findByTestId("share-scan");
  const list = vi.spyOn(backend, "documentList");
  await user.click(within(scan).getByTestId(`scan-redact-${versions.memo}`));
  // The redacted copy is listed (a fourth version), ticked instead of the original.
  await waitFor(() => expect(within(panel).getAllByTestId(/^share-version-/)).toHaveLength(4));
  expect(within(panel).getByTestId(`share-version-${versions.memo}`)).not.toBeChecked();
  await new Promise((r) => setTimeout(r, 100));
  expect(list).toHaveBeenCalledTimes(1);
});

function cleanupAndAttorney(backend: ReturnType<typeof memoryBackend>) {
  const attorney = {
    id: "p-2",
    name: "Jane Smith",
    role: "attorney" as const,
    bar_admission: "NY 4512290",
    created_at: "2026-11-01T00:00:00Z",
  };
  backend.exchange.people.push(attorney);
  backend.exchange.desk = attorney;
}
