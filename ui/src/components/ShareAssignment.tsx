// Share a work order with its provider, in three steps: invite the provider to a
// channel on a relay (a code and its QR code, and this install's fingerprint to read
// over the phone); check who joined and mark their fingerprint verified; choose
// exactly what leaves — the brief, document versions, deadlines — and follow each
// item until the provider has it. Nothing of the matter is offered but what is
// listed here; what is sent is recorded in the disclosure ledger (in Rust).
import { useEffect, useRef, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { Assignment } from "../bindings/Assignment";
import type { Channel } from "../bindings/Channel";
import type { ChannelMember } from "../bindings/ChannelMember";
import type { GuardDecision } from "../bindings/GuardDecision";
import { ConflictReview } from "./ConflictReview";
import type { InviteCreated } from "../bindings/InviteCreated";
import type { ScanHitKind } from "../bindings/ScanHitKind";
import type { ShareRequest } from "../bindings/ShareRequest";
import { CopyButton, Fingerprint, OutboxItems, QrSvg } from "./exchangeBits";
import { ErrorBanner, Field, invalidProps } from "./formBits";
import { dateTime, fileSize } from "./format";
import { useUnsavedWhen } from "./unsaved";

export function ShareAssignment({
  matterId,
  assignments,
  providerName,
  onOpenSettings,
  onClose,
}: {
  matterId: string;
  /** The matter's work orders (at least one); the first is shared unless another is chosen. */
  assignments: Assignment[];
  providerName: (providerId: string) => string;
  /** Goes to Settings (to add a relay); absent where the window cannot go there. */
  onOpenSettings?: () => void;
  onClose: () => void;
}) {
  const [chosen, setChosen] = useState(assignments[0]?.id ?? "");
  const ref = useRef<HTMLElement>(null);
  // Opened from a button that hides while it is open: focus moves into the panel.
  useEffect(() => ref.current?.focus(), []);
  const assignment = assignments.find((a) => a.id === chosen) ?? assignments[0];
  if (!assignment) return null;
  return (
    <section
      ref={ref}
      tabIndex={-1}
      className="share-panel inline-form"
      id="share-panel"
      data-testid="share-panel"
      aria-labelledby="share-title"
    >
      <div className="section-head">
        <h4 id="share-title">Share with {providerName(assignment.provider_id)}</h4>
        <button
          type="button"
          className="icon"
          id="share-close"
          data-testid="share-close"
          aria-label="Close sharing"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      {assignments.length > 1 && (
        <label className="field">
          <span>Work order</span>
          <select
            id="share-assignment"
            data-testid="share-assignment"
            value={assignment.id}
            onChange={(e) => setChosen(e.target.value)}
          >
            {assignments.map((a) => (
              <option key={a.id} value={a.id}>
                {a.scope} — {providerName(a.provider_id)}
              </option>
            ))}
          </select>
        </label>
      )}
      <ShareSteps
        key={assignment.id}
        matterId={matterId}
        assignment={assignment}
        onOpenSettings={onOpenSettings}
      />
    </section>
  );
}

function ShareSteps({
  matterId,
  assignment,
  onOpenSettings,
}: {
  matterId: string;
  assignment: Assignment;
  onOpenSettings?: () => void;
}) {
  const [invite, setInvite] = useState<InviteCreated | null>(null);
  // Wrapped, so "not answered yet" (data null) differs from "no channel yet".
  const channelQuery = useBackendQuery(
    async (b) => ({ channel: await b.channelForAssignment(assignment.id) }),
    [assignment.id],
    ["exchange"],
  );
  if (channelQuery.error) return <ErrorBanner error={channelQuery.error} fields={[]} />;
  if (channelQuery.data === null) return <p className="muted">Loading…</p>;
  const { channel } = channelQuery.data;
  const me = channel?.members.find((m) => m.is_me) ?? null;
  return (
    <>
      <div className="share-step">
        <h5>1. Invite the provider</h5>
        {invite ? (
          <InviteShown invite={invite} />
        ) : channel ? (
          <>
            <p className="small">
              Shared through <span className="mono">{channel.relay_url}</span> since{" "}
              {dateTime(channel.created_at)}.
            </p>
            {me && (
              <>
                <p className="small muted">Your fingerprint, to read to the provider:</p>
                <Fingerprint id="share-my-fingerprint" value={me.fingerprint} />
              </>
            )}
          </>
        ) : (
          <InviteForm
            assignmentId={assignment.id}
            onOpenSettings={onOpenSettings}
            onCreated={(i) => {
              setInvite(i);
              channelQuery.reload();
            }}
          />
        )}
      </div>
      {(channel || invite) && <Members channel={channel} />}
      {channel && <ChooseAndSend matterId={matterId} assignment={assignment} channel={channel} />}
    </>
  );
}

function InviteForm({
  assignmentId,
  onOpenSettings,
  onCreated,
}: {
  assignmentId: string;
  onOpenSettings?: () => void;
  onCreated: (invite: InviteCreated) => void;
}) {
  const backend = useBackend();
  const { data: relays, error: loadError } = useBackendQuery(
    (b) => b.relayList(),
    [],
    ["exchange"],
  );
  const [relay, setRelay] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  if (loadError) return <ErrorBanner error={loadError} fields={[]} />;
  if (relays === null) return <p className="muted">Loading…</p>;
  if (relays.length === 0)
    return (
      <p className="small" data-testid="share-no-relay">
        Add a relay in Settings first: the provider receives the work through it.{" "}
        {onOpenSettings && (
          <button
            type="button"
            className="link"
            id="share-open-settings"
            data-testid="share-open-settings"
            onClick={onOpenSettings}
          >
            Open Settings
          </button>
        )}
      </p>
    );
  const url = relay || relays[0]?.url || "";
  const create = async () => {
    setError(null);
    setBusy(true);
    try {
      onCreated(await backend.inviteCreate(assignmentId, url));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p className="small muted">
        An invite opens a channel for this work order on a relay. The provider pastes the code (or
        scans it) in Mandate, under Engagements.
      </p>
      <ErrorBanner error={error} fields={[]} />
      <div className="row align-end">
        <label className="field">
          <span>Relay</span>
          <select
            id="share-relay"
            data-testid="share-relay"
            value={url}
            onChange={(e) => setRelay(e.target.value)}
          >
            {relays.map((r) => (
              <option key={r.url} value={r.url}>
                {r.url}
                {r.has_account ? "" : " (no account recorded)"}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="primary"
          id="invite-create"
          data-testid="invite-create"
          disabled={busy || !url}
          onClick={create}
        >
          {busy ? "Creating…" : "Create invite"}
        </button>
      </div>
    </>
  );
}

function InviteShown({ invite }: { invite: InviteCreated }) {
  return (
    <div className="invite" data-testid="invite">
      <p className="small">
        Give the provider this code, by email or in person. It is good until{" "}
        {new Date(invite.expires * 1000).toLocaleString()}.
      </p>
      <label className="field">
        <span>Invite code</span>
        <textarea
          id="invite-code"
          data-testid="invite-code"
          className="mono"
          readOnly
          rows={3}
          value={invite.code}
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <CopyButton id="invite-copy" text={invite.code} label="Copy code" />
      {invite.qr && <QrSvg id="invite-qr" qr={invite.qr} label="Invite code as a QR code" />}
      <p className="small muted">
        Then call the provider and read them your fingerprint. They compare it with what their
        screen shows before they join:
      </p>
      <Fingerprint id="share-my-fingerprint" value={invite.fingerprint} />
    </div>
  );
}

/** Who is on the channel besides this install, and whether their fingerprint was checked. */
/** The channel's members; verifying one emits the exchange's change event. */
function Members({ channel }: { channel: Channel | null }) {
  const backend = useBackend();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const others = channel?.members.filter((m) => !m.is_me) ?? [];
  const joined = others.some((m) => m.side === "provider");

  const verify = async (m: ChannelMember) => {
    if (!channel) return;
    setError(null);
    setBusy(m.fingerprint);
    try {
      await backend.memberVerify(channel.id, m.fingerprint);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="share-step">
      <h5>2. Check who joined</h5>
      <ErrorBanner error={error} fields={[]} />
      {!joined && (
        <p className="small muted" role="status" id="share-waiting" data-testid="share-waiting">
          Waiting for the provider to join. This list updates by itself.
        </p>
      )}
      {others.length > 0 && (
        <>
          <p className="small muted">
            Ask them to read their fingerprint to you. Mark it verified only if every digit matches.
          </p>
          <ul className="members" id="share-members" data-testid="share-members">
            {others.map((m, i) => (
              <li key={m.member_id} data-testid={`share-member-${i}`}>
                <div className="card-head">
                  <strong>{m.name}</strong>
                  <span className="small muted">{m.side === "provider" ? "provider" : "firm"}</span>
                </div>
                <span className="mono fingerprint-small">{m.fingerprint}</span>
                {m.verified_at ? (
                  <span className="small verified" data-testid={`member-verified-${i}`}>
                    Verified {dateTime(m.verified_at)}
                    {m.verified_by ? ` by ${m.verified_by}` : ""}
                  </span>
                ) : (
                  <div>
                    <button
                      type="button"
                      className="small-btn"
                      id={`member-verify-${i}`}
                      data-testid={`member-verify-${i}`}
                      aria-label={`Mark ${m.name}'s fingerprint verified`}
                      disabled={busy === m.fingerprint}
                      onClick={() => verify(m)}
                    >
                      Mark verified
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** Step 3: the brief, every version of every document, every deadline; only what is ticked goes. */
function ChooseAndSend({
  matterId,
  assignment: a,
  channel,
}: {
  matterId: string;
  assignment: Assignment;
  channel: Channel;
}) {
  const backend = useBackend();
  const matterItems = useBackendQuery(
    async (b) => {
      const [documents, deadlines] = await Promise.all([
        b.documentList(matterId),
        b.deadlineList({ matter_id: matterId }),
      ]);
      const versions = await Promise.all(documents.map((d) => b.documentVersions(d.id)));
      return {
        documents: documents.map((d, i) => ({ d, versions: versions[i] ?? [] })),
        deadlines,
      };
    },
    [matterId],
    ["document", "deadline"],
  );
  const outbox = useBackendQuery((b) => b.outboxList(channel.id, true), [channel.id], ["exchange"]);
  const [brief, setBrief] = useState(false);
  const [versions, setVersions] = useState<Set<string>>(new Set());
  const [deadlines, setDeadlines] = useState<Set<string>>(new Set());
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  const [queued, setQueued] = useState<number | null>(null);
  const ticked = brief || versions.size > 0 || deadlines.size > 0;
  // Items ticked and not sent are unsaved input (closing the panel asks first).
  useUnsavedWhen(ticked);

  const toggle = (set: Set<string>, id: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };
  const unverified = channel.members.some(
    (m) => !m.is_me && m.side === "provider" && !m.verified_at,
  );

  // The request exactly as Send would make it, in the order shown.
  const request: ShareRequest | null = matterItems.data
    ? {
        assignment_id: a.id,
        brief,
        document_versions: matterItems.data.documents
          .flatMap((x) => x.versions.map((v) => v.id))
          .filter((id) => versions.has(id)),
        deadlines: matterItems.data.deadlines.map((d) => d.id).filter((id) => deadlines.has(id)),
      }
    : null;
  const requestKey = request ? JSON.stringify(request) : "";
  // What the send guard says of exactly what is ticked, asked again after every
  // change of the selection and of the records it reads.
  const guard = useBackendQuery(
    (b) => (request && ticked ? b.guardCheck(request) : Promise.resolve(null)),
    [requestKey, ticked],
    ["consent", "provider", "matter", "matter-party", "exchange", "assignment"],
  );
  const blocked = guard.data?.decision === "block";
  // Who is at this desk: only an attorney is offered the override of a block.
  const people = useBackendQuery((b) => b.personList(), [], ["exchange"]);
  const attorney = people.data?.desk?.role === "attorney" ? people.data.desk : null;
  const [overrideReason, setOverrideReason] = useState("");
  // The sensitive-number scan of the same items; redacting or keeping a hit changes
  // both (a redaction is a document change, a kept hit an exchange change).
  const scans = useBackendQuery(
    (b) => (request && ticked ? b.scanShare(request) : Promise.resolve([])),
    [requestKey, ticked],
    ["document", "exchange", "assignment", "deadline"],
  );
  const [keptBy, setKeptBy] = useState("");
  // Who decides is, by default, the person at this desk.
  const deskName = people.data?.desk?.name ?? "";
  useEffect(() => {
    if (deskName) setKeptBy((cur) => cur || deskName);
  }, [deskName]);
  const redact = async (versionId: string) => {
    setError(null);
    try {
      // Its document change event lists the copy: no reload by hand as well.
      const copy = await backend.documentRedact(versionId);
      // The redacted copy goes instead of the original.
      setVersions((s) => toggle(toggle(s, versionId, false), copy.id, true));
    } catch (err) {
      setError(toApiError(err));
    }
  };
  const keep = async (itemId: string, hitText: string) => {
    setError(null);
    try {
      // Its exchange change event scans and asks the guard again.
      await backend.scanKeep(a.id, itemId, hitText, keptBy);
    } catch (err) {
      setError(toApiError(err));
    }
  };

  const send = async (asOverride = false) => {
    if (!matterItems.data || !request) return;
    setError(null);
    setQueued(null);
    setSending(true);
    try {
      // In the order shown, so the provider receives them as listed.
      const made = asOverride
        ? await backend.shareSend(request, overrideReason)
        : await backend.shareSend(request);
      setOverrideReason("");
      setBrief(false);
      setVersions(new Set());
      setDeadlines(new Set());
      // Its exchange change event lists them in the outbox.
      setQueued(made.length);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <div className="share-step">
        <h5>3. Choose what goes</h5>
        <p className="small muted">
          Only what you tick leaves this computer, encrypted for the channel's members. Each send is
          recorded in the matter's disclosure ledger.
        </p>
        {unverified && (
          <p className="banner warn small" data-testid="share-unverified">
            You have not marked the provider's fingerprint verified yet.
          </p>
        )}
        <ErrorBanner error={matterItems.error ?? error} fields={[]} />
        <fieldset className="choices share-choices">
          <legend className="small">The brief</legend>
          <label className="check">
            <input
              type="checkbox"
              id="share-brief"
              data-testid="share-brief"
              checked={brief}
              onChange={(e) => setBrief(e.target.checked)}
            />{" "}
            The brief: scope, instructions and due date
          </label>
          <dl className="brief small" data-testid="share-brief-details">
            <dt>Scope</dt>
            <dd>{a.scope}</dd>
            <dt>Instructions</dt>
            <dd className="pre">{a.instructions ?? "—"}</dd>
            <dt>Due on</dt>
            <dd>{a.due_on}</dd>
          </dl>
        </fieldset>
        {matterItems.data === null ? (
          !matterItems.error && <p className="muted">Loading…</p>
        ) : (
          <>
            <fieldset className="choices share-choices" data-testid="share-documents">
              <legend className="small">Documents (each version on its own)</legend>
              {matterItems.data.documents.length === 0 && (
                <p className="small muted">This matter has no documents.</p>
              )}
              {matterItems.data.documents.map(({ d, versions: vs }) =>
                vs.map((v) => (
                  <label className="check" key={v.id}>
                    <input
                      type="checkbox"
                      id={`share-version-${v.id}`}
                      data-testid={`share-version-${v.id}`}
                      checked={versions.has(v.id)}
                      onChange={(e) => setVersions((s) => toggle(s, v.id, e.target.checked))}
                    />{" "}
                    <span>
                      {d.title} · v{v.version}
                      {v.file_name !== d.title ? ` · ${v.file_name}` : ""} · {fileSize(v.size)} ·{" "}
                      <span className="mono" title={`SHA-256 ${v.sha256}`}>
                        {v.sha256.slice(0, 12)}
                      </span>
                    </span>
                  </label>
                )),
              )}
            </fieldset>
            <fieldset className="choices share-choices" data-testid="share-deadlines">
              <legend className="small">Deadlines</legend>
              {matterItems.data.deadlines.length === 0 && (
                <p className="small muted">This matter has no deadlines.</p>
              )}
              {matterItems.data.deadlines.map((d) => (
                <label className="check" key={d.id}>
                  <input
                    type="checkbox"
                    id={`share-deadline-${d.id}`}
                    data-testid={`share-deadline-${d.id}`}
                    checked={deadlines.has(d.id)}
                    onChange={(e) => setDeadlines((s) => toggle(s, d.id, e.target.checked))}
                  />{" "}
                  {d.title} · due {d.due_date}
                </label>
              ))}
            </fieldset>
          </>
        )}
        {ticked && scans.data && scans.data.some((s) => s.findings.length > 0) && (
          <section className="scan" data-testid="share-scan" aria-labelledby="share-scan-title">
            <h6 id="share-scan-title">Sensitive numbers in what is ticked</h6>
            <p className="small muted">
              Redact each one, or have a named person keep it on purpose. A redacted copy is a new
              version of the document; the original stays here.
            </p>
            <label className="field small">
              <span>Who decides to keep a number (name)</span>
              <input
                id="scan-keep-by"
                data-testid="scan-keep-by"
                value={keptBy}
                onChange={(e) => setKeptBy(e.target.value)}
              />
            </label>
            {scans.data
              .filter((s) => s.findings.length > 0)
              .map((s) => (
                <div key={`${s.kind}-${s.id}`} data-testid={`scan-item-${s.id}`}>
                  <div className="row">
                    <strong>{s.label}</strong>
                    {s.kind === "document" && s.findings.some((f) => f.kept_by === null) && (
                      <button
                        type="button"
                        className="small-btn"
                        id={`scan-redact-${s.id}`}
                        data-testid={`scan-redact-${s.id}`}
                        onClick={() => void redact(s.id)}
                      >
                        Make a redacted copy
                      </button>
                    )}
                  </div>
                  <ul className="scan-hits">
                    {s.findings.map((f, n) => (
                      <li key={n} data-kind={f.hit.kind} data-kept={f.kept_by !== null}>
                        <span className="pill">{HIT_KIND[f.hit.kind]}</span>{" "}
                        <span className="mono">{f.hit.text}</span>{" "}
                        <span className="small muted">…{f.hit.context}…</span>{" "}
                        {f.kept_by ? (
                          <span className="small">kept by {f.kept_by}</span>
                        ) : (
                          <button
                            type="button"
                            className="small-btn"
                            id={`scan-keep-${s.id}-${n}`}
                            data-testid={`scan-keep-${s.id}-${n}`}
                            disabled={keptBy.trim() === ""}
                            title={keptBy.trim() === "" ? "Enter who decides, above" : undefined}
                            onClick={() => void keep(s.id, f.hit.text)}
                          >
                            Keep it
                          </button>
                        )}
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
          </section>
        )}
        <ConflictReview
          matterId={matterId}
          providerId={a.provider_id}
          against="the provider's declared conflicts"
        />
        {ticked && guard.data && <GuardVerdictView decision={guard.data} />}
        {ticked && blocked && (
          <div className="override" data-testid="share-override-box">
            {attorney ? (
              <>
                <Field
                  label={`Override this block for this one send, as ${attorney.name} (attorney): why`}
                  field="override_reason"
                  error={error}
                  required
                >
                  <textarea
                    id="override-reason"
                    data-testid="override-reason"
                    rows={2}
                    value={overrideReason}
                    onChange={(e) => setOverrideReason(e.target.value)}
                    {...invalidProps(error, "override_reason")}
                  />
                </Field>
                <button
                  type="button"
                  className="danger"
                  id="share-override"
                  data-testid="share-override"
                  disabled={sending || overrideReason.trim() === ""}
                  onClick={() => void send(true)}
                >
                  Override and send
                </button>
              </>
            ) : (
              <p className="small muted" data-testid="share-override-none">
                Only an attorney may override a block. Choose who is at this desk in Settings.
              </p>
            )}
          </div>
        )}
        <ErrorBanner error={guard.error} fields={[]} />
        <div className="actions">
          {queued !== null && (
            <span className="small spacer" role="status">
              {queued === 1 ? "1 item queued" : `${queued} items queued`}: they go with the next
              sync.
            </span>
          )}
          <button
            type="button"
            className="primary"
            id="share-send"
            data-testid="share-send"
            disabled={!ticked || sending || matterItems.data === null || blocked || !guard.data}
            onClick={() => void send()}
          >
            {sending ? "Queuing…" : "Send to provider"}
          </button>
        </div>
      </div>
      <div className="share-step">
        <h5>What was sent</h5>
        <ErrorBanner error={outbox.error} fields={[]} />
        {outbox.data !== null && outbox.data.length === 0 && (
          <p className="small muted">Nothing sent on this channel yet.</p>
        )}
        {outbox.data !== null && outbox.data.length > 0 && (
          <OutboxItems
            id="share-items"
            rowPrefix="share-item"
            entries={outbox.data}
            other="the provider"
            label="Items sent to the provider"
          />
        )}
      </div>
    </>
  );
}

const HIT_KIND: Record<ScanHitKind, string> = {
  ssn: "SSN",
  payment_card: "card number",
  routing_number: "routing number",
  account_number: "account number",
  date_of_birth: "date of birth",
  email: "e-mail address",
  phone: "phone number",
};

const VERDICT: Record<GuardDecision["decision"], string> = {
  allow: "Allowed: nothing stands in the way of this send.",
  allow_with_conditions: "Allowed, with the conditions below.",
  block: "Blocked: this cannot be sent until each reason marked ✗ is satisfied.",
};

/** The send guard's decision on what is ticked: each reason, its rule and source, and what would satisfy it. */
function GuardVerdictView({ decision }: { decision: GuardDecision }) {
  return (
    <section
      className={`guard guard-${decision.decision}`}
      data-testid="share-guard"
      data-decision={decision.decision}
      aria-labelledby="share-guard-title"
    >
      <h6 id="share-guard-title">What leaves the firm: the send guard</h6>
      <p role="status" data-testid="share-guard-verdict">
        {VERDICT[decision.decision]}
      </p>
      {decision.reasons.length > 0 && (
        <ul className="guard-reasons" data-testid="share-guard-reasons">
          {decision.reasons.map((r) => (
            <li key={r.rule} data-rule={r.rule} data-blocks={r.blocks}>
              <span aria-hidden="true">{r.blocks ? "✗ " : "! "}</span>
              <span className="sr-only">{r.blocks ? "Blocks: " : "Condition: "}</span>
              {r.message}
              <div className="small muted">
                To satisfy it: {r.fix} <span className="mono">({r.source})</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
