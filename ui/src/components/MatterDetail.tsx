import { useState } from "react";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { Matter } from "../bindings/Matter";
import { DeadlineList } from "./DeadlineList";
import { MatterAssignments } from "./MatterAssignments";
import { MatterConsents } from "./MatterConsents";
import { MatterDocuments } from "./MatterDocuments";
import { DATA_CLASSES } from "./MatterForm";
import { MatterMessages } from "./MatterMessages";
import { MatterParties } from "./MatterParties";
import { Ledger } from "./Ledger";
import { type TabDef, Tabs } from "./Tabs";

export type MatterTab =
  | "overview"
  | "parties"
  | "assignments"
  | "consents"
  | "deadlines"
  | "messages"
  | "documents"
  | "ledger"
  | "history";

const TABS: TabDef<MatterTab>[] = [
  { key: "overview", label: "Overview" },
  { key: "parties", label: "Parties" },
  { key: "assignments", label: "Work sent out" },
  { key: "consents", label: "Consents" },
  { key: "deadlines", label: "Deadlines" },
  { key: "messages", label: "Messages" },
  { key: "documents", label: "Documents" },
  { key: "ledger", label: "Disclosures" },
  { key: "history", label: "History" },
];

interface Props {
  id: string;
  /** The tab shown first (Overview unless given). */
  initialTab?: MatterTab;
  onEdit: () => void;
  onDismiss: () => void;
  onAddDeadline: () => void;
  onOpenDeadline: (id: string) => void;
  onExportDeadlines: (matter: { id: string; number: string }) => void;
  /** Goes to Settings (Work sent out: sharing needs a relay, added there). */
  onOpenSettings?: () => void;
}

const ACTIONS: Record<string, string> = {
  "matter.create": "Opened",
  "matter.update": "Edited",
  "matter.close": "Closed",
  "matter.reopen": "Reopened",
  "matter_party.create": "Party added",
  "matter_party.update": "Party's role changed",
  "consent.create": "Consent recorded",
  "consent.update": "Consent corrected",
  "assignment.create": "Work order written",
  "assignment.update": "Work order changed",
  "assignment.move": "Work order moved",
  "message.create": "Message added",
  "deadline.create": "Deadline added",
  "deadline.done": "Deadline marked done",
  "deadline.recompute": "Deadlines recomputed",
  "document.create": "Document added",
  "document.version": "New version of a document",
  "document.review": "Document reviewed",
  "document.save_copy": "Decrypted copy of a document saved",
  "deadline.export_ics": "Deadlines exported to a calendar file",
  "disclosure.record": "Disclosure recorded",
  "disclosure.report": "Client disclosure report saved",
  "conflict.check": "Conflict check run",
  "conflict.clear": "Conflict match cleared",
};

export function MatterDetail({
  id,
  initialTab,
  onEdit,
  onDismiss,
  onAddDeadline,
  onOpenDeadline,
  onExportDeadlines,
  onOpenSettings,
}: Props) {
  const backend = useBackend();
  const [tab, setTab] = useState<MatterTab>(initialTab ?? "overview");
  // The other tabs write to the matter's history: opening History reads it afresh.
  const onHistory = tab === "history";
  const { data, error, fail } = useBackendQuery(
    (b) => Promise.all([b.matterGet(id), b.matterHistory(id), b.deadlineList({ matter_id: id })]),
    [id, onHistory],
    ["deadline", "matter"],
  );

  if (error) {
    return (
      <p className="banner error" role="alert">
        {error.message}
      </p>
    );
  }
  if (!data) return <p className="muted">Loading…</p>;
  const [matter, history, deadlines] = data;

  // Loaded again on the matter's change event, not by hand as well.
  const toggleStatus = () =>
    backend.matterUpdate(id, { status: matter.status === "open" ? "closed" : "open" }).catch(fail);

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
      <Tabs tabs={TABS} active={tab} onChange={setTab} label={`Matter ${matter.number}`}>
        {tab === "overview" && (
          <MatterOverview matter={matter} onEdit={onEdit} onToggleStatus={toggleStatus} />
        )}
        {tab === "parties" && <MatterParties key={matter.id} matterId={matter.id} />}
        {tab === "assignments" && (
          <MatterAssignments key={matter.id} matterId={matter.id} onOpenSettings={onOpenSettings} />
        )}
        {tab === "consents" && <MatterConsents key={matter.id} matterId={matter.id} />}
        {tab === "deadlines" && (
          <>
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
          </>
        )}
        {tab === "messages" && <MatterMessages key={matter.id} matterId={matter.id} />}
        {tab === "documents" && <MatterDocuments key={matter.id} matterId={matter.id} />}
        {tab === "ledger" && <Ledger key={matter.id} matterId={matter.id} />}
        {tab === "history" && (
          <>
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
          </>
        )}
      </Tabs>
    </div>
  );
}

/**
 * The Overview tab: the matter's own fields and the actions on the matter itself.
 * Every field of the matter is shown here and nowhere else in the detail.
 */
function MatterOverview({
  matter,
  onEdit,
  onToggleStatus,
}: {
  matter: Matter;
  onEdit: () => void;
  onToggleStatus: () => void;
}) {
  const row = (label: string, value: string | null) => (
    <div className="kv">
      <dt>{label}</dt>
      <dd>{value || "—"}</dd>
    </div>
  );

  return (
    <>
      <dl>
        {row("Client", matter.client_name)}
        {row("Practice area", matter.practice_area)}
        {row("Court", matter.court)}
        {row("Jurisdiction", matter.jurisdiction)}
        {row("Opened on", matter.opened_on)}
        {row("Supervising attorney", matter.supervising_attorney)}
        {row(
          "Sensitive data",
          DATA_CLASSES.filter(([c]) => matter.data_classes.includes(c))
            .map(([, label]) => label)
            .join(", ") || "None recorded",
        )}
        {row("Providers may work from", matter.allowed_countries.join(", ") || "Any country")}
      </dl>
      <div className="actions">
        <button onClick={onToggleStatus} data-testid="toggle-status">
          {matter.status === "open" ? "Close matter" : "Reopen matter"}
        </button>
        <button className="primary" onClick={onEdit} data-testid="edit-matter">
          Edit
        </button>
      </div>
    </>
  );
}
