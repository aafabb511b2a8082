import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { App } from "./App";
import type { Backend } from "./api/backend";
import { BackendContext } from "./api/context";
import { memoryBackend, noHits } from "./api/memory";
import { SNIPPET_EXAMPLES } from "./bindings/rules";

function renderApp(backend: Backend = memoryBackend()) {
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  return { user, backend };
}

async function openMatter(
  user: ReturnType<typeof userEvent.setup>,
  fields: { number: string; title: string; client: string },
) {
  await user.click(screen.getByTestId("new-matter"));
  const form = screen.getByTestId("matter-form");
  if (fields.number) await user.type(within(form).getByTestId("field-number"), fields.number);
  if (fields.title) await user.type(within(form).getByTestId("field-title"), fields.title);
  if (fields.client) await user.type(within(form).getByTestId("field-client_name"), fields.client);
  await user.click(within(form).getByTestId("save-matter"));
}

describe("matters screen", () => {
  it("shows an empty state that says what to do", async () => {
    renderApp();
    expect(await screen.findByTestId("matters-empty")).toHaveTextContent("Open your first matter");
  });

  it("opens a matter and lists it", async () => {
    const { user } = renderApp();
    await screen.findByTestId("matters-empty");
    await openMatter(user, { number: "2026-001", title: "Acme v. Widget", client: "Acme Corp" });
    expect(await screen.findByTestId("detail-title")).toHaveTextContent("Acme v. Widget");
    const rows = await screen.findAllByTestId("matter-row");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent("Acme Corp");
  });

  it("shows a validation error beside the field it belongs to", async () => {
    const { user } = renderApp();
    await screen.findByTestId("matters-empty");
    await openMatter(user, { number: "2026-002", title: "", client: "Beta LLC" });
    const err = await screen.findByTestId("error-title");
    expect(err).toHaveTextContent("Enter a title.");
    expect(screen.getByTestId("field-title")).toHaveAttribute("aria-invalid", "true");
    expect(screen.queryByTestId("error-number")).toBeNull();
  });

  it("refuses a duplicate number beside the number field", async () => {
    const { user } = renderApp();
    await screen.findByTestId("matters-empty");
    // Rust refused "ui-1" in a store holding UI-1 (bindings/rules.ts REFUSALS).
    await openMatter(user, { number: "UI-1", title: "First", client: "C" });
    await screen.findByTestId("detail-title");
    await openMatter(user, { number: "ui-1", title: "Second", client: "C" });
    expect(await screen.findByTestId("error-number")).toHaveTextContent("already in use");
  });

  it("filters the list as the person types", async () => {
    const backend = memoryBackend();
    await backend.matterCreate({ number: "A-1", title: "Alpha lease", client_name: "Alpha" });
    await backend.matterCreate({ number: "B-2", title: "Beta merger", client_name: "Beta" });
    // What a query finds is the store's (tested in Rust): this one answers B-2.
    const kept = backend.matterList;
    const list = vi.spyOn(backend, "matterList").mockImplementation(async (f) => {
      const page = await kept(f);
      return f.query ? { ...page, items: page.items.filter((m) => m.number === "B-2") } : page;
    });
    const { user } = renderApp(backend);
    expect(await screen.findAllByTestId("matter-row")).toHaveLength(2);
    await user.type(screen.getByTestId("matter-search"), "merg");
    await vi.waitFor(() => expect(screen.getAllByTestId("matter-row")).toHaveLength(1));
    expect(screen.getByTestId("matter-row")).toHaveAttribute("data-number", "B-2");
    // One request for the whole word, once the typing paused.
    expect(list.mock.calls.map(([f]) => f.query).filter(Boolean)).toEqual(["merg"]);
  });

  it("edits and closes a matter, and the list follows", async () => {
    const backend = memoryBackend();
    await backend.matterCreate({ number: "E-1", title: "Old title", client_name: "Echo" });
    const { user } = renderApp(backend);
    await user.click(await screen.findByTestId("matter-row"));
    await user.click(await screen.findByTestId("edit-matter"));
    const title = await screen.findByTestId("field-title");
    await vi.waitFor(() => expect(title).toHaveValue("Old title"));
    await user.clear(title);
    await user.type(title, "New title");
    await user.click(screen.getByTestId("save-matter"));
    expect(await screen.findByTestId("detail-title")).toHaveTextContent("New title");
    await user.click(screen.getByTestId("toggle-status"));
    await vi.waitFor(() => expect(screen.getByTestId("detail-status")).toHaveTextContent("closed"));
    // The list shows open matters by default, so the closed one leaves it.
    await vi.waitFor(() => expect(screen.queryAllByTestId("matter-row")).toHaveLength(0));
  });

  it("shows the locked screen when the store cannot be opened", async () => {
    const backend: Backend = {
      ...memoryBackend(),
      appInfo: async () => ({
        version: "t",
        data_dir: "/x",
        data_dir_source: "test",
        store_error: {
          code: "locked",
          message: "This store is locked: its key is not in your keyring.",
        },
        passphrase_protected: false,
        audit_warning: null,
      }),
    };
    renderApp(backend);
    const screenEl = await screen.findByTestId("store-error");
    expect(screenEl).toHaveTextContent("Your store is locked");
    expect(screenEl).toHaveTextContent("not in your keyring");
  });
});

