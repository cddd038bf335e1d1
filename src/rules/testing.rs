//! Helpers for the rules' own tests: run one rule on a snippet, apply its fix.

use super::Finding;
use crate::analysis::analyze_file_once;
use crate::syntax::FileRole;

/// Findings of `code` on `src`, checked for Python `target`.
pub fn findings(src: &str, code: &str, target: super::Version) -> Vec<Finding> {
    findings_in(src, code, target, FileRole::default())
}

/// `findings` for a file whose path gives it `role` (a package `__init__`, test code).
pub fn findings_in(src: &str, code: &str, target: super::Version, role: FileRole) -> Vec<Finding> {
    let snap = analyze_file_once(src, target, role);
    assert!(
        snap.findings.iter().all(|f| !f.is_syntax_error()),
        "test snippet does not parse: {:?}",
        snap.findings
    );
    snap.findings
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

/// Source text of each finding's range.
pub fn flagged<'a>(src: &'a str, found: &[Finding]) -> Vec<&'a str> {
    found.iter().map(|f| &src[f.start..f.end]).collect()
}

/// The text after applying the first finding's fix; asserts the result parses and that the
/// finding is gone from it.
pub fn fixed(src: &str, code: &str, target: super::Version) -> String {
    let found = findings(src, code, target);
    let fix = found
        .first()
        .and_then(|f| f.fix.clone())
        .expect("a finding with a fix");
    let out = fix.apply(src);
    let after = findings(&out, code, target);
    assert!(
        after.len() < found.len(),
        "fix did not remove the finding:\n{out}"
    );
    out
}
