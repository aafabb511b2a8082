// The one interface every screen uses to reach the backend. The desktop app uses
// the Tauri implementation; component tests use the in-memory one. No screen
// imports @tauri-apps/api directly.
import type { ApiError } from "../bindings/ApiError";
import type { BackupSummary } from "../bindings/BackupSummary";
import type { ChosenTarget } from "../bindings/ChosenTarget";
import type { ExportedFileSummary } from "../bindings/ExportedFileSummary";
import type { Progress } from "../bindings/Progress";
import type { Document } from "../bindings/Document";
import type { DocumentUpload } from "../bindings/DocumentUpload";
import type { DocumentVersion } from "../bindings/DocumentVersion";
import type { Review } from "../bindings/Review";
import type { ReviewDraft } from "../bindings/ReviewDraft";
import type { Disclosure } from "../bindings/Disclosure";
import type { DisclosureFilter } from "../bindings/DisclosureFilter";
import type { LedgerRow } from "../bindings/LedgerRow";
import type { ConflictCheck } from "../bindings/ConflictCheck";
import type { DiligenceStatus } from "../bindings/DiligenceStatus";
import type { ReviewReminder } from "../bindings/ReviewReminder";
import type { AuditRecord } from "../bindings/AuditRecord";
import type { SearchResults } from "../bindings/SearchResults";
import type { Matter } from "../bindings/Matter";
import type { MatterDraft } from "../bindings/MatterDraft";
import type { MatterFilter } from "../bindings/MatterFilter";
import type { MatterPage } from "../bindings/MatterPage";
import type { MatterPatch } from "../bindings/MatterPatch";
import type { CalendarChange } from "../bindings/CalendarChange";
import type { Dashboard } from "../bindings/Dashboard";
import type { Deadline } from "../bindings/Deadline";
import type { DeadlineDraft } from "../bindings/DeadlineDraft";
import type { DeadlineFilter } from "../bindings/DeadlineFilter";
import type { DeadlineReminder } from "../bindings/DeadlineReminder";
import type { DeadlineSettings } from "../bindings/DeadlineSettings";
import type { MovedDeadline } from "../bindings/MovedDeadline";
import type { RuleInfo } from "../bindings/RuleInfo";
import type { AssignmentFilter } from "../bindings/AssignmentFilter";
import type { AssignmentPage } from "../bindings/AssignmentPage";
import type { Consent } from "../bindings/Consent";
import type { MatterParty } from "../bindings/MatterParty";
import type { ConsentFilter } from "../bindings/ConsentFilter";
import type { Provider } from "../bindings/Provider";
import type { ProviderDraft } from "../bindings/ProviderDraft";
import type { ProviderFilter } from "../bindings/ProviderFilter";
import type { ProviderPage } from "../bindings/ProviderPage";
import type { ProviderPatch } from "../bindings/ProviderPatch";
import type { Party } from "../bindings/Party";
import type { PartyDraft } from "../bindings/PartyDraft";
import type { PartyFilter } from "../bindings/PartyFilter";
import type { PartyPage } from "../bindings/PartyPage";
import type { PartyPatch } from "../bindings/PartyPatch";
import type { PartyRole } from "../bindings/PartyRole";
import type { MatterPartyDraft } from "../bindings/MatterPartyDraft";
import type { ConsentDraft } from "../bindings/ConsentDraft";
import type { ConsentPatch } from "../bindings/ConsentPatch";
import type { Assignment } from "../bindings/Assignment";
import type { AssignmentDraft } from "../bindings/AssignmentDraft";
import type { AssignmentPatch } from "../bindings/AssignmentPatch";
import type { AssignmentStatus } from "../bindings/AssignmentStatus";
import type { Message } from "../bindings/Message";
import type { MessageCursor } from "../bindings/MessageCursor";
import type { MessageDraft } from "../bindings/MessageDraft";
import type { MessagePage } from "../bindings/MessagePage";
import type { Channel } from "../bindings/Channel";
import type { ChannelMember } from "../bindings/ChannelMember";
import type { Engagement } from "../bindings/Engagement";
import type { IdentityInfo } from "../bindings/IdentityInfo";
import type { InviteCreated } from "../bindings/InviteCreated";
import type { InvitePreview } from "../bindings/InvitePreview";
import type { Joined } from "../bindings/Joined";
import type { OutboxEntry } from "../bindings/OutboxEntry";
import type { Relay } from "../bindings/Relay";
import type { RelayCheck } from "../bindings/RelayCheck";
import type { RelayDraft } from "../bindings/RelayDraft";
import type { ShareRequest } from "../bindings/ShareRequest";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { ArrivalTarget } from "../bindings/ArrivalTarget";
import type { GuardDecision } from "../bindings/GuardDecision";
import type { ItemScan } from "../bindings/ItemScan";
import type { Person } from "../bindings/Person";
import type { PersonDraft } from "../bindings/PersonDraft";

