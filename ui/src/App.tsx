import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { toApiError } from "./api/backend";
import { useBackend } from "./api/context";
import { useBackendQuery } from "./api/useBackendQuery";
import type { ApiError } from "./bindings/ApiError";
import { MIN_PASSPHRASE_CHARS } from "./bindings/constants";
import type { DeadlineReminder } from "./bindings/DeadlineReminder";
import { BackupExport } from "./components/BackupExport";
import { SecuritySettings } from "./components/SecuritySettings";
import { DeadlineDetail } from "./components/DeadlineDetail";
import { DeadlineForm } from "./components/DeadlineForm";
import { DeadlineSettingsForm } from "./components/DeadlineSettingsForm";
import { DeadlinesView } from "./components/DeadlinesView";
import { ExportDeadlines } from "./components/ExportDeadlines";
import { MatterDetail, type MatterTab } from "./components/MatterDetail";
import { MatterForm } from "./components/MatterForm";
import { MatterList } from "./components/MatterList";
import { ReminderBanner } from "./components/ReminderBanner";
import { ProviderFile, ProviderForm, ProviderList } from "./components/Providers";
import { SearchPalette } from "./components/SearchPalette";
import { DiscardConfirm, SidePanel, UnsavedEdits } from "./components/unsaved";
import { Engagements } from "./components/Engagements";
import { Ledger } from "./components/Ledger";
import { Settings } from "./components/Settings";
import { DeskPerson } from "./components/DeskPerson";
import { SyncIndicator } from "./components/SyncIndicator";
import { useTheme } from "./theme";

type Panel =
  | { kind: "none" }
  | { kind: "new" }
  | { kind: "view"; id: string; tab?: MatterTab }
  | { kind: "edit"; id: string }
  | { kind: "add-deadline"; matterId: string }
  | { kind: "deadline"; id: string }
  | { kind: "export"; matter?: { id: string; number: string } }
  | { kind: "settings" }
  | { kind: "new-provider" }
  | { kind: "provider"; id: string }
  | { kind: "edit-provider"; id: string };

type Screen =
  "matters" | "deadlines" | "providers" | "engagements" | "ledger" | "settings" | "backup";

