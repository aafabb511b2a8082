//! The people of the firm, and who is at this desk: once chosen, the audit log, the
//! ledger and every decision name that person (`Person::signature`) instead of the
//! operating system's user.

use mandate_core::person::{Person, PersonDraft, PersonRole};
use mandate_core::{Error, ErrorCode, Result};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::{
    Store, audit,
    db::{Ctx, is_unique_violation},
};

const COLUMNS: &str = "id, name, role, bar_admission, created_at";
const DESK: &str = "desk_person";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    let role: String = r.get(2)?;
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        role: PersonRole::parse(&role).unwrap_or(PersonRole::Staff),
        bar_admission: r.get(3)?,
        created_at: r.get(4)?,
    })
}

impl Store {
    pub fn add_person(&mut self, draft: &PersonDraft) -> Result<Person> {
        let v = draft.validate()?;
        let id = uuid::Uuid::now_v7().to_string();
        let tx = self.conn.transaction().ctx("save the person")?;
        tx.execute(
            &format!("INSERT INTO person ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5)"),
            params![
                id,
                v.name,
                v.role.as_str(),
                v.bar_admission,
                self.clock.stamp()
            ],
        )
        .map_err(|e| {
            if is_unique_violation(&e) {
                Error {
                    code: ErrorCode::Duplicate,
                    message: format!("{} is already one of the firm's people.", v.name),
                    field: Some("name".into()),
                }
            } else {
                crate::db::map(e, "save the person")
            }
        })?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            "person.add",
            "person",
            &id,
            &json!({ "name": v.name, "role": v.role.as_str() }),
        )?;
        tx.commit().ctx("save the person")?;
        self.record_audit_head();
        self.person(&id)
    }

    pub fn people(&self) -> Result<Vec<Person>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM person ORDER BY name COLLATE NOCASE"
            ))
            .ctx("list the people")?;
        stmt.query_map([], from_row)
            .ctx("list the people")?
            .collect::<rusqlite::Result<_>>()
            .ctx("list the people")
    }

    /// One person by id, or by name (any case).
    pub fn person(&self, id_or_name: &str) -> Result<Person> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM person WHERE id = ?1 OR name = ?1 COLLATE NOCASE"
                ),
                [id_or_name.trim()],
                from_row,
            )
            .optional()
            .ctx("read the person")?
            .ok_or_else(|| {
                Error::not_found(format!(
                    "{} is not one of the firm's people. Add them first (Settings, or mandate person add).",
                    id_or_name.trim()
                ))
            })
    }

    /// Who is at this desk: from now on audit records and decisions name them.
    pub fn use_person(&mut self, id_or_name: &str) -> Result<Person> {
        let p = self.person(id_or_name)?;
        self.put_setting(DESK, &Some(p.id.clone()))?;
        self.actor = p.signature();
        Ok(p)
    }

    /// The person at this desk, if one was chosen.
    pub fn desk_person(&self) -> Result<Option<Person>> {
        let id: Option<String> = self.setting(DESK)?;
        match id {
            Some(id) => self.person(&id).map(Some),
            None => Ok(None),
        }
    }

    /// Called when the store opens: the desk's person becomes the actor.
    pub(crate) fn take_desk_actor(&mut self) {
        if let Ok(Some(p)) = self.desk_person() {
            self.actor = p.signature();
        }
    }
}
