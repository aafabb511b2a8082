import { type FormEvent, useState } from "react";
import { toApiError } from "../api/backend";
import { allProviders } from "../api/allProviders";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { Consent } from "../bindings/Consent";
import type { DataClass } from "../bindings/DataClass";
import type { Provider } from "../bindings/Provider";
import {
  ErrorBanner,
  Field,
  FieldError,
  FormActions,
  invalidProps,
  orNull,
  ProviderSelect,
  splitList,
} from "./formBits";
import { useUnsaved } from "./unsaved";

export const DATA_CLASSES: Record<DataClass, string> = {
  eu_uk_personal_data: "EU/UK personal data",
  health_information: "Health information",
  export_controlled: "Export-controlled data",
  protective_order: "Under a protective order",
};

const FIELDS = [
  "provider_id",
  "scope",
  "data_classes",
  "countries",
  "given_on",
  "evidence",
  "ai_use_evidence",
];

/** The Consents tab: what the client agreed may go to which provider. */
export function MatterConsents({ matterId }: { matterId: string }) {
  const [form, setForm] = useState<{ kind: "new" } | { kind: "edit"; id: string } | null>(null);
  const { data, error } = useBackendQuery(
    (b) => Promise.all([b.consentList({ matter_id: matterId }), allProviders(b)]),
    [matterId],
    ["consent", "provider"],
  );

  if (error) return <ErrorBanner error={error} fields={[]} />;
  if (!data) return <p className="muted">Loading…</p>;
  const [consents, providers] = data;
  const name = (id: string) => providers.find((p) => p.id === id)?.legal_name ?? "Unknown provider";
  // The write's change event loads the list again.
  const saved = () => setForm(null);

  return (
    <div>
      <div className="section-head">
        <h3>Client consents</h3>
        {!form && providers.length > 0 && (
          <button
            className="small-btn"
            id="consent-add"
            data-testid="consent-add"
            onClick={() => setForm({ kind: "new" })}
          >
            Record consent
          </button>
        )}
      </div>
      {form?.kind === "new" && (
        <ConsentForm
          matterId={matterId}
          providers={providers}
          onSaved={saved}
          onCancel={() => setForm(null)}
        />
      )}
      {providers.length === 0 && consents.length === 0 && (
        <p className="small muted" data-testid="consents-empty">
          No providers yet. Add the provider under Providers first; then record here what the client
          agreed may be sent to it.
        </p>
      )}
      {providers.length > 0 && consents.length === 0 && !form && (
        <p className="small muted" data-testid="consents-empty">
          No consents recorded. Before sending work out, record the client’s consent for each
          provider: what may be sent, which kinds of data, to which countries.
        </p>
      )}
      {consents.length > 0 && (
        <ul className="cards" data-testid="matter-consents">
          {consents.map((c) =>
            form?.kind === "edit" && form.id === c.id ? (
              <li key={c.id} className="editing">
                <ConsentForm
                  matterId={matterId}
                  providers={providers}
                  consent={c}
                  onSaved={saved}
                  onCancel={() => setForm(null)}
                />
              </li>
            ) : (
              <li key={c.id} data-testid="consent-row">
                <div className="card-head">
                  <strong>{c.scope}</strong>
                  <button
                    className="small-btn"
                    data-testid="consent-edit"
                    aria-label={`Edit consent: ${c.scope}`}
                    onClick={() => setForm({ kind: "edit", id: c.id })}
                  >
                    Edit
                  </button>
                </div>
                <div className="small">
                  {name(c.provider_id)} · given {c.given_on}
                </div>
                <div className="small muted">
                  Data: {c.data_classes.map((d) => DATA_CLASSES[d]).join(", ") || "none named"} ·
                  Countries: {c.countries.join(", ") || "none named"}
                </div>
                <div className="small muted">Evidence: {c.evidence}</div>
                <div className="small muted" data-testid="consent-ai-use">
                  {c.covers_ai_use
                    ? `Covers the provider's use of AI (evidence: ${c.ai_use_evidence ?? ""})`
                    : "Does not cover the provider's use of AI"}
                </div>
              </li>
            ),
          )}
        </ul>
      )}
    </div>
  );
}