export interface AppInfo {
  version: string;
  data_dir: string | null;
  data_dir_source: string | null;
  store_error: ApiError | null;
  /** A passphrase store can be locked from the window; a keyring store is protected by the desktop session's lock. */
  passphrase_protected: boolean;
  /** What opening the store found wrong with its history (newest records missing), if anything. */
  audit_warning: string | null;
}

export type ExportFormat = "json" | "csv";

/** What a change event names: the shell emits `${kind}-changed` after a write (src-tauri/src/commands/*.rs). */
export type ChangeKind =
  | "matter"
  | "deadline"
  | "provider"
  | "document"
  | "party"
  | "matter-party"
  | "consent"
  | "assignment"
  | "message"
  /** Relays, channels, the outbox, engagements: anything of the exchange with providers. */
  | "exchange";

export interface Backend {
  appInfo(): Promise<AppInfo>;
  storeRetry(): Promise<void>;
  /** Unlocks a passphrase store, or creates one in an empty folder. */
  storeUnlock(passphrase: string): Promise<void>;
  /** Locks a passphrase store (refused for a keyring store); the window shows the unlock screen. */
  storeLock(): Promise<void>;
  /** Sets or changes the passphrase; `current` is the passphrase in use (null for a keyring store). */
  storeChangePassphrase(current: string | null, passphrase: string): Promise<void>;
  /** Idle minutes after which Rust locks a passphrase store (0: never). */
  idleLockGet(): Promise<number>;
  idleLockSet(minutes: number): Promise<void>;
  /** The person is at the window: postpones the idle lock. */
  storeActivity(): Promise<void>;
  /**
   * Calls `handler` after any record of `kind` changes: a write in this window, or
   * one made by another process (the `mandate` command) that Rust noticed.
   */
  onChanged(kind: ChangeKind, handler: () => void): Promise<() => void>;
  /** Calls `handler` when Rust locks the store (on request or when idle). */
  onStoreLocked(handler: () => void): Promise<() => void>;
  /**
   * Opens the native save dialog (in Rust) for a backup file; null when cancelled.
   * The answer's `token` is good for one `backupCreate`; its `path` is only shown.
   */
  backupChoose(): Promise<ChosenTarget | null>;
  /** Writes an encrypted backup of the whole store where `target` (a token from `backupChoose`) says; `onProgress` hears each step. */
  backupCreate(
    target: string,
    passphrase: string,
    onProgress: (p: Progress) => void,
  ): Promise<BackupSummary>;
  /** Opens the native folder dialog (in Rust); null when cancelled. The token is good for one `exportRecords`. */
  exportChoose(): Promise<ChosenTarget | null>;
  /** Writes every record as plaintext files into the folder `target` (a token from `exportChoose`) stands for. */
  exportRecords(
    target: string,
    format: ExportFormat,
    onProgress: (p: Progress) => void,
  ): Promise<ExportedFileSummary[]>;
  matterCreate(draft: MatterDraft): Promise<Matter>;
  matterList(filter: MatterFilter): Promise<MatterPage>;
  matterGet(id: string): Promise<Matter>;
  matterUpdate(id: string, patch: MatterPatch): Promise<Matter>;
  matterHistory(id: string): Promise<AuditRecord[]>;
  /** Matters, parties, providers and messages matching what was typed. */
  search(query: string): Promise<SearchResults>;
  /** Calls `handler` after any matter changes; returns a function that stops listening. */
  onMatterChanged(handler: (id: string) => void): Promise<() => void>;

  deadlineRules(): Promise<RuleInfo[]>;
  /** One deadline, or several for a chain of rules. */
  deadlineCreate(draft: DeadlineDraft): Promise<Deadline[]>;
  deadlineList(filter: DeadlineFilter): Promise<Deadline[]>;
  deadlineGet(id: string): Promise<Deadline>;
  deadlineSetDone(id: string, done: boolean): Promise<Deadline>;
  deadlineMove(id: string, trigger: string): Promise<MovedDeadline[]>;
  deadlineDashboard(): Promise<Dashboard>;
  /** Firm calendar files that could not be read, each naming the file and line. */
  deadlineCalendarProblems(): Promise<string[]>;
  /** Open deadlines counted with a holiday calendar that changed since. */
  deadlineCalendarChanges(): Promise<CalendarChange[]>;
  /** Recomputes a deadline (and those made with it) with the calendars as they are now. */
  deadlineRecompute(id: string): Promise<MovedDeadline[]>;
  deadlineSettingsGet(): Promise<DeadlineSettings>;
  deadlineSettingsSet(settings: DeadlineSettings): Promise<void>;
  /** Opens the native save dialog (in Rust) for an .ics file; null when cancelled. The token is good for one `deadlineExport`. */
  deadlineExportChoose(): Promise<ChosenTarget | null>;
  /** Writes the .ics file `target` (a token from `deadlineExportChoose`) stands for; returns how many deadlines it holds. */
  deadlineExport(target: string, filter: DeadlineFilter, includePrivate: boolean): Promise<number>;
  onDeadlineChanged(handler: () => void): Promise<() => void>;
  onReminders(handler: (r: DeadlineReminder[]) => void): Promise<() => void>;
  /** Reminders raised and not yet dismissed (including those raised before the window listened). */
  deadlineReminders(): Promise<DeadlineReminder[]>;
  deadlineRemindersDismiss(): Promise<void>;

