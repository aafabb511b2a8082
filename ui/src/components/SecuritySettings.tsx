// Settings → Security: how soon an idle window locks the store, and the store's
// passphrase (set one, change it, or move a keyring store to a passphrase). The
// store is re-encrypted under the new key in Rust (PRAGMA rekey); nothing is lost
// if it is interrupted.
import { type FormEvent, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import type { ApiError } from "../bindings/ApiError";
import { idleLockMinutes, setIdleLockMinutes } from "../preferences";
import { ErrorBanner, NewPassphraseFields, newPassphraseError } from "./formBits";

const IDLE_CHOICES = [5, 15, 30, 60, 0];

export function SecuritySettings() {
  const backend = useBackend();
  const [minutes, setMinutes] = useState(idleLockMinutes);
  const [pass, setPass] = useState("");
  const [confirm, setConfirm] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function change(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    const refused = newPassphraseError(pass, confirm);
    if (refused) {
      setError(refused);
      return;
    }
    setError(null);
    setBusy(true);
    try {
      await backend.storeChangePassphrase(pass);
      setPass("");
      setConfirm("");
      setDone(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="transfer-section" data-testid="security-settings">
      <h2>Security</h2>
      <label className="field">
        <span>Lock the store after</span>
        <select
          id="idle-lock"
          value={minutes}
          onChange={(e) => {
            const m = Number(e.target.value);
            setMinutes(m);
            setIdleLockMinutes(m);
          }}
        >
          {IDLE_CHOICES.map((m) => (
            <option key={m} value={m}>
              {m === 0 ? "never (not recommended)" : `${m} idle minutes`}
            </option>
          ))}
        </select>
      </label>
      <form onSubmit={change} noValidate>
        <p className="small muted">
          Set or change the passphrase that unlocks this store. From then on Mandate asks for it
          instead of using the system keyring. Keep it somewhere safe: without it, the store cannot
          be opened by anyone.
        </p>
        <NewPassphraseFields
          label="New passphrase"
          ids={["new-passphrase", "confirm-passphrase"]}
          passphrase={pass}
          confirm={confirm}
          error={error}
          onPassphrase={setPass}
          onConfirm={setConfirm}
        />
        <ErrorBanner error={error} fields={["passphrase", "confirm"]} />
        {done && (
          <p className="small" role="status">
            The store is now protected by the new passphrase.
          </p>
        )}
        <button className="primary" id="change-passphrase" disabled={busy || !pass}>
          {busy ? "Re-encrypting…" : "Set passphrase"}
        </button>
      </form>
    </section>
  );
}
