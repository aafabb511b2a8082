// Engagements, the provider's side of the exchange: join a firm's work order with
// the invite code it sent (after comparing its fingerprints with what the firm reads
// out), then read the brief, the documents and deadlines received, move the work
// along, deliver files and exchange messages. Several firms' work stays apart: the
// list is grouped by firm. Everything shown was received and is read offline.
import { type DragEvent, type FormEvent, type KeyboardEvent, useEffect, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import type { AssignmentStatus } from "../bindings/AssignmentStatus";
import type { Engagement } from "../bindings/Engagement";
import type { EngagementItem } from "../bindings/EngagementItem";
import type { InvitePreview } from "../bindings/InvitePreview";
import type { Joined } from "../bindings/Joined";
import { OutboxItems } from "./exchangeBits";
import { ErrorBanner, Field, invalidProps } from "./formBits";
import { dateTime, fileSize } from "./format";
import { STATUS } from "./MatterAssignments";

/** What the button that makes the provider's move says. */
const MOVE: Partial<Record<AssignmentStatus, string>> = {
  accepted: "Accept",
  in_progress: "Start",
  delivered: "Mark delivered",
};

const fromFirm = (e: Engagement) =>
  e.items.filter((i) => i.kind === "message" && i.from_side === "firm").length;

export function Engagements({ focus = null }: { focus?: { channelId: string } | null } = {}) {
  const list = useBackendQuery((b) => b.engagementList(), [], ["exchange"]);
  const [selected, setSelected] = useState<string | null>(focus?.channelId ?? null);
  // A new request to open one (a notification clicked while this screen is shown).
  useEffect(() => {
    if (focus) setSelected(focus.channelId);
  }, [focus]);
  const [joining, setJoining] = useState(false);
  const [joined, setJoined] = useState<Joined | null>(null);

  // One group per firm, firms and their work in a stable order.
  const groups = new Map<string, Engagement[]>();
  for (const e of [...(list.data ?? [])].sort(
    (a, b) =>
      a.firm_name.localeCompare(b.firm_name) || (a.due_on ?? "").localeCompare(b.due_on ?? ""),
  )) {
    groups.set(e.firm_name, [...(groups.get(e.firm_name) ?? []), e]);
  }

  return (
    <div className="engagements-screen" data-testid="engagements">
      <header className="toolbar">
        <h1>Engagements</h1>
        {!joining && (
          <button
            className="primary"
            id="engagement-join-open"
            data-testid="engagement-join-open"
            onClick={() => (setJoining(true), setJoined(null))}
          >
            Join an engagement
          </button>
        )}
      </header>
      {joining && (
        <JoinForm
          onCancel={() => setJoining(false)}
          onJoined={(j) => {
            setJoining(false);
            setJoined(j);
            setSelected(j.channel_id);
            list.reload();
          }}
        />
      )}
      {joined && (
        <p className="banner ok" role="status" data-testid="join-done">
          You joined {joined.firm}'s engagement. What the firm sends arrives with the next sync.
        </p>
      )}
      <ErrorBanner error={list.error} fields={[]} />
      {list.data !== null && list.data.length === 0 && !joining && (
        <div className="empty" data-testid="engagements-empty">
          <h2>No engagements yet</h2>
          <p>When a firm sends you an invite code for a piece of work, join it here.</p>
        </div>
      )}
      {list.data !== null && list.data.length > 0 && (
        <div className="engagements">
          <nav id="engagement-list" data-testid="engagement-list" aria-label="Engagements by firm">
            {[...groups].map(([firm, items], g) => (
              <section key={firm} className="firm-group" aria-labelledby={`firm-${g}`}>
                <h2 id={`firm-${g}`} className="firm-heading">
                  {firm}
                </h2>
                <ul>
                  {items.map((e) => {
                    const n = fromFirm(e);
                    return (
                      <li key={e.channel_id}>
                        <button
                          type="button"
                          className={`engagement-row${selected === e.channel_id ? " selected" : ""}`}
                          id={`engagement-${e.channel_id}`}
                          data-testid={`engagement-${e.channel_id}`}
                          aria-current={selected === e.channel_id ? "true" : undefined}
                          onClick={() => setSelected(e.channel_id)}
                        >
                          <span className="strong">{e.scope ?? "Brief not received yet"}</span>
                          <span className="small muted">
                            {e.firm_name}
                            {e.due_on ? ` · due ${e.due_on}` : ""}
                          </span>
                          <span className="row small">
                            <span className={`pill status-${e.status}`}>{STATUS[e.status]}</span>
                            <span className="muted" data-testid="engagement-message-count">
                              {n === 1 ? "1 message" : `${n} messages`} from the firm
                            </span>
                          </span>
                        </button>
                      </li>
                    );
                  })}
                </ul>
              </section>
            ))}
          </nav>
          {selected ? (
            <EngagementDetail key={selected} channelId={selected} />
          ) : (
            <p className="muted small">Choose an engagement to see its brief and files.</p>
          )}
        </div>
      )}
    </div>
  );
}

/** Paste the invite, read what it says (no network), compare fingerprints, then join. */
function JoinForm({ onJoined, onCancel }: { onJoined: (j: Joined) => void; onCancel: () => void }) {
  const backend = useBackend();
  const [code, setCode] = useState("");
  const [preview, setPreview] = useState<InvitePreview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const check = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      setPreview(await backend.invitePreview(code.trim()));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const join = async () => {
    setError(null);
    setBusy(true);
    try {
      onJoined(await backend.inviteJoin(code.trim()));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form inline-form join-form"
      onSubmit={check}
      noValidate
      data-testid="join-form"
      aria-labelledby="join-title"
    >
      <h4 id="join-title">Join an engagement</h4>
      <ErrorBanner error={error} fields={["code"]} />
      <Field label="Invite code" field="code" error={error} required>
        <textarea
          id="join-code"
          data-testid="join-code"
          className="mono"
          rows={3}
          autoFocus
          spellCheck={false}
          placeholder="MANDATE-INVITE-1-…"
          value={code}
          onChange={(e) => {
            setCode(e.target.value);
            // What was checked is what joins: a changed code is checked again.
            setPreview(null);
          }}
          {...invalidProps(error, "code")}
        />
      </Field>
      {preview && (
        <div
          className="join-preview"
          data-testid="join-preview-result"
          role="group"
          aria-labelledby="join-firm"
        >
          <p>
            <span className="muted small">From</span>{" "}
            <strong id="join-firm" data-testid="join-firm">
              {preview.firm}
            </strong>
          </p>
          <p className="small">
            Through <span className="mono">{preview.relay}</span>
            {preview.pinned ? " (its certificate is pinned)" : ""}; the code is good until{" "}
            {new Date(preview.expires * 1000).toLocaleString()}.
          </p>
          <p className="small strong" id="join-fingerprints-note">
            Compare these with what the firm reads to you. Join only if every digit matches.
          </p>
          <ul
            className="fingerprints"
            id="join-firm-fingerprints"
            data-testid="join-firm-fingerprints"
            aria-describedby="join-fingerprints-note"
          >
            {preview.firm_fingerprints.map((f) => (
              <li key={f} className="fingerprint">
                {f}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        <button type="button" id="join-cancel" data-testid="join-cancel" onClick={onCancel}>
          Cancel
        </button>
        {preview ? (
          <button
            type="button"
            className="primary"
            id="join-confirm"
            data-testid="join-confirm"
            disabled={busy}
            onClick={join}
          >
            {busy ? "Joining…" : "The fingerprints match: join"}
          </button>
        ) : (
          <button
            type="submit"
            className="primary"
            id="join-preview"
            data-testid="join-preview"
            disabled={busy || !code.trim()}
          >
            {busy ? "Reading…" : "Read the code"}
          </button>
        )}
      </div>
    </form>
  );
}

function EngagementDetail({ channelId }: { channelId: string }) {
  const backend = useBackend();
  const { data: e, error } = useBackendQuery(
    (b) => b.engagementGet(channelId),
    [channelId],
    ["exchange"],
  );
  const outbox = useBackendQuery((b) => b.outboxList(channelId, true), [channelId], ["exchange"]);
  const [opened, setOpened] = useState<{ item: EngagementItem; text: string | null } | null>(null);
  const [actionError, setActionError] = useState<ApiError | null>(null);
  const [delivering, setDelivering] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  if (error) return <ErrorBanner error={error} fields={[]} />;
  if (!e) return <p className="muted">Loading…</p>;

  const of = (kind: string) => e.items.filter((i) => i.kind === kind);
  const received = of("document").filter((i) => i.from_side === "firm");
  const deliverables = of("deliverable");
  const messages = of("message").sort((a, b) => a.at.localeCompare(b.at));

  const open = async (item: EngagementItem) => {
    setActionError(null);
    try {
      setOpened({ item, text: await backend.engagementFileText(channelId, item.item_id) });
    } catch (err) {
      setActionError(toApiError(err));
    }
  };

  const deliver = async (files: FileList | File[] | null) => {
    if (!files) return;
    setActionError(null);
    for (const file of Array.from(files)) {
      setDelivering(file.name);
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        await backend.engagementDeliver(channelId, file.name, bytes);
      } catch (err) {
        setActionError(toApiError(err));
        break;
      } finally {
        setDelivering(null);
      }
    }
  };

  const onDrop = (ev: DragEvent) => {
    ev.preventDefault();
    setDragging(false);
    void deliver(ev.dataTransfer.files);
  };

  const itemRow = (i: EngagementItem) => (
    <li key={i.item_id}>
      <span>
        <strong>{i.title}</strong>{" "}
        <span className="small muted">
          {fileSize(i.size)}
          {i.sha256 && (
            <>
              {" · "}
              <span className="mono" title={`SHA-256 ${i.sha256}`}>
                {i.sha256.slice(0, 12)}
              </span>
            </>
          )}{" "}
          · {dateTime(i.at)}
        </span>
      </span>
      <button
        type="button"
        className="small-btn"
        id={`engagement-open-${i.item_id}`}
        data-testid={`engagement-open-${i.item_id}`}
        aria-label={`Open ${i.title}`}
        aria-expanded={opened?.item.item_id === i.item_id}
        onClick={() => open(i)}
      >
        Open
      </button>
    </li>
  );

  return (
    <section
      className={dragging ? "engagement-detail dropping" : "engagement-detail"}
      id="engagement-detail"
      data-testid="engagement-detail"
      aria-label={`${e.firm_name}: ${e.scope ?? "engagement"}`}
      onDragOver={(ev) => {
        ev.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div id="engagement-brief" data-testid="engagement-brief" className="engagement-brief">
        <div className="detail-head">
          <div>
            <div className="muted small">{e.firm_name}</div>
            <h2>{e.scope ?? "Brief not received yet"}</h2>
          </div>
          <span className={`pill status-${e.status}`} data-testid="engagement-status">
            {STATUS[e.status]}
          </span>
        </div>
        <dl>
          <div className="kv">
            <dt>Due on</dt>
            <dd>{e.due_on ?? "—"}</dd>
          </div>
          <div className="kv">
            <dt>Status</dt>
            <dd>{STATUS[e.status]}</dd>
          </div>
          <div className="kv">
            <dt>Instructions</dt>
            <dd className="pre">{e.instructions ?? "—"}</dd>
          </div>
        </dl>
      </div>
      <Moves engagement={e} />
      <ErrorBanner error={actionError} fields={[]} />

      <h3>Documents received</h3>
      {received.length === 0 ? (
        <p className="small muted">No documents from the firm yet.</p>
      ) : (
        <ul className="history" data-testid="engagement-documents">
          {received.map(itemRow)}
        </ul>
      )}
      {opened && (
        <div className="document-panel" data-testid="engagement-viewer">
          <div className="section-head">
            <h4>{opened.item.title}</h4>
            <button
              type="button"
              className="icon"
              aria-label={`Close ${opened.item.title}`}
              onClick={() => setOpened(null)}
            >
              ×
            </button>
          </div>
          {opened.text === null ? (
            <p className="small muted" data-testid="engagement-file-no-text">
              No text to show for this file.
            </p>
          ) : (
            <pre
              className="document-text"
              id="engagement-file-text"
              data-testid="engagement-file-text"
              tabIndex={0}
              aria-label={`Text of ${opened.item.title}`}
            >
              {opened.text}
            </pre>
          )}
        </div>
      )}

      <h3>Deadlines</h3>
      {of("deadline").length === 0 ? (
        <p className="small muted">No deadlines from the firm.</p>
      ) : (
        <ul className="history" data-testid="engagement-deadlines">
          {of("deadline").map((d) => (
            <li key={d.item_id}>
              <strong>{d.title}</strong>
              {d.body && <span className="small">{d.body}</span>}
            </li>
          ))}
        </ul>
      )}

      <div className="section-head">
        <h3>Deliverables</h3>
        <label className="small-btn file-pick">
          Deliver a file…
          <input
            id="deliver-file"
            data-testid="deliver-file"
            type="file"
            multiple
            onChange={(ev) => {
              void deliver(ev.currentTarget.files);
              ev.currentTarget.value = "";
            }}
          />
        </label>
      </div>
      <p className="small muted">Choose a file, or drop it here. It goes to the firm encrypted.</p>
      {delivering && (
        <p className="small muted" role="status">
          Queuing {delivering}…
        </p>
      )}
      {deliverables.length > 0 && (
        <ul className="history" data-testid="engagement-deliverables">
          {deliverables.map(itemRow)}
        </ul>
      )}
      {outbox.data && outbox.data.some((o) => o.kind !== "message") && (
        <OutboxItems
          id="deliver-items"
          rowPrefix="deliver-item"
          entries={outbox.data.filter((o) => o.kind !== "message")}
          other="the firm"
          label="Files sent to the firm"
        />
      )}

      <h3>Messages</h3>
      {messages.length === 0 ? (
        <p className="small muted">No messages yet.</p>
      ) : (
        <ol
          className="messages"
          data-testid="engagement-messages"
          aria-label="Messages, oldest first"
        >
          {messages.map((m) => (
            <li key={m.item_id} data-testid="engagement-message">
              <div className="message-head">
                <span>
                  <strong>{m.title}</strong>{" "}
                  <span className="small muted">{m.from_side === "firm" ? "the firm" : "you"}</span>
                </span>
                <time className="small muted" dateTime={m.at}>
                  {dateTime(m.at)}
                </time>
              </div>
              <p className="pre">{m.body}</p>
            </li>
          ))}
        </ol>
      )}
      <Compose channelId={channelId} />
    </section>
  );
}

/** The provider's moves from the engagement's status, as asked of Rust, one button each. */
/** The moves the provider may make; each emits the exchange's change event. */
function Moves({ engagement: e }: { engagement: Engagement }) {
  const backend = useBackend();
  const next = useBackendQuery((b) => b.engagementNextStates(e.status), [e.status]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const move = async (to: AssignmentStatus) => {
    setError(null);
    setBusy(true);
    try {
      await backend.engagementMove(e.channel_id, to);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="moves">
      <ErrorBanner error={error ?? next.error} fields={[]} />
      {next.data && next.data.length > 0 && (
        <div className="row wrap" role="group" aria-label="Move the work along">
          {next.data.map((to) => (
            <button
              key={to}
              type="button"
              className={to === "cancelled" ? "small-btn" : "small-btn primary"}
              id={`engagement-move-${to}`}
              data-testid={`engagement-move-${to}`}
              disabled={busy}
              onClick={() => move(to)}
            >
              {MOVE[to] ?? STATUS[to]}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** Writes to the firm; sending emits the exchange's change event. */
function Compose({ channelId }: { channelId: string }) {
  const backend = useBackend();
  const [text, setText] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [sending, setSending] = useState(false);
  const [queued, setQueued] = useState(false);

  const send = async (ev?: FormEvent) => {
    ev?.preventDefault();
    setError(null);
    setQueued(false);
    setSending(true);
    try {
      await backend.exchangeMessageSend(channelId, text);
      setText("");
      setQueued(true);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSending(false);
    }
  };

  const onKey = (ev: KeyboardEvent<HTMLTextAreaElement>) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      void send();
    }
  };

  return (
    <form className="form inline-form" onSubmit={send} noValidate>
      <ErrorBanner error={error} fields={["text"]} />
      <Field label="Message to the firm" field="text" error={error}>
        <textarea
          id="engagement-message-body"
          data-testid="engagement-message-body"
          rows={3}
          value={text}
          onChange={(ev) => (setText(ev.target.value), setQueued(false))}
          onKeyDown={onKey}
          {...invalidProps(error, "text")}
        />
      </Field>
      <div className="actions">
        {queued && (
          <span className="small muted spacer" role="status">
            Queued: it goes with the next sync.
          </span>
        )}
        <button
          type="submit"
          className="primary"
          id="engagement-message-send"
          data-testid="engagement-message-send"
          disabled={sending || !text.trim()}
        >
          {sending ? "Sending…" : "Send"}
        </button>
      </div>
    </form>
  );
}
