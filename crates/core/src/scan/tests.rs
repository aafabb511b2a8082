//! Each kind is found where it is, with its context; invalid numbers are not; the
//! numbers legal text is full of (case, docket, Bates, ZIP, money, dates) raise no
//! alarm; redaction replaces exactly the hits and leaves nothing to find again.

use proptest::prelude::*;

use super::*;

/// The one hit in `text`.
fn only(text: &str) -> Hit {
    let hits = scan(text);
    assert_eq!(hits.len(), 1, "{text}: {hits:?}");
    hits.into_iter().next().unwrap()
}

fn kinds(text: &str) -> Vec<HitKind> {
    scan(text).iter().map(|h| h.kind).collect()
}

#[test]
fn each_kind_is_found_where_it_is() {
    // (sentence, kind, start, end, text): short sentences, so the context is all of it.
    let cases: &[(&str, HitKind, usize, usize, &str)] = &[
        (
            "The client's SSN is 123-45-6789, per the intake form.",
            HitKind::Ssn,
            20,
            31,
            "123-45-6789",
        ),
        (
            "Social Security No.: 078051120 (copy of the card is in the file).",
            HitKind::Ssn,
            21,
            30,
            "078051120",
        ),
        (
            "Payment was made with Visa 4111 1111 1111 1111, expiring 09/27.",
            HitKind::PaymentCard,
            27,
            46,
            "4111 1111 1111 1111",
        ),
        (
            "Wire the deposit to ABA 021000021 at JPMorgan Chase.",
            HitKind::RoutingNumber,
            24,
            33,
            "021000021",
        ),
        (
            "Escrow account no. 000123456789 holds the purchase deposit.",
            HitKind::AccountNumber,
            19,
            31,
            "000123456789",
        ),
        (
            "The claimant's DOB is 03/14/1961 according to the medical records.",
            HitKind::DateOfBirth,
            22,
            32,
            "03/14/1961",
        ),
        (
            "Decedent was born on March 3, 1931 in Cleveland, Ohio.",
            HitKind::DateOfBirth,
            21,
            34,
            "March 3, 1931",
        ),
        (
            "Send the signed engagement letter to jane.doe@wexley-law.com by Friday.",
            HitKind::Email,
            37,
            60,
            "jane.doe@wexley-law.com",
        ),
        (
            "Call opposing counsel at (212) 555-0142 before noon.",
            HitKind::Phone,
            25,
            39,
            "(212) 555-0142",
        ),
        (
            "Reach the London solicitor on +44 20 7946 0958 during UK hours.",
            HitKind::Phone,
            30,
            46,
            "+44 20 7946 0958",
        ),
    ];
    for &(text, kind, start, end, found) in cases {
        let h = only(text);
        assert_eq!(
            (h.kind, h.start, h.end, h.text.as_str()),
            (kind, start, end, found),
            "{text}"
        );
        assert_eq!(&text[h.start..h.end], found);
        assert_eq!(h.context, text, "short sentences are their own context");
    }
}

#[test]
fn an_account_number_follows_its_routing_number() {
    let text = "Wire to routing 021000021, account 1234567890, Chase.";
    let hits = scan(text);
    let got: Vec<(HitKind, usize, usize)> = hits.iter().map(|h| (h.kind, h.start, h.end)).collect();
    assert_eq!(
        got,
        [
            (HitKind::RoutingNumber, 16, 25),
            (HitKind::AccountNumber, 35, 45)
        ]
    );
}

#[test]
fn context_is_forty_characters_either_side_on_one_line() {
    let text = "Intake notes, page two, second paragraph:\nthe client’s SSN is 123-45-6789 and she asked that it not be shared with anyone outside the firm.";
    let h = only(text);
    assert_eq!(
        (h.start, h.end),
        (64, 75),
        "byte offsets (’ is three bytes)"
    );
    assert_eq!(
        h.context,
        ", second paragraph: the client’s SSN is 123-45-6789 and she asked that it not be shared wit"
    );
    assert_eq!(h.context.chars().count(), 40 + 11 + 40);
}

