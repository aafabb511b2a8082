//! The conflict check: the matter's parties (names and aliases) against the names a
//! provider declares it works for or against (Model Rules 1.7, 1.9, 1.10; NYC Bar
//! Op. 2006-3), and a new matter's parties against the firm's other matters.
//!
//! Names are compared after normalising them — case, punctuation, diacritics, "&",
//! and company suffixes such as Inc., LLC, Ltd, GmbH, S.A. — then exactly, by
//! Jaro-Winkler similarity, and by one name's words all appearing in the other. A
//! match is a question for a person, never an answer: each is shown to be cleared,
//! with who cleared it and when.

use crate::ids::{MatterId, ProviderId};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use unicode_normalization::UnicodeNormalization;

/// Names at least this similar (Jaro-Winkler, on normalised names) are shown.
pub const SIMILARITY_THRESHOLD: f64 = 0.92;

/// Company forms dropped before names are compared ("Acme Inc." is "Acme").
const COMPANY_FORMS: &[&str] = &[
    "inc",
    "incorporated",
    "llc",
    "llp",
    "lp",
    "ltd",
    "limited",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "sas",
    "sarl",
    "srl",
    "spa",
    "bv",
    "nv",
    "ab",
    "as",
    "oy",
    "kk",
    "pte",
    "pvt",
    "private",
    "pty",
    "holdings",
    "group",
    "the",
];

/// How two names matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The same once normalised.
    Exact,
    /// Similar spelling (Jaro-Winkler).
    Similar,
    /// Every word of one is in the other ("Wexley" and "Wexley Capital Partners").
    Contained,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConflictMatch {
    /// The matter's party name or alias, as written.
    pub party: String,
    /// The name it matched, as written (the provider's declared conflict, or another
    /// matter's party).
    pub listed: String,
    pub kind: MatchKind,
    /// Jaro-Winkler similarity of the normalised names, 0 to 1.
    pub score: f64,
}

/// A recorded conflict check: the matter's parties against a provider's declared
/// conflicts (`provider_id`), or against the parties of the firm's other matters
/// (`provider_id` absent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConflictCheck {
    pub id: String,
    pub matter_id: MatterId,
    pub provider_id: Option<ProviderId>,
    pub checked_at: String,
    pub checked_by: String,
    pub matches: Vec<CheckedMatch>,
}

impl ConflictCheck {
    /// Matches nobody has cleared yet.
    pub fn open_matches(&self) -> u32 {
        self.matches
            .iter()
            .filter(|m| m.cleared_by.is_none())
            .count() as u32
    }
}

/// A match and, once a person looked at it, who cleared it, when and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CheckedMatch {
    #[serde(flatten)]
    pub found: ConflictMatch,
    pub cleared_by: Option<String>,
    pub cleared_at: Option<String>,
    pub note: Option<String>,
}

/// A name as it is compared: lower case, no diacritics or punctuation, "&" as "and",
/// and no company forms.
pub fn normalise(name: &str) -> String {
    let folded: String = name
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '&' => ' ',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    // "S.A." and "L.L.C." become single letters after the punctuation goes: join runs
    // of one-letter words back together so they are recognised as company forms.
    let mut words: Vec<String> = Vec::new();
    let mut letters = String::new();
    for w in folded.split_whitespace() {
        if w.chars().count() == 1 {
            letters.push_str(w);
        } else {
            if !letters.is_empty() {
                words.push(std::mem::take(&mut letters));
            }
            words.push(w.to_owned());
        }
    }
    if !letters.is_empty() {
        words.push(letters);
    }
    let words: Vec<String> = words
        .into_iter()
        .filter(|w| w != "and" && !COMPANY_FORMS.contains(&w.as_str()))
        .collect();
    words.join(" ")
}

/// How `a` and `b` match, if they do.
pub fn compare(a: &str, b: &str) -> Option<(MatchKind, f64)> {
    let (na, nb) = (normalise(a), normalise(b));
    if na.is_empty() || nb.is_empty() {
        return None;
    }
    let score = strsim::jaro_winkler(&na, &nb);
    if na == nb {
        return Some((MatchKind::Exact, 1.0));
    }
    if score >= SIMILARITY_THRESHOLD {
        return Some((MatchKind::Similar, score));
    }
    // One name's words all in the other's, if the shorter has a distinctive word.
    let (short, long) = if na.len() <= nb.len() {
        (&na, &nb)
    } else {
        (&nb, &na)
    };
    let long_words: Vec<&str> = long.split(' ').collect();
    let short_words: Vec<&str> = short.split(' ').collect();
    if short_words.iter().any(|w| w.chars().count() >= 4)
        && short_words.iter().all(|w| long_words.contains(w))
    {
        return Some((MatchKind::Contained, score));
    }
    None
}

