//! The people of the firm and who is at this desk: every audit record, approval,
//! override and ledger row names the person, not only the device. Only an attorney
//! may override the send guard (Model Rules 5.1 and 5.3: the lawyer answers for the
//! work that goes out).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::fields::TEXT_MAX;
use crate::fields::{optional, required};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    Attorney,
    Paralegal,
    Staff,
}

impl PersonRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Attorney => "attorney",
            Self::Paralegal => "paralegal",
            Self::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        match s.trim().to_lowercase().as_str() {
            "attorney" | "lawyer" => Ok(Self::Attorney),
            "paralegal" => Ok(Self::Paralegal),
            "staff" => Ok(Self::Staff),
            other => Err(Error::invalid(
                "role",
                format!("{other:?} is not a role here: use attorney, paralegal or staff."),
            )),
        }
    }
}

/// A member of the firm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub role: PersonRole,
    /// For an attorney: where and under which number they are admitted.
    pub bar_admission: Option<String>,
    pub created_at: String,
}

impl Person {
    /// How audit records and the ledger name them: "Jane Smith (attorney)".
    pub fn signature(&self) -> String {
        format!("{} ({})", self.name, self.role.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PersonDraft {
    pub name: String,
    pub role: PersonRole,
    #[serde(default)]
    #[ts(optional)]
    pub bar_admission: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPerson {
    pub name: String,
    pub role: PersonRole,
    pub bar_admission: Option<String>,
}

impl PersonDraft {
    /// An attorney needs a bar admission; nobody else has one.
    pub fn validate(&self) -> Result<ValidPerson> {
        let name = required("name", "the person's name", &self.name, TEXT_MAX)?;
        let bar = optional("bar_admission", self.bar_admission.as_deref(), TEXT_MAX)?;
        match (self.role, &bar) {
            (PersonRole::Attorney, None) => Err(Error::invalid(
                "bar_admission",
                "Enter the attorney's bar admission (state and number, e.g. \"NY 4512290\").",
            )),
            (PersonRole::Paralegal | PersonRole::Staff, Some(_)) => Err(Error::invalid(
                "bar_admission",
                "Only an attorney has a bar admission here; choose the role attorney, or leave it empty.",
            )),
            _ => Ok(ValidPerson {
                name,
                role: self.role,
                bar_admission: bar,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(role: PersonRole, bar: Option<&str>) -> PersonDraft {
        PersonDraft {
            name: " Jane Smith ".into(),
            role,
            bar_admission: bar.map(str::to_owned),
        }
    }

    #[test]
    fn an_attorney_needs_a_bar_admission_and_nobody_else_has_one() {
        let e = draft(PersonRole::Attorney, None).validate().unwrap_err();
        assert_eq!(e.field.as_deref(), Some("bar_admission"));
        let v = draft(PersonRole::Attorney, Some("NY 4512290"))
            .validate()
            .unwrap();
        assert_eq!(
            (v.name.as_str(), v.role),
            ("Jane Smith", PersonRole::Attorney)
        );
        let e = draft(PersonRole::Paralegal, Some("NY 1"))
            .validate()
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("bar_admission"));
        assert!(draft(PersonRole::Staff, None).validate().is_ok());
    }

    #[test]
    fn roles_read_as_typed() {
        assert_eq!(
            PersonRole::parse(" Attorney").unwrap(),
            PersonRole::Attorney
        );
        assert_eq!(
            PersonRole::parse("paralegal").unwrap(),
            PersonRole::Paralegal
        );
        assert!(PersonRole::parse("partner").is_err());
    }
}
