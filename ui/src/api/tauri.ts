import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { Backend } from "./backend";

/** Must match MATTER_CHANGED in src-tauri/src/commands.rs. */
const MATTER_CHANGED = "matter-changed";

export const tauriBackend: Backend = {
  appInfo: () => invoke("app_info"),
  storeRetry: () => invoke("store_retry"),
  matterCreate: (draft) => invoke("matter_create", { draft }),
  matterList: (filter) => invoke("matter_list", { filter }),
  matterGet: (id) => invoke("matter_get", { id }),
  matterUpdate: (id, patch) => invoke("matter_update", { id, patch }),
  matterHistory: (id) => invoke("matter_history", { id }),
  onMatterChanged: (handler) => listen<string>(MATTER_CHANGED, (e) => handler(e.payload)),
};
