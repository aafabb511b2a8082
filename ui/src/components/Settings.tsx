// Settings: this install's identity in the exchange with providers (the name the
// other side sees, the fingerprint read over the phone, the public card) and the
// relays it uses, each with "Test connection". Keys, tokens and certificates are
// kept in Rust; the account token is handed over once and never shown again.
import { type FormEvent, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { IdentityInfo } from "../bindings/IdentityInfo";
import type { PersonRole } from "../bindings/PersonRole";
import type { Relay } from "../bindings/Relay";
import type { RelayCheck } from "../bindings/RelayCheck";
import type { RelayProblem } from "../bindings/RelayProblem";
import { CopyButton, Fingerprint } from "./exchangeBits";
import { ErrorBanner, Field, invalidProps } from "./formBits";
import { dateTime } from "./format";

/** A short plain heading for what "Test connection" found wrong. */
export const PROBLEM: Record<RelayProblem, string> = {
  dns: "Address not found",
  refused: "Connection refused",
  certificate: "Wrong certificate",
  not_mandate: "Not a Mandate relay",
  too_slow: "Too slow",
  other: "Could not connect",
};

export function Settings() {
  return (
    <div className="settings" data-testid="settings">
      <header className="toolbar">
        <h1>Settings</h1>
      </header>
      <IdentitySection />
      <PeopleSection />
      <RelaysSection />
    </div>
  );
}

function IdentitySection() {
  const { data, error } = useBackendQuery((b) => b.identityGet(), [], ["exchange"]);
  return (
    <section className="settings-section" aria-labelledby="identity-heading">
      <h2 id="identity-heading">Your identity</h2>
      <ErrorBanner error={error} fields={[]} />
      {data === null ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <IdentityForm key={data.key_id} identity={data} />
      )}
    </section>
  );
}

