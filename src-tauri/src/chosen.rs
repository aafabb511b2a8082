//! Places picked in a native dialog, each behind a one-time token.
//!
//! The window never names where plaintext is written. A `*_choose` command opens
//! the native dialog here in Rust, keeps what it returned under a fresh random
//! token, and gives the window only the token and the path to show. The write
//! command takes the token back: it is used up by that one write, it is good only
//! for the kind of write it was made for, and anything else — a path typed or
//! made up in the webview, a token already used, one of another kind — is refused.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use mandate_core::Error;

/// What a chosen place may be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WriteKind {
    /// An encrypted backup file.
    Backup,
    /// A folder of plaintext JSON or CSV files.
    Export,
    /// An iCalendar file of deadlines.
    Calendar,
}

/// A place the native dialog returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub path: PathBuf,
    pub kind: WriteKind,
    /// The file was there when the dialog returned it, so the dialog asked the
    /// person whether to replace it and they said yes (GTK's save dialog asks
    /// itself: rfd turns on `do_overwrite_confirmation`).
    pub replace_confirmed: bool,
}

impl Chosen {
    /// What the store may do with a file already at the path.
    pub fn existing(&self) -> mandate_store::Existing {
        if self.replace_confirmed {
            mandate_store::Existing::Replace
        } else {
            mandate_store::Existing::Refuse
        }
    }
}

/// The places chosen and not yet written to. At most one per kind is kept: a new
/// choice of the same kind replaces the one before, so nothing piles up.
#[derive(Debug, Default)]
pub struct ChosenPlaces {
    by_token: Mutex<HashMap<String, Chosen>>,
}

fn refused() -> Error {
    Error::invalid(
        "path",
        "Use Choose… to pick where it goes: each choice is good for one save, and only \
         what was picked there is accepted.",
    )
}

impl ChosenPlaces {
    /// Keeps `chosen` under a fresh random token and returns the token.
    pub fn grant(&self, chosen: Chosen) -> Result<String, Error> {
        let token = uuid::Uuid::new_v4().simple().to_string();
        let mut map = self.by_token.lock().map_err(|_| poisoned())?;
        map.retain(|_, c| c.kind != chosen.kind);
        map.insert(token.clone(), chosen);
        Ok(token)
    }

    /// Takes the place behind `token`, for a write of `kind`. The token is used up
    /// whatever the answer, so a refused one cannot be tried again.
    pub fn take(&self, token: &str, kind: WriteKind) -> Result<Chosen, Error> {
        let mut map = self.by_token.lock().map_err(|_| poisoned())?;
        match map.remove(token.trim()) {
            Some(c) if c.kind == kind => Ok(c),
            _ => Err(refused()),
        }
    }
}

fn poisoned() -> Error {
    Error::internal("Mandate is in an unknown state after an earlier failure. Restart it.")
}

#[cfg(test)]
mod tests {
    use super::{Chosen, ChosenPlaces, WriteKind};
    use std::path::PathBuf;

    fn chosen(kind: WriteKind, path: &str) -> Chosen {
        Chosen {
            path: PathBuf::from(path),
            kind,
            replace_confirmed: false,
        }
    }

    #[test]
    fn a_token_is_good_for_one_write() {
        let places = ChosenPlaces::default();
        let token = places
            .grant(chosen(WriteKind::Backup, "/x/firm.mandate-backup"))
            .unwrap();
        let got = places.take(&token, WriteKind::Backup).unwrap();
        assert_eq!(got.path, PathBuf::from("/x/firm.mandate-backup"));
        let again = places.take(&token, WriteKind::Backup).unwrap_err();
        assert_eq!(again.field.as_deref(), Some("path"));
    }

    #[test]
    fn a_token_of_another_kind_is_refused_and_used_up() {
        let places = ChosenPlaces::default();
        let token = places
            .grant(chosen(WriteKind::Calendar, "/x/d.ics"))
            .unwrap();
        assert!(places.take(&token, WriteKind::Export).is_err());
        assert!(places.take(&token, WriteKind::Backup).is_err());
        // Refused once, gone: the right kind cannot use it afterwards either.
        assert!(places.take(&token, WriteKind::Calendar).is_err());
    }

    #[test]
    fn unknown_tokens_and_paths_are_refused() {
        let places = ChosenPlaces::default();
        places.grant(chosen(WriteKind::Export, "/x/out")).unwrap();
        for made_up in ["", "/x/out", "/tmp/evil.mandate-backup", "0123456789abcdef"] {
            assert!(
                places.take(made_up, WriteKind::Export).is_err(),
                "{made_up}"
            );
        }
    }

    #[test]
    fn tokens_are_random_and_a_new_choice_replaces_the_last_of_its_kind() {
        let places = ChosenPlaces::default();
        let first = places
            .grant(chosen(WriteKind::Backup, "/x/a.mandate-backup"))
            .unwrap();
        let other = places
            .grant(chosen(WriteKind::Calendar, "/x/a.ics"))
            .unwrap();
        let second = places
            .grant(chosen(WriteKind::Backup, "/x/b.mandate-backup"))
            .unwrap();
        assert_ne!(first, second);
        assert_eq!(second.len(), 32, "a v4 UUID in hex: 122 random bits");
        assert!(places.take(&first, WriteKind::Backup).is_err());
        assert_eq!(
            places.take(&second, WriteKind::Backup).unwrap().path,
            PathBuf::from("/x/b.mandate-backup")
        );
        assert!(places.take(&other, WriteKind::Calendar).is_ok());
    }

    #[test]
    fn only_a_confirmed_choice_may_replace_a_file() {
        let mut c = chosen(WriteKind::Backup, "/x/a.mandate-backup");
        assert_eq!(c.existing(), mandate_store::Existing::Refuse);
        c.replace_confirmed = true;
        assert_eq!(c.existing(), mandate_store::Existing::Replace);
    }
}
