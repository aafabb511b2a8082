//! The classes of sensitive data a matter may hold and a consent may cover. Matters,
//! consents and the send guard all speak of them, so they live apart from each.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Classes of sensitive data a matter may hold; each brings its own conditions
/// before it may be sent (a BAA for health information, a transfer mechanism for
/// EU/UK personal data, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DataClass {
    EuUkPersonalData,
    HealthInformation,
    ExportControlled,
    ProtectiveOrder,
}

impl DataClass {
    pub const ALL: [Self; 4] = [
        Self::EuUkPersonalData,
        Self::HealthInformation,
        Self::ExportControlled,
        Self::ProtectiveOrder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::EuUkPersonalData => "eu_uk_personal_data",
            Self::HealthInformation => "health_information",
            Self::ExportControlled => "export_controlled",
            Self::ProtectiveOrder => "protective_order",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().replace('-', "_");
        Self::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| {
            Error::invalid(
                "data_classes",
                format!(
                    "Unknown data class \"{s}\": use eu_uk_personal_data, health_information, export_controlled or protective_order."
                ),
            )
        })
    }
}
