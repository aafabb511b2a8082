//! Rule sets as data: named deadlines ("answer: 21 days after service, FRCP
//! 12(a)(1)(A)(i)") and chains of dependent deadlines from one trigger.
//!
//! Court systems differ (state courts, bankruptcy under Rule 9006): they are new rule
//! files, never special cases in code.

use jiff::civil::{Date, Time};
use serde::{Deserialize, Serialize};

use crate::calendar::CalendarSet;
use crate::error::{DeadlineError, toml_position};
use crate::period::{
    CountingMethod, DEFAULT_TIME_ZONE, Deadline, Direction, Filing, Period, PeriodRequest, RuleRef,
    Service, ServiceExtension, compute,
};

/// One named deadline rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: String,
    pub name: String,
    /// The event that starts the period ("service of the motion").
    pub trigger: String,
    pub period: Period,
    pub method: CountingMethod,
    pub direction: Direction,
    pub citation: String,
    /// Whether FRCP 6(d) may add days when the trigger was served by mail, clerk or
    /// other consented means.
    pub service_extension: bool,
    /// In a chain, the rule whose due date is this rule's trigger.
    pub depends_on: Option<String>,
    pub note: Option<String>,
}

/// An ordered list of rules computed from one trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chain {
    pub id: String,
    pub name: String,
    pub trigger: String,
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    pub id: String,
    pub name: String,
    pub version: String,
    pub source: String,
    pub rules: Vec<Rule>,
    pub chains: Vec<Chain>,
}

/// Settings that apply to every rule of one computation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleContext {
    pub trigger_time: Option<Time>,
    pub service: Option<Service>,
    pub service_extension: ServiceExtension,
    pub time_zone: String,
    pub filing: Filing,
}

impl Default for RuleContext {
    fn default() -> Self {
        RuleContext {
            trigger_time: None,
            service: None,
            service_extension: ServiceExtension::default(),
            time_zone: DEFAULT_TIME_ZONE.to_string(),
            filing: Filing::Electronic,
        }
    }
}

/// How one deadline moved when its trigger changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moved {
    pub rule_id: String,
    pub name: String,
    pub citation: String,
    pub old_due: Date,
    pub new_due: Date,
    pub moved: bool,
    /// Calendar days from the old due date to the new (negative = earlier).
    pub days: i64,
}

impl Rule {
    /// The period request this rule makes for a trigger date.
    pub fn request(&self, trigger: Date, ctx: &RuleContext) -> PeriodRequest {
        PeriodRequest {
            trigger,
            trigger_time: ctx.trigger_time,
            trigger_name: Some(self.trigger.clone()),
            period: self.period,
            method: self.method,
            direction: self.direction,
            service: if self.service_extension {
                ctx.service
            } else {
                None
            },
            service_extension: ctx.service_extension,
            time_zone: ctx.time_zone.clone(),
            filing: ctx.filing,
        }
    }

    /// Computes this rule's deadline and tags it with the rule.
    pub fn compute(
        &self,
        trigger: Date,
        ctx: &RuleContext,
        calendars: &CalendarSet,
    ) -> Result<Deadline, DeadlineError> {
        let mut d = compute(&self.request(trigger, ctx), calendars)?;
        d.rule = Some(RuleRef {
            id: self.id.clone(),
            name: self.name.clone(),
            citation: self.citation.clone(),
        });
        d.citations.insert(0, self.citation.clone());
        if let Some(note) = &self.note {
            d.verify.insert(0, note.clone());
        }
        if !self.service_extension && ctx.service.is_some_and(Service::adds_days) {
            d.verify.insert(
                0,
                format!(
                    "FRCP 6(d) not applied: \"{}\" does not run from Rule 5(b) service.",
                    self.name
                ),
            );
        }
        Ok(d)
    }
}

