//! iCalendar (RFC 5545) export of deadlines, as a pure function.
//!
//! Written by hand rather than with the `icalendar` crate: that crate builds on
//! `chrono` (a second date-time library beside `jiff`), generates no VTIMEZONE for a
//! TZID, and its output line folding and escaping are not something we can pin down
//! in our own tests. The format we need is small: CRLF line ends, folding at 75
//! octets without splitting a UTF-8 character, TEXT escaping, and a few components.
//!
//! Privacy: exported calendars end up in cloud calendars, so by default SUMMARY and
//! DESCRIPTION carry only the matter number and the kind of deadline; the free-text
//! title and the private detail (client name, strategy) are included only when
//! [`ExportOptions::include_private_detail`] is set.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use serde::{Deserialize, Serialize};

use crate::error::DeadlineError;

/// When a deadline falls: a whole day, or a moment in a named time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum EventTime {
    AllDay { date: Date },
    Timed { at: DateTime, time_zone: String },
}

/// A reminder shown `minutes_before` the start of the event (an all-day event starts
/// at midnight, so 1440 is "the day before, at midnight").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alarm {
    pub minutes_before: u32,
}

/// One deadline to export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedDeadline {
    /// Stable id of the deadline; the UID is `<id>@mandate`, so a re-import updates
    /// the existing calendar entry.
    pub id: String,
    pub matter_number: String,
    /// The kind of deadline ("Answer to complaint"): not privileged.
    pub kind: String,
    /// Free-text title; may name the client, so treated as private.
    pub title: String,
    pub when: EventTime,
    /// Raised each time the deadline is recomputed.
    pub sequence: u32,
    pub citation: Option<String>,
    /// Client name, strategy: only exported with `include_private_detail`.
    pub private_detail: Option<String>,
    pub alarms: Vec<Alarm>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportOptions {
    /// The DTSTAMP of every event: when the export was made (passed in to keep the
    /// function pure).
    pub dtstamp: Timestamp,
    pub include_private_detail: bool,
    /// X-WR-CALNAME, shown by most clients as the calendar's name.
    pub calendar_name: Option<String>,
}

pub const PRODID: &str = "-//Mandate//Mandate deadlines//EN";

/// Renders the deadlines as one VCALENDAR.
pub fn to_ical(
    deadlines: &[ExportedDeadline],
    opts: &ExportOptions,
) -> Result<String, DeadlineError> {
    let mut out = Writer::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line(&format!("PRODID:{PRODID}"));
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    if let Some(name) = &opts.calendar_name {
        out.line(&format!("X-WR-CALNAME:{}", escape_text(name)));
    }

    // One VTIMEZONE per TZID used (RFC 5545 3.2.19), covering the events' instants.
    let mut zones: BTreeMap<&str, (TimeZone, Vec<Timestamp>)> = BTreeMap::new();
    for d in deadlines {
        validate(d)?;
        if let EventTime::Timed { at, time_zone } = &d.when {
            let tz = TimeZone::get(time_zone).map_err(|_| DeadlineError::UnknownTimeZone {
                name: time_zone.clone(),
            })?;
            let ts = tz
                .to_timestamp(*at)
                .map_err(|e| invalid(d, &e.to_string()))?;
            zones
                .entry(time_zone)
                .or_insert_with(|| (tz, Vec::new()))
                .1
                .push(ts);
        }
    }
    for (name, (tz, instants)) in &zones {
        write_vtimezone(&mut out, name, tz, instants);
    }

    let dtstamp = utc_stamp(opts.dtstamp);
    for d in deadlines {
        let summary = if opts.include_private_detail && !d.title.trim().is_empty() {
            format!("{}: {}", d.matter_number, d.title)
        } else {
            format!("{}: {}", d.matter_number, d.kind)
        };
        let mut description = format!("Matter {}. Deadline: {}.", d.matter_number, d.kind);
        if let Some(c) = &d.citation {
            description.push_str(&format!(" Rule: {c}."));
        }
        if opts.include_private_detail {
            if !d.title.trim().is_empty() {
                description.push_str(&format!("\n{}", d.title));
            }
            if let Some(p) = &d.private_detail {
                description.push_str(&format!("\n{p}"));
            }
        }
        description.push_str("\nVerify the computation in Mandate before relying on it.");

        out.line("BEGIN:VEVENT");
        out.line(&format!("UID:{}@mandate", escape_text(&d.id)));
        out.line(&format!("DTSTAMP:{dtstamp}"));
        out.line(&format!("SEQUENCE:{}", d.sequence));
        match &d.when {
            EventTime::AllDay { date } => {
                let next = date.tomorrow().map_err(|e| invalid(d, &e.to_string()))?;
                out.line(&format!("DTSTART;VALUE=DATE:{}", ical_date(*date)));
                out.line(&format!("DTEND;VALUE=DATE:{}", ical_date(next)));
            }
            EventTime::Timed { at, time_zone } => {
                // No DTEND: a deadline is an instant (RFC 5545 3.6.1, zero duration).
                out.line(&format!("DTSTART;TZID={time_zone}:{}", ical_datetime(*at)));
            }
        }
        out.line(&format!("SUMMARY:{}", escape_text(&summary)));
        out.line(&format!("DESCRIPTION:{}", escape_text(&description)));
        out.line("TRANSP:TRANSPARENT");
        out.line("CATEGORIES:Deadline");
        for alarm in &d.alarms {
            out.line("BEGIN:VALARM");
            out.line("ACTION:DISPLAY");
            out.line(&format!(
                "TRIGGER:{}",
                trigger_duration(alarm.minutes_before)
            ));
            out.line(&format!(
                "DESCRIPTION:{}",
                escape_text(&format!("Reminder: {summary}"))
            ));
            out.line("END:VALARM");
        }
        out.line("END:VEVENT");
    }
    out.line("END:VCALENDAR");
    Ok(out.text)
}

