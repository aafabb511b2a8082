// The matter list, for a practice of any size: filters (text, status, client,
// court, provider), sortable columns, keyboard navigation, and a windowed table —
// only the rows in view (plus a few) are in the DOM, at a fixed height, and the
// next page is fetched from the store by its cursor as the person scrolls near the
// end of what is loaded. The windowing is a few lines here (useRowWindow), not a
// dependency.
import {
  type KeyboardEvent,
  type RefObject,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from "react";
import { allProviders } from "../api/allProviders";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { Matter } from "../bindings/Matter";
import type { MatterFilter } from "../bindings/MatterFilter";
import type { MatterSort } from "../bindings/MatterSort";
import type { MatterStatus } from "../bindings/MatterStatus";
import { useDebounced } from "./useDebounced";

interface Props {
  searchRef: RefObject<HTMLInputElement | null>;
  selectedId: string | null;
  onOpen: (id: string) => void;
  onNew: () => void;
}

/** Height of one row in px; `.matter-scroll .grid tbody tr` in styles.css matches it. */
export const ROW_HEIGHT = 41;
/** Rows per request: the page the store benchmark measures. */
export const PAGE = 50;
/** Rows rendered beyond each edge of the view, so a quick scroll shows no gap. */
const OVERSCAN = 8;
/** Height of the sticky header inside the scroll area. */
const HEADER_HEIGHT = 36;
/** Used until the scroll area has been measured (and in tests, where nothing is). */
const FALLBACK_VIEWPORT = 600;

/**
 * Which of `count` fixed-height rows are in view in the scroll area `ref`:
 * [first, last) with overscan, and how many rows fit in the view.
 */
function useRowWindow(ref: RefObject<HTMLDivElement | null>, count: number) {
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(FALLBACK_VIEWPORT);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || FALLBACK_VIEWPORT);
    measure();
    if (typeof ResizeObserver === "undefined") return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  const onScroll = useCallback(() => setScrollTop(ref.current?.scrollTop ?? 0), [ref]);
  const inView = Math.ceil(height / ROW_HEIGHT);
  const top = Math.max(0, scrollTop - HEADER_HEIGHT);
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.floor(top / ROW_HEIGHT) + inView + OVERSCAN);
  /** Scrolls just enough to show row `i`. */
  const reveal = useCallback(
    (i: number) => {
      const el = ref.current;
      if (!el) return;
      const rowTop = HEADER_HEIGHT + i * ROW_HEIGHT;
      const view = el.clientHeight || height;
      let next = el.scrollTop;
      if (rowTop - HEADER_HEIGHT < el.scrollTop) next = rowTop - HEADER_HEIGHT;
      else if (rowTop + ROW_HEIGHT > el.scrollTop + view) next = rowTop + ROW_HEIGHT - view;
      if (next !== el.scrollTop) {
        el.scrollTop = next;
        setScrollTop(next);
      }
    },
    [ref, height],
  );
  return { first, last, inView, onScroll, reveal };
}

interface Loaded {
  /** The filter (as JSON) these rows answer. */
  key: string;
  items: Matter[];
  total: number | null;
  next: string | null;
}

