import { useCallback, useEffect, useRef, useState } from "react";
import type { AppInfo } from "./api/backend";
import { toApiError } from "./api/backend";
import { useBackend } from "./api/context";
import type { ApiError } from "./bindings/ApiError";
import { MatterDetail } from "./components/MatterDetail";
import { MatterForm } from "./components/MatterForm";
import { MatterList } from "./components/MatterList";
import { useTheme } from "./theme";

type Panel =
  { kind: "none" } | { kind: "new" } | { kind: "view"; id: string } | { kind: "edit"; id: string };

export function App() {
  const backend = useBackend();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [panel, setPanel] = useState<Panel>({ kind: "none" });
  const [theme, toggleTheme] = useTheme();
  const searchRef = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    backend.appInfo().then(setInfo, (e) => setStartError(toApiError(e)));
  }, [backend]);
  useEffect(load, [load]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "n") {
        e.preventDefault();
        setPanel({ kind: "new" });
      } else if (mod && e.key.toLowerCase() === "k") {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (e.key === "Escape") {
        setPanel({ kind: "none" });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const storeError = startError ?? info?.store_error ?? null;
  if (info === null && storeError === null) {
    return <div className="splash">Opening your store…</div>;
  }
  if (storeError) {
    return (
      <LockedScreen
        error={storeError}
        onRetry={() => backend.storeRetry().then(load, (e) => setStartError(toApiError(e)))}
      />
    );
  }

  return (
    <div className="app">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden>
            M
          </span>
          Mandate
        </div>
        <nav>
          <a className="nav-item active" aria-current="page">
            Matters
          </a>
        </nav>
        <div className="sidebar-foot">
          <div className="store-badge" title={info?.data_dir ?? ""}>
            <LockIcon /> Encrypted store on this device
          </div>
          <button className="link" onClick={toggleTheme} data-testid="theme-toggle">
            {theme === "dark" ? "Light theme" : "Dark theme"}
          </button>
        </div>
      </aside>
      <main className="main">
        <MatterList
          searchRef={searchRef}
          selectedId={panel.kind === "view" || panel.kind === "edit" ? panel.id : null}
          onOpen={(id) => setPanel({ kind: "view", id })}
          onNew={() => setPanel({ kind: "new" })}
        />
      </main>
      {panel.kind !== "none" && (
        <section className="panel" aria-label="Matter">
          {panel.kind === "new" && (
            <MatterForm
              onSaved={(m) => setPanel({ kind: "view", id: m.id })}
              onCancel={() => setPanel({ kind: "none" })}
            />
          )}
          {panel.kind === "edit" && (
            <MatterForm
              matterId={panel.id}
              onSaved={(m) => setPanel({ kind: "view", id: m.id })}
              onCancel={() => setPanel({ kind: "view", id: panel.id })}
            />
          )}
          {panel.kind === "view" && (
            <MatterDetail
              id={panel.id}
              onEdit={() => setPanel({ kind: "edit", id: panel.id })}
              onDismiss={() => setPanel({ kind: "none" })}
            />
          )}
        </section>
      )}
    </div>
  );
}

function LockIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
      <path d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1Zm2 0h4V5a2 2 0 1 0-4 0v2Z" />
    </svg>
  );
}

function LockedScreen({ error, onRetry }: { error: ApiError; onRetry: () => void }) {
  const title =
    error.code === "locked" || error.code === "keyring_unavailable"
      ? "Your store is locked"
      : error.code === "wrong_key"
        ? "This key does not open your store"
        : "Mandate could not open your store";
  return (
    <div className="locked" role="alert" data-testid="store-error">
      <div className="locked-card">
        <span className="brand-mark big" aria-hidden>
          M
        </span>
        <h1>{title}</h1>
        <p>{error.message}</p>
        <button className="primary" onClick={onRetry}>
          Try again
        </button>
      </div>
    </div>
  );
}
