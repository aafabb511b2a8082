//! Deadlines in the store: computed with `mandate-deadlines` when added, kept with
//! their explanation, recomputed when their trigger moves, reminded, exported.
//!
//! Every function that depends on "now" takes it as an argument, so the tests can
//! fix the clock and the shell passes the real one.

use jiff::{Timestamp, civil::Date, tz::TimeZone};
use mandate_core::deadline::{
    CalendarChange, CountDirection, CountingMethod, Dashboard, Deadline, DeadlineDraft,
    DeadlineFilter, DeadlineKind, DeadlineReminder, DeadlineSettings, DeadlineStatus, DeadlineStep,
    MovedDeadline, REMINDER_MAX_MINUTES, RuleInfo, ServiceMethod, TITLE_MAX,
};
use mandate_core::{Error, ErrorCode, Result};
use mandate_deadlines as engine;
use rusqlite::{OptionalExtension, Row, params};
use serde_json::json;

use crate::{Store, audit, db::Ctx};

const DEFAULT_CALENDAR: &str = "us-federal";
const SETTINGS_KEY: &str = "deadline_settings";
/// Reminders older than this are not raised on start-up: a week-old reminder is
/// noise, and the dashboard already lists what is overdue.
const STALE_REMINDER_DAYS: i64 = 7;

const COLUMNS: &str = "d.id, d.matter_id, m.number, d.assignment_id, d.kind, d.title, d.rule_id, d.citation,
    d.trigger_date, d.trigger_name, d.due_date, d.due_at, d.time_zone, d.explanation, d.serves_id,
    d.status, d.done_by, d.done_at, d.reminders, d.sequence, d.revision, d.created_at, d.updated_at";
const FROM: &str = "deadline d JOIN matter m ON m.id = d.matter_id";

/// How a deadline was asked for, kept so it can be computed again.
#[derive(Debug, Clone)]
struct Recipe {
    rule_id: Option<String>,
    chain_id: Option<String>,
    trigger: Option<Date>,
    days: Option<i64>,
    method: CountingMethod,
    direction: CountDirection,
    service: Option<ServiceMethod>,
    calendars: Vec<String>,
}

/// One computed result, ready to store.
struct Computed {
    rule_id: Option<String>,
    name: Option<String>,
    citation: Option<String>,
    trigger_name: Option<String>,
    due: Date,
    due_at: Option<String>,
    time_zone: String,
    steps: Vec<DeadlineStep>,
    verify: Vec<String>,
}

fn engine_error(field: &str, e: engine::DeadlineError) -> Error {
    Error::invalid(field, e.to_string())
}

/// The built-in calendars and the firm's (state and court holidays, data files beside
/// the store), with what could not be read of the firm's: one file with a mistake
/// does not stop the others from loading.
/// The registry and the problems of reading the calendars folder, shared by the
/// reads built on it.
type LoadedCalendars = std::sync::Arc<(engine::CalendarRegistry, Vec<engine::DeadlineError>)>;

/// The calendars folder as last read: each file's name and a hash of its bytes, and
/// what reading them gave. A view asks for several things built on the calendars at
/// once (their problems, the deadlines on changed ones, a list's warnings): they
/// share one parse until a file changes. The bytes, not the modification time, say
/// whether it changed: an edit within the clock's tick keeps the time.
#[derive(Default)]
pub(crate) struct CalendarCache {
    stamp: Vec<(std::ffi::OsString, [u8; 32])>,
    loaded: Option<LoadedCalendars>,
    /// How many times the folder was parsed, for the test that it is parsed once.
    pub(crate) reads: u64,
}

fn folder_stamp(dir: &std::path::Path) -> Vec<(std::ffi::OsString, [u8; 32])> {
    use sha2::Digest;
    let mut stamp: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            let bytes = std::fs::read(e.path()).unwrap_or_default();
            (e.file_name(), sha2::Sha256::digest(&bytes).into())
        })
        .collect();
    stamp.sort();
    stamp
}

fn calendar_registry(store: &Store) -> LoadedCalendars {
    let dir = store.dir().join("calendars");
    let stamp = folder_stamp(&dir);
    let mut cache = store.calendars.borrow_mut();
    if let Some(loaded) = cache.loaded.as_ref().filter(|_| cache.stamp == stamp) {
        return loaded.clone();
    }
    let mut registry = engine::CalendarRegistry::builtin();
    let problems = if dir.is_dir() {
        registry.load_dir(&dir)
    } else {
        Vec::new()
    };
    let loaded = std::sync::Arc::new((registry, problems));
    cache.stamp = stamp;
    cache.loaded = Some(loaded.clone());
    cache.reads += 1;
    loaded
}

