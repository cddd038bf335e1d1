//! `pymastery check`: the analysis over files and folders, in parallel, for CI.

pub mod output;
mod walk;

pub use output::Format;

use crate::analysis;
use crate::config::Settings;
use crate::document::LineIndex;
use crate::rules::{self, selection::Selection, Finding};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A finding with where it is, ready to print.
#[derive(Debug, Clone)]
pub struct Located {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
    pub finding: Finding,
}

#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Located>,
    /// How many fixes were applied (`--fix`) or would be (`--diff`).
    pub fixed: usize,
    /// Unified diffs of what `--diff` would change, one per file, in path order.
    pub diffs: Vec<String>,
    /// Files that could not be checked, with a one-line reason.
    pub errors: Vec<(PathBuf, String)>,
    pub files: usize,
}

/// What `check` does with fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FixMode {
    /// Report only.
    #[default]
    Report,
    /// Write the fixed files, then report what is left.
    Apply,
    /// Print what would change; write nothing.
    Diff,
}

pub struct Options {
    pub paths: Vec<PathBuf>,
    pub cli: Selection,
    pub fix: FixMode,
    /// Unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
}

/// One file's outcome.
struct FileResult {
    findings: Vec<Located>,
    fixed: usize,
    diff: Option<String>,
}

/// Settings for each pyproject.toml met, read once.
struct SettingsCache {
    cli: Selection,
    by_file: Mutex<HashMap<PathBuf, Result<Arc<Settings>, String>>>,
}

impl SettingsCache {
    fn for_path(&self, path: &Path) -> Result<Arc<Settings>, String> {
        let key = crate::config::find_pyproject(path).unwrap_or_default();
        let mut map = self
            .by_file
            .lock()
            .map_err(|_| "settings cache poisoned".to_string())?;
        let entry = map.entry(key.clone()).or_insert_with(|| {
            let base = if key.as_os_str().is_empty() {
                Ok(Settings::default())
            } else {
                Settings::discover(path)
            };
            base.map(|mut s| {
                s.selection = s.selection.overridden_by(&self.cli);
                Arc::new(s)
            })
        });
        entry.clone()
    }
}

pub fn check_text(text: &str, settings: &Settings, path: Option<&Path>) -> Vec<Finding> {
    let role = path.map(|p| settings.file_role(p)).unwrap_or_default();
    let snap = analysis::analyze_file_once(text, settings.target, role);
    snap.visible(settings, path)
}

fn locate(path: &Path, text: &str, findings: Vec<Finding>) -> Vec<Located> {
    let lines = LineIndex::new(text);
    findings
        .into_iter()
        .map(|f| {
            let (line, col) = lines.line_col(text, f.start);
            let (end_line, end_col) = lines.line_col(text, f.end);
            Located {
                path: path.to_path_buf(),
                line,
                col,
                end_line,
                end_col,
                finding: f,
            }
        })
        .collect()
}

fn unified_diff(path: &Path, before: &str, after: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&name, &name)
        .to_string()
}

fn check_file(path: &Path, cache: &SettingsCache, opts: &Options) -> Result<FileResult, String> {
    let settings = cache.for_path(path)?;
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    if opts.fix == FixMode::Report {
        let findings = check_text(&text, &settings, Some(path));
        return Ok(FileResult {
            findings: locate(path, &text, findings),
            fixed: 0,
            diff: None,
        });
    }
    let (fixed_text, fixed) = analysis::fixes::fix_all(&text, opts.unsafe_fixes, 10, |t| {
        check_text(t, &settings, Some(path))
    });
    if fixed == 0 {
        let findings = check_text(&text, &settings, Some(path));
        return Ok(FileResult {
            findings: locate(path, &text, findings),
            fixed: 0,
            diff: None,
        });
    }
    match opts.fix {
        FixMode::Diff => {
            let findings = check_text(&text, &settings, Some(path));
            let diff = Some(unified_diff(path, &text, &fixed_text));
            Ok(FileResult {
                findings: locate(path, &text, findings),
                fixed,
                diff,
            })
        }
        _ => {
            std::fs::write(path, &fixed_text)
                .map_err(|e| format!("cannot write the fixes: {e}"))?;
            let left = check_text(&fixed_text, &settings, Some(path));
            Ok(FileResult {
                findings: locate(path, &fixed_text, left),
                fixed,
                diff: None,
            })
        }
    }
}

pub fn run(opts: &Options) -> Result<Report, String> {
    let cache = SettingsCache {
        cli: opts.cli.clone(),
        by_file: Mutex::new(HashMap::new()),
    };
    let codes: Vec<&str> = rules::all().iter().map(|r| r.code()).collect();
    let unknown = opts.cli.unknown(&codes);
    if let Some(bad) = unknown.first() {
        return Err(format!(
            "unknown rule code or prefix `{bad}` (see `pymastery rules`)"
        ));
    }
    let (files, mut errors) = walk::python_files(&opts.paths, |p| {
        cache.for_path(p).map(|s| s.is_excluded(p)).unwrap_or(false)
    });
    let results: Vec<(PathBuf, Result<FileResult, String>)> = files
        .par_iter()
        .map(|p| (p.clone(), check_file(p, &cache, opts)))
        .collect();
    let mut report = Report {
        files: files.len(),
        ..Report::default()
    };
    for (path, r) in results {
        match r {
            Ok(r) => {
                report.findings.extend(r.findings);
                report.fixed += r.fixed;
                report.diffs.extend(r.diff);
            }
            Err(e) => errors.push((path, e)),
        }
    }
    report.findings.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.finding.code).cmp(&(&b.path, b.line, b.col, b.finding.code))
    });
    errors.sort();
    report.errors = errors;
    Ok(report)
}
