// The provider's diligence checklist: the factors of Model Rule 5.3 comment 3 (and
// the checks ABA Formal Opinion 08-451 adds), each checked with what shows it, the
// firm's own checks, and the re-review date. The factors, their wording and the
// review state come from Rust (`DiligenceStatus`); the send guard reads the same
// checklist, so what is open here is what blocks a send.
import { useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { DiligenceItem } from "../bindings/DiligenceItem";
import type { ReviewState } from "../bindings/ReviewState";
import { ErrorBanner } from "./formBits";

/** The re-review as a sentence, or null when it is far off. */
export function reviewText(review: ReviewState, on: string | null): string | null {
  switch (review.state) {
    case "unset":
      return "No re-review date is set: the send guard blocks work to this provider until one is.";
    case "due":
      return `Diligence review was due on ${on} (${review.days} day${review.days === 1 ? "" : "s"} ago). Work cannot be sent until it is reviewed and a new date set.`;
    case "soon":
      return review.days === 0
        ? `Diligence review is due today (${on}).`
        : `Diligence review is due on ${on}, in ${review.days} day${review.days === 1 ? "" : "s"}.`;
    case "ok":
      return null;
  }
}

interface Row {
  done: boolean;
  evidence: string;
}

export function DiligenceChecklist({ providerId }: { providerId: string }) {
  const backend = useBackend();
  const query = useBackendQuery((b) => b.providerDiligence(providerId), [providerId], ["provider"]);
  const [rows, setRows] = useState<Row[]>([]);
  const [others, setOthers] = useState<DiligenceItem[]>([]);
  const [newCheck, setNewCheck] = useState("");
  const [editing, setEditing] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const status = query.data;
  if (!status) return <ErrorBanner error={query.error} fields={[]} />;

  // The form starts from the checklist as Rust last gave it.
  const startEditing = () => {
    setRows(status.factors.map((f) => ({ done: f.done, evidence: f.evidence ?? "" })));
    setOthers(status.others);
    setNewCheck("");
    setError(null);
    setEditing(true);
  };
  const save = async () => {
    setError(null);
    setSaving(true);
    const diligence: DiligenceItem[] = [
      ...status.factors.map((f, i) => ({
        item: f.label,
        factor: f.factor,
        done: rows[i]?.done ?? false,
        evidence: rows[i]?.evidence.trim() || undefined,
      })),
      ...others,
      ...(newCheck.trim() ? [{ item: newCheck.trim(), done: false }] : []),
    ];
    try {
      // Loaded again on the provider's change event, not by hand as well.
      await backend.providerUpdate(providerId, { diligence });
      setEditing(false);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setSaving(false);
    }
  };
  const review = reviewText(status.review, status.review_on);

  return (
    <section className="diligence" data-testid="diligence">
      <h3>
        Diligence checklist{" "}
        <span className="small muted">
          {status.open === 0 ? "complete" : `${status.open} open`}
        </span>
      </h3>
      {review && (
        <p
          className={`banner ${status.review.state === "soon" ? "warn" : "error"}`}
          data-testid="diligence-review"
        >
          {review}
        </p>
      )}
      <p className="small muted">
        The factors of Model Rule 5.3 comment 3 and ABA Formal Opinion 08-451. Each needs what shows
        it was checked; the send guard blocks work to this provider while any is open.
      </p>
      <ErrorBanner error={error} fields={[]} />
      <ul className="checklist">
        {status.factors.map((f, i) => (
          <li key={f.factor} data-testid="diligence-factor" data-done={String(f.done)}>
            {editing ? (
              <>
                <label className="check">
                  <input
                    type="checkbox"
                    id={`factor-${f.factor}`}
                    data-testid={`factor-${f.factor}`}
                    checked={rows[i]?.done ?? false}
                    onChange={(e) =>
                      setRows(rows.map((r, j) => (j === i ? { ...r, done: e.target.checked } : r)))
                    }
                  />
                  <span>{f.label}</span>
                </label>
                <input
                  id={`factor-${f.factor}-evidence`}
                  data-testid={`factor-${f.factor}-evidence`}
                  aria-label={`What shows "${f.label}" was checked`}
                  placeholder={f.hint}
                  value={rows[i]?.evidence ?? ""}
                  onChange={(e) =>
                    setRows(rows.map((r, j) => (j === i ? { ...r, evidence: e.target.value } : r)))
                  }
                />
              </>
            ) : (
              <>
                <span aria-hidden="true">{f.done ? "✓" : "○"}</span>
                <span className="sr-only">{f.done ? "Done: " : "Open: "}</span>{" "}
                <span className={f.done ? "" : "strong"}>{f.label}</span>
                <div className="small muted">
                  {f.done ? f.evidence : `Open — ${f.hint}`} · {f.source}
                </div>
              </>
            )}
          </li>
        ))}
        {others.map((o, i) => (
          <li key={`${o.item}-${i}`} data-testid="diligence-other" data-done={String(o.done)}>
            {editing ? (
              <label className="check">
                <input
                  type="checkbox"
                  checked={o.done}
                  onChange={(e) =>
                    setOthers(
                      others.map((x, j) => (j === i ? { ...x, done: e.target.checked } : x)),
                    )
                  }
                />
                <span>{o.item}</span>
              </label>
            ) : (
              <>
                <span aria-hidden="true">{o.done ? "✓" : "○"}</span>
                <span className="sr-only">{o.done ? "Done: " : "Open: "}</span> {o.item}
                {o.evidence && <div className="small muted">{o.evidence}</div>}
              </>
            )}
          </li>
        ))}
      </ul>
      {editing ? (
        <div className="actions diligence-actions">
          <input
            id="diligence-new-check"
            aria-label="Add a check of the firm's own"
            placeholder="Add a check of your own (e.g. site visit)"
            value={newCheck}
            onChange={(e) => setNewCheck(e.target.value)}
          />
          <button
            className="primary"
            id="diligence-save"
            disabled={saving}
            onClick={() => void save()}
          >
            {saving ? "Saving…" : "Save checklist"}
          </button>
          <button onClick={() => setEditing(false)}>Cancel</button>
        </div>
      ) : (
        <div className="actions">
          <button id="diligence-edit" onClick={startEditing}>
            Record diligence
          </button>
        </div>
      )}
    </section>
  );
}

/** The re-review reminders over the providers list: each opens the provider. */
export function ReviewsDue({ onOpen }: { onOpen: (id: string) => void }) {
  const { data: due, error } = useBackendQuery((b) => b.providerReviewsDue(), [], ["provider"]);
  if (error) return <ErrorBanner error={error} fields={[]} />;
  if (!due || due.length === 0) return null;
  return (
    <div className="banner warn" data-testid="reviews-due">
      <strong>
        {due.length === 1
          ? "1 provider's diligence review is due"
          : `${due.length} providers' diligence reviews are due`}
      </strong>
      <ul>
        {due.map((r) => (
          <li key={r.provider_id}>
            <button className="link" onClick={() => onOpen(r.provider_id)}>
              {r.legal_name}
            </button>{" "}
            — {reviewText(r.review, r.review_on)}
          </li>
        ))}
      </ul>
    </div>
  );
}
