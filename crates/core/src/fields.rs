//! Field checks shared by parties, providers, consents and assignments: trimmed
//! text within limits, lists without blanks or repeats, real country and currency
//! codes, amounts in minor units. Each failure names its field and says what to do.

use crate::error::{Error, Result};

/// Longest title, name or client name; long enough for a full case caption's short
/// form.
pub const TEXT_MAX: usize = 200;
/// Longest practice area, court or jurisdiction.
pub const SHORT_TEXT_MAX: usize = 120;
/// Longest free-text note (provider notes, work-order instructions): several pages.
pub const LONG_TEXT_MAX: usize = 20_000;
/// Most entries in one list (aliases, services, countries, contacts, ...).
pub const LIST_MAX: usize = 100;
/// Largest amount in minor units (cents): 10 billion in the major unit, far above any
/// real budget, and well inside the integers a JavaScript number holds exactly.
pub const AMOUNT_MAX: i64 = 1_000_000_000_000;

/// Trims; refuses control characters and text longer than `max` characters.
pub(crate) fn clean(field: &str, raw: &str, max: usize) -> Result<String> {
    let v = raw.trim();
    if v.chars().any(char::is_control) {
        return Err(Error::invalid(
            field,
            "Remove line breaks and other control characters from this field.",
        ));
    }
    too_long(field, v, max)?;
    Ok(v.to_owned())
}

/// Like [`clean`], but keeps line breaks and tabs: for notes and instructions.
pub(crate) fn clean_long(field: &str, raw: &str, max: usize) -> Result<Option<String>> {
    let v = raw.trim();
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Error::invalid(
            field,
            "Remove control characters (other than line breaks and tabs) from this field.",
        ));
    }
    too_long(field, v, max)?;
    Ok((!v.is_empty()).then(|| v.to_owned()))
}

fn too_long(field: &str, v: &str, max: usize) -> Result<()> {
    let len = v.chars().count();
    if len > max {
        return Err(Error::invalid(
            field,
            format!("This field holds at most {max} characters; it has {len}. Shorten it."),
        ));
    }
    Ok(())
}

pub(crate) fn required(field: &str, what: &str, raw: &str, max: usize) -> Result<String> {
    let v = clean(field, raw, max)?;
    if v.is_empty() {
        return Err(Error::invalid(field, format!("Enter {what}.")));
    }
    Ok(v)
}

pub(crate) fn optional(field: &str, raw: Option<&str>, max: usize) -> Result<Option<String>> {
    match raw {
        None => Ok(None),
        Some(s) => {
            let v = clean(field, s, max)?;
            Ok((!v.is_empty()).then_some(v))
        }
    }
}

/// A list of short texts: each cleaned, blanks dropped, repeats (ignoring case)
/// refused, at most [`LIST_MAX`] entries.
pub(crate) fn text_list(field: &str, raw: &[String], max_each: usize) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for item in raw {
        let v = clean(field, item, max_each)?;
        if v.is_empty() {
            continue;
        }
        if out.iter().any(|o| o.to_lowercase() == v.to_lowercase()) {
            return Err(Error::invalid(
                field,
                format!("\"{v}\" is listed twice; list it once."),
            ));
        }
        out.push(v);
    }
    list_len(field, out.len())?;
    Ok(out)
}

pub(crate) fn list_len(field: &str, len: usize) -> Result<()> {
    if len > LIST_MAX {
        return Err(Error::invalid(
            field,
            format!("This list holds at most {LIST_MAX} entries; it has {len}. Remove some."),
        ));
    }
    Ok(())
}

/// One ISO 3166-1 alpha-2 code, upper-cased: `de` → `DE`. Names ("Germany") and
/// alpha-3 codes are refused so that what is stored is always comparable.
pub fn country(field: &str, raw: &str) -> Result<String> {
    let code = raw.trim().to_ascii_uppercase();
    let is_alpha2 = code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase());
    if !is_alpha2 || celes::Country::from_alpha2(&code).is_err() {
        return Err(Error::invalid(
            field,
            format!(
                "\"{}\" is not an ISO 3166-1 country code: use two letters, e.g. US, GB, DE, IN.",
                raw.trim()
            ),
        ));
    }
    Ok(code)
}

