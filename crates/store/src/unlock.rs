//! Stores unlocked by a passphrase, for machines with no keyring (or people who
//! prefer one): the 256-bit store key is derived with Argon2id from the passphrase
//! and a random salt; the parameters and salt sit in `store.json` (they are not
//! secret), the key itself nowhere.
//!
//! Changing the passphrase (or moving a keyring store to one) re-encrypts the
//! database (`PRAGMA rekey`) once the current secret is given. The new parameters
//! are written to `store.json.next` first (synced, folder synced), then the
//! database is re-keyed, checkpointed and synced, then `store.json` is replaced and
//! the old keyring entry, if any, forgotten. Opening a store checks
//! `store.json.next` too, whatever the store's key source was, so a crash or a full
//! disk at any point leaves a store that opens with the old secret or the new
//! passphrase and loses nothing ([`KeyChangeStep`] names the points; tests stop at
//! each).

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use argon2::{Algorithm, Argon2, Params, Version};
use mandate_core::{Error, ErrorCode, Result};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{
    KEY_SOURCE_PASSPHRASE, KeyVault, META_FILE, Store, StoreKey, db, existing, files, new_meta,
    read_meta, write_meta,
};

/// Shortest passphrase accepted when one is set.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
const NEXT_META: &str = "store.json.next";
#[cfg(test)]
pub(crate) const NEXT_META_FOR_TESTS: &str = NEXT_META;

/// Argon2id parameters, stored with the store so they can be raised later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub algorithm: String,
    /// Memory in KiB.
    pub m_cost: u32,
    pub t_cost: u32,
    pub p_cost: u32,
    /// Hex.
    pub salt: String,
}

impl KdfParams {
    /// OWASP's recommended Argon2id profile (64 MiB, 3 passes): about half a second
    /// here, which also slows anyone guessing passphrases against a stolen file.
    pub fn recommended() -> Self {
        Self::with_costs(64 * 1024, 3, 1)
    }

    /// Cheap parameters, for tests only.
    pub fn with_costs(m_cost: u32, t_cost: u32, p_cost: u32) -> Self {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        Self {
            algorithm: "argon2id".into(),
            m_cost,
            t_cost,
            p_cost,
            salt: hex::encode(salt),
        }
    }

    pub(crate) fn derive(&self, passphrase: &str) -> Result<StoreKey> {
        if self.algorithm != "argon2id" {
            return Err(Error::new(
                ErrorCode::StoreTooNew,
                "This store uses a key derivation this version of Mandate does not know. Update Mandate.",
            ));
        }
        let salt = hex::decode(&self.salt).map_err(|_| {
            Error::new(
                ErrorCode::Corrupt,
                "store.json holds a damaged salt. Restore it from a backup.",
            )
        })?;
        let params = Params::new(self.m_cost, self.t_cost, self.p_cost, Some(32)).map_err(|e| {
            Error::new(
                ErrorCode::Corrupt,
                format!("store.json holds invalid key-derivation settings ({e})."),
            )
        })?;
        let mut key = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(passphrase.as_bytes(), &salt, key.as_mut())
            .map_err(|e| Error::internal(format!("key derivation failed: {e}")))?;
        Ok(StoreKey::from_bytes(key))
    }
}

#[cfg(test)]
impl KdfParams {
    pub(crate) fn derive_for_tests(&self, passphrase: &str) -> StoreKey {
        self.derive(passphrase).expect("derives")
    }
}

pub(crate) fn check_new_passphrase(p: &str) -> Result<()> {
    if p.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid(
            "passphrase",
            format!(
                "Use a passphrase of at least {MIN_PASSPHRASE_CHARS} characters; a few unrelated words work well."
            ),
        ));
    }
    Ok(())
}

fn wrong_passphrase() -> Error {
    Error::new(
        ErrorCode::WrongPassphrase,
        "That passphrase does not open this store. Check it and try again.",
    )
}

