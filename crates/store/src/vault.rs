//! Where store keys live. In the app and the CLI: the OS keyring through the
//! Secret Service. In unit tests: memory.

use std::collections::HashMap;
use std::sync::Mutex;

use mandate_core::{Error, ErrorCode, Result};
use rand::RngCore;
use zeroize::Zeroizing;

/// Keyring service name; the keyring entry's user is the store id, so every store
/// (a second workspace, each test) has its own entry and none overwrites another.
pub const KEYRING_SERVICE: &str = "Mandate store key";

/// A 256-bit store key. Wiped from memory when dropped; never printed.
#[derive(Clone)]
pub struct StoreKey(Zeroizing<[u8; 32]>);

impl StoreKey {
    pub fn generate() -> Self {
        let mut k = Zeroizing::new([0u8; 32]);
        rand::rng().fill_bytes(k.as_mut());
        Self(k)
    }

    pub(crate) fn from_bytes(bytes: Zeroizing<[u8; 32]>) -> Self {
        Self(bytes)
    }

    pub(crate) fn hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_ref()))
    }

    /// A digest that tells whether another key is this one, without keeping this
    /// one: domain-separated so it is no other hash Mandate stores.
    pub(crate) fn check_digest(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"mandate store key check v1\0");
        h.update(self.0.as_ref());
        h.finalize().into()
    }

    fn from_hex(s: &str) -> Option<Self> {
        let bytes = Zeroizing::new(hex::decode(s.trim()).ok()?);
        let arr: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(Self(Zeroizing::new(arr)))
    }
}

impl std::fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoreKey(..)")
    }
}

pub trait KeyVault: Send + Sync {
    /// The key of `store_id`, or `None` when the vault holds none for it.
    fn get(&self, store_id: &str) -> Result<Option<StoreKey>>;
    fn put(&self, store_id: &str, key: &StoreKey) -> Result<()>;
    /// Forgets the key of `store_id` (after the store moved to a passphrase, so no
    /// old copy of the database opens with it). Forgetting a key it never held is fine.
    fn delete(&self, store_id: &str) -> Result<()>;
}

/// The OS keyring. The `keyring` crate is built with explicit Secret Service
/// features: with none it would silently keep keys in memory and lose them.
#[derive(Debug, Default)]
pub struct SecretServiceVault;

impl SecretServiceVault {
    fn entry(store_id: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(KEYRING_SERVICE, store_id).map_err(keyring_error)
    }
}

impl KeyVault for SecretServiceVault {
    fn get(&self, store_id: &str) -> Result<Option<StoreKey>> {
        match Self::entry(store_id)?.get_password() {
            Ok(s) => {
                let s = Zeroizing::new(s);
                StoreKey::from_hex(&s).map(Some).ok_or_else(|| {
                    Error::new(
                        ErrorCode::WrongKey,
                        "The keyring entry for this store does not hold a valid key. \
                         Restore the store and its key from a backup.",
                    )
                })
            }
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    fn put(&self, store_id: &str, key: &StoreKey) -> Result<()> {
        Self::entry(store_id)?
            .set_password(&key.hex())
            .map_err(keyring_error)?;
        // Read it back: a keyring that accepts a secret and drops it would leave a
        // store nobody can open.
        match self.get(store_id)? {
            Some(k) if k.0 == key.0 => Ok(()),
            _ => Err(Error::new(
                ErrorCode::KeyringUnavailable,
                "The keyring accepted the store key but did not keep it. \
                 Check that your keyring (e.g. GNOME Keyring) is running and unlocked.",
            )),
        }
    }

    fn delete(&self, store_id: &str) -> Result<()> {
        match Self::entry(store_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

fn keyring_error(e: keyring::Error) -> Error {
    let detail = match &e {
        keyring::Error::NoStorageAccess(_) => {
            "the keyring is locked or refused access: unlock it (log in to your desktop, \
             or unlock GNOME Keyring / KWallet) and try again"
        }
        keyring::Error::PlatformFailure(_) => {
            "no keyring service is reachable: start a Secret Service (GNOME Keyring or KWallet) \
             in your desktop session and try again"
        }
        _ => "check that your keyring is running and unlocked, then try again",
    };
    Error::new(
        ErrorCode::KeyringUnavailable,
        format!("Mandate could not use the OS keyring ({e}); {detail}."),
    )
}

/// Keys held in memory, for tests of the code around the keyring.
#[derive(Debug, Default)]
pub struct MemoryVault(Mutex<HashMap<String, [u8; 32]>>);

impl KeyVault for MemoryVault {
    fn get(&self, store_id: &str) -> Result<Option<StoreKey>> {
        let map = self
            .0
            .lock()
            .map_err(|_| Error::internal("vault poisoned"))?;
        Ok(map.get(store_id).map(|k| StoreKey(Zeroizing::new(*k))))
    }

    fn put(&self, store_id: &str, key: &StoreKey) -> Result<()> {
        let mut map = self
            .0
            .lock()
            .map_err(|_| Error::internal("vault poisoned"))?;
        map.insert(store_id.to_owned(), *key.0);
        Ok(())
    }

    fn delete(&self, store_id: &str) -> Result<()> {
        let mut map = self
            .0
            .lock()
            .map_err(|_| Error::internal("vault poisoned"))?;
        map.remove(store_id);
        Ok(())
    }
}

impl MemoryVault {
    /// Forgets every key, as a wiped keyring would.
    pub fn clear(&self) {
        if let Ok(mut m) = self.0.lock() {
            m.clear();
        }
    }

    /// Replaces a store's key with another, as a keyring restored from elsewhere would.
    pub fn replace(&self, store_id: &str) {
        if let Ok(mut m) = self.0.lock() {
            m.insert(store_id.to_owned(), *StoreKey::generate().0);
        }
    }
}

#[cfg(test)]
impl MemoryVault {
    pub(crate) fn get_for_test(&self, store_id: &str) -> Option<[u8; 32]> {
        self.0.lock().ok()?.get(store_id).copied()
    }
}
