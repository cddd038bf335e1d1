//! Choosing and applying fixes in bulk: fix-all in the editor, `check --fix` on the command
//! line. Overlapping fixes are resolved by keeping the earliest; the rest wait for the next pass.

use crate::rules::{Edit, Finding, Safety};

/// Edits of the fixes to apply, in order, none overlapping another fix's edits. Unsafe fixes
/// only when asked.
pub fn compatible_edits(findings: &[Finding], unsafe_too: bool) -> Vec<Edit> {
    let mut fixes: Vec<&crate::rules::Fix> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|f| unsafe_too || f.safety == Safety::Safe)
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.start).min());
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    for fix in fixes {
        let clashes = fix.edits.iter().any(|e| {
            taken.iter().any(|&(s, t)| {
                (e.start < t && s < e.end) || (e.start == s && (e.start == e.end || s == t))
            })
        });
        if clashes {
            continue;
        }
        for e in &fix.edits {
            taken.push((e.start, e.end));
            out.push(e.clone());
        }
    }
    out.sort_by_key(|e| (e.start, e.end));
    out
}

/// Applies non-overlapping edits (as returned by `compatible_edits`).
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits {
        if e.start < at
            || e.end > text.len()
            || !text.is_char_boundary(e.start)
            || !text.is_char_boundary(e.end)
        {
            continue;
        }
        out.push_str(&text[at..e.start]);
        out.push_str(&e.text);
        at = e.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Applies fixes until none is left that applies, at most `passes` times; returns the new text
/// and how many fixes went in.
pub fn fix_all(
    text: &str,
    unsafe_too: bool,
    passes: usize,
    findings_of: impl Fn(&str) -> Vec<Finding>,
) -> (String, usize) {
    let mut current = text.to_string();
    let mut applied = 0;
    for _ in 0..passes {
        let findings = findings_of(&current);
        let edits = compatible_edits(&findings, unsafe_too);
        if edits.is_empty() {
            break;
        }
        let fixes_in_pass = findings
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .filter(|f| f.edits.iter().all(|e| edits.contains(e)))
            .count();
        let next = apply(&current, &edits);
        if next == current {
            break;
        }
        applied += fixes_in_pass;
        current = next;
    }
    (current, applied)
}