/// The secret that opened the store, asked for again before its key is changed:
/// whoever sits at an unlocked desk (or a script in the window) must not be able to
/// lock its owner out.
pub enum CurrentSecret<'a> {
    /// The store's current passphrase.
    Passphrase(&'a str),
    /// A keyring store: the key must still be in this keyring. The desktop session
    /// that unlocked the keyring is what protects a keyring store.
    Keyring(&'a dyn KeyVault),
}

/// The points a change of key passes, in order. A crash or a full disk between any
/// two leaves a store that opens with the old secret or the new passphrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyChangeStep {
    /// `store.json.next` holds the new settings; the database still uses the old key.
    NextWritten,
    /// The database is re-encrypted (in the WAL, at least).
    Rekeyed,
    /// The database file alone holds the re-encrypted store, synced.
    Checkpointed,
    /// `store.json` names the new settings.
    MetaReplaced,
    /// The keyring's copy of the old key is gone (a keyring store only).
    KeyringForgotten,
}

/// The pending settings of a change of key that did not finish, if any.
pub(crate) fn pending_change(dir: &Path) -> Result<Option<crate::StoreMeta>> {
    Ok(read_meta(&dir.join(NEXT_META))?.filter(|m| m.kdf.is_some()))
}

pub(crate) fn drop_pending_change(dir: &Path) -> Result<()> {
    files::remove_durably(&dir.join(NEXT_META))
}

pub(crate) fn finish_change_error() -> Error {
    Error::new(
        ErrorCode::PassphraseRequired,
        "A change to a new passphrase was interrupted. Enter the new passphrase to finish it; \
         nothing was lost.",
    )
}

impl Store {
    /// Opens a passphrase store, or creates one in an empty folder with this
    /// passphrase. A keyring store is refused here: it opens with [`Store::open`].
    pub fn open_with_passphrase(dir: &Path, passphrase: &str) -> Result<Self> {
        Self::open_with_passphrase_params(dir, passphrase, KdfParams::recommended())
    }

    /// As [`Store::open_with_passphrase`], with the parameters a new store gets.
    pub fn open_with_passphrase_params(
        dir: &Path,
        passphrase: &str,
        new_params: KdfParams,
    ) -> Result<Self> {
        let (db_exists, meta) = existing(dir)?;
        let meta = match meta {
            // A new store, or a first run that stopped before its database was
            // made (a keyring that was not there): it becomes a passphrase store.
            None => create_meta(dir, passphrase, new_params)?,
            Some(m) if m.key_source != KEY_SOURCE_PASSPHRASE && !db_exists => {
                create_meta(dir, passphrase, new_params)?
            }
            Some(m) => m,
        };
        let pending = pending_change(dir)?;
        if meta.key_source != KEY_SOURCE_PASSPHRASE {
            // A move from the keyring to a passphrase that was cut short.
            if let Some(next) = pending
                && let Some(p) = &next.kdf
            {
                return match Self::finish(dir, next.clone(), &p.derive(passphrase)?) {
                    Ok(store) => {
                        write_meta(&dir.join(META_FILE), &next)?;
                        drop_pending_change(dir)?;
                        Ok(store)
                    }
                    Err(e) if e.code == ErrorCode::WrongKey => Err(wrong_passphrase()),
                    Err(e) => Err(e),
                };
            }
            return Err(Error::new(
                ErrorCode::Invalid,
                "This store's key is kept in your keyring, not derived from a passphrase. Open it without a passphrase.",
            ));
        }
        let params = meta.kdf.clone().ok_or_else(|| {
            Error::new(
                ErrorCode::Corrupt,
                "store.json lacks the passphrase settings. Restore it from a backup.",
            )
        })?;
        match Self::finish(dir, meta.clone(), &params.derive(passphrase)?) {
            Ok(store) => {
                // A change that was interrupted before re-keying: the leftover
                // .next file is simply stale.
                if pending.is_some() {
                    drop_pending_change(dir)?;
                }
                Ok(store)
            }
            Err(e) if e.code == ErrorCode::WrongKey => {
                // An interrupted passphrase change: the database may already use
                // the new parameters.
                if let Some(next) = pending
                    && let Some(p) = &next.kdf
                    && let Ok(store) = Self::finish(dir, next.clone(), &p.derive(passphrase)?)
                {
                    write_meta(&dir.join(META_FILE), &next)?;
                    drop_pending_change(dir)?;
                    return Ok(store);
                }
                Err(wrong_passphrase())
            }
            Err(e) => Err(e),
        }
    }

