//! The store's security settings: how long an idle window may stay unlocked. Kept
//! in the encrypted store, so whoever can change them has unlocked it.

use mandate_core::{Error, Result};

use crate::Store;

const SETTINGS_KEY: &str = "security_settings";

/// The idle minutes the window offers; 0 means never.
pub const IDLE_LOCK_CHOICES: [u32; 5] = [5, 15, 30, 60, 0];
pub const IDLE_LOCK_DEFAULT_MINUTES: u32 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct SecuritySettings {
    idle_lock_minutes: u32,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        Self {
            idle_lock_minutes: IDLE_LOCK_DEFAULT_MINUTES,
        }
    }
}

impl Store {
    /// Minutes of inactivity after which the window locks a passphrase store (0: never).
    pub fn idle_lock_minutes(&self) -> Result<u32> {
        Ok(self
            .setting::<SecuritySettings>(SETTINGS_KEY)?
            .idle_lock_minutes)
    }

    pub fn set_idle_lock_minutes(&mut self, minutes: u32) -> Result<()> {
        if !IDLE_LOCK_CHOICES.contains(&minutes) {
            return Err(Error::invalid(
                "idle_lock_minutes",
                "Choose 5, 15, 30 or 60 idle minutes, or never.",
            ));
        }
        self.put_setting(
            SETTINGS_KEY,
            &SecuritySettings {
                idle_lock_minutes: minutes,
            },
        )
    }
}
