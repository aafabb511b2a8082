import { type FormEvent, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { CountingMethod } from "../bindings/CountingMethod";
import type { CountDirection } from "../bindings/CountDirection";
import type { Deadline } from "../bindings/Deadline";
import type { DeadlineKind } from "../bindings/DeadlineKind";
import type { ServiceMethod } from "../bindings/ServiceMethod";
import { useUnsaved } from "./unsaved";

interface Props {
  matterId: string;
  onSaved: (made: Deadline[]) => void;
  onCancel: () => void;
}

type Source = "rule" | "period" | "date";

export function DeadlineForm({ matterId, onSaved, onCancel }: Props) {
  const backend = useBackend();
  const unsaved = useUnsaved();
  // What the form offers, each loaded on its own (a list that cannot be read is
  // left empty, as before).
  const rules = useBackendQuery((b) => b.deadlineRules(), []).data ?? [];
  const courtDeadlines =
    useBackendQuery(
      (b) =>
        b.deadlineList({ matter_id: matterId }).then((l) => l.filter((d) => d.kind === "court")),
      [matterId],
    ).data ?? [];
  const assignments =
    useBackendQuery(
      (b) =>
        b
          .assignmentList({ matter_id: matterId, limit: 200 })
          .then((p) => p.items.filter((a) => a.status !== "cancelled")),
      [matterId],
    ).data ?? [];
  const [source, setSource] = useState<Source>("rule");
  // The first rule until another is chosen.
  const [chosenRule, setRuleId] = useState("");
  const ruleId = chosenRule || rules[0]?.id || "";
  const [trigger, setTrigger] = useState("");
  const [service, setService] = useState<ServiceMethod>("electronic");
  const [days, setDays] = useState("14");
  const [method, setMethod] = useState<CountingMethod>("calendar");
  const [direction, setDirection] = useState<CountDirection>("after");
  const [dueDate, setDueDate] = useState("");
  const [kind, setKind] = useState<DeadlineKind>("court");
  const [title, setTitle] = useState("");
  const [servesId, setServesId] = useState("");
  const [assignmentId, setAssignmentId] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const made = await backend.deadlineCreate({
        matter_id: matterId,
        kind,
        title: title || undefined,
        rule_id: source === "rule" ? ruleId : undefined,
        trigger: source === "date" ? undefined : trigger || undefined,
        service: source === "date" ? undefined : service,
        days: source === "period" ? Number(days) : undefined,
        method: source === "period" ? method : undefined,
        direction: source === "period" ? direction : undefined,
        due_date: source === "date" ? dueDate || undefined : undefined,
        serves_id: kind === "vendor" && servesId ? servesId : undefined,
        assignment_id: assignmentId || undefined,
      });
      onSaved(made);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  const fieldError = (f: string) =>
    error?.field === f ? (
      <small className="field-error" data-testid={`error-${f}`}>
        {error.message}
      </small>
    ) : null;
  const selected = rules.find((r) => r.id === ruleId);

  return (
    <form
      className="form"
      onSubmit={submit}
      onChange={unsaved.edited}
      data-testid="deadline-form"
      noValidate
    >
      <h2>Add deadline</h2>
      {error &&
        !["trigger", "rule_id", "days", "due_date", "title"].includes(error.field ?? "") && (
          <p className="banner error" role="alert">
            {error.message}
          </p>
        )}
      <div className="segmented wide" role="radiogroup" aria-label="Computed from">
        {(
          [
            ["rule", "A rule"],
            ["period", "A period"],
            ["date", "A date"],
          ] as const
        ).map(([v, label]) => (
          <button
            key={v}
            type="button"
            role="radio"
            aria-checked={source === v}
            onClick={() => setSource(v)}
            data-testid={`source-${v}`}
          >
            {label}
          </button>
        ))}
      </div>
      {source === "rule" && (
        <label className="field">
          <span>Rule</span>
          <select
            value={ruleId}
            onChange={(e) => setRuleId(e.target.value)}
            data-testid="field-rule"
          >
            {rules.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
          {selected && (
            <small className="muted">
              {selected.period} — {selected.citation}
            </small>
          )}
          {fieldError("rule_id")}
        </label>
      )}
      {source === "period" && (
        <div className="field-row">
          <label className="field">
            <span>Days</span>
            <input
              type="number"
              value={days}
              onChange={(e) => setDays(e.target.value)}
              data-testid="field-days"
            />
            {fieldError("days")}
          </label>
          <label className="field">
            <span>Counting</span>
            <select value={method} onChange={(e) => setMethod(e.target.value as CountingMethod)}>
              <option value="calendar">Calendar days</option>
              <option value="court">Court days</option>
              <option value="business">Business days</option>
            </select>
          </label>
          <label className="field">
            <span>Direction</span>
            <select
              value={direction}
              onChange={(e) => setDirection(e.target.value as CountDirection)}
            >
              <option value="after">After the event</option>
              <option value="before">Before the event</option>
            </select>
          </label>
        </div>
      )}
      {source !== "date" && (
        <div className="field-row">
          <label className="field">
            <span>
              {selected && source === "rule" ? `Date of ${selected.trigger}` : "Date of the event"}
            </span>
            <input
              type="date"
              value={trigger}
              onChange={(e) => setTrigger(e.target.value)}
              data-testid="field-trigger"
            />
            {fieldError("trigger")}
          </label>
          <label className="field">
            <span>Served</span>
            <select
              value={service}
              onChange={(e) => setService(e.target.value as ServiceMethod)}
              data-testid="field-service"
            >
              <option value="electronic">Electronically</option>
              <option value="personal">In person</option>
              <option value="mail">By mail (+3 days)</option>
              <option value="clerk">With the clerk (+3 days)</option>
              <option value="other">Other consented means (+3 days)</option>
            </select>
          </label>
        </div>
      )}
      {source === "date" && (
        <label className="field">
          <span>Due date</span>
          <input
            type="date"
            value={dueDate}
            onChange={(e) => setDueDate(e.target.value)}
            data-testid="field-due"
          />
          {fieldError("due_date")}
        </label>
      )}
      <div className="field-row">
        <label className="field">
          <span>Kind</span>
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as DeadlineKind)}
            data-testid="field-kind"
          >
            <option value="court">Court</option>
            <option value="internal">Internal</option>
            <option value="vendor">Vendor</option>
          </select>
        </label>
        {kind === "vendor" && (
          <label className="field">
            <span>Serves court deadline</span>
            <select
              value={servesId}
              onChange={(e) => setServesId(e.target.value)}
              data-testid="field-serves"
            >
              <option value="">—</option>
              {courtDeadlines.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.due_date} {d.title}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {assignments.length > 0 && (
        <label className="field">
          <span>For the assignment</span>
          <select
            value={assignmentId}
            onChange={(e) => setAssignmentId(e.target.value)}
            data-testid="field-assignment"
          >
            <option value="">— (the matter only)</option>
            {assignments.map((a) => (
              <option key={a.id} value={a.id}>
                {a.scope} (due {a.due_on})
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>
          Title {source === "rule" && <em className="muted">(default: the rule's name)</em>}
        </span>
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          data-testid="field-deadline-title"
        />
        {fieldError("title")}
      </label>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving} data-testid="save-deadline">
          {saving ? "Computing…" : "Add deadline"}
        </button>
      </div>
    </form>
  );
}
