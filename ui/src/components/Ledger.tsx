// The firm's disclosure ledger: every send that left, was refused by the send guard,
// or went on an attorney's override — newest first, with what went, to whose keys,
// under which consent, decided by whom. The rows come from Rust; nothing here
// decides anything.
import { useState } from "react";
import { useBackend } from "../api/context";
import { toApiError } from "../api/backend";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { DisclosureDecision } from "../bindings/DisclosureDecision";
import type { LedgerRow } from "../bindings/LedgerRow";
import { ErrorBanner } from "./formBits";
import { dateTime } from "./format";

const DECISION: Record<DisclosureDecision, string> = {
  allow: "Sent",
  allow_with_conditions: "Sent, with conditions",
  block: "Blocked",
  override: "Sent on an override",
};

/** An override's reason, and the guard's reasons for anything but a plain send. */
function Why({ row }: { row: LedgerRow }) {
  return (
    <>
      {row.override_reason && <div className="small">Reason: {row.override_reason}</div>}
      {row.decision !== "allow" &&
        row.reasons.map((x) => (
          <div key={x} className="small muted">
            {x}
          </div>
        ))}
    </>
  );
}

/**
 * The ledger of the whole firm, or (with `matterId`) of one matter, where it also
 * makes the client's disclosure report.
 */
export function Ledger({ matterId }: { matterId?: string }) {
  const backend = useBackend();
  const { data, error } = useBackendQuery(
    (b) => b.ledgerList(matterId ? { matter_id: matterId } : {}),
    [matterId],
    ["exchange", "document"],
  );
  const [only, setOnly] = useState<DisclosureDecision | "">("");
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<ApiError | null>(null);
  const rows = [...(data ?? [])].reverse().filter((r) => only === "" || r.decision === only);
  const overrides = (data ?? []).filter((r) => r.decision === "override").length;
  // The native dialog opens in Rust; the window only hears where the file went.
  const save = async (what: () => Promise<string | null>) => {
    setSaved(null);
    setSaveError(null);
    try {
      setSaved(await what());
    } catch (e) {
      setSaveError(toApiError(e));
    }
  };
  const Heading = matterId ? "h3" : "h1";
  return (
    <div className="ledger" data-testid="ledger">
      <header className="toolbar">
        <Heading>{matterId ? "What left the firm" : "Disclosure ledger"}</Heading>
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
        <button
          id="ledger-save-csv"
          onClick={() =>
            void save(() => backend.ledgerSaveCsv(matterId ? { matter_id: matterId } : {}))
          }
        >
          Save as CSV…
        </button>
        {matterId && (
          <button
            id="ledger-save-report"
            className="primary"
            title="A PDF for the client: what of theirs was shared, with whom, when, under which consent"
            onClick={() => void save(() => backend.ledgerSaveReport(matterId))}
          >
            Client report (PDF)…
          </button>
        )}
      </header>
      <p className="small muted">
        {matterId
          ? "Everything of this matter that was sent to a provider, stopped by the send guard, or sent on an attorney's override. Rows are never changed or removed."
          : "What of each client's matters left the firm, to whom, when, and under which consent. Rows are never changed or removed. The same list is in the terminal: mandate ledger (with --csv, or --pdf for a matter's client report)."}
      </p>
      {saved && (
        <p className="banner ok" role="status" data-testid="ledger-saved">
          Saved to {saved}
        </p>
      )}
      <ErrorBanner error={saveError} fields={[]} />
      {overrides > 0 && (
        <p className="banner warn" data-testid="ledger-overrides">
          {overrides === 1
            ? "1 send went on an attorney's override of the send guard."
            : `${overrides} sends went on an attorney's override of the send guard.`}{" "}
          Each is marked below with its reason.
        </p>
      )}
      <ErrorBanner error={error} fields={[]} />
      {data !== null && rows.length === 0 && (
        <p className="muted" data-testid="ledger-empty">
          Nothing has been shared or refused yet.
        </p>
      )}
      {rows.length > 0 && matterId && (
        // The matter panel is narrow: one card per entry rather than seven columns.
        <ul className="ledger-cards" data-testid="ledger-table">
          {rows.map((r, i) => (
            <li key={`${r.decided_at}-${i}`} data-testid="ledger-row" data-decision={r.decision}>
              <div className="ledger-card-head">
                <span className={`pill decision-${r.decision}`}>{DECISION[r.decision]}</span>
                <span className="small muted">{dateTime(r.decided_at)}</span>
              </div>
              <div>
                To <strong>{r.provider}</strong>, decided by {r.decided_by}
                {r.consent_id ? ", under the consent on file" : ""}
              </div>
              <Why row={r} />
              <ul className="small ledger-items">
                {r.items.map((x) => (
                  <li key={x}>{x}</li>
                ))}
              </ul>
              {r.recipients.length > 0 && (
                <div className="small mono muted">Encrypted to {r.recipients.join("; ")}</div>
              )}
            </li>
          ))}
        </ul>
      )}
      {rows.length > 0 && !matterId && (
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
                  <Why row={r} />
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
