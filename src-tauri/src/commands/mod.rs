//! The IPC commands, one module per part of the domain. Store work runs on a
//! blocking thread, never on the window's thread, so a slow disk cannot freeze
//! the UI.

pub mod backup;
pub mod deadlines;
pub mod documents;
pub mod matters;
pub mod practice;

use mandate_core::{Error, ErrorCode};
use mandate_store::{SecretServiceVault, Store};
use serde::Serialize;
use tauri::State;

use crate::AppState;

#[derive(Serialize)]
pub struct AppInfo {
    version: &'static str,
    data_dir: Option<String>,
    data_dir_source: Option<&'static str>,
    /// Why the store is not open, if it is not.
    store_error: Option<Error>,
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
    let store_error = match state.store.lock() {
        Ok(g) => g.as_ref().err().cloned(),
        Err(_) => Some(Error::internal(
            "The store is in an unknown state. Restart Mandate.",
        )),
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
    }
}

/// Tries to open the store again (after the person unlocked their keyring).
#[tauri::command]
pub async fn store_retry(state: State<'_, AppState>) -> Result<(), Error> {
    let dir = state.data_dir.clone()?;
    let store = state.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let opened = Store::open(&dir.path, &SecretServiceVault);
        let result = opened.as_ref().map(|_| ()).map_err(Clone::clone);
        if let Ok(mut g) = store.lock() {
            *g = opened;
        }
        result
    })
    .await
    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
}

/// The one gate every passphrase attempt passes (crate::unlock_gate).
static UNLOCK_GATE: std::sync::LazyLock<crate::unlock_gate::UnlockGate> =
    std::sync::LazyLock::new(Default::default);

/// Unlocks (or, in an empty folder, creates) a passphrase store. Attempts are
/// answered one at a time, and each wrong passphrase doubles the wait before the
/// answer (up to 30 s), on top of Argon2id's own cost, so guessing is slow.
#[tauri::command]
pub async fn store_unlock(state: State<'_, AppState>, passphrase: String) -> Result<(), Error> {
    let dir = state.data_dir.clone()?;
    let store = state.store.clone();
    let passphrase = zeroize::Zeroizing::new(passphrase);
    tauri::async_runtime::spawn_blocking(move || {
        let s = UNLOCK_GATE.attempt(
            || Store::open_with_passphrase(&dir.path, &passphrase),
            std::thread::sleep,
        )?;
        if let Ok(mut g) = store.lock() {
            *g = Ok(s);
        }
        Ok(())
    })
    .await
    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?
}

/// Closes the store (after inactivity, or on request): the key leaves memory and
/// the window shows the unlock screen.
#[tauri::command]
pub async fn store_lock(state: State<'_, AppState>) -> Result<(), Error> {
    let store = state.store.clone();
    tauri::async_runtime::spawn_blocking(move || {
        if let Ok(mut g) = store.lock() {
            let locked = match g.as_ref() {
                Ok(s) if s.is_passphrase_protected() => Error::new(
                    ErrorCode::PassphraseRequired,
                    "Mandate locked the store. Enter your passphrase to continue.",
                ),
                Ok(_) => Error::new(
                    ErrorCode::Locked,
                    "Mandate locked the store. Unlock to continue.",
                ),
                Err(e) => e.clone(),
            };
            // Dropping the Store closes the connection, and with it SQLCipher's key.
            *g = Err(locked);
        }
    })
    .await
    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))
}

/// Sets a new passphrase (or moves a keyring store to a passphrase).
#[tauri::command]
pub async fn store_change_passphrase(
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<(), Error> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    with_store(&state, move |s| s.change_passphrase(&passphrase)).await
}