function IdentityForm({ identity }: { identity: IdentityInfo }) {
  const backend = useBackend();
  const [shown, setShown] = useState(identity);
  const [name, setName] = useState(identity.name);
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    setSaving(true);
    try {
      setShown(await backend.identitySetName(name));
      setSaved(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <form className="form" onSubmit={save} noValidate>
        <p className="small muted">
          The name firms or providers see beside what you send: your firm's or your company's name.
        </p>
        <div className="row align-end">
          <Field label="Name" field="name" error={error} required>
            <input
              id="identity-name"
              data-testid="identity-name"
              value={name}
              autoComplete="organization"
              onChange={(e) => (setName(e.target.value), setSaved(false))}
              {...invalidProps(error, "name")}
            />
          </Field>
          <button
            type="submit"
            className="primary"
            id="identity-name-save"
            data-testid="identity-name-save"
            disabled={saving || name.trim() === shown.name}
          >
            {saving ? "Saving…" : "Save name"}
          </button>
        </div>
        <ErrorBanner error={error} fields={["name"]} />
        {saved && (
          <p className="small" role="status">
            Saved. The other side sees “{shown.name}” on what you send from now on.
          </p>
        )}
      </form>
      <h3>Fingerprint</h3>
      <p className="small muted">
        Read this over the phone to the other side when you invite them or join them: they compare
        it with what their screen shows. If the two differ, do not send anything.
      </p>
      <Fingerprint id="identity-fingerprint" value={shown.fingerprint} />
      <h3>Public card</h3>
      <label className="field">
        <span>Your public card (safe to send by email; it holds no secret)</span>
        <textarea
          id="identity-card"
          data-testid="identity-card"
          className="mono"
          readOnly
          rows={4}
          value={shown.card}
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <CopyButton id="identity-card-copy" text={shown.card} label="Copy card" />
    </>
  );
}

function RelaysSection() {
  // Adding a relay emits the exchange's change event, which loads the list again.
  const { data, error } = useBackendQuery((b) => b.relayList(), [], ["exchange"]);
  return (
    <section className="settings-section" aria-labelledby="relays-heading">
      <h2 id="relays-heading">Relays</h2>
      <p className="small muted">
        A relay passes encrypted items between you and the other side; it cannot read them. Its
        operator gives you its address and, to invite providers, an account token.
      </p>
      <ErrorBanner error={error} fields={[]} />
      {data === null ? (
        !error && <p className="muted">Loading…</p>
      ) : data.length === 0 ? (
        <p className="small muted" data-testid="relays-empty">
          No relay yet. Add the one your firm uses below.
        </p>
      ) : (
        <RelayTable relays={data} />
      )}
      <RelayForm />
    </section>
  );
}

function RelayTable({ relays }: { relays: Relay[] }) {
  const backend = useBackend();
  const [checks, setChecks] = useState<Map<string, RelayCheck>>(new Map());
  const [testing, setTesting] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const test = async (url: string) => {
    setError(null);
    setTesting(url);
    try {
      const check = await backend.relayTest(url);
      setChecks((m) => new Map(m).set(url, check));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setTesting(null);
    }
  };

  return (
    <>
      <ErrorBanner error={error} fields={[]} />
      <table className="grid relay-table" id="relay-list" data-testid="relay-list">
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">Certificate</th>
            <th scope="col">Account</th>
            <th scope="col">Last answered</th>
            <th scope="col">Connection</th>
          </tr>
        </thead>
        <tbody>
          {relays.map((r, i) => {
            const check = checks.get(r.url);
            return (
              <tr key={r.url} id={`relay-row-${i}`} data-testid={`relay-row-${i}`}>
                <td className="mono">{r.url}</td>
                <td className="mono">
                  {r.cert_sha256 ? (
                    <span title={`Pinned: SHA-256 ${r.cert_sha256}`}>
                      pinned {r.cert_sha256.slice(0, 12)}…
                    </span>
                  ) : r.has_ca ? (
                    "CA"
                  ) : (
                    "system"
                  )}
                </td>
                <td>{r.has_account ? "Recorded" : <span className="muted">None</span>}</td>
                <td>{r.last_ok_at ? dateTime(r.last_ok_at) : "never"}</td>
                <td>
                  <button
                    type="button"
                    className="small-btn"
                    id={`relay-test-${i}`}
                    data-testid={`relay-test-${i}`}
                    aria-label={`Test connection to ${r.url}`}
                    disabled={testing === r.url}
                    onClick={() => test(r.url)}
                  >
                    {testing === r.url ? "Testing…" : "Test connection"}
                  </button>
                  <div
                    className={check ? (check.ok ? "relay-check ok" : "relay-check bad") : ""}
                    id={`relay-test-result-${i}`}
                    data-testid={`relay-test-result-${i}`}
                    data-ok={check ? String(check.ok) : undefined}
                    role="status"
                  >
                    {check &&
                      (check.ok ? (
                        `Answered in ${check.millis} ms`
                      ) : (
                        <>
                          <strong>{PROBLEM[check.problem ?? "other"]}</strong>
                          <span className="small"> {check.message}</span>
                        </>
                      ))}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

const RELAY_FIELDS = ["url", "account_token", "cert_sha256", "ca_pem"];

function RelayForm() {
  const backend = useBackend();
  const [url, setUrl] = useState("");
  const [token, setToken] = useState("");
  const [cert, setCert] = useState("");
  const [ca, setCa] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [saving, setSaving] = useState(false);
  const [added, setAdded] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setAdded(null);
    setSaving(true);
    try {
      const relay = await backend.relayAdd({
        url: url.trim(),
        account_token: token.trim() || null,
        cert_sha256: cert.trim() || null,
        ca_pem: ca.trim() || null,
      });
      setUrl("");
      setToken("");
      setCert("");
      setCa("");
      setAdded(relay.url);
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
      noValidate
      data-testid="relay-form"
      aria-labelledby="relay-form-heading"
    >
      <h4 id="relay-form-heading">Add a relay</h4>
      <ErrorBanner error={error} fields={RELAY_FIELDS} />
      <Field label="Address" field="url" error={error} required>
        <input
          id="relay-url"
          data-testid="relay-url"
          type="url"
          inputMode="url"
          placeholder="https://relay.example.com"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          {...invalidProps(error, "url")}
        />
      </Field>
      <Field label="Account token (optional)" field="account_token" error={error}>
        <input
          id="relay-account-token"
          data-testid="relay-account-token"
          type="password"
          autoComplete="off"
          aria-describedby={[
            invalidProps(error, "account_token")["aria-describedby"],
            "relay-account-token-hint",
          ]
            .filter(Boolean)
            .join(" ")}
          aria-invalid={invalidProps(error, "account_token")["aria-invalid"]}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <small id="relay-account-token-hint" className="muted">
          From the relay's operator; needed to invite providers.
        </small>
      </Field>
      <Field label="Certificate SHA-256 (optional)" field="cert_sha256" error={error}>
        <input
          id="relay-cert-sha256"
          data-testid="relay-cert-sha256"
          className="mono"
          spellCheck={false}
          placeholder="Pins the relay's certificate: 64 hex digits"
          value={cert}
          onChange={(e) => setCert(e.target.value)}
          {...invalidProps(error, "cert_sha256")}
        />
      </Field>
      <Field label="Certificate authority, PEM (optional)" field="ca_pem" error={error}>
        <textarea
          id="relay-ca-pem"
          data-testid="relay-ca-pem"
          className="mono"
          rows={3}
          spellCheck={false}
          placeholder="-----BEGIN CERTIFICATE-----"
          value={ca}
          onChange={(e) => setCa(e.target.value)}
          {...invalidProps(error, "ca_pem")}
        />
      </Field>
      {added && (
        <p className="small" role="status">
          Added {added}. Test the connection to check it answers.
        </p>
      )}
      <div className="actions">
        <button
          type="submit"
          className="primary"
          id="relay-add"
          data-testid="relay-add"
          disabled={saving || !url.trim()}
        >
          {saving ? "Adding…" : "Add relay"}
        </button>
      </div>
    </form>
  );
}

const ROLES: Record<PersonRole, string> = {
  attorney: "Attorney",
  paralegal: "Paralegal",
  staff: "Staff",
};

/** The firm's people, and who is at this desk (audit records and decisions name them). */
function PeopleSection() {
  const backend = useBackend();
  // Adding or choosing a person emits the exchange's change event: the list follows.
  const { data, error } = useBackendQuery((b) => b.personList(), [], ["exchange"]);
  const [name, setName] = useState("");
  const [role, setRole] = useState<PersonRole>("attorney");
  const [bar, setBar] = useState("");
  const [formError, setFormError] = useState<ApiError | null>(null);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    try {
      await backend.personAdd({
        name,
        role,
        bar_admission: role === "attorney" ? bar : undefined,
      });
      setName("");
      setBar("");
    } catch (err) {
      setFormError(toApiError(err));
    }
  };
  const choose = async (id: string) => {
    setFormError(null);
    try {
      await backend.personUse(id);
    } catch (err) {
      setFormError(toApiError(err));
    }
  };

  return (
    <section className="settings-section" aria-labelledby="people-heading">
      <h2 id="people-heading">People of the firm</h2>
      <p className="small muted">
        Who is at this desk is named in the history, the disclosure ledger and every decision. Only
        an attorney may override the send guard.
      </p>
      <ErrorBanner error={error ?? (formError?.field ? null : formError)} fields={[]} />
      {data && (
        <>
          <label className="field">
            <span>At this desk</span>
            <select
              id="desk-person"
              data-testid="desk-person"
              value={data.desk?.id ?? ""}
              onChange={(e) => void choose(e.target.value)}
            >
              <option value="" disabled>
                {data.people.length ? "Choose who you are" : "Add the firm's people first"}
              </option>
              {data.people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name} ({ROLES[p.role].toLowerCase()})
                </option>
              ))}
            </select>
          </label>
          <ul className="history" data-testid="people-list">
            {data.people.map((p) => (
              <li key={p.id}>
                {p.name} · {ROLES[p.role]}
                {p.bar_admission ? ` · bar ${p.bar_admission}` : ""}
              </li>
            ))}
          </ul>
        </>
      )}
      <form className="form inline-form" onSubmit={add} data-testid="person-form" noValidate>
        <Field label="Full name" field="name" error={formError} required>
          <input
            id="person-name"
            data-testid="person-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            {...invalidProps(formError, "name")}
          />
        </Field>
        <label className="field">
          <span>Role</span>
          <select
            id="person-role"
            data-testid="person-role"
            value={role}
            onChange={(e) => setRole(e.target.value as PersonRole)}
          >
            {Object.entries(ROLES).map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {role === "attorney" && (
          <Field
            label="Bar admission (state and number)"
            field="bar_admission"
            error={formError}
            required
          >
            <input
              id="person-bar"
              data-testid="person-bar"
              value={bar}
              onChange={(e) => setBar(e.target.value)}
              {...invalidProps(formError, "bar_admission")}
            />
          </Field>
        )}
        <div className="actions">
          <button type="submit" className="primary" id="person-add" data-testid="person-add">
            Add person
          </button>
        </div>
      </form>
    </section>
  );
}