/// A list of country codes: valid, upper-cased, each once, sorted (so two lists
/// holding the same countries compare equal).
pub(crate) fn countries(field: &str, raw: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for c in raw.iter().filter(|c| !c.trim().is_empty()) {
        let code = country(field, c)?;
        if !out.contains(&code) {
            out.push(code);
        }
    }
    list_len(field, out.len())?;
    out.sort();
    Ok(out)
}

/// An ISO 4217 currency code that has a minor unit, upper-cased.
pub fn currency(field: &str, raw: &str) -> Result<String> {
    let code = raw.trim().to_ascii_uppercase();
    match iso_currency::Currency::from_code(&code) {
        Some(c) if c.exponent().is_some() => Ok(code),
        _ => Err(Error::invalid(
            field,
            format!(
                "\"{}\" is not an ISO 4217 currency code: use three letters, e.g. USD, EUR, GBP, INR.",
                raw.trim()
            ),
        )),
    }
}

/// An amount in minor units (cents), from zero to [`AMOUNT_MAX`].
pub(crate) fn amount(field: &str, cents: i64) -> Result<i64> {
    if !(0..=AMOUNT_MAX).contains(&cents) {
        return Err(Error::invalid(
            field,
            format!("Enter an amount in cents from 0 to {AMOUNT_MAX}; {cents} is out of range."),
        ));
    }
    Ok(cents)
}

/// For a patch field of type `Option<Option<T>>` with `#[serde(default)]`: absent
/// stays `None` (no change), `null` becomes `Some(None)` (clear it), a value
/// `Some(Some(v))` (set it). Plain serde reads `null` as absent.
pub(crate) fn present<'de, D, T>(d: D) -> std::result::Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// A patch's optional field applied: absent keeps `old`, `null` clears it, a value
/// replaces it.
pub(crate) fn patched<T: Clone>(new: &Option<Option<T>>, old: &Option<T>) -> Option<T> {
    match new {
        Some(v) => v.clone(),
        None => old.clone(),
    }
}

pub(crate) fn optional_date(field: &str, raw: Option<&str>) -> Result<Option<jiff::civil::Date>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => crate::dates::parse_date(field, s).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn countries_are_real_alpha2_codes() {
        assert_eq!(country("c", " de ").unwrap(), "DE");
        for bad in ["ZZ", "Germany", "DEU", "D", "", "U1", "ÄÖ"] {
            let e = country("c", bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("c"), "{bad}");
        }
        assert_eq!(
            countries("c", &["us".into(), "IN".into(), "US".into(), " ".into()]).unwrap(),
            ["IN", "US"]
        );
    }

    #[test]
    fn currencies_need_a_minor_unit() {
        assert_eq!(currency("x", "usd").unwrap(), "USD");
        assert_eq!(currency("x", "JPY").unwrap(), "JPY");
        for bad in ["XXX", "XAU", "DOLLARS", "US", "ABC"] {
            assert!(currency("x", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lists_drop_blanks_and_refuse_repeats() {
        assert_eq!(
            text_list("a", &[" A ".into(), "".into(), "b".into()], 10).unwrap(),
            ["A", "b"]
        );
        assert!(text_list("a", &["x".into(), "X".into()], 10).is_err());
        assert!(text_list("a", &["xy".into()], 1).is_err());
        let many: Vec<String> = (0..=LIST_MAX).map(|i| i.to_string()).collect();
        assert!(text_list("a", &many, 10).is_err());
    }

    proptest! {
        /// Whatever is typed, a country is refused with the field named or comes
        /// back as two upper-case letters that validate again unchanged.
        #[test]
        fn country_is_total_and_idempotent(raw in "\\PC{0,4}") {
            match country("c", &raw) {
                Err(e) => prop_assert_eq!(e.field.as_deref(), Some("c")),
                Ok(code) => {
                    prop_assert_eq!(code.len(), 2);
                    prop_assert_eq!(country("c", &code).unwrap(), code);
                }
            }
        }
    }
}
