//! The IPC commands, one module per part of the domain. Store work runs on a
//! blocking thread, never on the window's thread, so a slow disk cannot freeze
//! the UI.

pub mod assignments;
pub mod backup;
pub mod consents;
pub mod deadlines;
pub mod dialogs;
pub mod documents;
pub mod exchange;
pub mod matters;
pub mod messages;
pub mod parties;
pub mod providers;
pub mod security;

use mandate_core::Error;
use mandate_store::Store;
use serde::Serialize;
use tauri::State;

use crate::AppState;

/// The lawyer's date on this machine: what deadlines, re-review dates and the send
/// guard are read against, and what names exports.
pub(crate) fn today() -> jiff::civil::Date {
    jiff::ZonedDateTime::now().date()
}

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    data_dir: Option<String>,
    data_dir_source: Option<&'static str>,
    /// Why the store is not open, if it is not.
    store_error: Option<Error>,
    /// Whether the open store is unlocked by a passphrase (it can be locked from
    /// the window) or by the keyring (the desktop session's lock protects it).
    passphrase_protected: bool,
    /// What opening the store found wrong with its history, if anything.
    audit_warning: Option<String>,
}

pub(crate) async fn with_store<T: Send + 'static>(
    state: &State<'_, AppState>,
    f: impl FnOnce(&mut Store) -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    let store = state.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut guard = store.lock().map_err(|_| {
            Error::internal(
                "The store is in an unknown state after an earlier failure. Restart Mandate.",
            )
        })?;
        match guard.as_mut() {
            Ok(s) => f(s),
            Err(e) => Err(e.clone()),
        }
    })
    .await
    // Not the JoinError's text: a panic's message may hold client data.
    .map_err(|_| Error::internal("The store task stopped unexpectedly. Try again."))?
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> AppInfo {
    let (store_error, passphrase_protected, audit_warning) = match state.store.lock() {
        Ok(g) => match g.as_ref() {
            Ok(s) => (
                None,
                s.is_passphrase_protected(),
                s.audit_warning().map(str::to_owned),
            ),
            Err(e) => (Some(e.clone()), false, None),
        },
        Err(_) => (
            Some(Error::internal(
                "The store is in an unknown state. Restart Mandate.",
            )),
            false,
            None,
        ),
    };
    AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: state
            .data_dir
            .as_ref()
            .ok()
            .map(|d| d.path.display().to_string()),
        data_dir_source: state.data_dir.as_ref().ok().map(|d| d.source),
        store_error,
        passphrase_protected,
        audit_warning,
    }
}

/// Every change event the window listens to (`${kind}-changed`).
const CHANGE_EVENTS: [&str; 10] = [
    matters::MATTER_CHANGED,
    deadlines::DEADLINE_CHANGED,
    providers::PROVIDER_CHANGED,
    parties::PARTY_CHANGED,
    parties::MATTER_PARTY_CHANGED,
    consents::CONSENT_CHANGED,
    assignments::ASSIGNMENT_CHANGED,
    messages::MESSAGE_CHANGED,
    documents::DOCUMENT_CHANGED,
    crate::sync::EXCHANGE_CHANGED,
];

/// Watches the store for writes made by another process (the `mandate` command,
/// a script) and then tells every open view to refetch: records the CLI adds while
/// the window is open show up within two seconds. Cheap: one pragma read, which
/// SQLite answers from memory.
pub fn spawn_outside_change_watch(app: tauri::AppHandle) {
    use tauri::{Emitter, Manager};
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            let state = app.state::<AppState>();
            // Locked or not open: nothing to watch (a store opened later takes its
            // first reading when it opens).
            if let Ok(true) = with_store(&state, |s| s.take_outside_changes()).await {
                for event in CHANGE_EVENTS {
                    let _ = app.emit(event, "");
                }
            }
        }
    });
}
