import { type FormEvent, useRef, useState } from "react";
import { toApiError } from "../api/backend";
import { allProviders } from "../api/allProviders";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { Assignment } from "../bindings/Assignment";
import type { AssignmentStatus } from "../bindings/AssignmentStatus";
import type { BillingMode } from "../bindings/BillingMode";
import type { Provider } from "../bindings/Provider";
import { ErrorBanner, Field, FormActions, invalidProps, orNull, ProviderSelect } from "./formBits";
import { ShareAssignment } from "./ShareAssignment";
import { useUnsaved } from "./unsaved";

export const STATUS: Record<AssignmentStatus, string> = {
  draft: "Draft",
  sent: "Sent",
  accepted: "Accepted",
  in_progress: "In progress",
  delivered: "Delivered",
  under_review: "Under review",
  approved: "Approved",
  revision_requested: "Revision requested",
  cancelled: "Cancelled",
};

/** What the button that makes the firm's move says. */
const MOVE: Partial<Record<AssignmentStatus, string>> = {
  sent: "Send to provider",
  under_review: "Start review",
  approved: "Approve",
  revision_requested: "Request revision",
  cancelled: "Cancel work order",
};

const FIELDS = [
  "provider_id",
  "scope",
  "instructions",
  "due_on",
  "budget",
  "budget_currency",
  "billing_mode",
  "supervising_attorney",
];

/**
 * The "Work sent out" tab: the matter's work orders, their terms and their status,
 * and sharing a work order with its provider (`ShareAssignment`).
 */
export function MatterAssignments({
  matterId,
  onOpenSettings,
}: {
  matterId: string;
  /** Goes to Settings (sharing needs a relay, added there). */
  onOpenSettings?: () => void;
}) {
  const [form, setForm] = useState<{ kind: "new" } | { kind: "edit"; id: string } | null>(null);
  const [sharing, setSharing] = useState(false);
  const shareOpenRef = useRef<HTMLButtonElement>(null);
  const { data, error } = useBackendQuery(
    (b) => Promise.all([b.assignmentList({ matter_id: matterId, limit: 200 }), allProviders(b)]),
    [matterId],
    ["assignment", "provider"],
  );

  if (error) return <ErrorBanner error={error} fields={[]} />;
  if (!data) return <p className="muted">Loading…</p>;
  const [{ items }, providers] = data;
  const name = (id: string) => providers.find((p) => p.id === id)?.legal_name ?? "Unknown provider";
  // The write's change event loads the list again.
  const changed = () => setForm(null);

  return (
    <div>
      <div className="section-head">
        <h3>Work sent out</h3>
        <div className="row">
          {!sharing && items.length > 0 && (
            <button
              className="small-btn"
              id="share-open"
              data-testid="share-open"
              ref={shareOpenRef}
              onClick={() => setSharing(true)}
            >
              Share with provider…
            </button>
          )}
          {!form && providers.length > 0 && (
            <button
              className="small-btn"
              id="assignment-add"
              data-testid="assignment-add"
              onClick={() => setForm({ kind: "new" })}
            >
              New work order
            </button>
          )}
        </div>
      </div>
      {sharing && items.length > 0 && (
        <ShareAssignment
          matterId={matterId}
          assignments={items}
          providerName={name}
          onOpenSettings={onOpenSettings}
          onClose={() => {
            setSharing(false);
            // Back to the button that opened it, once it is shown again.
            setTimeout(() => shareOpenRef.current?.focus());
          }}
        />
      )}
      {form?.kind === "new" && (
        <AssignmentForm
          matterId={matterId}
          providers={providers}
          onSaved={changed}
          onCancel={() => setForm(null)}
        />
      )}
      {providers.length === 0 && items.length === 0 && (
        <p className="small muted" data-testid="assignments-empty">
          No providers yet. Add the firm you send work to under Providers, then write its work order
          here.
        </p>
      )}
      {providers.length > 0 && items.length === 0 && !form && (
        <p className="small muted" data-testid="assignments-empty">
          No work sent out yet. Write a work order: what is to be done, by when, for what budget,
          and who supervises it.
        </p>
      )}
      {items.length > 0 && (
        <ul className="cards" data-testid="matter-assignments">
          {items.map((a) =>
            form?.kind === "edit" && form.id === a.id ? (
              <li key={a.id} className="editing">
                <AssignmentForm
                  matterId={matterId}
                  providers={providers}
                  assignment={a}
                  onSaved={changed}
                  onCancel={() => setForm(null)}
                />
              </li>
            ) : (
              <li key={a.id} data-testid="assignment-row" data-status={a.status}>
                <div className="card-head">
                  <strong>{a.scope}</strong>
                  <span className={`pill status-${a.status}`} data-testid="assignment-status">
                    {STATUS[a.status]}
                  </span>
                </div>
                <div className="small">
                  {name(a.provider_id)} · due {a.due_on}
                  {a.budget && ` · budget ${a.budget.text}`} ·{" "}
                  {a.billing_mode === "fee" ? "billed as fee" : "passed through at cost"}
                </div>
                <div className="small muted">Supervised by {a.supervising_attorney}</div>
                {a.instructions && <p className="small pre">{a.instructions}</p>}
                <Moves
                  assignment={a}
                  onMoved={changed}
                  onEdit={() => setForm({ kind: "edit", id: a.id })}
                />
              </li>
            ),
          )}
        </ul>
      )}
    </div>
  );
}

