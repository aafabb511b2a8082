import { type FormEvent, useEffect, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ApiError } from "../bindings/ApiError";
import type { Matter } from "../bindings/Matter";

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
};

const EMPTY: Fields = {
  number: "",
  title: "",
  client_name: "",
  practice_area: "",
  court: "",
  jurisdiction: "",
  opened_on: "",
};

const LABELS: [keyof Fields, string, boolean][] = [
  ["number", "Matter number", true],
  ["title", "Title", true],
  ["client_name", "Client", true],
  ["practice_area", "Practice area", false],
  ["court", "Court", false],
  ["jurisdiction", "Jurisdiction", false],
  ["opened_on", "Opened on", false],
];

export function MatterForm({ matterId, onSaved, onCancel }: Props) {
  const backend = useBackend();
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!matterId) return;
    backend.matterGet(matterId).then(
      (m) =>
        setFields({
          number: m.number,
          title: m.title,
          client_name: m.client_name,
          practice_area: m.practice_area ?? "",
          court: m.court ?? "",
          jurisdiction: m.jurisdiction ?? "",
          opened_on: m.opened_on,
        }),
      (e) => setError(toApiError(e)),
    );
  }, [backend, matterId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const saved = matterId
        ? await backend.matterUpdate(matterId, fields)
        : await backend.matterCreate({ ...fields, opened_on: fields.opened_on || undefined });
      onSaved(saved);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} data-testid="matter-form" noValidate>
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
