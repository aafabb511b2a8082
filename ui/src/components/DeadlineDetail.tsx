import { useEffect, useState } from "react";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { MovedDeadline } from "../bindings/MovedDeadline";
import { formatDay } from "./DeadlineList";

interface Props {
  id: string;
  onDismiss: () => void;
  onOpenMatter?: (matterId: string) => void;
}

export function DeadlineDetail({ id, onDismiss, onOpenMatter }: Props) {
  const backend = useBackend();
  // Loaded again after its own writes (as before, not on other deadline changes).
  const { data: d, error, reload, fail } = useBackendQuery((b) => b.deadlineGet(id), [id]);
  const [trigger, setTrigger] = useState("");
  const [moved, setMoved] = useState<MovedDeadline[] | null>(null);
  // Each answer puts its trigger date in the box.
  useEffect(() => setTrigger(d?.trigger_date ?? ""), [d]);

  if (!d) {
    return error ? (
      <p className="banner error" role="alert">
        {error.message}
      </p>
    ) : (
      <p className="muted">Loading…</p>
    );
  }

  const toggleDone = () => backend.deadlineSetDone(id, d.status !== "done").then(reload, fail);
  const move = () => backend.deadlineMove(id, trigger).then((m) => (setMoved(m), reload()), fail);

  return (
    <div className="detail" data-testid="deadline-detail">
      <div className="detail-head">
        <div>
          <button className="link mono muted" onClick={() => onOpenMatter?.(d.matter_id)}>
            {d.matter_number}
          </button>
          <h2 data-testid="deadline-title">{d.title}</h2>
        </div>
        <button className="icon" aria-label="Close panel" onClick={onDismiss}>
          ×
        </button>
      </div>
      <div className="due-big" data-testid="deadline-due" data-due={d.due_date}>
        {formatDay(d.due_date)}
        {d.due_at && (
          <small className="muted">ends {d.due_at.replace("T", " ").replace(/\[.*\]$/, "")}</small>
        )}
      </div>
      <div className="pills">
        <span className={`pill kind-${d.kind}`}>{d.kind}</span>
        <span
          className={`pill ${d.status === "done" ? "closed" : "open"}`}
          data-testid="deadline-status"
        >
          {d.status}
        </span>
      </div>
      {d.warnings.map((w) => (
        <p key={w} className="banner warn" data-testid="deadline-warning">
          {w}
        </p>
      ))}
      {error && (
        <p className="banner error" role="alert">
          {error.message}
        </p>
      )}
      {d.citation && (
        <p className="small">
          <span className="muted">Rule:</span> {d.citation}
        </p>
      )}
      <h3>How it was computed</h3>
      <ol className="steps" data-testid="deadline-steps">
        {d.steps.map((s, i) => (
          <li key={i} className={`step step-${s.kind}`}>
            {s.text}
          </li>
        ))}
      </ol>
      {d.verify.length > 0 && (
        <>
          <h3>Check before relying on it</h3>
          <ul className="verify">
            {d.verify.map((v) => (
              <li key={v}>{v}</li>
            ))}
          </ul>
        </>
      )}
      {d.trigger_date && (
        <div className="move">
          <h3>Trigger changed?</h3>
          <div className="row">
            <input
              type="date"
              value={trigger}
              onChange={(e) => setTrigger(e.target.value)}
              aria-label="New trigger date"
              data-testid="move-trigger"
            />
            <button onClick={move} data-testid="move-deadline">
              Recompute
            </button>
          </div>
          {moved && (
            <p className="small" data-testid="moved">
              {moved.length === 0
                ? "Recomputed; no date moved."
                : moved.map((m) => `${m.title}: ${m.old_due} → ${m.new_due}`).join("; ")}
            </p>
          )}
        </div>
      )}
      <div className="actions">
        <button
          className={d.status === "done" ? "" : "primary"}
          onClick={toggleDone}
          data-testid="toggle-done"
        >
          {d.status === "done" ? "Mark not done" : "Mark done"}
        </button>
      </div>
      {d.done_by && (
        <p className="small muted">
          Done by {d.done_by} on {d.done_at ? new Date(d.done_at).toLocaleString() : ""}
        </p>
      )}
    </div>
  );
}
