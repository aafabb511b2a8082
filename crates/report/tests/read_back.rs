//! The report rendered, written to a file and read back with poppler: the words a
//! client would read, on every page, in the order printed.

mod common;

use common::{entry, pages_of, poppler, report, solid, squeezed, text_of, write_pdf};
use mandate_report::{Decision, ProviderSection, render_pdf};

const CONSENT_1: &str = "signed 2026-11-02, covers: personal data; countries DE, IN; AI use: no";
const CONSENT_2: &str = "signed 2026-10-15, covers: health data; countries US; AI use: yes, \
                         with human review of every output";
const OVERRIDE_REASON: &str = "the court ordered production by 2026-11-05 \u{2014} \
                               see docket entry 41 (“urgent”)";

fn two_providers() -> mandate_report::DisclosureReport {
    let muller = ProviderSection {
        name: "Müller GmbH".into(),
        countries: vec!["DE".into(), "IN".into()],
        // Out of date order on purpose: the report sorts them.
        entries: vec![
            entry(
                "2026-11-04 09:15",
                &["Medical records (José Ñúñez) v1"],
                Decision::Stopped {
                    reasons: vec!["No consent on file covers health data".into()],
                },
            ),
            entry(
                "2026-11-03 14:22",
                &["Engagement letter v2", "Brief"],
                Decision::Sent,
            ),
        ],
    };
    let societe = ProviderSection {
        name: "Société Générale Services SA".into(),
        countries: vec!["US".into(), "IN".into()],
        entries: vec![
            entry(
                "2026-11-05 08:00",
                &["Medical records (José Ñúñez) v1"],
                Decision::Overridden {
                    by: "Ann Lee".into(),
                    reason: OVERRIDE_REASON.into(),
                    guard_reasons: vec![
                        "The provider's data-processing agreement expired on \
                                         2026-10-31"
                            .into(),
                    ],
                },
            ),
            entry(
                "2026-11-06 16:40",
                &["Deposition transcript, day 2 (€ 1,200 invoice attached)"],
                Decision::SentWithConditions {
                    conditions: vec!["Redact account numbers before review".into()],
                },
            ),
        ],
    };
    report(
        vec![muller, societe],
        vec![CONSENT_1.into(), CONSENT_2.into()],
    )
}

#[test]
fn two_providers_read_back_with_every_name_item_consent_and_the_override() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(dir.path(), "report.pdf", &render_pdf(&two_providers()));
    let text = text_of(&pdf);
    let pages = pages_of(&text);
    let line = squeezed(&text);
    let flat = solid(&text);

    for expected in [
        "Disclosure report",
        "Øster & Brønd LLP",
        "2026-0142 — Ñúñez v. Société Générale",
        "José Ñúñez",
        "Prepared on 2026-11-20 by Ann Lee",
        "4 items sent to 2 providers; 1 send stopped; 1 send made by attorney override.",
        "Müller GmbH",
        "processes data in: DE, IN",
        "Société Générale Services SA",
        "processes data in: US, IN",
        "Engagement letter v2",
        "Brief",
        "Medical records (José Ñúñez) v1",
        "Deposition transcript, day 2 (€ 1,200 invoice attached)",
        "Sent with conditions",
        "Redact account numbers before review",
        "Stopped by the send guard",
        "No consent on file covers health data",
        "Attempted by",
        "Approved by",
        "48213 99012 33871 10294 55510 77123",
        "Consents on file",
    ] {
        assert!(line.contains(expected), "{expected:?} is not in:\n{text}");
    }
    for wrapped in [
        CONSENT_1,
        CONSENT_2,
        &format!("Sent by override of Ann Lee: {OVERRIDE_REASON}"),
        "The send guard had stopped it:",
        "The provider's data-processing agreement expired on 2026-10-31",
        "encrypted to the keys listed with each send",
    ] {
        assert!(
            flat.contains(&solid(wrapped)),
            "{wrapped:?} is not in:\n{text}"
        );
    }

    // Within a provider, sends in date order whatever order they were given in.
    let sent = line.find("Engagement letter v2").unwrap();
    let stopped = line.find("Stopped by the send guard").unwrap();
    assert!(
        sent < stopped,
        "the 3 November send must come before the 4 November one"
    );
    // Providers in the order given.
    assert!(line.find("Müller GmbH").unwrap() < line.find("Société Générale Services").unwrap());

    assert!(!pages.is_empty());
    for (i, page) in pages.iter().enumerate() {
        let footer = format!(
            "2026-0142 — Disclosure report — Page {} of {}",
            i + 1,
            pages.len()
        );
        assert!(
            squeezed(page).contains(&footer),
            "page {} has no {footer:?}",
            i + 1
        );
    }
}

