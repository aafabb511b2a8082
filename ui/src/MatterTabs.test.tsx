import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { App } from "./App";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import { AUTHOR_KEY } from "./components/MatterMessages";

async function setup({ provider = true } = {}) {
  const backend = memoryBackend([], "2026-11-27");
  const matter = await backend.matterCreate({
    number: "2026-0142",
    title: "Acme v. Widget",
    client_name: "Acme Corp",
  });
  const lex = provider
    ? await backend.providerCreate({ legal_name: "Lex Review Pvt Ltd", countries: ["IN"] })
    : null;
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await user.click(await screen.findByTestId("matter-row"));
  await screen.findByTestId("matter-detail");
  return { backend, user, matterId: matter.id, providerId: lex?.id ?? "" };
}

beforeEach(() => localStorage.clear());

describe("matter tabs", () => {
  it("moves between tabs with the arrow keys, Home and End", async () => {
    const { user } = await setup();
    const overview = screen.getByRole("tab", { name: "Overview" });
    expect(overview).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tabpanel")).toHaveAttribute("aria-labelledby", "tab-overview");
    // One Tab stop for the whole tab list.
    expect(screen.getAllByRole("tab").filter((t) => t.tabIndex === 0)).toEqual([overview]);

    overview.focus();
    await user.keyboard("{ArrowRight}");
    const parties = screen.getByRole("tab", { name: "Parties" });
    expect(parties).toHaveFocus();
    expect(parties).toHaveAttribute("aria-selected", "true");
    expect(screen.getByRole("tabpanel")).toHaveAttribute("id", "tabpanel-parties");
    expect(await screen.findByTestId("parties-empty")).toBeInTheDocument();

    await user.keyboard("{End}");
    expect(screen.getByRole("tab", { name: "History" })).toHaveFocus();
    await user.keyboard("{ArrowRight}");
    expect(overview).toHaveFocus();
    expect(overview).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{ArrowLeft}");
    expect(screen.getByRole("tab", { name: "History" })).toHaveAttribute("aria-selected", "true");
    expect(screen.getByTestId("matter-history")).toBeInTheDocument();
    await user.keyboard("{Home}");
    expect(overview).toHaveFocus();
    expect(screen.getByTestId("edit-matter")).toBeInTheDocument();
    // Tab leaves the tab list for the panel.
    await user.tab();
    expect(screen.getByRole("tabpanel")).toHaveFocus();
  });

  it("adds a new party with a role, links an existing one, and edits a role", async () => {
    const { backend, user, matterId } = await setup();
    await backend.partyCreate({
      name: "Widget GmbH",
      kind: "organisation",
      aliases: ["Widget Werke"],
    });
    await user.click(screen.getByTestId("tab-parties"));
    await user.click(await screen.findByTestId("party-add"));

    // A new party: name, kind, aliases, and its role.
    await user.click(screen.getByTestId("party-mode-new"));
    await user.type(screen.getByTestId("party-name"), "Jane Roe");
    await user.selectOptions(screen.getByTestId("party-kind"), "person");
    await user.type(screen.getByTestId("party-aliases"), "J. Roe, Jane R.");
    await user.selectOptions(screen.getByTestId("party-role"), "witness");
    await user.click(screen.getByTestId("party-save"));
    const rows = await screen.findAllByTestId("party-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent("Jane Roe");
    expect(rows[0]).toHaveTextContent("Witness");
    const roe = (await backend.partyList({})).items.find((p) => p.name === "Jane Roe");
    expect(roe?.aliases).toEqual(["J. Roe", "Jane R."]);

    // One already recorded, found by an alias. What a search finds is the store's
    // (crates/store tests it): here the test says what it answers.
    const found: Record<string, string[]> = { werke: ["Widget GmbH"], widget: ["Widget GmbH"] };
    const allParties = backend.partyList;
    vi.spyOn(backend, "partyList").mockImplementation(async (f) => {
      const page = await allParties(f);
      const names = found[f.query ?? ""];
      if (!names) return page;
      const items = page.items.filter((p) => names.includes(p.name));
      return { items, total: items.length };
    });
    await user.click(screen.getByTestId("party-add"));
    await user.type(screen.getByTestId("party-search"), "werke");
    // Only the parties recorded under what is typed.
    await vi.waitFor(() => expect(screen.queryByRole("radio", { name: /Jane Roe/ })).toBeNull());
    await user.click(await screen.findByRole("radio", { name: /Widget GmbH/ }));
    await user.selectOptions(screen.getByTestId("party-role"), "adverse");
    await user.click(screen.getByTestId("party-save"));
    await vi.waitFor(() => expect(screen.getAllByTestId("party-row")).toHaveLength(2));
    const widget = screen
      .getAllByTestId("party-row")
      .find((r) => r.textContent?.includes("Widget"));
    expect(widget).toHaveTextContent("Adverse party");

    // The same role twice is refused beside the role.
    await user.click(screen.getByTestId("party-add"));
    await user.type(screen.getByTestId("party-search"), "widget");
    await user.click(await screen.findByRole("radio", { name: /Widget GmbH/ }));
    await user.selectOptions(screen.getByTestId("party-role"), "adverse");
    await user.click(screen.getByTestId("party-save"));
    expect(await screen.findByTestId("error-role")).toHaveTextContent("already linked");
    await user.click(screen.getByTestId("party-cancel"));

    // Edit: the role in this matter.
    await user.click(screen.getByRole("button", { name: "Edit Jane Roe (Witness)" }));
    await user.selectOptions(await screen.findByTestId("party-edit-role"), "co_party");
    await vi.waitFor(() =>
      expect(screen.getByTestId("party-edit-aliases")).toHaveValue("J. Roe, Jane R."),
    );
    await user.click(screen.getByTestId("party-edit-save"));
    await vi.waitFor(() =>
      expect(
        screen.getAllByTestId("party-row").find((r) => r.textContent?.includes("Jane Roe")),
      ).toHaveTextContent("Co-party"),
    );
    const links = await backend.matterPartyList(matterId);
    expect(links.map((l) => [l.party_name, l.role])).toEqual([
      ["Jane Roe", "co_party"],
      ["Widget GmbH", "adverse"],
    ]);
  });

  it("asks for parties once per pause in typing, with the whole word", async () => {
    const { backend, user } = await setup();
    await backend.partyCreate({ name: "Widget GmbH", kind: "organisation", aliases: [] });
    const search = vi.spyOn(backend, "partyList");
    await user.click(screen.getByTestId("tab-parties"));
    await user.click(await screen.findByTestId("party-add"));
    await screen.findByRole("radio", { name: /Widget GmbH/ });
    search.mockClear();
    await user.type(screen.getByTestId("party-search"), "widget");
    await vi.waitFor(() => expect(search).toHaveBeenCalled());
    // Past the pause: nothing more is asked.
    await new Promise((r) => setTimeout(r, 300));
    expect(search.mock.calls).toEqual([[{ query: "widget", limit: 20 }]]);
    expect(screen.getByRole("radio", { name: /Widget GmbH/ })).toBeInTheDocument();
  });

  it("records a consent, showing an error beside its field, then corrects it", async () => {
    const { backend, user, matterId, providerId } = await setup();
    await user.click(screen.getByTestId("tab-consents"));
    expect(await screen.findByTestId("consents-empty")).toHaveTextContent("record the client");
    await user.click(screen.getByTestId("consent-add"));
    await user.selectOptions(screen.getByTestId("consent-provider"), providerId);
    await user.type(screen.getByTestId("consent-scope"), "First-level document review");
    await user.click(screen.getByTestId("consent-class-protective_order"));
    await user.type(screen.getByTestId("consent-countries"), "IN, PH");
    // A date Rust refused as in the future (bindings/rules.ts REFUSALS).
    await user.type(screen.getByTestId("consent-given-on"), "2026-12-25");
    await user.type(screen.getByTestId("consent-evidence"), "Email from GC, DMS 4411");
    await user.click(screen.getByTestId("consent-save"));

    const err = await screen.findByTestId("error-given_on");
    expect(err).toHaveTextContent("in the future");
    const given = screen.getByTestId("consent-given-on");
    // Beside the field: in the same label, and the field points at it.
    expect(given.closest("label")).toContainElement(err);
    expect(given).toHaveAttribute("aria-invalid", "true");
    expect(given).toHaveAttribute("aria-describedby", err.id);
    expect(screen.getByTestId("consent-scope")).not.toHaveAttribute("aria-invalid");
    expect(screen.queryByRole("alert")).toBeNull();

    await user.clear(given);
    await user.type(given, "2026-03-02");
    await user.click(screen.getByTestId("consent-save"));
    const row = await screen.findByTestId("consent-row");
    expect(row).toHaveTextContent("First-level document review");
    expect(row).toHaveTextContent("Lex Review Pvt Ltd");
    expect(row).toHaveTextContent("IN, PH");
    expect(row).toHaveTextContent("Under a protective order");

    await user.click(within(row).getByTestId("consent-edit"));
    expect(screen.getByTestId("consent-provider")).toBeDisabled();
    await user.clear(screen.getByTestId("consent-countries"));
    await user.type(screen.getByTestId("consent-countries"), "IN");
    await user.click(screen.getByTestId("consent-save"));
    await vi.waitFor(async () =>
      expect((await backend.consentList({ matter_id: matterId }))[0]?.countries).toEqual(["IN"]),
    );
    expect(await screen.findByTestId("consent-row")).not.toHaveTextContent("PH");

    // The consent also covers the provider's use of AI, with its evidence.
    await user.click(within(await screen.findByTestId("consent-row")).getByTestId("consent-edit"));
    expect(screen.queryByTestId("consent-ai-evidence")).toBeNull();
    await user.click(screen.getByTestId("consent-covers-ai"));
    await user.type(screen.getByTestId("consent-ai-evidence"), "AI addendum, DMS 4412");
    await user.click(screen.getByTestId("consent-save"));
    await vi.waitFor(async () => {
      const [c] = await backend.consentList({ matter_id: matterId });
      expect([c?.covers_ai_use, c?.ai_use_evidence]).toEqual([true, "AI addendum, DMS 4412"]);
    });
    expect(await screen.findByTestId("consent-ai-use")).toHaveTextContent(
      "Covers the provider's use of AI (evidence: AI addendum, DMS 4412)",
    );
  });

  it("writes a work order, then offers only the firm's moves: draft → sent", async () => {
    const { backend, user, matterId } = await setup();
    await user.click(screen.getByTestId("tab-assignments"));
    expect(await screen.findByTestId("assignments-empty")).toHaveTextContent("Write a work order");
    await user.click(screen.getByTestId("assignment-add"));
    await user.selectOptions(screen.getByTestId("assignment-provider"), "Lex Review Pvt Ltd");
    await user.type(screen.getByTestId("assignment-scope"), "First-level review of email");
    await user.type(screen.getByTestId("assignment-instructions"), "Tag privilege.");
    await user.type(screen.getByTestId("assignment-due-on"), "2026-12-15");
    await user.type(screen.getByTestId("assignment-budget"), "12,000.50");
    await user.selectOptions(screen.getByTestId("assignment-billing"), "fee");
    await user.click(screen.getByTestId("assignment-save"));
    // The supervising attorney is required, and said so beside the field.
    expect(await screen.findByTestId("error-supervising_attorney")).toHaveTextContent("attorney");
    await user.type(screen.getByTestId("assignment-supervisor"), "Jane Smith");
    await user.click(screen.getByTestId("assignment-save"));

    const row = await screen.findByTestId("assignment-row");
    expect(within(row).getByTestId("assignment-status")).toHaveTextContent("Draft");
    // The amount goes to Rust as typed, with its currency; the row shows Rust's text.
    expect(row).toHaveTextContent("USD 12,000.50");
    const [saved] = (await backend.assignmentList({ matter_id: matterId })).items;
    expect([saved?.budget?.amount, saved?.budget?.currency, saved?.billing_mode]).toEqual([
      "12,000.50",
      "USD",
      "fee",
    ]);

    // Draft: the firm may send or cancel, nothing else.
    await within(row).findByTestId("assignment-move-sent");
    const moves = () =>
      within(screen.getByTestId("assignment-row"))
        .queryAllByTestId(/^assignment-move-/)
        .map((b) => b.getAttribute("data-testid"));
    expect(moves()).toEqual(["assignment-move-sent", "assignment-move-cancelled"]);
    await user.click(within(row).getByTestId("assignment-move-sent"));
    await vi.waitFor(() =>
      expect(screen.getByTestId("assignment-row")).toHaveAttribute("data-status", "sent"),
    );
    expect(screen.getByTestId("assignment-status")).toHaveTextContent("Sent");
    // Sent: the provider accepts; the firm may only cancel.
    await vi.waitFor(() => expect(moves()).toEqual(["assignment-move-cancelled"]));
    expect(screen.getByTestId("assignment-waiting")).toHaveTextContent("Waiting for the provider");
    expect((await backend.assignmentList({ matter_id: matterId })).items[0]?.status).toBe("sent");

    // Edit the terms: clearing the budget.
    await user.click(screen.getByTestId("assignment-edit"));
    expect(screen.getByTestId("assignment-budget")).toHaveValue("12,000.50");
    await user.clear(screen.getByTestId("assignment-budget"));
    await user.click(screen.getByTestId("assignment-save"));
    await vi.waitFor(async () =>
      expect((await backend.assignmentList({ matter_id: matterId })).items[0]?.budget).toBe(null),
    );
  });

  it("says to add a provider first when there is none", async () => {
    const { user } = await setup({ provider: false });
    await user.click(screen.getByTestId("tab-assignments"));
    expect(await screen.findByTestId("assignments-empty")).toHaveTextContent("under Providers");
    expect(screen.queryByTestId("assignment-add")).toBeNull();
  });

  it("posts a message and lists it newest first, loading older ones on request", async () => {
    const { backend, user, matterId } = await setup();
    for (let i = 1; i <= 22; i++) {
      await backend.messageCreate({
        matter_id: matterId,
        author: "Raj Patel",
        body: `Old note ${i}`,
        sent_at: `2026-01-${String(i).padStart(2, "0")}T10:00:00.000Z`,
      });
    }
    await user.click(screen.getByTestId("tab-messages"));
    let items = await screen.findAllByTestId("message-item");
    expect(items).toHaveLength(20);
    expect(items[0]).toHaveTextContent("Old note 22");
    await user.click(screen.getByTestId("message-load-older"));
    await vi.waitFor(() => expect(screen.getAllByTestId("message-item")).toHaveLength(22));
    expect(screen.getAllByTestId("message-item")[21]).toHaveTextContent("Old note 1");
    expect(screen.queryByTestId("message-load-older")).toBeNull();

    // Nothing written: said beside the text box.
    await user.type(screen.getByTestId("message-author"), "Jane Smith");
    await user.click(screen.getByTestId("message-send"));
    expect(await screen.findByTestId("error-body")).toHaveTextContent("Write the message");

    await user.type(screen.getByTestId("message-body"), "Call with the GC.{Enter}She agrees.");
    await user.click(screen.getByTestId("message-send"));
    // The change event loads the newest again, as many as were shown: the new note
    // on top, the oldest now one request away.
    await vi.waitFor(() =>
      expect(screen.getAllByTestId("message-item")[0]).toHaveTextContent("Jane Smith"),
    );
    items = screen.getAllByTestId("message-item");
    expect(items).toHaveLength(22);
    expect(items[21]).toHaveTextContent("Old note 2");
    expect(screen.getByTestId("message-load-older")).toBeInTheDocument();
    expect(within(items[0] as HTMLElement).getByTestId("message-text").textContent).toBe(
      "Call with the GC.\nShe agrees.",
    );
    expect(screen.getByTestId("message-body")).toHaveValue("");
    expect(screen.queryByTestId("error-body")).toBeNull();
    expect(localStorage.getItem(AUTHOR_KEY)).toBe("Jane Smith");
    const page = await backend.messageList(matterId, null, 1);
    expect(page.items[0]?.body).toBe("Call with the GC.\nShe agrees.");
  });

  it("starts a conversation from an empty matter with Ctrl+Enter", async () => {
    localStorage.setItem(AUTHOR_KEY, "Jane Smith");
    const { user } = await setup();
    await user.click(screen.getByTestId("tab-messages"));
    expect(await screen.findByTestId("messages-empty")).toHaveTextContent("Write the first one");
    expect(screen.getByTestId("message-author")).toHaveValue("Jane Smith");
    await user.type(screen.getByTestId("message-body"), "First note{Control>}{Enter}{/Control}");
    expect(await screen.findByTestId("message-item")).toHaveTextContent("First note");
    expect(screen.queryByTestId("messages-empty")).toBeNull();
  });
});

describe("provider file", () => {
  it("edits a provider from its file", async () => {
    const backend = memoryBackend();
    await backend.providerCreate({
      legal_name: "Lex Review",
      countries: ["IN"],
      nda_on_file: true,
      nda_signed_on: "2026-01-05",
    });
    const user = userEvent.setup();
    render(
      <BackendContext.Provider value={backend}>
        <App />
      </BackendContext.Provider>,
    );
    await user.click(await screen.findByTestId("nav-providers"));
    await user.click(await screen.findByTestId("provider-row"));
    await user.click(await screen.findByTestId("edit-provider"));
    const form = await screen.findByTestId("provider-form");
    expect(within(form).getByRole("heading")).toHaveTextContent("Edit provider");
    await vi.waitFor(() =>
      expect(within(form).getByTestId("field-legal_name")).toHaveValue("Lex Review"),
    );
    await user.clear(within(form).getByTestId("field-countries"));
    await user.type(within(form).getByTestId("field-countries"), "india");
    await user.click(within(form).getByTestId("save-provider"));
    expect(await screen.findByTestId("error-countries")).toHaveTextContent("use two letters");

    await user.clear(within(form).getByTestId("field-legal_name"));
    await user.type(within(form).getByTestId("field-legal_name"), "Lex Review Pvt Ltd");
    await user.clear(within(form).getByTestId("field-countries"));
    await user.type(within(form).getByTestId("field-countries"), "in, ph");
    await user.clear(within(form).getByTestId("field-nda"));
    await user.click(within(form).getByTestId("save-provider"));
    const file = await screen.findByTestId("provider-file");
    expect(within(file).getByTestId("provider-name")).toHaveTextContent("Lex Review Pvt Ltd");
    expect(file).toHaveTextContent("IN, PH");
    const [p] = (await backend.providerList({})).items;
    expect([p?.nda_on_file, p?.nda_signed_on, p?.revision]).toEqual([false, null, 2]);
  });
});
