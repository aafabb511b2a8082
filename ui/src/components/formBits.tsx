// Small pieces the matter tabs' forms share: a labelled field that shows its own
// validation error beside it, and a banner for errors that belong to no field.
import type { ReactNode } from "react";
import type { ApiError } from "../bindings/ApiError";
import { MIN_PASSPHRASE_CHARS } from "../bindings/constants";

export { MIN_PASSPHRASE_CHARS };

/** The message of `error` when it belongs to `field`. */
export function errorFor(error: ApiError | null, field: string): string | null {
  return error?.field === field ? error.message : null;
}

/**
 * aria attributes for the control of `field`, pointing at its error when it has one.
 * `errorId` is the error's element id (default `error-<field>`); give one when two
 * forms on a screen share a field name, so ids stay unique.
 */
export function invalidProps(
  error: ApiError | null,
  field: string,
  errorId = `error-${field}`,
): { "aria-invalid"?: true; "aria-describedby"?: string } {
  return errorFor(error, field) ? { "aria-invalid": true, "aria-describedby": errorId } : {};
}

export function FieldError({
  error,
  field,
  errorId = `error-${field}`,
}: {
  error: ApiError | null;
  field: string;
  errorId?: string;
}) {
  const message = errorFor(error, field);
  return message ? (
    <small id={errorId} className="field-error" data-testid={`error-${field}`}>
      {message}
    </small>
  ) : null;
}

/** A label wrapping one control, with the control's error beside it. */
export function Field({
  label,
  field,
  error,
  required,
  errorId,
  children,
}: {
  label: string;
  field: string;
  error: ApiError | null;
  required?: boolean;
  /** The error's element id, when `error-<field>` could be on the screen twice. */
  errorId?: string;
  children: ReactNode;
}) {
  return (
    <label className={errorFor(error, field) ? "field has-error" : "field"}>
      <span>
        {label}
        {required && <abbr title="required"> *</abbr>}
      </span>
      {children}
      <FieldError error={error} field={field} errorId={errorId} />
    </label>
  );
}

/** An error that belongs to none of `fields` (not found, not allowed, a bug). */
export function ErrorBanner({ error, fields }: { error: ApiError | null; fields: string[] }) {
  if (!error || (error.field && fields.includes(error.field))) return null;
  return (
    <p className="banner error" role="alert">
      {error.message}
    </p>
  );
}

/** "in, ph ,," → ["IN", "PH"]. */
/** What an optional field left blank means in a change: `null`, which clears it. */
export const orNull = (typed: string): string | null => (typed.trim() === "" ? null : typed);

export function splitList(s: string, upper = false): string[] {
  return s
    .split(",")
    .map((x) => (upper ? x.trim().toUpperCase() : x.trim()))
    .filter(Boolean);
}

/**
 * A form's Cancel and Save buttons, with ids `${id}-cancel` and `${id}-save` (also
 * their test ids). `label` is the save button's text; `busy` shows while saving.
 */
export function FormActions({
  id,
  saving,
  disabled,
  label,
  busy = "Saving…",
  onCancel,
}: {
  id: string;
  saving: boolean;
  disabled?: boolean;
  label: string;
  busy?: string;
  onCancel: () => void;
}) {
  return (
    <div className="actions">
      <button type="button" id={`${id}-cancel`} data-testid={`${id}-cancel`} onClick={onCancel}>
        Cancel
      </button>
      <button
        type="submit"
        className="primary"
        id={`${id}-save`}
        data-testid={`${id}-save`}
        disabled={saving || disabled}
      >
        {saving ? busy : label}
      </button>
    </div>
  );
}

/** The provider picker of the consent and work-order forms (`provider_id` field). */
export function ProviderSelect({
  id,
  providers,
  value,
  locked,
  error,
  onChange,
}: {
  id: string;
  providers: { id: string; legal_name: string }[];
  value: string;
  /** A record's provider never changes once it is saved. */
  locked: boolean;
  error: ApiError | null;
  onChange: (id: string) => void;
}) {
  return (
    <Field label="Provider" field="provider_id" error={error} required>
      <select
        id={id}
        data-testid={id}
        value={value}
        disabled={locked}
        autoFocus={!locked}
        onChange={(e) => onChange(e.target.value)}
        {...invalidProps(error, "provider_id")}
      >
        <option value="">Choose a provider…</option>
        {providers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.legal_name}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Why a new passphrase and its confirmation cannot be used, or null if they can. */
export function newPassphraseError(passphrase: string, confirm: string): ApiError | null {
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS)
    return {
      code: "invalid",
      field: "passphrase",
      message: `Use a passphrase of at least ${MIN_PASSPHRASE_CHARS} characters; a few unrelated words work well.`,
    };
  if (confirm !== passphrase)
    return {
      code: "invalid",
      field: "confirm",
      message: "The two passphrases differ. Type the same passphrase twice.",
    };
  return null;
}

/**
 * A new passphrase typed twice (fields `passphrase` and `confirm`). Their errors
 * get ids from the inputs' (`<id>-error`): Backup & security shows two of these
 * forms on one screen, and an id must name one element.
 */
export function NewPassphraseFields({
  label,
  ids,
  passphrase,
  confirm,
  error,
  onPassphrase,
  onConfirm,
}: {
  label: string;
  /** Element ids (also test ids) of the two inputs. */
  ids: [string, string];
  passphrase: string;
  confirm: string;
  error: ApiError | null;
  onPassphrase: (v: string) => void;
  onConfirm: (v: string) => void;
}) {
  return (
    <>
      <Field label={label} field="passphrase" error={error} errorId={`${ids[0]}-error`}>
        <input
          id={ids[0]}
          data-testid={ids[0]}
          type="password"
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => onPassphrase(e.target.value)}
          {...invalidProps(error, "passphrase", `${ids[0]}-error`)}
        />
      </Field>
      <Field label="Type it again" field="confirm" error={error} errorId={`${ids[1]}-error`}>
        <input
          id={ids[1]}
          data-testid={ids[1]}
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(e) => onConfirm(e.target.value)}
          {...invalidProps(error, "confirm", `${ids[1]}-error`)}
        />
      </Field>
    </>
  );
}
