//! Scale data: a store filled with realistic, reproducible matters and messages, for
//! benchmarks and for trying the app at the size of a real firm.
//!
//! Every row is a pure function of its index and [`SEED`]: matter `k` is always
//! number `G-00000k` with the same id, title and client; message `k` always has the
//! same id, matter, author and body. That makes generation
//! - **resumable and idempotent**: rows are written in index order, in batched
//!   transactions, with `ON CONFLICT (id) DO NOTHING`; a batch whose last row already
//!   exists is skipped whole (rows before it were committed earlier, in order), so a
//!   run killed with `kill -9` leaves a consistent store with a prefix of the rows, and
//!   running again continues where it stopped, never duplicating;
//! - **comparable**: two benchmark runs measure the same data.
//!
//! Ids are UUID v7 whose timestamp grows with the index, so each insert appends to
//! the primary-key B-tree instead of landing at a random page.

use mandate_core::{Error, ErrorCode, Result};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::json;

use crate::{
    Store, audit,
    db::{Ctx, is_unique_violation},
};

/// The seed of all generated data. Changing it changes every id: old generated rows
/// would then be neither skipped nor replaced, so it never changes.
pub const SEED: u64 = 0x4d41_4e44_4154_4531; // "MANDATE1"
/// Rows per transaction: large enough that commits cost little, small enough that a
/// killed run loses at most a few seconds of work.
pub const BATCH: u64 = 50_000;
/// How often (in rows) the progress callback is told.
const PROGRESS_EVERY: u64 = 5_000;
/// Timestamps of generated ids and dates start here (2020-01-01T00:00:00Z), so the
/// data does not depend on the clock.
const EPOCH_MS: u64 = 1_577_836_800_000;
const DAY_MS: u64 = 86_400_000;

/// What one generation run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct GenerateReport {
    /// Matters written by this run (the others were already there).
    pub matters_inserted: u64,
    /// Messages written by this run.
    pub messages_inserted: u64,
}

/// SplitMix64: tiny, fast, and fixed forever, unlike a library RNG whose stream may
/// change between versions (which would change every generated id).
struct Rng(u64);

impl Rng {
    /// The stream for row `index` of table `table`.
    fn for_row(table: u64, index: u64) -> Self {
        let mut r = Rng(SEED ^ table.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.0 ^= index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        // Multiply-shift: unbiased enough for test data, and no division.
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len() as u64) as usize]
    }

    /// Skewed toward the front of the list, as word use is: the first words are
    /// common, the last rare.
    fn pick_skewed<'a>(&mut self, list: &[&'a str]) -> &'a str {
        let n = list.len() as u64;
        let a = self.below(n);
        let b = self.below(n);
        list[a.min(b) as usize]
    }
}

const MATTER_TABLE: u64 = 1;
const MESSAGE_TABLE: u64 = 2;

fn uuid_v7(ms: u64, rng: &mut Rng) -> String {
    let mut rand = [0u8; 10];
    rand[..8].copy_from_slice(&rng.next().to_le_bytes());
    rand[8..].copy_from_slice(&rng.next().to_le_bytes()[..2]);
    uuid::Builder::from_unix_timestamp_millis(ms, &rand)
        .into_uuid()
        .to_string()
}

/// The date a generated matter was opened, as days after [`EPOCH_MS`].
fn matter_opened_day(index: u64) -> u64 {
    // About six years of matters, spread evenly and then shuffled a little.
    (index * 7 / 3 + Rng::for_row(MATTER_TABLE, index).below(30)) % 2190
}

