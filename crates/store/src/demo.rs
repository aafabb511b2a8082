//! `mandate demo`: a small, realistic practice for a first look — matters, parties,
//! providers with their agreements, client consents, work orders, deadlines,
//! messages and documents (one returned with changes requested) —
//! dated around `today` so the dashboard has something to show.

use jiff::{Span, civil::Date};
use mandate_core::deadline::{DeadlineDraft, DeadlineKind, ServiceMethod};
use mandate_core::{
    AssignmentDraft, AssignmentStatus, BillingMode, ConsentDraft, DataClass, MatterDraft,
    MatterPartyDraft, PartyDraft, PartyKind, PartyRole, ProviderDraft, Result, Side,
};

use crate::Store;

/// What `demo` added.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DemoSummary {
    pub matters: usize,
    pub parties: usize,
    pub providers: usize,
    pub consents: usize,
    pub assignments: usize,
    pub deadlines: usize,
    pub messages: usize,
    pub documents: usize,
}

impl Store {
    /// Fills an empty store with sample data. Refuses a store that already holds
    /// matters, so it can never mix samples into a firm's real records.
    pub fn demo(&mut self, today: Date) -> Result<DemoSummary> {
        let any = self.list_matters(&mandate_core::MatterFilter {
            limit: Some(1),
            count: Some(false),
            ..Default::default()
        })?;
        if !any.items.is_empty() {
            return Err(mandate_core::Error::new(
                mandate_core::ErrorCode::Invalid,
                "This store already holds matters. Run the demo on a new folder: mandate --data-dir /tmp/mandate-demo demo",
            ));
        }
        let day = |n: i64| {
            today
                .checked_add(Span::new().days(n))
                .unwrap_or(today)
                .to_string()
        };
        let mut sum = DemoSummary::default();

        let providers = [
            (
                "Lexbridge Legal Services Pvt Ltd",
                vec!["IN"],
                vec!["document review", "legal research"],
                true,
                true,
            ),
            (
                "Manila Transcription Partners Inc.",
                vec!["PH"],
                vec!["transcription", "deposition summaries"],
                true,
                false,
            ),
            (
                "Nordic eDiscovery AB",
                vec!["SE"],
                vec!["e-discovery", "document production"],
                true,
                true,
            ),
        ];
        let mut provider_ids = Vec::new();
        for (name, countries, services, nda, transfer) in providers {
            let p = self.create_provider(&ProviderDraft {
                legal_name: name.into(),
                countries: countries.into_iter().map(String::from).collect(),
                services: services.into_iter().map(String::from).collect(),
                nda_on_file: nda,
                nda_signed_on: nda.then(|| day(-200)),
                transfer_mechanism_on_file: transfer,
                transfer_mechanism_signed_on: transfer.then(|| day(-180)),
                diligence_review_on: Some(day(160)),
                ..Default::default()
            })?;
            provider_ids.push(p.id);
            sum.providers += 1;
        }

        // (number, title, client, practice area, court, adverse party, supervising
        // attorney, classes of sensitive data, countries providers may work from).
        // Work goes to provider i % 3 (IN, PH, SE): the first three are sent; the last
        // two stay drafts that a careful firm would hold back (health information
        // without a BAA on file; export-controlled data outside the allowed countries).
        let matters = [
            (
                "2026-0142",
                "Acme Corp. v. Widget Industries",
                "Acme Corp.",
                "Commercial litigation",
                "S.D.N.Y.",
                "Widget Industries LLC",
                "Dana Whitfield",
                vec![DataClass::ProtectiveOrder],
                vec!["IN", "US"],
            ),
            (
                "2026-0143",
                "Zenith Realty lease portfolio review",
                "Zenith Realty LLC",
                "Real estate",
                "",
                "",
                "Marcus Chen",
                vec![],
                vec![],
            ),
            (
                "2026-0151",
                "Orion Shipping v. Vega Ports",
                "Orion Shipping S.A.",
                "Maritime",
                "D.N.J.",
                "Vega Ports Authority",
                "Dana Whitfield",
                vec![DataClass::EuUkPersonalData],
                vec!["GB", "SE", "US"],
            ),
            (
                "2026-0160",
                "Estate of M. Alvarez",
                "Elena Alvarez",
                "Probate",
                "N.Y. Surrogate's Court",
                "",
                "Marcus Chen",
                vec![DataClass::HealthInformation],
                vec!["IN", "US"],
            ),
            (
                "2026-0171",
                "Helix Bio patent opposition",
                "Helix Bio Inc.",
                "Intellectual property",
                "PTAB",
                "Genova Therapeutics",
                "Priya Raman",
                vec![DataClass::ExportControlled],
                vec!["US"],
            ),
        ];
        for (i, (number, title, client, area, court, adverse, supervisor, classes, countries)) in
            matters.into_iter().enumerate()
        {
            let m = self.create_matter(&MatterDraft {
                number: number.into(),
                title: title.into(),
                client_name: client.into(),
                practice_area: Some(area.into()),
                court: Some(court.into()),
                jurisdiction: Some("US".into()),
                supervising_attorney: Some(supervisor.into()),
                data_classes: classes,
                allowed_countries: countries.into_iter().map(String::from).collect(),
                opened_on: Some(day(-90 + 10 * i as i64)),
            })?;
            sum.matters += 1;
            let client_party = self.create_party(&PartyDraft {
                name: client.into(),
                kind: PartyKind::Organisation,
                aliases: vec![],
            })?;
            self.link_party(&MatterPartyDraft {
                matter_id: m.id.clone(),
                party_id: client_party.id,
                role: PartyRole::Client,
            })?;
            sum.parties += 1;
            if !adverse.is_empty() {
                let a = self.create_party(&PartyDraft {
                    name: adverse.into(),
                    kind: PartyKind::Organisation,
                    aliases: vec![],
                })?;
                self.link_party(&MatterPartyDraft {
                    matter_id: m.id.clone(),
                    party_id: a.id,
                    role: PartyRole::Adverse,
                })?;
                sum.parties += 1;
            }
            let provider = &provider_ids[i % provider_ids.len()];
            self.create_consent(
                &ConsentDraft {
                    matter_id: m.id.clone(),
                    provider_id: provider.clone(),
                    scope: "Document review and summaries under attorney supervision".into(),
                    // The client agreed for the classes of data the matter holds.
                    data_classes: m.data_classes.clone(),
                    countries: vec![],
                    given_on: day(-60),
                    evidence: "Engagement letter, signed consent to outsourcing (section 7)".into(),
                    ..Default::default()
                },
                today,
            )?;
            sum.consents += 1;
            let a = self.create_assignment(&AssignmentDraft {
                matter_id: m.id.clone(),
                provider_id: provider.clone(),
                scope: format!("First-level review for {number}"),
                instructions: Some("Flag privileged documents; do not contact the client.".into()),
                due_on: day(5 + 4 * i as i64),
                budget: Some(format!("{}", 2_500 + 500 * i)),
                budget_currency: Some("USD".into()),
                billing_mode: if i % 2 == 0 {
                    BillingMode::Cost
                } else {
                    BillingMode::Fee
                },
                supervising_attorney: supervisor.into(),
            })?;
            sum.assignments += 1;
            if i < 3 {
                self.move_assignment(&a.id, AssignmentStatus::Sent, Side::Firm)?;
            }

            // Court deadlines from the rules, and a vendor deadline that serves one.
            let court = self.create_deadlines(&DeadlineDraft {
                matter_id: m.id.clone(),
                rule_id: Some(
                    [
                        "motion-response",
                        "answer",
                        "notice-of-appeal",
                        "motion-response",
                        "answer",
                    ][i]
                        .into(),
                ),
                trigger: Some(day(-12 + 3 * i as i64)),
                service: Some(if i % 2 == 0 {
                    ServiceMethod::Electronic
                } else {
                    ServiceMethod::Mail
                }),
                ..Default::default()
            })?;
            sum.deadlines += court.len();
            if let Some(c) = court.first() {
                self.create_deadlines(&DeadlineDraft {
                    matter_id: m.id.clone(),
                    assignment_id: Some(a.id.clone()),
                    kind: DeadlineKind::Vendor,
                    title: Some("Review set due from provider".into()),
                    due_date: Some(day(1 + 2 * i as i64)),
                    serves_id: Some(c.id.clone()),
                    ..Default::default()
                })?;
                sum.deadlines += 1;
            }
        }
        self.create_deadlines(&DeadlineDraft {
            matter_id: self.matter_by_number("2026-0143")?.id,
            kind: DeadlineKind::Internal,
            title: Some("Send lease abstracts to client".into()),
            due_date: Some(day(0)),
            ..Default::default()
        })?;
        sum.deadlines += 1;
        self.demo_correspondence(&mut sum)?;
        Ok(sum)
    }

