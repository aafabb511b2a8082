//! `mandate deadline add|list|show|done|reopen|move|dashboard|export`: deadlines kept
//! in the store (the store-less `compute`, `holidays` and `rules` are in deadline.rs).

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use mandate_core::deadline::{
    CountDirection, CountingMethod, Deadline, DeadlineDraft, DeadlineFilter, DeadlineKind,
    DeadlineStatus, ServiceMethod,
};
use mandate_store::Store;

use crate::{find_matter, print_json};

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Court,
    Internal,
    Vendor,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Method {
    Calendar,
    Court,
    Business,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Dir {
    After,
    Before,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Served {
    Electronic,
    Personal,
    Mail,
    Clerk,
    Other,
}

#[derive(Subcommand)]
pub enum StoreCommand {
    /// Add a deadline to a matter: from a rule (--rule), a period (--days) or a date (--due).
    Add {
        /// The matter's number (or its id).
        #[arg(long)]
        matter: String,
        /// A rule or chain id (see `mandate deadline rules`).
        #[arg(long, conflicts_with_all = ["days", "due"])]
        rule: Option<String>,
        #[arg(long, allow_negative_numbers = true, conflicts_with = "due")]
        days: Option<i64>,
        /// A due date entered by hand, when no rule applies.
        #[arg(long)]
        due: Option<String>,
        /// The triggering event's date, YYYY-MM-DD (with --rule or --days).
        #[arg(long)]
        trigger: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, value_enum, default_value = "court")]
        kind: Kind,
        #[arg(long, value_enum)]
        method: Option<Method>,
        #[arg(long, value_enum)]
        direction: Option<Dir>,
        #[arg(long, value_enum)]
        service: Option<Served>,
        /// Holiday calendars, comma-separated (default us-federal).
        #[arg(long, value_delimiter = ',')]
        calendar: Option<Vec<String>>,
        /// For a vendor deadline: the id of the court deadline it serves.
        #[arg(long)]
        serves: Option<String>,
        /// The assignment (work order) this deadline belongs to, by id.
        #[arg(long)]
        assignment: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List deadlines, soonest first.
    List {
        #[arg(long)]
        matter: Option<String>,
        #[arg(long, value_parser = ["open", "done"])]
        status: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One deadline with its explanation.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Mark a deadline done.
    Done { id: String },
    /// Mark a done deadline open again.
    Reopen { id: String },
    /// Move the trigger of a deadline (and of those made with it) and recompute.
    Move {
        id: String,
        #[arg(long)]
        trigger: String,
        #[arg(long)]
        json: bool,
    },
    /// Open deadlines counted with a holiday calendar whose file changed (or went)
    /// since; recompute each with `deadline recompute ID`.
    CalendarChanges {
        #[arg(long)]
        json: bool,
    },
    /// Recompute a deadline (and those made with it) from its own trigger with the
    /// calendars as they are now.
    Recompute {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Overdue, today, next 7 and next 30 days, across all matters.
    Dashboard {
        /// Default: today on this machine.
        #[arg(long)]
        today: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Write deadlines to an iCalendar (.ics) file.
    Export {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        matter: Option<String>,
        /// Only this assignment's deadlines, by id.
        #[arg(long)]
        assignment: Option<String>,
        /// Put titles (which may name the client) into the calendar entries.
        #[arg(long)]
        include_private: bool,
    },
}

fn print_list(list: &[Deadline]) {
    if list.is_empty() {
        println!("No deadlines.");
        return;
    }
    for d in list {
        let done = if d.status == DeadlineStatus::Done {
            " (done)"
        } else {
            ""
        };
        println!(
            "{}  {:<10} {:<9} {}{}  [{}]",
            d.due_date,
            d.matter_number,
            d.kind.as_str(),
            d.title,
            done,
            d.id
        );
        for w in &d.warnings {
            println!("            ! {w}");
        }
    }
}

fn print_one(d: &Deadline) {
    println!("{} — {} ({})", d.due_date, d.title, d.kind.as_str());
    println!(
        "Matter: {}   Status: {:?}   Id: {}",
        d.matter_number, d.status, d.id
    );
    if let Some(c) = &d.citation {
        println!("Rule: {c}");
    }
    println!("\nHow it was computed:");
    for (i, s) in d.steps.iter().enumerate() {
        println!("  {:>2}. {}", i + 1, s.text);
    }
    for v in &d.verify {
        println!("  verify: {v}");
    }
    for w in &d.warnings {
        println!("  ! {w}");
    }
}

pub fn run(store: &mut Store, cmd: StoreCommand) -> anyhow::Result<()> {
    match cmd {
        StoreCommand::Add {
            matter,
            rule,
            days,
            due,
            trigger,
            title,
            kind,
            method,
            direction,
            service,
            calendar,
            serves,
            assignment,
            json,
        } => {
            let matter_id = find_matter(store, &matter)?.id;
            let made = store.create_deadlines(&DeadlineDraft {
                matter_id,
                assignment_id: assignment.map(Into::into),
                kind: match kind {
                    Kind::Court => DeadlineKind::Court,
                    Kind::Internal => DeadlineKind::Internal,
                    Kind::Vendor => DeadlineKind::Vendor,
                },
                title,
                rule_id: rule,
                trigger,
                days,
                method: method.map(|m| match m {
                    Method::Calendar => CountingMethod::Calendar,
                    Method::Court => CountingMethod::Court,
                    Method::Business => CountingMethod::Business,
                }),
                direction: direction.map(|d| match d {
                    Dir::After => CountDirection::After,
                    Dir::Before => CountDirection::Before,
                }),
                service: service.map(|s| match s {
                    Served::Electronic => ServiceMethod::Electronic,
                    Served::Personal => ServiceMethod::Personal,
                    Served::Mail => ServiceMethod::Mail,
                    Served::Clerk => ServiceMethod::Clerk,
                    Served::Other => ServiceMethod::Other,
                }),
                calendars: calendar,
                due_date: due,
                serves_id: serves.map(Into::into),
                reminders: None,
            })?;
            if json {
                print_json(&made)?;
            } else {
                print_list(&made);
            }
        }
        StoreCommand::List {
            matter,
            status,
            from,
            to,
            json,
        } => {
            let list = store.list_deadlines(&DeadlineFilter {
                matter_id: matter
                    .as_deref()
                    .map(|m| find_matter(store, m).map(|m| m.id))
                    .transpose()?,
                assignment_id: None,
                status: status.map(|s| {
                    if s == "done" {
                        DeadlineStatus::Done
                    } else {
                        DeadlineStatus::Open
                    }
                }),
                from,
                to,
            })?;
            if json {
                print_json(&list)?;
            } else {
                print_list(&list);
            }
        }
        StoreCommand::Show { id, json } => {
            let d = store.deadline(&id)?;
            if json {
                print_json(&d)?;
            } else {
                print_one(&d);
            }
        }
        StoreCommand::Done { id } => {
            let d = store.set_deadline_done(&id, true)?;
            println!("Done: {} {} ({})", d.due_date, d.title, d.matter_number);
        }
        StoreCommand::Reopen { id } => {
            let d = store.set_deadline_done(&id, false)?;
            println!(
                "Open again: {} {} ({})",
                d.due_date, d.title, d.matter_number
            );
        }
        StoreCommand::CalendarChanges { json } => {
            let changes = store.deadlines_on_changed_calendars()?;
            if json {
                print_json(&changes)?;
            } else if changes.is_empty() {
                println!("Every open deadline was counted with its calendars as they are now.");
            } else {
                for c in &changes {
                    println!(
                        "{}  {}  due {}  (calendar {} changed)  mandate deadline recompute {}",
                        c.matter_number, c.title, c.due_date, c.calendar, c.deadline_id
                    );
                }
            }
        }
        StoreCommand::Recompute { id, json } => {
            let moved = store.recompute_deadline(&id)?;
            if json {
                print_json(&moved)?;
            } else if moved.iter().all(|m| m.old_due == m.new_due) {
                println!("Recomputed; no due date moved.");
            } else {
                for m in moved {
                    println!("{}: {} → {}", m.title, m.old_due, m.new_due);
                }
            }
        }
        StoreCommand::Move { id, trigger, json } => {
            let moved = store.change_deadline_trigger(&id, &trigger)?;
            if json {
                print_json(&moved)?;
            } else if moved.is_empty() {
                println!("Recomputed; no due date moved.");
            } else {
                for m in moved {
                    println!("{}: {} → {}", m.title, m.old_due, m.new_due);
                }
            }
        }
        StoreCommand::Dashboard { today, json } => {
            let today = match today {
                Some(t) => mandate_deadlines::parse_date(&t)?,
                None => jiff::ZonedDateTime::now().date(),
            };
            let dash = store.deadline_dashboard(today)?;
            // A broken firm calendar could hide a holiday: say so on every run.
            for p in store.calendar_problems() {
                eprintln!("warning: {p}");
            }
            if json {
                print_json(&dash)?;
            } else {
                for (name, list) in [
                    ("Overdue", &dash.overdue),
                    ("Today", &dash.due_today),
                    ("Next 7 days", &dash.next_7_days),
                    ("Next 30 days", &dash.next_30_days),
                ] {
                    println!("{name} ({}):", list.len());
                    print_list(list);
                    println!();
                }
            }
        }
        StoreCommand::Export {
            out,
            matter,
            assignment,
            include_private,
        } => {
            let filter = DeadlineFilter {
                matter_id: matter
                    .as_deref()
                    .map(|m| find_matter(store, m).map(|m| m.id))
                    .transpose()?,
                assignment_id: assignment.map(Into::into),
                ..Default::default()
            };
            // The person named the file on the command line: an existing one is
            // replaced, as a shell redirection would.
            let count = store.export_deadlines_ics_to(
                &out,
                mandate_store::Existing::Replace,
                &filter,
                include_private,
                jiff::Timestamp::now(),
            )?;
            println!("Wrote {count} deadline(s) to {}", out.display());
        }
    }
    Ok(())
}
