// Settings → Security: how soon an idle window locks the store, and the store's
// passphrase (set one, change it, or move a keyring store to a passphrase). The
// idle lock runs in Rust; the store is re-encrypted under the new key in Rust
// (PRAGMA rekey) once the current passphrase is given; nothing is lost if it is
// interrupted.
import { type FormEvent, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import {
  ErrorBanner,
  Field,
  NewPassphraseFields,
  invalidProps,
  newPassphraseError,
} from "./formBits";

const IDLE_CHOICES = [5, 15, 30, 60, 0];

export function SecuritySettings({
  passphraseProtected,
  onChanged,
}: {
  /** A passphrase store locks from the window; a keyring store by the desktop session. */
  passphraseProtected: boolean;
  /** After the store's protection changed (a keyring store got a passphrase). */
  onChanged?: () => void;
}) {
  const backend = useBackend();
  const idle = useBackendQuery((b) => b.idleLockGet(), []);
  const minutes = idle.data;
  const [current, setCurrent] = useState("");
  const [pass, setPass] = useState("");
  const [confirm, setConfirm] = useState("");
  const [formError, setError] = useState<ApiError | null>(null);
  const error = formError ?? idle.error;
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function change(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    if (passphraseProtected && !current) {
      setError({
        code: "invalid",
        field: "current",
        message: "Enter the store's current passphrase to change it.",
      });
      return;
    }
    const refused = newPassphraseError(pass, confirm);
    if (refused) {
      setError(refused);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await backend.storeChangePassphrase(passphraseProtected ? current : null, pass);
      setCurrent("");
      setPass("");
      setConfirm("");
      setDone(true);
      onChanged?.();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="transfer-section" data-testid="security-settings">
      <h2>Security</h2>
      {passphraseProtected ? (
        <label className="field">
          <span>Lock the store after</span>
          <select
            id="idle-lock"
            value={minutes ?? ""}
            disabled={minutes === null}
            onChange={(e) => {
              const m = Number(e.target.value);
              backend.idleLockSet(m).then(
                () => idle.update(() => m),
                (err) => setError(toApiError(err)),
              );
            }}
          >
            {IDLE_CHOICES.map((m) => (
              <option key={m} value={m}>
                {m === 0 ? "never (not recommended)" : `${m} idle minutes`}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p className="small muted" data-testid="keyring-protection">
          This store's key is in your desktop keyring, so locking your desktop session (Super+L) is
          what protects it. Set a passphrase below to have Mandate lock the store on its own.
        </p>
      )}
      <form onSubmit={change} noValidate>
        <p className="small muted">
          {passphraseProtected
            ? "Change the passphrase that unlocks this store."
            : "Set a passphrase that unlocks this store. From then on Mandate asks for it instead of using the system keyring."}{" "}
          Keep it somewhere safe: without it, the store cannot be opened by anyone.
        </p>
        {passphraseProtected && (
          <Field label="Current passphrase" field="current" error={error}>
            <input
              id="current-passphrase"
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
              {...invalidProps(error, "current")}
            />
          </Field>
        )}
        <NewPassphraseFields
          label="New passphrase"
          ids={["new-passphrase", "confirm-passphrase"]}
          passphrase={pass}
          confirm={confirm}
          error={error}
          onPassphrase={setPass}
          onConfirm={setConfirm}
        />
        <ErrorBanner error={error} fields={["current", "passphrase", "confirm"]} />
        {done && (
          <p className="small" role="status">
            The store is now protected by the new passphrase.
          </p>
        )}
        <button className="primary" id="change-passphrase" disabled={busy || !pass}>
          {busy ? "Re-encrypting…" : passphraseProtected ? "Change passphrase" : "Set passphrase"}
        </button>
      </form>
    </section>
  );
}