fn calendars_for(store: &Store, ids: &[String]) -> Result<engine::CalendarSet> {
    calendar_registry(store)
        .0
        .select(ids)
        .map_err(|e| engine_error("calendars", e))
}

fn method(m: CountingMethod) -> engine::CountingMethod {
    match m {
        CountingMethod::Calendar => engine::CountingMethod::Calendar,
        CountingMethod::Court => engine::CountingMethod::Court,
        CountingMethod::Business => engine::CountingMethod::Business,
    }
}

fn direction(d: CountDirection) -> engine::Direction {
    match d {
        CountDirection::After => engine::Direction::After,
        CountDirection::Before => engine::Direction::Before,
    }
}

fn service(s: ServiceMethod) -> engine::Service {
    match s {
        ServiceMethod::Electronic => engine::Service::Electronic,
        ServiceMethod::Personal => engine::Service::Personal,
        ServiceMethod::Mail => engine::Service::Mail,
        ServiceMethod::Clerk => engine::Service::Clerk,
        ServiceMethod::Other => engine::Service::Other,
    }
}

fn enum_str<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn enum_parse<T: serde::de::DeserializeOwned>(s: Option<String>) -> Option<T> {
    s.and_then(|s| serde_json::from_value(serde_json::Value::String(s)).ok())
}

fn from_engine(d: engine::Deadline) -> Computed {
    Computed {
        rule_id: d.rule.as_ref().map(|r| r.id.clone()),
        name: d.rule.as_ref().map(|r| r.name.clone()),
        citation: d.rule.as_ref().map(|r| r.citation.clone()),
        trigger_name: d.trigger.name.clone(),
        due: d.due,
        due_at: Some(d.due_at.clone()),
        time_zone: d.time_zone.clone(),
        steps: d
            .steps
            .iter()
            .map(|s| DeadlineStep {
                kind: enum_str(&s.kind),
                text: s.text.clone(),
                date: s.date.map(|d| d.to_string()),
                citation: s.citation.clone(),
            })
            .collect(),
        verify: d.verify,
    }
}

/// Computes what a recipe asks for: several deadlines for a chain, one otherwise,
/// with the hashes of the calendar files they were counted with (comma-separated, in
/// the recipe's order; empty for a date entered by hand), read in the same pass.
fn compute(store: &Store, r: &Recipe, manual_due: Option<Date>) -> Result<(Vec<Computed>, String)> {
    let calendars = calendars_for(store, &r.calendars)?;
    let hashes = calendars
        .calendars
        .iter()
        .map(|c| c.sha256.as_str())
        .collect::<Vec<_>>()
        .join(",");
    let counted = |computed: Vec<Computed>| Ok((computed, hashes.clone()));
    let ctx = engine::rules::RuleContext {
        service: r.service.map(service),
        ..Default::default()
    };
    let sets = engine::builtin_rule_sets();
    if let Some(chain) = &r.chain_id {
        let trigger = r
            .trigger
            .ok_or_else(|| Error::invalid("trigger", "Enter the date of the triggering event."))?;
        let set = sets
            .iter()
            .find(|s| s.chains.iter().any(|c| &c.id == chain))
            .ok_or_else(|| {
                Error::invalid(
                    "rule_id",
                    format!("No rule or chain is called \"{chain}\". Pick one from the list."),
                )
            })?;
        let out = set
            .compute_chain(chain, trigger, &ctx, &calendars)
            .map_err(|e| engine_error("trigger", e))?;
        return counted(out.into_iter().map(from_engine).collect());
    }
    if let Some(rule_id) = &r.rule_id {
        let trigger = r
            .trigger
            .ok_or_else(|| Error::invalid("trigger", "Enter the date of the triggering event."))?;
        let (_, rule) =
            engine::rules::find_rule(&sets, rule_id).map_err(|e| engine_error("rule_id", e))?;
        let d = rule
            .compute(trigger, &ctx, &calendars)
            .map_err(|e| engine_error("trigger", e))?;
        return counted(vec![from_engine(d)]);
    }
    if let Some(days) = r.days {
        let trigger = r
            .trigger
            .ok_or_else(|| Error::invalid("trigger", "Enter the date of the triggering event."))?;
        let mut req = engine::PeriodRequest::days(trigger, days);
        req.method = method(r.method);
        req.direction = direction(r.direction);
        req.service = r.service.map(service);
        let d = engine::compute(&req, &calendars).map_err(|e| engine_error("days", e))?;
        return counted(vec![from_engine(d)]);
    }
    let due = manual_due.ok_or_else(|| {
        Error::invalid(
            "due_date",
            "Pick a rule, enter a period in days, or enter the due date by hand.",
        )
    })?;
    // Entered by hand: counted with no calendar.
    Ok((
        vec![Computed {
            rule_id: None,
            name: None,
            citation: None,
            trigger_name: None,
            due,
            due_at: None,
            time_zone: engine::period::DEFAULT_TIME_ZONE.to_owned(),
            steps: vec![DeadlineStep {
                kind: "note".into(),
                text: format!(
                    "Entered by hand: due {due}. No rule was applied; check the date against the order or rule that sets it."
                ),
                date: Some(due.to_string()),
                citation: None,
            }],
            verify: vec![],
        }],
        String::new(),
    ))
}

