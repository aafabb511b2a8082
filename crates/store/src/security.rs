//! The store's security settings: how long an idle window may stay unlocked. Kept
//! in the encrypted store, so whoever can change them has unlocked it.

use mandate_core::{Error, Result};
use rusqlite::{OptionalExtension, params};

use crate::{Store, audit, db::Ctx};

const SETTINGS_KEY: &str = "security_settings";

/// The idle minutes the window offers; 0 means never.
pub const IDLE_LOCK_CHOICES: [u32; 5] = [5, 15, 30, 60, 0];
pub const IDLE_LOCK_DEFAULT_MINUTES: u32 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct SecuritySettings {
    idle_lock_minutes: u32,
}

impl Store {
    /// Minutes of inactivity after which the window locks a passphrase store (0: never).
    pub fn idle_lock_minutes(&self) -> Result<u32> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM setting WHERE key = ?1",
                [SETTINGS_KEY],
                |r| r.get(0),
            )
            .optional()
            .ctx("read the security settings")?;
        Ok(value
            .and_then(|v| serde_json::from_str::<SecuritySettings>(&v).ok())
            .map_or(IDLE_LOCK_DEFAULT_MINUTES, |s| s.idle_lock_minutes))
    }

    pub fn set_idle_lock_minutes(&mut self, minutes: u32) -> Result<()> {
        if !IDLE_LOCK_CHOICES.contains(&minutes) {
            return Err(Error::invalid(
                "idle_lock_minutes",
                "Choose 5, 15, 30 or 60 idle minutes, or never.",
            ));
        }
        let s = SecuritySettings {
            idle_lock_minutes: minutes,
        };
        let value = serde_json::to_value(s).map_err(|e| Error::internal(e.to_string()))?;
        let tx = self.conn.transaction().ctx("save the security settings")?;
        tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![SETTINGS_KEY, value.to_string()],
        )
        .ctx("save the security settings")?;
        audit::append(
            &tx,
            &self.actor,
            "settings.update",
            "setting",
            SETTINGS_KEY,
            &value,
        )?;
        tx.commit().ctx("save the security settings")?;
        self.record_audit_head();
        Ok(())
    }
}
