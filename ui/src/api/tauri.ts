import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { DeadlineReminder } from "../bindings/DeadlineReminder";
import type { Progress } from "../bindings/Progress";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { ArrivalTarget } from "../bindings/ArrivalTarget";
import type { Backend } from "./backend";

// Event names must match src-tauri/src/commands/{matters,deadlines}.rs.
const MATTER_CHANGED = "matter-changed";
const DEADLINE_CHANGED = "deadline-changed";
const REMINDERS = "deadline-reminders";
const PROVIDER_CHANGED = "provider-changed";
const DOCUMENT_CHANGED = "document-changed";
// src-tauri/src/commands/security.rs
const STORE_LOCKED = "store-locked";
// src-tauri/src/commands/backup.rs
const BACKUP_PROGRESS = "backup-progress";
const EXPORT_PROGRESS = "export-progress";
// src-tauri/src/commands/exchange.rs (changes of kind "exchange" arrive as
// "exchange-changed", like every other kind: see onChanged)
const SYNC_STATUS = "sync-status";
const OPEN_ARRIVAL = "exchange-open";

/** Listens to `event` while `run` runs, passing each progress report on. */
async function withProgress<T>(
  event: string,
  onProgress: (p: Progress) => void,
  run: () => Promise<T>,
): Promise<T> {
  const stop = await listen<Progress>(event, (e) => onProgress(e.payload));
  try {
    return await run();
  } finally {
    stop();
  }
}

