//! Parties (people and organisations, with the other names they go by) and the
//! roles they play in matters. Aliases matter: the conflict check compares a
//! provider's declared adverse names against every name a party is known by.
//!
//! Parties and their links are the firm's own records (owning side: firm) and
//! never leave the machine.

use crate::ids::{MatterId, PartyId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::fields::TEXT_MAX;
use crate::fields::{required, text_list};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Person,
    Organisation,
}

impl PartyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Person => "person",
            Self::Organisation => "organisation",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim() {
            "person" => Ok(Self::Person),
            "organisation" | "organization" => Ok(Self::Organisation),
            other => Err(Error::invalid(
                "kind",
                format!("Unknown party kind \"{other}\": use person or organisation."),
            )),
        }
    }
}

/// The part a party plays in one matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Client,
    Adverse,
    CoParty,
    Counsel,
    Witness,
}

impl PartyRole {
    pub const ALL: [Self; 5] = [
        Self::Client,
        Self::Adverse,
        Self::CoParty,
        Self::Counsel,
        Self::Witness,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Client => "client",
            Self::Adverse => "adverse",
            Self::CoParty => "co_party",
            Self::Counsel => "counsel",
            Self::Witness => "witness",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                Error::invalid(
                    "role",
                    format!(
                        "Unknown role \"{s}\": use client, adverse, co_party, counsel or witness."
                    ),
                )
            })
    }
}

/// A person or organisation, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Party {
    /// Stable id (UUID v7).
    pub id: PartyId,
    pub name: String,
    pub kind: PartyKind,
    /// Other names: former names, trading names, spellings in other scripts.
    pub aliases: Vec<String>,
    #[ts(type = "number")]
    pub revision: i64,
    /// RFC 3339 UTC timestamps.
    pub created_at: String,
    pub updated_at: String,
}

/// What a person fills in to record a party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartyDraft {
    pub name: String,
    pub kind: PartyKind,
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<String>>")]
    pub aliases: Vec<String>,
}

/// A change to a party: only the fields present change; `aliases` replaces the
/// whole list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartyPatch {
    #[serde(default)]
    #[ts(optional)]
    pub name: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<PartyKind>,
    #[serde(default)]
    #[ts(optional)]
    pub aliases: Option<Vec<String>>,
}

/// Which parties to list, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartyFilter {
    /// Free text matched against names and aliases (words may be partial).
    #[serde(default)]
    #[ts(optional)]
    pub query: Option<String>,
    #[serde(default)]
    #[ts(optional)]
    pub kind: Option<PartyKind>,
    #[serde(default)]
    #[ts(optional)]
    pub limit: Option<u32>,
    #[serde(default)]
    #[ts(optional)]
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PartyPage {
    pub items: Vec<Party>,
    #[ts(type = "number")]
    pub total: u64,
}

/// A party's role in a matter, with the party's name and kind for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatterParty {
    /// Stable id (UUID v7) of the link itself.
    pub id: String,
    pub matter_id: MatterId,
    pub party_id: PartyId,
    pub party_name: String,
    pub party_kind: PartyKind,
    pub role: PartyRole,
    #[ts(type = "number")]
    pub revision: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// Links a party to a matter in a role. The same party may hold several roles in
/// one matter (a witness who is also a co-party), but each role once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MatterPartyDraft {
    pub matter_id: MatterId,
    pub party_id: PartyId,
    pub role: PartyRole,
}

/// A party that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidParty {
    pub name: String,
    pub kind: PartyKind,
    pub aliases: Vec<String>,
}

impl PartyDraft {
    pub fn validate(&self) -> Result<ValidParty> {
        let name = required("name", "the party's name", &self.name, TEXT_MAX)?;
        let aliases = text_list("aliases", &self.aliases, TEXT_MAX)?;
        if let Some(a) = aliases
            .iter()
            .find(|a| a.to_lowercase() == name.to_lowercase())
        {
            return Err(Error::invalid(
                "aliases",
                format!("\"{a}\" is the party's name; an alias must be another name."),
            ));
        }
        Ok(ValidParty {
            name,
            kind: self.kind,
            aliases,
        })
    }
}

impl PartyPatch {
    /// Applies the patch to `party` and validates the result as a whole.
    pub fn apply(&self, party: &Party) -> Result<ValidParty> {
        PartyDraft {
            name: self.name.clone().unwrap_or_else(|| party.name.clone()),
            kind: self.kind.unwrap_or(party.kind),
            aliases: self
                .aliases
                .clone()
                .unwrap_or_else(|| party.aliases.clone()),
        }
        .validate()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draft(name: &str, aliases: &[&str]) -> PartyDraft {
        PartyDraft {
            name: name.into(),
            kind: PartyKind::Organisation,
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn trims_and_drops_blank_aliases() {
        let v = draft(" Acme Corp ", &[" Acme ", "", "ACME Holdings"])
            .validate()
            .unwrap();
        assert_eq!(v.name, "Acme Corp");
        assert_eq!(v.aliases, ["Acme", "ACME Holdings"]);
    }

    #[test]
    fn names_the_field_that_is_wrong() {
        for (d, field) in [
            (draft(" ", &[]), "name"),
            (draft(&"n".repeat(TEXT_MAX + 1), &[]), "name"),
            (draft("Acme", &["acme"]), "aliases"),
            (draft("Acme", &["X", "x"]), "aliases"),
            (draft("Acme", &["a\nb"]), "aliases"),
        ] {
            let e = d.validate().unwrap_err();
            assert_eq!(e.field.as_deref(), Some(field), "{e:?}");
        }
    }

    #[test]
    fn roles_and_kinds_parse_from_what_people_type() {
        assert_eq!(PartyRole::parse("co-party").unwrap(), PartyRole::CoParty);
        for r in PartyRole::ALL {
            assert_eq!(PartyRole::parse(r.as_str()).unwrap(), r);
        }
        assert_eq!(
            PartyKind::parse("organization").unwrap(),
            PartyKind::Organisation
        );
        assert_eq!(
            PartyRole::parse("judge").unwrap_err().field.as_deref(),
            Some("role")
        );
    }

    proptest! {
        #[test]
        fn validation_is_total_and_idempotent(name in "\\PC{0,30}", aliases in proptest::collection::vec("[ a-cA-C\\n]{0,4}", 0..5)) {
            let d = PartyDraft { name, kind: PartyKind::Person, aliases };
            match d.validate() {
                Err(e) => prop_assert!(e.field.is_some()),
                Ok(v) => {
                    let again = PartyDraft { name: v.name.clone(), kind: v.kind, aliases: v.aliases.clone() }.validate().unwrap();
                    prop_assert_eq!(again, v);
                }
            }
        }
    }
}