    /// Messages and documents on the first matter: an exchange with the provider and
    /// the two files that went with the work order, one returned with changes.
    fn demo_correspondence(&mut self, sum: &mut DemoSummary) -> Result<()> {
        use mandate_extract::fixtures::{docx_with, pdf_with};
        let m = self.matter_by_number("2026-0142")?.id;
        for (author, body) in [
            (
                "Dana Whitfield",
                "Attached is the review protocol for the Widget production. Please flag anything marked Attorneys' Eyes Only and stop; do not code it.",
            ),
            (
                "Lexbridge review team",
                "Protocol received. We will start first-level review on Monday and send the privilege log draft with the first batch.",
            ),
            (
                "Dana Whitfield",
                "Thanks. The deposition of the Widget CFO moved to next month, so the hot-documents set is needed a week earlier.",
            ),
        ] {
            self.add_message(&mandate_core::MessageDraft {
                matter_id: m.clone(),
                author: author.into(),
                body: body.into(),
                sent_at: None,
            })?;
            sum.messages += 1;
        }
        self.add_document(
            &mandate_core::DocumentUpload {
                matter_id: m.clone(),
                title: Some("Review protocol".into()),
                file_name: "Review protocol.docx".into(),
                ..Default::default()
            },
            &docx_with(&[
                "Review protocol - Acme v. Widget",
                "Code each document Responsive, Not responsive or Privileged.",
                "Attorneys' Eyes Only material: stop and escalate to the supervising attorney.",
            ]),
        )?;
        sum.documents += 1;
        let log = self.add_document(
            &mandate_core::DocumentUpload {
                matter_id: m.clone(),
                title: Some("Privilege log (draft)".into()),
                file_name: "Privilege log draft.pdf".into(),
                owner: Some(mandate_core::DocumentOwner::Provider),
                ..Default::default()
            },
            &pdf_with(
                "Privilege log draft - 42 entries withheld as attorney-client communications",
            ),
        )?;
        sum.documents += 1;
        self.add_review(&mandate_core::ReviewDraft {
            version_id: log.latest.id,
            outcome: mandate_core::ReviewOutcome::ChangesRequested,
            notes: Some("Add the date and author of each entry, per the protective order.".into()),
        })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{MemoryVault, Store};

    #[test]
    fn the_demo_fills_an_empty_store_and_refuses_a_used_one() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut s = Store::open(dir.path(), &MemoryVault::default()).unwrap();
        let today = jiff::civil::date(2026, 11, 27);
        let sum = s.demo(today).unwrap();
        assert_eq!((sum.matters, sum.providers, sum.assignments), (5, 3, 5));
        assert_eq!((sum.messages, sum.documents), (3, 2));
        assert_eq!(s.search_documents("withheld", 5).unwrap().len(), 1);
        assert_eq!(s.search_documents("escalate", 5).unwrap().len(), 1);
        let helix = s.matter_by_number("2026-0171").unwrap();
        assert_eq!(helix.supervising_attorney.as_deref(), Some("Priya Raman"));
        assert_eq!(
            helix.data_classes,
            [mandate_core::DataClass::ExportControlled]
        );
        assert_eq!(helix.allowed_countries, ["US"]);
        let dash = s.deadline_dashboard(today).unwrap();
        assert!(!dash.due_today.is_empty() && !dash.next_7_days.is_empty());
        assert!(s.audit_verify().unwrap().intact);
        let e = s.demo(today).unwrap_err();
        assert!(e.message.contains("already holds matters"));
    }