#[test]
fn invalid_ssns_are_not_found() {
    for n in [
        "000-12-3456",
        "666-12-3456",
        "900-12-3456",
        "987-65-4321",
        "123-00-4567",
        "123-45-0000",
        "000 12 3456",
    ] {
        let text = format!("The client's SSN is {n} per the form.");
        assert_eq!(kinds(&text), [], "{text}");
    }
    assert_eq!(kinds("SSN: 666123456"), []);
    assert_eq!(kinds("SSN: 123450000"), []);
    // And the valid neighbours are.
    assert_eq!(kinds("SSN: 665-12-3456"), [HitKind::Ssn]);
    assert_eq!(kinds("SSN: 899 12 3456"), [HitKind::Ssn]);
}

#[test]
fn a_bare_nine_digit_number_needs_its_keyword() {
    assert_eq!(kinds("Receipt 078051120 from the clerk."), []);
    assert_eq!(kinds("SSN 078051120."), [HitKind::Ssn]);
    assert_eq!(kinds("SS# 078051120."), [HitKind::Ssn]);
    // Too far from the keyword, or after another number.
    assert_eq!(
        kinds("SSN was not provided by the witness at all; 078051120."),
        []
    );
    assert_eq!(kinds("SSN (last 4: 6789) 078051120"), []);
}

#[test]
fn a_card_failing_luhn_is_not_found() {
    assert_eq!(kinds("Charged to Visa 4111 1111 1111 1112."), []);
    assert_eq!(kinds("Charged to Visa 4111111111111112."), []);
    assert_eq!(
        kinds("Charged to Visa 4111111111111111."),
        [HitKind::PaymentCard]
    );
    // Luhn-valid but no known issuer.
    assert_eq!(kinds("Reference 1111 1111 1111 1117."), []);
    // Amex, grouped 4-6-5; Mastercard 2-series.
    assert_eq!(kinds("Amex 3782-822463-10005."), [HitKind::PaymentCard]);
    assert_eq!(kinds("MC 2223 0000 4841 0010"), [HitKind::PaymentCard]);
}

#[test]
fn a_routing_number_with_a_bad_checksum_is_not_found() {
    assert_eq!(kinds("ABA routing number 021000022."), []);
    assert_eq!(
        kinds("ABA routing number 021000021."),
        [HitKind::RoutingNumber]
    );
    // A valid checksum with a prefix the Federal Reserve does not use.
    assert_eq!(kinds("ABA routing number 150000005."), []);
    // A valid one with no routing word near it is just a number.
    assert_eq!(kinds("Reference 021000021 on the receipt."), []);
    // The keyword may come after.
    assert_eq!(
        kinds("021000021 (ABA) for incoming wires"),
        [HitKind::RoutingNumber]
    );
}

#[test]
fn a_copy_of_a_found_number_is_found_wherever_it_is() {
    let text = "SSN 123-45-6789; the scan is saved as intake_123-45-6789.pdf";
    let hits = scan(text);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(
        hits.iter()
            .all(|h| h.text == "123-45-6789" && h.kind == HitKind::Ssn)
    );
    assert_eq!(hits[1].start, text.rfind("123").unwrap());
}

