//! Fix safety on real code no one here wrote: on every file of the standard library, each fix
//! (safe and unsafe, main and alternative) alone leaves code that parses and removes its finding, and fix-all applied
//! a second time changes nothing.
//!
//! `PYMASTERY_FIX_CODES=PM1001,PM1002 cargo test --test fixes_stdlib` checks only those codes'
//! fixes (fix-all still runs on every file that has one of them), for work on a few rules.

use pymastery::analysis::{analyze_once, fixes, Analyzer};
use pymastery::syntax;
use rayon::prelude::*;
use std::sync::Arc;

#[path = "support/stdlib.rs"]
mod support;

#[test]
fn every_fix_parses_and_removes_its_finding_and_fix_all_is_idempotent() {
    let root =
        support::stdlib().expect("python3 and its standard library are needed for this test");
    let paths = support::python_files(&root);
    let target = (3, 12);
    let only: Option<Vec<String>> = std::env::var("PYMASTERY_FIX_CODES")
        .ok()
        .map(|v| v.split(',').map(|c| c.trim().to_uppercase()).collect());
    let wanted = |code: &str| only.as_ref().is_none_or(|o| o.iter().any(|c| c == code));
    let problems: Vec<String> = paths
        .par_iter()
        .flat_map(|path| {
            let mut problems = Vec::new();
            let Ok(text) = std::fs::read_to_string(path) else {
                return problems;
            };
            if syntax::parse_file(&text).is_err() {
                return problems;
            }
            // Each fix is checked by re-analysing from this state, as the editor does: only the
            // blocks a fix touches are parsed again (incremental equals fresh analysis, see
            // `analysis::tests::incremental_equals_fresh`).
            let mut base = Analyzer::default();
            let findings = base.analyze(Arc::from(text.as_str()), target).findings;
            for (f, fix) in findings
                .iter()
                .filter(|f| wanted(f.code))
                .flat_map(|f| f.fix.iter().chain(&f.alternatives).map(move |x| (f, x)))
            {
                let after = fix.apply(&text);
                if let Err(e) = syntax::parse_file(&after) {
                    problems.push(format!(
                        "{}:{} {} fix breaks parsing: {}",
                        path.display(),
                        f.start,
                        f.code,
                        e.message
                    ));
                    continue;
                }
                let before_n = findings.iter().filter(|g| g.code == f.code).count();
                let after_n = base
                    .clone()
                    .analyze(Arc::from(after.as_str()), target)
                    .findings
                    .iter()
                    .filter(|g| g.code == f.code)
                    .count();
                if after_n >= before_n {
                    problems.push(format!(
                        "{}:{} {} fix leaves its finding",
                        path.display(),
                        f.start,
                        f.code
                    ));
                }
            }
            if !findings.iter().any(|f| f.fix.is_some() && wanted(f.code)) {
                return problems;
            }
            let all = |t: &str| analyze_once(t, target).findings;
            let (once, _) = fixes::fix_all(&text, true, 10, all);
            if syntax::parse_file(&once).is_err() {
                problems.push(format!("{}: fix-all breaks parsing", path.display()));
            }
            let (twice, n) = fixes::fix_all(&once, true, 10, all);
            if twice != once || n != 0 {
                problems.push(format!(
                    "{}: fix-all applied twice changes the text again",
                    path.display()
                ));
            }
            problems
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems[..problems.len().min(20)].join("\n")
    );
}
