//! The store benchmark behind `mandate bench store`.
//!
//! It runs on a fresh store in its own temporary folder, with the key in memory
//! ([`MemoryVault`]), so it needs no OS keyring and never touches the person's
//! store. Every figure comes with a baseline measured in the same run on the same
//! machine (the machines are shared and noisy, so an absolute time alone means
//! little). Each baseline does the work of the Mandate operation it is compared
//! with, through raw rusqlite and none of Mandate's code around the SQL, so a ratio
//! is Mandate's own cost:
//! - **import**: the same generated rows, made by the same functions inside the
//!   timed part (as the generator makes them), in the same 50,000-row transactions,
//!   with the same FTS5 rows (the schema's triggers), the same one audit record and
//!   the same planner statistics at the end. Left out is what is Mandate's own: the
//!   check for rows already there before each batch, `ON CONFLICT DO NOTHING`,
//!   progress and the audit head written beside the database.
//! - **list page**: the statements `list_matters` runs — the count when it counts,
//!   the page with its one extra row — with the same SQL text and values, every
//!   column read as a raw SQLite value; not read into a `Matter`, no cursor made.
//! - **global search**: the statements `Store::search` runs for every kind —
//!   parties (count and page) and the matters they are on, matters, providers (count
//!   and page), messages, documents — the same SQL and values, every column read raw;
//!   no snippets cut or marked, no structs.
//!
//! The statements' text is built before the baseline's clock starts. Both sides of
//! a timed pair run on equally warm caches: each page or search is first run once
//! untimed, then Mandate's and the baseline's are timed one after the other, taking
//! turns to go first. Each side also reports what it did, read back from the
//! database (rows stored, rows returned), so a run whose baseline did less than
//! Mandate shows it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mandate_core::{MatterCursor, MatterFilter, MatterSort, MatterStatus, Result, SearchResults};
use rand::{Rng as _, SeedableRng, rngs::StdRng};
use rusqlite::{Connection, Params, params, types::Value};
use serde::Serialize;

use crate::{
    MemoryVault, SEARCH_MAX, Store, StoreKey, audit,
    db::{self, Ctx},
    documents,
    generate::{self, INSERT_MATTER, INSERT_MESSAGE},
    io_error,
    matters::{COLUMNS, ListSql},
    messages, migrate, parties, providers,
    search::fts_query,
    sql::{page_limit, to_json},
};

/// Goals (issue 3).
pub const GOAL_IMPORT_RATIO: f64 = 0.5;
pub const GOAL_LIST_P95_MS: f64 = 20.0;
pub const GOAL_SEARCH_P95_MS: f64 = 50.0;
pub const GOAL_SEARCH_RATIO: f64 = 3.0;

/// Texts typed into the matter list's search box.
const LIST_QUERIES: &[&str] = &["acme", "stark holdings", "G-0042", "litigation", "v. wayne"];
/// Beginnings of client names typed into the client filter.
const LIST_CLIENTS: &[&str] = &["Acme", "stark holdings", "Wayne", "tyrell corp", "Hooli"];
/// Courts chosen in the court filter.
const LIST_COURTS: &[&str] = &["S.D.N.Y.", "d. del.", "Fed. Cir.", "N.D. Cal."];
/// Providers made for the provider filter (the generator makes none), and the
/// share of matters that get a work order to one of them.
const BENCH_PROVIDERS: u64 = 20;
const BENCH_ASSIGNED_EVERY: u64 = 4;
/// The generator makes no parties or documents; so that global search finds
/// every kind, the benchmark adds a party on every [`BENCH_PARTY_EVERY`]th matter
/// and a one-version text document on every [`BENCH_DOCUMENT_EVERY`]th.
const BENCH_PARTY_EVERY: u64 = 20;
const BENCH_DOCUMENT_EVERY: u64 = 100;
/// Generated messages whose bodies make up one document's text.
const BENCH_DOCUMENT_MESSAGES: u64 = 5;
/// Pages read one after another by following `next`, as a person scrolling does.
const PAGES_PER_WALK: usize = 5;
/// Texts typed into the global search: common, rare, prefix, several words, a client.
const SEARCH_QUERIES: &[&str] = &[
    "deposition",
    "acme",
    "settlement",
    "markman",
    "zugzwang",
    "depos",
    "privilege log",
    "subpoena witness",
    "motion deadline extension",
    "\"escrow\" -closing",
    "gdpr breach notification",
];
const PAGE: u32 = 50;
const SEARCH_LIMIT: u32 = 20;

#[derive(Debug, Clone, Serialize)]
pub struct BenchOptions {
    pub matters: u64,
    pub messages: u64,
    /// Runs of each timed query.
    pub runs: usize,
}

