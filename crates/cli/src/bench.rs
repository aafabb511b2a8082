//! `mandate generate` (scale data into the person's store) and `mandate bench store`
//! (figures on a fresh temporary store). Parsing and printing only: the work is in
//! `mandate_store`.

use std::io::Write;

use clap::Subcommand;
use mandate_store::{
    Store,
    bench::{BenchOptions, BenchReport, LatencyFigures, bench_store},
};

use crate::print_json;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Benchmark the store on a fresh temporary store (key in memory, no keyring).
    Store {
        /// Matters to generate.
        #[arg(long, default_value_t = 100_000)]
        matters: u64,
        /// Messages to generate.
        #[arg(long, default_value_t = 1_000_000)]
        messages: u64,
        /// Timed runs of each query.
        #[arg(long, default_value_t = 200)]
        runs: usize,
        #[arg(long)]
        json: bool,
    },
    /// Benchmark the exchange: a local relay and two fresh stores; small messages and
    /// one large document end to end, against transport-only and raw-age baselines.
    Sync {
        #[arg(long, default_value_t = 10_000)]
        messages: u64,
        #[arg(long, default_value_t = 256)]
        document_mib: u64,
        #[arg(long)]
        json: bool,
    },
}

/// Fills `store` with generated data, printing progress to stderr every 5%.
pub fn generate(store: &mut Store, matters: u64, messages: u64, json: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let mut last_step = u64::MAX;
    let report = store.generate(matters, messages, &mut |done, total| {
        let step = (done * 20).checked_div(total).unwrap_or(20);
        if step != last_step {
            last_step = step;
            eprint!("\rgenerating: {:>3}% ({done}/{total} rows)", step * 5);
            if done == total {
                eprintln!();
            }
            let _ = std::io::stderr().flush();
        }
    })?;
    let secs = started.elapsed().as_secs_f64();
    if json {
        print_json(&serde_json::json!({
            "matters_inserted": report.matters_inserted,
            "messages_inserted": report.messages_inserted,
            "seconds": secs,
        }))?;
    } else {
        println!(
            "Generated {} matters and {} messages in {secs:.1} s ({} matters and {} messages were already there).",
            report.matters_inserted,
            report.messages_inserted,
            matters - report.matters_inserted.min(matters),
            messages - report.messages_inserted.min(messages),
        );
    }
    Ok(())
}

/// Prints the figures. Exits 0 whether or not the goals are met: a benchmark on a
/// shared machine is not a pass/fail test (the table and the JSON say which were met).
pub fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    let (matters, messages, runs, json) = match cmd {
        BenchCommand::Store {
            matters,
            messages,
            runs,
            json,
        } => (matters, messages, runs, json),
        BenchCommand::Sync {
            messages,
            document_mib,
            json,
        } => {
            let report =
                crate::bench_sync::bench_sync(messages.max(1), document_mib.max(1), &mut |note| {
                    eprintln!("bench: {note}")
                })?;
            if json {
                print_json(&report)?;
            } else {
                crate::bench_sync::print(&report);
            }
            return Ok(());
        }
    };
    let opts = BenchOptions {
        matters,
        messages,
        runs: runs.max(1),
    };
    eprintln!(
        "bench: fresh temporary store, key kept in memory (MemoryVault): the OS keyring is not used."
    );
    let report = bench_store(&opts, &mut |note| eprintln!("bench: {note}"))?;
    if json {
        print_json(&report)?;
    } else {
        print_table(&report);
    }
    Ok(())
}

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT MET" }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
}