impl RuleSet {
    pub fn rule(&self, id: &str) -> Result<&Rule, DeadlineError> {
        self.rules
            .iter()
            .find(|r| r.id == id)
            .ok_or_else(|| DeadlineError::UnknownRule {
                id: id.to_string(),
                known: self
                    .rules
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    pub fn chain(&self, id: &str) -> Result<&Chain, DeadlineError> {
        self.chains
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| DeadlineError::UnknownChain {
                id: id.to_string(),
                known: self
                    .chains
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Computes `rule_ids` in order from one trigger. A rule whose `depends_on` is
    /// earlier in the list is triggered by that rule's due date instead.
    pub fn compute_rules<S: AsRef<str>>(
        &self,
        rule_ids: &[S],
        trigger: Date,
        ctx: &RuleContext,
        calendars: &CalendarSet,
    ) -> Result<Vec<Deadline>, DeadlineError> {
        let mut out: Vec<Deadline> = Vec::with_capacity(rule_ids.len());
        for id in rule_ids {
            let rule = self.rule(id.as_ref())?;
            let parent_due = rule.depends_on.as_deref().and_then(|dep| {
                out.iter()
                    .find(|d| d.rule.as_ref().is_some_and(|r| r.id == dep))
                    .map(|d| d.due)
            });
            out.push(rule.compute(parent_due.unwrap_or(trigger), ctx, calendars)?);
        }
        Ok(out)
    }

    /// Computes every deadline of a chain from its trigger.
    pub fn compute_chain(
        &self,
        chain_id: &str,
        trigger: Date,
        ctx: &RuleContext,
        calendars: &CalendarSet,
    ) -> Result<Vec<Deadline>, DeadlineError> {
        let chain = self.chain(chain_id)?;
        self.compute_rules(&chain.rules, trigger, ctx, calendars)
    }
}

/// Recomputes `rule_ids` (e.g. a chain's rules) for a changed trigger and reports,
/// per rule, the old and new due dates.
pub fn recompute<S: AsRef<str>>(
    set: &RuleSet,
    rule_ids: &[S],
    old_trigger: Date,
    new_trigger: Date,
    ctx: &RuleContext,
    calendars: &CalendarSet,
) -> Result<Vec<Moved>, DeadlineError> {
    let old = set.compute_rules(rule_ids, old_trigger, ctx, calendars)?;
    let new = set.compute_rules(rule_ids, new_trigger, ctx, calendars)?;
    old.into_iter()
        .zip(new)
        .map(|(o, n)| {
            let rule = o.rule.clone().unwrap_or(RuleRef {
                id: String::new(),
                name: String::new(),
                citation: String::new(),
            });
            let days = o
                .due
                .until(n.due)
                .map_err(DeadlineError::arithmetic)?
                .get_days();
            Ok(Moved {
                rule_id: rule.id,
                name: rule.name,
                citation: rule.citation,
                old_due: o.due,
                new_due: n.due,
                moved: o.due != n.due,
                days: i64::from(days),
            })
        })
        .collect()
}

/// Looks a rule up across rule sets.
pub fn find_rule<'a>(
    sets: &'a [RuleSet],
    id: &str,
) -> Result<(&'a RuleSet, &'a Rule), DeadlineError> {
    sets.iter()
        .find_map(|s| s.rules.iter().find(|r| r.id == id).map(|r| (s, r)))
        .ok_or_else(|| DeadlineError::UnknownRule {
            id: id.to_string(),
            known: sets
                .iter()
                .flat_map(|s| s.rules.iter().map(|r| r.id.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// The rule files shipped with the app, as (file name, contents).
pub const BUILTIN_RULE_SETS: &[(&str, &str)] = &[("frcp.toml", include_str!("../rules/frcp.toml"))];

/// The rule sets shipped with the app.
pub fn builtin_rule_sets() -> Vec<RuleSet> {
    BUILTIN_RULE_SETS
        .iter()
        .map(|(file, text)| {
            // Parsed by a unit test, so this cannot fail in a released build.
            #[allow(clippy::expect_used)]
            parse_rule_set(file, text).expect("embedded rule set parses")
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleSet {
    id: String,
    name: String,
    version: String,
    source: String,
    #[serde(default)]
    rule: Vec<toml::Spanned<RawRule>>,
    #[serde(default)]
    chain: Vec<RawChain>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    name: String,
    trigger: String,
    days: Option<i64>,
    hours: Option<i64>,
    #[serde(default)]
    method: CountingMethod,
    #[serde(default)]
    direction: Direction,
    citation: String,
    #[serde(default)]
    service_extension: bool,
    depends_on: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChain {
    id: String,
    name: String,
    trigger: String,
    rules: Vec<String>,
}

/// Parses one rule file. `file` names it in error messages.
pub fn parse_rule_set(file: &str, text: &str) -> Result<RuleSet, DeadlineError> {
    let raw: RawRuleSet = toml::from_str(text).map_err(|e| {
        let (line, column, message) = toml_position(text, &e);
        DeadlineError::RuleSyntax {
            file: file.to_string(),
            line,
            column,
            message,
        }
    })?;
    let mut rules = Vec::with_capacity(raw.rule.len());
    for spanned in raw.rule {
        let (line, column) = crate::error::line_col(text, spanned.span().start);
        let r = spanned.into_inner();
        let period = match (r.days, r.hours) {
            (Some(d), None) => Period::Days(d),
            (None, Some(h)) => Period::Hours(h),
            _ => {
                return Err(DeadlineError::RuleSyntax {
                    file: file.to_string(),
                    line,
                    column,
                    message: format!("rule \"{}\": give exactly one of `days` or `hours`", r.id),
                });
            }
        };
        rules.push(Rule {
            id: r.id,
            name: r.name,
            trigger: r.trigger,
            period,
            method: r.method,
            direction: r.direction,
            citation: r.citation,
            service_extension: r.service_extension,
            depends_on: r.depends_on,
            note: r.note,
        });
    }
    let set = RuleSet {
        id: raw.id,
        name: raw.name,
        version: raw.version,
        source: raw.source,
        rules,
        chains: raw
            .chain
            .into_iter()
            .map(|c| Chain {
                id: c.id,
                name: c.name,
                trigger: c.trigger,
                rules: c.rules,
            })
            .collect(),
    };
    validate(file, &set)?;
    Ok(set)
}

fn validate(file: &str, set: &RuleSet) -> Result<(), DeadlineError> {
    let invalid = |message: String| DeadlineError::InvalidRule {
        file: file.to_string(),
        message,
    };
    for (i, r) in set.rules.iter().enumerate() {
        if set.rules[..i].iter().any(|o| o.id == r.id) {
            return Err(invalid(format!("rule id \"{}\" is used twice", r.id)));
        }
        if let Some(dep) = &r.depends_on
            && set.rule(dep).is_err()
        {
            return Err(invalid(format!(
                "rule \"{}\" depends on unknown rule \"{dep}\"",
                r.id
            )));
        }
    }
    for c in &set.chains {
        for (i, id) in c.rules.iter().enumerate() {
            let rule = set
                .rule(id)
                .map_err(|_| invalid(format!("chain \"{}\" names unknown rule \"{id}\"", c.id)))?;
            if let Some(dep) = &rule.depends_on
                && !c.rules[..i].contains(dep)
            {
                return Err(invalid(format!(
                    "chain \"{}\": rule \"{id}\" depends on \"{dep}\", which must come earlier in the chain",
                    c.id
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::CalendarRegistry;
    use jiff::civil::date;

    fn frcp() -> RuleSet {
        builtin_rule_sets().remove(0)
    }

    fn federal() -> CalendarSet {
        CalendarRegistry::builtin().select(&["us-federal"]).unwrap()
    }

    #[test]
    fn builtin_rules_parse_with_citations() {
        let set = frcp();
        assert_eq!(set.rule("answer").unwrap().citation, "FRCP 12(a)(1)(A)(i)");
        assert_eq!(
            set.rule("magistrate-objections").unwrap().citation,
            "FRCP 72(b)(2)"
        );
        assert!(
            set.rule("notice-of-appeal")
                .unwrap()
                .citation
                .starts_with("FRAP 4(a)(1)(A)")
        );
        assert_eq!(set.rule("motion-reply").unwrap().period, Period::Days(7));
    }

    #[test]
    fn answer_is_21_days_and_mail_does_not_extend_it() {
        let ctx = RuleContext {
            service: Some(Service::Mail),
            ..RuleContext::default()
        };
        let d = frcp()
            .rule("answer")
            .unwrap()
            .compute(date(2026, 3, 2), &ctx, &federal())
            .unwrap();
        assert_eq!(d.due, date(2026, 3, 23));
        assert_eq!(d.rule.unwrap().id, "answer");
        assert_eq!(d.citations[0], "FRCP 12(a)(1)(A)(i)");
        assert!(d.verify.iter().any(|v| v.contains("6(d) not applied")));
    }

    #[test]
    fn chain_reply_runs_from_the_response_due_date() {
        let ds = frcp()
            .compute_chain(
                "motion-briefing",
                date(2026, 6, 5),
                &RuleContext::default(),
                &federal(),
            )
            .unwrap();
        // Response: 14 days after Fri 2026-06-05 -> Juneteenth -> Mon 2026-06-22.
        assert_eq!(ds[0].due, date(2026, 6, 22));
        // Reply: 7 days after Mon 2026-06-22 = Mon 2026-06-29.
        assert_eq!(ds[1].due, date(2026, 6, 29));
        assert_eq!(ds[1].trigger.date, date(2026, 6, 22));
    }

    #[test]
    fn recompute_reports_what_moved() {
        let set = frcp();
        let chain = set.chain("motion-briefing").unwrap().rules.clone();
        let moved = recompute(
            &set,
            &chain,
            date(2026, 6, 5),
            date(2026, 6, 8),
            &RuleContext::default(),
            &federal(),
        )
        .unwrap();
        assert_eq!(moved.len(), 2);
        assert_eq!(moved[0].rule_id, "motion-response");
        assert_eq!(
            (moved[0].old_due, moved[0].new_due),
            (date(2026, 6, 22), date(2026, 6, 22))
        );
        assert!(!moved[0].moved);
        // Response now Mon 06-22 either way, so the reply does not move either.
        assert!(!moved[1].moved);
        let moved = recompute(
            &set,
            &["notice-of-appeal"],
            date(2026, 3, 2),
            date(2026, 3, 9),
            &RuleContext::default(),
            &federal(),
        )
        .unwrap();
        assert_eq!(moved[0].old_due, date(2026, 4, 1));
        assert_eq!(moved[0].new_due, date(2026, 4, 8));
        assert_eq!(moved[0].days, 7);
        assert!(moved[0].moved);
    }

    #[test]
    fn unknown_rule_and_chain_give_codes() {
        let set = frcp();
        assert_eq!(set.rule("nope").unwrap_err().code(), "unknown_rule");
        assert_eq!(set.chain("nope").unwrap_err().code(), "unknown_chain");
        assert!(find_rule(&builtin_rule_sets(), "answer").is_ok());
    }

    #[test]
    fn bad_rule_files_are_reported_with_line() {
        let text = "id = \"x\"\nname = \"x\"\nversion = \"1\"\nsource = \"s\"\n\n[[rule]]\nid = \"a\"\nname = \"A\"\ntrigger = \"t\"\ncitation = \"c\"\n";
        let err = parse_rule_set("r.toml", text).unwrap_err();
        assert_eq!(err.code(), "rule_syntax");
        assert!(err.to_string().starts_with("r.toml:6:"), "{err}");
        let text = "id = \"x\"\nname = \"x\"\nversion = \"1\"\nsource = \"s\"\n[[chain]]\nid = \"c\"\nname = \"c\"\ntrigger = \"t\"\nrules = [\"missing\"]\n";
        assert_eq!(
            parse_rule_set("r.toml", text).unwrap_err().code(),
            "invalid_rule"
        );
    }
}
