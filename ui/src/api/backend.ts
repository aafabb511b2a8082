// The one interface every screen uses to reach the backend. The desktop app uses
// the Tauri implementation; component tests use the in-memory one. No screen
// imports @tauri-apps/api directly.
import type { ApiError } from "../bindings/ApiError";
import type { AuditRecord } from "../bindings/AuditRecord";
import type { SearchResults } from "../bindings/SearchResults";
import type { Matter } from "../bindings/Matter";
import type { MatterDraft } from "../bindings/MatterDraft";
import type { MatterFilter } from "../bindings/MatterFilter";
import type { MatterPage } from "../bindings/MatterPage";
import type { MatterPatch } from "../bindings/MatterPatch";
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

export interface AppInfo {
  version: string;
  data_dir: string | null;
  data_dir_source: string | null;
  store_error: ApiError | null;
}

export interface Backend {
  appInfo(): Promise<AppInfo>;
  storeRetry(): Promise<void>;
  /** Unlocks a passphrase store, or creates one in an empty folder. */
  storeUnlock(passphrase: string): Promise<void>;
  /** Closes the store; the window shows the unlock screen. */
  storeLock(): Promise<void>;
  storeChangePassphrase(passphrase: string): Promise<void>;
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
  deadlineSettingsGet(): Promise<DeadlineSettings>;
  deadlineSettingsSet(settings: DeadlineSettings): Promise<void>;
  deadlineExportDefaultPath(): Promise<string>;
  /** Opens the native save dialog; null when cancelled. */
  deadlineExportChoose(): Promise<string | null>;
  /** Writes an .ics file; returns how many deadlines it holds. */
  deadlineExport(path: string, filter: DeadlineFilter, includePrivate: boolean): Promise<number>;
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