#[test]
fn redaction_replaces_exactly_the_hits() {
    let text = "Client: Jane Roe, SSN 123-45-6789, DOB: 3/14/61.\nPay by card 4111-1111-1111-1111 or wire to ABA 021000021, acct 9876543210.\nQuestions: jane.roe@example.com or (646) 555-0199. — Matter 2026-0142, ECF No. 45.";
    let hits = scan(text);
    let found: Vec<(HitKind, &str)> = hits.iter().map(|h| (h.kind, h.text.as_str())).collect();
    assert_eq!(
        found,
        [
            (HitKind::Ssn, "123-45-6789"),
            (HitKind::DateOfBirth, "3/14/61"),
            (HitKind::PaymentCard, "4111-1111-1111-1111"),
            (HitKind::RoutingNumber, "021000021"),
            (HitKind::AccountNumber, "9876543210"),
            (HitKind::Email, "jane.roe@example.com"),
            (HitKind::Phone, "(646) 555-0199"),
        ]
    );
    let out = redact(text, &hits);
    assert_eq!(
        out,
        "Client: Jane Roe, SSN [REDACTED SSN], DOB: [REDACTED date of birth].\nPay by card [REDACTED card number] or wire to ABA [REDACTED routing number], acct [REDACTED account number].\nQuestions: [REDACTED e-mail address] or [REDACTED phone number]. — Matter 2026-0142, ECF No. 45."
    );
    // Everything between the hits is byte-identical.
    let mut at = 0;
    let mut pos = 0;
    for h in &hits {
        let between = &text[at..h.start];
        assert_eq!(&out[pos..pos + between.len()], between);
        pos += between.len() + h.kind.mark().len();
        at = h.end;
    }
    assert_eq!(&out[pos..], &text[at..]);

    // Keeping a hit (leaving it out) leaves it as it was.
    let kept: Vec<Hit> = hits
        .iter()
        .filter(|h| h.kind != HitKind::Phone)
        .cloned()
        .collect();
    assert!(redact(text, &kept).contains("(646) 555-0199"));
    assert_eq!(redact(text, &[]), text);
}

#[test]
fn a_stale_hit_still_redacts_its_text() {
    let hits = scan("SSN 123-45-6789");
    let edited = "Note: the SSN is 123-45-6789, twice: 123-45-6789.";
    assert_eq!(
        redact(edited, &hits),
        "Note: the SSN is [REDACTED SSN], twice: [REDACTED SSN]."
    );
}

#[test]
fn redaction_marks_neither_free_nor_name_a_number() {
    // Each of these once let a second scan of the redacted text find a number: a
    // mark must read as the number it replaced (glued to what follows), and a mark
    // between a keyword and a number must not bring them closer.
    for text in [
        "212.555.0142(212) 555-0142",
        "212-555-0142 and 212-555-0142:123-45-6789",
        "routing averyveryverylongname.person@example-firm.com 021000021",
        "SSN 123-45-6789 and 078051120",
        "ABA 021000021, 011000138",
    ] {
        let hits = scan(text);
        let out = redact(text, &hits);
        let again: Vec<Hit> = scan(&out)
            .into_iter()
            .filter(|h| h.kind != HitKind::Email)
            .collect();
        assert!(again.is_empty(), "{text:?} -> {out:?}: {again:?}");
    }
}

#[test]
fn kinds_have_labels_and_snake_case_names() {
    assert_eq!(HitKind::Ssn.label(), "SSN");
    assert_eq!(HitKind::PaymentCard.label(), "card number");
    assert_eq!(HitKind::Email.label(), "e-mail address");
    assert_eq!(
        serde_json::to_string(&HitKind::DateOfBirth).unwrap(),
        "\"date_of_birth\""
    );
    assert_eq!(
        serde_json::from_str::<HitKind>("\"payment_card\"").unwrap(),
        HitKind::PaymentCard
    );
}

