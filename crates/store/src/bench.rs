//! The store benchmark behind `mandate bench store`.
//!
//! It runs on a fresh store in its own temporary folder, with the key in memory
//! ([`MemoryVault`]), so it needs no OS keyring and never touches the person's
//! store. Every figure comes with a baseline measured in the same run on the same
//! machine (the machines are shared and noisy, so an absolute time alone means
//! little): raw rusqlite doing the same work, without Mandate's code around it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use mandate_core::{MatterCursor, MatterFilter, MatterSort, MatterStatus, Result};
use rand::{Rng as _, SeedableRng, rngs::StdRng};
use rusqlite::params;
use serde::Serialize;

use crate::{
    MemoryVault, Store, StoreKey,
    db::{self, Ctx},
    generate::{self, INSERT_MATTER, INSERT_MESSAGE},
    io_error,
    matters::{COLUMNS, ListSql},
    migrate,
    search::fts_query,
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
/// Pages read one after another by following `next`, as a person scrolling does.
const PAGES_PER_WALK: usize = 5;
/// Texts typed into the global message search: common, rare, prefix, several words.
const SEARCH_QUERIES: &[&str] = &[
    "deposition",
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
    pub rows: u64,
    pub seconds: f64,
    pub rows_per_s: f64,
    /// Raw rusqlite: the same rows, same schema and pragmas, one transaction.
    pub baseline_rows_per_s: f64,
    /// rows_per_s / baseline_rows_per_s.
    pub ratio: f64,
    pub goal_min_ratio: f64,
    pub goal_met: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct LatencyFigures {
    pub runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    /// The same query as raw SQL on the same connection.
    pub baseline_p50_ms: f64,
    pub baseline_p95_ms: f64,
    /// p50_ms / baseline_p50_ms.
    pub ratio: f64,
    pub goal_p95_ms: f64,
    /// Only for search: the highest acceptable ratio.
    pub goal_max_ratio: Option<f64>,
    pub goal_met: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SizeFigures {
    /// Every file of the store (database, WAL, shared memory, store.json), after a
    /// WAL checkpoint.
    pub bytes: u64,
    /// The same rows written by raw rusqlite (same schema, checkpointed too).
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

    note("baseline: the same rows through raw rusqlite…");
    let (raw_secs, raw_bytes) = raw_import(&raw_dir, opts.matters, opts.messages)?;

    store
        .conn
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .ctx("checkpoint the store")?;
    // Measured before the providers and work orders below, which the baseline
    // database does not hold.
    let bytes = dir_size(&store_dir);

    note("providers and work orders for the provider filter…");
    store.bench_assignments(opts.matters)?;
    note("matter list pages…");
    let list = store.bench_list(opts.matters, opts.runs)?;
    note("global search…");
    let search = store.bench_search(opts.runs)?;

    let sqlite_version = store
        .conn
        .query_row("SELECT sqlite_version() || ' (SQLCipher ' || (SELECT cipher_version FROM pragma_cipher_version) || ')'", [], |r| r.get(0))
        .unwrap_or_else(|_| rusqlite::version().to_owned());
    drop(store);

    let rows_per_s = total as f64 / gen_secs.max(1e-9);
    let baseline_rows_per_s = total as f64 / raw_secs.max(1e-9);
    let ratio = rows_per_s / baseline_rows_per_s.max(1e-9);
    let import = ImportFigures {
        rows: total,
        seconds: gen_secs,
        rows_per_s,
        baseline_rows_per_s,
        ratio,
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
            baseline_bytes: raw_bytes,
            ratio: bytes as f64 / (raw_bytes as f64).max(1.0),
        },
        memory: MemoryFigures {
            peak_bytes: peak_memory_bytes(),
            baseline_peak_bytes,
        },
        all_goals_met,
    })
}

impl Store {
    /// [`BENCH_PROVIDERS`] providers, and a work order on every
    /// [`BENCH_ASSIGNED_EVERY`]th matter to one of them, written as plain rows in
    /// one transaction (not timed).
    pub(crate) fn bench_assignments(&mut self, matters: u64) -> Result<()> {
        let now = db::now_rfc3339();
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
    /// window's does), half from deep in the list. Every page is timed, and the same
    /// SQL is timed through raw rusqlite right after it.
    fn bench_list(&self, matters: u64, runs: usize) -> Result<LatencyFigures> {
        let mut rng = StdRng::seed_from_u64(42);
        let sorts = [
            MatterSort::OpenedDesc,
            MatterSort::Number,
            MatterSort::Title,
            MatterSort::Client,
        ];
        let (mut ours, mut raw) = (Vec::new(), Vec::new());
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
                    filter.provider_id = Some(format!(
                        "bench-provider-{}",
                        rng.random_range(0..BENCH_PROVIDERS)
                    ));
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
                let t = Instant::now();
                let page = self.list_matters(&filter)?;
                ours.push(t.elapsed());

                // Raw: the same page's SQL through rusqlite on the same connection,
                // without the count and without reading rows into `Matter`.
                let sql = ListSql::new(&MatterFilter {
                    count: Some(false),
                    ..filter.clone()
                })?;
                let (text, args) = sql.page(COLUMNS, PAGE + 1, 0);
                let t = Instant::now();
                let mut stmt = self.conn.prepare_cached(&text).ctx("bench")?;
                let n = stmt
                    .query_map(rusqlite::params_from_iter(args), |r| r.get::<_, String>(0))
                    .ctx("bench")?
                    .count();
                raw.push(t.elapsed());
                std::hint::black_box(n);

                std::hint::black_box(&page.items);
                match page.next {
                    Some(n) => filter.after = Some(n),
                    None => break,
                }
            }
        }
        Ok(latency(ours, raw, GOAL_LIST_P95_MS, None))
    }

    /// Global search (Ctrl+K: matters, parties, providers, messages and documents)
    /// against a raw FTS5 MATCH of the same terms over the messages, returning the
    /// same rows (the newest `SEARCH_LIMIT` hits).
    fn bench_search(&self, runs: usize) -> Result<LatencyFigures> {
        let (mut ours, mut raw) = (Vec::new(), Vec::new());
        for i in 0..runs {
            let typed = SEARCH_QUERIES[i % SEARCH_QUERIES.len()];
            let t = Instant::now();
            let hits = self.search(typed, SEARCH_LIMIT)?;
            ours.push(t.elapsed());
            std::hint::black_box(hits);

            let Some(q) = fts_query(typed) else { continue };
            let t = Instant::now();
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT rowid FROM message_fts WHERE message_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2",
                )
                .ctx("bench")?;
            let n = stmt
                .query_map(params![q, SEARCH_LIMIT], |r| r.get::<_, i64>(0))
                .ctx("bench")?
                .count();
            raw.push(t.elapsed());
            std::hint::black_box(n);
        }
        Ok(latency(
            ours,
            raw,
            GOAL_SEARCH_P95_MS,
            Some(GOAL_SEARCH_RATIO),
        ))
    }
}