    /// Sets a new passphrase (also turning a keyring store into a passphrase
    /// store), re-encrypting the database with the new key, once `current` proves
    /// the right to. Nothing is lost if this is interrupted: see the module comment.
    pub fn change_passphrase(
        &mut self,
        current: CurrentSecret<'_>,
        new_passphrase: &str,
    ) -> Result<()> {
        self.change_passphrase_params(current, new_passphrase, KdfParams::recommended())
    }

    pub fn change_passphrase_params(
        &mut self,
        current: CurrentSecret<'_>,
        new_passphrase: &str,
        params: KdfParams,
    ) -> Result<()> {
        self.change_key(current, new_passphrase, params, &mut |_| Ok(()))
    }

    /// The change of key, with `step` called after each point of
    /// [`KeyChangeStep`]; tests make it fail there, as a crash or a full disk would.
    pub(crate) fn change_key(
        &mut self,
        current: CurrentSecret<'_>,
        new_passphrase: &str,
        params: KdfParams,
        step: &mut dyn FnMut(KeyChangeStep) -> Result<()>,
    ) -> Result<()> {
        check_new_passphrase(new_passphrase)?;
        let meta_path = self.dir.join(META_FILE);
        let mut meta = read_meta(&meta_path)?.ok_or_else(|| {
            Error::new(
                ErrorCode::Corrupt,
                "store.json is missing. Restore it from a backup.",
            )
        })?;
        let vault = self.check_current_secret(&current, &meta)?;
        let key = params.derive(new_passphrase)?;
        meta.key_source = KEY_SOURCE_PASSPHRASE.into();
        meta.kdf = Some(params);
        write_meta(&self.dir.join(NEXT_META), &meta)?;
        step(KeyChangeStep::NextWritten)?;
        db::rekey(&self.conn, &key)?;
        self.key_check = key.check_digest();
        self.key = key.clone();
        step(KeyChangeStep::Rekeyed)?;
        db::checkpoint_and_sync(&self.conn, &self.dir.join(crate::DB_FILE))?;
        step(KeyChangeStep::Checkpointed)?;
        write_meta(&meta_path, &meta)?;
        drop_pending_change(&self.dir)?;
        self.key_source = KEY_SOURCE_PASSPHRASE.into();
        step(KeyChangeStep::MetaReplaced)?;
        if let Some(vault) = vault {
            // The old key would still open copies of the database made before the
            // change (a file-system snapshot, an old disk image).
            vault.delete(&self.store_id)?;
            step(KeyChangeStep::KeyringForgotten)?;
        }
        let tx = self
            .conn
            .transaction()
            .map_err(|e| db::map(e, "record the change"))?;
        crate::audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "store.passphrase_change",
            "store",
            &self.store_id,
            &serde_json::json!({}),
        )?;
        tx.commit().map_err(|e| db::map(e, "record the change"))?;
        self.record_audit_head();
        Ok(())
    }

    /// Checks `current` against the key that opened the store; returns the keyring
    /// to forget the key in, for a keyring store.
    fn check_current_secret<'a>(
        &self,
        current: &CurrentSecret<'a>,
        meta: &crate::StoreMeta,
    ) -> Result<Option<&'a dyn KeyVault>> {
        let passphrase_store = self.key_source == KEY_SOURCE_PASSPHRASE;
        match (current, passphrase_store) {
            (CurrentSecret::Passphrase(p), true) => {
                let params = meta.kdf.as_ref().ok_or_else(|| {
                    Error::new(
                        ErrorCode::Corrupt,
                        "store.json lacks the passphrase settings. Restore it from a backup.",
                    )
                })?;
                if params.derive(p)?.check_digest() != self.key_check {
                    return Err(Error::invalid(
                        "current",
                        "That is not the store's current passphrase. Enter the passphrase you unlock it with.",
                    ));
                }
                Ok(None)
            }
            (CurrentSecret::Keyring(vault), false) => match vault.get(&self.store_id)? {
                Some(k) if k.check_digest() == self.key_check => Ok(Some(*vault)),
                _ => Err(Error::new(
                    ErrorCode::Locked,
                    "Your keyring no longer holds this store's key, so Mandate cannot confirm the change. \
                     Unlock your keyring and try again.",
                )),
            },
            (_, true) => Err(Error::invalid(
                "current",
                "Enter the store's current passphrase to change it.",
            )),
            (_, false) => Err(Error::new(
                ErrorCode::Invalid,
                "This store's key is in your keyring; it has no passphrase yet to enter.",
            )),
        }
    }
}

