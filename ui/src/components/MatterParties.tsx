import { ConflictReview } from "./ConflictReview";
import { type FormEvent, useEffect, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { MatterParty } from "../bindings/MatterParty";
import type { Party } from "../bindings/Party";
import type { PartyKind } from "../bindings/PartyKind";
import type { PartyRole } from "../bindings/PartyRole";
import { ErrorBanner, Field, FieldError, FormActions, invalidProps, splitList } from "./formBits";
import { useUnsaved } from "./unsaved";
import { useDebounced } from "./useDebounced";

export const ROLES: Record<PartyRole, string> = {
  client: "Client",
  adverse: "Adverse party",
  co_party: "Co-party",
  counsel: "Counsel",
  witness: "Witness",
};

const KINDS: Record<PartyKind, string> = {
  organisation: "Organisation",
  person: "Person",
};

/** The Parties tab: who is in the matter and in what role. */
export function MatterParties({ matterId }: { matterId: string }) {
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const { data: links, error } = useBackendQuery(
    (b) => b.matterPartyList(matterId),
    [matterId],
    ["matter-party", "party"],
  );

  // The write's change event loads the list again.
  const saved = () => {
    setAdding(false);
    setEditing(null);
  };

  if (error) return <ErrorBanner error={error} fields={[]} />;
  if (!links) return <p className="muted">Loading…</p>;

  return (
    <div>
      <div className="section-head">
        <h3>Parties</h3>
        {!adding && (
          <button
            className="small-btn"
            id="party-add"
            data-testid="party-add"
            onClick={() => (setAdding(true), setEditing(null))}
          >
            Add party
          </button>
        )}
      </div>
      {adding && (
        <AddPartyForm matterId={matterId} onSaved={saved} onCancel={() => setAdding(false)} />
      )}
      {links.length === 0 && !adding && (
        <p className="small muted" data-testid="parties-empty">
          No parties on this matter yet. Add the client, the other side and their counsel, so
          conflicts can be checked before work goes out.
        </p>
      )}
      {links.length > 0 && (
        <ul className="history" data-testid="matter-parties">
          {links.map((l) =>
            editing === l.id ? (
              <li key={l.id} className="editing">
                <EditPartyForm link={l} onSaved={saved} onCancel={() => setEditing(null)} />
              </li>
            ) : (
              <li key={l.id} data-testid="party-row" data-role={l.role}>
                <span>
                  {l.party_name} <span className="muted small">({KINDS[l.party_kind]})</span>
                </span>
                <span className="row">
                  <span className="muted">{ROLES[l.role]}</span>
                  <button
                    className="small-btn"
                    data-testid="party-edit"
                    aria-label={`Edit ${l.party_name} (${ROLES[l.role]})`}
                    onClick={() => (setEditing(l.id), setAdding(false))}
                  >
                    Edit
                  </button>
                </span>
              </li>
            ),
          )}
        </ul>
      )}
      <ConflictReview matterId={matterId} providerId={null} against="the firm's other matters" />
    </div>
  );
}

function RoleSelect({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: PartyRole;
  onChange: (r: PartyRole) => void;
  error: ApiError | null;
}) {
  return (
    <Field label="Role in this matter" field="role" error={error} required>
      <select
        id={id}
        data-testid={id}
        value={value}
        onChange={(e) => onChange(e.target.value as PartyRole)}
        {...invalidProps(error, "role")}
      >
        {Object.entries(ROLES).map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Adds a party to the matter: one already recorded (found by name or alias), or a new one. */
function AddPartyForm({
  matterId,
  onSaved,
  onCancel,
}: {
  matterId: string;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const backend = useBackend();
  const unsaved = useUnsaved();
  const [mode, setMode] = useState<"existing" | "new">("existing");
  const [query, setQuery] = useState("");
  // Asked once typing pauses, not per keystroke.
  const asked = useDebounced(query, 120);
  // The parties recorded under what is typed (while choosing one already recorded).
  const found = useBackendQuery(
    (b) =>
      mode === "existing"
        ? b.partyList({ query: asked.trim() || undefined, limit: 20 }).then((p) => p.items)
        : Promise.resolve(null),
    [mode, asked],
  );
  const results = found.data;
  const [chosen, setChosen] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<PartyKind>("organisation");
  const [aliases, setAliases] = useState("");
  const [role, setRole] = useState<PartyRole>("client");
  // A party created by an earlier attempt whose link then failed: not created twice.
  const [created, setCreated] = useState<Party | null>(null);
  const [formError, setError] = useState<ApiError | null>(null);
  const error = formError ?? found.error;
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaving(true);
    try {
      let partyId: string;
      if (mode === "existing") {
        if (!chosen) {
          setError({
            code: "invalid",
            field: "party",
            message: "Choose a party from the list, or create a new one.",
          });
          return;
        }
        partyId = chosen;
      } else {
        const draft = { name, kind, aliases: splitList(aliases) };
        const same =
          created &&
          created.name === draft.name.trim() &&
          created.kind === kind &&
          created.aliases.join() === draft.aliases.join();
        const p = same && created ? created : await backend.partyCreate(draft);
        setCreated(p);
        partyId = p.id;
      }
      await backend.matterPartyCreate({ matter_id: matterId, party_id: partyId, role });
      onSaved();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  };

  const startNew = () => {
    setMode("new");
    if (!name && query.trim()) setName(query.trim());
    setError(null);
  };

  return (
    <form
      className="form inline-form"
      onSubmit={submit}
      onChange={unsaved.edited}
      data-testid="party-form"
      noValidate
    >
      <h4>Add a party</h4>
      <ErrorBanner error={error} fields={["party", "name", "kind", "aliases", "role"]} />
      <div className="segmented wide" role="radiogroup" aria-label="Which party">
        {(
          [
            ["existing", "Already recorded"],
            ["new", "New party"],
          ] as const
        ).map(([v, label]) => (
          <button
            key={v}
            type="button"
            role="radio"
            aria-checked={mode === v}
            id={`party-mode-${v}`}
            data-testid={`party-mode-${v}`}
            onClick={() => (v === "new" ? startNew() : (setMode("existing"), setError(null)))}
          >
            {label}
          </button>
        ))}
      </div>
      {mode === "existing" ? (
        <>
          <Field label="Find by name or alias" field="party" error={error}>
            <input
              type="search"
              id="party-search"
              data-testid="party-search"
              value={query}
              autoFocus
              onChange={(e) => setQuery(e.target.value)}
              {...invalidProps(error, "party")}
            />
          </Field>
          {results && results.length > 0 && (
            <fieldset className="choices" data-testid="party-results">
              <legend className="sr-only">Parties found</legend>
              {results.map((p) => (
                <label key={p.id} className="check">
                  <input
                    type="radio"
                    name="party-choice"
                    value={p.id}
                    checked={chosen === p.id}
                    onChange={() => setChosen(p.id)}
                    data-testid="party-option"
                  />
                  <span>
                    {p.name}
                    {p.aliases.length > 0 && (
                      <span className="muted"> (also {p.aliases.join("; ")})</span>
                    )}
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {results && results.length === 0 && (
            <p className="small muted" data-testid="party-no-results">
              {asked.trim()
                ? `No party is recorded under “${asked.trim()}”.`
                : "No parties are recorded yet."}{" "}
              <button type="button" className="link" onClick={startNew}>
                Create a new party
              </button>
            </p>
          )}
        </>
      ) : (
        <>
          <Field label="Name" field="name" error={error} required>
            <input
              id="party-name"
              data-testid="party-name"
              value={name}
              autoFocus
              onChange={(e) => setName(e.target.value)}
              {...invalidProps(error, "name")}
            />
          </Field>
          <Field label="Kind" field="kind" error={error}>
            <select
              id="party-kind"
              data-testid="party-kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as PartyKind)}
            >
              {Object.entries(KINDS).map(([v, label]) => (
                <option key={v} value={v}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Other names it goes by (comma-separated)" field="aliases" error={error}>
            <input
              id="party-aliases"
              data-testid="party-aliases"
              value={aliases}
              placeholder="Former names, trading names"
              onChange={(e) => setAliases(e.target.value)}
              {...invalidProps(error, "aliases")}
            />
          </Field>
        </>
      )}
      <RoleSelect id="party-role" value={role} onChange={setRole} error={error} />
      <FormActions
        id="party"
        saving={saving}
        label="Add to matter"
        busy="Adding…"
        onCancel={onCancel}
      />
    </form>
  );
}

/** Changes a party's role in this matter, and the other names the party goes by. */
function EditPartyForm({
  link,
  onSaved,
  onCancel,
}: {
  link: MatterParty;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const backend = useBackend();
  const unsaved = useUnsaved();
  const [role, setRole] = useState<PartyRole>(link.role);
  // The party as recorded, once, to start the aliases from; then as this form saved it.
  const recorded = useBackendQuery((b) => b.partyGet(link.party_id), [link.party_id]);
  const [updated, setParty] = useState<Party | null>(null);
  const party = updated ?? recorded.data;
  const [aliases, setAliases] = useState("");
  useEffect(() => {
    if (recorded.data) setAliases(recorded.data.aliases.join(", "));
  }, [recorded.data]);
  const [formError, setError] = useState<ApiError | null>(null);
  const error = formError ?? recorded.error;
  const [saving, setSaving] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSaving(true);
    try {
      const list = splitList(aliases);
      if (party && list.join("\n") !== party.aliases.join("\n")) {
        setParty(await backend.partyUpdate(party.id, { aliases: list }));
      }
      if (role !== link.role) await backend.matterPartyUpdate(link.id, role);
      onSaved();
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
      onChange={unsaved.edited}
      data-testid="party-edit-form"
      noValidate
    >
      <h4>{link.party_name}</h4>
      <ErrorBanner error={error} fields={["role", "aliases"]} />
      <RoleSelect id="party-edit-role" value={role} onChange={setRole} error={error} />
      <label className={error?.field === "aliases" ? "field has-error" : "field"}>
        <span>Other names it goes by (comma-separated; shared by every matter)</span>
        <input
          id="party-edit-aliases"
          data-testid="party-edit-aliases"
          value={aliases}
          disabled={!party}
          onChange={(e) => setAliases(e.target.value)}
          {...invalidProps(error, "aliases")}
        />
        <FieldError error={error} field="aliases" />
      </label>
      <FormActions
        id="party-edit"
        saving={saving}
        disabled={!party}
        label="Save"
        onCancel={onCancel}
      />
    </form>
  );
}