/// Sentences of the kind a brief, a message or a filing holds, with no sensitive
/// number in them.
const CLEAN: &[&str] = &[
    "Plaintiff filed the complaint on March 3, 2026, in the Southern District of New York.",
    "See Smith v. Jones, No. 1:24-cv-01234 (S.D.N.Y. filed Jan. 5, 2024).",
    "The Ninth Circuit docketed the appeal as No. 23-1234 on 2026-03-02.",
    "United States v. Alvarez, Case No. 2:19-cr-00045-JAM, ECF No. 45 at 3.",
    "Defendants' motion to dismiss (Dkt. 112) is set for hearing on 03/02/2026 at 10:00 a.m.",
    "Documents produced at ABC0001234 through ABC0001299 are designated Confidential.",
    "The e-mail chain at SMITH-000123 to SMITH-000140 was withheld as privileged.",
    "Exhibit 14 (DEF 0004567) shows the lease amendment signed by both parties.",
    "Service was made at 350 Fifth Avenue, New York, NY 10001.",
    "Mail the original to 1600 Pennsylvania Avenue NW, Washington, DC 20500-0003.",
    "The jury awarded $1,234,567.89 in compensatory damages and $250,000 in punitive damages.",
    "Please open matter 2026-0142 for the Wexley lease dispute.",
    "Jurisdiction is proper under 28 U.S.C. § 1332 because the amount in controversy exceeds $75,000.",
    "Invoice INV-2026-00317 for $4,850.00 is due within 30 days.",
    "Invoice 482913576 was paid in full on receipt.",
    "Reference number 021000021 appears on the clerk's receipt.",
    "The settlement of $2.5 million was paid by wire on March 3, 2026.",
    "Under Fed. R. Civ. P. 26(b)(1), discovery must be proportional to the needs of the case.",
    "The lease term runs from 01/01/2025 through 12/31/2029, with two five-year renewal options.",
    "Claim No. 5501-2026-0088 was denied by the insurer on 2026-02-14.",
    "Patent No. 10,123,456 issued on June 2, 2020.",
    "The court awarded 9% prejudgment interest from 2019 to 2026.",
    "Section 1983 claims are subject to a three-year limitations period in New York.",
    "Deposition of the corporate designee is noticed for April 14, 2026 at 9:30 a.m. in Room 1205.",
    "The building at 230 Park Avenue, Suite 1100, was leased for 15 years.",
    "Order dated 3 March 2026 grants the motion in part (ECF No. 212).",
    "Pursuant to 15 U.S.C. §§ 78j(b) and 78t(a), plaintiffs allege securities fraud.",
    "The transaction closed on 2025-11-30 for a purchase price of $12,500,000.",
    "Bates range PROD-0012345 through PROD-0012399 contains the board minutes.",
    "Tax year 2024 returns were filed on April 15, 2025; see Form 1040, line 11.",
    "The accounts receivable balance was $48,250.17 as of December 31, 2025.",
    "Plaintiff's counsel billed 142.5 hours at $650 per hour.",
    "The arbitration (AAA Case No. 01-23-0004-5678) is stayed pending mediation.",
    "The routing of the pipeline was approved by FERC Order No. 872 in 2020.",
    "Defendant was born in 1961 and has lived in Ohio since 1990.",
    "Her first-born child attended the school from 2010 to 2022.",
    "The aircraft, tail number N12345, was inspected on 5/14/2025.",
    "Page 212 of the transcript, lines 5 through 14, reflects the objection.",
    "Case 24-10023-abc   Doc 17   Filed 08/15/24   Entered 08/15/24 14:32:07   Page 3 of 17",
    "Cal. Civ. Proc. Code § 425.16 permits a special motion to strike.",
    "ZIP code 94105-1234 is within the Northern District of California.",
    "The escrow agent's file number is 2026-ESC-00417.",
    "Rule 12(b)(6) requires the court to accept the complaint's well-pleaded facts as true.",
    "Plaintiff seeks $1.2 billion, or 0.015% of defendant's 2025 revenue.",
    "Judgment entered 2/3/2026; notice of appeal due 3/5/2026 under FRAP 4(a)(1)(A).",
    "Account statements for 2024 and 2025 were produced at WEX-004410.",
    "Wire instructions will follow separately from the escrow agent; do not rely on e-mail.",
    "The Delaware Court of Chancery, C.A. No. 2023-0456-KSJM, denied the motion.",
    "The trademark Reg. No. 4,567,890 covers class 25 goods.",
    "Interest accrues at 5.25% per annum from June 1, 2025.",
    "The costs shall be borne by the lessee from 1 July 2026.",
    "Our file reference is 2026/0142-LIT; your reference 55-1234.",
    "The property is Block 1234, Lot 56 on the tax map of the City of New York.",
    "Filing fee of $405 paid by check no. 10482 on 03.02.2026.",
];

