//! Each check gives Block without its fact and lets the send through with it; taking
//! away any one required fact never turns Block into Allow; the same facts always
//! give the same decision.

use proptest::prelude::*;

use super::*;
use crate::assignment::{AssignmentStatus, BillingMode, Side};
use crate::matter::MatterStatus;
use crate::provider::{DiligenceFactor, DiligenceItem, all_factors_checked};

/// Every fact a send needs, as owned values a test can take away one by one.
#[derive(Debug, Clone)]
struct Facts {
    classes: Vec<DataClass>,
    matter_countries: Vec<String>,
    provider_countries: Vec<String>,
    supervisor: bool,
    consent: bool,
    consent_covers_classes: bool,
    consent_covers_countries: bool,
    ai: AiUse,
    ai_consented: bool,
    diligence_done: bool,
    /// A factor of the standard checklist left out, or (`true`) checked with no evidence.
    factor_open: Option<(DiligenceFactor, bool)>,
    review_on: Option<String>,
    nda: bool,
    baa: bool,
    transfer: bool,
    conflict_checked: bool,
    open_matches: u32,
    verified: bool,
    export: bool,
    unresolved_hits: u32,
    closed: bool,
}

impl Facts {
    /// A send that satisfies every rule for these data classes and countries.
    fn complete(classes: Vec<DataClass>, provider_countries: Vec<String>) -> Facts {
        Facts {
            classes,
            matter_countries: Vec::new(),
            provider_countries,
            supervisor: true,
            consent: true,
            consent_covers_classes: true,
            consent_covers_countries: true,
            ai: AiUse::None,
            ai_consented: false,
            diligence_done: true,
            factor_open: None,
            review_on: Some("2027-06-30".into()),
            nda: true,
            baa: true,
            transfer: true,
            conflict_checked: true,
            open_matches: 0,
            verified: true,
            export: true,
            unresolved_hits: 0,
            closed: false,
        }
    }