export function App() {
  const backend = useBackend();
  // Whether the store opened; asked again after a retry, an unlock or a lock.
  const { data: info, error: infoError, reload: load } = useBackendQuery((b) => b.appInfo(), []);
  // What went wrong in retrying, unlocking or locking the store.
  const [startError, setStartError] = useState<ApiError | null>(null);
  const [panel, setPanel] = useState<Panel>({ kind: "none" });
  const [screen, setScreen] = useState<Screen>("matters");
  const [reminders, setReminders] = useState<DeadlineReminder[]>([]);
  const [searching, setSearching] = useState(false);
  // Forms in the panel report unsaved input here; anything that would replace or
  // close the panel (Escape, Ctrl+N, the ×, another row, the sidebar, search) then
  // asks first, and goes where it was headed only once the edits are discarded.
  const [unsaved] = useState(() => new UnsavedEdits());
  const [pending, setPending] = useState<{ panel: Panel; screen?: Screen } | null>(null);
  const go = useCallback(
    (next: Panel, nextScreen?: Screen) => {
      if (unsaved.any && panel.kind !== "none") {
        setPending({ panel: next, screen: nextScreen });
        return;
      }
      if (nextScreen) setScreen(nextScreen);
      setPanel(next);
    },
    [panel, unsaved],
  );
  // The engagement a click on an arrival's notification asked to open.
  const [engagementFocus, setEngagementFocus] = useState<{ channelId: string } | null>(null);
  const [theme, toggleTheme] = useTheme();
  const searchRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    backend
      .onReminders((r) => setReminders((cur) => [...r, ...cur]))
      .then((u) => (live ? (stop = u) : u()));
    // Those raised before the window listened (at start-up, for deadlines that came
    // due while Mandate was closed).
    backend.deadlineReminders().then((r) => live && setReminders((cur) => (cur.length ? cur : r)));
    return () => {
      live = false;
      stop?.();
    };
  }, [backend]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // While the question is open, its own keys answer it.
      if (pending !== null) return;
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === "n") {
        e.preventDefault();
        go({ kind: "new" });
      } else if (mod && e.key.toLowerCase() === "k") {
        e.preventDefault();
        setSearching(true);
      } else if (e.key === "Escape") {
        go({ kind: "none" });
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go, pending]);

  // A click on the notification of something that arrived: its matter (firm), or
  // its engagement (provider).
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    backend
      .onOpenArrival((target) => {
        if (target.matter_id) {
          go({ kind: "view", id: target.matter_id }, "matters");
        } else {
          setEngagementFocus({ channelId: target.channel_id });
          go({ kind: "none" }, "engagements");
        }
      })
      .then((u) => (live ? (stop = u) : u()));
    return () => {
      live = false;
      stop?.();
    };
  }, [backend, go]);

  // Rust locks the store (Lock now, or idle minutes): drop what is shown and ask
  // for the passphrase.
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    backend
      .onStoreLocked(() => {
        setReminders([]);
        setPanel({ kind: "none" });
        load();
      })
      .then((u) => (live ? (stop = u) : u()));
    return () => {
      live = false;
      stop?.();
    };
  }, [backend, load]);

  const storeError = startError ?? infoError ?? info?.store_error ?? null;
  useActivityReports(storeError === null && info !== null && info.passphrase_protected);
  if (info === null && storeError === null) {
    return <div className="splash">Opening your store…</div>;
  }
  if (storeError) {
    return (
      <LockedScreen
        error={storeError}
        onRetry={() =>
          backend.storeRetry().then(
            () => (setStartError(null), load()),
            (e) => setStartError(toApiError(e)),
          )
        }
        onUnlock={async (p) => {
          await backend.storeUnlock(p);
          setStartError(null);
          load();
        }}
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
        <button
          className="search-button"
          onClick={() => setSearching(true)}
          data-testid="open-search"
        >
          Search… <kbd>Ctrl K</kbd>
        </button>
        <nav>
          {(
            [
              ["matters", "Matters"],
              ["deadlines", "Deadlines"],
              ["providers", "Providers"],
              ["engagements", "Engagements"],
              ["ledger", "Ledger"],
              ["settings", "Settings"],
              ["backup", "Backup & security"],
            ] as const
          ).map(([id, label]) => (
            <button
              key={id}
              className={`nav-item${screen === id ? " active" : ""}`}
              aria-current={screen === id ? "page" : undefined}
              id={`nav-${id}`}
              data-testid={`nav-${id}`}
              onClick={() => go({ kind: "none" }, id)}
            >
              {label}
            </button>
          ))}
        </nav>
        <div className="sidebar-foot">
          <div className="store-badge" title={info?.data_dir ?? ""}>
            <LockIcon /> Encrypted store on this device
          </div>
          {info?.passphrase_protected ? (
            <button
              className="link"
              onClick={() => backend.storeLock().catch((e) => setStartError(toApiError(e)))}
              data-testid="lock-now"
            >
              Lock now
            </button>
          ) : (
            <p className="small muted" data-testid="keyring-lock-note">
              Key in your desktop keyring: lock your session to lock Mandate.
            </p>
          )}
          <button className="link" onClick={toggleTheme} data-testid="theme-toggle">
            {theme === "dark" ? "Light theme" : "Dark theme"}
          </button>
        </div>
      </aside>
      <div className="main-col">
        <header className="topbar" aria-label="Sync">
          <DeskPerson onChoose={() => go({ kind: "none" }, "settings")} />
          <SyncIndicator />
        </header>
        <main className="main">
          {info?.audit_warning && (
            <p className="banner error" role="alert" data-testid="audit-warning">
              {info.audit_warning}
            </p>
          )}
          <ReminderBanner
            reminders={reminders}
            onOpen={(id) => go({ kind: "deadline", id })}
            onDismiss={() => {
              setReminders([]);
              void backend.deadlineRemindersDismiss();
            }}
          />
          {screen === "backup" ? (
            <>
              <BackupExport />
              <SecuritySettings
                passphraseProtected={info?.passphrase_protected ?? false}
                onChanged={load}
              />
            </>
          ) : screen === "settings" ? (
            <Settings />
          ) : screen === "ledger" ? (
            <Ledger />
          ) : screen === "engagements" ? (
            <Engagements focus={engagementFocus} />
          ) : screen === "providers" ? (
            <ProviderList
              onOpen={(id) => go({ kind: "provider", id })}
              onNew={() => go({ kind: "new-provider" })}
            />
          ) : screen === "matters" ? (
            <MatterList
              searchRef={searchRef}
              selectedId={panel.kind === "view" || panel.kind === "edit" ? panel.id : null}
              onOpen={(id) => go({ kind: "view", id })}
              onNew={() => go({ kind: "new" })}
            />
          ) : (
            <DeadlinesView
              onOpen={(id) => go({ kind: "deadline", id })}
              onExport={() => go({ kind: "export" })}
              onSettings={() => go({ kind: "settings" })}
            />
          )}
        </main>
      </div>
      {searching && (
        <SearchPalette
          onClose={() => setSearching(false)}
          onOpenMatter={(id) => go({ kind: "view", id }, "matters")}
          onOpenProvider={(id) => go({ kind: "provider", id }, "providers")}
        />
      )}
      {panel.kind !== "none" && (
        <SidePanel className={panel.kind === "view" ? "panel wide" : "panel"} edits={unsaved}>
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
              key={panel.id}
              id={panel.id}
              initialTab={panel.tab}
              onEdit={() => go({ kind: "edit", id: panel.id })}
              onDismiss={() => go({ kind: "none" })}
              onAddDeadline={() => go({ kind: "add-deadline", matterId: panel.id })}
              onOpenDeadline={(id) => go({ kind: "deadline", id })}
              onExportDeadlines={(matter) => go({ kind: "export", matter })}
              onOpenSettings={() => go({ kind: "none" }, "settings")}
            />
          )}
          {panel.kind === "add-deadline" && (
            <DeadlineForm
              matterId={panel.matterId}
              onSaved={(made) =>
                setPanel(
                  made.length === 1 && made[0]
                    ? { kind: "deadline", id: made[0].id }
                    : { kind: "view", id: panel.matterId, tab: "deadlines" },
                )
              }
              onCancel={() => setPanel({ kind: "view", id: panel.matterId, tab: "deadlines" })}
            />
          )}
          {panel.kind === "deadline" && (
            <DeadlineDetail
              id={panel.id}
              onDismiss={() => go({ kind: "none" })}
              onOpenMatter={(id) => go({ kind: "view", id }, "matters")}
            />
          )}
          {panel.kind === "export" && (
            <ExportDeadlines matter={panel.matter} onDone={() => setPanel({ kind: "none" })} />
          )}
          {panel.kind === "new-provider" && (
            <ProviderForm
              onSaved={(p) => setPanel({ kind: "provider", id: p.id })}
              onCancel={() => setPanel({ kind: "none" })}
            />
          )}
          {panel.kind === "provider" && (
            <ProviderFile
              key={panel.id}
              id={panel.id}
              onDismiss={() => go({ kind: "none" })}
              onEdit={() => go({ kind: "edit-provider", id: panel.id })}
            />
          )}
          {panel.kind === "edit-provider" && (
            <ProviderForm
              key={panel.id}
              providerId={panel.id}
              onSaved={(p) => setPanel({ kind: "provider", id: p.id })}
              onCancel={() => setPanel({ kind: "provider", id: panel.id })}
            />
          )}
          {panel.kind === "settings" && (
            <DeadlineSettingsForm onDone={() => setPanel({ kind: "none" })} />
          )}
        </SidePanel>
      )}
      {pending !== null && (
        <DiscardConfirm
          onKeep={() => setPending(null)}
          onDiscard={() => {
            const to = pending;
            setPending(null);
            // The forms leave with the panel, and take their unsaved marks along.
            if (to.screen) setScreen(to.screen);
            setPanel(to.panel);
          }}
        />
      )}
    </div>
  );
}