it("locks on request and unlocks with the passphrase, refusing a wrong one", async () => {
  const backend = memoryBackend();
  await backend.matterCreate({ number: "L-1", title: "Locked matter", client_name: "C" });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  expect(await screen.findByTestId("matter-row")).toHaveTextContent("Locked matter");
  await user.click(screen.getByTestId("lock-now"));
  expect(await screen.findByText("Enter your passphrase")).toBeInTheDocument();
  expect(screen.queryByTestId("matter-row")).toBeNull();

  await user.type(screen.getByTestId("passphrase"), "wrong guess of a passphrase");
  await user.click(screen.getByTestId("unlock"));
  expect(await screen.findByTestId("unlock-error")).toHaveTextContent("does not open");

  await user.type(screen.getByTestId("passphrase"), "correct horse battery staple");
  await user.click(screen.getByTestId("unlock"));
  expect(await screen.findByTestId("matter-row")).toHaveTextContent("Locked matter");
});

it("shows the unlock screen when Rust locks the store on its own (idle minutes)", async () => {
  const backend = memoryBackend();
  await backend.matterCreate({ number: "I-1", title: "Idle matter", client_name: "C" });
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  expect(await screen.findByTestId("matter-row")).toHaveTextContent("Idle matter");
  // Not through the window's button: the lock event alone must clear the screen.
  await act(() => backend.storeLock());
  expect(await screen.findByText("Enter your passphrase")).toBeInTheDocument();
  expect(screen.queryByTestId("matter-row")).toBeNull();
});

it("offers no Lock button for a keyring store, and warns of a cut history", async () => {
  const base = memoryBackend();
  const backend: Backend = {
    ...base,
    appInfo: async () => ({
      ...(await base.appInfo()),
      passphrase_protected: false,
      audit_warning: "The newest 2 history records were removed.",
    }),
  };
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  expect(await screen.findByTestId("keyring-lock-note")).toHaveTextContent("lock your session");
  expect(screen.queryByTestId("lock-now")).toBeNull();
  expect(screen.getByTestId("audit-warning")).toHaveTextContent("history records were removed");
});

it("Ctrl+K finds a matter and a provider and opens what is chosen", async () => {
  const backend = memoryBackend();
  await backend.matterCreate({
    number: "2026-0142",
    title: "Acme v. Widget",
    client_name: "Acme Corp",
  });
  const p = await backend.providerCreate({ legal_name: "Acme Review Services" });
  backend.searchAnswers.set("acme", { ...noHits, matters: backend.matters, providers: [p] });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await screen.findByTestId("matter-row");
  await user.keyboard("{Control>}k{/Control}");
  await user.type(await screen.findByTestId("search-input"), "acme");
  await vi.waitFor(() => expect(screen.getAllByTestId("search-hit")).toHaveLength(2));
  const kinds = screen.getAllByTestId("search-hit").map((h) => h.getAttribute("data-kind"));
  expect(kinds).toEqual(["Matters", "Providers"]);
  await user.keyboard("{ArrowDown}{Enter}");
  expect(await screen.findByTestId("provider-name")).toHaveTextContent("Acme Review Services");
  expect(screen.queryByTestId("search-palette")).toBeNull();
});

