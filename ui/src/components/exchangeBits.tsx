// Pieces the screens of the exchange with providers share: what was queued and how
// far it got (with Retry), a copy button, a fingerprint to read over the phone, and
// a QR code drawn from the modules Rust computed.
import { useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ApiError } from "../bindings/ApiError";
import type { OutboxEntry } from "../bindings/OutboxEntry";
import type { QrCode } from "../bindings/QrCode";
import { ErrorBanner } from "./formBits";
import { fileSize } from "./format";

/** What became of an item sent, in words; `other` is who receives it ("the provider"). */
export function outboxWords(e: OutboxEntry, other: string): string {
  switch (e.state) {
    case "queued":
      return "Waiting to go";
    case "sent":
      return "Sent";
    case "received":
      return `Received by ${other}`;
    case "failed":
      return `Failed: ${e.last_error ?? "the relay refused it"}`;
  }
}

/** Above this, a queued item's progress is shown in bytes too. */
const LARGE = 1024 * 1024;

/** Queuing a failed send again: which one is under way, and what went wrong. */
/** Retries a failed send; Rust's exchange change event then loads the lists again. */
export function useOutboxRetry(onDone?: () => void) {
  const backend = useBackend();
  const [error, setError] = useState<ApiError | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);
  const retry = async (envelopeId: string) => {
    setError(null);
    setRetrying(envelopeId);
    try {
      await backend.outboxRetry(envelopeId);
      onDone?.();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setRetrying(null);
    }
  };
  return { retry, retrying, error };
}

/** The Retry button of one failed send (`#outbox-retry-<envelope id>`). */
export function RetryButton({
  entry,
  retrying,
  onRetry,
}: {
  entry: OutboxEntry;
  retrying: string | null;
  onRetry: (envelopeId: string) => void;
}) {
  return (
    <button
      type="button"
      className="small-btn"
      id={`outbox-retry-${entry.envelope_id}`}
      data-testid={`outbox-retry-${entry.envelope_id}`}
      aria-label={`Retry ${entry.label}`}
      disabled={retrying === entry.envelope_id}
      onClick={() => onRetry(entry.envelope_id)}
    >
      Retry
    </button>
  );
}

/**
 * The items of one channel's outbox, one row each (`<rowPrefix>-<envelope_id>`, with
 * `data-state`), a Retry button (`#outbox-retry-<envelope_id>`) on a failed one, and
 * while anything waits, how far the sending got ("2 of 5 sent").
 */
export function OutboxItems({
  id,
  rowPrefix,
  entries,
  other,
  label,
}: {
  /** The list's element id. */
  id: string;
  rowPrefix: string;
  entries: OutboxEntry[];
  /** Who receives the items, for "Received by …". */
  other: string;
  /** The list's accessible name. */
  label: string;
}) {
  const { retry, retrying, error } = useOutboxRetry();
  const done = entries.filter((e) => e.state === "sent" || e.state === "received");
  const waiting = entries.some((e) => e.state === "queued");
  const bytes = (list: OutboxEntry[]) => list.reduce((n, e) => n + e.size, 0);
  const totalBytes = bytes(entries);

  return (
    <div className="outbox">
      {waiting && (
        <div className="transfer-progress" role="status" id={`${id}-progress`}>
          <span className="small">
            {done.length} of {entries.length} sent
            {totalBytes >= LARGE && ` · ${fileSize(bytes(done))} of ${fileSize(totalBytes)}`}
          </span>
          <progress max={Math.max(totalBytes, 1)} value={bytes(done)} aria-label="Sent so far" />
        </div>
      )}
      <ErrorBanner error={error} fields={[]} />
      <ul className="outbox-items" id={id} data-testid={id} aria-label={label}>
        {entries.map((e) => (
          <li
            key={e.envelope_id}
            id={`${rowPrefix}-${e.envelope_id}`}
            data-testid={`${rowPrefix}-${e.envelope_id}`}
            data-state={e.state}
            className={`outbox-item state-${e.state}`}
          >
            <span className="outbox-label">{e.label}</span>
            <span className="small muted">{fileSize(e.size)}</span>
            <span className="outbox-state small">{outboxWords(e, other)}</span>
            {e.state === "failed" && (
              <RetryButton entry={e} retrying={retrying} onRetry={(id) => void retry(id)} />
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Copies `text` (navigator.clipboard). Where the clipboard is refused, it says so:
 * the text stays selectable beside it.
 */
export function CopyButton({ id, text, label }: { id: string; text: string; label: string }) {
  const [note, setNote] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setNote("Copied.");
    } catch {
      setNote("Could not copy: select the text and press Ctrl+C.");
    }
  };
  return (
    <span className="row">
      <button type="button" className="small-btn" id={id} data-testid={id} onClick={copy}>
        {label}
      </button>
      <span className="small muted" role="status">
        {note}
      </span>
    </span>
  );
}

/** Six groups of five digits, large and spaced, to read aloud. */
export function Fingerprint({ id, value }: { id: string; value: string }) {
  return (
    <p className="fingerprint" id={id} data-testid={id}>
      {value}
    </p>
  );
}

/** Modules of quiet zone around the code, as the QR standard asks. */
const QUIET = 4;

/**
 * A QR code drawn from Rust's modules (`dark`, row-major, `width` a side), always
 * dark on light whatever the theme, so phones read it. Each run of dark modules in a
 * row is one rect.
 */
export function QrSvg({ id, qr, label }: { id: string; qr: QrCode; label: string }) {
  const side = qr.width + QUIET * 2;
  const runs: { x: number; y: number; w: number }[] = [];
  for (let y = 0; y < qr.width; y++) {
    let start = -1;
    for (let x = 0; x <= qr.width; x++) {
      const dark = x < qr.width && qr.dark[y * qr.width + x] === true;
      if (dark && start < 0) start = x;
      if (!dark && start >= 0) {
        runs.push({ x: start, y, w: x - start });
        start = -1;
      }
    }
  }
  return (
    <svg
      id={id}
      data-testid={id}
      className="qr"
      role="img"
      aria-label={label}
      viewBox={`0 0 ${side} ${side}`}
      width={Math.max(side * 4, 180)}
      height={Math.max(side * 4, 180)}
      shapeRendering="crispEdges"
    >
      <rect width={side} height={side} fill="#ffffff" />
      {runs.map((r) => (
        <rect
          key={`${r.x}-${r.y}`}
          className="qr-dark"
          x={r.x + QUIET}
          y={r.y + QUIET}
          width={r.w}
          height={1}
          fill="#000000"
        />
      ))}
    </svg>
  );
}
