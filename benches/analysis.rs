//! Criterion: the analysis core on a 20,000-line file. Parse-only is the baseline the other
//! figures are read against, measured in the same run.

use criterion::{criterion_group, criterion_main, Criterion};
use pymastery::analysis::Analyzer;
use pymastery::syntax;
use std::sync::Arc;

#[path = "corpus.rs"]
mod corpus;

fn bench(c: &mut Criterion) {
    let text = corpus::python_file(20_000);
    let mut g = c.benchmark_group("20k_lines");
    g.sample_size(20);
    g.bench_function("parse_only_whole_file", |b| {
        b.iter(|| syntax::parse_file(&text).is_ok())
    });
    g.bench_function("segment_only", |b| b.iter(|| syntax::segment(&text).len()));
    g.bench_function("line_index_only", |b| {
        b.iter(|| pymastery::document::LineIndex::new(&text).line_count())
    });
    g.bench_function("analyze_cold", |b| {
        b.iter(|| {
            Analyzer::default()
                .analyze(Arc::from(text.as_str()), (3, 12))
                .findings
                .len()
        })
    });
    // One character typed inside a function: only that block is parsed and checked again.
    let (line, col) = corpus::line_inside_function(&text, 0.5);
    let at = text.lines().take(line).map(|l| l.len() + 1).sum::<usize>() + col;
    let mut edited = text.clone();
    edited.insert(at, ' ');
    let mut warm = Analyzer::default();
    warm.analyze(Arc::from(text.as_str()), (3, 12));
    let versions = [
        Arc::<str>::from(edited.as_str()),
        Arc::<str>::from(text.as_str()),
    ];
    let mut i = 0;
    g.bench_function("reanalyze_after_one_char_edit", |b| {
        b.iter(|| {
            i += 1;
            warm.analyze(versions[i % 2].clone(), (3, 12)).fresh_blocks
        })
    });
    // The same, typed at the top level: what every edit costs apart from the edited block.
    let at_top = text.find("\nimport ").map_or(0, |i| i + 1);
    let mut edited_top = text.clone();
    edited_top.insert(at_top, ' ');
    let top = [
        Arc::<str>::from(edited_top.as_str()),
        Arc::<str>::from(text.as_str()),
    ];
    g.bench_function("reanalyze_after_top_level_edit", |b| {
        b.iter(|| {
            i += 1;
            warm.analyze(top[i % 2].clone(), (3, 12)).fresh_blocks
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