#[test]
fn the_first_page_renders_to_a_picture_with_ink_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(dir.path(), "report.pdf", &render_pdf(&two_providers()));
    let prefix = dir.path().join("page");
    poppler(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    // pdftoppm pads the page number to the page count's width (page-1.png, page-01.png).
    let png = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "png"))
        .expect("pdftoppm wrote no PNG");
    let size = std::fs::metadata(&png).unwrap().len();
    assert!(size > 2048, "the page picture is only {size} bytes");

    let mut decoder =
        png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    // US Letter at 50 dpi: 8.5 × 11 in.
    assert_eq!((frame.width, frame.height), (425, 550));
    let channels = frame.color_type.samples();
    let pixels = &pixels[..frame.buffer_size()];
    let (mut dark, mut light) = (0, 0);
    for px in pixels.chunks(channels) {
        let grey = px.iter().take(3).map(|&v| u32::from(v)).sum::<u32>() / px.len().min(3) as u32;
        if grey < 100 {
            dark += 1;
        } else if grey > 200 {
            light += 1;
        }
    }
    let total = pixels.len() / channels;
    assert!(dark > 1000, "only {dark} dark pixels: the page looks blank");
    assert!(
        light > total / 2,
        "only {light} of {total} pixels are light: not black text on white"
    );
}

#[test]
fn three_hundred_sends_fill_several_pages_each_footed_and_none_lost() {
    let providers = (0..3)
        .map(|p| ProviderSection {
            name: format!("Provider {p} Ltd"),
            countries: vec!["US".into()],
            entries: (0..100)
                .map(|i| {
                    let n = p * 100 + i;
                    let decision = match n % 7 {
                        0 => Decision::Stopped {
                            reasons: vec!["No consent covers IN".into()],
                        },
                        _ => Decision::Sent,
                    };
                    entry(
                        &format!("2026-11-{:02} {:02}:{:02}", i % 28 + 1, i / 28, i % 60),
                        &[&format!("Document {n:04}.pdf")],
                        decision,
                    )
                })
                .collect(),
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(
        dir.path(),
        "big.pdf",
        &render_pdf(&report(providers, vec![])),
    );
    let text = text_of(&pdf);
    let pages = pages_of(&text);
    assert!(pages.len() >= 10, "300 sends on only {} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        let footer = format!(
            "2026-0142 — Disclosure report — Page {} of {}",
            i + 1,
            pages.len()
        );
        assert!(
            squeezed(page).contains(&footer),
            "page {} has no {footer:?}:\n{page}",
            i + 1
        );
    }
    let line = squeezed(&text);
    for n in 0..300 {
        let label = format!("Document {n:04}.pdf");
        assert_eq!(
            line.matches(&label).count(),
            1,
            "{label} is lost or doubled"
        );
    }
    for p in 1..3 {
        assert!(line.contains(&format!("Provider {p} Ltd (continued)")));
    }
}

#[test]
fn a_300_character_label_wraps_and_reads_back_whole() {
    let no_spaces: String = (0..300)
        .map(|i| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[i * 7 % 36]))
        .collect();
    let with_spaces: String = (0..60)
        .map(|i| format!("word{i:02}"))
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(no_spaces.len(), 300);
    assert!(with_spaces.len() > 300);
    let muller = ProviderSection {
        name: "Müller GmbH".into(),
        countries: vec![],
        entries: vec![entry(
            "2026-11-03 14:22",
            &[&no_spaces, &with_spaces],
            Decision::Sent,
        )],
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(
        dir.path(),
        "long.pdf",
        &render_pdf(&report(vec![muller], vec![])),
    );
    let text = text_of(&pdf);
    let flat = solid(&text);
    assert!(
        flat.contains(&no_spaces),
        "the label without spaces is cut:\n{text}"
    );
    assert!(
        flat.contains(&solid(&with_spaces)),
        "the label with spaces is cut:\n{text}"
    );
    // It did wrap: no line of the page holds the whole label.
    assert!(!text.lines().any(|l| l.contains(&no_spaces)));
}

#[test]
fn an_empty_ledger_renders_and_says_nothing_was_sent() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(
        dir.path(),
        "empty.pdf",
        &render_pdf(&report(vec![], vec![])),
    );
    let text = text_of(&pdf);
    let line = squeezed(&text);
    assert!(
        line.contains("Nothing of this matter has been sent to a provider."),
        "{text}"
    );
    assert!(line.contains("No consent on file."), "{text}");
    assert!(line.contains("José Ñúñez"), "{text}");
    assert_eq!(pages_of(&text).len(), 1);
    assert!(
        line.contains("2026-0142 — Disclosure report — Page 1 of 1"),
        "{text}"
    );
}

#[test]
fn characters_the_standard_fonts_lack_print_as_question_marks() {
    let mut r = report(vec![], vec!["Согласие клиента 同意 ✓".into()]);
    r.client = "Ωmega Holdings".into();
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_pdf(dir.path(), "other.pdf", &render_pdf(&r));
    let line = squeezed(&text_of(&pdf));
    assert!(line.contains("?mega Holdings"), "{line}");
    assert!(line.contains("???????? ??????? ?? ?"), "{line}");
}

#[test]
fn the_same_report_gives_the_same_bytes() {
    assert_eq!(render_pdf(&two_providers()), render_pdf(&two_providers()));
}