/// The generator's rows written by raw rusqlite into a database with the same key
/// kind, pragmas and schema, in one transaction. Only the inserts are timed: the
/// rows are made beforehand, in chunks, so the text generation is not counted.
/// Returns (seconds, bytes on disk).
fn raw_import(dir: &Path, matters: u64, messages: u64) -> Result<(f64, u64)> {
    let path = dir.join("raw.db");
    let mut conn = db::open_encrypted(&path, &StoreKey::generate())?;
    migrate::run(&mut conn)?;
    let now = db::now_rfc3339();
    let mut timed = Duration::ZERO;
    let tx = conn.transaction().ctx("baseline")?;
    {
        let mut m_stmt = tx.prepare(INSERT_MATTER).ctx("baseline")?;
        let mut start = 1;
        while start <= matters {
            let end = (start + generate::BATCH - 1).min(matters);
            let rows: Vec<_> = (start..=end).map(generate::matter_row).collect();
            let t = Instant::now();
            for m in &rows {
                m_stmt
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
                    .ctx("baseline")?;
            }
            timed += t.elapsed();
            start = end + 1;
        }
        let mut g_stmt = tx.prepare(INSERT_MESSAGE).ctx("baseline")?;
        let mut start = 1;
        while start <= messages {
            let end = (start + generate::BATCH - 1).min(messages);
            let rows: Vec<_> = (start..=end)
                .map(|i| generate::message_row(i, matters))
                .collect();
            let t = Instant::now();
            for m in &rows {
                g_stmt
                    .execute(params![m.id, m.matter_id, m.author, m.sent_at, m.body, now])
                    .ctx("baseline")?;
            }
            timed += t.elapsed();
            start = end + 1;
        }
    }
    let t = Instant::now();
    tx.commit().ctx("baseline")?;
    timed += t.elapsed();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .ctx("baseline")?;
    drop(conn);
    Ok((timed.as_secs_f64(), dir_size(dir)))
}

fn latency(
    ours: Vec<Duration>,
    raw: Vec<Duration>,
    goal_p95_ms: f64,
    goal_max_ratio: Option<f64>,
) -> LatencyFigures {
    let runs = ours.len();
    let (p50, p95) = percentiles(ours);
    let (b50, b95) = percentiles(raw);
    let ratio = p50 / b50.max(1e-6);
    LatencyFigures {
        runs,
        p50_ms: p50,
        p95_ms: p95,
        baseline_p50_ms: b50,
        baseline_p95_ms: b95,
        ratio,
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

    #[test]
    fn a_small_benchmark_reports_positive_figures() {
        let r = bench_store(
            &BenchOptions {
                matters: 300,
                messages: 2_000,
                runs: 20,
            },
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(r.import.rows, 2_300);
        assert!(r.import.rows_per_s > 0.0 && r.import.baseline_rows_per_s > 0.0);
        assert!(r.list.p95_ms > 0.0 && r.search.p95_ms > 0.0);
        assert!(r.size.bytes > 0 && r.size.baseline_bytes > 0);
        assert_eq!(r.key_vault, "memory");
    }

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let d: Vec<_> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentiles(d), (50.0, 95.0));
    }
}