/// Sentences that each hold one sensitive number: (sentence, kind, text).
const PLANTED: &[(&str, HitKind, &str)] = &[
    (
        "The client's SSN is 123-45-6789, per the intake form.",
        HitKind::Ssn,
        "123-45-6789",
    ),
    (
        "Social Security No.: 078051120 (copy of card on file).",
        HitKind::Ssn,
        "078051120",
    ),
    (
        "Her social security number 219 09 9999 appears on the W-2.",
        HitKind::Ssn,
        "219 09 9999",
    ),
    (
        "Payment was made with Visa 4111 1111 1111 1111, expiring 09/27.",
        HitKind::PaymentCard,
        "4111 1111 1111 1111",
    ),
    (
        "The retainer was charged to Amex 3782-822463-10005.",
        HitKind::PaymentCard,
        "3782-822463-10005",
    ),
    (
        "Card on file: 5555555555554444 (Mastercard).",
        HitKind::PaymentCard,
        "5555555555554444",
    ),
    (
        "Wire the deposit to ABA 021000021 at JPMorgan Chase.",
        HitKind::RoutingNumber,
        "021000021",
    ),
    (
        "Routing number: 011000138; the beneficiary is Wexley Holdings LLC.",
        HitKind::RoutingNumber,
        "011000138",
    ),
    (
        "Escrow account no. 000123456789 holds the purchase deposit.",
        HitKind::AccountNumber,
        "000123456789",
    ),
    (
        "Please debit acct 4829-1057-33 for the filing fee.",
        HitKind::AccountNumber,
        "4829-1057-33",
    ),
    (
        "The funds sit in the account ending in 4321 at Citibank.",
        HitKind::AccountNumber,
        "4321",
    ),
    (
        "The claimant's DOB is 03/14/1961 according to the medical records.",
        HitKind::DateOfBirth,
        "03/14/1961",
    ),
    (
        "Decedent was born on March 3, 1931 in Cleveland, Ohio.",
        HitKind::DateOfBirth,
        "March 3, 1931",
    ),
    (
        "Date of birth: 1958-07-22.",
        HitKind::DateOfBirth,
        "1958-07-22",
    ),
    (
        "The witness (D.O.B. 4/9/72) testified on the second day.",
        HitKind::DateOfBirth,
        "4/9/72",
    ),
    (
        "Birthdate 12 August 1984, per the passport copy.",
        HitKind::DateOfBirth,
        "12 August 1984",
    ),
    (
        "Send the signed engagement letter to jane.doe@wexley-law.com by Friday.",
        HitKind::Email,
        "jane.doe@wexley-law.com",
    ),
    (
        "Questions may be directed to records+intake@hospital.example.org.",
        HitKind::Email,
        "records+intake@hospital.example.org",
    ),
    (
        "Call opposing counsel at (212) 555-0142 before noon.",
        HitKind::Phone,
        "(212) 555-0142",
    ),
    (
        "The witness's cell is 646.555.0199.",
        HitKind::Phone,
        "646.555.0199",
    ),
    (
        "Reach the London solicitor on +44 20 7946 0958 during UK hours.",
        HitKind::Phone,
        "+44 20 7946 0958",
    ),
    (
        "Toll-free: 1-800-555-0199, option 3.",
        HitKind::Phone,
        "1-800-555-0199",
    ),
    (
        "U.S. office: +1 415 555 0123.",
        HitKind::Phone,
        "+1 415 555 0123",
    ),
    (
        "Paris office: +33 1 42 68 53 00.",
        HitKind::Phone,
        "+33 1 42 68 53 00",
    ),
    (
        "Her date of birth is 7 July 1975.",
        HitKind::DateOfBirth,
        "7 July 1975",
    ),
];