fn parse_day(field: &str, s: &str) -> Result<Date> {
    engine::parse_date(s).map_err(|e| engine_error(field, e))
}

fn check_reminders(r: &[u32]) -> Result<()> {
    if r.len() > 10 || r.iter().any(|m| *m > REMINDER_MAX_MINUTES) {
        return Err(Error::invalid(
            "reminders",
            "Use at most 10 reminders, each at most a year before the deadline.",
        ));
    }
    Ok(())
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Deadline> {
    let explanation: String = r.get(13)?;
    let explanation: serde_json::Value = serde_json::from_str(&explanation).unwrap_or_default();
    let reminders: String = r.get(18)?;
    let kind: String = r.get(4)?;
    let status: String = r.get(15)?;
    Ok(Deadline {
        id: r.get(0)?,
        matter_id: r.get(1)?,
        matter_number: r.get(2)?,
        assignment_id: r.get(3)?,
        kind: DeadlineKind::parse(&kind).unwrap_or(DeadlineKind::Internal),
        title: r.get(5)?,
        rule_id: r.get(6)?,
        citation: r.get(7)?,
        trigger_date: r.get(8)?,
        trigger_name: r.get(9)?,
        due_date: r.get(10)?,
        due_at: r.get(11)?,
        time_zone: r.get(12)?,
        steps: serde_json::from_value(explanation["steps"].clone()).unwrap_or_default(),
        verify: serde_json::from_value(explanation["verify"].clone()).unwrap_or_default(),
        serves_id: r.get(14)?,
        warnings: Vec::new(),
        status: if status == "done" {
            DeadlineStatus::Done
        } else {
            DeadlineStatus::Open
        },
        done_by: r.get(16)?,
        done_at: r.get(17)?,
        reminders: serde_json::from_str(&reminders).unwrap_or_default(),
        sequence: r.get(19)?,
        revision: r.get(20)?,
        created_at: r.get(21)?,
        updated_at: r.get(22)?,
    })
}

fn recipe_of(conn: &rusqlite::Connection, id: &str) -> Result<(Recipe, String)> {
    conn.query_row(
        "SELECT rule_id, chain_id, trigger_date, period_days, method, direction, service, calendars, trigger_group
         FROM deadline WHERE id = ?1",
        [id],
        |r| {
            let trigger: Option<String> = r.get(2)?;
            let calendars: String = r.get(7)?;
            Ok((
                Recipe {
                    rule_id: r.get(0)?,
                    chain_id: r.get(1)?,
                    trigger: trigger.and_then(|t| engine::parse_date(&t).ok()),
                    days: r.get(3)?,
                    method: enum_parse(r.get(4)?).unwrap_or_default(),
                    direction: enum_parse(r.get(5)?).unwrap_or_default(),
                    service: enum_parse(r.get(6)?),
                    calendars: calendars.split(',').map(str::to_owned).collect(),
                },
                r.get::<_, String>(8)?,
            ))
        },
    )
    .optional()
    .ctx("read the deadline")?
    .ok_or_else(|| Error::not_found("That deadline no longer exists. Refresh the list."))
}

impl Store {
    /// Firm calendar files (in `DATA_DIR/calendars`) that could not be read, each
    /// naming the file and line, so a person can fix them. The others still load.
    pub fn calendar_problems(&self) -> Vec<String> {
        calendar_registry(self)
            .1
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    /// The rules and chains a person can pick from.
    pub fn deadline_rules(&self) -> Vec<RuleInfo> {
        let mut out = Vec::new();
        for set in engine::builtin_rule_sets() {
            for r in &set.rules {
                let (n, unit) = match r.period {
                    engine::Period::Days(n) => (n, "days"),
                    engine::Period::Hours(n) => (n, "hours"),
                };
                let method = match (r.method, unit) {
                    (_, "hours") => "",
                    (engine::CountingMethod::Calendar, _) => "calendar ",
                    (engine::CountingMethod::Court, _) => "court ",
                    (engine::CountingMethod::Business, _) => "business ",
                };
                let dir = match r.direction {
                    engine::Direction::After => "after",
                    engine::Direction::Before => "before",
                };
                out.push(RuleInfo {
                    id: r.id.clone(),
                    name: r.name.clone(),
                    trigger: r.trigger.clone(),
                    citation: r.citation.clone(),
                    period: format!("{n} {method}{unit} {dir} {}", r.trigger),
                });
            }
            for c in &set.chains {
                out.push(RuleInfo {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    trigger: c.trigger.clone(),
                    citation: set.name.clone(),
                    period: format!("{} deadlines from {}", c.rules.len(), c.trigger),
                });
            }
        }
        out
    }

    /// Adds one deadline (or, for a chain, each deadline of the chain) to a matter.
    pub fn create_deadlines(&mut self, d: &DeadlineDraft) -> Result<Vec<Deadline>> {
        let matter = self.matter(&d.matter_id)?;
        let sets = engine::builtin_rule_sets();
        let is_chain = d
            .rule_id
            .as_ref()
            .is_some_and(|id| sets.iter().any(|s| s.chains.iter().any(|c| &c.id == id)));
        let recipe = Recipe {
            rule_id: if is_chain { None } else { d.rule_id.clone() },
            chain_id: if is_chain { d.rule_id.clone() } else { None },
            trigger: d
                .trigger
                .as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(|t| parse_day("trigger", t))
                .transpose()?,
            days: d.days,
            method: d.method.unwrap_or_default(),
            direction: d.direction.unwrap_or_default(),
            service: d.service,
            calendars: match &d.calendars {
                Some(c) if !c.is_empty() => c.clone(),
                _ => vec![DEFAULT_CALENDAR.to_owned()],
            },
        };
        let manual = d
            .due_date
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(|t| parse_day("due_date", t))
            .transpose()?;
        let (computed, hashes) = compute(self, &recipe, manual)?;
        let settings = self.deadline_settings()?;
        let reminders = d.reminders.clone().unwrap_or(settings.default_reminders);
        check_reminders(&reminders)?;
        let title_in = d.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
        if title_in
            .is_some_and(|t| t.chars().count() > TITLE_MAX || t.chars().any(char::is_control))
        {
            return Err(Error::invalid(
                "title",
                format!("A title holds at most {TITLE_MAX} characters on one line; shorten it."),
            ));
        }
        if computed.len() == 1 && title_in.is_none() && computed[0].name.is_none() {
            return Err(Error::invalid("title", "Enter a title for this deadline."));
        }
        if let Some(serves) = &d.serves_id {
            let court = self.deadline(serves)?;
            if court.matter_id != matter.id {
                return Err(Error::invalid(
                    "serves_id",
                    "A vendor deadline can only serve a deadline of the same matter.",
                ));
            }
        }

        let group = uuid::Uuid::now_v7().to_string();
        let now = self.clock.stamp();
        let mut ids = Vec::new();
        let tx = self.conn.transaction().ctx("add the deadline")?;
        for c in &computed {
            let id = uuid::Uuid::now_v7().to_string();
            let title = match (title_in, &c.name) {
                (Some(t), _) if computed.len() == 1 => t.to_owned(),
                (_, Some(name)) => name.clone(),
                (Some(t), None) => t.to_owned(),
                (None, None) => "Deadline".to_owned(),
            };
            tx.execute(
                "INSERT INTO deadline (id, matter_id, assignment_id, kind, title, rule_id, chain_id, trigger_group, citation,
                    trigger_date, trigger_name, period_days, method, direction, service, calendars, due_date, due_at, time_zone,
                    explanation, serves_id, status, reminders, sequence, revision, created_at, updated_at, calendars_sha256)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, 'open', ?22, 0, 1, ?23, ?23, ?24)",
                params![
                    id,
                    matter.id,
                    d.assignment_id,
                    d.kind.as_str(),
                    title,
                    c.rule_id,
                    recipe.chain_id,
                    group,
                    c.citation,
                    recipe.trigger.map(|t| t.to_string()),
                    c.trigger_name,
                    recipe.days,
                    enum_str(&recipe.method),
                    enum_str(&recipe.direction),
                    recipe.service.map(|s| enum_str(&s)),
                    recipe.calendars.join(","),
                    c.due.to_string(),
                    c.due_at,
                    c.time_zone,
                    json!({"steps": c.steps, "verify": c.verify}).to_string(),
                    d.serves_id,
                    serde_json::to_string(&reminders).unwrap_or_else(|_| "[]".into()),
                    now,
                    hashes,
                ],
            )
            .ctx("add the deadline")?;
            audit::append(
                &tx,
                &self.actor,
                &self.clock.stamp(),
                "deadline.create",
                "deadline",
                &id,
                &json!({"matter": matter.number, "matter_id": matter.id, "due": c.due.to_string(), "rule": c.rule_id}),
            )?;
            ids.push(id);
        }
        tx.commit().ctx("add the deadline")?;
        self.record_audit_head();
        ids.iter().map(|id| self.deadline(id)).collect()
    }

    /// One deadline, with its warnings.
    pub fn deadline(&self, id: &str) -> Result<Deadline> {
        let d = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM {FROM} WHERE d.id = ?1"),
                [id],
                from_row,
            )
            .optional()
            .ctx("read the deadline")?
            .ok_or_else(|| Error::not_found("That deadline no longer exists. Refresh the list."))?;
        let mut v = vec![d];
        self.add_warnings(&mut v)?;
        Ok(v.remove(0))
    }

    /// Deadlines matching `filter`, soonest first.
    pub fn list_deadlines(&self, f: &DeadlineFilter) -> Result<Vec<Deadline>> {
        let status = f.status.map(|s| enum_str(&s));
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM {FROM}
                 WHERE (?1 IS NULL OR d.matter_id = ?1) AND (?2 IS NULL OR d.assignment_id = ?2)
                   AND (?3 IS NULL OR d.status = ?3) AND (?4 IS NULL OR d.due_date >= ?4)
                   AND (?5 IS NULL OR d.due_date <= ?5)
                 ORDER BY d.due_date, d.due_at, m.number"
            ))
            .ctx("list deadlines")?;
        let mut out = stmt
            .query_map(
                params![f.matter_id, f.assignment_id, status, f.from, f.to],
                from_row,
            )
            .ctx("list deadlines")?
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("list deadlines")?;
        self.add_warnings(&mut out)?;
        Ok(out)
    }

    /// Open deadlines across all matters: overdue, today, the next 7 and 30 days.
    pub fn deadline_dashboard(&self, today: Date) -> Result<Dashboard> {
        let day = |n: i64| {
            today
                .checked_add(jiff::Span::new().days(n))
                .unwrap_or(today)
                .to_string()
        };
        let open = self.list_deadlines(&DeadlineFilter {
            status: Some(DeadlineStatus::Open),
            to: Some(day(mandate_core::deadline::NEXT_MONTH_DAYS)),
            ..Default::default()
        })?;
        let t = today.to_string();
        let mut dash = Dashboard {
            today: t.clone(),
            overdue: vec![],
            due_today: vec![],
            next_7_days: vec![],
            next_30_days: vec![],
        };
        use mandate_core::deadline::Bucket;
        for d in open {
            let Some(due) = mandate_core::dates::parse_ymd(&d.due_date) else {
                continue;
            };
            let bucket = match Bucket::of(due, today) {
                Some(Bucket::Overdue) => &mut dash.overdue,
                Some(Bucket::DueToday) => &mut dash.due_today,
                Some(Bucket::NextWeek) => &mut dash.next_7_days,
                Some(Bucket::NextMonth) => &mut dash.next_30_days,
                None => continue,
            };
            bucket.push(d);
        }
        Ok(dash)
    }

    /// Marks a deadline done (or open again), recording who and when.
    pub fn set_deadline_done(&mut self, id: &str, done: bool) -> Result<Deadline> {
        let d = self.deadline(id)?;
        if (d.status == DeadlineStatus::Done) == done {
            return Ok(d);
        }
        let tx = self.conn.transaction().ctx("update the deadline")?;
        let (status, by, at) = if done {
            ("done", Some(self.actor.clone()), Some(self.clock.stamp()))
        } else {
            ("open", None, None)
        };
        tx.execute(
            "UPDATE deadline SET status = ?2, done_by = ?3, done_at = ?4, revision = revision + 1, updated_at = ?5 WHERE id = ?1",
            params![id, status, by, at, self.clock.stamp()],
        )
        .ctx("update the deadline")?;
        audit::append(
            &tx,
            &self.actor,
            &self.clock.stamp(),
            if done {
                "deadline.done"
            } else {
                "deadline.reopen"
            },
            "deadline",
            id,
            &json!({"matter": d.matter_number, "matter_id": d.matter_id}),
        )?;
        tx.commit().ctx("update the deadline")?;
        self.record_audit_head();
        self.deadline(id)
    }

    /// The open deadlines counted with a calendar whose file changed (or went) since:
    /// each with the calendar's id, so a person can recompute them.
    pub fn deadlines_on_changed_calendars(&self) -> Result<Vec<CalendarChange>> {
        let loaded = calendar_registry(self);
        let registry = &loaded.0;
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT d.id, m.number, d.title, d.due_date, d.calendars, d.calendars_sha256 FROM {FROM}
                 WHERE d.status = 'open' AND d.calendars_sha256 <> '' ORDER BY d.due_date, d.id"
            ))
            .ctx("read the deadlines")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .ctx("read the deadlines")?;
        let mut out = Vec::new();
        for row in rows {
            let (id, number, title, due, calendars, hashes) = row.ctx("read the deadlines")?;
            let changed = calendars
                .split(',')
                .zip(hashes.split(','))
                .find(|(cal, hash)| {
                    // Ids are kept as the draft gave them; the registry knows them trimmed.
                    registry.get(cal.trim()).map_or(true, |c| c.sha256 != *hash)
                });
            if let Some((calendar, _)) = changed {
                out.push(CalendarChange {
                    deadline_id: id.into(),
                    matter_number: number,
                    title,
                    due_date: due,
                    calendar: calendar.to_owned(),
                });
            }
        }
        Ok(out)
    }

    /// Recomputes a computed deadline (and those made with it) from its own trigger
    /// with the calendars as they are now.
    pub fn recompute_deadline(&mut self, id: &str) -> Result<Vec<MovedDeadline>> {
        let (recipe, _) = recipe_of(&self.conn, id)?;
        let Some(trigger) = recipe.trigger else {
            return Err(Error::invalid(
                "trigger",
                "This deadline was entered by hand, so there is nothing to recompute. Edit its date instead.",
            ));
        };
        self.change_deadline_trigger(id, &trigger.to_string())
    }

    /// Moves the trigger of a deadline and of every deadline made with it, recomputes
    /// them, and reports what moved. Deadlines entered by hand have no trigger.
    pub fn change_deadline_trigger(
        &mut self,
        id: &str,
        new_trigger: &str,
    ) -> Result<Vec<MovedDeadline>> {
        let trigger = parse_day("trigger", new_trigger)?;
        let (mut recipe, group) = recipe_of(&self.conn, id)?;
        if recipe.trigger.is_none() {
            return Err(Error::invalid(
                "trigger",
                "This deadline was entered by hand, so it has no trigger to move. Edit its date instead.",
            ));
        }
        recipe.trigger = Some(trigger);
        let (computed, hashes) = compute(self, &recipe, None)?;
        let matter_id = self.deadline(id)?.matter_id;
        let tx = self.conn.transaction().ctx("recompute deadlines")?;
        let members: Vec<(String, Option<String>, String, String)> = {
            let mut stmt = tx
                .prepare("SELECT id, rule_id, title, due_date FROM deadline WHERE trigger_group = ?1 ORDER BY rowid")
                .ctx("recompute deadlines")?;
            stmt.query_map([&group], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .ctx("recompute deadlines")?
            .collect::<rusqlite::Result<_>>()
            .ctx("recompute deadlines")?
        };
        let mut moved = Vec::new();
        for (i, (mid, rule_id, title, old_due)) in members.iter().enumerate() {
            let c = computed
                .iter()
                .find(|c| c.rule_id.is_some() && &c.rule_id == rule_id)
                .or_else(|| computed.get(i))
                .ok_or_else(|| Error::internal("a recomputed chain lost a deadline"))?;
            let new_due = c.due.to_string();
            tx.execute(
                "UPDATE deadline SET trigger_date = ?2, due_date = ?3, due_at = ?4, explanation = ?5,
                     sequence = sequence + (due_date <> ?3), revision = revision + 1, updated_at = ?6, calendars_sha256 = ?7 WHERE id = ?1",
                params![mid, trigger.to_string(), new_due, c.due_at, json!({"steps": c.steps, "verify": c.verify}).to_string(), self.clock.stamp(), hashes],
            )
            .ctx("recompute deadlines")?;
            audit::append(
                &tx,
                &self.actor,
                &self.clock.stamp(),
                "deadline.recompute",
                "deadline",
                mid,
                &json!({"matter_id": matter_id, "trigger": trigger.to_string(), "from": old_due, "to": new_due}),
            )?;
            if *old_due != new_due {
                moved.push(MovedDeadline {
                    id: mid.clone().into(),
                    title: title.clone(),
                    old_due: old_due.clone(),
                    new_due,
                });
            }
        }
        tx.commit().ctx("recompute deadlines")?;
        self.record_audit_head();
        Ok(moved)
    }

    pub fn deadline_settings(&self) -> Result<DeadlineSettings> {
        self.setting(SETTINGS_KEY)
    }

    pub fn set_deadline_settings(&mut self, s: &DeadlineSettings) -> Result<()> {
        if s.vendor_buffer_court_days > 60 {
            return Err(Error::invalid(
                "vendor_buffer_court_days",
                "Use a buffer of at most 60 court days.",
            ));
        }
        check_reminders(&s.default_reminders)?;
        self.put_setting(SETTINGS_KEY, s)
    }

    /// Warns where a vendor deadline leaves fewer court days before the court
    /// deadline it serves than the firm's buffer setting.
    fn add_warnings(&self, list: &mut [Deadline]) -> Result<()> {
        if !list
            .iter()
            .any(|d| d.kind == DeadlineKind::Vendor && d.serves_id.is_some())
        {
            return Ok(());
        }
        let buffer = self.deadline_settings()?.vendor_buffer_court_days;
        // Loaded once per list: it parses the built-in calendars and reads the
        // firm's calendar folder.
        let calendars = calendars_for(self, &[DEFAULT_CALENDAR.to_owned()])?;
        for d in list
            .iter_mut()
            .filter(|d| d.kind == DeadlineKind::Vendor && d.serves_id.is_some())
        {
            let Some(court_due): Option<String> = self
                .conn
                .query_row(
                    "SELECT due_date FROM deadline WHERE id = ?1",
                    [&d.serves_id],
                    |r| r.get(0),
                )
                .optional()
                .ctx("read the deadline")?
            else {
                continue;
            };
            let (Ok(vendor), Ok(court)) = (
                engine::parse_date(&d.due_date),
                engine::parse_date(&court_due),
            ) else {
                continue;
            };
            let court_days = court_days_between(vendor, court, buffer, &calendars);
            if court_days < buffer {
                d.warnings.push(format!(
                    "Only {court_days} court day{} between the vendor's due date ({}) and the court deadline it serves ({court_due}); \
                     the firm's buffer is {buffer}. Move the vendor's date earlier or agree a faster review.",
                    if court_days == 1 { "" } else { "s" },
                    d.due_date,
                ));
            }
        }
        Ok(())
    }

    /// Reminders whose moment has come by `now` and that were not shown yet. Each
    /// deadline also reminds at the start of its due day (lead 0).
    pub fn reminders_due(&self, now: Timestamp) -> Result<Vec<DeadlineReminder>> {
        let today = now.to_zoned_datetime(TimeZone::UTC).date();
        let from = today
            .checked_sub(jiff::Span::new().days(STALE_REMINDER_DAYS))
            .unwrap_or(today);
        let open = self.list_deadlines(&DeadlineFilter {
            status: Some(DeadlineStatus::Open),
            from: Some(from.to_string()),
            ..Default::default()
        })?;
        let mut sent = self
            .conn
            .prepare_cached("SELECT 1 FROM deadline_reminder_sent WHERE deadline_id = ?1 AND lead_minutes = ?2 AND due_date = ?3")
            .ctx("read reminders")?;
        let mut out = Vec::new();
        for d in open {
            let Ok(due) = engine::parse_date(&d.due_date) else {
                continue;
            };
            let tz = TimeZone::get(&d.time_zone).unwrap_or(TimeZone::UTC);
            let Ok(day_start) = due.to_zoned_datetime(tz) else {
                continue;
            };
            let mut leads = d.reminders.clone();
            leads.push(0);
            leads.sort_unstable();
            leads.dedup();
            // Only the most recent reminder that has come is shown; earlier ones
            // that were missed add nothing once a later one is due.
            let due_leads: Vec<u32> = leads
                .into_iter()
                .filter(|lead| {
                    day_start.timestamp().as_second() - i64::from(*lead) * 60 <= now.as_second()
                })
                .collect();
            let Some(lead) = due_leads.first().copied() else {
                continue;
            };
            if sent
                .exists(params![d.id, lead, d.due_date])
                .ctx("read reminders")?
            {
                continue;
            }
            let moment = day_start.timestamp().as_second() - i64::from(lead) * 60;
            out.push(DeadlineReminder {
                missed: now.as_second() - moment > 15 * 60,
                lead_minutes: lead,
                deadline: d,
            });
        }
        Ok(out)
    }

    /// Records that a reminder was shown, so it is never shown twice.
    pub fn mark_reminder_sent(&mut self, r: &DeadlineReminder) -> Result<()> {
        self.conn
            .execute(
                "INSERT OR IGNORE INTO deadline_reminder_sent (deadline_id, lead_minutes, due_date, sent_at) VALUES (?1, ?2, ?3, ?4)",
                params![r.deadline.id, r.lead_minutes, r.deadline.due_date, self.clock.stamp()],
            )
            .ctx("record the reminder")?;
        Ok(())
    }

    /// Deadlines as an RFC 5545 calendar: all, one matter's, or one assignment's.
    /// Titles may name the client, so they stay out unless `include_private` is set.
    pub fn export_deadlines_ics(
        &self,
        filter: &DeadlineFilter,
        include_private: bool,
        now: Timestamp,
    ) -> Result<String> {
        Ok(self.deadlines_ics(filter, include_private, now)?.0)
    }

    /// Writes the calendar of [`Store::export_deadlines_ics`] to `path`, a `….ics`
    /// file in an existing folder ([`crate::check_calendar_file`]; an existing file
    /// only with [`Existing::Replace`]), and records it in the audit log
    /// (`deadline.export_ics`, with the number of deadlines and the matter or work
    /// order it was limited to). The file takes its name only once the record is
    /// committed. Returns how many deadlines it holds.
    pub fn export_deadlines_ics_to(
        &mut self,
        path: &std::path::Path,
        existing: crate::Existing,
        filter: &DeadlineFilter,
        include_private: bool,
        now: Timestamp,
    ) -> Result<usize> {
        crate::outputs::check_calendar_file(path, existing)?;
        let (ics, count) = self.deadlines_ics(filter, include_private, now)?;
        let mut detail = json!({ "count": count, "include_private": include_private });
        if let Some(m) = &filter.matter_id {
            detail["matter_id"] = json!(m);
        }
        if let Some(a) = &filter.assignment_id {
            detail["assignment_id"] = json!(a);
        }
        let store_id = self.store_id.clone();
        crate::export::write_file_recorded(path, ics.as_bytes(), || {
            self.record_outside_write("deadline.export_ics", "store", &store_id, &detail)
        })?;
        Ok(count)
    }

    /// The calendar's text and the number of events in it.
    fn deadlines_ics(
        &self,
        filter: &DeadlineFilter,
        include_private: bool,
        now: Timestamp,
    ) -> Result<(String, usize)> {
        let list = self.list_deadlines(filter)?;
        let events: Vec<engine::ExportedDeadline> = list
            .iter()
            .filter_map(|d| {
                let due = engine::parse_date(&d.due_date).ok()?;
                Some(engine::ExportedDeadline {
                    id: d.id.to_string(),
                    matter_number: d.matter_number.clone(),
                    kind: match (&d.rule_id, d.kind) {
                        (Some(_), _) => d.citation.clone().map_or_else(
                            || d.kind.as_str().to_owned(),
                            |c| format!("{} deadline ({c})", d.kind.as_str()),
                        ),
                        (None, k) => format!("{} deadline", k.as_str()),
                    },
                    title: d.title.clone(),
                    when: engine::EventTime::AllDay { date: due },
                    sequence: u32::try_from(d.sequence).unwrap_or(0),
                    citation: d.citation.clone(),
                    private_detail: None,
                    alarms: d
                        .reminders
                        .iter()
                        .map(|m| engine::Alarm { minutes_before: *m })
                        .collect(),
                })
            })
            .collect();
        let ics = engine::to_ical(
            &events,
            &engine::ExportOptions {
                dtstamp: now,
                include_private_detail: include_private,
                calendar_name: Some("Mandate deadlines".into()),
            },
        )
        .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
        Ok((ics, events.len()))
    }
}

/// Court days strictly between `from` and `to`, counted up to `cap`.
fn court_days_between(from: Date, to: Date, cap: u32, calendars: &engine::CalendarSet) -> u32 {
    for k in 1..=cap {
        let mut req = engine::PeriodRequest::days(from, i64::from(k));
        req.method = engine::CountingMethod::Court;
        match engine::compute(&req, calendars) {
            Ok(d) if d.due < to => continue,
            _ => return k - 1,
        }
    }
    cap
}