fn create_meta(dir: &Path, passphrase: &str, params: KdfParams) -> Result<crate::StoreMeta> {
    check_new_passphrase(passphrase)?;
    let meta = new_meta(KEY_SOURCE_PASSPHRASE, Some(params));
    write_meta(&dir.join(META_FILE), &meta)?;
    Ok(meta)
}

/// Wrong passphrases in a row, and when the last was given, kept beside
/// `store.json` so that restarting Mandate (or running the `mandate` command
/// instead) does not reset the wait. Not secret: it holds two numbers.
const ATTEMPTS_FILE: &str = "unlock-attempts.json";
/// The longest wait after a wrong passphrase.
pub const MAX_PENALTY: Duration = Duration::from_secs(30);

/// The wait after the `failures`-th wrong passphrase in a row (1-based): 1, 2, 4 … 30 s.
pub fn unlock_penalty(failures: u32) -> Duration {
    if failures == 0 {
        return Duration::ZERO;
    }
    Duration::from_secs(1u64 << (failures - 1).min(5)).min(MAX_PENALTY)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Attempts {
    failures: u32,
    /// Seconds since the Unix epoch.
    last_failure: u64,
}

fn read_attempts(dir: &Path) -> Attempts {
    // A missing or damaged file counts as no failures: it only slows guessing, and
    // a damaged one must not stop the owner from unlocking.
    std::fs::read(dir.join(ATTEMPTS_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default()
}

fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

impl Store {
    /// [`Store::open_with_passphrase_params`], rate-limited across processes and
    /// restarts: after `n` wrong passphrases in a row the next attempt waits until
    /// [`unlock_penalty`]`(n)` has passed since the last one, and a wrong one waits
    /// its own penalty before answering. `now` is the caller's clock; `sleep` is
    /// `std::thread::sleep` outside tests.
    pub fn open_with_passphrase_throttled(
        dir: &Path,
        passphrase: &str,
        new_params: KdfParams,
        now: SystemTime,
        sleep: &dyn Fn(Duration),
    ) -> Result<Self> {
        let before = read_attempts(dir);
        let owed_until = before.last_failure + unlock_penalty(before.failures).as_secs();
        let mut now_secs = unix_secs(now);
        if before.failures > 0 && owed_until > now_secs {
            sleep(Duration::from_secs(owed_until - now_secs));
            now_secs = owed_until;
        }
        match Self::open_with_passphrase_params(dir, passphrase, new_params) {
            Ok(store) => {
                if before.failures > 0 {
                    let _ = files::remove_durably(&dir.join(ATTEMPTS_FILE));
                }
                Ok(store)
            }
            Err(e) if e.code == ErrorCode::WrongPassphrase => {
                let after = Attempts {
                    failures: before.failures.saturating_add(1),
                    last_failure: now_secs,
                };
                // Best effort: a full disk must not turn a wrong passphrase into
                // another error; the wait below still applies in this process.
                if let Ok(body) = serde_json::to_vec(&after) {
                    let _ = files::replace_durably(&dir.join(ATTEMPTS_FILE), &body);
                }
                sleep(unlock_penalty(after.failures));
                Err(e)
            }
            Err(e) => Err(e),
        }
    }
}
