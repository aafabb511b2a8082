import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createRef } from "react";
import { describe, expect, it, vi } from "vitest";
import { App } from "./App";
import type { Backend } from "./api/backend";
import { BackendContext } from "./api/context";
import { memoryBackend } from "./api/memory";
import type { MatterFilter } from "./bindings/MatterFilter";
import type { MatterPage } from "./bindings/MatterPage";
import { MatterList, PAGE, ROW_HEIGHT } from "./components/MatterList";

function renderList(backend: Backend, onOpen = vi.fn()) {
  const user = userEvent.setup();
  render(
    <BackendContext.Provider value={backend}>
      <MatterList
        searchRef={createRef<HTMLInputElement>()}
        selectedId={null}
        onOpen={onOpen}
        onNew={() => {}}
      />
    </BackendContext.Provider>,
  );
  return { user, onOpen };
}

const numbers = () =>
  screen.queryAllByTestId("matter-row").map((r) => r.getAttribute("data-number"));

/** `n` matters numbered N-001…, opened one day apart (N-001 the oldest). */
async function many(n: number) {
  const backend = memoryBackend();
  for (let i = 1; i <= n; i++) {
    const d = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    await backend.matterCreate({
      number: `N-${String(i).padStart(3, "0")}`,
      title: `Matter ${i}`,
      client_name: "Client",
      opened_on: d,
    });
  }
  return backend;
}

