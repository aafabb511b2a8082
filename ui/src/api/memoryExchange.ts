// The in-memory exchange with providers of memory.ts, for component tests. It holds
// no rule of its own (no state machine, no validation, no channel logic): every
// answer is what the test put in `state` (a canned invite, the next states of an
// engagement, the result of "Test connection", the outbox …), and every call is
// recorded in `state.calls` so a test can assert what the screen asked for. The
// real rules live in crates/core and crates/sync and are tested there and end to
// end.
import type { ApiError } from "../bindings/ApiError";
import type { AssignmentStatus } from "../bindings/AssignmentStatus";
import type { Channel } from "../bindings/Channel";
import type { Engagement } from "../bindings/Engagement";
import type { IdentityInfo } from "../bindings/IdentityInfo";
import type { InviteCreated } from "../bindings/InviteCreated";
import type { InvitePreview } from "../bindings/InvitePreview";
import type { Joined } from "../bindings/Joined";
import type { OutboxEntry } from "../bindings/OutboxEntry";
import type { Relay } from "../bindings/Relay";
import type { RelayCheck } from "../bindings/RelayCheck";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { ArrivalTarget } from "../bindings/ArrivalTarget";
import type { GuardDecision } from "../bindings/GuardDecision";
import type { ItemScan } from "../bindings/ItemScan";
import type { Person } from "../bindings/Person";
import type { ConflictCheck } from "../bindings/ConflictCheck";
import type { DiligenceStatus } from "../bindings/DiligenceStatus";
import type { ReviewReminder } from "../bindings/ReviewReminder";
import type { Backend, ChangeKind } from "./backend";
import { ASSIGNMENT_MOVES } from "../bindings/rules";
import { emitAfterWrites } from "./memoryEmits";

export type ExchangeMethods = Pick<
  Backend,
  | "identityGet"
  | "identitySetName"
  | "relayList"
  | "relayAdd"
  | "relayTest"
  | "inviteCreate"
  | "channelForAssignment"
  | "memberVerify"
  | "guardCheck"
  | "scanShare"
  | "scanKeep"
  | "shareSend"
  | "personList"
  | "personAdd"
  | "personUse"
  | "outboxList"
  | "outboxRetry"
  | "exchangeMessageSend"
  | "syncStatus"
  | "syncNow"
  | "onSyncStatus"
  | "onOpenArrival"
  | "invitePreview"
  | "inviteJoin"
  | "engagementList"
  | "engagementGet"
  | "engagementNextStates"
  | "engagementMove"
  | "engagementDeliver"
  | "engagementFileText"
  | "providerDiligence"
  | "providerReviewsDue"
  | "conflictCheckLatest"
  | "conflictCheckRun"
  | "conflictMatchClear"
>;

export type ExchangeMethod = keyof ExchangeMethods;

/** One call the screen made: the method and its arguments, as given. */
export interface ExchangeCall {
  method: ExchangeMethod;
  args: unknown[];
}

/** What the double answers, set by the test; arrays and maps may be changed in place. */
export interface ExchangeState {
  identity: IdentityInfo;
  relays: Relay[];
  /** What "Test connection" answers, by URL; `relayCheck` for any other URL. */
  relayChecks: Map<string, RelayCheck>;
  relayCheck: RelayCheck;
  /** What inviteCreate answers. */
  invite: InviteCreated;
  /** The channel of each work order (by assignment id); none until the test puts one. */
  channels: Map<string, Channel>;
  /** The outbox, as the test (or a queued send below) filled it. */
  outbox: OutboxEntry[];
  /** The firm's people and who is at the desk, as the test set them or the screens added. */
  people: Person[];
  desk: Person | null;
  /** What scanShare answers. */
  scans: ItemScan[];
  /** What guardCheck answers. */
  guard: GuardDecision;
  /** What shareSend answers (and adds to the outbox). */
  shareAnswer: OutboxEntry[];
  sync: SyncStatus;
  preview: InvitePreview;
  joined: Joined;
  engagements: Engagement[];
  /** What engagementNextStates answers: the provider's moves, as Rust generated them. */
  nextStates: Record<AssignmentStatus, AssignmentStatus[]>;
  /** What engagementFileText answers, by item id (null when absent). */
  fileTexts: Map<string, string | null>;
  /** What providerDiligence answers, by provider id (Rust builds it; the test sets it). */
  diligence: Map<string, DiligenceStatus>;
  /** What providerReviewsDue answers. */
  reviewsDue: ReviewReminder[];
  /** What conflictCheckLatest answers (and Run and Clear replace), by matter and provider. */
  conflictChecks: Map<string, ConflictCheck>;
  /** What conflictCheckRun answers. */
  conflictRun: ConflictCheck;
  /** What conflictMatchClear answers (Rust records who cleared it and when). */
  conflictCleared: ConflictCheck | null;
  /** Errors to throw from the next call of a method (once each). */
  failures: Partial<Record<ExchangeMethod, ApiError>>;
  calls: ExchangeCall[];
}

