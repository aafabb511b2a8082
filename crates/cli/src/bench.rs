//! `mandate generate` (scale data into the person's store) and `mandate bench store`
//! (figures on a fresh temporary store). Parsing and printing only: the work is in
//! `mandate_store`.

use std::io::Write;

use clap::Subcommand;
use mandate_store::{
    Store,
    bench::{BenchOptions, BenchReport, LatencyFigures, bench_store},
};

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
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "matters_inserted": report.matters_inserted,
                "messages_inserted": report.messages_inserted,
                "seconds": secs,
            }))?
        );
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
    let BenchCommand::Store {
        matters,
        messages,
        runs,
        json,
    } = cmd;
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
        println!("{}", serde_json::to_string_pretty(&report)?);
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
        "Import: {} rows in {:.1} s. List pages: 50 rows, each sort, filtered by status, client, court, provider or \
         text, read 5 at a time by following the cursor (half from the top, counting on the first page; half from deep \
         in the list). Baselines: raw rusqlite, same schema, pragmas and raw key, one transaction (import, size); the \
         same SQL on the same connection (list page without the count, FTS5 MATCH ... ORDER BY rowid DESC LIMIT 20, the rows global search returns for messages); peak memory \
         before generating. List/search ratios are p50 over p50. {} runs each.",
        i.rows, i.seconds, r.list.runs
    );
    println!(
        "All goals {}.",
        if r.all_goals_met { "met" } else { "NOT met" }
    );
}
