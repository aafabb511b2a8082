// Small pieces the matter tabs' forms share: a labelled field that shows its own
// validation error beside it, and a banner for errors that belong to no field.
import type { ReactNode } from "react";
import type { ApiError } from "../bindings/ApiError";

/** The message of `error` when it belongs to `field`. */
export function errorFor(error: ApiError | null, field: string): string | null {
  return error?.field === field ? error.message : null;
}

/** aria attributes for the control of `field`, pointing at its error when it has one. */
export function invalidProps(
  error: ApiError | null,
  field: string,
): { "aria-invalid"?: true; "aria-describedby"?: string } {
  return errorFor(error, field)
    ? { "aria-invalid": true, "aria-describedby": `error-${field}` }
    : {};
}

export function FieldError({ error, field }: { error: ApiError | null; field: string }) {
  const message = errorFor(error, field);
  return message ? (
    <small id={`error-${field}`} className="field-error" data-testid={`error-${field}`}>
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
  children,
}: {
  label: string;
  field: string;
  error: ApiError | null;
  required?: boolean;
  children: ReactNode;
}) {
  return (
    <label className={errorFor(error, field) ? "field has-error" : "field"}>
      <span>
        {label}
        {required && <abbr title="required"> *</abbr>}
      </span>
      {children}
      <FieldError error={error} field={field} />
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
export function splitList(s: string, upper = false): string[] {
  return s
    .split(",")
    .map((x) => (upper ? x.trim().toUpperCase() : x.trim()))
    .filter(Boolean);
}
