//! `mandate deadline ...`: compute court deadlines and list legal holidays.
//!
//! No store is opened: everything comes from `mandate-deadlines` and its built-in
//! calendars and rules, plus any calendar files in `--calendar-dir`.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use mandate_deadlines::calendar::CalendarRegistry;
use mandate_deadlines::dates::display_date;
use mandate_deadlines::rules::{RuleContext, builtin_rule_sets, find_rule};
use mandate_deadlines::{
    CountingMethod, Deadline, Direction, ExtensionMode, Filing, Period, PeriodRequest, Service,
    ServiceExtension, compute, legal_holidays, parse_time, parse_trigger,
};

use crate::print_json;

#[derive(Subcommand)]
pub enum DeadlineCommand {
    /// Deadlines kept in the store (add, list, show, done, reopen, move, dashboard, export).
    #[command(flatten)]
    Store(crate::deadline_store::StoreCommand),
    /// Compute one deadline and show how it was reached (FRCP 6).
    Compute {
        /// The triggering event: YYYY-MM-DD, or YYYY-MM-DDTHH:MM for periods in hours
        /// (local time in the court's time zone).
        #[arg(long)]
        trigger: String,
        /// Period in days.
        #[arg(long, allow_negative_numbers = true, conflicts_with_all = ["hours", "rule"])]
        days: Option<i64>,
        /// Period in hours, counted from the event's time (FRCP 6(a)(2)).
        #[arg(long, allow_negative_numbers = true, conflicts_with = "rule")]
        hours: Option<i64>,
        /// How days are counted.
        #[arg(long, value_enum)]
        method: Option<MethodArg>,
        /// Whether the period runs after the trigger or before it (e.g. a hearing).
        #[arg(long, value_enum)]
        direction: Option<DirectionArg>,
        /// How the triggering paper was served; mail, clerk and other add 3 days
        /// (FRCP 6(d)).
        #[arg(long, value_enum)]
        service: Option<ServiceArg>,
        /// When the FRCP 6(d) days are added.
        #[arg(long, value_enum, default_value = "after-period")]
        service_extension: ExtensionArg,
        /// Holiday calendars, comma-separated (e.g. us-federal,us-ny).
        #[arg(long, value_delimiter = ',', default_value = "us-federal")]
        calendar: Vec<String>,
        /// A folder of extra calendar files (*.toml) to load.
        #[arg(long, value_name = "DIR")]
        calendar_dir: Option<PathBuf>,
        /// A named rule (e.g. answer, motion-response, notice-of-appeal); sets the
        /// period, method and direction.
        #[arg(long)]
        rule: Option<String>,
        /// The court's time zone (IANA name).
        #[arg(long, default_value = "America/New_York")]
        tz: String,
        /// Filing on paper: the clerk's office closing time (HH:MM). Without it the
        /// last day ends at midnight (electronic filing).
        #[arg(long, value_name = "HH:MM")]
        clerk_closes: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List the legal holidays (observed dates) of one year.
    Holidays {
        /// Holiday calendars, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "us-federal")]
        calendar: Vec<String>,
        #[arg(long)]
        year: i64,
        /// A folder of extra calendar files (*.toml) to load.
        #[arg(long, value_name = "DIR")]
        calendar_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// List the built-in deadline rules.
    Rules {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum MethodArg {
    Calendar,
    Court,
    Business,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DirectionArg {
    After,
    Before,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ServiceArg {
    Electronic,
    Personal,
    Mail,
    Clerk,
    Other,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExtensionArg {
    AfterPeriod,
    AddToPeriod,
}

pub fn run(cmd: DeadlineCommand) -> anyhow::Result<()> {
    match cmd {
        // main.rs opens the store for these and calls deadline_store::run.
        DeadlineCommand::Store(_) => anyhow::bail!("this deadline command needs the store"),
        DeadlineCommand::Compute {
            trigger,
            days,
            hours,
            method,
            direction,
            service,
            service_extension,
            calendar,
            calendar_dir,
            rule,
            tz,
            clerk_closes,
            json,
        } => {
            let calendars = registry(calendar_dir.as_ref())?.select(&calendar)?;
            let (date, time) = parse_trigger(&trigger)?;
            let filing = match clerk_closes {
                Some(t) => Filing::Paper {
                    clerk_closes: parse_time(&t)?,
                },
                None => Filing::Electronic,
            };
            let service = service.map(|s| match s {
                ServiceArg::Electronic => Service::Electronic,
                ServiceArg::Personal => Service::Personal,
                ServiceArg::Mail => Service::Mail,
                ServiceArg::Clerk => Service::Clerk,
                ServiceArg::Other => Service::Other,
            });
            let extension = ServiceExtension {
                mode: match service_extension {
                    ExtensionArg::AfterPeriod => ExtensionMode::AfterPeriod,
                    ExtensionArg::AddToPeriod => ExtensionMode::AddToPeriod,
                },
                ..ServiceExtension::default()
            };
            let deadline = if let Some(rule_id) = rule {
                let sets = builtin_rule_sets();
                let (_, rule) = find_rule(&sets, &rule_id)?;
                let mut rule = rule.clone();
                if let Some(m) = method {
                    rule.method = counting(m);
                }
                if let Some(d) = direction {
                    rule.direction = way(d);
                }
                let ctx = RuleContext {
                    trigger_time: time,
                    service,
                    service_extension: extension,
                    time_zone: tz,
                    filing,
                };
                rule.compute(date, &ctx, &calendars)?
            } else {
                let period = match (days, hours) {
                    (Some(d), None) => Period::Days(d),
                    (None, Some(h)) => Period::Hours(h),
                    _ => anyhow::bail!(
                        "give the period with --days N or --hours N, or name a rule with --rule (see `mandate deadline rules`)"
                    ),
                };
                let req = PeriodRequest {
                    trigger: date,
                    trigger_time: time,
                    trigger_name: None,
                    period,
                    method: method.map_or(CountingMethod::Calendar, counting),
                    direction: direction.map_or(Direction::After, way),
                    service,
                    service_extension: extension,
                    time_zone: tz,
                    filing,
                };
                compute(&req, &calendars)?
            };
            if json {
                print_json(&deadline)?;
            } else {
                print_deadline(&deadline);
            }
        }
        DeadlineCommand::Holidays {
            calendar,
            year,
            calendar_dir,
            json,
        } => {
            let calendars = registry(calendar_dir.as_ref())?.select(&calendar)?;
            let holidays = legal_holidays(&calendars, year)?;
            if json {
                let out = HolidayList {
                    year,
                    calendars: calendars.ids(),
                    holidays: &holidays,
                };
                print_json(&out)?;
            } else {
                println!("Legal holidays in {year} ({}):", calendars.ids().join(", "));
                for h in &holidays {
                    println!(
                        "  {}  {}  [{}]",
                        display_date(h.date),
                        h.describe(),
                        h.calendar
                    );
                }
                if calendars
                    .calendars
                    .iter()
                    .any(|c| c.kind == mandate_deadlines::CalendarKind::State)
                {
                    println!(
                        "State holidays count only for periods counted forward (FRCP 6(a)(6)(C))."
                    );
                }
            }
        }
        DeadlineCommand::Rules { json } => {
            let sets = builtin_rule_sets();
            if json {
                print_json(&sets)?;
            } else {
                for set in &sets {
                    println!("{} (version {})", set.name, set.version);
                    for r in &set.rules {
                        let period = match r.period {
                            Period::Days(d) => format!("{d} days"),
                            Period::Hours(h) => format!("{h} hours"),
                        };
                        let direction = match r.direction {
                            Direction::After => "after",
                            Direction::Before => "before",
                        };
                        println!(
                            "  {:<30} {period} {direction} {} ({})",
                            r.id, r.trigger, r.citation
                        );
                    }
                }
            }
        }
    }
    Ok(())
}

/// `holidays --json`: fields in this order, for a stable output.
#[derive(serde::Serialize)]
struct HolidayList<'a> {
    year: i64,
    calendars: Vec<String>,
    holidays: &'a [mandate_deadlines::Holiday],
}

fn registry(dir: Option<&PathBuf>) -> anyhow::Result<CalendarRegistry> {
    let mut registry = CalendarRegistry::builtin();
    if let Some(dir) = dir {
        anyhow::ensure!(
            dir.is_dir(),
            "--calendar-dir {}: not a folder. Name a folder of calendar files (*.toml).",
            dir.display()
        );
        for e in registry.load_dir(dir) {
            // A broken file must not stop the others from loading: report it, go on.
            eprintln!("warning: {e}");
        }
    }
    Ok(registry)
}

fn counting(m: MethodArg) -> CountingMethod {
    match m {
        MethodArg::Calendar => CountingMethod::Calendar,
        MethodArg::Court => CountingMethod::Court,
        MethodArg::Business => CountingMethod::Business,
    }
}

fn way(d: DirectionArg) -> Direction {
    match d {
        DirectionArg::After => Direction::After,
        DirectionArg::Before => Direction::Before,
    }
}

fn print_deadline(d: &Deadline) {
    println!("Due: {}  (ends {})", display_date(d.due), d.due_at);
    if let Some(rule) = &d.rule {
        println!("Rule: {} — {}", rule.name, rule.citation);
    }
    println!("Calendars: {}", d.calendars.join(", "));
    println!();
    println!("How it was computed:");
    for (i, step) in d.steps.iter().enumerate() {
        println!("  {:>2}. {}", i + 1, step.text);
    }
    println!();
    println!("Rules cited: {}", d.citations.join("; "));
    println!("Verify:");
    for v in &d.verify {
        println!("  - {v}");
    }
}