export const tauriBackend: Backend = {
  appInfo: () => invoke("app_info"),
  storeRetry: () => invoke("store_retry"),
  storeUnlock: (passphrase) => invoke("store_unlock", { passphrase }),
  storeLock: () => invoke("store_lock"),
  storeChangePassphrase: (current, passphrase) =>
    invoke("store_change_passphrase", { current, passphrase }),
  idleLockGet: () => invoke("idle_lock_get"),
  idleLockSet: (minutes) => invoke("idle_lock_set", { minutes }),
  storeActivity: () => invoke("store_activity"),
  onStoreLocked: (handler) => listen(STORE_LOCKED, () => handler()),
  onChanged: (kind, handler) => listen(`${kind}-changed`, () => handler()),
  backupChoose: () => invoke("backup_choose"),
  backupCreate: (target, passphrase, onProgress) =>
    withProgress(BACKUP_PROGRESS, onProgress, () =>
      invoke("backup_create", { target, passphrase }),
    ),
  exportChoose: () => invoke("export_choose"),
  exportRecords: (target, format, onProgress) =>
    withProgress(EXPORT_PROGRESS, onProgress, () => invoke("export_records", { target, format })),
  matterCreate: (draft) => invoke("matter_create", { draft }),
  matterList: (filter) => invoke("matter_list", { filter }),
  matterGet: (id) => invoke("matter_get", { id }),
  matterUpdate: (id, patch) => invoke("matter_update", { id, patch }),
  matterHistory: (id) => invoke("matter_history", { id }),
  search: (query) => invoke("search", { query }),
  onMatterChanged: (handler) => listen<string>(MATTER_CHANGED, (e) => handler(e.payload)),
  deadlineRules: () => invoke("deadline_rules"),
  deadlineCreate: (draft) => invoke("deadline_create", { draft }),
  deadlineList: (filter) => invoke("deadline_list", { filter }),
  deadlineGet: (id) => invoke("deadline_get", { id }),
  deadlineSetDone: (id, done) => invoke("deadline_set_done", { id, done }),
  deadlineMove: (id, trigger) => invoke("deadline_move", { id, trigger }),
  deadlineDashboard: () => invoke("deadline_dashboard"),
  deadlineCalendarProblems: () => invoke("deadline_calendar_problems"),
  deadlineCalendarChanges: () => invoke("deadline_calendar_changes"),
  deadlineRecompute: (id) => invoke("deadline_recompute", { id }),
  deadlineSettingsGet: () => invoke("deadline_settings_get"),
  deadlineSettingsSet: (settings) => invoke("deadline_settings_set", { settings }),
  deadlineExportChoose: () => invoke("deadline_export_choose"),
  deadlineExport: (target, filter, includePrivate) =>
    invoke("deadline_export", { target, filter, includePrivate }),
  onDeadlineChanged: (handler) => listen(DEADLINE_CHANGED, () => handler()),
  onReminders: (handler) => listen<DeadlineReminder[]>(REMINDERS, (e) => handler(e.payload)),
  deadlineReminders: () => invoke("deadline_reminders"),
  deadlineRemindersDismiss: () => invoke("deadline_reminders_dismiss"),
  providerList: (filter) => invoke("provider_list", { filter }),
  providerGet: (id) => invoke("provider_get", { id }),
  providerCreate: (draft) => invoke("provider_create", { draft }),
  onProviderChanged: (handler) => listen(PROVIDER_CHANGED, () => handler()),
  consentList: (filter) => invoke("consent_list", { filter }),
  assignmentList: (filter) => invoke("assignment_list", { filter }),
  matterPartyList: (matterId) => invoke("matter_party_list", { matterId }),
  providerUpdate: (id, patch) => invoke("provider_update", { id, patch }),
  partyList: (filter) => invoke("party_list", { filter }),
  partyGet: (id) => invoke("party_get", { id }),
  partyCreate: (draft) => invoke("party_create", { draft }),
  partyUpdate: (id, patch) => invoke("party_update", { id, patch }),
  matterPartyCreate: (draft) => invoke("matter_party_create", { draft }),
  matterPartyUpdate: (id, role) => invoke("matter_party_update", { id, role }),
  consentCreate: (draft) => invoke("consent_create", { draft }),
  consentUpdate: (id, patch) => invoke("consent_update", { id, patch }),
  assignmentCreate: (draft) => invoke("assignment_create", { draft }),
  assignmentUpdate: (id, patch) => invoke("assignment_update", { id, patch }),
  assignmentMove: (id, to) => invoke("assignment_move", { id, to }),
  assignmentNextStates: (from) => invoke("assignment_next_states", { from }),
  messageList: (matterId, before, limit) => invoke("message_list", { matterId, before, limit }),
  messageCreate: (draft) => invoke("message_create", { draft }),
  // The file travels as the raw request body; its details ride in a header,
  // percent-encoded because file names are often not ASCII (see documents.rs).
  documentAdd: (upload, bytes) =>
    invoke("document_add", bytes, {
      headers: { "x-mandate-upload": encodeURIComponent(JSON.stringify(upload)) },
    }),
  documentList: (matterId) => invoke("document_list", { matterId }),
  documentVersions: (documentId) => invoke("document_versions", { documentId }),
  documentText: (versionId) => invoke("document_text", { versionId }),
  documentSaveCopy: (versionId) => invoke("document_save_copy", { versionId }),
  documentReview: (draft) => invoke("document_review", { draft }),
  documentReviews: (documentId) => invoke("document_reviews", { documentId }),
  onDocumentChanged: (handler) => listen(DOCUMENT_CHANGED, () => handler()),
  disclosureList: (filter) => invoke("disclosure_list", { filter }),
  ledgerList: (filter) => invoke("ledger_list", { filter }),
  ledgerSaveCsv: (filter) => invoke("ledger_save_csv", { filter }),
  ledgerSaveReport: (matterId) => invoke("ledger_save_report", { matterId }),
  providerDiligence: (id) => invoke("provider_diligence", { id }),
  providerReviewsDue: () => invoke("provider_reviews_due"),
  conflictCheckLatest: (matterId, providerId) =>
    invoke("conflict_check_latest", { matterId, providerId }),
  conflictCheckRun: (matterId, providerId) =>
    invoke("conflict_check_run", { matterId, providerId }),
  conflictMatchClear: (checkId, index, note) =>
    invoke("conflict_match_clear", { checkId, index, note }),
  identityGet: () => invoke("identity_get"),
  identitySetName: (name) => invoke("identity_set_name", { name }),
  relayList: () => invoke("relay_list"),
  relayAdd: (draft) => invoke("relay_add", { draft }),
  relayTest: (url) => invoke("relay_test", { url }),
  inviteCreate: (assignmentId, relayUrl) => invoke("invite_create", { assignmentId, relayUrl }),
  channelForAssignment: (assignmentId) => invoke("channel_for_assignment", { assignmentId }),
  memberVerify: (channelId, fingerprint) => invoke("member_verify", { channelId, fingerprint }),
  guardCheck: (request) => invoke("guard_check", { request }),
  scanShare: (request) => invoke("scan_share", { request }),
  scanKeep: (assignmentId, itemId, hitText, keptBy) =>
    invoke("scan_keep", { assignmentId, itemId, hitText, keptBy }),
  documentRedact: (versionId) => invoke("document_redact", { versionId }),
  shareSend: (request, overrideReason) =>
    invoke("share_send", { request, overrideReason: overrideReason ?? null }),
  personList: () => invoke("person_list"),
  personAdd: (draft) => invoke("person_add", { draft }),
  personUse: (id) => invoke("person_use", { id }),
  outboxList: (channelId, includeSent) => invoke("outbox_list", { channelId, includeSent }),
  outboxRetry: (envelopeId) => invoke("outbox_retry", { envelopeId }),
  exchangeMessageSend: (channelId, text, keepSensitive) =>
    invoke("exchange_message_send", { channelId, text, keepSensitive: keepSensitive ?? false }),
  syncStatus: () => invoke("sync_status"),
  syncNow: () => invoke("sync_now"),
  onSyncStatus: (handler) => listen(SYNC_STATUS, (e) => handler(e.payload as SyncStatus)),
  onOpenArrival: (handler) => listen(OPEN_ARRIVAL, (e) => handler(e.payload as ArrivalTarget)),
  invitePreview: (code) => invoke("invite_preview", { code }),
  inviteJoin: (code) => invoke("invite_join", { code }),
  engagementList: () => invoke("engagement_list"),
  engagementGet: (channelId) => invoke("engagement_get", { channelId }),
  engagementNextStates: (from) => invoke("engagement_next_states", { from }),
  engagementMove: (channelId, to) => invoke("engagement_move", { channelId, to }),
  // As documentAdd: the file is the raw body, its details a percent-encoded header.
  engagementDeliver: (channelId, fileName, bytes) =>
    invoke("engagement_deliver", bytes, {
      headers: {
        "x-mandate-deliver": encodeURIComponent(
          JSON.stringify({ channel_id: channelId, file_name: fileName }),
        ),
      },
    }),
  engagementFileText: (channelId, itemId) => invoke("engagement_file_text", { channelId, itemId }),
};