    #[test]
    fn search_finds_each_kind_and_survives_what_people_type() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut s = Store::open(dir.path(), &MemoryVault::default()).unwrap();
        s.demo(jiff::civil::date(2026, 11, 27)).unwrap();
        let r = s.search("acme", 10).unwrap();
        assert_eq!(
            r.matters
                .iter()
                .map(|m| m.number.as_str())
                .collect::<Vec<_>>(),
            ["2026-0142"]
        );
        assert!(r.parties.iter().any(|p| p.name == "Acme Corp."));
        // The party hit carries the matter it is on, in its role.
        let acme = r.parties.iter().find(|p| p.name == "Acme Corp.").unwrap();
        let links: Vec<_> = r
            .party_links
            .iter()
            .filter(|l| l.party_id == acme.id)
            .collect();
        assert_eq!(links.len(), 1);
        assert_eq!(
            links[0].matter_id,
            s.matter_by_number("2026-0142").unwrap().id
        );
        assert_eq!(links[0].role, mandate_core::PartyRole::Client);
        let r = s.search("lexbr", 10).unwrap();
        assert_eq!(r.providers.len(), 1, "prefix of a provider's name");
        assert!(r.matters.is_empty());
        for odd in ["\"", "*", "-", "AND OR", "(", "  "] {
            s.search(odd, 10).unwrap();
        }
        assert_eq!(
            s.search("  ", 10).unwrap(),
            mandate_core::SearchResults::default()
        );
    }
}
