// Sync at a glance, in the header: online or not, when it last synced, how many
// items wait to go out, and (a badge) the sends that need a person. Sync runs in
// Rust in the background; the window only shows its status and can ask for a round
// now. Nothing here waits on the network.
import { type RefObject, useEffect, useRef, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { SyncStatus } from "../bindings/SyncStatus";
import { RetryButton, useOutboxRetry } from "./exchangeBits";
import { ErrorBanner } from "./formBits";
import { clockTime } from "./format";

/** The status in a line: "Online · synced 14:03 · 2 waiting", "Offline · 2 waiting", "Sync off". */
export function syncWords(s: SyncStatus): string {
  if (!s.enabled) return "Sync off";
  const parts = [s.online === true ? "Online" : s.online === false ? "Offline" : "Not synced yet"];
  if (s.syncing) parts.push("syncing…");
  else if (s.online === true && s.last_ok_at) parts.push(`synced ${clockTime(s.last_ok_at)}`);
  if (s.waiting > 0) parts.push(`${s.waiting} waiting`);
  return parts.join(" · ");
}

export function SyncIndicator() {
  const backend = useBackend();
  const [open, setOpen] = useState(false);
  const badgeRef = useRef<HTMLButtonElement>(null);
  const [syncError, setError] = useState<ApiError | null>(null);
  // Rust pushes each new status (a subscription, not a fetch: no change kind to
  // refetch on); `n` counts them.
  const pushed = useRef(0);
  const [latest, setLatest] = useState<{ status: SyncStatus; n: number } | null>(null);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let live = true;
    backend
      .onSyncStatus((s) => {
        pushed.current += 1;
        setLatest({ status: s, n: pushed.current });
      })
      .then((u) => (live ? (stop = u) : u()));
    return () => {
      live = false;
      stop?.();
    };
  }, [backend]);
  // The status asked for, again on every exchange change, with how many pushes had
  // arrived when it was asked.
  const asked = useBackendQuery(
    async (b) => {
      const seen = pushed.current;
      return { status: await b.syncStatus(), seen };
    },
    [],
    ["exchange"],
  );
  // A status pushed after the question was asked is newer than its answer.
  const status =
    latest && (asked.data === null || latest.n > asked.data.seen)
      ? latest.status
      : (asked.data?.status ?? null);
  const error = syncError ?? asked.error;

  const syncNow = () => {
    setError(null);
    backend.syncNow().catch((e) => setError(toApiError(e)));
  };

  const close = () => {
    setOpen(false);
    badgeRef.current?.focus();
  };

  if (status === null) {
    return error ? (
      <span className="small muted" role="status" id="sync-indicator" data-online="unknown">
        Sync status unavailable: {error.message}
      </span>
    ) : null;
  }
  const online = status.online === null ? "unknown" : String(status.online);
  const words = syncWords(status);
  return (
    <div className="sync-bar">
      {/* The whole indicator is the click target; the button inside is its keyboard stop. */}
      <div
        id="sync-indicator"
        data-testid="sync-indicator"
        role="status"
        className={`sync-indicator online-${online}${status.enabled ? "" : " off"}`}
        data-online={online}
        data-waiting={status.waiting}
        onClick={syncNow}
      >
        <button
          type="button"
          className="sync-button"
          aria-label={`${words}. Sync now`}
          title={status.last_error ?? "Sync now"}
        >
          <span className="sync-dot" aria-hidden="true" />
          {words}
        </button>
      </div>
      {status.online === false && status.last_error && (
        <span className="small muted sync-error" data-testid="sync-error">
          {status.last_error}
        </span>
      )}
      {error && (
        <span className="small field-error" role="alert">
          {error.message}
        </span>
      )}
      {status.needs_attention > 0 && (
        <button
          ref={badgeRef}
          type="button"
          className="attention-badge"
          id="needs-attention"
          data-testid="needs-attention"
          aria-haspopup="dialog"
          aria-expanded={open}
          aria-controls={open ? "attention-list" : undefined}
          onClick={() => setOpen((o) => !o)}
        >
          <span aria-hidden="true">!</span> {status.needs_attention}
          <span className="sr-only">
            {" "}
            {status.needs_attention === 1 ? "item needs" : "items need"} attention
          </span>
        </button>
      )}
      {open && <AttentionList count={status.needs_attention} badge={badgeRef} onClose={close} />}
    </div>
  );
}

/**
 * The failed sends, each with why and what to do, and Retry. A non-modal dialog:
 * Escape or a click elsewhere closes it and focus goes back to the badge.
 */
function AttentionList({
  count,
  badge,
  onClose,
}: {
  count: number;
  badge: RefObject<HTMLButtonElement | null>;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { data, error } = useBackendQuery((b) => b.outboxList(null, false), [], ["exchange"]);
  const failed = (data ?? []).filter((e) => e.state === "failed");

  useEffect(() => {
    ref.current?.focus();
  }, []);

  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!ref.current?.contains(t) && !badge.current?.contains(t)) onClose();
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [badge, onClose]);

  const {
    retry,
    retrying,
    error: retryError,
  } = useOutboxRetry(() => {
    // Its row leaves the list (the exchange's change event loads it again): keep
    // focus in the dialog, so Escape still closes it.
    ref.current?.focus();
  });

  const refused = data === null ? 0 : Math.max(count - failed.length, 0);
  return (
    <div
      ref={ref}
      className="popover attention"
      role="dialog"
      aria-labelledby="attention-title"
      id="attention-list"
      data-testid="attention-list"
      tabIndex={-1}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          // Not also the window's Escape, which closes the side panel.
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="section-head">
        <h2 id="attention-title">Needs attention</h2>
        <button type="button" className="icon" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <ErrorBanner error={error ?? retryError} fields={[]} />
      {data === null && !error && <p className="muted">Loading…</p>}
      {failed.length > 0 && (
        <ul className="attention-items">
          {failed.map((e) => (
            <li
              key={e.envelope_id}
              id={`attention-item-${e.envelope_id}`}
              data-testid={`attention-item-${e.envelope_id}`}
            >
              <strong>{e.label}</strong>
              <span className="small">{e.last_error ?? "The relay refused it."}</span>
              <span className="small muted">
                Retry after fixing the cause, or remove the item from the share.
              </span>
              <div>
                <RetryButton entry={e} retrying={retrying} onRetry={(id) => void retry(id)} />
              </div>
            </li>
          ))}
        </ul>
      )}
      {data !== null && failed.length === 0 && (
        <p className="small muted">No failed sends are waiting.</p>
      )}
      {refused > 0 && (
        <p className="small muted" data-testid="attention-refused">
          {refused === 1
            ? "1 item received from the other side was refused and not kept."
            : `${refused} items received from the other side were refused and not kept.`}{" "}
          Ask the sender to send again.
        </p>
      )}
    </div>
  );
}