  providerList(filter: ProviderFilter): Promise<ProviderPage>;
  providerGet(id: string): Promise<Provider>;
  providerCreate(draft: ProviderDraft): Promise<Provider>;
  onProviderChanged(handler: () => void): Promise<() => void>;
  consentList(filter: ConsentFilter): Promise<Consent[]>;
  assignmentList(filter: AssignmentFilter): Promise<AssignmentPage>;
  matterPartyList(matterId: string): Promise<MatterParty[]>;

  providerUpdate(id: string, patch: ProviderPatch): Promise<Provider>;
  partyList(filter: PartyFilter): Promise<PartyPage>;
  partyGet(id: string): Promise<Party>;
  partyCreate(draft: PartyDraft): Promise<Party>;
  partyUpdate(id: string, patch: PartyPatch): Promise<Party>;
  matterPartyCreate(draft: MatterPartyDraft): Promise<MatterParty>;
  matterPartyUpdate(id: string, role: PartyRole): Promise<MatterParty>;
  consentCreate(draft: ConsentDraft): Promise<Consent>;
  consentUpdate(id: string, patch: ConsentPatch): Promise<Consent>;
  assignmentCreate(draft: AssignmentDraft): Promise<Assignment>;
  assignmentUpdate(id: string, patch: AssignmentPatch): Promise<Assignment>;
  /** Moves an assignment's status as the firm. */
  assignmentMove(id: string, to: AssignmentStatus): Promise<Assignment>;
  /** The statuses the firm may move an assignment to from `from` (the rule lives in Rust). */
  assignmentNextStates(from: AssignmentStatus): Promise<AssignmentStatus[]>;
  /** A page of a matter's messages, newest first; `before` is the previous page's `next`. */
  messageList(matterId: string, before: MessageCursor | null, limit?: number): Promise<MessagePage>;
  messageCreate(draft: MessageDraft): Promise<Message>;

  /** Adds the bytes of a file the person picked: a new document, or the next version. */
  documentAdd(upload: DocumentUpload, bytes: Uint8Array): Promise<Document>;
  documentList(matterId: string): Promise<Document[]>;
  documentVersions(documentId: string): Promise<DocumentVersion[]>;
  /** The text read from a version, or null when none could be read. */
  documentText(versionId: string): Promise<string | null>;
  /** Opens the native save dialog and writes a copy; null when cancelled. */
  documentSaveCopy(versionId: string): Promise<string | null>;
  documentReview(draft: ReviewDraft): Promise<Review>;
  documentReviews(documentId: string): Promise<Review[]>;
  /** Calls `handler` after a document, version or review is added. */
  onDocumentChanged(handler: () => void): Promise<() => void>;
  disclosureList(filter: DisclosureFilter): Promise<Disclosure[]>;
  /** The disclosure ledger in words (the firm's, or a matter's or a provider's), oldest first. */
  ledgerList(filter: DisclosureFilter): Promise<LedgerRow[]>;
  /** Opens the native save dialog and writes the ledger as CSV; the path, or null when cancelled. */
  ledgerSaveCsv(filter: DisclosureFilter): Promise<string | null>;
  /** Opens the native save dialog and writes the matter's client report as PDF; null when cancelled. */
  ledgerSaveReport(matterId: string): Promise<string | null>;

  // -- diligence and conflicts (src-tauri/src/commands/providers.rs) --
  /** The provider's checklist (Model Rule 5.3 comment 3) and where its re-review stands. */
  providerDiligence(id: string): Promise<DiligenceStatus>;
  /** Providers whose diligence re-review is past or coming, most urgent first. */
  providerReviewsDue(): Promise<ReviewReminder[]>;
  /** The newest conflict check of a matter against a provider (null: the firm's other matters). */
  conflictCheckLatest(matterId: string, providerId: string | null): Promise<ConflictCheck | null>;
  conflictCheckRun(matterId: string, providerId: string | null): Promise<ConflictCheck>;
  /** Clears match `index` (from 1) of a check, saying why it is not a conflict. */
  conflictMatchClear(checkId: string, index: number, note: string): Promise<ConflictCheck>;

