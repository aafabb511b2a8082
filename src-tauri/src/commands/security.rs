//! Opening, locking and unlocking the store, its passphrase, and the idle lock.
//!
//! Locking is done here, in Rust: the key leaves memory with the store, the
//! reminders raised so far are dropped, and the window is told to drop what it
//! shows. A keyring store is not "locked" by Mandate: its key sits in the desktop
//! keyring, which anyone at the unlocked desk can read again, so the desktop
//! session's own lock is what protects it, and the window says so.

use std::time::{Duration, Instant, SystemTime};

use mandate_core::{Error, ErrorCode};
use mandate_store::{CurrentSecret, KdfParams, SecretServiceVault, Store};
use tauri::{AppHandle, Emitter, Manager, State};

use super::with_store;
use crate::AppState;

/// Emitted when the store locks (by request or after idle minutes): the window
/// drops everything it shows and asks for the passphrase.
pub const STORE_LOCKED: &str = "store-locked";

/// Tries to open the store again (after the person unlocked their keyring).
#[tauri::command]
pub async fn store_retry(state: State<'_, AppState>) -> Result<(), Error> {
    let dir = state.data_dir.clone()?;
    let store = state.store.clone();
    let opened = tauri::async_runtime::spawn_blocking(move || {
        let opened = Store::open(&dir.path, &SecretServiceVault);
        let result = opened.as_ref().map(|_| ()).map_err(Clone::clone);
        if let Ok(mut g) = store.lock() {
            // A store that is open stays open: retrying is for one that is not.
            if g.is_err() {
                *g = opened;
            }
        }
        result
    })
    .await
    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    after_unlock(&state).await;
    opened
}

/// The one gate every passphrase attempt passes (crate::unlock_gate).
static UNLOCK_GATE: std::sync::LazyLock<crate::unlock_gate::UnlockGate> =
    std::sync::LazyLock::new(Default::default);

/// Unlocks (or, in an empty folder, creates) a passphrase store. Attempts are
/// answered one at a time, and each wrong passphrase doubles the wait (up to 30 s,
/// kept in the store folder so a restart does not reset it), on top of Argon2id's
/// own cost, so guessing is slow.
#[tauri::command]
pub async fn store_unlock(state: State<'_, AppState>, passphrase: String) -> Result<(), Error> {
    let dir = state.data_dir.clone()?;
    let store = state.store.clone();
    let passphrase = zeroize::Zeroizing::new(passphrase);
    tauri::async_runtime::spawn_blocking(move || {
        let s = UNLOCK_GATE.attempt(|| {
            Store::open_with_passphrase_throttled(
                &dir.path,
                &passphrase,
                KdfParams::recommended(),
                SystemTime::now(),
                &std::thread::sleep,
            )
        })?;
        if let Ok(mut g) = store.lock() {
            *g = Ok(s);
        }
        Ok::<_, Error>(())
    })
    .await
    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))??;
    after_unlock(&state).await;
    Ok(())
}

/// Takes the idle minutes from the store just opened, and starts the idle clock.
async fn after_unlock(state: &State<'_, AppState>) {
    state.idle.touch(Instant::now());
    if let Ok(m) = with_store(state, |s| s.idle_lock_minutes()).await {
        state.idle.set_minutes(m);
    }
}

/// Locks a passphrase store now: see the module comment.
#[tauri::command]
pub async fn store_lock(app: AppHandle, state: State<'_, AppState>) -> Result<(), Error> {
    lock(&app, &state)
}

pub fn lock(app: &AppHandle, state: &AppState) -> Result<(), Error> {
    lock_state(state)?;
    let _ = app.emit(STORE_LOCKED, ());
    Ok(())
}

/// What locking drops, in Rust: the store (and with it SQLCipher's key), the
/// exchange thread's connection, and the reminders waiting to be shown. The window
/// only clears its screens when it hears `store-locked`.
fn lock_state(state: &AppState) -> Result<(), Error> {
    {
        let mut g = state
            .store
            .lock()
            .map_err(|_| Error::internal("The store is in an unknown state. Restart Mandate."))?;
        match g.as_ref() {
            Ok(s) if s.is_passphrase_protected() => {}
            Ok(_) => {
                return Err(Error::new(
                    ErrorCode::Invalid,
                    "This store's key is in your desktop keyring, so locking your desktop session \
                     (Super+L) is what protects it. To lock Mandate on its own, set a passphrase \
                     in Backup & security.",
                ));
            }
            // Already locked.
            Err(_) => return Ok(()),
        }
        // Dropping the Store closes the connection, and with it SQLCipher's key.
        *g = Err(Error::new(
            ErrorCode::PassphraseRequired,
            "Mandate locked the store. Enter your passphrase to continue.",
        ));
    }
    // The exchange thread's own connection goes too.
    state.sync.store_locked();
    if let Ok(mut r) = state.reminders.lock() {
        r.clear();
    }
    Ok(())
}