describe("matter list at scale", () => {
  it("renders only the rows in view and fetches the next page by its cursor on scroll", async () => {
    const backend = await many(130);
    const list = vi.spyOn(backend, "matterList");
    renderList(backend);
    await vi.waitFor(() => expect(numbers()[0]).toBe("N-130"));
    // A window of rows, not the whole page of 50 (nor all 130).
    const shown = numbers().length;
    expect(shown).toBeGreaterThan(10);
    expect(shown).toBeLessThan(PAGE);
    expect(list).toHaveBeenCalledTimes(1);
    expect(list.mock.calls[0]?.[0]).toMatchObject({ limit: PAGE, sort: "opened_desc" });
    expect(list.mock.calls[0]?.[0].after).toBeUndefined();
    expect(screen.getByTestId("matter-count")).toHaveTextContent("130 matters — scroll for more");

    // Scroll near the end of what is loaded: the next page comes, after the cursor.
    const scroller = screen.getByTestId("matter-scroll");
    await act(async () => {
      scroller.scrollTop = 40 * ROW_HEIGHT;
      fireEvent.scroll(scroller);
    });
    await vi.waitFor(() => expect(list).toHaveBeenCalledTimes(2));
    const second = list.mock.calls[1]?.[0];
    expect(second?.after).toEqual(expect.any(String));
    expect(second).toMatchObject({ limit: PAGE, sort: "opened_desc", status: "open" });
    await vi.waitFor(() => expect(numbers()).toContain("N-075"));
    // Rows scrolled out of view are no longer in the DOM.
    expect(numbers()).not.toContain("N-130");

    // On to the end: every matter is reached once, and no request follows the last page.
    await act(async () => {
      scroller.scrollTop = 120 * ROW_HEIGHT;
      fireEvent.scroll(scroller);
    });
    await vi.waitFor(() => expect(numbers()).toContain("N-001"));
    await act(async () => {
      fireEvent.scroll(scroller);
    });
    expect(list).toHaveBeenCalledTimes(3);
    expect(screen.queryByTestId("matter-loading-more")).toBeNull();
    expect(screen.getByTestId("matter-count")).toHaveTextContent("130 matters");
  });

  it("asks for the client, court, provider and status chosen, and shows what comes back", async () => {
    const backend = memoryBackend();
    for (const [number, client] of [
      ["A-1", "Acme Corp"],
      ["B-1", "Bacme LLC"],
    ] as const)
      await backend.matterCreate({ number, title: `${client} matter`, client_name: client });
    const lex = await backend.providerCreate({ legal_name: "Lexbridge" });
    await backend.providerCreate({ legal_name: "Nordic eDiscovery" });
    // Which matters a filter matches is the store's (matter_list_tests.rs). Here any
    // filter finds A-1, and a client "nobody" finds nothing.
    const kept = backend.matterList;
    const list = vi.spyOn(backend, "matterList").mockImplementation(async (f) => {
      const page = await kept({ ...f, status: undefined });
      const filtered = Boolean(f.client || f.court || f.provider_id || f.status === "closed");
      const items = page.items.filter(
        (m) => !filtered || (m.number === "A-1" && f.client !== "nobody"),
      );
      return { ...page, items, total: items.length };
    });
    const last = () => list.mock.lastCall?.[0];
    const { user } = renderList(backend);
    await vi.waitFor(() => expect(numbers()).toHaveLength(2));
    expect(last()).toMatchObject({ status: "open" });

    const client = screen.getByTestId("matter-client-filter");
    await user.type(client, "acme");
    await vi.waitFor(() => expect(last()?.client).toBe("acme"));
    await vi.waitFor(() => expect(numbers()).toEqual(["A-1"]));
    await user.type(screen.getByTestId("matter-court-filter"), "s.d.n.y.");
    await vi.waitFor(() => expect(last()).toMatchObject({ client: "acme", court: "s.d.n.y." }));
    await user.clear(client);
    await vi.waitFor(() => expect(last()?.client ?? "").toBe(""));
    expect(last()?.court).toBe("s.d.n.y.");
    await user.clear(screen.getByTestId("matter-court-filter"));
    await vi.waitFor(() => expect(numbers()).toHaveLength(2));

    const provider = screen.getByTestId("matter-provider-filter");
    await vi.waitFor(() => expect(within(provider).getAllByRole("option")).toHaveLength(3));
    await user.selectOptions(provider, lex.id);
    await vi.waitFor(() => expect(last()?.provider_id).toBe(lex.id));
    await vi.waitFor(() => expect(numbers()).toEqual(["A-1"]));
    await user.selectOptions(provider, "");
    await vi.waitFor(() => expect(numbers()).toHaveLength(2));
    expect(last()?.provider_id ?? "").toBe("");

    await user.selectOptions(screen.getByTestId("matter-status-filter"), "closed");
    await vi.waitFor(() => expect(last()?.status).toBe("closed"));
    await user.type(client, "nobody");
    expect(await screen.findByTestId("matters-none-found")).toBeInTheDocument();
    await user.click(screen.getByTestId("clear-filters"));
    await vi.waitFor(() => expect(numbers()).toHaveLength(2));
    expect(last()).toMatchObject({ status: "open" });
    expect(last()?.client ?? "").toBe("");
    expect(screen.getByTestId("matter-client-filter")).toHaveValue("");
  });

  /** Holds back the answers to the requests `hold` picks, to settle them when the test says. */
  function holding(backend: Backend, hold: (f: MatterFilter) => boolean) {
    const real = backend.matterList;
    const held: { filter: MatterFilter; resolve: () => void; reject: (e: unknown) => void }[] = [];
    const list = vi.spyOn(backend, "matterList").mockImplementation(async (f) => {
      if (!hold(f)) return real(f);
      const answer = await real(f);
      return new Promise<MatterPage>((resolve, reject) =>
        held.push({ filter: f, resolve: () => resolve(answer), reject }),
      );
    });
    return { list, held };
  }

  const scrollTo = (row: number) =>
    act(async () => {
      const scroller = screen.getByTestId("matter-scroll");
      scroller.scrollTop = row * ROW_HEIGHT;
      fireEvent.scroll(scroller);
    });

  it("drops an older filter's next page that fails late: no error, and the next page asked once", async () => {
    const backend = await many(130);
    const { list, held } = holding(backend, (f) => Boolean(f.after));
    const { user } = renderList(backend);
    await vi.waitFor(() => expect(numbers()[0]).toBe("N-130"));
    await scrollTo(20);
    await vi.waitFor(() => expect(held).toHaveLength(1));

    // The filter changes while that page is on its way; the new filter's next page is asked.
    await user.selectOptions(screen.getByTestId("matter-status-filter"), "all");
    await vi.waitFor(() => expect(held).toHaveLength(2));
    expect(held[1]?.filter.status).toBeUndefined();

    await act(async () => held[0]?.reject({ code: "internal", message: "Gone away." }));
    expect(screen.queryByRole("alert")).toBeNull();
    // Scrolling on does not ask again for the page already on its way.
    await scrollTo(22);
    const nextPages = () => list.mock.calls.filter(([f]) => f.after && !f.status);
    expect(nextPages()).toHaveLength(1);

    await act(async () => held[1]?.resolve());
    await scrollTo(50);
    await vi.waitFor(() => expect(numbers()).toContain("N-075"));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("lets an older filter's first page, answered late, change nothing", async () => {
    const backend = await many(130);
    const { list, held } = holding(
      backend,
      (f) => Boolean(f.after) || (f.sort === "number" && !f.after),
    );
    const { user } = renderList(backend);
    await vi.waitFor(() => expect(numbers()[0]).toBe("N-130"));
    await scrollTo(20);
    await vi.waitFor(() => expect(held).toHaveLength(1));

    // Sorted by number (its first page held back), then by title before it comes.
    await user.click(screen.getByTestId("sort-number"));
    await vi.waitFor(() => expect(held).toHaveLength(2));
    await user.click(screen.getByTestId("sort-title"));
    await vi.waitFor(() => expect(held).toHaveLength(3));
    expect(held[2]?.filter).toMatchObject({ sort: "title", after: expect.any(String) });

    // The first page sorted by number, answered now, is dropped.
    await act(async () => held[1]?.resolve());
    await scrollTo(22);
    const byTitle = () => list.mock.calls.filter(([f]) => f.after && f.sort === "title");
    expect(byTitle()).toHaveLength(1);
    expect(screen.getByTestId("sort-title").closest("th")).toHaveAttribute(
      "aria-sort",
      "ascending",
    );
  });

  it("moves the selection with the arrow keys and opens with Enter", async () => {
    const backend = await many(3);
    const { user, onOpen } = renderList(backend);
    await vi.waitFor(() => expect(numbers()).toEqual(["N-003", "N-002", "N-001"]));
    const table = screen.getByTestId("matter-table");
    table.focus();
    await user.keyboard("{ArrowDown}{ArrowDown}");
    const rows = screen.getAllByTestId("matter-row");
    expect(rows[1]).toHaveAttribute("aria-selected", "true");
    expect(table).toHaveAttribute("aria-activedescendant", rows[1]?.id);
    await user.keyboard("{ArrowDown}{ArrowDown}{ArrowUp}{Enter}");
    expect(onOpen).toHaveBeenCalledTimes(1);
    const second = backend.matters.find((m) => m.number === "N-002");
    expect(onOpen).toHaveBeenCalledWith(second?.id);
    await user.keyboard("{Home}{Enter}");
    expect(onOpen).toHaveBeenLastCalledWith(backend.matters.find((m) => m.number === "N-003")?.id);
  });
});

describe("matter safeguards", () => {
  it("are entered in the form, shown in the overview, and a bad country is named beside its field", async () => {
    const backend = memoryBackend();
    const user = userEvent.setup();
    render(
      <BackendContext.Provider value={backend}>
        <App />
      </BackendContext.Provider>,
    );
    await screen.findByTestId("matters-empty");
    await user.click(screen.getByTestId("new-matter"));
    const form = screen.getByTestId("matter-form");
    await user.type(within(form).getByTestId("field-number"), "2026-0171");
    await user.type(within(form).getByTestId("field-title"), "Helix Bio patent opposition");
    await user.type(within(form).getByTestId("field-client_name"), "Helix Bio Inc.");
    await user.type(within(form).getByTestId("field-supervising_attorney"), "Priya Raman");
    await user.click(within(form).getByTestId("field-data_class-health_information"));
    await user.click(within(form).getByTestId("field-data_class-export_controlled"));
    // Countries Rust refused (bindings/rules.ts REFUSALS), as the form sends them.
    await user.type(within(form).getByTestId("field-allowed_countries"), "us, Germany");
    await user.click(within(form).getByTestId("save-matter"));
    expect(await screen.findByTestId("error-allowed_countries")).toHaveTextContent(
      "use two letters",
    );
    expect(within(form).getByTestId("field-allowed_countries")).toHaveAttribute(
      "aria-invalid",
      "true",
    );

    const countries = within(form).getByTestId("field-allowed_countries");
    await user.clear(countries);
    await user.type(countries, "GB US");
    await user.click(within(form).getByTestId("save-matter"));
    const detail = await screen.findByTestId("matter-detail");
    await vi.waitFor(() => expect(detail).toHaveTextContent("Priya Raman"));
    expect(detail).toHaveTextContent("Health information, Export-controlled data");
    expect(detail).toHaveTextContent("GB, US");
    expect(backend.matters[0]).toMatchObject({
      supervising_attorney: "Priya Raman",
      data_classes: ["health_information", "export_controlled"],
      allowed_countries: ["GB", "US"],
    });

    // Editing loads them back, and clearing the countries lifts the restriction.
    await user.click(screen.getByTestId("edit-matter"));
    const edit = await screen.findByTestId("matter-form");
    const c2 = within(edit).getByTestId("field-allowed_countries");
    await vi.waitFor(() => expect(c2).toHaveValue("GB, US"));
    expect(within(edit).getByTestId("field-data_class-health_information")).toBeChecked();
    await user.clear(c2);
    // An optional field emptied goes to Rust as null, which clears it.
    await user.clear(within(edit).getByTestId("field-supervising_attorney"));
    const update = vi.spyOn(backend, "matterUpdate");
    await user.click(within(edit).getByTestId("save-matter"));
    await vi.waitFor(() =>
      expect(screen.getByTestId("matter-detail")).toHaveTextContent("Any country"),
    );
    expect(backend.matters[0]?.allowed_countries).toEqual([]);
    expect(update.mock.calls[0]?.[1]).toMatchObject({ supervising_attorney: null, court: null });
  });
});
