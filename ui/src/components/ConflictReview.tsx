// The conflict-check review: the matter's client, parties and aliases against a
// provider's declared conflicts (or, with no provider, the parties of the firm's
// other matters). Rust normalises and matches the names and records each check; a
// person clears each match with why it is not a conflict, and the send guard
// blocks while any is open.
import { useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { MatchKind } from "../bindings/MatchKind";
import { ErrorBanner } from "./formBits";
import { dateTime } from "./format";

const KIND: Record<MatchKind, string> = {
  exact: "same name",
  similar: "similar spelling",
  contained: "one name within the other",
};

export function ConflictReview({
  matterId,
  providerId,
  against,
}: {
  matterId: string;
  /** The provider whose declared conflicts are compared; null for the firm's other matters. */
  providerId: string | null;
  /** "Lexwell Review Ltd's declared conflicts", "the firm's other matters". */
  against: string;
}) {
  const backend = useBackend();
  const check = useBackendQuery(
    (b) => b.conflictCheckLatest(matterId, providerId),
    [matterId, providerId],
    ["assignment", "matter-party", "provider"],
  );
  // Notes are kept per check and match, so a check run again starts blank.
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const act = async (what: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      // Rust's change event (assignment) loads the check again.
      await what();
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const c = check.data;
  const open = c ? c.matches.filter((m) => m.cleared_by === null).length : 0;

  return (
    <section className="conflicts" data-testid="conflict-review" aria-labelledby="conflicts-title">
      <h4 id="conflicts-title">Conflict check against {against}</h4>
      {c === null && check.error === null && (
        <p className="small" data-testid="conflict-state">
          Not checked yet. The send guard blocks until a check is recorded.
        </p>
      )}
      {c && (
        <p className="small" data-testid="conflict-state" data-open={open}>
          Checked by {c.checked_by} on {dateTime(c.checked_at)}:{" "}
          {c.matches.length === 0
            ? "no match."
            : `${c.matches.length} match${c.matches.length === 1 ? "" : "es"}, ${open} open.`}
        </p>
      )}
      {c && c.matches.length > 0 && (
        <ul className="conflict-matches">
          {c.matches.map((m, i) => (
            <li
              key={`${m.party}-${m.listed}`}
              data-testid="conflict-match"
              data-open={m.cleared_by === null}
            >
              <strong>{m.party}</strong> ~ <strong>{m.listed}</strong>{" "}
              <span className="small muted">
                ({KIND[m.kind]}, {Math.round(m.score * 100)}%)
              </span>
              {m.cleared_by ? (
                <div className="small">
                  Cleared by {m.cleared_by}
                  {m.cleared_at ? ` on ${dateTime(m.cleared_at)}` : ""}: {m.note}
                </div>
              ) : (
                <div className="inline-row">
                  <input
                    id={`conflict-note-${i + 1}`}
                    aria-label={`Why ${m.party} and ${m.listed} are not a conflict`}
                    placeholder="Why this is not a conflict (e.g. different company, other country)"
                    value={notes[`${c.id}:${i}`] ?? ""}
                    onChange={(e) => setNotes({ ...notes, [`${c.id}:${i}`]: e.target.value })}
                  />
                  <button
                    id={`conflict-clear-${i + 1}`}
                    aria-label={`Clear ${m.party} ~ ${m.listed}`}
                    disabled={busy || !(notes[`${c.id}:${i}`] ?? "").trim()}
                    onClick={() =>
                      void act(() =>
                        backend.conflictMatchClear(c.id, i + 1, notes[`${c.id}:${i}`] ?? ""),
                      )
                    }
                  >
                    Clear
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorBanner error={error ?? check.error} fields={[]} />
      <button
        id={providerId ? "conflict-run" : "conflict-run-firm"}
        disabled={busy}
        onClick={() => void act(() => backend.conflictCheckRun(matterId, providerId))}
      >
        {c ? "Run the check again" : "Run conflict check"}
      </button>
    </section>
  );
}
