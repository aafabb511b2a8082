import { useEffect, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useChanges } from "../api/useChanges";
import type { ApiError } from "../bindings/ApiError";
import type { AuditRecord } from "../bindings/AuditRecord";
import type { Assignment } from "../bindings/Assignment";
import type { Deadline } from "../bindings/Deadline";
import type { MatterParty } from "../bindings/MatterParty";
import type { Matter } from "../bindings/Matter";
import { DeadlineList } from "./DeadlineList";

interface Props {
  id: string;
  onEdit: () => void;
  onDismiss: () => void;
  onAddDeadline: () => void;
  onOpenDeadline: (id: string) => void;
  onExportDeadlines: (matter: { id: string; number: string }) => void;
}

const ACTIONS: Record<string, string> = {
  "matter.create": "Opened",
  "matter.update": "Edited",
  "matter.close": "Closed",
  "matter.reopen": "Reopened",
};

export function MatterDetail({
  id,
  onEdit,
  onDismiss,
  onAddDeadline,
  onOpenDeadline,
  onExportDeadlines,
}: Props) {
  const backend = useBackend();
  const [matter, setMatter] = useState<Matter | null>(null);
  const [history, setHistory] = useState<AuditRecord[]>([]);
  const [deadlines, setDeadlines] = useState<Deadline[]>([]);
  const [parties, setParties] = useState<MatterParty[]>([]);
  const [assignments, setAssignments] = useState<Assignment[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);
  const deadlineChanges = useChanges("deadline");

  useEffect(() => {
    let current = true;
    Promise.all([
      backend.matterGet(id),
      backend.matterHistory(id),
      backend.deadlineList({ matter_id: id }),
      backend.matterPartyList(id),
      backend.assignmentList({ matter_id: id, limit: 200 }),
    ]).then(
      ([m, h, d, p, a]) =>
        current &&
        (setMatter(m),
        setHistory(h),
        setDeadlines(d),
        setParties(p),
        setAssignments(a.items),
        setError(null)),
      (e) => current && setError(toApiError(e)),
    );
    return () => {
      current = false;
    };
  }, [backend, id, version, deadlineChanges]);

  if (error) {
    return (
      <p className="banner error" role="alert">
        {error.message}
      </p>
    );
  }
  if (!matter) return <p className="muted">Loading…</p>;

  const toggleStatus = () =>
    backend.matterUpdate(id, { status: matter.status === "open" ? "closed" : "open" }).then(
      () => setVersion((v) => v + 1),
      (e) => setError(toApiError(e)),
    );

  const row = (label: string, value: string | null) => (
    <div className="kv">
      <dt>{label}</dt>
      <dd>{value || "—"}</dd>
    </div>
  );

  return (
    <div className="detail" data-testid="matter-detail">
      <div className="detail-head">
        <div>
          <div className="mono muted" data-testid="detail-number">
            {matter.number}
          </div>
          <h2 data-testid="detail-title">{matter.title}</h2>
        </div>
        <button className="icon" aria-label="Close panel" onClick={onDismiss}>
          ×
        </button>
      </div>
      <span className={`pill ${matter.status}`} data-testid="detail-status">
        {matter.status}
      </span>
      <dl>
        {row("Client", matter.client_name)}
        {row("Practice area", matter.practice_area)}
        {row("Court", matter.court)}
        {row("Jurisdiction", matter.jurisdiction)}
        {row("Opened on", matter.opened_on)}
      </dl>
      <div className="actions">
        <button onClick={toggleStatus} data-testid="toggle-status">
          {matter.status === "open" ? "Close matter" : "Reopen matter"}
        </button>
        <button className="primary" onClick={onEdit} data-testid="edit-matter">
          Edit
        </button>
      </div>
      <div className="section-head">
        <h3>Deadlines</h3>
        <div className="row">
          {deadlines.length > 0 && (
            <button
              className="small-btn"
              onClick={() => onExportDeadlines({ id: matter.id, number: matter.number })}
              data-testid="export-matter-deadlines"
            >
              Export .ics
            </button>
          )}
          <button className="small-btn" onClick={onAddDeadline} data-testid="add-deadline">
            Add deadline
          </button>
        </div>
      </div>
      <DeadlineList
        deadlines={deadlines}
        onOpen={onOpenDeadline}
        showMatter={false}
        empty="No deadlines yet. Add one from a rule, a period or a date."
      />
      <h3>Parties</h3>
      {parties.length === 0 ? (
        <p className="small muted">No parties recorded yet.</p>
      ) : (
        <ul className="history" data-testid="matter-parties">
          {parties.map((p) => (
            <li key={p.id}>
              <span>{p.party_name}</span>
              <span className="muted">{p.role.replace("_", "-")}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>Work sent out</h3>
      {assignments.length === 0 ? (
        <p className="small muted">No assignments yet.</p>
      ) : (
        <ul className="history" data-testid="matter-assignments">
          {assignments.map((a) => (
            <li key={a.id}>
              <span>{a.scope}</span>
              <span className="muted">
                {a.status.replace("_", " ")} · due {a.due_on}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h3>History</h3>
      <ol className="history" data-testid="matter-history">
        {history.map((h) => (
          <li key={h.seq}>
            <span>{ACTIONS[h.action] ?? h.action}</span>
            <span className="muted">
              {new Date(h.at).toLocaleString()} · {h.actor}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
