//! Embedded, numbered migrations. Each runs in its own transaction and sets
//! `user_version`, so a crash mid-migration leaves the store at the last complete
//! version. A store whose version is newer than this binary's is refused.

use mandate_core::{Error, ErrorCode, Result};
use rusqlite::Connection;

use crate::db::Ctx;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/0001_matters.sql")),
    (2, include_str!("../migrations/0002_deadlines.sql")),
    (3, include_str!("../migrations/0003_practice.sql")),
    (4, include_str!("../migrations/0004_messages.sql")),
    (5, include_str!("../migrations/0005_matter_safeguards.sql")),
    (6, include_str!("../migrations/0006_documents.sql")),
    (7, include_str!("../migrations/0007_audit_matter.sql")),
    (8, include_str!("../migrations/0008_exchange.sql")),
    (9, include_str!("../migrations/0009_conflicts.sql")),
    (10, include_str!("../migrations/0010_receipts.sql")),
    (11, include_str!("../migrations/0011_ai_use_and_export.sql")),
    (12, include_str!("../migrations/0012_scan_keep.sql")),
    (13, include_str!("../migrations/0013_people.sql")),
    (14, include_str!("../migrations/0014_ledger_recipients.sql")),
    (
        15,
        include_str!("../migrations/0015_exchange_item_lookup.sql"),
    ),
    (
        16,
        include_str!("../migrations/0016_deadline_calendar_hashes.sql"),
    ),
    (17, include_str!("../migrations/0017_file_parts.sql")),
];

/// The schema version this binary writes.
pub const LATEST_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

pub(crate) fn run(conn: &mut Connection) -> Result<()> {
    let current: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .ctx("read the store's version")?;
    if current > LATEST_VERSION {
        return Err(Error::new(
            ErrorCode::StoreTooNew,
            format!(
                "This store was written by a newer version of Mandate (schema {current}; this one knows up to {LATEST_VERSION}). \
                 Update Mandate to open it; nothing was changed."
            ),
        ));
    }
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > current) {
        let tx = conn.transaction().ctx("start a migration")?;
        tx.execute_batch(sql).ctx("upgrade the store")?;
        tx.pragma_update(None, "user_version", version)
            .ctx("record the store's version")?;
        tx.commit().ctx("finish a migration")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_numbered_in_order_from_one() {
        for (i, (v, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*v, i as i64 + 1);
        }
    }

    #[test]
    fn refuses_a_newer_store_and_leaves_it_alone() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", LATEST_VERSION + 1)
            .unwrap();
        let e = run(&mut conn).unwrap_err();
        assert_eq!(e.code, ErrorCode::StoreTooNew);
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0);
    }

    #[test]
    fn a_version_4_store_keeps_its_matters_and_gains_the_safeguards() {
        let mut conn = Connection::open_in_memory().unwrap();
        for (v, sql) in &MIGRATIONS[..4] {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", v).unwrap();
        }
        conn.execute(
            "INSERT INTO matter (id, number, title, client_name, status, opened_on, revision, created_at, updated_at)
             VALUES ('m', 'OLD-1', 'Old matter', 'Old client', 'open', '2020-01-01', 1, 'x', 'x')",
            [],
        )
        .unwrap();
        run(&mut conn).unwrap();
        let row: (Option<String>, String, String) = conn
            .query_row(
                "SELECT supervising_attorney, data_classes, allowed_countries FROM matter WHERE id = 'm'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(row, (None, "[]".into(), "[]".into()));
        assert!(
            conn.execute(
                "UPDATE matter SET allowed_countries = '{}' WHERE id = 'm'",
                []
            )
            .is_err(),
            "only a JSON array is accepted"
        );
    }

    /// Files held as one value each (before migration 17) keep their exact bytes as
    /// one part each, and new files numbered after them do not collide.
    #[test]
    fn files_held_before_parts_read_back_whole() {
        let mut conn = Connection::open_in_memory().unwrap();
        // As a store opens: foreign keys on while it migrates.
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        for (v, sql) in &MIGRATIONS[..16] {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", v).unwrap();
        }
        let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        let files = [b"first".to_vec(), big, Vec::new()];
        // A file held and removed before: the others' rowids start at 2, so a
        // migration that renumbered rows would point them at the wrong parts.
        conn.execute(
            "INSERT INTO blob (sha256, size, data) VALUES (?1, 4, x'00000000')",
            [crate::sha256_hex(b"gone")],
        )
        .unwrap();
        for f in &files {
            conn.execute(
                "INSERT INTO blob (sha256, size, data) VALUES (?1, ?2, ?3)",
                rusqlite::params![crate::sha256_hex(f), f.len() as i64, f],
            )
            .unwrap();
        }
        conn.execute("DELETE FROM blob WHERE size = 4", []).unwrap();
        // A version pointing at the first file, as documents do.
        conn.execute_batch(
            "INSERT INTO matter (id, number, title, client_name, status, opened_on, revision, created_at, updated_at)
               VALUES ('m', 'OLD-1', 'Old matter', 'Old client', 'open', '2020-01-01', 1, 'x', 'x');
             INSERT INTO document (id, matter_id, title, revision, created_at, updated_at)
               VALUES ('d', 'm', 'Lease', 1, 'x', 'x');",
        )
        .unwrap();
        conn.execute(
            "INSERT INTO document_version (id, document_id, version, file_name, media_type, size, sha256, text_status, added_by, added_at)
             VALUES ('v', 'd', 1, 'lease.txt', 'text/plain', 5, ?1, 'text', 'x', 'x')",
            [crate::sha256_hex(b"first")],
        )
        .unwrap();
        run(&mut conn).unwrap();
        let broken: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(broken, 0);
        for f in &files {
            let got = crate::blobs::read_all(&conn, &crate::sha256_hex(f)).unwrap();
            assert!(
                got == *f,
                "a file of {} bytes read back differently",
                f.len()
            );
        }
        let next = crate::blobs::next_parts(&conn).unwrap();
        assert_eq!(next, 5, "above every set of parts held (rowids 2 to 4)");
        crate::blobs::put(&conn, &crate::sha256_hex(b"new"), b"new").unwrap();
        assert_eq!(
            crate::blobs::read_all(&conn, &crate::sha256_hex(b"new")).unwrap(),
            b"new"
        );
    }

    #[test]
    fn running_twice_is_a_no_op() {
        let mut conn = Connection::open_in_memory().unwrap();
        run(&mut conn).unwrap();
        run(&mut conn).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, LATEST_VERSION);
    }
}