it("asks for the matter list in the order of the column clicked and shows it so", async () => {
  const backend = memoryBackend();
  for (const [n, t, c] of [
    ["B-2", "Alpha lease", "Zed"],
    ["A-1", "Beta merger", "Young"],
  ] as const)
    await backend.matterCreate({ number: n, title: t, client_name: c });
  // The order is the store's (matter_list_tests.rs): the answer here is reversed for
  // every sort but the first, so the rows show the order they were given.
  const kept = backend.matterList;
  const list = vi.spyOn(backend, "matterList").mockImplementation(async (f) => {
    const page = await kept(f);
    return f.sort === "opened_desc" ? page : { ...page, items: [...page.items].reverse() };
  });
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <App />
    </BackendContext.Provider>,
  );
  await screen.findAllByTestId("matter-row");
  const order = () => screen.getAllByTestId("matter-row").map((r) => r.getAttribute("data-number"));
  expect(order()).toEqual(["A-1", "B-2"]);
  for (const sort of ["number", "title", "client"] as const) {
    await user.click(screen.getByTestId(`sort-${sort}`));
    await vi.waitFor(() => expect(list.mock.lastCall?.[0].sort).toBe(sort));
    await vi.waitFor(() => expect(order()).toEqual(["B-2", "A-1"]));
  }
  expect(screen.getByTestId("sort-client").closest("th")).toHaveAttribute("aria-sort", "ascending");
});

