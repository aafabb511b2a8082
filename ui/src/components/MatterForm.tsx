import { type FormEvent, useEffect, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { DataClass } from "../bindings/DataClass";
import type { Matter } from "../bindings/Matter";
import { orNull } from "./formBits";
import { useUnsaved } from "./unsaved";

interface Props {
  /** Edit this matter; absent to open a new one. */
  matterId?: string;
  onSaved: (m: Matter) => void;
  onCancel: () => void;
}

type Fields = {
  number: string;
  title: string;
  client_name: string;
  practice_area: string;
  court: string;
  jurisdiction: string;
  opened_on: string;
  supervising_attorney: string;
  /** Country codes as typed: separated by commas or spaces. */
  allowed_countries: string;
};

const EMPTY: Fields = {
  number: "",
  title: "",
  client_name: "",
  practice_area: "",
  court: "",
  jurisdiction: "",
  opened_on: "",
  supervising_attorney: "",
  allowed_countries: "",
};

const LABELS: [keyof Fields, string, boolean][] = [
  ["number", "Matter number", true],
  ["title", "Title", true],
  ["client_name", "Client", true],
  ["practice_area", "Practice area", false],
  ["court", "Court", false],
  ["jurisdiction", "Jurisdiction", false],
  ["opened_on", "Opened on", false],
  ["supervising_attorney", "Supervising attorney", false],
];

/** Classes of sensitive data a matter may hold (DataClass in crates/core). */
export const DATA_CLASSES: [DataClass, string][] = [
  ["eu_uk_personal_data", "EU/UK personal data"],
  ["health_information", "Health information"],
  ["export_controlled", "Export-controlled data"],
  ["protective_order", "Under a protective order"],
];

const countryList = (typed: string) =>
  typed
    .split(/[\s,;]+/)
    .map((c) => c.trim())
    .filter(Boolean);

export function MatterForm({ matterId, onSaved, onCancel }: Props) {
  const backend = useBackend();
  const unsaved = useUnsaved();
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [classes, setClasses] = useState<DataClass[]>([]);
  const [formError, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  // The matter being edited, once, to start the form from (no refetch on changes:
  // that would overwrite what is being typed).
  const stored = useBackendQuery(
    (b) => (matterId ? b.matterGet(matterId) : Promise.resolve(null)),
    [matterId],
  );
  const error = formError ?? stored.error;
  const start = stored.data;
  useEffect(() => {
    if (!start) return;
    setClasses(start.data_classes);
    setFields({
      number: start.number,
      title: start.title,
      client_name: start.client_name,
      practice_area: start.practice_area ?? "",
      court: start.court ?? "",
      jurisdiction: start.jurisdiction ?? "",
      opened_on: start.opened_on,
      supervising_attorney: start.supervising_attorney ?? "",
      allowed_countries: start.allowed_countries.join(", "),
    });
  }, [start]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const values = {
        ...fields,
        data_classes: classes,
        allowed_countries: countryList(fields.allowed_countries),
      };
      const saved = matterId
        ? // An optional field left blank is cleared (null).
          await backend.matterUpdate(matterId, {
            ...values,
            practice_area: orNull(fields.practice_area),
            court: orNull(fields.court),
            jurisdiction: orNull(fields.jurisdiction),
            supervising_attorney: orNull(fields.supervising_attorney),
          })
        : await backend.matterCreate({ ...values, opened_on: fields.opened_on || undefined });
      onSaved(saved);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="form"
      onSubmit={submit}
      onChange={unsaved.edited}
      data-testid="matter-form"
      noValidate
    >
      <h2>{matterId ? "Edit matter" : "New matter"}</h2>
      {error && !error.field && (
        <p className="banner error" role="alert">
          {error.message}
        </p>
      )}
      {LABELS.map(([name, label, required]) => {
        const fieldError = error?.field === name ? error.message : null;
        return (
          <label key={name} className={fieldError ? "field has-error" : "field"}>
            <span>
              {label}
              {required && <abbr title="required"> *</abbr>}
            </span>
            <input
              name={name}
              data-testid={`field-${name}`}
              type={name === "opened_on" ? "date" : "text"}
              value={fields[name]}
              autoFocus={name === "number" && !matterId}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? `${name}-error` : undefined}
              onChange={(e) => setFields({ ...fields, [name]: e.target.value })}
            />
            {fieldError && (
              <small id={`${name}-error`} className="field-error" data-testid={`error-${name}`}>
                {fieldError}
              </small>
            )}
          </label>
        );
      })}
      <fieldset
        className={error?.field === "data_classes" ? "field has-error" : "field"}
        data-testid="field-data_classes"
      >
        <legend>Sensitive data in this matter</legend>
        {DATA_CLASSES.map(([value, label]) => (
          <label key={value} className="check">
            <input
              type="checkbox"
              data-testid={`field-data_class-${value}`}
              checked={classes.includes(value)}
              onChange={(e) =>
                setClasses(
                  e.target.checked ? [...classes, value] : classes.filter((c) => c !== value),
                )
              }
            />
            {label}
          </label>
        ))}
        {error?.field === "data_classes" && (
          <small className="field-error" data-testid="error-data_classes">
            {error.message}
          </small>
        )}
      </fieldset>
      <label className={error?.field === "allowed_countries" ? "field has-error" : "field"}>
        <span>Providers may work from</span>
        <input
          name="allowed_countries"
          data-testid="field-allowed_countries"
          placeholder="Any country; or codes such as US, GB"
          value={fields.allowed_countries}
          aria-invalid={error?.field === "allowed_countries" ? true : undefined}
          aria-describedby={
            error?.field === "allowed_countries" ? "allowed_countries-error" : "countries-hint"
          }
          onChange={(e) => setFields({ ...fields, allowed_countries: e.target.value })}
        />
        {error?.field === "allowed_countries" ? (
          <small
            id="allowed_countries-error"
            className="field-error"
            data-testid="error-allowed_countries"
          >
            {error.message}
          </small>
        ) : (
          <small id="countries-hint" className="muted">
            Two-letter country codes, separated by commas. Leave empty for no restriction.
          </small>
        )}
      </label>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={saving} data-testid="save-matter">
          {saving ? "Saving…" : matterId ? "Save changes" : "Open matter"}
        </button>
      </div>
    </form>
  );
}