impl Default for BenchOptions {
    fn default() -> Self {
        Self {
            matters: 100_000,
            messages: 1_000_000,
            runs: 200,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// Where the key was kept: always "memory" (the OS keyring is not used).
    pub key_vault: String,
    pub matters: u64,
    pub messages: u64,
    pub sqlite_version: String,
    pub import: ImportFigures,
    pub list: LatencyFigures,
    pub search: LatencyFigures,
    pub size: SizeFigures,
    pub memory: MemoryFigures,
    /// Whether every goal below was met.
    pub all_goals_met: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportFigures {
    /// What Mandate's figure measures.
    pub label: String,
    /// What the baseline's figure measures.
    pub baseline_label: String,
    /// Rows asked for (matters + messages).
    pub rows: u64,
    /// Mandate's time for them: `Store::generate`, start to end.
    pub seconds: f64,
    pub rows_per_s: f64,
    /// The baseline's time for the same rows.
    pub baseline_seconds: f64,
    pub baseline_rows_per_s: f64,
    /// rows_per_s / baseline_rows_per_s.
    pub ratio: f64,
    /// What Mandate's store holds after the import, counted in it.
    pub stored: StoredRows,
    /// What the baseline's database holds after its import, counted in it.
    pub baseline_stored: StoredRows,
    pub goal_min_ratio: f64,
    pub goal_met: bool,
}

/// Rows of a database after an import, counted with SQL.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StoredRows {
    pub matters: u64,
    pub messages: u64,
    /// Rows in the matters' and the messages' full-text indexes (one per row
    /// indexed: their `_docsize` tables).
    pub matters_indexed: u64,
    pub messages_indexed: u64,
    /// `store.generate` audit records.
    pub audit_records: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LatencyFigures {
    /// What Mandate's figure measures.
    pub label: String,
    /// What the baseline's figure measures.
    pub baseline_label: String,
    /// Timed runs of Mandate's operation, and of the baseline.
    pub runs: usize,
    pub baseline_runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub baseline_p50_ms: f64,
    pub baseline_p95_ms: f64,
    /// p50_ms / baseline_p50_ms.
    pub ratio: f64,
    /// Rows the timed runs returned, over all runs: list, the matters on the pages;
    /// search, every hit (matters, parties and their matters, providers, messages,
    /// documents).
    pub rows: u64,
    pub baseline_rows: u64,
    /// Only for the list: the matches counted by the pages that count (first pages),
    /// summed.
    pub counted: Option<u64>,
    pub baseline_counted: Option<u64>,
    /// Only for search: `rows` by kind.
    pub hits: Option<SearchHits>,
    pub baseline_hits: Option<SearchHits>,
    pub goal_p95_ms: f64,
    /// Only for search: the highest acceptable ratio.
    pub goal_max_ratio: Option<f64>,
    pub goal_met: bool,
}

/// Hits of global search by kind, summed over the runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SearchHits {
    pub matters: u64,
    pub parties: u64,
    /// The matters the parties found are on.
    pub party_links: u64,
    pub providers: u64,
    pub messages: u64,
    pub documents: u64,
}

impl SearchHits {
    pub fn total(&self) -> u64 {
        self.matters
            + self.parties
            + self.party_links
            + self.providers
            + self.messages
            + self.documents
    }

    fn add(&mut self, o: &SearchHits) {
        self.matters += o.matters;
        self.parties += o.parties;
        self.party_links += o.party_links;
        self.providers += o.providers;
        self.messages += o.messages;
        self.documents += o.documents;
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SizeFigures {
    /// Every file of the store (database, WAL, shared memory, store.json), after a
    /// WAL checkpoint.
    pub bytes: u64,
    /// The baseline's database after its import (checkpointed too).
    pub baseline_bytes: u64,
    pub ratio: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MemoryFigures {
    /// Peak resident memory of the whole process (VmHWM), when the figures were taken.
    pub peak_bytes: Option<u64>,
    /// Peak resident memory before generation started (the process at rest).
    pub baseline_peak_bytes: Option<u64>,
}

const IMPORT_LABEL: &str = "Store::generate: makes the rows and writes them in 50,000-row transactions with \
     their FTS5 rows, one audit record and planner statistics, plus its own work: a check for rows already there \
     before each batch, ON CONFLICT DO NOTHING, progress, the audit head file";
const IMPORT_BASELINE_LABEL: &str = "raw rusqlite into a new database with the same schema, pragmas and kind of \
     key: the same rows made by the same functions inside the timing, inserted in the same transactions, with the \
     same FTS5 rows (triggers), one audit record and the same ANALYZE";
const LIST_LABEL: &str = "list_matters: a 50-row page (the count on first pages), rows read into matters, the \
     next cursor made";
const LIST_BASELINE_LABEL: &str = "the same statements (the count when counted, the page of 51) with the same \
     values on the same connection, every column read as a raw value";
const SEARCH_LABEL: &str = "Store::search(q, 20): matters, parties and the matters they are on, providers, \
     messages, documents, with snippets";
const SEARCH_BASELINE_LABEL: &str = "the same statements for every kind (the party and provider counts too) \
     with the same values on the same connection, every column read as a raw value, no snippets";

/// Removes the benchmark's folder, whatever happens.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs the benchmark on a fresh store in a new temporary folder, removed after.
/// `note` is told what is happening (for a progress line).
pub fn bench_store(opts: &BenchOptions, note: &mut dyn FnMut(&str)) -> Result<BenchReport> {
    let tmp = TempDir(std::env::temp_dir().join(format!("mandate-bench-{}", uuid::Uuid::now_v7())));
    let store_dir = tmp.0.join("store");
    let raw_dir = tmp.0.join("baseline");
    std::fs::create_dir_all(&raw_dir).map_err(|e| io_error(&raw_dir, &e))?;
    let baseline_peak_bytes = peak_memory_bytes();

    let vault = MemoryVault::default();
    let mut store = Store::open(&store_dir, &vault)?;
    let total = opts.matters + opts.messages;

    note(&format!(
        "generating {} matters and {} messages…",
        opts.matters, opts.messages
    ));
    let started = Instant::now();
    store.generate(opts.matters, opts.messages, &mut |_, _| {})?;
    let gen_secs = started.elapsed().as_secs_f64();
    let stored = stored_rows(&store.conn)?;

    note(
        "baseline: the same rows, transactions, audit record and statistics through raw rusqlite…",
    );
    let raw = raw_import(&raw_dir, opts.matters, opts.messages)?;

    store
        .conn
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .ctx("checkpoint the store")?;
    // Measured before the providers and work orders below, which the baseline
    // database does not hold.
    let bytes = dir_size(&store_dir);

    note("providers and work orders for the provider filter, parties and documents for search…");
    store.bench_practice_rows(opts.matters)?;
    note("matter list pages, each beside the same statements through raw rusqlite…");
    let list = store.bench_list(opts.matters, opts.runs)?;
    note("global search, beside the same statements through raw rusqlite…");
    let search = store.bench_search(opts.runs)?;

    let sqlite_version = store
        .conn
        .query_row("SELECT sqlite_version() || ' (SQLCipher ' || (SELECT cipher_version FROM pragma_cipher_version) || ')'", [], |r| r.get(0))
        .unwrap_or_else(|_| rusqlite::version().to_owned());
    drop(store);

    let rows_per_s = total as f64 / gen_secs.max(1e-9);
    let baseline_rows_per_s = total as f64 / raw.seconds.max(1e-9);
    let ratio = rows_per_s / baseline_rows_per_s.max(1e-9);
    let import = ImportFigures {
        label: IMPORT_LABEL.into(),
        baseline_label: IMPORT_BASELINE_LABEL.into(),
        rows: total,
        seconds: gen_secs,
        rows_per_s,
        baseline_seconds: raw.seconds,
        baseline_rows_per_s,
        ratio,
        stored,
        baseline_stored: raw.stored,
        goal_min_ratio: GOAL_IMPORT_RATIO,
        goal_met: ratio >= GOAL_IMPORT_RATIO,
    };
    let all_goals_met = import.goal_met && list.goal_met && search.goal_met;
    Ok(BenchReport {
        key_vault: "memory".into(),
        matters: opts.matters,
        messages: opts.messages,
        sqlite_version,
        import,
        list,
        search,
        size: SizeFigures {
            bytes,
            baseline_bytes: raw.bytes,
            ratio: bytes as f64 / (raw.bytes as f64).max(1.0),
        },
        memory: MemoryFigures {
            peak_bytes: peak_memory_bytes(),
            baseline_peak_bytes,
        },
        all_goals_met,
    })
}

/// What an import left in a database, counted there.
fn stored_rows(conn: &Connection) -> Result<StoredRows> {
    let count = |sql: &str| -> Result<u64> {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .ctx("count the rows")
            .map(|n| u64::try_from(n).unwrap_or_default())
    };
    Ok(StoredRows {
        matters: count("SELECT count(*) FROM matter")?,
        messages: count("SELECT count(*) FROM message")?,
        matters_indexed: count("SELECT count(*) FROM matter_fts_docsize")?,
        messages_indexed: count("SELECT count(*) FROM message_fts_docsize")?,
        audit_records: count("SELECT count(*) FROM audit WHERE action = 'store.generate'")?,
    })
}

/// Runs `f` and how long it took.
fn timed<T>(f: impl FnOnce() -> Result<T>) -> Result<(Duration, T)> {
    let t = Instant::now();
    let out = f()?;
    Ok((t.elapsed(), out))
}

/// One timed pair on equally warm caches: `warm` runs first, untimed (it runs the
/// same statements, so both sides find the same pages cached and the same
/// statements prepared), then `ours` and `base` one after the other, `base` first
/// when `base_first` (callers take turns).
fn timed_pair<A, B>(
    base_first: bool,
    warm: impl FnOnce() -> Result<()>,
    ours: impl FnOnce() -> Result<A>,
    base: impl FnOnce() -> Result<B>,
) -> Result<((Duration, A), (Duration, B))> {
    warm()?;
    if base_first {
        let b = timed(base)?;
        Ok((timed(ours)?, b))
    } else {
        let a = timed(ours)?;
        Ok((a, timed(base)?))
    }
}

/// Runs `sql` (prepared through the connection's statement cache, as Mandate's
/// queries are) and steps through its rows, reading every column of each row as a
/// raw SQLite value (the least a caller must do to use the rows) and handing each
/// row to `keep`; stops when `keep` returns false. Returns the rows read.
fn read_raw<P: Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    mut keep: impl FnMut(&[Value]) -> bool,
) -> Result<u64> {
    let mut stmt = conn.prepare_cached(sql).ctx("baseline")?;
    let n = stmt.column_count();
    let mut rows = stmt.query(params).ctx("baseline")?;
    let mut read = 0;
    while let Some(row) = rows.next().ctx("baseline")? {
        let values = (0..n)
            .map(|i| row.get::<_, Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()
            .ctx("baseline")?;
        read += 1;
        if !keep(&values) {
            break;
        }
    }
    Ok(read)
}

/// A matter list page's statements, as `list_matters` runs them for `filter`.
struct RawListPage {
    /// The count's SQL and values, when the page counts.
    count: Option<(String, Vec<Value>)>,
    page: (String, Vec<Value>),
    limit: u32,
}

impl RawListPage {
    fn new(filter: &MatterFilter) -> Result<Self> {
        let sql = ListSql::new(filter)?;
        let limit = filter.effective_limit();
        Ok(Self {
            count: filter
                .wants_count()
                .then(|| (sql.count(), sql.filter_args.clone())),
            page: sql.page(COLUMNS, limit + 1, filter.offset.unwrap_or(0)),
            limit,
        })
    }

    /// Runs them; returns (rows on the page, the count if counted).
    fn run(&self, conn: &Connection) -> Result<(u64, Option<u64>)> {
        let total = match &self.count {
            Some((text, args)) => {
                let n: i64 = conn
                    .prepare_cached(text)
                    .ctx("baseline")?
                    .query_row(rusqlite::params_from_iter(args), |r| r.get(0))
                    .ctx("baseline")?;
                Some(u64::try_from(n).unwrap_or_default())
            }
            None => None,
        };
        let rows = read_raw(
            conn,
            &self.page.0,
            rusqlite::params_from_iter(&self.page.1),
            |_| true,
        )?;
        Ok((rows.min(u64::from(self.limit)), total))
    }
}

/// The statements of `Store::search(typed, per_kind)`, their text built once.
struct RawSearch {
    party_count: String,
    party_page: String,
    party_links: String,
    provider_count: String,
    provider_page: String,
}

impl RawSearch {
    fn new() -> Self {
        let (party_count, party_page) = parties::list_sql();
        let (provider_count, provider_page) = providers::list_sql();
        Self {
            party_count,
            party_page,
            party_links: parties::links_sql(),
            provider_count,
            provider_page,
        }
    }

    /// Runs them, in `Store::search`'s order and with its limits; returns the hits.
    /// `matters` is the matter list's statement for the same text (built before).
    fn run(
        &self,
        conn: &Connection,
        typed: &str,
        per_kind: u32,
        matters: &RawListPage,
    ) -> Result<SearchHits> {
        let Some(q) = fts_query(typed.trim()) else {
            return Ok(SearchHits::default());
        };
        let no_filter: Option<&str> = None;
        let page = page_limit(Some(per_kind));
        // Parties: the count (which search does not show) and the page.
        let _: i64 = conn
            .query_row(&self.party_count, params![no_filter, q], |r| r.get(0))
            .ctx("baseline")?;
        let mut party_ids = Vec::new();
        let parties = read_raw(
            conn,
            &self.party_page,
            params![no_filter, q, page, 0],
            |row| {
                if let Value::Text(id) = &row[0] {
                    party_ids.push(id.clone());
                }
                true
            },
        )?;
        let (matters, _) = matters.run(conn)?;
        let links = read_raw(conn, &self.party_links, [to_json(&party_ids)], |_| true)?;
        let _: i64 = conn
            .query_row(&self.provider_count, params![q, no_filter], |r| r.get(0))
            .ctx("baseline")?;
        let providers = read_raw(
            conn,
            &self.provider_page,
            params![q, no_filter, page, 0],
            |_| true,
        )?;
        let limit = per_kind.clamp(1, SEARCH_MAX);
        let messages = read_raw(conn, messages::SEARCH_SQL, params![q, limit], |_| true)?;
        // Versions best first, the first of each document kept, up to the limit.
        let mut seen: Vec<Value> = Vec::new();
        read_raw(conn, documents::SEARCH_SQL, params![q, limit * 4], |row| {
            if !seen.contains(&row[0]) {
                seen.push(row[0].clone());
            }
            seen.len() < limit as usize
        })?;
        Ok(SearchHits {
            matters,
            parties,
            party_links: links,
            providers,
            messages,
            documents: seen.len() as u64,
        })
    }
}

/// The hits of a global search, by kind.
fn hits(r: &SearchResults) -> SearchHits {
    let n = |len: usize| len as u64;
    SearchHits {
        matters: n(r.matters.len()),
        parties: n(r.parties.len()),
        party_links: n(r.party_links.len()),
        providers: n(r.providers.len()),
        messages: n(r.messages.len()),
        documents: n(r.documents.len()),
    }
}

impl Store {
    /// Rows the generator does not make, written as plain rows in one transaction
    /// (not timed), after the size was measured:
    /// - [`BENCH_PROVIDERS`] providers, and a work order on every
    ///   [`BENCH_ASSIGNED_EVERY`]th matter to one of them (the provider filter);
    /// - on every [`BENCH_PARTY_EVERY`]th matter, an organisation named after two
    ///   words of a generated message (so typed legal words find some), linked as
    ///   a witness;
    /// - on every [`BENCH_DOCUMENT_EVERY`]th matter, a text document of one version
    ///   whose text is [`BENCH_DOCUMENT_MESSAGES`] generated message bodies (its
    ///   bytes stored as a blob, indexed by the schema's trigger).
    pub(crate) fn bench_practice_rows(&mut self, matters: u64) -> Result<()> {
        let now = self.clock.stamp();
        let tx = self.conn.transaction().ctx("bench")?;
        {
            let mut p = tx
                .prepare("INSERT INTO provider (id, legal_name, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)")
                .ctx("bench")?;
            for i in 0..BENCH_PROVIDERS {
                p.execute(params![
                    format!("bench-provider-{i}"),
                    format!("Bench Provider {i}"),
                    now
                ])
                .ctx("bench")?;
            }
            let mut a = tx
                .prepare(
                    "INSERT INTO assignment (id, matter_id, provider_id, scope, due_on, billing_mode,
                         supervising_attorney, created_at, updated_at)
                     VALUES (?1, ?2, ?3, 'Document review', '2026-12-01', 'cost', 'Dana Whitfield', ?4, ?4)",
                )
                .ctx("bench")?;
            let mut rng = StdRng::seed_from_u64(7);
            for k in (1..=matters).step_by(BENCH_ASSIGNED_EVERY as usize) {
                let provider = rng.random_range(0..BENCH_PROVIDERS);
                a.execute(params![
                    format!("bench-assignment-{k}"),
                    generate::matter_id(k),
                    format!("bench-provider-{provider}"),
                    now
                ])
                .ctx("bench")?;
            }

            let mut party = tx
                .prepare("INSERT INTO party (id, name, kind, created_at, updated_at) VALUES (?1, ?2, 'organisation', ?3, ?3)")
                .ctx("bench")?;
            let mut link = tx
                .prepare("INSERT INTO matter_party (id, matter_id, party_id, role, created_at, updated_at) VALUES (?1, ?2, ?3, 'witness', ?4, ?4)")
                .ctx("bench")?;
            for k in (1..=matters).step_by(BENCH_PARTY_EVERY as usize) {
                let body = generate::message_row(k, matters).body;
                let words: Vec<String> = body
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|w| w.len() > 4)
                    .take(2)
                    .map(|w| {
                        let mut cs = w.chars();
                        cs.next()
                            .map(|c| c.to_uppercase().chain(cs).collect())
                            .unwrap_or_default()
                    })
                    .collect();
                let id = format!("bench-party-{k}");
                party
                    .execute(params![id, format!("{} Group", words.join(" ")), now])
                    .ctx("bench")?;
                link.execute(params![
                    format!("bench-link-{k}"),
                    generate::matter_id(k),
                    id,
                    now
                ])
                .ctx("bench")?;
            }

            let mut document = tx
                .prepare("INSERT INTO document (id, matter_id, title, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)")
                .ctx("bench")?;
            let mut version = tx
                .prepare(
                    "INSERT INTO document_version (id, document_id, version, file_name, media_type, size, sha256,
                         text, text_status, added_by, added_at)
                     VALUES (?1, ?2, 1, ?3, 'text/plain', ?4, ?5, ?6, 'text', 'bench', ?7)",
                )
                .ctx("bench")?;
            for k in (1..=matters).step_by(BENCH_DOCUMENT_EVERY as usize) {
                let text = (0..BENCH_DOCUMENT_MESSAGES)
                    .map(|i| generate::message_row(k * BENCH_DOCUMENT_MESSAGES + i, matters).body)
                    .collect::<Vec<_>>()
                    .join("\n\n");
                let sha = crate::sha256_hex(text.as_bytes());
                let size = text.len() as i64;
                crate::blobs::put(&tx, &sha, text.as_bytes())?;
                let id = format!("bench-document-{k}");
                document
                    .execute(params![
                        id,
                        generate::matter_id(k),
                        format!("Bench note {k}"),
                        now
                    ])
                    .ctx("bench")?;
                version
                    .execute(params![
                        format!("bench-version-{k}"),
                        id,
                        format!("bench-note-{k}.txt"),
                        size,
                        sha,
                        text,
                        now
                    ])
                    .ctx("bench")?;
            }
        }
        tx.commit().ctx("bench")?;
        // As the window would on its next start.
        db::optimize(&self.conn);
        Ok(())
    }

    /// Pages of the matter list, as the window asks for them: 50 rows, sorted by
    /// each column in turn, filtered by status, client, court, provider or typed
    /// text (and combinations), walking [`PAGES_PER_WALK`] pages through `next` —
    /// half the walks from the top (the first page counts the matches, as the
    /// window's does), half from deep in the list. Every page is timed beside the
    /// same statements through raw rusqlite ([`RawListPage`]), on equally warm
    /// caches ([`timed_pair`]).
    fn bench_list(&self, matters: u64, runs: usize) -> Result<LatencyFigures> {
        let mut rng = StdRng::seed_from_u64(42);
        let sorts = [
            MatterSort::OpenedDesc,
            MatterSort::Number,
            MatterSort::Title,
            MatterSort::Client,
        ];
        let (mut ours, mut raw) = (Vec::new(), Vec::new());
        let (mut rows, mut raw_rows) = (0u64, 0u64);
        let (mut counted, mut raw_counted) = (0u64, 0u64);
        let mut walk = 0usize;
        while ours.len() < runs {
            let sort = sorts[walk % sorts.len()];
            let pick =
                |list: &[&str], rng: &mut StdRng| list[rng.random_range(0..list.len())].to_owned();
            let status = match rng.random_range(0..3) {
                0 => None,
                1 => Some(MatterStatus::Open),
                _ => Some(MatterStatus::Closed),
            };
            let mut filter = MatterFilter {
                status,
                sort,
                limit: Some(PAGE),
                ..Default::default()
            };
            match (walk / sorts.len()) % 6 {
                0 => {}
                1 => filter.client = Some(pick(LIST_CLIENTS, &mut rng)),
                2 => filter.court = Some(pick(LIST_COURTS, &mut rng)),
                3 => {
                    filter.provider_id = Some(
                        format!("bench-provider-{}", rng.random_range(0..BENCH_PROVIDERS)).into(),
                    );
                }
                4 => filter.query = Some(pick(LIST_QUERIES, &mut rng)),
                _ => {
                    filter.court = Some(pick(LIST_COURTS, &mut rng));
                    filter.client = Some(pick(LIST_CLIENTS, &mut rng));
                }
            }
            // Deep walks start just after a random matter, as if the person had
            // scrolled that far.
            if walk % 2 == 1 && matters > 0 {
                let m =
                    self.matter_by_number(&format!("G-{:06}", rng.random_range(1..=matters)))?;
                filter.after = Some(MatterCursor::after(sort, &m).encode());
            }
            walk += 1;
            for _ in 0..PAGES_PER_WALK {
                if ours.len() >= runs {
                    break;
                }
                let base = RawListPage::new(&filter)?;
                let ((t_ours, page), (t_raw, (n, total))) = timed_pair(
                    ours.len() % 2 == 1,
                    || self.list_matters(&filter).map(drop),
                    || self.list_matters(&filter),
                    || base.run(&self.conn),
                )?;
                ours.push(t_ours);
                raw.push(t_raw);
                rows += page.items.len() as u64;
                raw_rows += n;
                counted += page.total.unwrap_or(0);
                raw_counted += total.unwrap_or(0);
                match page.next {
                    Some(n) => filter.after = Some(n),
                    None => break,
                }
            }
        }
        let mut figures = latency(
            (LIST_LABEL, LIST_BASELINE_LABEL),
            (ours, rows),
            (raw, raw_rows),
            GOAL_LIST_P95_MS,
            None,
        );
        figures.counted = Some(counted);
        figures.baseline_counted = Some(raw_counted);
        Ok(figures)
    }

    /// Global search (Ctrl+K: matters, parties, providers, messages and documents)
    /// over [`SEARCH_QUERIES`], each run timed beside the same statements through raw
    /// rusqlite ([`RawSearch`]) on equally warm caches ([`timed_pair`]).
    fn bench_search(&self, runs: usize) -> Result<LatencyFigures> {
        let base = RawSearch::new();
        let (mut ours, mut raw) = (Vec::new(), Vec::new());
        let (mut found_hits, mut raw_hits) = (SearchHits::default(), SearchHits::default());
        for i in 0..runs {
            let typed = SEARCH_QUERIES[i % SEARCH_QUERIES.len()];
            // The matter list statement `search` runs for this text.
            let matters = RawListPage::new(&MatterFilter {
                query: Some(typed.trim().into()),
                limit: Some(SEARCH_LIMIT),
                count: Some(false),
                ..Default::default()
            })?;
            let ((t_ours, found), (t_raw, n)) = timed_pair(
                i % 2 == 1,
                || self.search(typed, SEARCH_LIMIT).map(drop),
                || self.search(typed, SEARCH_LIMIT),
                || base.run(&self.conn, typed, SEARCH_LIMIT, &matters),
            )?;
            ours.push(t_ours);
            raw.push(t_raw);
            found_hits.add(&hits(&found));
            raw_hits.add(&n);
        }
        let mut figures = latency(
            (SEARCH_LABEL, SEARCH_BASELINE_LABEL),
            (ours, found_hits.total()),
            (raw, raw_hits.total()),
            GOAL_SEARCH_P95_MS,
            Some(GOAL_SEARCH_RATIO),
        );
        figures.hits = Some(found_hits);
        figures.baseline_hits = Some(raw_hits);
        Ok(figures)
    }
}

/// What the baseline import did.
struct RawImport {
    seconds: f64,
    bytes: u64,
    stored: StoredRows,
}

/// The generator's work through raw rusqlite, into a new database with the same
/// kind of key, pragmas and schema: the same rows, made by the same functions
/// inside the timed part, inserted in the same [`generate::BATCH`]-row
/// transactions (the schema's triggers write the FTS5 rows), the same one audit
/// record in the first of them, and the same planner statistics at the end.
fn raw_import(dir: &Path, matters: u64, messages: u64) -> Result<RawImport> {
    let path = dir.join("raw.db");
    let mut conn = db::open_encrypted(&path, &StoreKey::generate())?;
    migrate::run(&mut conn)?;
    let started = Instant::now();
    let now = mandate_core::dates::format_instant(jiff::Timestamp::now());
    let mut audited = false;
    for (is_matter, count) in [(true, matters), (false, messages)] {
        let mut start = 1;
        while start <= count {
            let end = (start + generate::BATCH - 1).min(count);
            let tx = conn.transaction().ctx("baseline")?;
            if !audited {
                audit::append(
                    &tx,
                    "bench",
                    &now,
                    "store.generate",
                    "store",
                    "baseline",
                    &generate::audit_detail(matters, messages),
                )?;
                audited = true;
            }
            {
                let insert = if is_matter {
                    INSERT_MATTER
                } else {
                    INSERT_MESSAGE
                };
                let mut stmt = tx.prepare_cached(insert).ctx("baseline")?;
                for i in start..=end {
                    let written = if is_matter {
                        let m = generate::matter_row(i);
                        stmt.execute(params![
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
                    } else {
                        let m = generate::message_row(i, matters);
                        stmt.execute(params![m.id, m.matter_id, m.author, m.sent_at, m.body, now])
                    };
                    written.ctx("baseline")?;
                }
            }
            tx.commit().ctx("baseline")?;
            start = end + 1;
        }
    }
    db::optimize(&conn);
    let seconds = started.elapsed().as_secs_f64();
    let stored = stored_rows(&conn)?;
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .ctx("baseline")?;
    drop(conn);
    Ok(RawImport {
        seconds,
        bytes: dir_size(dir),
        stored,
    })
}

/// The figures of `ours` (times, rows returned) beside `raw`'s.
fn latency(
    (label, baseline_label): (&str, &str),
    (ours, rows): (Vec<Duration>, u64),
    (raw, baseline_rows): (Vec<Duration>, u64),
    goal_p95_ms: f64,
    goal_max_ratio: Option<f64>,
) -> LatencyFigures {
    let (runs, baseline_runs) = (ours.len(), raw.len());
    let (p50, p95) = percentiles(ours);
    let (b50, b95) = percentiles(raw);
    let ratio = p50 / b50.max(1e-6);
    LatencyFigures {
        label: label.into(),
        baseline_label: baseline_label.into(),
        runs,
        baseline_runs,
        p50_ms: p50,
        p95_ms: p95,
        baseline_p50_ms: b50,
        baseline_p95_ms: b95,
        ratio,
        rows,
        baseline_rows,
        counted: None,
        baseline_counted: None,
        hits: None,
        baseline_hits: None,
        goal_p95_ms,
        goal_max_ratio,
        goal_met: p95 <= goal_p95_ms && goal_max_ratio.is_none_or(|max| ratio <= max),
    }
}

/// (p50, p95) in milliseconds, nearest rank.
fn percentiles(mut d: Vec<Duration>) -> (f64, f64) {
    if d.is_empty() {
        return (0.0, 0.0);
    }
    d.sort();
    let at = |p: f64| {
        let i = ((p * d.len() as f64).ceil() as usize).clamp(1, d.len()) - 1;
        d[i].as_secs_f64() * 1000.0
    };
    (at(0.50), at(0.95))
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .filter(std::fs::Metadata::is_file)
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

/// Peak resident memory of this process (VmHWM in /proc/self/status), on Linux.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    /// Checks what a report says against what each side did, not against the
    /// options: a bench whose baseline wrote, read or counted less than Mandate, or
    /// that timed nothing, fails here.
    fn assert_measured(r: &BenchReport, matters: u64, messages: u64, runs: usize) {
        // Import: both databases hold every row asked for, indexed for search, and
        // the run's one audit record, counted in each database.
        let want = StoredRows {
            matters,
            messages,
            matters_indexed: matters,
            messages_indexed: messages,
            audit_records: 1,
        };
        assert_eq!(r.import.stored, want);
        assert_eq!(r.import.baseline_stored, want);
        let i = &r.import;
        assert!(i.seconds > 0.0 && i.baseline_seconds > 0.0, "{i:?}");
        let rows = (matters + messages) as f64;
        assert!(close(i.rows_per_s, rows / i.seconds), "{i:?}");
        assert!(
            close(i.baseline_rows_per_s, rows / i.baseline_seconds),
            "{i:?}"
        );
        assert!(
            close(i.ratio, i.rows_per_s / i.baseline_rows_per_s),
            "{i:?}"
        );
        assert_eq!(i.goal_met, i.ratio >= i.goal_min_ratio);

        // List and search: as many timed runs on each side, returning the same rows
        // (and, for the list, counting the same matches).
        for l in [&r.list, &r.search] {
            assert_eq!((l.runs, l.baseline_runs), (runs, runs), "{l:?}");
            assert!(l.rows > 0, "{l:?}");
            assert_eq!(l.rows, l.baseline_rows, "{l:?}");
            assert!(0.0 < l.p50_ms && l.p50_ms <= l.p95_ms, "{l:?}");
            assert!(
                0.0 < l.baseline_p50_ms && l.baseline_p50_ms <= l.baseline_p95_ms,
                "{l:?}"
            );
            assert!(close(l.ratio, l.p50_ms / l.baseline_p50_ms), "{l:?}");
            assert_eq!(
                l.goal_met,
                l.p95_ms <= l.goal_p95_ms && l.goal_max_ratio.is_none_or(|m| l.ratio <= m)
            );
        }
        assert!(r.list.counted.is_some_and(|n| n > 0), "{:?}", r.list);
        // Search found every kind but providers (no typed word names one), on both
        // sides alike.
        let h = r.search.hits.unwrap();
        assert_eq!(Some(h), r.search.baseline_hits);
        assert_eq!(h.total(), r.search.rows);
        for (kind, n) in [
            ("matters", h.matters),
            ("parties", h.parties),
            ("party links", h.party_links),
            ("messages", h.messages),
            ("documents", h.documents),
        ] {
            assert!(n > 0, "no {kind} found: {h:?}");
        }
        assert_eq!(r.list.counted, r.list.baseline_counted);
        // Every page is at most a page.
        assert!(r.list.rows <= runs as u64 * u64::from(PAGE));
        assert_eq!(
            r.all_goals_met,
            r.import.goal_met && r.list.goal_met && r.search.goal_met
        );

        // The same rows take about the same room.
        let s = &r.size;
        assert!(
            close(s.ratio, s.bytes as f64 / s.baseline_bytes as f64),
            "{s:?}"
        );
        assert!((0.8..1.25).contains(&s.ratio), "{s:?}");
        // Both taken from /proc. They are not compared: in a test binary other tests'
        // threads share the process, and the kernel updates VmHWM lazily, so a later
        // reading can come out below an earlier one (seen in CI).
        let m = &r.memory;
        assert!(
            m.peak_bytes.is_some_and(|b| b > 0) && m.baseline_peak_bytes.is_some_and(|b| b > 0),
            "{m:?}"
        );
    }

    #[test]
    fn a_small_benchmark_measures_the_same_work_on_both_sides() {
        let r = bench_store(
            &BenchOptions {
                matters: 300,
                messages: 2_000,
                runs: 20,
            },
            &mut |_| {},
        )
        .unwrap();
        assert_measured(&r, 300, 2_000, 20);
    }

    #[test]
    fn the_baselines_return_what_mandate_returns() {
        let dir = tempfile::TempDir::new().unwrap();
        let vault = MemoryVault::default();
        let mut store = Store::open(dir.path(), &vault).unwrap();
        store.generate(200, 1_500, &mut |_, _| {}).unwrap();
        store.bench_practice_rows(200).unwrap();
        // A party (with a link) and a document, so those kinds are not empty.
        let m = store.matter_by_number("G-000007").unwrap();
        let party = store
            .create_party(&mandate_core::PartyDraft {
                name: "Deposition Services Ltd".into(),
                kind: mandate_core::PartyKind::Organisation,
                aliases: Vec::new(),
            })
            .unwrap();
        store
            .link_party(&mandate_core::MatterPartyDraft {
                matter_id: m.id.clone(),
                party_id: party.id,
                role: mandate_core::PartyRole::Witness,
            })
            .unwrap();
        store
            .add_document(
                &mandate_core::DocumentUpload {
                    matter_id: m.id,
                    title: Some("Deposition outline".into()),
                    file_name: "outline.txt".into(),
                    ..Default::default()
                },
                b"Deposition of the settlement witness.",
            )
            .unwrap();

        let base = RawSearch::new();
        for typed in SEARCH_QUERIES
            .iter()
            .chain(&["deposition outline", "G-00001", " - "])
        {
            let found = store.search(typed, SEARCH_LIMIT).unwrap();
            let matters = RawListPage::new(&MatterFilter {
                query: Some(typed.trim().into()),
                limit: Some(SEARCH_LIMIT),
                count: Some(false),
                ..Default::default()
            })
            .unwrap();
            let n = base
                .run(&store.conn, typed, SEARCH_LIMIT, &matters)
                .unwrap();
            assert_eq!(n, hits(&found), "{typed:?}: {found:?}");
        }
        let found = store.search("deposition", SEARCH_LIMIT).unwrap();
        assert!(!found.parties.is_empty() && !found.party_links.is_empty());
        assert!(!found.documents.is_empty() && !found.messages.is_empty());

        for filter in [
            MatterFilter::default(),
            MatterFilter {
                client: Some("acme".into()),
                sort: MatterSort::Client,
                ..Default::default()
            },
            MatterFilter {
                provider_id: Some("bench-provider-3".into()),
                count: Some(false),
                ..Default::default()
            },
        ] {
            let page = store.list_matters(&filter).unwrap();
            let (n, total) = RawListPage::new(&filter).unwrap().run(&store.conn).unwrap();
            assert_eq!(n, page.items.len() as u64);
            assert_eq!(total, page.total);
        }
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let d: Vec<_> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentiles(d), (50.0, 95.0));
    }
}

/// What SQLCipher alone takes to keep and read back a file: the floor under any
/// exchange of documents while their bytes live in the encrypted database.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct FileFloor {
    pub write_secs: f64,
    pub read_secs: f64,
}

/// Writes `bytes` into a fresh store in `dir` (same key setup, pragmas and schema as
/// every store), as a receiver does — 1 MiB parts, committed in the receiver's
/// groups ([`crate::blobs::PARTS_PER_COMMIT`]) — then
/// reads them back a part at a time, hashing nothing: raw rusqlite on the store's
/// connection, none of Mandate's code around it.
pub fn file_floor(dir: &Path, bytes: &[u8]) -> Result<FileFloor> {
    let store = Store::open(dir, &MemoryVault::default())?;
    let conn = &store.conn;
    let started = Instant::now();
    {
        let mut insert = conn
            .prepare("INSERT INTO blob_part (parts, n, data) VALUES (-1, ?1, ?2)")
            .ctx("bench")?;
        let per_commit = crate::blobs::PARTS_PER_COMMIT as usize;
        for (group, parts) in bytes.chunks(per_commit * crate::blobs::PART).enumerate() {
            conn.execute_batch("BEGIN IMMEDIATE").ctx("bench")?;
            for (i, part) in parts.chunks(crate::blobs::PART).enumerate() {
                insert
                    .execute(params![(group * per_commit + i) as i64, part])
                    .ctx("bench")?;
            }
            conn.execute_batch("COMMIT").ctx("bench")?;
        }
    }
    let write_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut read = 0usize;
    {
        let mut select = conn
            .prepare("SELECT data FROM blob_part WHERE parts = -1 ORDER BY n")
            .ctx("bench")?;
        let mut rows = select.query([]).ctx("bench")?;
        while let Some(row) = rows.next().ctx("bench")? {
            read += row
                .get_ref(0)
                .ctx("bench")?
                .as_blob()
                .map_or(0, <[u8]>::len);
        }
    }
    let read_secs = started.elapsed().as_secs_f64();
    if read != bytes.len() {
        return Err(mandate_core::Error::internal(format!(
            "the floor read back {read} of {} bytes",
            bytes.len()
        )));
    }
    Ok(FileFloor {
        write_secs,
        read_secs,
    })
}
