import { Fragment, type KeyboardEvent, type ReactNode, useEffect, useMemo, useState } from "react";
import { useBackendQuery } from "../api/useBackendQuery";
import type { SnippetPart } from "../bindings/SnippetPart";
import { useDebounced } from "./useDebounced";

interface Props {
  onClose: () => void;
  onOpenMatter: (id: string) => void;
  onOpenProvider: (id: string) => void;
}

type Hit = { key: string; kind: string; label: ReactNode; detail: ReactNode; open: () => void };

/** A search snippet, its matched words highlighted (text only: never parsed as markup). */
export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.hit ? <mark key={i}>{p.text}</mark> : <Fragment key={i}>{p.text}</Fragment>,
      )}
    </>
  );
}

/** What can take focus inside the dialog, for its focus trap. */
const FOCUSABLE = 'input, button, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';

/**
 * Ctrl+K: one box that finds matters, parties, providers, messages and documents.
 * A modal dialog with a combobox: focus stays in the box (Tab cannot leave the
 * dialog), Up/Down move the active hit (`aria-activedescendant`), Enter opens it,
 * Escape closes and focus returns where it was.
 */
export function SearchPalette({ onClose, onOpenMatter, onOpenProvider }: Props) {
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  // Asked once typing pauses; an empty box asks nothing and shows nothing.
  const asked = useDebounced(query, 120);
  const search = useBackendQuery(
    (b) => (asked.trim() ? b.search(asked) : Promise.resolve(null)),
    [asked],
  );
  const results = query.trim() ? search.data : null;
  const error = search.error;
  // Each new answer starts at its first hit.
  useEffect(() => setActive(0), [search.data]);

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
        label: <Snippet parts={h.snippet} />,
        detail: `${h.matter_number} · ${h.author}`,
        open: () => onOpenMatter(h.matter_id),
      })),
      ...results.documents.map((h) => ({
        key: `d${h.document_id}`,
        kind: "Documents",
        label: `${h.title} (v${h.version})`,
        detail: (
          <>
            {h.matter_number} · <Snippet parts={h.snippet} />
          </>
        ),
        open: () => onOpenMatter(h.matter_id),
      })),
    ];
  }, [results, onOpenMatter, onOpenProvider]);

  // Focus goes back where it was when the palette closes (read while rendering,
  // before the box takes focus).
  const [returnTo] = useState(() => document.activeElement);
  useEffect(
    () => () => {
      if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
    },
    [returnTo],
  );

  // The active hit stays in view as the arrows move it.
  useEffect(() => {
    document.getElementById(`search-hit-${active}`)?.scrollIntoView?.({ block: "nearest" });
  }, [active, hits]);

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
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
      // Only the palette: the window's Escape would also close the side panel.
      e.stopPropagation();
      onClose();
    }
  };

  // The focus trap: Tab and Shift+Tab go round what can take focus in the dialog.
  const trapTab = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== "Tab") return;
    const inside = Array.from(e.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (el) => !el.hasAttribute("disabled"),
    );
    const first = inside[0];
    const last = inside[inside.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  const activeId = hits[active] ? `search-hit-${active}` : undefined;
  const groups: { kind: string; hits: { hit: Hit; index: number }[] }[] = [];
  hits.forEach((hit, index) => {
    const group = groups[groups.length - 1];
    if (group && group.kind === hit.kind) group.hits.push({ hit, index });
    else groups.push({ kind: hit.kind, hits: [{ hit, index }] });
  });
  return (
    <div className="palette-backdrop" onClick={onClose}>
      <div
        className="palette"
        role="dialog"
        aria-modal="true"
        aria-labelledby="search-title"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={trapTab}
        data-testid="search-palette"
      >
        <h2 id="search-title" className="sr-only">
          Search
        </h2>
        <label htmlFor="search-input" className="sr-only">
          Search matters, parties, providers, messages and documents
        </label>
        <input
          id="search-input"
          autoFocus
          role="combobox"
          aria-expanded={hits.length > 0}
          aria-controls="search-results"
          aria-autocomplete="list"
          aria-activedescendant={activeId}
          autoComplete="off"
          placeholder="Search matters, parties, providers, messages, documents"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={onKey}
          data-testid="search-input"
        />
        {error && <p className="banner error">{error.message}</p>}
        {results && hits.length === 0 && (
          <p className="muted small pad" role="status">
            Nothing matches “{results.query}”.
          </p>
        )}
        <div
          className="palette-results"
          role="listbox"
          id="search-results"
          aria-label="Results"
          data-testid="search-results"
        >
          {groups.map((g) => (
            <div key={g.kind} role="group" aria-label={g.kind}>
              <div className="palette-kind" aria-hidden="true">
                {g.kind}
              </div>
              {g.hits.map(({ hit: h, index: i }) => (
                <div
                  key={h.key}
                  id={`search-hit-${i}`}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? "palette-hit active" : "palette-hit"}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => (h.open(), onClose())}
                  data-testid="search-hit"
                  data-kind={h.kind}
                >
                  <span className="strong">{h.label}</span>
                  {h.detail && <span className="muted small"> {h.detail}</span>}
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
