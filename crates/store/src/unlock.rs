//! Stores unlocked by a passphrase, for machines with no keyring (or people who
//! prefer one): the 256-bit store key is derived with Argon2id from the passphrase
//! and a random salt; the parameters and salt sit in `store.json` (they are not
//! secret), the key itself nowhere.
//!
//! Changing the passphrase re-encrypts the database (`PRAGMA rekey`). The new
//! parameters are written to `store.json.next` first, then the database is
//! re-keyed, then the file is renamed over `store.json`; opening a store checks
//! `store.json.next` too, so a crash at any point leaves a store that opens with
//! the old or the new passphrase and loses nothing.

use std::path::Path;

use argon2::{Algorithm, Argon2, Params, Version};
use mandate_core::{Error, ErrorCode, Result};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{
    KEY_SOURCE_PASSPHRASE, META_FILE, Store, StoreKey, db, prepare, read_meta, write_meta,
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
        let creating = !dir.join(META_FILE).exists() && !dir.join(crate::DB_FILE).exists();
        if creating {
            check_new_passphrase(passphrase)?;
        }
        let (_, meta) = prepare(dir, KEY_SOURCE_PASSPHRASE, Some(new_params))?;
        if meta.key_source != KEY_SOURCE_PASSPHRASE {
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
                // A change that was interrupted after re-keying failed here; a
                // leftover .next file from before the re-key is simply stale.
                let _ = std::fs::remove_file(dir.join(NEXT_META));
                Ok(store)
            }
            Err(e) if e.code == ErrorCode::WrongKey => {
                // An interrupted passphrase change: the database may already use
                // the new parameters.
                if let Some(next) = read_meta(&dir.join(NEXT_META))?
                    && let Some(p) = &next.kdf
                    && let Ok(store) = Self::finish(dir, next.clone(), &p.derive(passphrase)?)
                {
                    write_meta(&dir.join(META_FILE), &next)?;
                    let _ = std::fs::remove_file(dir.join(NEXT_META));
                    return Ok(store);
                }
                Err(wrong_passphrase())
            }
            Err(e) => Err(e),
        }
    }

    /// Sets a new passphrase (also turning a keyring store into a passphrase
    /// store), re-encrypting the database with the new key. Nothing is lost if
    /// this is interrupted: see the module comment.
    pub fn change_passphrase(&mut self, new_passphrase: &str) -> Result<()> {
        self.change_passphrase_params(new_passphrase, KdfParams::recommended())
    }

    pub fn change_passphrase_params(
        &mut self,
        new_passphrase: &str,
        params: KdfParams,
    ) -> Result<()> {
        check_new_passphrase(new_passphrase)?;
        let meta_path = self.dir.join(META_FILE);
        let mut meta = read_meta(&meta_path)?.ok_or_else(|| {
            Error::new(
                ErrorCode::Corrupt,
                "store.json is missing. Restore it from a backup.",
            )
        })?;
        let key = params.derive(new_passphrase)?;
        meta.key_source = KEY_SOURCE_PASSPHRASE.into();
        meta.kdf = Some(params);
        write_meta(&self.dir.join(NEXT_META), &meta)?;
        db::rekey(&self.conn, &key)?;
        write_meta(&meta_path, &meta)?;
        let _ = std::fs::remove_file(self.dir.join(NEXT_META));
        self.key_source = KEY_SOURCE_PASSPHRASE.into();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| db::map(e, "record the change"))?;
        crate::audit::append(
            &tx,
            &self.actor,
            "store.passphrase_change",
            "store",
            &self.store_id,
            &serde_json::json!({}),
        )?;
        tx.commit().map_err(|e| db::map(e, "record the change"))
    }
}