/** The firm's moves from the assignment's status, as asked of Rust, one button each. */
function Moves({
  assignment: a,
  onMoved,
  onEdit,
}: {
  assignment: Assignment;
  onMoved: () => void;
  onEdit: () => void;
}) {
  const backend = useBackend();
  const { data: next, error: loadError } = useBackendQuery(
    (b) => b.assignmentNextStates(a.status),
    [a.status],
  );
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [busy, setBusy] = useState(false);
  const [moveError, setError] = useState<ApiError | null>(null);
  const error = moveError ?? loadError;

  const move = async (to: AssignmentStatus) => {
    setBusy(true);
    setError(null);
    try {
      await backend.assignmentMove(a.id, to);
      setConfirmCancel(false);
      onMoved();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const closed = a.status === "approved" || a.status === "cancelled";
  const waiting = next !== null && !closed && next.every((s) => s === "cancelled");
  return (
    <div className="moves">
      {error && (
        <p className="banner error" role="alert">
          {error.message}
        </p>
      )}
      {waiting && (
        <p className="small muted" data-testid="assignment-waiting">
          Waiting for the provider ({STATUS[a.status].toLowerCase()}).
        </p>
      )}
      {confirmCancel ? (
        <div className="row" role="group" aria-label="Confirm cancelling">
          <span className="small">Cancel this work order? This cannot be undone.</span>
          <button
            className="small-btn danger"
            data-testid="assignment-confirm-cancel"
            disabled={busy}
            onClick={() => move("cancelled")}
          >
            Yes, cancel it
          </button>
          <button
            className="small-btn"
            data-testid="assignment-keep"
            autoFocus
            onClick={() => setConfirmCancel(false)}
          >
            Keep it
          </button>
        </div>
      ) : (
        <div className="row wrap">
          {(next ?? []).map((to) => (
            <button
              key={to}
              className={to === "cancelled" ? "small-btn" : "small-btn primary"}
              data-testid={`assignment-move-${to}`}
              disabled={busy}
              onClick={() => (to === "cancelled" ? setConfirmCancel(true) : move(to))}
            >
              {MOVE[to] ?? `Move to ${STATUS[to]}`}
            </button>
          ))}
          {!closed && (
            <button className="small-btn" data-testid="assignment-edit" onClick={onEdit}>
              Edit terms
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** Writes a work order (in draft), or changes its terms. */
function AssignmentForm({
  matterId,
  providers,
  assignment: a,
  onSaved,
  onCancel,
}: {
  matterId: string;
  providers: Provider[];
  assignment?: Assignment;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const backend = useBackend();
  const unsaved = useUnsaved();
  const [providerId, setProviderId] = useState(a?.provider_id ?? "");
  const [scope, setScope] = useState(a?.scope ?? "");
  const [instructions, setInstructions] = useState(a?.instructions ?? "");
  const [dueOn, setDueOn] = useState(a?.due_on ?? "");
  // The amount as written in the currency's own units; Rust reads it with the
  // currency's own decimals (none for JPY) and says beside the field what is wrong.
  const [budget, setBudget] = useState(a?.budget?.amount ?? "");
  const [currency, setCurrency] = useState(a?.budget?.currency ?? "USD");
  const [billing, setBilling] = useState<BillingMode>(a?.billing_mode ?? "cost");
  const [supervisor, setSupervisor] = useState(a?.supervising_attorney ?? "");
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const amount = budget.trim();
    setSaving(true);
    try {
      if (a) {
        await backend.assignmentUpdate(a.id, {
          scope,
          instructions: orNull(instructions),
          due_on: dueOn,
          ...(amount === ""
            ? a.budget !== null
              ? { budget: null }
              : {}
            : { budget: amount, budget_currency: currency }),
          billing_mode: billing,
          supervising_attorney: supervisor,
        });
      } else {
        await backend.assignmentCreate({
          matter_id: matterId,
          provider_id: providerId,
          scope,
          instructions: instructions || undefined,
          due_on: dueOn,
          ...(amount === "" ? {} : { budget: amount, budget_currency: currency }),
          billing_mode: billing,
          supervising_attorney: supervisor,
        });
      }
      onSaved();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="form inline-form"
      onSubmit={submit}
      onChange={unsaved.edited}
      data-testid="assignment-form"
      noValidate
    >
      <h4>{a ? "Change the work order" : "New work order"}</h4>
      <ErrorBanner error={error} fields={FIELDS} />
      <ProviderSelect
        id="assignment-provider"
        providers={providers}
        value={providerId}
        locked={!!a}
        error={error}
        onChange={setProviderId}
      />
      <Field label="What is to be done" field="scope" error={error} required>
        <input
          id="assignment-scope"
          data-testid="assignment-scope"
          value={scope}
          placeholder="First-level review of custodian email"
          onChange={(e) => setScope(e.target.value)}
          {...invalidProps(error, "scope")}
        />
      </Field>
      <Field label="Instructions" field="instructions" error={error}>
        <textarea
          id="assignment-instructions"
          data-testid="assignment-instructions"
          rows={3}
          value={instructions}
          onChange={(e) => setInstructions(e.target.value)}
          {...invalidProps(error, "instructions")}
        />
      </Field>
      <Field label="Due on" field="due_on" error={error} required>
        <input
          type="date"
          id="assignment-due-on"
          data-testid="assignment-due-on"
          value={dueOn}
          onChange={(e) => setDueOn(e.target.value)}
          {...invalidProps(error, "due_on")}
        />
      </Field>
      <div className="field-row">
        <Field label="Budget" field="budget" error={error}>
          <input
            id="assignment-budget"
            data-testid="assignment-budget"
            inputMode="decimal"
            value={budget}
            placeholder="12,000.00"
            onChange={(e) => setBudget(e.target.value)}
            {...invalidProps(error, "budget")}
          />
        </Field>
        <Field label="Currency" field="budget_currency" error={error}>
          <input
            id="assignment-currency"
            data-testid="assignment-currency"
            value={currency}
            maxLength={3}
            onChange={(e) => setCurrency(e.target.value.toUpperCase())}
            {...invalidProps(error, "budget_currency")}
          />
        </Field>
      </div>
      <Field label="Billed to the client" field="billing_mode" error={error}>
        <select
          id="assignment-billing"
          data-testid="assignment-billing"
          value={billing}
          onChange={(e) => setBilling(e.target.value as BillingMode)}
        >
          <option value="cost">At cost (passed through)</option>
          <option value="fee">As the firm’s fee</option>
        </select>
      </Field>
      <Field label="Supervising attorney" field="supervising_attorney" error={error} required>
        <input
          id="assignment-supervisor"
          data-testid="assignment-supervisor"
          value={supervisor}
          onChange={(e) => setSupervisor(e.target.value)}
          {...invalidProps(error, "supervising_attorney")}
        />
      </Field>
      <FormActions
        id="assignment"
        saving={saving}
        label={a ? "Save changes" : "Save as draft"}
        onCancel={onCancel}
      />
    </form>
  );
}