fn ymd(ms: u64) -> jiff::Timestamp {
    jiff::Timestamp::from_second((ms / 1000) as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// One generated matter (`index` from 1).
#[derive(Debug, Clone)]
pub(crate) struct MatterRow {
    pub id: String,
    pub number: String,
    pub title: String,
    pub client_name: String,
    pub practice_area: &'static str,
    pub court: Option<&'static str>,
    pub jurisdiction: &'static str,
    pub status: &'static str,
    pub opened_on: String,
}

pub(crate) fn matter_id(index: u64) -> String {
    let mut rng = Rng::for_row(MATTER_TABLE, index);
    uuid_v7(EPOCH_MS + index, &mut rng)
}

pub(crate) fn matter_row(index: u64) -> MatterRow {
    let mut rng = Rng::for_row(MATTER_TABLE, index);
    let id = uuid_v7(EPOCH_MS + index, &mut rng);
    let client = format!("{} {}", rng.pick(CLIENT_STEMS), rng.pick(CLIENT_SUFFIXES));
    let other = format!("{} {}", rng.pick(CLIENT_STEMS), rng.pick(CLIENT_SUFFIXES));
    let practice = rng.below(PRACTICE.len() as u64) as usize;
    let title = match rng.below(4) {
        0 | 1 => format!("{client} v. {other}"),
        2 => format!("{} – {}", client, rng.pick(TRANSACTIONAL)),
        _ => format!("In re {} {}", rng.pick(CLIENT_STEMS), rng.pick(IN_RE)),
    };
    let litigation = practice < 4;
    let court = litigation.then(|| rng.pick(COURTS));
    let day = matter_opened_day(index);
    MatterRow {
        id,
        number: format!("G-{index:06}"),
        title,
        client_name: client,
        practice_area: PRACTICE[practice],
        court,
        jurisdiction: rng.pick(JURISDICTIONS),
        // Older matters are mostly closed.
        status: if day + rng.below(900) > 1900 {
            "open"
        } else {
            "closed"
        },
        opened_on: ymd(EPOCH_MS + day * DAY_MS)
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .date()
            .to_string(),
    }
}

/// One generated message (`index` from 1) on one of the first `matters` matters.
#[derive(Debug, Clone)]
pub(crate) struct MessageRow {
    pub id: String,
    pub matter_id: String,
    pub author: String,
    pub sent_at: String,
    pub body: String,
}

pub(crate) fn message_id(index: u64) -> String {
    let mut rng = Rng::for_row(MESSAGE_TABLE, index);
    uuid_v7(EPOCH_MS + index, &mut rng)
}

pub(crate) fn message_row(index: u64, matters: u64) -> MessageRow {
    let mut rng = Rng::for_row(MESSAGE_TABLE, index);
    let id = uuid_v7(EPOCH_MS + index, &mut rng);
    let matter = 1 + rng.below(matters.max(1));
    let day = matter_opened_day(matter) + rng.below(365);
    let sent_ms = EPOCH_MS + day * DAY_MS + rng.below(DAY_MS);
    let sent_at = mandate_core::dates::format_instant(ymd(sent_ms));
    let author = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
    let mut body = String::with_capacity(400);
    body.push_str(rng.pick(OPENERS));
    for _ in 0..1 + rng.below(4) {
        let words = 6 + rng.below(10);
        for w in 0..words {
            let word = rng.pick_skewed(WORDS);
            if w == 0 {
                body.push(' ');
                let mut cs = word.chars();
                if let Some(c) = cs.next() {
                    body.extend(c.to_uppercase());
                    body.push_str(cs.as_str());
                }
            } else {
                body.push(' ');
                body.push_str(word);
            }
        }
        body.push('.');
    }
    body.push(' ');
    body.push_str(rng.pick(CLOSINGS));
    MessageRow {
        id,
        matter_id: matter_id(matter),
        author,
        sent_at,
        body,
    }
}

pub(crate) const INSERT_MATTER: &str = "INSERT INTO matter (id, number, title, client_name, practice_area, court, jurisdiction, status, opened_on, revision, created_at, updated_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, ?10, ?10)";
pub(crate) const INSERT_MESSAGE: &str =
    "INSERT INTO message (id, matter_id, author, sent_at, body, revision, created_at)
     VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)";

/// The detail of a run's one `store.generate` audit record.
pub(crate) fn audit_detail(matters: u64, messages: u64) -> serde_json::Value {
    json!({
        "seed": format!("{SEED:#x}"),
        "matters": matters,
        "messages": messages,
        "numbers": if matters > 0 { format!("G-000001…G-{matters:06}") } else { String::new() },
    })
}

impl Store {
    /// Fills the store with `matters` generated matters (`G-000001`…) and `messages`
    /// generated messages spread over them, telling `progress(done, total)` as it
    /// goes. Rows already there (from an earlier or interrupted run) are kept and
    /// not written again.
    pub fn generate(
        &mut self,
        matters: u64,
        messages: u64,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<GenerateReport> {
        if messages > 0 && matters == 0 {
            return Err(Error::invalid(
                "matters",
                "Messages belong to matters: generate at least one matter.",
            ));
        }
        let total = matters + messages;
        let now = self.clock.stamp();
        let mut report = GenerateReport::default();
        let mut audited = false;
        let mut done = 0;
        progress(0, total);

        for (table, count) in [(MATTER_TABLE, matters), (MESSAGE_TABLE, messages)] {
            let mut start = 1;
            while start <= count {
                let end = (start + BATCH - 1).min(count);
                let last_id = if table == MATTER_TABLE {
                    matter_id(end)
                } else {
                    message_id(end)
                };
                let exists_sql = if table == MATTER_TABLE {
                    "SELECT 1 FROM matter WHERE id = ?1"
                } else {
                    "SELECT 1 FROM message WHERE id = ?1"
                };
                let there = self
                    .conn
                    .query_row(exists_sql, [&last_id], |_| Ok(()))
                    .optional()
                    .ctx("generate data")?
                    .is_some();
                if !there {
                    let tx = self.conn.transaction().ctx("generate data")?;
                    if !audited {
                        // ONE audit record per run, not one per row: a million records
                        // would double the run's work (each link reads the previous hash
                        // and hashes again), make `audit verify` walk a million links,
                        // and bury the firm's real history. The rows are synthetic and
                        // a pure function of (seed, counts), so this record describes
                        // every one of them. It is written in the same transaction as
                        // the run's first rows, so no generated row ever exists without
                        // the record that explains it, even after a kill -9.
                        audit::append(
                            &tx,
                            &self.actor,
                            &self.clock.stamp(),
                            "store.generate",
                            "store",
                            &self.store_id,
                            &audit_detail(matters, messages),
                        )?;
                        audited = true;
                    }
                    let mut tick = |i: u64| {
                        if (i - start) % PROGRESS_EVERY == PROGRESS_EVERY - 1 {
                            progress(done + i - start + 1, total);
                        }
                    };
                    let n = if table == MATTER_TABLE {
                        insert_matters(&tx, start, end, &now, &mut tick)?
                    } else {
                        insert_messages(&tx, start, end, matters, &now, &mut tick)?
                    };
                    tx.commit().ctx("generate data")?;
                    self.record_audit_head();
                    if table == MATTER_TABLE {
                        report.matters_inserted += n;
                    } else {
                        report.messages_inserted += n;
                    }
                }
                done += end - start + 1;
                progress(done, total);
                start = end + 1;
            }
        }
        // Statistics for the query planner, now that the tables are much larger.
        crate::db::optimize(&self.conn);
        Ok(report)
    }
}

fn insert_matters(
    tx: &Transaction<'_>,
    start: u64,
    end: u64,
    now: &str,
    tick: &mut dyn FnMut(u64),
) -> Result<u64> {
    let mut stmt = tx
        .prepare_cached(&format!("{INSERT_MATTER} ON CONFLICT (id) DO NOTHING"))
        .ctx("generate matters")?;
    let mut inserted = 0;
    for i in start..=end {
        let m = matter_row(i);
        inserted += stmt
            .execute(params![
                m.id,
                m.number,
                m.title,
                m.client_name,
                m.practice_area,
                m.court,
                m.jurisdiction,
                m.status,
                m.opened_on,
                now
            ])
            .map_err(|e| {
                if is_unique_violation(&e) {
                    // Only the number can clash: the id conflict is the DO NOTHING above.
                    Error::new(
                        ErrorCode::Duplicate,
                        format!(
                            "Matter number {} is already used by a matter that was not generated. \
                             Generate into a store without G- numbers.",
                            m.number
                        ),
                    )
                } else {
                    crate::db::map(e, "generate matters")
                }
            })? as u64;
        tick(i);
    }
    Ok(inserted)
}

fn insert_messages(
    tx: &Transaction<'_>,
    start: u64,
    end: u64,
    matters: u64,
    now: &str,
    tick: &mut dyn FnMut(u64),
) -> Result<u64> {
    let mut stmt = tx
        .prepare_cached(&format!("{INSERT_MESSAGE} ON CONFLICT (id) DO NOTHING"))
        .ctx("generate messages")?;
    let mut inserted = 0;
    for i in start..=end {
        let m = message_row(i, matters);
        inserted += stmt
            .execute(params![m.id, m.matter_id, m.author, m.sent_at, m.body, now])
            .ctx("generate messages")? as u64;
        tick(i);
    }
    Ok(inserted)
}

const CLIENT_STEMS: &[&str] = &[
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Wonka",
    "Gringotts",
    "Oceanic",
    "Pied Piper",
    "Monarch",
    "Dunder",
    "Bluth",
    "Sterling",
    "Prestige",
    "Massive Dynamic",
    "Aperture",
    "Black Mesa",
    "Nakatomi",
    "Weyland",
    "Oscorp",
    "Zorin",
    "Gekko",
    "Rekall",
    "Virtucon",
    "Halcyon",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Litware",
    "Tailspin",
    "Adatum",
    "Wingtip",
    "Proseware",
    "Lucerne",
    "Margie",
    "Fourth Coffee",
    "Alpine",
    "Coho",
    "Humongous",
    "Blue Yonder",
    "Trey",
    "Woodgrove",
];
const CLIENT_SUFFIXES: &[&str] = &[
    "Corp",
    "Inc.",
    "LLC",
    "Holdings",
    "Group",
    "GmbH",
    "Ltd",
    "Partners",
    "Industries",
    "Bank",
    "Capital",
    "Logistics",
    "Pharma",
    "Systems",
    "Foods",
    "Energy",
];
const TRANSACTIONAL: &[&str] = &[
    "share purchase",
    "asset acquisition",
    "credit facility",
    "joint venture",
    "licence agreement",
    "lease renewal",
    "employment review",
    "data protection audit",
    "merger control filing",
    "supply agreement",
    "restructuring",
    "bond issue",
];
const IN_RE: &[&str] = &[
    "Securities Litigation",
    "Antitrust Litigation",
    "Data Breach Litigation",
    "Bankruptcy",
    "Patent Litigation",
    "Product Liability Litigation",
];
const PRACTICE: &[&str] = &[
    "Litigation",
    "Intellectual Property",
    "Employment",
    "Antitrust",
    "Corporate",
    "Real Estate",
    "Banking",
    "Tax",
    "Data Protection",
];
const COURTS: &[&str] = &[
    "S.D.N.Y.",
    "D. Del.",
    "N.D. Cal.",
    "E.D. Tex.",
    "D.N.J.",
    "C.D. Cal.",
    "N.D. Ill.",
    "D. Mass.",
    "2d Cir.",
    "9th Cir.",
    "Fed. Cir.",
];
const JURISDICTIONS: &[&str] = &[
    "US-NY", "US-DE", "US-CA", "US-TX", "US-NJ", "US-IL", "US-MA", "US-FED",
];
const FIRST_NAMES: &[&str] = &[
    "Alice", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kemi", "Lars", "Maya", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tara", "Umar",
    "Vera", "Wen", "Ximena", "Yusuf", "Zoe",
];
const LAST_NAMES: &[&str] = &[
    "Abbott",
    "Becker",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zimmermann",
];
const OPENERS: &[&str] = &[
    "Dear colleagues,",
    "Hi all,",
    "Dear counsel,",
    "Following our call,",
    "Further to my email,",
    "Good morning,",
    "Please find attached the draft.",
    "Thank you for your letter.",
];
const CLOSINGS: &[&str] = &[
    "Best regards.",
    "Kind regards.",
    "Thanks.",
    "Please confirm by return.",
    "Let me know if you have questions.",
    "Speak soon.",
];
/// Common words first (see [`Rng::pick_skewed`]).
const WORDS: &[&str] = &[
    "the",
    "to",
    "of",
    "and",
    "we",
    "please",
    "draft",
    "review",
    "client",
    "court",
    "motion",
    "agreement",
    "deadline",
    "filing",
    "response",
    "counsel",
    "discovery",
    "hearing",
    "documents",
    "schedule",
    "call",
    "comments",
    "attached",
    "signature",
    "deposition",
    "settlement",
    "brief",
    "exhibit",
    "witness",
    "privilege",
    "production",
    "subpoena",
    "opposition",
    "reply",
    "order",
    "judge",
    "clerk",
    "stipulation",
    "extension",
    "conference",
    "mediation",
    "arbitration",
    "damages",
    "injunction",
    "complaint",
    "answer",
    "counterclaim",
    "amendment",
    "transcript",
    "invoice",
    "budget",
    "retainer",
    "engagement",
    "conflict",
    "check",
    "memo",
    "research",
    "precedent",
    "statute",
    "regulation",
    "compliance",
    "audit",
    "board",
    "minutes",
    "resolution",
    "shareholder",
    "warranty",
    "indemnity",
    "escrow",
    "closing",
    "diligence",
    "disclosure",
    "schedule",
    "consent",
    "waiver",
    "notice",
    "termination",
    "renewal",
    "license",
    "patent",
    "trademark",
    "copyright",
    "infringement",
    "validity",
    "claim",
    "construction",
    "markman",
    "expert",
    "report",
    "rebuttal",
    "daubert",
    "summary",
    "judgment",
    "appeal",
    "record",
    "mandate",
    "remand",
    "sanctions",
    "protective",
    "confidential",
    "redaction",
    "sealing",
    "jurisdiction",
    "venue",
    "transfer",
    "service",
    "process",
    "affidavit",
    "declaration",
    "verification",
    "interrogatories",
    "admissions",
    "custodian",
    "hold",
    "collection",
    "vendor",
    "translation",
    "cost",
    "estimate",
    "timeline",
    "milestone",
    "tomorrow",
    "monday",
    "friday",
    "urgent",
    "confirm",
    "circulate",
    "finalise",
    "execute",
    "negotiate",
    "escalate",
    "regulator",
    "inquiry",
    "investigation",
    "whistleblower",
    "employment",
    "severance",
    "bonus",
    "pension",
    "lease",
    "landlord",
    "tenant",
    "zoning",
    "permit",
    "environmental",
    "remediation",
    "insurance",
    "coverage",
    "reinsurance",
    "subrogation",
    "bankruptcy",
    "creditor",
    "trustee",
    "plan",
    "valuation",
    "tax",
    "ruling",
    "treaty",
    "withholding",
    "antitrust",
    "cartel",
    "leniency",
    "merger",
    "clearance",
    "gdpr",
    "breach",
    "notification",
    "encryption",
    "forensic",
    "ransomware",
    "quorum",
    "proxy",
    "tender",
    "covenant",
    "lender",
    "facility",
    "security",
    "guarantee",
    "collateral",
    "novation",
    "assignment",
    "force",
    "majeure",
    "frustration",
    "rescission",
    "estoppel",
    "laches",
    "limitation",
    "tolling",
    "equitable",
    "restitution",
    "fiduciary",
    "derivative",
    "whistle",
    "palimpsest",
    "quixotic",
    "zugzwang",
];
