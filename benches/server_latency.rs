//! Latency harness: drives the real server over stdio and measures, per file size, the time
//! from sending a one-character edit inside a function to receiving the publishDiagnostics for
//! that version, and hover round trips. The floor is a trivial request's round trip measured
//! in the same run; every figure is also given as a ratio to it.
//!
//! Run: `cargo bench --bench server_latency` (prints a Markdown table).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "corpus.rs"]
mod corpus;

use common::Client;
use serde_json::json;
use std::time::{Duration, Instant};

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (
        ms(v[v.len() / 2]),
        ms(v[(v.len() * 95 / 100).min(v.len() - 1)]),
    )
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo test --benches` asks for a list; nothing to list.
    }
    let (mut c, _) = Client::start(common::utf16_caps());
    // Floor: a request that does no analysis.
    c.open("file:///bench/tiny.py", "x = 1\n");
    c.diagnostics("file:///bench/tiny.py", 0);
    let mut floor = Vec::new();
    for _ in 0..300 {
        let t = Instant::now();
        c.request(
            "pymastery/documentText",
            json!({ "uri": "file:///bench/tiny.py" }),
        );
        floor.push(t.elapsed());
    }
    let (floor_med, floor_p95) = stats(floor);
    println!("| measurement | lines | median ms | p95 ms | p95 / floor p95 |");
    println!("|---|---|---|---|---|");
    println!("| floor: trivial request round trip | 1 | {floor_med:.3} | {floor_p95:.3} | 1.0 |");

    for lines in [2_000usize, 20_000, 100_000] {
        let text = corpus::python_file(lines);
        let real_lines = text.lines().count();
        let uri = format!("file:///bench/f{lines}.py");
        let t = Instant::now();
        c.open(&uri, &text);
        c.diagnostics(&uri, 0);
        let open_ms = t.elapsed().as_secs_f64() * 1000.0;
        let (line, col) = corpus::line_inside_function(&text, 0.5);
        let mut lat = Vec::new();
        for v in 1..=200i64 {
            let change = if v % 2 == 1 {
                json!([{ "range": { "start": { "line": line, "character": col }, "end": { "line": line, "character": col } }, "text": " " }])
            } else {
                json!([{ "range": { "start": { "line": line, "character": col }, "end": { "line": line, "character": col + 1 } }, "text": "" }])
            };
            let t = Instant::now();
            c.change(&uri, v, change);
            c.diagnostics(&uri, v);
            lat.push(t.elapsed());
        }
        let (med, p95) = stats(lat);
        println!("| first analysis (didOpen to diagnostics) | {real_lines} | {open_ms:.1} | | |");
        println!(
            "| edit to publishDiagnostics | {real_lines} | {med:.3} | {p95:.3} | {:.1} |",
            p95 / floor_p95
        );

        if lines == 20_000 {
            let targets: Vec<(usize, usize)> = text
                .lines()
                .enumerate()
                .filter_map(|(i, l)| l.find("def __").map(|c| (i, c + 5)))
                .take(100)
                .collect();
            let mut hov = Vec::new();
            let mut answered = 0;
            for _ in 0..3 {
                for &(l, ch) in &targets {
                    let t = Instant::now();
                    let h = c.hover(&uri, l as u32, ch as u32);
                    hov.push(t.elapsed());
                    // A few `def __` lines sit inside docstrings, where no hover is right.
                    answered += usize::from(!h.is_null());
                }
            }
            assert!(
                answered * 10 >= hov.len() * 8,
                "only {answered} of {} hovers answered",
                hov.len()
            );
            let (med, p95) = stats(hov);
            println!(
                "| hover on a dunder definition | {real_lines} | {med:.3} | {p95:.3} | {:.1} |",
                p95 / floor_p95
            );
        }
    }
}
