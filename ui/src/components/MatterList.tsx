import { type RefObject, useEffect, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useChanges } from "../api/useChanges";
import type { ApiError } from "../bindings/ApiError";
import type { MatterPage } from "../bindings/MatterPage";
import type { MatterSort } from "../bindings/MatterSort";
import type { MatterStatus } from "../bindings/MatterStatus";

interface Props {
  searchRef: RefObject<HTMLInputElement | null>;
  selectedId: string | null;
  onOpen: (id: string) => void;
  onNew: () => void;
}

/** Waits until typing pauses, so each keystroke does not query the store. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function MatterList({ searchRef, selectedId, onOpen, onNew }: Props) {
  const backend = useBackend();
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<MatterStatus | "all">("open");
  const [sort, setSort] = useState<MatterSort>("opened_desc");
  const [page, setPage] = useState<MatterPage | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const version = useChanges("matter");
  const q = useDebounced(query, 120);

  useEffect(() => {
    let current = true;
    backend
      .matterList({
        query: q || undefined,
        status: status === "all" ? undefined : status,
        sort,
        limit: 500,
      })
      .then(
        (p) => current && (setPage(p), setError(null)),
        (e) => current && setError(toApiError(e)),
      );
    return () => {
      current = false;
    };
  }, [backend, q, status, sort, version]);

  const empty = page !== null && page.total === 0;
  const searching = q.trim() !== "" || status !== "open";

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
        <button className="primary" onClick={onNew} data-testid="new-matter" title="Ctrl+N">
          New matter
        </button>
      </header>

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
          <p>No matters match. Try fewer words, or show all statuses.</p>
        </div>
      )}

      {page && page.total > 0 && (
        <>
          <table className="grid" data-testid="matter-table">
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
              {page.items.map((m) => (
                <tr
                  key={m.id}
                  className={m.id === selectedId ? "selected" : undefined}
                  data-testid="matter-row"
                  data-number={m.number}
                  tabIndex={0}
                  onClick={() => onOpen(m.id)}
                  onKeyDown={(e) => e.key === "Enter" && onOpen(m.id)}
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
              ))}
            </tbody>
          </table>
          <p className="count" data-testid="matter-count">
            {page.items.length < page.total
              ? `${page.items.length} of ${page.total} matters shown — refine the search to see the rest`
              : `${page.total} ${page.total === 1 ? "matter" : "matters"}`}
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
