//! Whatever the ledger holds — any Unicode, control characters, empty strings —
//! rendering never panics and gives a whole PDF that poppler reads without complaint.

mod common;

use common::{poppler, write_pdf};
use mandate_report::{Decision, DisclosureReport, Entry, ProviderSection, render_pdf};
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..40).prop_map(String::from_iter)
}

fn texts() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(text(), 0..3)
}

fn decision() -> impl Strategy<Value = Decision> {
    prop_oneof![
        Just(Decision::Sent),
        texts().prop_map(|conditions| Decision::SentWithConditions { conditions }),
        texts().prop_map(|reasons| Decision::Stopped { reasons }),
        (text(), text(), texts()).prop_map(|(by, reason, guard_reasons)| {
            Decision::Overridden {
                by,
                reason,
                guard_reasons,
            }
        }),
    ]
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        text(),
        texts(),
        decision(),
        prop::option::of(text()),
        text(),
        texts(),
    )
        .prop_map(
            |(at, items, decision, consent, approved_by, recipients)| Entry {
                at,
                items,
                decision,
                consent,
                approved_by,
                recipients,
            },
        )
}

fn provider() -> impl Strategy<Value = ProviderSection> {
    (text(), texts(), prop::collection::vec(entry(), 0..4)).prop_map(
        |(name, countries, entries)| ProviderSection {
            name,
            countries,
            entries,
        },
    )
}

fn report() -> impl Strategy<Value = DisclosureReport> {
    (
        (text(), text(), text(), text()),
        (text(), text()),
        prop::collection::vec(provider(), 0..3),
        texts(),
    )
        .prop_map(
            |(
                (firm, matter_number, matter_title, client),
                (prepared_on, prepared_by),
                providers,
                consents,
            )| {
                DisclosureReport {
                    firm,
                    matter_number,
                    matter_title,
                    client,
                    prepared_on,
                    prepared_by,
                    providers,
                    consents,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn any_text_in_any_field_renders_a_whole_pdf(report in report()) {
        let pdf = render_pdf(&report);
        prop_assert!(pdf.starts_with(b"%PDF-"));
        prop_assert!(pdf.ends_with(b"%%EOF"));
        let dir = tempfile::tempdir().unwrap();
        let path = write_pdf(dir.path(), "any.pdf", &pdf);
        // Fails on any complaint poppler prints about the file's structure.
        let text = poppler("pdftotext", &[path.to_str().unwrap(), "-"]);
        prop_assert!(String::from_utf8_lossy(&text).contains("Disclosure report"));
    }
}