export function MatterList({ searchRef, selectedId, onOpen, onNew }: Props) {
  const backend = useBackend();
  const [query, setQuery] = useState("");
  const [client, setClient] = useState("");
  const [court, setCourt] = useState("");
  const [providerId, setProviderId] = useState("");
  const [status, setStatus] = useState<MatterStatus | "all">("open");
  const [sort, setSort] = useState<MatterSort>("opened_desc");
  const [active, setActive] = useState(-1);
  const q = useDebounced(query, 120);
  const c = useDebounced(client, 120);
  const ct = useDebounced(court, 120);
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const loadedRef = useRef<Loaded | null>(null);
  // The next page on its way, and for which filter: any other answer is stale.
  const loadingMore = useRef<{ key: string; after: string } | null>(null);

  const filter = useMemo<MatterFilter>(
    () => ({
      query: q.trim() || undefined,
      status: status === "all" ? undefined : status,
      client: c.trim() || undefined,
      court: ct.trim() || undefined,
      provider_id: providerId || undefined,
      sort,
    }),
    [q, status, c, ct, providerId, sort],
  );
  const key = JSON.stringify(filter);

  // The provider filter's choices (none when they cannot be read).
  const providerList = useBackendQuery((b) => allProviders(b), [], ["provider"]);
  const providers = providerList.error ? [] : (providerList.data ?? []);

  // The first page, again whenever the filter changes; after a change in the
  // store, as many rows as were loaded, so the view stays where it was.
  const {
    data: loaded,
    error,
    update: updateLoaded,
    fail: failLoading,
  } = useBackendQuery(
    async (b): Promise<Loaded> => {
      const prev = loadedRef.current;
      const limit = Math.min(Math.max(prev?.key === key ? prev.items.length : 0, PAGE), 1000);
      const p = await b.matterList({ ...filter, limit });
      return { key, items: p.items, total: p.total, next: p.next };
    },
    [key],
    ["matter"],
  );
  loadedRef.current = loaded;
  // A new filter starts at the top, nothing selected.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    setActive(-1);
  }, [key]);

  // While a new filter's first page loads, the old rows stay (no flash of empty).
  const items = useMemo(() => loaded?.items ?? [], [loaded]);
  const win = useRowWindow(scrollRef, items.length);
  const { onScroll, reveal } = win;

  // The next page, once the view comes within a screen of the last loaded row.
  useEffect(() => {
    if (!loaded || loaded.key !== key || !loaded.next) return;
    if (win.last < loaded.items.length - win.inView) return;
    const after = loaded.next;
    const asked = loadingMore.current;
    if (asked?.key === key && asked.after === after) return;
    const mine = { key, after };
    loadingMore.current = mine;
    backend.matterList({ ...filter, limit: PAGE, after }).then(
      (p) => {
        if (loadingMore.current !== mine) return;
        loadingMore.current = null;
        // A first page loaded since may hold other rows: append only after the same cursor.
        updateLoaded((l) =>
          l.key === key && l.next === after
            ? { ...l, items: [...l.items, ...p.items], next: p.next }
            : l,
        );
      },
      (e) => {
        if (loadingMore.current !== mine) return;
        loadingMore.current = null;
        failLoading(e);
      },
    );
  }, [backend, filter, key, loaded, win.last, win.inView, updateLoaded, failLoading]);

  // Follow the matter opened elsewhere (the search palette, a new matter) — only
  // when that changes, not when more rows arrive while the arrows move the selection.
  const itemsRef = useRef(items);
  itemsRef.current = items;
  useEffect(() => {
    if (!selectedId) return;
    const i = itemsRef.current.findIndex((m) => m.id === selectedId);
    if (i >= 0) setActive(i);
  }, [selectedId]);

  const move = (to: number) => {
    if (items.length === 0) return;
    const i = Math.max(0, Math.min(items.length - 1, to));
    setActive(i);
    reveal(i);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const steps: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: win.inView - 1,
      PageUp: -(win.inView - 1),
    };
    if (e.key in steps) move((active < 0 ? -1 : active) + (steps[e.key] ?? 0));
    else if (e.key === "Home") move(0);
    else if (e.key === "End") move(items.length - 1);
    else if (e.key === "Enter" && items[active]) onOpen(items[active].id);
    else return;
    e.preventDefault();
  };

  const filtered = filter.query || filter.client || filter.court || filter.provider_id;
  const searching = Boolean(filtered) || status !== "open";
  const ready = loaded !== null && loaded.key === key;
  const empty = ready && items.length === 0;
  const clearFilters = () => {
    setQuery("");
    setClient("");
    setCourt("");
    setProviderId("");
    setStatus("open");
  };
  const total = loaded?.total ?? null;

  return (
    <div className="matters">
      <header className="toolbar">
        <h1>Matters</h1>
        <input
          ref={searchRef}
          className="search"
          type="search"
          placeholder="Filter by number, title or client"
          aria-label="Search matters"
          data-testid="matter-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <button className="primary" onClick={onNew} data-testid="new-matter" title="Ctrl+N">
          New matter
        </button>
      </header>
      <div className="toolbar filters" role="group" aria-label="Filters">
        <select
          aria-label="Status"
          data-testid="matter-status-filter"
          value={status}
          onChange={(e) => setStatus(e.target.value as MatterStatus | "all")}
        >
          <option value="open">Open</option>
          <option value="closed">Closed</option>
          <option value="all">All</option>
        </select>
        <input
          type="search"
          placeholder="Client begins with…"
          aria-label="Client"
          data-testid="matter-client-filter"
          value={client}
          onChange={(e) => setClient(e.target.value)}
        />
        <input
          type="search"
          placeholder="Court, e.g. S.D.N.Y."
          aria-label="Court"
          data-testid="matter-court-filter"
          value={court}
          onChange={(e) => setCourt(e.target.value)}
        />
        <select
          aria-label="Provider"
          data-testid="matter-provider-filter"
          value={providerId}
          onChange={(e) => setProviderId(e.target.value)}
        >
          <option value="">Any provider</option>
          {providers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.legal_name}
            </option>
          ))}
        </select>
      </div>

      {error && (
        <p className="banner error" role="alert">
          {error.message}
        </p>
      )}

      {empty && !searching && (
        <div className="empty" data-testid="matters-empty">
          <h2>No matters yet</h2>
          <p>
            Open your first matter to start tracking its parties, deadlines and outsourced work.
          </p>
          <button className="primary" onClick={onNew}>
            New matter
          </button>
        </div>
      )}
      {empty && searching && (
        <div className="empty" data-testid="matters-none-found">
          <p>No matters match. Try fewer words, or clear the filters.</p>
          <button onClick={clearFilters} data-testid="clear-filters">
            Clear filters
          </button>
        </div>
      )}

      {items.length > 0 && (
        <>
          <div
            className="matter-scroll"
            ref={scrollRef}
            onScroll={onScroll}
            data-testid="matter-scroll"
          >
            <table
              className="grid"
              data-testid="matter-table"
              role="grid"
              aria-rowcount={total ?? -1}
              aria-label="Matters"
              tabIndex={0}
              aria-activedescendant={items[active] ? `matter-row-${items[active].id}` : undefined}
              onKeyDown={onKeyDown}
            >
              <thead>
                <tr>
                  <SortHeader
                    label="Number"
                    value="number"
                    sort={sort}
                    onSort={setSort}
                    width="130px"
                  />
                  <SortHeader label="Title" value="title" sort={sort} onSort={setSort} />
                  <SortHeader
                    label="Client"
                    value="client"
                    sort={sort}
                    onSort={setSort}
                    width="22%"
                  />
                  <th style={{ width: "16%" }}>Court</th>
                  <SortHeader
                    label="Opened"
                    value="opened_desc"
                    sort={sort}
                    onSort={setSort}
                    width="110px"
                  />
                  <th style={{ width: "90px" }}>Status</th>
                </tr>
              </thead>
              <tbody>
                {win.first > 0 && (
                  <tr className="spacer" aria-hidden style={{ height: win.first * ROW_HEIGHT }}>
                    <td colSpan={6} />
                  </tr>
                )}
                {items.slice(win.first, win.last).map((m, k) => {
                  const i = win.first + k;
                  const cls = [
                    "matter-row",
                    m.id === selectedId ? "selected" : "",
                    i === active ? "active" : "",
                  ]
                    .filter(Boolean)
                    .join(" ");
                  return (
                    <tr
                      key={m.id}
                      id={`matter-row-${m.id}`}
                      className={cls}
                      aria-rowindex={i + 2}
                      aria-selected={i === active}
                      data-testid="matter-row"
                      data-number={m.number}
                      onClick={() => {
                        setActive(i);
                        onOpen(m.id);
                      }}
                    >
                      <td className="mono">{m.number}</td>
                      <td className="strong">{m.title}</td>
                      <td>{m.client_name}</td>
                      <td className="muted">{m.court ?? "—"}</td>
                      <td className="muted mono">{m.opened_on}</td>
                      <td>
                        <span className={`pill ${m.status}`}>{m.status}</span>
                      </td>
                    </tr>
                  );
                })}
                {win.last < items.length && (
                  <tr
                    className="spacer"
                    aria-hidden
                    style={{ height: (items.length - win.last) * ROW_HEIGHT }}
                  >
                    <td colSpan={6} />
                  </tr>
                )}
                {loaded?.next && (
                  <tr className="loading-row" data-testid="matter-loading-more">
                    <td colSpan={6} className="muted">
                      Loading more…
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <p className="count" data-testid="matter-count">
            {total === null
              ? `${items.length} matters loaded`
              : `${total.toLocaleString()} ${total === 1 ? "matter" : "matters"}`}
            {loaded?.next ? " — scroll for more" : ""}
            {" · ↑↓ to move, Enter to open"}
          </p>
        </>
      )}
    </div>
  );
}

function SortHeader(props: {
  label: string;
  value: MatterSort;
  sort: MatterSort;
  onSort: (s: MatterSort) => void;
  width?: string;
}) {
  const active = props.sort === props.value;
  return (
    <th
      style={props.width ? { width: props.width } : undefined}
      aria-sort={active ? (props.value === "opened_desc" ? "descending" : "ascending") : "none"}
    >
      <button
        className="th-sort"
        onClick={() => props.onSort(props.value)}
        data-testid={`sort-${props.value}`}
      >
        {props.label}
        {active && <span aria-hidden> {props.value === "opened_desc" ? "↓" : "↑"}</span>}
      </button>
    </th>
  );
}