/// Sets a new passphrase (or moves a keyring store to a passphrase). A passphrase
/// store asks for its current passphrase; a keyring store's key must still be in
/// the keyring.
#[tauri::command]
pub async fn store_change_passphrase(
    state: State<'_, AppState>,
    current: Option<String>,
    passphrase: String,
) -> Result<(), Error> {
    let passphrase = zeroize::Zeroizing::new(passphrase);
    let current = current.map(zeroize::Zeroizing::new);
    with_store(&state, move |s| {
        let secret = if s.is_passphrase_protected() {
            match current.as_deref() {
                Some(p) => CurrentSecret::Passphrase(p),
                None => {
                    return Err(Error::invalid(
                        "current",
                        "Enter the store's current passphrase to change it.",
                    ));
                }
            }
        } else {
            CurrentSecret::Keyring(&SecretServiceVault)
        };
        s.change_passphrase(secret, &passphrase)
    })
    .await?;
    // The exchange thread's connection was opened with the old key: it reopens.
    state.sync.store_locked();
    Ok(())
}

/// The idle minutes after which a passphrase store locks (0: never).
#[tauri::command]
pub async fn idle_lock_get(state: State<'_, AppState>) -> Result<u32, Error> {
    with_store(&state, |s| s.idle_lock_minutes()).await
}

#[tauri::command]
pub async fn idle_lock_set(state: State<'_, AppState>, minutes: u32) -> Result<(), Error> {
    with_store(&state, move |s| s.set_idle_lock_minutes(minutes)).await?;
    state.idle.set_minutes(minutes);
    state.idle.touch(Instant::now());
    Ok(())
}

/// The person is at the window (a key press, a click): postpones the idle lock.
#[tauri::command]
pub fn store_activity(state: State<'_, AppState>) {
    state.idle.touch(Instant::now());
}

/// Locks an idle passphrase store: checked every 5 s, so it locks at most 5 s late.
pub fn spawn_idle_lock_loop(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(5)).await;
            let state = app.state::<AppState>();
            if state.idle.due(Instant::now()) {
                let _ = lock(&app, &state);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use mandate_core::ErrorCode;
    use mandate_core::deadline::{DeadlineDraft, DeadlineReminder};
    use mandate_store::{KdfParams, MemoryVault, Store};

    use super::lock_state;
    use crate::AppState;

    fn state_with(store: Store) -> AppState {
        AppState {
            data_dir: Err(mandate_core::Error::internal("not used")),
            store: Arc::new(Mutex::new(Ok(store))),
            reminders: Mutex::new(Vec::new()),
            idle: crate::idle::IdleLock::new(std::time::Instant::now()),
            extractor: mandate_extract::Extractor::isolated(),
            chosen: crate::chosen::ChosenPlaces::default(),
            sync: crate::sync::SyncHandle::default(),
        }
    }

    /// Locking drops the store's key, tells the exchange thread to drop its
    /// connection and forgets the reminders waiting to be shown, in Rust.
    #[test]
    fn locking_drops_the_store_the_exchange_connection_and_the_reminders() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut store = Store::open_with_passphrase_params(
            dir.path(),
            "correct horse battery staple",
            KdfParams::with_costs(256, 1, 1),
        )
        .unwrap();
        let m = store
            .create_matter(&mandate_core::MatterDraft {
                number: "L-1".into(),
                title: "Locked".into(),
                client_name: "Client".into(),
                ..Default::default()
            })
            .unwrap();
        let deadline = store
            .create_deadlines(&DeadlineDraft {
                matter_id: m.id.clone(),
                title: Some("Answer".into()),
                due_date: Some("2026-12-10".into()),
                ..Default::default()
            })
            .unwrap()
            .remove(0);
        let state = state_with(store);
        state.reminders.lock().unwrap().push(DeadlineReminder {
            deadline,
            lead_minutes: 1440,
            missed: false,
        });
        let epoch = state.sync.lock_epoch();

        lock_state(&state).unwrap();

        match &*state.store.lock().unwrap() {
            Err(e) => assert_eq!(e.code, ErrorCode::PassphraseRequired),
            Ok(_) => panic!("the store is still open"),
        }
        assert!(state.reminders.lock().unwrap().is_empty());
        assert_eq!(state.sync.lock_epoch(), epoch + 1);
        // Locked again: nothing more to drop, and no error.
        lock_state(&state).unwrap();
    }

    /// A keyring store is not locked by Mandate (the desktop session lock protects
    /// it): the refusal says so, and nothing is dropped.
    #[test]
    fn a_keyring_store_is_not_locked_and_says_why() {
        let dir = tempfile::TempDir::new().unwrap();
        let store = Store::open(dir.path(), &MemoryVault::default()).unwrap();
        let state = state_with(store);
        let e = lock_state(&state).unwrap_err();
        assert!(e.message.contains("Super+L"), "{}", e.message);
        assert!(state.store.lock().unwrap().is_ok());
    }
}
