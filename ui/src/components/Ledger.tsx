// The firm's disclosure ledger: every send that left, was refused by the send guard,
// or went on an attorney's override — newest first, with what went, to whose keys,
// under which consent, decided by whom. The rows come from Rust; nothing here
// decides anything.
import { useState } from "react";
import { useBackendQuery } from "../api/useBackendQuery";
import type { DisclosureDecision } from "../bindings/DisclosureDecision";
import { ErrorBanner } from "./formBits";
import { dateTime } from "./format";

const DECISION: Record<DisclosureDecision, string> = {
  allow: "Sent",
  allow_with_conditions: "Sent, with conditions",
  block: "Blocked",
  override: "Sent on an override",
};

export function Ledger() {
  const { data, error } = useBackendQuery((b) => b.ledgerList({}), [], ["exchange", "document"]);
  const [only, setOnly] = useState<DisclosureDecision | "">("");
  const rows = [...(data ?? [])].reverse().filter((r) => only === "" || r.decision === only);
  return (
    <div className="ledger" data-testid="ledger">
      <header className="toolbar">
        <h1>Disclosure ledger</h1>
        <label className="field inline">
          <span>Show</span>
          <select
            id="ledger-decision"
            data-testid="ledger-decision"
            value={only}
            onChange={(e) => setOnly(e.target.value as DisclosureDecision | "")}
          >
            <option value="">Everything</option>
            {Object.entries(DECISION).map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </header>
      <p className="small muted">
        What of each client's matters left the firm, to whom, when, and under which consent. Rows
        are never changed or removed. The same list is in the terminal: mandate ledger (with --csv).
      </p>
      <ErrorBanner error={error} fields={[]} />
      {data !== null && rows.length === 0 && (
        <p className="muted" data-testid="ledger-empty">
          Nothing has been shared or refused yet.
        </p>
      )}
      {rows.length > 0 && (
        <table className="table" data-testid="ledger-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Matter</th>
              <th scope="col">Provider</th>
              <th scope="col">Decision</th>
              <th scope="col">What</th>
              <th scope="col">Encrypted to</th>
              <th scope="col">Decided by</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`${r.decided_at}-${i}`} data-testid="ledger-row" data-decision={r.decision}>
                <td className="small">{dateTime(r.decided_at)}</td>
                <td className="mono">{r.matter}</td>
                <td>{r.provider}</td>
                <td>
                  <span className={`pill decision-${r.decision}`}>{DECISION[r.decision]}</span>
                  {r.override_reason && <div className="small">Reason: {r.override_reason}</div>}
                  {r.decision !== "allow" &&
                    r.reasons.map((x) => (
                      <div key={x} className="small muted">
                        {x}
                      </div>
                    ))}
                </td>
                <td className="small">
                  {r.items.map((x) => (
                    <div key={x}>{x}</div>
                  ))}
                </td>
                <td className="small mono">
                  {r.recipients.length ? r.recipients.join("; ") : "—"}
                </td>
                <td className="small">
                  {r.decided_by}
                  {r.consent_id ? <div className="muted">consent on file</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