/// Every match between the matter's `parties` (names and aliases) and `listed`,
/// best first.
pub fn find_matches(parties: &[String], listed: &[String]) -> Vec<ConflictMatch> {
    let mut out: Vec<ConflictMatch> = Vec::new();
    for p in parties {
        for l in listed {
            if let Some((kind, score)) = compare(p, l) {
                out.push(ConflictMatch {
                    party: p.clone(),
                    listed: l.clone(),
                    kind,
                    score,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.party.cmp(&b.party))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalising_drops_case_punctuation_diacritics_and_company_forms() {
        assert_eq!(normalise("Acme, Inc."), "acme");
        assert_eq!(normalise("ACME INC"), "acme");
        assert_eq!(normalise("Société Générale S.A."), "societe generale");
        assert_eq!(normalise("Müller & Söhne GmbH"), "muller sohne");
        assert_eq!(normalise("Wexley Holdings, L.L.C."), "wexley");
        assert_eq!(normalise("The Boeing Company"), "boeing");
    }

    /// The corpus: (matter party, listed name, whether a person should see it).
    const CORPUS: &[(&str, &str, bool)] = &[
        ("Acme Corp", "ACME Corporation", true),
        ("Acme Corp", "Acme, Inc.", true),
        ("Société Générale S.A.", "Societe Generale", true),
        ("Müller & Söhne GmbH", "Mueller und Soehne", false),
        ("Müller & Söhne GmbH", "Muller and Sohne", true),
        ("Wexley Holdings LLC", "Wexley Capital Partners", true),
        ("Wexley Holdings LLC", "Wesley Holdings", true),
        ("Johnson & Johnson", "Johnson and Johnson Inc", true),
        ("Jonathan Smith", "Jonathon Smith", true),
        ("Jonathan Smith", "John Smithers", false),
        ("Katherine O'Brien", "Katherine OBrien", true),
        ("Katherine O'Brien", "Catherine O'Brien", true),
        ("Globex International Ltd", "Globex Intl Limited", true),
        ("Initech Pvt Ltd", "Initech Private Limited", true),
        ("Initech Pvt Ltd", "Initrode", false),
        ("Umbrella Pharmaceuticals AG", "Umbrella Pharma", true),
        ("Stark Industries", "Wayne Enterprises", false),
        ("Stark Industries", "Stark Industries Holdings", true),
        ("Tyrell Corporation", "Tyrell Corp.", true),
        ("Cyberdyne Systems", "Cyberdyne", true),
        ("Cyberdyne Systems", "Skynet Systems", false),
        ("Hooli Inc", "Hooli XYZ", true),
        ("Pied Piper", "Pied Piper LLC", true),
        ("Pied Piper", "Pipe Pieper", false),
        ("Oceanic Airlines", "Oceanic Air Lines", true),
        ("Vandelay Industries", "Vandeley Industries", true),
        ("Vandelay Industries", "Industrial Vandals", false),
        ("Bluth Company", "Bluth Co", true),
        ("Bluth Company", "Blue Company", false),
        ("Dunder Mifflin Paper", "Dunder Mifflin", true),
        ("Dunder Mifflin Paper", "Mifflin Street Partners", false),
        ("Nakatomi Trading", "Nakatomi Trading Corp", true),
        ("Nakatomi Trading", "Takagi Trading", false),
        ("Sterling Cooper", "Sterling Cooper Draper Pryce", true),
        ("Sterling Cooper", "Sterling Bank", false),
        ("Gringotts Bank plc", "Gringotts", true),
        ("Gringotts Bank plc", "Goldman Bank", false),
        ("Maria García López", "Maria Garcia Lopez", true),
        ("Maria García López", "Mario Garza", false),
        ("Zhang Wei", "Zhang Wei Trading Co", true),
        ("Zhang Wei", "Wang Wei", false),
        ("Soylent Green Foods", "Soylent Foods", true),
        ("Massive Dynamic", "Massive Dynamics", true),
        ("Massive Dynamic", "Dynamic Solutions", false),
        ("Wonka Industries", "Wonka", true),
        ("Wonka Industries", "Willy's Chocolate", false),
        ("Prestige Worldwide", "Prestige Worldwide Wines", true),
        ("Prestige Worldwide", "Worldwide Express", false),
        ("Monsters Inc", "Monsters University", false),
        ("Aperture Science", "Aperture Laboratories", false),
    ];

    #[test]
    fn corpus_precision_and_recall() {
        let (mut tp, mut fp, mut fneg) = (0u32, 0u32, 0u32);
        for (party, listed, expected) in CORPUS {
            let found = compare(party, listed).is_some();
            match (found, expected) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fneg += 1,
                (false, false) => {}
            }
        }
        let precision = f64::from(tp) / f64::from(tp + fp);
        let recall = f64::from(tp) / f64::from(tp + fneg);
        println!(
            "conflict check on {} pairs: precision {precision:.3}, recall {recall:.3} ({tp} found, {fp} false alarms, {fneg} missed)",
            CORPUS.len()
        );
        assert!(recall >= 0.9, "recall {recall:.3}");
        assert!(precision >= 0.85, "precision {precision:.3}");
    }

    #[test]
    fn matches_are_listed_best_first() {
        let parties = vec!["Acme Corp".to_owned(), "Jane Doe".to_owned()];
        let listed = vec![
            "Acme Corporation".to_owned(),
            "Acne Corp".to_owned(),
            "Bolt".to_owned(),
        ];
        let m = find_matches(&parties, &listed);
        assert_eq!(m[0].kind, MatchKind::Exact);
        assert_eq!(m[0].listed, "Acme Corporation");
        assert!(m.iter().all(|x| x.party == "Acme Corp"));
    }

    proptest! {
        /// A name always matches itself written another way (case, punctuation, a
        /// company form), and comparing is symmetric.
        #[test]
        fn a_name_matches_itself_in_other_dress(name in "[A-Za-z]{4,12}( [A-Za-z]{2,10}){0,2}") {
            let dressed = format!("{}, Inc.", name.to_uppercase());
            prop_assert_eq!(compare(&name, &dressed).map(|m| m.0), Some(MatchKind::Exact));
            prop_assert_eq!(compare(&name, "Zzyzx Qwv").is_some(), compare("Zzyzx Qwv", &name).is_some());
        }
    }
}