/**
 * Tells Rust the person is at the window (at most every 15 s), which postpones the
 * idle lock. The lock itself is decided and done in Rust (src-tauri/src/idle.rs),
 * so a stalled or tampered page cannot keep the store open by skipping a timer.
 */
function useActivityReports(active: boolean) {
  const backend = useBackend();
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const report = () => {
      const now = Date.now();
      if (now - last < 15_000) return;
      last = now;
      void backend.storeActivity().catch(() => {});
    };
    const events = ["keydown", "mousedown", "mousemove", "wheel"] as const;
    events.forEach((e) => window.addEventListener(e, report, { passive: true }));
    return () => events.forEach((e) => window.removeEventListener(e, report));
  }, [active, backend]);
}

function LockIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" fill="currentColor">
      <path d="M4 7V5a4 4 0 1 1 8 0v2h1a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1h1Zm2 0h4V5a2 2 0 1 0-4 0v2Z" />
    </svg>
  );
}

function LockedScreen({
  error,
  onRetry,
  onUnlock,
}: {
  error: ApiError;
  onRetry: () => void;
  onUnlock: (passphrase: string) => Promise<void>;
}) {
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const wantsPassphrase = ["passphrase_required", "wrong_passphrase"].includes(error.code);
  const offersPassphrase = wantsPassphrase || error.code === "keyring_unavailable";
  const title = wantsPassphrase
    ? "Enter your passphrase"
    : error.code === "locked" || error.code === "keyring_unavailable"
      ? "Your store is locked"
      : error.code === "wrong_key"
        ? "This key does not open your store"
        : "Mandate could not open your store";
  const unlock = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onUnlock(passphrase);
    } catch (err) {
      setFailure(toApiError(err));
    } finally {
      setBusy(false);
      setPassphrase("");
    }
  };
  return (
    <div className="locked" role="alert" data-testid="store-error">
      <div className="locked-card">
        <span className="brand-mark big" aria-hidden>
          M
        </span>
        <h1>{title}</h1>
        <p>{error.message}</p>
        {offersPassphrase && (
          <form onSubmit={unlock} className="unlock" data-testid="unlock-form">
            {error.code === "keyring_unavailable" && (
              <p className="small muted">
                Or keep this store's key as a passphrase instead (at least {MIN_PASSPHRASE_CHARS}{" "}
                characters). If you forget it, the store cannot be opened.
              </p>
            )}
            <input
              type="password"
              autoFocus
              aria-label="Passphrase"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
              data-testid="passphrase"
            />
            {failure && (
              <p className="field-error" data-testid="unlock-error">
                {failure.message}
              </p>
            )}
            <button
              className="primary"
              type="submit"
              disabled={busy || !passphrase}
              data-testid="unlock"
            >
              {busy ? "Unlocking…" : "Unlock"}
            </button>
          </form>
        )}
        {!wantsPassphrase && (
          <button className={offersPassphrase ? "" : "primary"} onClick={onRetry}>
            Try again
          </button>
        )}
      </div>
    </div>
  );
}