    fn decide(&self) -> GuardDecision {
        let matter = Matter {
            id: "m1".into(),
            number: "2026-014".into(),
            title: "Wexley lease review".into(),
            client_name: "Wexley Holdings".into(),
            practice_area: None,
            court: None,
            jurisdiction: None,
            supervising_attorney: self.supervisor.then(|| "Jane Smith".into()),
            data_classes: self.classes.clone(),
            allowed_countries: self.matter_countries.clone(),
            status: MatterStatus::Open,
            opened_on: "2026-01-05".into(),
            revision: 1,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let provider = Provider {
            id: "p1".into(),
            legal_name: "Lexwell Review Ltd".into(),
            countries: self.provider_countries.clone(),
            services: vec![],
            rates: vec![],
            contacts: vec![],
            diligence: {
                let mut items = all_factors_checked("file DD-1");
                if let Some((f, unevidenced)) = self.factor_open {
                    items.retain(|d| d.factor != Some(f));
                    if unevidenced {
                        items.push(DiligenceItem {
                            item: f.label().into(),
                            done: true,
                            evidence: None,
                            factor: Some(f),
                        });
                    }
                }
                items.push(DiligenceItem {
                    item: "security questionnaire".into(),
                    done: self.diligence_done,
                    evidence: None,
                    factor: None,
                });
                items
            },
            diligence_review_on: self.review_on.clone(),
            nda_on_file: self.nda,
            nda_signed_on: None,
            baa_on_file: self.baa,
            baa_signed_on: None,
            transfer_mechanism_on_file: self.transfer,
            transfer_mechanism_signed_on: None,
            ai_use: self.ai,
            ai_use_detail: None,
            conflicts: vec![],
            notes: None,
            export_clearance: None,
            revision: 1,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let assignment = Assignment {
            id: "a1".into(),
            matter_id: "m1".into(),
            provider_id: "p1".into(),
            scope: "review".into(),
            instructions: None,
            due_on: "2027-01-12".into(),
            budget: None,
            billing_mode: BillingMode::Cost,
            supervising_attorney: "Jane Smith".into(),
            status: if self.closed {
                AssignmentStatus::Cancelled
            } else {
                AssignmentStatus::Sent
            },
            owner: Side::Firm,
            revision: 1,
            created_at: String::new(),
            updated_at: String::new(),
        };
        let consents: Vec<Consent> = self
            .consent
            .then(|| Consent {
                id: "c1".into(),
                matter_id: "m1".into(),
                provider_id: "p1".into(),
                scope: "review".into(),
                data_classes: if self.consent_covers_classes {
                    self.classes.clone()
                } else {
                    vec![]
                },
                countries: if self.consent_covers_countries {
                    self.provider_countries.clone()
                } else {
                    vec![]
                },
                given_on: "2026-01-10".into(),
                evidence: "email".into(),
                covers_ai_use: self.ai_consented,
                ai_use_evidence: None,
                revision: 1,
                created_at: String::new(),
                updated_at: String::new(),
            })
            .into_iter()
            .collect();
        let items = vec![OutgoingItem {
            kind: "document".into(),
            label: "Lease 14.pdf v1".into(),
            unresolved_hits: self.unresolved_hits,
        }];
        let conflict = ConflictClearance {
            checked_on: "2026-01-11".into(),
            checked_by: "Jane Smith".into(),
            open_matches: self.open_matches,
        };
        send_guard(&GuardInput {
            today: "2026-12-01",
            matter: &matter,
            provider: &provider,
            assignment: &assignment,
            consents: &consents,
            items: &items,
            conflict_check: self.conflict_checked.then_some(&conflict),
            fingerprints_verified: self.verified,
            ai_use_consented: self.ai_consented,
            export_authorization: self.export.then_some("EAR99 NLR"),
        })
    }

    /// Every way of taking one required fact away, with the rule that must then block.
    fn without_each(&self) -> Vec<(&'static str, Facts)> {
        let mut out = Vec::new();
        let mut f = |rule: &'static str, change: &dyn Fn(&mut Facts)| {
            let mut g = self.clone();
            change(&mut g);
            out.push((rule, g));
        };
        f("matter.supervisor", &|g| g.supervisor = false);
        f("consent.missing", &|g| g.consent = false);
        f("diligence.incomplete", &|g| g.diligence_done = false);
        for factor in DiligenceFactor::ALL {
            f("diligence.incomplete", &move |g| {
                g.factor_open = Some((factor, false))
            });
            f("diligence.incomplete", &move |g| {
                g.factor_open = Some((factor, true))
            });
        }
        f("diligence.review_date", &|g| g.review_on = None);
        f("diligence.review_due", &|g| {
            g.review_on = Some("2026-11-30".into())
        });
        f("provider.nda", &|g| g.nda = false);
        f("conflict.unchecked", &|g| g.conflict_checked = false);
        f("conflict.open", &|g| g.open_matches = 1);
        f("scan.unresolved", &|g| g.unresolved_hits = 2);
        f("assignment.closed", &|g| g.closed = true);
        f("provider.countries_unknown", &|g| {
            g.provider_countries.clear()
        });
        f("consent.ai_use", &|g| {
            g.ai = AiUse::Declared;
            g.ai_consented = false;
        });
        if !self.classes.is_empty() {
            f("consent.data_classes", &|g| {
                g.consent_covers_classes = false
            });
            f("keys.unverified", &|g| g.verified = false);
        }
        if !self.provider_countries.is_empty() {
            f("consent.countries", &|g| g.consent_covers_countries = false);
            f("matter.countries", &|g| {
                g.matter_countries = vec!["ZZ".into()]
            });
        }
        if self.classes.contains(&DataClass::HealthInformation) {
            f("data.health_baa", &|g| g.baa = false);
        }
        if self.classes.contains(&DataClass::ExportControlled) {
            f("data.export_controlled", &|g| g.export = false);
        }
        let t = transfers();
        let outside_eu = self
            .provider_countries
            .iter()
            .any(|c| !t.eea.contains(c) && !t.uk.contains(c) && !t.adequate.contains(c));
        if self.classes.contains(&DataClass::EuUkPersonalData) && outside_eu {
            f("data.eu_transfer", &|g| g.transfer = false);
        }
        out
    }
}

fn rules(d: &GuardDecision) -> Vec<&str> {
    d.reasons.iter().map(|r| r.rule.as_str()).collect()
}

#[test]
fn a_complete_file_is_allowed_and_names_its_consent() {
    let d = Facts::complete(vec![], vec!["IN".into()]).decide();
    assert_eq!(d.decision, Decision::Allow, "{:?}", rules(&d));
    assert_eq!(d.consent_id.as_deref(), Some("c1"));
}

#[test]
fn each_check_blocks_without_its_fact_and_passes_with_it() {
    let all = vec![
        DataClass::EuUkPersonalData,
        DataClass::HealthInformation,
        DataClass::ExportControlled,
    ];
    let base = Facts::complete(all, vec!["IN".into(), "PH".into()]);
    let d = base.decide();
    // Health information brings a condition (minimum necessary), nothing blocks.
    assert_eq!(d.decision, Decision::AllowWithConditions, "{:?}", rules(&d));
    for (rule, without) in base.without_each() {
        let d = without.decide();
        assert_eq!(d.decision, Decision::Block, "without the fact of {rule}");
        let reason = d
            .reasons
            .iter()
            .find(|r| r.rule == rule)
            .unwrap_or_else(|| panic!("{rule} not among {:?}", rules(&d)));
        assert!(reason.blocks && !reason.fix.is_empty() && !reason.source.is_empty());
        assert_eq!(d.consent_id, None, "a blocked send relies on no consent");
    }
}

#[test]
fn eu_data_to_an_adequate_country_needs_no_further_mechanism() {
    let mut f = Facts::complete(
        vec![DataClass::EuUkPersonalData],
        vec!["JP".into(), "DE".into()],
    );
    f.transfer = false;
    assert_eq!(
        f.decide().decision,
        Decision::Allow,
        "{:?}",
        rules(&f.decide())
    );
    f.provider_countries.push("US".into());
    f.matter_countries.clear();
    let d = f.decide();
    assert!(
        rules(&d).contains(&"data.eu_transfer"),
        "the US is not adequate without DPF: {:?}",
        rules(&d)
    );
    assert!(
        d.reasons
            .iter()
            .any(|r| r.message.contains("as of 2026-06-30"))
    );
}

#[test]
fn conditions_do_not_block() {
    let mut f = Facts::complete(vec![DataClass::ProtectiveOrder], vec!["IN".into()]);
    f.ai = AiUse::Undeclared;
    f.review_on = Some("2026-12-20".into());
    let d = f.decide();
    assert_eq!(d.decision, Decision::AllowWithConditions);
    let mut got = rules(&d);
    got.sort();
    assert_eq!(
        got,
        [
            "data.protective_order",
            "diligence.review_soon",
            "provider.ai_use_undeclared"
        ]
    );
    assert!(d.reasons.iter().all(|r| !r.blocks));
}

#[test]
fn the_transfer_list_is_data_with_a_date() {
    let t = transfers();
    assert_eq!(t.as_of.len(), 10);
    assert_eq!(t.eea.len(), 30);
    assert!(t.adequate.contains("JP") && !t.adequate.contains("US") && t.uk.contains("GB"));
}

fn facts() -> impl Strategy<Value = Facts> {
    let classes = proptest::sample::subsequence(DataClass::ALL.to_vec(), 0..=4);
    let countries = proptest::sample::subsequence(
        vec![
            "IN".to_owned(),
            "PH".into(),
            "DE".into(),
            "US".into(),
            "JP".into(),
        ],
        0..=3,
    );
    let ai = prop_oneof![
        Just(AiUse::Undeclared),
        Just(AiUse::None),
        Just(AiUse::Declared)
    ];
    let review = proptest::option::of(prop_oneof![
        Just("2026-11-01".to_owned()),
        Just("2026-12-15".to_owned()),
        Just("2027-06-30".to_owned())
    ]);
    (
        (
            classes,
            countries,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            ai,
            any::<bool>(),
        ),
        (
            any::<bool>(),
            review,
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0u32..2,
            any::<bool>(),
        ),
        (any::<bool>(), 0u32..2, any::<bool>(), any::<bool>()),
    )
        .prop_map(|(a, b, c)| Facts {
            classes: a.0,
            provider_countries: a.1,
            matter_countries: if a.2 {
                vec!["IN".into(), "DE".into()]
            } else {
                vec![]
            },
            supervisor: a.3,
            consent: a.4,
            consent_covers_classes: a.5,
            ai: a.6,
            ai_consented: a.7,
            consent_covers_countries: b.0,
            review_on: b.1,
            diligence_done: b.2,
            factor_open: None,
            nda: b.3,
            baa: b.4,
            transfer: b.5,
            open_matches: b.6,
            conflict_checked: b.7,
            verified: c.0,
            unresolved_hits: c.1,
            export: c.2,
            closed: c.3,
        })
}

proptest! {
    /// Taking away any one required fact never turns a Block into an Allow, and a
    /// send that passes is blocked by the loss of any of its facts.
    #[test]
    fn removing_a_fact_never_unblocks(f in facts()) {
        let before = f.decide();
        for (rule, without) in f.without_each() {
            let after = without.decide();
            if before.decision == Decision::Block {
                prop_assert_eq!(after.decision, Decision::Block, "removing the fact of {} unblocked", rule);
            } else {
                prop_assert_eq!(after.decision, Decision::Block, "removing the fact of {} was not noticed", rule);
            }
        }
    }

    /// The same facts always give the same decision and reasons.
    #[test]
    fn the_same_facts_give_the_same_decision(f in facts()) {
        prop_assert_eq!(f.decide(), f.decide());
    }

    /// The decision follows the reasons: Block exactly when a reason blocks.
    #[test]
    fn block_exactly_when_a_reason_blocks(f in facts()) {
        let d = f.decide();
        let blocks = d.reasons.iter().any(|r| r.blocks);
        prop_assert_eq!(d.decision == Decision::Block, blocks);
        prop_assert_eq!(d.decision == Decision::Allow, d.reasons.is_empty());
    }
}
