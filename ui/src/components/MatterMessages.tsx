import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { toApiError } from "../api/backend";
import { useBackend } from "../api/context";
import { useBackendQuery } from "../api/useBackendQuery";
import type { ApiError } from "../bindings/ApiError";
import { MESSAGE_PAGE_MAX } from "../bindings/constants";
import type { Message } from "../bindings/Message";
import type { OutboxState } from "../bindings/OutboxState";
import { ErrorBanner, Field, invalidProps } from "./formBits";
import { useUnsavedWhen } from "./unsaved";

/** Messages fetched per page. */
const PAGE = 20;

/** Who last wrote a message here: a convenience, so it lives in localStorage, not the store. */
export const AUTHOR_KEY = "mandate.messageAuthor";

/** What became of a message this install sent through the exchange, in words. */
const DELIVERY: Record<OutboxState, string> = {
  queued: "waiting to go",
  sent: "sent",
  received: "delivered",
  failed: "failed",
};

/** The tag of a message that went through the exchange, or null for a note kept here only. */
function deliveryTag(m: Message): { key: string; words: string } | null {
  if (m.from_side === "provider") return { key: "from_provider", words: "from the provider" };
  if (m.from_side === "firm")
    return m.delivery
      ? { key: m.delivery, words: DELIVERY[m.delivery] }
      : { key: "shared", words: "shared with the provider" };
  return null;
}

/** The work orders of the matter that are shared on a channel, with whom they are shared. */
function useMatterChannels(matterId: string) {
  return useBackendQuery(
    async (b) => {
      const { items } = await b.assignmentList({ matter_id: matterId, limit: 200 });
      const shared = await Promise.all(
        items.map(async (a) => {
          const channel = await b.channelForAssignment(a.id);
          if (!channel) return null;
          const member = channel.members.find((m) => !m.is_me && m.side !== channel.side);
          const name = member?.name ?? (await b.providerGet(a.provider_id)).legal_name;
          return { id: channel.id, label: `Send to ${name} (${a.scope})` };
        }),
      );
      return shared.filter((x) => x !== null);
    },
    [matterId],
    ["assignment", "exchange"],
  );
}

