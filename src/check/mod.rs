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
    /// Files that could not be checked, with a one-line reason.
    pub errors: Vec<(PathBuf, String)>,
    pub files: usize,
}

pub struct Options {
    pub paths: Vec<PathBuf>,
    pub cli: Selection,
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
    let snap = analysis::analyze_once(text, settings.target);
    snap.visible(settings, path)
}

fn check_file(path: &Path, cache: &SettingsCache) -> Result<Vec<Located>, String> {
    let settings = cache.for_path(path)?;
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let findings = check_text(&text, &settings, Some(path));
    let lines = LineIndex::new(&text);
    Ok(findings
        .into_iter()
        .map(|f| {
            let (line, col) = lines.line_col(&text, f.start);
            let (end_line, end_col) = lines.line_col(&text, f.end);
            Located {
                path: path.to_path_buf(),
                line,
                col,
                end_line,
                end_col,
                finding: f,
            }
        })
        .collect())
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
    let results: Vec<(PathBuf, Result<Vec<Located>, String>)> = files
        .par_iter()
        .map(|p| (p.clone(), check_file(p, &cache)))
        .collect();
    let mut report = Report {
        files: files.len(),
        ..Report::default()
    };
    for (path, r) in results {
        match r {
            Ok(found) => report.findings.extend(found),
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
