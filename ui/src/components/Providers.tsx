import { type FormEvent, useEffect, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { AiUse } from "../bindings/AiUse";
import type { ApiError } from "../bindings/ApiError";
import type { Provider } from "../bindings/Provider";
import { DiligenceChecklist, ReviewsDue } from "./DiligenceChecklist";
import { orNull, splitList } from "./formBits";
import { useUnsaved } from "./unsaved";

const AI_USE: Record<AiUse, string> = {
  undeclared: "Not declared",
  none: "No AI used",
  declared: "Uses AI (declared)",
};

/** The providers directory: who the firm sends work to, and what is on file for each. */
export function ProviderList({
  onOpen,
  onNew,
}: {
  onOpen: (id: string) => void;
  onNew: () => void;
}) {
  const [query, setQuery] = useState("");
  const { data: page, error } = useBackendQuery(
    (b) => b.providerList({ query: query || undefined, limit: 500 }),
    [query],
    ["provider"],
  );

  return (
    <div>
      <header className="toolbar">
        <h1>Providers</h1>
        <input
          className="search"
          type="search"
          placeholder="Search name, services or notes"
          aria-label="Search providers"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-testid="provider-search"
        />
        <button className="primary" onClick={onNew} data-testid="new-provider">
          New provider
        </button>
      </header>
      {error && (
        <p className="banner error" role="alert">
          {error.message}
        </p>
      )}
      <ReviewsDue onOpen={onOpen} />
      {page && page.total === 0 && !query && (
        <div className="empty" data-testid="providers-empty">
          <h2>No providers yet</h2>
          <p>Add the firms you send work to, with their countries, agreements and diligence.</p>
          <button className="primary" onClick={onNew}>
            New provider
          </button>
        </div>
      )}
      {page && page.total > 0 && (
        <table className="grid" data-testid="provider-table">
          <thead>
            <tr>
              <th>Legal name</th>
              <th style={{ width: "120px" }}>Countries</th>
              <th>Services</th>
              <th style={{ width: "170px" }}>On file</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((p) => (
              <tr
                key={p.id}
                data-testid="provider-row"
                tabIndex={0}
                onClick={() => onOpen(p.id)}
                onKeyDown={(e) => e.key === "Enter" && onOpen(p.id)}
              >
                <td className="strong">{p.legal_name}</td>
                <td className="mono">{p.countries.join(", ") || "—"}</td>
                <td className="muted">{p.services.join(", ") || "—"}</td>
                <td>
                  {[
                    p.nda_on_file && "NDA",
                    p.baa_on_file && "BAA",
                    p.transfer_mechanism_on_file && "Transfer",
                  ]
                    .filter(Boolean)
                    .join(" · ") || <span className="muted">nothing</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Adds a provider, or with `providerId` edits one (the fields shown; the rest stay). */
export function ProviderForm({
  providerId,
  onSaved,
  onCancel,
}: {
  providerId?: string;
  onSaved: (p: Provider) => void;
  onCancel: () => void;
}) {
  const backend = useBackend();
  const unsaved = useUnsaved();
  const [name, setName] = useState("");
  const [countries, setCountries] = useState("");
  const [services, setServices] = useState("");
  const [nda, setNda] = useState("");
  const [baa, setBaa] = useState("");
  const [transfer, setTransfer] = useState("");
  const [review, setReview] = useState("");
  const [aiUse, setAiUse] = useState<AiUse>("undeclared");
  const [aiDetail, setAiDetail] = useState("");
  const [notes, setNotes] = useState("");
  const [exportClearance, setExport] = useState("");
  const [formError, setError] = useState<ApiError | null>(null);
  const [loaded, setLoaded] = useState(!providerId);
  // The provider as it is, once, to start the form from (no refetch on changes:
  // that would overwrite what is being typed).
  const stored = useBackendQuery(
    (b) => (providerId ? b.providerGet(providerId) : Promise.resolve(null)),
    [providerId],
  );
  const error = formError ?? stored.error;
  const start = stored.data;
  useEffect(() => {
    if (!start) return;
    setName(start.legal_name);
    setCountries(start.countries.join(", "));
    setServices(start.services.join(", "));
    setNda(start.nda_signed_on ?? "");
    setBaa(start.baa_signed_on ?? "");
    setTransfer(start.transfer_mechanism_signed_on ?? "");
    setReview(start.diligence_review_on ?? "");
    setAiUse(start.ai_use);
    setAiDetail(start.ai_use_detail ?? "");
    setNotes(start.notes ?? "");
    setExport(start.export_clearance ?? "");
    setLoaded(true);
  }, [start]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const fields = {
      legal_name: name,
      countries: splitList(countries, true),
      services: splitList(services),
      nda_on_file: nda !== "",
      baa_on_file: baa !== "",
      transfer_mechanism_on_file: transfer !== "",
      ai_use: aiUse,
    };
    const detail = aiUse === "declared" ? aiDetail : "";
    try {
      const p = providerId
        ? // A date or a note left blank is cleared (null).
          await backend.providerUpdate(providerId, {
            ...fields,
            nda_signed_on: orNull(nda),
            baa_signed_on: orNull(baa),
            transfer_mechanism_signed_on: orNull(transfer),
            diligence_review_on: orNull(review),
            ai_use_detail: orNull(detail),
            export_clearance: orNull(exportClearance),
            notes: orNull(notes),
          })
        : await backend.providerCreate({
            ...fields,
            nda_signed_on: nda || undefined,
            baa_signed_on: baa || undefined,
            transfer_mechanism_signed_on: transfer || undefined,
            diligence_review_on: review || undefined,
            ai_use_detail: detail || undefined,
            export_clearance: exportClearance || undefined,
            notes: notes || undefined,
          });
      onSaved(p);
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const fieldError = (f: string) =>
    error?.field === f ? (
      <small className="field-error" data-testid={`error-${f}`}>
        {error.message}
      </small>
    ) : null;
  const known = [
    "legal_name",
    "countries",
    "nda_signed_on",
    "baa_signed_on",
    "transfer_mechanism_signed_on",
    "diligence_review_on",
    "ai_use_detail",
    "export_clearance",
  ];

  return (
    <form
      className="form"
      onSubmit={submit}
      onChange={unsaved.edited}
      data-testid="provider-form"
      noValidate
    >
      <h2>{providerId ? "Edit provider" : "New provider"}</h2>
      {error && !known.includes(error.field ?? "") && (
        <p className="banner error" role="alert">
          {error.message}
        </p>
      )}
      <label className="field">
        <span>
          Legal name<abbr title="required"> *</abbr>
        </span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          data-testid="field-legal_name"
          autoFocus
        />
        {fieldError("legal_name")}
      </label>
      <label className="field">
        <span>Countries where it processes data (two-letter codes, comma-separated)</span>
        <input
          value={countries}
          onChange={(e) => setCountries(e.target.value)}
          placeholder="IN, PH"
          data-testid="field-countries"
        />
        {fieldError("countries")}
      </label>
      <label className="field">
        <span>Services</span>
        <input
          value={services}
          onChange={(e) => setServices(e.target.value)}
          placeholder="document review, transcription"
        />
      </label>
      <div className="field-row">
        <label className="field">
          <span>NDA signed on</span>
          <input
            type="date"
            value={nda}
            onChange={(e) => setNda(e.target.value)}
            data-testid="field-nda"
          />
          {fieldError("nda_signed_on")}
        </label>
        <label className="field">
          <span>BAA signed on</span>
          <input
            type="date"
            id="provider-baa"
            data-testid="field-baa"
            value={baa}
            onChange={(e) => setBaa(e.target.value)}
          />
          {fieldError("baa_signed_on")}
        </label>
      </div>
      <div className="field-row">
        <label className="field">
          <span>Transfer mechanism (SCCs, DPF) on</span>
          <input type="date" value={transfer} onChange={(e) => setTransfer(e.target.value)} />
          {fieldError("transfer_mechanism_signed_on")}
        </label>
        <label className="field">
          <span>Diligence re-review due</span>
          <input type="date" value={review} onChange={(e) => setReview(e.target.value)} />
          {fieldError("diligence_review_on")}
        </label>
      </div>
      <label className="field">
        <span>AI use</span>
        <select
          id="provider-ai-use"
          value={aiUse}
          onChange={(e) => setAiUse(e.target.value as AiUse)}
        >
          {Object.entries(AI_USE).map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {aiUse === "declared" && (
        <label className="field">
          <span>
            Which AI tools it declared, and for what<abbr title="required"> *</abbr>
          </span>
          <input
            id="provider-ai-detail"
            data-testid="field-ai_use_detail"
            value={aiDetail}
            onChange={(e) => setAiDetail(e.target.value)}
          />
          {fieldError("ai_use_detail")}
        </label>
      )}
      <label className="field">
        <span>Export control: clearance, or licence or exemption number (ITAR / EAR)</span>
        <input
          id="provider-export-clearance"
          data-testid="field-export_clearance"
          value={exportClearance}
          placeholder="e.g. US persons only, DDTC registration M-12345"
          onChange={(e) => setExport(e.target.value)}
        />
        {fieldError("export_clearance")}
      </label>
      <label className="field">
        <span>Notes</span>
        <input value={notes} onChange={(e) => setNotes(e.target.value)} />
      </label>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className="primary"
          id="provider-save"
          data-testid="save-provider"
          disabled={!loaded}
        >
          {providerId ? "Save changes" : "Add provider"}
        </button>
      </div>
    </form>
  );
}

/** The provider file: what is on file, consents given for it, work sent to it. */
export function ProviderFile({
  id,
  onDismiss,
  onEdit,
}: {
  id: string;
  onDismiss: () => void;
  /** Opens the provider in the edit form. */
  onEdit?: () => void;
}) {
  // Loaded once per provider, as before: the panel is opened afresh after an edit.
  const { data, error } = useBackendQuery(
    (b) =>
      Promise.all([
        b.providerGet(id),
        b.consentList({ provider_id: id }),
        b.assignmentList({ provider_id: id, limit: 200 }),
      ]),
    [id],
  );

  if (error)
    return (
      <p className="banner error" role="alert">
        {error.message}
      </p>
    );
  if (!data) return <p className="muted">Loading…</p>;
  const [p, consents, { items: assignments }] = data;
  const onFile = (label: string, yes: boolean, date: string | null) => (
    <div className="kv">
      <dt>{label}</dt>
      <dd>{yes ? `On file, signed ${date ?? ""}` : <span className="muted">Not on file</span>}</dd>
    </div>
  );

  return (
    <div className="detail" data-testid="provider-file">
      <div className="detail-head">
        <h2 data-testid="provider-name">{p.legal_name}</h2>
        <button className="icon" aria-label="Close panel" onClick={onDismiss}>
          ×
        </button>
      </div>
      <dl>
        <div className="kv">
          <dt>Countries</dt>
          <dd className="mono">{p.countries.join(", ") || "—"}</dd>
        </div>
        <div className="kv">
          <dt>Services</dt>
          <dd>{p.services.join(", ") || "—"}</dd>
        </div>
        {onFile("NDA", p.nda_on_file, p.nda_signed_on)}
        {onFile("BAA", p.baa_on_file, p.baa_signed_on)}
        {onFile("Transfer mechanism", p.transfer_mechanism_on_file, p.transfer_mechanism_signed_on)}
        <div className="kv">
          <dt>AI use</dt>
          <dd>{AI_USE[p.ai_use]}</dd>
        </div>
        <div className="kv">
          <dt>Diligence review</dt>
          <dd>{p.diligence_review_on ?? "—"}</dd>
        </div>
      </dl>
      {onEdit && (
        <div className="actions">
          <button
            className="primary"
            id="provider-edit"
            data-testid="edit-provider"
            onClick={onEdit}
          >
            Edit
          </button>
        </div>
      )}
      <DiligenceChecklist key={`${id}-${p.revision}`} providerId={id} />
      <h3>Client consents ({consents.length})</h3>
      {consents.length === 0 ? (
        <p className="small muted">No client has consented to sending work here yet.</p>
      ) : (
        <ul className="history">
          {consents.map((c) => (
            <li key={c.id}>
              <span>{c.scope}</span>
              <span className="muted">{c.given_on}</span>
            </li>
          ))}
        </ul>
      )}
      <h3>Assignments ({assignments.length})</h3>
      {assignments.length === 0 ? (
        <p className="small muted">No work sent yet.</p>
      ) : (
        <ul className="history">
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
      <h3>Key fingerprints</h3>
      <p className="small muted">
        Each work order shared with this provider shows the fingerprints of the keys it joined with,
        to compare over the phone and mark verified (Work sent out → Share with provider).
      </p>
    </div>
  );
}
