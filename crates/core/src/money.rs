//! Amounts of money: an integer count of the currency's minor unit, read and
//! written in the currency's own major units. A yen has no minor unit, a dinar of
//! Bahrain has three decimals: the number of decimals comes from ISO 4217 (the
//! `iso_currency` crate), never from an assumed 100.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Error, Result};

pub use crate::fields::AMOUNT_MAX;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Money {
    /// In the currency's minor unit (cents for USD, yen for JPY, fils for BHD).
    #[ts(type = "number")]
    pub minor: i64,
    /// ISO 4217, upper case.
    pub currency: String,
    /// How a person reads it: "USD 12,000.50", "JPY 150,000".
    pub text: String,
    /// The amount in major units without grouping ("12000.50", "150000"): what a
    /// form shows to edit, and what [`Money::parse`] reads back.
    pub amount: String,
}

/// Decimals of `currency`'s minor unit (ISO 4217): 2 for USD, 0 for JPY, 3 for BHD.
/// `None` for a code that is not a currency.
pub fn minor_units(currency: &str) -> Option<u32> {
    iso_currency::Currency::from_code(currency)
        .and_then(|c| c.exponent())
        .map(u32::from)
}

impl Money {
    /// `minor` units of `currency` (a valid ISO 4217 code).
    pub fn new(minor: i64, currency: &str) -> Result<Self> {
        let decimals = minor_units(currency)
            .ok_or_else(|| Error::internal(format!("{currency} is not an ISO 4217 currency")))?;
        let amount = major_text(minor, decimals);
        Ok(Self {
            minor,
            currency: currency.to_owned(),
            text: format!("{currency} {}", group(&amount)),
            amount,
        })
    }

    /// Reads an amount written in `currency`'s major units, as a person types it:
    /// "12000", "12,000.50", "150000" (JPY). More decimals than the currency has,
    /// a negative amount or one over [`AMOUNT_MAX`] is refused, naming `field`.
    pub fn parse(field: &str, written: &str, currency: &str) -> Result<Self> {
        let decimals = minor_units(currency).ok_or_else(|| {
            Error::invalid(field, format!("{currency} is not an ISO 4217 currency."))
        })?;
        let example = if decimals == 0 {
            "12000".to_owned()
        } else {
            format!("12,000.{}", "5".repeat(decimals as usize))
        };
        let bad = |why: &str| {
            Error::invalid(
                field,
                format!("{why} Write the amount in {currency}, e.g. {example}."),
            )
        };
        let text: String = written
            .trim()
            .chars()
            .filter(|c| *c != ',' && !c.is_whitespace())
            .collect();
        let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
        if whole.is_empty() && frac.is_empty() {
            return Err(bad("The amount is empty."));
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad(&format!("\"{}\" is not an amount.", written.trim())));
        }
        if frac.len() > decimals as usize {
            return Err(bad(&if decimals == 0 {
                format!("{currency} has no smaller unit, so the amount takes no decimals.")
            } else {
                format!("{currency} has {decimals} decimals.")
            }));
        }
        let scale = 10i64.pow(decimals);
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| bad("The amount is too large."))?
        };
        let frac: i64 = format!("{frac:0<width$}", width = decimals as usize)
            .parse()
            .unwrap_or(0);
        let minor = whole
            .checked_mul(scale)
            .and_then(|w| w.checked_add(frac))
            .filter(|m| *m <= AMOUNT_MAX)
            .ok_or_else(|| bad("The amount is too large."))?;
        Self::new(minor, currency)
    }
}

fn major_text(minor: i64, decimals: u32) -> String {
    if decimals == 0 {
        return minor.to_string();
    }
    let scale = 10i64.pow(decimals);
    format!(
        "{}.{:0width$}",
        minor / scale,
        minor % scale,
        width = decimals as usize
    )
}

/// "12000.50" → "12,000.50".
fn group(plain: &str) -> String {
    let (whole, frac) = plain
        .split_once('.')
        .map_or((plain, None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn each_currency_has_its_own_decimals() {
        assert_eq!(Money::parse("b", "150,000", "JPY").unwrap().minor, 150_000);
        assert_eq!(
            Money::parse("b", "150000", "JPY").unwrap().text,
            "JPY 150,000"
        );
        assert_eq!(
            Money::parse("b", "12,000.50", "USD").unwrap().minor,
            1_200_050
        );
        assert_eq!(
            Money::parse("b", "12000.5", "USD").unwrap().text,
            "USD 12,000.50"
        );
        assert_eq!(Money::parse("b", "1.234", "BHD").unwrap().minor, 1_234);
        assert_eq!(Money::new(1_234, "BHD").unwrap().text, "BHD 1.234");
        assert_eq!(Money::new(5, "USD").unwrap().text, "USD 0.05");
        let e = Money::parse("budget", "100.5", "JPY").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("budget"));
        assert!(e.message.contains("no smaller unit"), "{}", e.message);
        assert!(Money::parse("b", "1.001", "USD").is_err());
        assert!(Money::parse("b", "-5", "USD").is_err());
        assert!(Money::parse("b", "ten", "USD").is_err());
        assert!(Money::parse("b", "", "USD").is_err());
        assert!(Money::parse("b", "99999999999999999999", "USD").is_err());
    }

    proptest! {
        /// What is shown reads back as the same amount, in every currency.
        #[test]
        fn written_amounts_read_back(minor in 0..=AMOUNT_MAX, pick in 0usize..6) {
            let currency = ["USD", "JPY", "BHD", "EUR", "KRW", "CLF"][pick];
            let m = Money::new(minor, currency).unwrap();
            let shown = m.text.strip_prefix(&format!("{currency} ")).unwrap();
            prop_assert_eq!(Money::parse("b", shown, currency).unwrap().minor, minor);
            prop_assert_eq!(Money::parse("b", &m.amount, currency).unwrap().minor, minor);
        }
    }
}