/** The Messages tab: a compose box, then the matter's messages newest first. */
export function MatterMessages({ matterId }: { matterId: string }) {
  const backend = useBackend();
  // The newest messages, again on every change (a note written here, one that
  // arrived, a delivery state moved by sync): as many as were shown, so older pages
  // loaded on request stay.
  const shown = useRef({ matterId, count: PAGE });
  const page = useBackendQuery(
    (b) => {
      const count = shown.current.matterId === matterId ? shown.current.count : PAGE;
      return b.messageList(matterId, null, Math.min(Math.max(count, PAGE), MESSAGE_PAGE_MAX));
    },
    [matterId],
    ["message", "exchange"],
  );
  useEffect(() => {
    if (page.data) shown.current = { matterId, count: page.data.items.length };
  }, [matterId, page.data]);
  const items = page.data?.items ?? null;
  const next = page.data?.next ?? null;
  const error = page.error;
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [author, setAuthor] = useState(() => localStorage.getItem(AUTHOR_KEY) ?? "");
  // The person at this desk writes the message, when one is chosen (Settings).
  const desk = useBackendQuery((b) => b.personList(), [], ["exchange"]);
  const deskName = desk.data?.desk?.name ?? null;
  // Set when the note records what someone outside the firm wrote or said.
  const [otherAuthor, setOtherAuthor] = useState(false);
  useEffect(() => {
    if (deskName && !otherAuthor) setAuthor(deskName);
  }, [deskName, otherAuthor]);
  const [body, setBody] = useState("");
  // A message typed and not sent is unsaved input (Escape asks before closing the panel).
  useUnsavedWhen(body.trim() !== "");
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<ApiError | null>(null);
  const channels = useMatterChannels(matterId);
  const [channelId, setChannelId] = useState("");
  const toChannel = (channels.data ?? []).some((c) => c.id === channelId) ? channelId : "";

  const loadOlder = async () => {
    if (!next) return;
    setLoadingOlder(true);
    try {
      const p = await backend.messageList(matterId, next, PAGE);
      // Onto the page it follows; a page loaded afresh meanwhile starts again.
      page.update((cur) =>
        cur.next === next ? { items: [...cur.items, ...p.items], next: p.next } : cur,
      );
    } catch (err) {
      page.fail(err);
    } finally {
      setLoadingOlder(false);
    }
  };

  const send = async (e?: FormEvent, keepSensitive = false) => {
    e?.preventDefault();
    setSendError(null);
    setSending(true);
    try {
      if (toChannel) {
        // Rust keeps it in the matter too (from the firm, waiting to go); its
        // message change event loads it. It scans the text first and refuses
        // sensitive numbers (field "sensitive") unless the person at the desk keeps
        // them on purpose.
        await backend.exchangeMessageSend(toChannel, body, keepSensitive);
        setBody("");
      } else {
        // Its message change event loads it, on top.
        const m = await backend.messageCreate({ matter_id: matterId, author, body });
        localStorage.setItem(AUTHOR_KEY, m.author);
        setBody("");
        setOtherAuthor(false);
      }
    } catch (err) {
      setSendError(toApiError(err));
    } finally {
      setSending(false);
    }
  };

  // Ctrl+Enter (or Cmd+Enter) sends from the text box.
  const onBodyKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <div>
      <form className="form inline-form" onSubmit={send} data-testid="message-form" noValidate>
        <h4>New message</h4>
        <ErrorBanner error={sendError ?? channels.error} fields={["author", "body"]} />
        {(channels.data ?? []).length > 0 && (
          <label className="field">
            <span>Where it goes</span>
            <select
              id="message-channel"
              data-testid="message-channel"
              value={toChannel}
              onChange={(e) => setChannelId(e.target.value)}
            >
              <option value="">Keep here only</option>
              {(channels.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {toChannel ? (
          <p className="small muted" data-testid="message-channel-note">
            Sent encrypted through the exchange, signed with the name of the person at this desk and
            the firm's name in Settings, and kept here too. Sensitive numbers (SSNs, card and
            account numbers, dates of birth, e-mail addresses, phone numbers) are caught first.
          </p>
        ) : deskName && !otherAuthor ? (
          // The firm's own notes are written by the person at this desk; a note of what
          // someone outside said (a call, an e-mail) names them instead.
          <p className="small" data-testid="message-from-desk">
            From <strong>{deskName}</strong> (at this desk).{" "}
            <button
              type="button"
              className="link"
              id="message-author-other"
              onClick={() => (setOtherAuthor(true), setAuthor(""))}
            >
              Someone outside the firm wrote it
            </button>
          </p>
        ) : (
          <Field label="From" field="author" error={sendError} required>
            <input
              id="message-author"
              data-testid="message-author"
              value={author}
              autoComplete="name"
              onChange={(e) => setAuthor(e.target.value)}
              {...invalidProps(sendError, "author")}
            />
          </Field>
        )}
        <Field label="Message" field="body" error={sendError} required>
          <textarea
            id="message-body"
            data-testid="message-body"
            rows={4}
            value={body}
            placeholder="Notes of a call, instructions, an email pasted in…"
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={onBodyKey}
            {...invalidProps(sendError, "body")}
          />
        </Field>
        {toChannel && sendError?.field === "sensitive" && (
          <div className="actions" data-testid="message-sensitive">
            <span className="small spacer">
              Or send it as it is: the person at this desk keeps these numbers on purpose, and the
              audit log records it.
            </span>
            <button
              type="button"
              id="message-send-keep"
              disabled={sending}
              onClick={() => void send(undefined, true)}
            >
              Send it as it is
            </button>
          </div>
        )}
        <div className="actions">
          <span className="small muted spacer">Ctrl+Enter sends</span>
          <button
            type="submit"
            className="primary"
            id="message-send"
            data-testid="message-send"
            disabled={sending}
          >
            {sending ? (toChannel ? "Sending…" : "Adding…") : toChannel ? "Send" : "Add message"}
          </button>
        </div>
      </form>
      <ErrorBanner error={error} fields={[]} />
      {items === null && !error && <p className="muted">Loading…</p>}
      {items !== null && items.length === 0 && (
        <p className="small muted" data-testid="messages-empty">
          No messages yet. Write the first one above: notes of calls, instructions, anything the
          file should keep.
        </p>
      )}
      {items !== null && items.length > 0 && (
        <ol className="messages" data-testid="matter-messages" aria-label="Messages, newest first">
          {items.map((m) => {
            const tag = deliveryTag(m);
            return (
              <li key={m.id} data-testid="message-item">
                <div className="message-head">
                  <span>
                    <strong>{m.author}</strong>
                    {tag && (
                      <>
                        {" "}
                        <span
                          className={`message-delivery delivery-${tag.key}`}
                          data-delivery={tag.key}
                        >
                          {tag.words}
                        </span>
                      </>
                    )}
                  </span>
                  <time className="small muted" dateTime={m.sent_at}>
                    {new Date(m.sent_at).toLocaleString()}
                  </time>
                </div>
                <p className="pre" data-testid="message-text">
                  {m.body}
                </p>
              </li>
            );
          })}
        </ol>
      )}
      {next && (
        <div className="actions">
          <button
            id="message-load-older"
            data-testid="message-load-older"
            onClick={loadOlder}
            disabled={loadingOlder}
          >
            {loadingOlder ? "Loading…" : "Load older messages"}
          </button>
        </div>
      )}
    </div>
  );
}
