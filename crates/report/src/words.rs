//! What the report says in its own voice: the introduction, the summary, decisions in
//! words. Kept apart from the layout so the sentences can be read and tested alone.

use std::collections::BTreeSet;

use crate::{Decision, DisclosureReport};

pub(crate) const TITLE: &str = "Disclosure report";

pub(crate) const NOTHING_SENT: &str = "Nothing of this matter has been sent to a provider.";

pub(crate) const NO_CONSENT: &str = "No consent on file.";

pub(crate) const NOT_RECORDED: &str = "None recorded";

/// The paragraph under the heading: what the report covers and what the keys mean.
pub(crate) fn introduction(firm: &str) -> String {
    let firm = if firm.trim().is_empty() {
        "the firm"
    } else {
        firm
    };
    format!(
        "This report lists every item of this matter that {firm}'s Mandate sent to an \
         outside provider, every send that was stopped before anything left the firm, \
         and the client consent each send relied on. Items are sent end-to-end \
         encrypted to the keys listed with each send: only the holders of those keys \
         can read them."
    )
}

pub(crate) fn prepared(on: &str, by: &str) -> String {
    format!("Prepared on {on} by {by}")
}

/// "3 items sent to 2 providers; 1 send stopped; 1 send made by attorney override."
///
/// Items are counted once each however often and to however many providers they
/// went (by label); providers count when at least one send to them left the firm.
/// The override part is there only when there was one.
pub(crate) fn summary(report: &DisclosureReport) -> String {
    let sends = report.providers.iter().flat_map(|p| &p.entries);
    let items: BTreeSet<&str> = sends
        .clone()
        .filter(|e| e.decision.was_sent())
        .flat_map(|e| e.items.iter().map(String::as_str))
        .collect();
    let providers = report
        .providers
        .iter()
        .filter(|p| p.entries.iter().any(|e| e.decision.was_sent()))
        .count();
    let stopped = sends.clone().filter(|e| !e.decision.was_sent()).count();
    let overridden = sends
        .filter(|e| matches!(e.decision, Decision::Overridden { .. }))
        .count();

    if providers == 0 {
        return match stopped {
            0 => NOTHING_SENT.to_owned(),
            n => format!(
                "{NOTHING_SENT} {} stopped.",
                count(n, "send was", "sends were")
            ),
        };
    }
    let mut line = format!(
        "{} sent to {}; {} stopped",
        count(items.len(), "item", "items"),
        count(providers, "provider", "providers"),
        count(stopped, "send", "sends"),
    );
    if overridden > 0 {
        line.push_str(&format!(
            "; {} made by attorney override",
            count(overridden, "send", "sends")
        ));
    }
    line.push('.');
    line
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "processes data in: US, IN".
pub(crate) fn countries(countries: &[String]) -> String {
    if countries.is_empty() {
        "processes data in: not recorded".to_owned()
    } else {
        format!("processes data in: {}", countries.join(", "))
    }
}

/// The decision in words, on its first line.
pub(crate) fn decision(decision: &Decision) -> String {
    match decision {
        Decision::Sent => "Sent".to_owned(),
        Decision::SentWithConditions { .. } => "Sent with conditions".to_owned(),
        Decision::Stopped { .. } => "Stopped by the send guard".to_owned(),
        Decision::Overridden { by, reason, .. } => format!("Sent by override of {by}: {reason}"),
    }
}

/// What follows the decision: a lead-in (if any) and the conditions or reasons.
pub(crate) fn decision_details(decision: &Decision) -> (Option<&'static str>, &[String]) {
    match decision {
        Decision::Sent => (None, &[]),
        Decision::SentWithConditions { conditions } => (None, conditions),
        Decision::Stopped { reasons } => (None, reasons),
        Decision::Overridden { guard_reasons, .. } if guard_reasons.is_empty() => (None, &[]),
        Decision::Overridden { guard_reasons, .. } => {
            (Some("The send guard had stopped it:"), guard_reasons)
        }
    }
}

/// The label of the person field: a stopped send was tried, not approved.
pub(crate) fn person_label(decision: &Decision) -> &'static str {
    if decision.was_sent() {
        "Approved by"
    } else {
        "Attempted by"
    }
}

pub(crate) fn continued(provider: &str) -> String {
    format!("{provider} (continued)")
}

pub(crate) fn footer(matter_number: &str, page: usize, pages: usize) -> String {
    format!("{matter_number} \u{2014} {TITLE} \u{2014} Page {page} of {pages}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Entry, ProviderSection};

    fn entry(items: &[&str], decision: Decision) -> Entry {
        Entry {
            at: "2026-11-03 10:00".into(),
            items: items.iter().map(|s| s.to_string()).collect(),
            decision,
            consent: None,
            approved_by: "Ann Lee".into(),
            recipients: vec![],
        }
    }

    fn report(providers: Vec<Vec<Entry>>) -> DisclosureReport {
        DisclosureReport {
            providers: providers
                .into_iter()
                .enumerate()
                .map(|(i, entries)| ProviderSection {
                    name: format!("P{i}"),
                    countries: vec![],
                    entries,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn summary_counts_items_once_providers_that_received_and_stopped_sends() {
        let stopped = Decision::Stopped {
            reasons: vec!["no consent".into()],
        };
        let r = report(vec![
            vec![entry(&["A", "B"], Decision::Sent), entry(&["C"], stopped)],
            vec![entry(&["A"], Decision::Sent)],
        ]);
        assert_eq!(summary(&r), "2 items sent to 2 providers; 1 send stopped.");
    }

    #[test]
    fn summary_names_overrides_only_when_there_are_some() {
        let over = Decision::Overridden {
            by: "Ann Lee".into(),
            reason: "court order".into(),
            guard_reasons: vec![],
        };
        let r = report(vec![vec![entry(&["A"], over.clone()), entry(&["B"], over)]]);
        assert_eq!(
            summary(&r),
            "2 items sent to 1 provider; 0 sends stopped; 2 sends made by attorney override."
        );
    }

    #[test]
    fn nothing_sent_says_so_with_or_without_stopped_sends() {
        assert_eq!(summary(&report(vec![])), NOTHING_SENT);
        let stopped = Decision::Stopped { reasons: vec![] };
        assert_eq!(
            summary(&report(vec![vec![entry(&["A"], stopped)]])),
            format!("{NOTHING_SENT} 1 send was stopped.")
        );
    }

    #[test]
    fn decisions_in_words() {
        let over = Decision::Overridden {
            by: "Ann Lee".into(),
            reason: "the court ordered production".into(),
            guard_reasons: vec!["no consent covers IN".into()],
        };
        assert_eq!(
            decision(&over),
            "Sent by override of Ann Lee: the court ordered production"
        );
        assert_eq!(
            decision_details(&over).0,
            Some("The send guard had stopped it:")
        );
        assert_eq!(person_label(&over), "Approved by");
        let stopped = Decision::Stopped { reasons: vec![] };
        assert_eq!(decision(&stopped), "Stopped by the send guard");
        assert_eq!(person_label(&stopped), "Attempted by");
    }
}
