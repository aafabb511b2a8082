import { useEffect, useMemo, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ApiError } from "../bindings/ApiError";
import type { SearchResults } from "../bindings/SearchResults";

interface Props {
  onClose: () => void;
  onOpenMatter: (id: string) => void;
  onOpenProvider: (id: string) => void;
}

type Hit = { key: string; kind: string; label: string; detail: string; open: () => void };

/** Ctrl+K: one box that finds matters, parties, providers, messages and documents. */
export function SearchPalette({ onClose, onOpenMatter, onOpenProvider }: Props) {
  const backend = useBackend();
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<SearchResults | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [active, setActive] = useState(0);

  useEffect(() => {
    if (!query.trim()) {
      setResults(null);
      return;
    }
    let current = true;
    const t = setTimeout(() => {
      backend.search(query).then(
        (r) => current && (setResults(r), setActive(0), setError(null)),
        (e) => current && setError(toApiError(e)),
      );
    }, 120);
    return () => {
      current = false;
      clearTimeout(t);
    };
  }, [backend, query]);

  const hits: Hit[] = useMemo(() => {
    if (!results) return [];
    return [
      ...results.matters.map((m) => ({
        key: `m${m.id}`,
        kind: "Matters",
        label: `${m.number} — ${m.title}`,
        detail: m.client_name,
        open: () => onOpenMatter(m.id),
      })),
      ...results.parties.map((p) => {
        const links = results.party_links.filter((l) => l.party_id === p.id);
        const roles = [...new Set(links.map((l) => l.role.replace("_", "-")))].join(", ");
        const on =
          links.length === 0
            ? "on no matter yet"
            : `${roles} · ${links.length === 1 ? "1 matter" : `${links.length} matters`}`;
        return {
          key: `p${p.id}`,
          kind: "Parties",
          label: p.name,
          detail: [p.aliases.join(", "), on].filter(Boolean).join(" · "),
          // Opens the matter the party was most recently linked to.
          open: () => {
            if (links[0]) onOpenMatter(links[0].matter_id);
          },
        };
      }),
      ...results.providers.map((p) => ({
        key: `v${p.id}`,
        kind: "Providers",
        label: p.legal_name,
        detail: p.countries.join(", "),
        open: () => onOpenProvider(p.id),
      })),
      ...results.messages.map((h) => ({
        key: `x${h.id}`,
        kind: "Messages",
        label: h.snippet,
        detail: `${h.matter_number} · ${h.author}`,
        open: () => onOpenMatter(h.matter_id),
      })),
      ...results.documents.map((h) => ({
        key: `d${h.document_id}`,
        kind: "Documents",
        label: `${h.title} (v${h.version})`,
        detail: `${h.matter_number} · ${h.snippet}`,
        open: () => onOpenMatter(h.matter_id),
      })),
    ];
  }, [results, onOpenMatter, onOpenProvider]);

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, hits.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter" && hits[active]) {
      hits[active].open();
      onClose();
    } else if (e.key === "Escape") {
      onClose();
    }
  };

  let lastKind = "";
  return (
    <div className="palette-backdrop" onClick={onClose}>
      <div
        className="palette"
        role="dialog"
        aria-label="Search"
        onClick={(e) => e.stopPropagation()}
        data-testid="search-palette"
      >
        <input
          autoFocus
          placeholder="Search matters, parties, providers, messages, documents"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKey}
          data-testid="search-input"
        />
        {error && <p className="banner error">{error.message}</p>}
        {results && hits.length === 0 && (
          <p className="muted small pad">Nothing matches “{results.query}”.</p>
        )}
        <ul className="palette-results" data-testid="search-results">
          {hits.map((h, i) => {
            const header = h.kind !== lastKind ? h.kind : null;
            lastKind = h.kind;
            return (
              <li key={h.key}>
                {header && <div className="palette-kind">{header}</div>}
                <button
                  className={i === active ? "palette-hit active" : "palette-hit"}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => (h.open(), onClose())}
                  data-testid="search-hit"
                  data-kind={h.kind}
                >
                  <span className="strong">{h.label}</span>
                  {h.detail && <span className="muted small"> {h.detail}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