#[test]
fn corpus_false_alarms_and_recall() {
    let mut false_alarms = Vec::new();
    for text in CLEAN {
        for h in scan(text) {
            false_alarms.push(format!("{text} -> {:?} {:?}", h.kind, h.text));
        }
    }
    let mut missed = Vec::new();
    let mut extra = Vec::new();
    for &(text, kind, expected) in PLANTED {
        let hits = scan(text);
        if !hits.iter().any(|h| h.kind == kind && h.text == expected) {
            missed.push(format!(
                "{text} (wanted {kind:?} {expected:?}, got {hits:?})"
            ));
        }
        if hits.len() > 1 {
            extra.push(format!("{text}: {hits:?}"));
        }
    }
    let found = PLANTED.len() - missed.len();
    println!(
        "sensitive-number scan: {} false alarm(s) in {} clean sentences; found {found} of {} planted hits (recall {:.3})",
        false_alarms.len(),
        CLEAN.len(),
        PLANTED.len(),
        found as f64 / PLANTED.len() as f64
    );
    assert!(CLEAN.len() >= 40 && PLANTED.len() >= 20);
    assert!(false_alarms.is_empty(), "false alarms: {false_alarms:#?}");
    assert!(missed.is_empty(), "missed: {missed:#?}");
    assert!(extra.is_empty(), "more than the planted hit: {extra:#?}");
}

/// Pieces that make texts full of near misses: keywords, numbers of each kind,
/// separators, redaction marks, non-ASCII.
const PIECES: &[&str] = &[
    "SSN ",
    "ssn:",
    "SS#",
    "routing ",
    "ABA ",
    "wire ",
    "acct ",
    "account no. ",
    "DOB ",
    "born ",
    "date of birth ",
    "123-45-6789",
    "078051120",
    "219 09 9999",
    "4111 1111 1111 1111",
    "4111111111111111",
    "3782-822463-10005",
    "021000021",
    "011000138",
    "(212) 555-0142",
    "212.555.0142",
    "+44 20 7946 0958",
    "+1 415 555 0123",
    "1-800-555-0199",
    "March 3, 1961",
    "3 March 1961",
    "03/14/1961",
    "1958-07-22",
    "jane@x.com",
    "a.b@wexley-law.co.uk",
    "averyveryverylongname.person@example-firm.com",
    "212-555-0142:",
    "@",
    ".",
    "-",
    " ",
    "\n",
    "/",
    "(",
    ")",
    "+",
    ":",
    "_",
    "$",
    ",",
    ";",
    ". The ",
    "é",
    "日本",
    "\u{a0}",
    "’",
    "[REDACTED SSN]",
    "[REDACTED account number]",
    "[REDACTED routing number]",
    "[",
    "]",
    "x",
    "0",
    "1",
    "9",
    "12",
    "2026",
];

fn texts() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(PIECES).prop_map(str::to_owned),
                1 => "[0-9]{1,12}",
                1 => "[ ./()+-]{1,2}",
            ],
            0..30
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The scan never panics; its hits are sorted, apart, on character boundaries
    /// and hold their text; redacting them leaves none of their texts and no number
    /// to find again.
    #[test]
    fn hits_are_well_formed_and_redaction_is_final(text in texts()) {
        let hits = scan(&text);
        for h in &hits {
            prop_assert!(h.start < h.end && h.end <= text.len());
            prop_assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
            prop_assert_eq!(&text[h.start..h.end], h.text.as_str());
        }
        for w in hits.windows(2) {
            prop_assert!(w[0].end <= w[1].start, "{:?}", w);
        }
        let out = redact(&text, &hits);
        for h in &hits {
            prop_assert!(!out.contains(h.text.as_str()), "{:?} left in {:?}", h.text, out);
        }
        let again: Vec<Hit> = scan(&out)
            .into_iter()
            .filter(|h| h.kind != HitKind::Email)
            .collect();
        prop_assert!(again.is_empty(), "{:?} found again in {:?}", again, out);
    }
}
