//! The firm's settings, one JSON value per key in the `setting` table: read with a
//! default when absent or unreadable, written with its audit record in one
//! transaction. Each kind of setting (deadlines, security) validates its own
//! values and then comes here.

use mandate_core::{Error, Result};
use rusqlite::{OptionalExtension, params};
use serde::{Serialize, de::DeserializeOwned};

use crate::{Store, audit, db::Ctx};

impl Store {
    /// The setting under `key`, or `T::default()` when there is none (or it was
    /// written by a version that stored something else).
    pub(crate) fn setting<T: DeserializeOwned + Default>(&self, key: &str) -> Result<T> {
        let v: Option<String> = self
            .conn
            .query_row("SELECT value FROM setting WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .ctx("read the settings")?;
        Ok(v.and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default())
    }

    /// Writes the setting under `key` and its `settings.update` audit record.
    pub(crate) fn put_setting<T: Serialize>(&mut self, key: &str, value: &T) -> Result<()> {
        let value = serde_json::to_value(value).map_err(|e| Error::internal(e.to_string()))?;
        let tx = self.conn.transaction().ctx("save the settings")?;
        tx.execute(
            "INSERT INTO setting (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value.to_string()],
        )
        .ctx("save the settings")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "settings.update",
            "setting",
            key,
            &value,
        )?;
        tx.commit().ctx("save the settings")?;
        self.record_audit_head();
        Ok(())
    }
}