fn print_table(r: &BenchReport) {
    println!(
        "Store benchmark: {} matters, {} messages; {}; fresh temporary store, key in memory (no OS keyring).",
        r.matters, r.messages, r.sqlite_version
    );
    println!();
    println!(
        "{:<24} {:>16} {:>18} {:>8}  {:<18} result",
        "what", "figure", "baseline", "ratio", "goal"
    );
    let i = &r.import;
    println!(
        "{:<24} {:>12.0} r/s {:>14.0} r/s {:>8.2}  {:<18} {}",
        "bulk import",
        i.rows_per_s,
        i.baseline_rows_per_s,
        i.ratio,
        format!("ratio >= {}", i.goal_min_ratio),
        met(i.goal_met)
    );
    let row =
        |name: &str, which: &str, l: &LatencyFigures, p: fn(&LatencyFigures) -> (f64, f64)| {
            let (ours, base) = p(l);
            let goal = match (which, l.goal_max_ratio) {
                ("p95", Some(max)) => format!("<= {} ms, x{max}", l.goal_p95_ms),
                ("p95", None) => format!("<= {} ms", l.goal_p95_ms),
                _ => String::new(),
            };
            let ratio = if which == "p50" {
                format!("{:>8.2}", l.ratio)
            } else {
                format!("{:>8}", "")
            };
            let result = if which == "p95" { met(l.goal_met) } else { "" };
            println!(
                "{:<24} {:>13.2} ms {:>15.2} ms {ratio}  {goal:<18} {result}",
                format!("{name} {which}"),
                ours,
                base,
            );
        };
    row("matter list page", "p50", &r.list, |l| {
        (l.p50_ms, l.baseline_p50_ms)
    });
    row("matter list page", "p95", &r.list, |l| {
        (l.p95_ms, l.baseline_p95_ms)
    });
    row("global search", "p50", &r.search, |l| {
        (l.p50_ms, l.baseline_p50_ms)
    });
    row("global search", "p95", &r.search, |l| {
        (l.p95_ms, l.baseline_p95_ms)
    });
    println!(
        "{:<24} {:>16} {:>18} {:>8.2}",
        "size on disk",
        mib(r.size.bytes),
        mib(r.size.baseline_bytes),
        r.size.ratio
    );
    let opt = |b: Option<u64>| b.map_or_else(|| "n/a".to_owned(), mib);
    println!(
        "{:<24} {:>16} {:>18}",
        "peak memory (VmHWM)",
        opt(r.memory.peak_bytes),
        opt(r.memory.baseline_peak_bytes)
    );
    println!();
    println!(
        "What each side did, counted in its database: import, Mandate {} / baseline {} matters, {} / {} \
         messages, {} / {} and {} / {} rows in the full-text indexes, {} / {} audit records, in {:.1} / {:.1} s. \
         List: {} / {} pages, {} / {} rows, {} / {} matches counted. Search: {} / {} runs, {} / {} hits ({}).",
        i.stored.matters,
        i.baseline_stored.matters,
        i.stored.messages,
        i.baseline_stored.messages,
        i.stored.matters_indexed,
        i.baseline_stored.matters_indexed,
        i.stored.messages_indexed,
        i.baseline_stored.messages_indexed,
        i.stored.audit_records,
        i.baseline_stored.audit_records,
        i.seconds,
        i.baseline_seconds,
        r.list.runs,
        r.list.baseline_runs,
        r.list.rows,
        r.list.baseline_rows,
        r.list.counted.unwrap_or(0),
        r.list.baseline_counted.unwrap_or(0),
        r.search.runs,
        r.search.baseline_runs,
        r.search.rows,
        r.search.baseline_rows,
        match (r.search.hits, r.search.baseline_hits) {
            (Some(h), Some(b)) => format!(
                "matters {} / {}, parties {} / {}, their matters {} / {}, providers {} / {}, messages {} / {}, \
                 documents {} / {}",
                h.matters,
                b.matters,
                h.parties,
                b.parties,
                h.party_links,
                b.party_links,
                h.providers,
                b.providers,
                h.messages,
                b.messages,
                h.documents,
                b.documents
            ),
            _ => String::new(),
        },
    );
    println!();
    for (name, ours, base) in [
        ("bulk import", &i.label, &i.baseline_label),
        ("matter list page", &r.list.label, &r.list.baseline_label),
        ("global search", &r.search.label, &r.search.baseline_label),
    ] {
        println!("{name}: {ours}.\n  baseline: {base}.");
    }
    println!(
        "Both sides of each list page and search run on equally warm caches: the operation runs once untimed, \
         then Mandate's and the baseline's are timed one after the other, taking turns to go first. Before them the \
         bench adds what the generator does not make: 20 providers and a work order on every 4th matter (provider \
         filter), a party on every 20th and a text document on every 100th (search). Size: the store before those \
         rows, beside the baseline's database. Peak memory: the process now, beside before generating. List/search \
         ratios are p50 over p50."
    );
    println!(
        "All goals {}.",
        if r.all_goals_met { "met" } else { "NOT met" }
    );
}