fn invalid(d: &ExportedDeadline, message: &str) -> DeadlineError {
    DeadlineError::InvalidEvent {
        id: d.id.clone(),
        message: message.to_string(),
    }
}

fn validate(d: &ExportedDeadline) -> Result<(), DeadlineError> {
    if d.id.trim().is_empty() || d.id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(
            d,
            "the id must be non-empty with no spaces or control characters; use the deadline's stable id",
        ));
    }
    if let EventTime::Timed { time_zone, .. } = &d.when
        && time_zone
            .chars()
            .any(|c| matches!(c, ';' | ':' | '"' | ',') || c.is_control())
    {
        return Err(invalid(
            d,
            "the time zone must be an IANA name such as America/New_York",
        ));
    }
    Ok(())
}

/// Accumulates content lines, folding each at 75 octets (RFC 5545 3.1).
#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    fn line(&mut self, content: &str) {
        const LIMIT: usize = 75;
        let mut octets = 0;
        for ch in content.chars() {
            let len = ch.len_utf8();
            if octets + len > LIMIT {
                // The continuation's leading space counts toward its 75 octets.
                self.text.push_str("\r\n ");
                octets = 1;
            }
            self.text.push(ch);
            octets += len;
        }
        self.text.push_str("\r\n");
    }
}

/// TEXT escaping (RFC 5545 3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn ical_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn ical_datetime(dt: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        ical_date(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

fn utc_stamp(ts: Timestamp) -> String {
    format!("{}Z", ical_datetime(TimeZone::UTC.to_datetime(ts)))
}

fn ical_offset(o: Offset) -> String {
    let secs = o.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// "-P1D", "-PT2H", "-P1DT2H30M": a negative duration relative to the start.
fn trigger_duration(minutes_before: u32) -> String {
    if minutes_before == 0 {
        return "PT0M".to_string();
    }
    let (d, rem) = (minutes_before / 1440, minutes_before % 1440);
    let (h, m) = (rem / 60, rem % 60);
    let mut s = String::from("-P");
    if d > 0 {
        s.push_str(&format!("{d}D"));
    }
    if h > 0 || m > 0 {
        s.push('T');
        if h > 0 {
            s.push_str(&format!("{h}H"));
        }
        if m > 0 {
            s.push_str(&format!("{m}M"));
        }
    }
    s
}

/// A VTIMEZONE listing the observances in force from the first to the last instant,
/// as individual (non-recurring) STANDARD/DAYLIGHT sub-components.
fn write_vtimezone(out: &mut Writer, name: &str, tz: &TimeZone, instants: &[Timestamp]) {
    let (Some(first), Some(last)) = (instants.iter().min(), instants.iter().max()) else {
        return;
    };
    out.line("BEGIN:VTIMEZONE");
    out.line(&format!("TZID:{name}"));
    let mut transitions: Vec<_> = tz.preceding(*first).take(1).collect();
    transitions.extend(tz.following(*first).take_while(|t| t.timestamp() <= *last));
    if transitions.is_empty() {
        // A zone without transitions: one observance, with a conventional start.
        let offset = tz.to_offset(*first);
        out.line("BEGIN:STANDARD");
        out.line("DTSTART:19700101T000000");
        out.line(&format!("TZOFFSETFROM:{}", ical_offset(offset)));
        out.line(&format!("TZOFFSETTO:{}", ical_offset(offset)));
        out.line("END:STANDARD");
    }
    for t in transitions {
        let before = t
            .timestamp()
            .checked_sub(jiff::SignedDuration::from_secs(1))
            .map_or(t.offset(), |ts| tz.to_offset(ts));
        let kind = if t.dst().is_dst() {
            "DAYLIGHT"
        } else {
            "STANDARD"
        };
        // DTSTART is the local time of the onset using the offset in force before it.
        let local = before.to_datetime(t.timestamp());
        out.line(&format!("BEGIN:{kind}"));
        out.line(&format!("DTSTART:{}", ical_datetime(local)));
        out.line(&format!("TZOFFSETFROM:{}", ical_offset(before)));
        out.line(&format!("TZOFFSETTO:{}", ical_offset(t.offset())));
        if !t.abbreviation().is_empty() {
            out.line(&format!("TZNAME:{}", escape_text(t.abbreviation())));
        }
        out.line(&format!("END:{kind}"));
    }
    out.line("END:VTIMEZONE");
}

#[cfg(test)]
mod tests;