describe("side panel and Escape", () => {
  it("asks before Escape throws away what was typed, and keeps it on request", async () => {
    const { user } = renderApp();
    await screen.findByTestId("matters-empty");
    await user.click(screen.getByTestId("new-matter"));
    const title = within(screen.getByTestId("matter-form")).getByTestId("field-title");
    await user.type(title, "Half-typed title");

    await user.keyboard("{Escape}");
    const dialog = await screen.findByRole("alertdialog", { name: "Discard unsaved changes?" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(screen.getByTestId("matter-form")).toBeInTheDocument();
    // Focus starts on "Keep editing" and Tab cannot leave the question.
    expect(screen.getByTestId("discard-keep")).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId("discard-changes")).toHaveFocus();
    await user.tab();
    expect(screen.getByTestId("discard-keep")).toHaveFocus();
    await user.click(screen.getByTestId("discard-keep"));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(screen.getByTestId("field-title")).toHaveValue("Half-typed title");
    expect(screen.getByTestId("field-title")).toHaveFocus();

    // Escape inside the question keeps editing too.
    await user.keyboard("{Escape}");
    await screen.findByRole("alertdialog");
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(screen.getByTestId("field-title")).toHaveValue("Half-typed title");

    await user.keyboard("{Escape}");
    await user.click(await screen.findByTestId("discard-changes"));
    expect(screen.queryByTestId("matter-form")).toBeNull();
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("asks the same before Ctrl+N, the sidebar or the close button replace the panel", async () => {
    const { user } = renderApp();
    await screen.findByTestId("matters-empty");
    await user.click(screen.getByTestId("new-matter"));
    await user.type(screen.getByTestId("field-title"), "Half-typed title");

    // Ctrl+N would open a fresh form over this one: it asks, and keeps on request.
    await user.keyboard("{Control>}n{/Control}");
    await screen.findByRole("alertdialog", { name: "Discard unsaved changes?" });
    await user.click(screen.getByTestId("discard-keep"));
    expect(screen.getByTestId("field-title")).toHaveValue("Half-typed title");

    // Another screen from the sidebar: asks, and once discarded goes there.
    await user.click(screen.getByTestId("nav-providers"));
    await screen.findByRole("alertdialog", { name: "Discard unsaved changes?" });
    expect(screen.getByTestId("nav-matters")).toHaveAttribute("aria-current", "page");
    await user.click(screen.getByTestId("discard-changes"));
    expect(screen.queryByTestId("matter-form")).toBeNull();
    expect(screen.getByTestId("nav-providers")).toHaveAttribute("aria-current", "page");
  });

  it("closes at once when nothing was typed, or once it was saved", async () => {
    const { user } = renderApp();
    await screen.findByTestId("matters-empty");
    await user.click(screen.getByTestId("new-matter"));
    await screen.findByTestId("matter-form");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("matter-form")).toBeNull();
    expect(screen.queryByRole("alertdialog")).toBeNull();

    await openMatter(user, { number: "S-1", title: "Saved", client: "C" });
    expect(await screen.findByTestId("detail-title")).toHaveTextContent("Saved");
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("detail-title")).toBeNull();
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });
});

describe("search palette", () => {
  async function openPalette(backend: Backend) {
    const user = userEvent.setup();
    render(
      <BackendContext.Provider value={backend}>
        <App />
      </BackendContext.Provider>,
    );
    await screen.findAllByTestId("matter-row");
    screen.getByTestId("open-search").focus();
    await user.keyboard("{Control>}k{/Control}");
    return user;
  }

  it("is a labelled modal dialog whose combobox points at the active hit", async () => {
    const backend = memoryBackend();
    await backend.matterCreate({
      number: "2026-0142",
      title: "Acme v. Widget",
      client_name: "Acme",
    });
    const p = await backend.providerCreate({ legal_name: "Acme Review Services" });
    backend.searchAnswers.set("acme", { ...noHits, matters: backend.matters, providers: [p] });
    const user = await openPalette(backend);

    const dialog = await screen.findByRole("dialog", { name: "Search" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    const box = within(dialog).getByRole("combobox", { name: /search matters/i });
    expect(box).toHaveFocus();
    await user.type(box, "acme");
    await vi.waitFor(() => expect(within(dialog).getAllByRole("option")).toHaveLength(2));
    const [first, second] = within(dialog).getAllByRole("option");
    expect(box).toHaveAttribute("aria-expanded", "true");
    expect(box).toHaveAttribute("aria-controls", within(dialog).getByRole("listbox").id);
    expect(box).toHaveAttribute("aria-activedescendant", first?.id);
    expect(first).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{ArrowDown}");
    expect(box).toHaveAttribute("aria-activedescendant", second?.id);
    expect(second).toHaveAttribute("aria-selected", "true");
    expect(first).toHaveAttribute("aria-selected", "false");
    expect(within(dialog).getByRole("group", { name: "Providers" })).toContainElement(
      second ?? null,
    );

    // Focus cannot leave the dialog.
    await user.tab();
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
    await user.tab({ shift: true });
    expect(dialog).toContainElement(document.activeElement as HTMLElement);

    // Escape closes the palette only, and focus goes back where it was.
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(screen.getByTestId("open-search")).toHaveFocus();
  });

  it("highlights the matched words of snippets as text, never as markup", async () => {
    const backend = memoryBackend();
    const m = await backend.matterCreate({ number: "P-1", title: "Privilege", client_name: "C" });
    // The snippet Rust's search made of this body (bindings/rules.ts).
    const [example] = SNIPPET_EXAMPLES;
    if (!example) throw new Error("no snippet example");
    const message = await backend.messageCreate({
      matter_id: m.id,
      author: "Ann",
      body: example.body,
    });
    backend.searchAnswers.set(example.query, {
      ...noHits,
      messages: [{ ...message, matter_number: m.number, snippet: example.snippet }],
    });
    const user = await openPalette(backend);
    await user.type(await screen.findByTestId("search-input"), example.query);
    const hit = await vi.waitFor(() => {
      const h = screen.getAllByTestId("search-hit").find((x) => x.dataset.kind === "Messages");
      if (!h) throw new Error("no message hit yet");
      return h;
    });
    const marks = Array.from(hit.querySelectorAll("mark"), (x) => x.textContent);
    expect(marks).toEqual(["privilege"]);
    expect(hit).toHaveTextContent(example.snippet.map((p) => p.text).join(""));
    expect(hit).toHaveTextContent("[draft] <b>privilege</b> log");
    expect(hit.querySelector("b")).toBeNull();
  });
});
