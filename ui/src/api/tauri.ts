import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { DeadlineReminder } from "../bindings/DeadlineReminder";
import type { Backend } from "./backend";

// Event names must match src-tauri/src/commands/{matters,deadlines}.rs.
const MATTER_CHANGED = "matter-changed";
const DEADLINE_CHANGED = "deadline-changed";
const REMINDERS = "deadline-reminders";
const PROVIDER_CHANGED = "provider-changed";

export const tauriBackend: Backend = {
  appInfo: () => invoke("app_info"),
  storeRetry: () => invoke("store_retry"),
  storeUnlock: (passphrase) => invoke("store_unlock", { passphrase }),
  storeLock: () => invoke("store_lock"),
  storeChangePassphrase: (passphrase) => invoke("store_change_passphrase", { passphrase }),
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
  deadlineSettingsGet: () => invoke("deadline_settings_get"),
  deadlineSettingsSet: (settings) => invoke("deadline_settings_set", { settings }),
  deadlineExportDefaultPath: () => invoke("deadline_export_default_path"),
  deadlineExportChoose: () => invoke("deadline_export_choose"),
  deadlineExport: (path, filter, includePrivate) =>
    invoke("deadline_export", { path, filter, includePrivate }),
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
};