const NOW = "2026-11-27T14:03:00.000Z";

/** The change events the exchange's Rust commands emit after their write. */
const EMITS: Partial<Record<ExchangeMethod, ChangeKind[]>> = {
  relayAdd: ["exchange"],
  relayTest: ["exchange"],
  memberVerify: ["exchange"],
  shareSend: ["exchange", "document"],
  scanKeep: ["exchange"],
  personAdd: ["exchange"],
  personUse: ["exchange"],
  outboxRetry: ["exchange"],
  exchangeMessageSend: ["exchange", "message"],
  engagementMove: ["exchange"],
  engagementDeliver: ["exchange"],
  // The assignment views: the send guard reads the conflict check.
  conflictCheckRun: ["assignment"],
  conflictMatchClear: ["assignment"],
};

type ExchangeDouble = ExchangeMethods & {
  exchange: ExchangeState & {
    /** What Rust does when the sync status changes: tell the listeners. */
    emitSyncStatus(status: SyncStatus): void;
    /** What Rust does when the person clicks an arrival's notification. */
    emitOpenArrival(target: ArrivalTarget): void;
    /** The calls of one method, their arguments each. */
    callsOf(method: ExchangeMethod): unknown[][];
  };
};

export function exchangeMemory(
  /** Tells the listeners of `kind`, as Rust emits `${kind}-changed` after a write. */
  emit: (kind: ChangeKind) => void = () => {},
): ExchangeDouble {
  const state: ExchangeState = {
    identity: {
      name: "Hale & Rowe LLP",
      key_id: "key-me",
      fingerprint: "12345 67890 13579 24680 11223 34455",
      card: "MANDATE-CARD-1-hale-rowe",
    },
    relays: [],
    relayChecks: new Map(),
    relayCheck: { url: "", ok: true, problem: null, message: "It answered.", millis: 42 },
    invite: {
      code: "MANDATE-INVITE-1-TESTCODE",
      channel_id: "ch-1",
      expires: 1_800_000_000,
      fingerprint: "12345 67890 13579 24680 11223 34455",
      qr: null,
    },
    channels: new Map(),
    outbox: [],
    guard: { decision: "allow", reasons: [], consent_id: null },
    diligence: new Map(),
    reviewsDue: [],
    conflictChecks: new Map(),
    conflictRun: {
      id: "check-1",
      matter_id: "",
      provider_id: null,
      checked_at: NOW,
      checked_by: "Jane Smith",
      matches: [],
    },
    scans: [],
    people: [],
    desk: null,
    shareAnswer: [],
    sync: {
      enabled: false,
      online: null,
      syncing: false,
      last_ok_at: null,
      waiting: 0,
      needs_attention: 0,
      last_error: null,
    },
    preview: {
      firm: "Hale & Rowe LLP",
      relay: "https://relay.example",
      firm_fingerprints: ["12345 67890 13579 24680 11223 34455"],
      pinned: false,
      expires: 1_800_000_000,
    },
    joined: {
      channel_id: "ch-1",
      firm: "Hale & Rowe LLP",
      relay: "https://relay.example",
      firm_fingerprints: ["12345 67890 13579 24680 11223 34455"],
      my_fingerprint: "99999 88888 77777 66666 55555 44444",
    },
    engagements: [],
    nextStates: ASSIGNMENT_MOVES.provider,
    conflictCleared: null,
    fileTexts: new Map(),
    failures: {},
    calls: [],
  };
  const syncListeners = new Set<(s: SyncStatus) => void>();
  const arrivalListeners = new Set<(t: ArrivalTarget) => void>();
  let envelopes = 0;

  /** Records the call; throws the failure the test set for it, once. */
  const call = (method: ExchangeMethod, ...args: unknown[]) => {
    state.calls.push({ method, args });
    const failure = state.failures[method];
    if (failure) {
      state.failures = { ...state.failures, [method]: undefined };
      throw failure;
    }
  };
  const notFound = (message: string): ApiError => ({ code: "not_found", message });
  /** An outbox entry for something the screen handed over, as given, waiting to go. */
  const queued = (channelId: string, kind: string, label: string, size: number): OutboxEntry => {
    envelopes += 1;
    const entry: OutboxEntry = {
      envelope_id: `env-${envelopes}`,
      channel_id: channelId,
      item_id: `item-${envelopes}`,
      kind,
      revision: 1,
      label,
      size,
      state: "queued",
      attempts: 0,
      next_attempt_at: null,
      last_error: null,
      created_at: NOW,
      sent_at: null,
    };
    state.outbox.push(entry);
    return entry;
  };
  const engagement = (channelId: string) => {
    const e = state.engagements.find((x) => x.channel_id === channelId);
    if (!e) throw notFound("That engagement does not exist.");
    return e;
  };

  const methods: ExchangeDouble = {
    exchange: Object.assign(state, {
      emitOpenArrival(target: ArrivalTarget) {
        arrivalListeners.forEach((l) => l(target));
      },
      emitSyncStatus(status: SyncStatus) {
        state.sync = status;
        syncListeners.forEach((l) => l(status));
      },
      callsOf: (method: ExchangeMethod) =>
        state.calls.filter((c) => c.method === method).map((c) => c.args),
    }),
    identityGet: async () => (call("identityGet"), state.identity),
    identitySetName: async (name) => {
      call("identitySetName", name);
      state.identity = { ...state.identity, name };
      return state.identity;
    },
    relayList: async () => (call("relayList"), [...state.relays]),
    relayAdd: async (draft) => {
      call("relayAdd", draft);
      // The draft as given; the token is never part of a Relay.
      const relay: Relay = {
        url: draft.url,
        has_account: draft.account_token !== null,
        cert_sha256: draft.cert_sha256,
        has_ca: draft.ca_pem !== null,
        added_at: NOW,
        last_ok_at: null,
      };
      state.relays.push(relay);
      return relay;
    },
    relayTest: async (url) => {
      call("relayTest", url);
      return state.relayChecks.get(url) ?? { ...state.relayCheck, url };
    },
    inviteCreate: async (assignmentId, relayUrl) => {
      call("inviteCreate", assignmentId, relayUrl);
      return state.invite;
    },
    channelForAssignment: async (assignmentId) => {
      call("channelForAssignment", assignmentId);
      return state.channels.get(assignmentId) ?? null;
    },
    memberVerify: async (channelId, fingerprint) => {
      call("memberVerify", channelId, fingerprint);
      const channel = [...state.channels.values()].find((c) => c.id === channelId);
      const member = channel?.members.find((m) => m.fingerprint === fingerprint);
      if (!member) throw notFound("No member of that channel has this fingerprint.");
      Object.assign(member, { verified_at: NOW, verified_by: state.identity.name });
      return member;
    },
    guardCheck: async (request) => (call("guardCheck", request), state.guard),
    providerDiligence: async (id) => {
      call("providerDiligence", id);
      const d = state.diligence.get(id);
      if (!d) throw notFound("That provider does not exist.");
      return d;
    },
    providerReviewsDue: async () => (call("providerReviewsDue"), [...state.reviewsDue]),
    conflictCheckLatest: async (matterId, providerId) => (
      call("conflictCheckLatest", matterId, providerId),
      state.conflictChecks.get(`${matterId}/${providerId ?? ""}`) ?? null
    ),
    conflictCheckRun: async (matterId, providerId) => {
      call("conflictCheckRun", matterId, providerId);
      const check = { ...state.conflictRun, matter_id: matterId, provider_id: providerId };
      state.conflictChecks.set(`${matterId}/${providerId ?? ""}`, check);
      return check;
    },
    conflictMatchClear: async (checkId, index, note) => {
      call("conflictMatchClear", checkId, index, note);
      const [key] = [...state.conflictChecks.entries()].find(([, c]) => c.id === checkId) ?? [];
      if (!key) throw notFound("No conflict check has that id.");
      const cleared = state.conflictCleared;
      if (!cleared)
        throw new Error("Set exchange.conflictCleared to what Rust answers for this clearing.");
      state.conflictChecks.set(key, cleared);
      return cleared;
    },
    scanShare: async (request) => (call("scanShare", request), state.scans),
    scanKeep: async (assignmentId, itemId, hitText, keptBy) => {
      call("scanKeep", assignmentId, itemId, hitText, keptBy);
    },
    personList: async () => (call("personList"), { people: [...state.people], desk: state.desk }),
    personAdd: async (draft) => {
      call("personAdd", draft);
      const p: Person = {
        id: `person-${state.people.length + 1}`,
        name: draft.name,
        role: draft.role,
        bar_admission: draft.bar_admission ?? null,
        created_at: NOW,
      };
      state.people.push(p);
      return p;
    },
    personUse: async (id) => {
      call("personUse", id);
      const p = state.people.find((x) => x.id === id);
      if (!p) throw notFound("That person is not one of the firm's people.");
      state.desk = p;
      return p;
    },
    shareSend: async (request, overrideReason) => {
      if (overrideReason === undefined) call("shareSend", request);
      else call("shareSend", request, overrideReason);
      state.outbox.push(...state.shareAnswer);
      return state.shareAnswer;
    },
    outboxList: async (channelId, includeSent) => {
      call("outboxList", channelId, includeSent);
      return state.outbox.filter(
        (e) =>
          (channelId === null || e.channel_id === channelId) &&
          (includeSent || e.state === "queued" || e.state === "failed"),
      );
    },
    outboxRetry: async (envelopeId) => {
      call("outboxRetry", envelopeId);
      const entry = state.outbox.find((e) => e.envelope_id === envelopeId);
      if (!entry) throw notFound("That item is no longer in the outbox.");
      Object.assign(entry, { state: "queued", last_error: null });
      return entry;
    },
    exchangeMessageSend: async (channelId, text, keepSensitive) => {
      call("exchangeMessageSend", channelId, text, keepSensitive ?? false);
      return queued(channelId, "message", "message", new TextEncoder().encode(text).length);
    },
    syncStatus: async () => (call("syncStatus"), state.sync),
    syncNow: async () => call("syncNow"),
    onSyncStatus: async (handler) => {
      syncListeners.add(handler);
      return () => syncListeners.delete(handler);
    },
    onOpenArrival: async (handler) => {
      arrivalListeners.add(handler);
      return () => arrivalListeners.delete(handler);
    },
    invitePreview: async (code) => (call("invitePreview", code), state.preview),
    inviteJoin: async (code) => (call("inviteJoin", code), state.joined),
    engagementList: async () => (call("engagementList"), [...state.engagements]),
    engagementGet: async (channelId) => (call("engagementGet", channelId), engagement(channelId)),
    engagementNextStates: async (from) => {
      call("engagementNextStates", from);
      return state.nextStates[from];
    },
    engagementMove: async (channelId, to) => {
      call("engagementMove", channelId, to);
      const e = engagement(channelId);
      e.status = to;
      return e;
    },
    engagementDeliver: async (channelId, fileName, bytes) => {
      call("engagementDeliver", channelId, fileName, bytes);
      return queued(channelId, "deliverable", fileName, bytes.length);
    },
    engagementFileText: async (channelId, itemId) => {
      call("engagementFileText", channelId, itemId);
      return state.fileTexts.get(itemId) ?? null;
    },
  };
  // After a write, the change events its Rust command emits
  // (src-tauri/src/commands/exchange.rs), so views load again as in the app.
  return emitAfterWrites(methods, EMITS, emit);
}
