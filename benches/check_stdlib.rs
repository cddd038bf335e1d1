//! `check` over the whole standard library: wall time and lines per second, against the time
//! to only segment and parse the same files in the same run; peak memory of the process.
//!
//! Run: `cargo bench --bench check_stdlib`.

#[path = "corpus.rs"]
mod corpus;

use pymastery::analysis::analyze_once;
use pymastery::syntax;
use rayon::prelude::*;
use std::time::Instant;

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let paths = corpus::python_files(&corpus::stdlib());
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let lines: usize = texts.iter().map(|t| t.lines().count()).sum();
    let best = |f: &dyn Fn() -> usize| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };
    let parse = best(&|| {
        texts
            .par_iter()
            .map(|t| {
                syntax::segment(t)
                    .iter()
                    .filter(|b| syntax::parse_block(&t[b.start..b.end]).is_ok())
                    .count()
            })
            .sum()
    });
    let full = best(&|| {
        texts
            .par_iter()
            .map(|t| analyze_once(t, (3, 12)).findings.len())
            .sum()
    });
    let bin = env!("CARGO_BIN_EXE_pymastery");
    let cli = best(&|| {
        let out = std::process::Command::new(bin)
            .arg("check")
            .arg(corpus::stdlib())
            .output();
        out.map_or(0, |o| o.stdout.len())
    });
    println!(
        "files: {}  lines: {lines}  threads: {}",
        texts.len(),
        rayon::current_num_threads()
    );
    println!("| measurement | seconds | lines/s | vs parse-only |");
    println!("|---|---|---|---|");
    println!(
        "| segment + parse only (in process) | {parse:.3} | {:.0} | 1.00 |",
        lines as f64 / parse
    );
    println!(
        "| analysis incl. rules (in process) | {full:.3} | {:.0} | {:.2} |",
        lines as f64 / full,
        full / parse
    );
    println!(
        "| `pymastery check` (whole CLI, wall) | {cli:.3} | {:.0} | {:.2} |",
        lines as f64 / cli,
        cli / parse
    );
    println!(
        "peak RSS of this process (all files in memory): {:.0} MiB",
        peak_rss_mib()
    );
}