  // -- the exchange with providers (src-tauri/src/commands/exchange.rs) --
  /** This install's device identity: name, fingerprint to read over the phone, public card. */
  identityGet(): Promise<IdentityInfo>;
  identitySetName(name: string): Promise<IdentityInfo>;
  relayList(): Promise<Relay[]>;
  relayAdd(draft: RelayDraft): Promise<Relay>;
  /** "Test connection": what is wrong, in words (DNS, refused, certificate, not a Mandate relay, too slow). */
  relayTest(url: string): Promise<RelayCheck>;
  /** The firm opens a channel for a work order on a relay and gets the invite code (and its QR code). */
  inviteCreate(assignmentId: string, relayUrl: string): Promise<InviteCreated>;
  /** The channel a work order is shared on, with its members and their fingerprints; null before an invite. */
  channelForAssignment(assignmentId: string): Promise<Channel | null>;
  /** Marks a member's fingerprint verified (read over the phone and compared). */
  memberVerify(channelId: string, fingerprint: string): Promise<ChannelMember>;
  /** What the send guard says of sending exactly these items (nothing is queued). */
  guardCheck(request: ShareRequest): Promise<GuardDecision>;
  /** The sensitive-number scan of exactly these items, each hit with what a person decided. */
  scanShare(request: ShareRequest): Promise<ItemScan[]>;
  /** A named person keeps one hit on purpose: it goes as it is. */
  scanKeep(assignmentId: string, itemId: string, hitText: string, keptBy: string): Promise<void>;
  /** Makes the redacted copy of a document version, as a new version (the original stays). */
  documentRedact(versionId: string): Promise<DocumentVersion>;
  /**
   * Queues exactly the items chosen, if the send guard allows it; sync sends them.
   * With `overrideReason`, past a block, for this one send (only an attorney at this desk).
   */
  shareSend(request: ShareRequest, overrideReason?: string): Promise<OutboxEntry[]>;
  /** The people of the firm, and who is at this desk. */
  personList(): Promise<{ people: Person[]; desk: Person | null }>;
  personAdd(draft: PersonDraft): Promise<Person>;
  /** Who is at this desk: audit records and decisions name them from now on. */
  personUse(id: string): Promise<Person>;
  /** What was queued or sent, of one channel or all; sent and received ones only with includeSent. */
  outboxList(channelId: string | null, includeSent: boolean): Promise<OutboxEntry[]>;
  /** Queues a failed send again. */
  outboxRetry(envelopeId: string): Promise<OutboxEntry>;
  /** A message to the other side of a channel (both sides). */
  /**
   * Queues a message to the provider (or the firm). A firm's message with sensitive
   * numbers is refused (field "sensitive") unless `keepSensitive`: the person at the
   * desk sends them on purpose.
   */
  exchangeMessageSend(
    channelId: string,
    text: string,
    keepSensitive?: boolean,
  ): Promise<OutboxEntry>;
  syncStatus(): Promise<SyncStatus>;
  /** Asks for a round of sync now (it runs in the background; the window never waits on the network). */
  syncNow(): Promise<void>;
  /** Calls `handler` with the sync status whenever it changes. */
  onSyncStatus(handler: (status: SyncStatus) => void): Promise<() => void>;
  /** Calls `handler` when the person clicks the notification of something that arrived. */
  onOpenArrival(handler: (target: ArrivalTarget) => void): Promise<() => void>;
  /** The provider's side: what an invite code says, before joining (no network). */
  invitePreview(code: string): Promise<InvitePreview>;
  inviteJoin(code: string): Promise<Joined>;
  engagementList(): Promise<Engagement[]>;
  engagementGet(channelId: string): Promise<Engagement>;
  /** The statuses the provider may move an engagement to from `from` (the rule lives in Rust). */
  engagementNextStates(from: AssignmentStatus): Promise<AssignmentStatus[]>;
  engagementMove(channelId: string, to: AssignmentStatus): Promise<Engagement>;
  /** Queues a file as a deliverable to the firm. */
  engagementDeliver(channelId: string, fileName: string, bytes: Uint8Array): Promise<OutboxEntry>;
  /** The text of a file received or delivered on an engagement, read offline. */
  engagementFileText(channelId: string, itemId: string): Promise<string | null>;
}

/** Errors from the backend arrive as {code, message, field?}. */
export function isApiError(e: unknown): e is ApiError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as ApiError).code === "string" &&
    typeof (e as ApiError).message === "string"
  );
}

/** Turns anything thrown into an ApiError, so screens handle one shape. */
export function toApiError(e: unknown): ApiError {
  if (isApiError(e)) return e;
  return { code: "internal", message: e instanceof Error ? e.message : String(e) };
}
