//! Mandate's desktop shell. It owns the window, the app state and the IPC
//! commands, and nothing else: each command unpacks its arguments, calls one
//! function of `mandate-store`, and returns the result or a `{code, message,
//! field}` error. After a write it emits a change event so the UI refetches;
//! the UI never keeps a second copy of the data.

mod chosen;
mod commands;
mod idle;
mod sync;
mod unlock_gate;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use mandate_core::Error;
use mandate_store::{DataDir, SecretServiceVault, Store, resolve_data_dir};

/// The open store, or why it could not be opened (shown by the UI with a retry).
pub struct AppState {
    pub data_dir: Result<DataDir, Error>,
    pub store: Arc<Mutex<Result<Store, Error>>>,
    /// Reminders raised since the window last dismissed them, so a window that
    /// starts listening after the first check still shows them.
    pub reminders: Mutex<Vec<mandate_core::deadline::DeadlineReminder>>,
    pub idle: idle::IdleLock,
    /// Reads the text of added files: this executable re-run as a child process
    /// with limits, so a hostile PDF fails only its own text.
    pub extractor: mandate_extract::Extractor,
    /// Places picked in the native dialogs, each behind a one-time token: the only
    /// places the window can have plaintext (or a backup) written to.
    pub chosen: chosen::ChosenPlaces,
    /// The exchange thread: sync rounds, invites (`sync.rs`).
    pub sync: sync::SyncHandle,
}

impl AppState {
    fn open(data_dir: Result<DataDir, Error>) -> Self {
        let store = match &data_dir {
            Ok(d) => Store::open(&d.path, &SecretServiceVault),
            Err(e) => Err(e.clone()),
        };
        Self {
            data_dir,
            store: Arc::new(Mutex::new(store)),
            reminders: Mutex::new(Vec::new()),
            idle: idle::IdleLock::new(std::time::Instant::now()),
            extractor: mandate_extract::Extractor::isolated(),
            chosen: chosen::ChosenPlaces::default(),
            sync: sync::SyncHandle::default(),
        }
    }
}

/// `--data-dir DIR` or `--data-dir=DIR` on the command line (tests and development
/// pass one so they never touch a real store).
fn data_dir_arg(args: impl Iterator<Item = String>) -> Option<PathBuf> {
    let mut args = args.skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = a.strip_prefix("--data-dir=") {
            return Some(PathBuf::from(v));
        }
    }
    None
}

pub fn run() {
    let state = AppState::open(resolve_data_dir(data_dir_arg(std::env::args())));
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .setup(|app| {
            commands::deadlines::spawn_reminder_loop(app.handle().clone());
            commands::security::spawn_idle_lock_loop(app.handle().clone());
            commands::spawn_outside_change_watch(app.handle().clone());
            sync::spawn(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::security::store_retry,
            commands::security::store_unlock,
            commands::security::store_lock,
            commands::security::store_change_passphrase,
            commands::security::idle_lock_get,
            commands::security::idle_lock_set,
            commands::security::store_activity,
            commands::matters::matter_create,
            commands::matters::matter_list,
            commands::matters::matter_get,
            commands::matters::matter_update,
            commands::matters::matter_history,
            commands::matters::search,
            commands::providers::provider_list,
            commands::providers::provider_get,
            commands::deadlines::deadline_calendar_changes,
            commands::deadlines::deadline_recompute,
            commands::documents::ledger_save_csv,
            commands::documents::ledger_save_report,
            commands::providers::provider_diligence,
            commands::providers::provider_reviews_due,
            commands::providers::conflict_check_latest,
            commands::providers::conflict_check_run,
            commands::providers::conflict_match_clear,
            commands::providers::provider_create,
            commands::providers::provider_update,
            commands::parties::party_list,
            commands::parties::party_get,
            commands::parties::party_create,
            commands::parties::party_update,
            commands::parties::matter_party_list,
            commands::parties::matter_party_get,
            commands::parties::matter_party_create,
            commands::parties::matter_party_update,
            commands::consents::consent_list,
            commands::consents::consent_get,
            commands::consents::consent_create,
            commands::consents::consent_update,
            commands::assignments::assignment_list,
            commands::assignments::assignment_get,
            commands::assignments::assignment_create,
            commands::assignments::assignment_update,
            commands::assignments::assignment_move,
            commands::assignments::assignment_history,
            commands::assignments::assignment_next_states,
            commands::messages::message_list,
            commands::messages::message_create,
            commands::deadlines::deadline_rules,
            commands::deadlines::deadline_create,
            commands::deadlines::deadline_list,
            commands::deadlines::deadline_get,
            commands::deadlines::deadline_set_done,
            commands::deadlines::deadline_move,
            commands::deadlines::deadline_dashboard,
            commands::deadlines::deadline_calendar_problems,
            commands::deadlines::deadline_reminders,
            commands::deadlines::deadline_reminders_dismiss,
            commands::deadlines::deadline_settings_get,
            commands::deadlines::deadline_settings_set,
            commands::deadlines::deadline_export_choose,
            commands::deadlines::deadline_export,
            commands::backup::backup_choose,
            commands::backup::backup_create,
            commands::backup::export_choose,
            commands::backup::export_records,
            commands::documents::document_add,
            commands::documents::document_list,
            commands::documents::document_versions,
            commands::documents::document_text,
            commands::documents::document_save_copy,
            commands::documents::document_review,
            commands::documents::document_reviews,
            commands::documents::disclosure_list,
            commands::documents::ledger_list,
            commands::exchange::identity_get,
            commands::exchange::identity_set_name,
            commands::exchange::relay_list,
            commands::exchange::relay_add,
            commands::exchange::relay_test,
            commands::exchange::invite_create,
            commands::exchange::channel_for_assignment,
            commands::exchange::member_verify,
            commands::exchange::guard_check,
            commands::exchange::person_list,
            commands::exchange::person_add,
            commands::exchange::person_use,
            commands::exchange::scan_share,
            commands::exchange::scan_keep,
            commands::exchange::document_redact,
            commands::exchange::share_send,
            commands::exchange::outbox_list,
            commands::exchange::outbox_retry,
            commands::exchange::exchange_message_send,
            commands::exchange::sync_status,
            commands::exchange::sync_now,
            commands::exchange::invite_preview,
            commands::exchange::invite_join,
            commands::exchange::engagement_list,
            commands::exchange::engagement_get,
            commands::exchange::engagement_next_states,
            commands::exchange::engagement_move,
            commands::exchange::engagement_deliver,
            commands::exchange::engagement_file_text,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(e) => {
            eprintln!("Mandate could not start its window: {e}");
            std::process::exit(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::data_dir_arg;
    use std::path::PathBuf;

    #[test]
    fn reads_the_data_dir_in_both_spellings() {
        let args = |v: &[&str]| {
            v.iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
                .into_iter()
        };
        assert_eq!(
            data_dir_arg(args(&["app", "--data-dir", "/x"])),
            Some(PathBuf::from("/x"))
        );
        assert_eq!(
            data_dir_arg(args(&["app", "--data-dir=/y"])),
            Some(PathBuf::from("/y"))
        );
        assert_eq!(data_dir_arg(args(&["app", "--data-dir"])), None);
        assert_eq!(data_dir_arg(args(&["app"])), None);
    }
}