/** Records a consent, or corrects one (the matter and provider stay). */
function ConsentForm({
  matterId,
  providers,
  consent,
  onSaved,
  onCancel,
}: {
  matterId: string;
  providers: Provider[];
  consent?: Consent;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const backend = useBackend();
  const unsaved = useUnsaved();
  const [providerId, setProviderId] = useState(consent?.provider_id ?? "");
  const [scope, setScope] = useState(consent?.scope ?? "");
  const [classes, setClasses] = useState<DataClass[]>(consent?.data_classes ?? []);
  const [countries, setCountries] = useState(consent?.countries.join(", ") ?? "");
  const [givenOn, setGivenOn] = useState(consent?.given_on ?? "");
  const [evidence, setEvidence] = useState(consent?.evidence ?? "");
  const [coversAi, setCoversAi] = useState(consent?.covers_ai_use ?? false);
  const [aiEvidence, setAiEvidence] = useState(consent?.ai_use_evidence ?? "");
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaving(true);
    const fields = {
      scope,
      data_classes: classes,
      countries: splitList(countries, true),
      given_on: givenOn,
      evidence,
      covers_ai_use: coversAi,
      ai_use_evidence: coversAi ? aiEvidence : undefined,
    };
    try {
      if (consent)
        await backend.consentUpdate(consent.id, {
          ...fields,
          // Not covered, or left blank: the evidence is cleared (null).
          ai_use_evidence: coversAi ? orNull(aiEvidence) : null,
        });
      else await backend.consentCreate({ matter_id: matterId, provider_id: providerId, ...fields });
      onSaved();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  const toggle = (c: DataClass, on: boolean) =>
    setClasses((cur) => (on ? [...cur, c] : cur.filter((x) => x !== c)));

  return (
    <form
      className="form inline-form"
      onSubmit={submit}
      onChange={unsaved.edited}
      data-testid="consent-form"
      noValidate
    >
      <h4>{consent ? "Correct the consent" : "Record a client consent"}</h4>
      <ErrorBanner error={error} fields={FIELDS} />
      <ProviderSelect
        id="consent-provider"
        providers={providers}
        value={providerId}
        locked={!!consent}
        error={error}
        onChange={setProviderId}
      />
      <Field label="What the client agreed may be outsourced" field="scope" error={error} required>
        <input
          id="consent-scope"
          data-testid="consent-scope"
          value={scope}
          placeholder="First-level document review"
          onChange={(e) => setScope(e.target.value)}
          {...invalidProps(error, "scope")}
        />
      </Field>
      <fieldset
        className={error?.field === "data_classes" ? "field has-error" : "field"}
        {...invalidProps(error, "data_classes")}
      >
        <legend>Kinds of sensitive data covered</legend>
        {(Object.entries(DATA_CLASSES) as [DataClass, string][]).map(([c, label]) => (
          <label key={c} className="check">
            <input
              type="checkbox"
              id={`consent-class-${c}`}
              data-testid={`consent-class-${c}`}
              checked={classes.includes(c)}
              onChange={(e) => toggle(c, e.target.checked)}
            />
            {label}
          </label>
        ))}
        <FieldError error={error} field="data_classes" />
      </fieldset>
      <Field
        label="Countries the client allowed (two-letter codes, comma-separated)"
        field="countries"
        error={error}
      >
        <input
          id="consent-countries"
          data-testid="consent-countries"
          value={countries}
          placeholder="IN, PH"
          onChange={(e) => setCountries(e.target.value)}
          {...invalidProps(error, "countries")}
        />
      </Field>
      <Field label="Given on" field="given_on" error={error} required>
        <input
          type="date"
          id="consent-given-on"
          data-testid="consent-given-on"
          value={givenOn}
          onChange={(e) => setGivenOn(e.target.value)}
          {...invalidProps(error, "given_on")}
        />
      </Field>
      <Field
        label="Evidence (the email or letter, and where it is filed)"
        field="evidence"
        error={error}
        required
      >
        <textarea
          id="consent-evidence"
          data-testid="consent-evidence"
          rows={2}
          value={evidence}
          onChange={(e) => setEvidence(e.target.value)}
          {...invalidProps(error, "evidence")}
        />
      </Field>
      <fieldset className="choices">
        <legend className="small">The provider's use of AI (ABA Formal Op. 512)</legend>
        <label className="check">
          <input
            type="checkbox"
            id="consent-covers-ai"
            data-testid="consent-covers-ai"
            checked={coversAi}
            onChange={(e) => setCoversAi(e.target.checked)}
          />{" "}
          The client consented to the provider using AI tools on this work
        </label>
        {coversAi && (
          <Field
            label="Evidence of that consent (the document, and where it is filed)"
            field="ai_use_evidence"
            error={error}
            required
          >
            <textarea
              id="consent-ai-evidence"
              data-testid="consent-ai-evidence"
              rows={2}
              value={aiEvidence}
              onChange={(e) => setAiEvidence(e.target.value)}
              {...invalidProps(error, "ai_use_evidence")}
            />
          </Field>
        )}
      </fieldset>
      <FormActions
        id="consent"
        saving={saving}
        label={consent ? "Save changes" : "Record consent"}
        onCancel={onCancel}
      />
    </form>
  );
}
