//! Settings: `[tool.pymastery]` in pyproject.toml, overridden by the editor or the command line.
//!
//! ```toml
//! [tool.pymastery]
//! select = ["PM01"]            # replaces the default set
//! extend-select = ["PM0299"]
//! ignore = ["PM0102"]
//! exclude = ["build/", "legacy/*.py"]
//! target-version = "3.11"      # else read from [project] requires-python, else 3.9
//! per-file-ignores = { "tests/*" = ["PM0105"] }
//! severity = { PM0101 = "information" }
//! ```

use crate::rules::selection::Selection;
use crate::rules::Version;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "information" | "info" => Some(Severity::Information),
            "hint" => Some(Severity::Hint),
            _ => None,
        }
    }
}

pub const DEFAULT_TARGET: Version = (3, 9);

#[derive(Debug, Clone)]
pub struct Settings {
    pub selection: Selection,
    pub target: Version,
    pub exclude: Vec<String>,
    pub per_file_ignores: Vec<(String, Vec<String>)>,
    pub severity: HashMap<String, Severity>,
    /// The folder holding the pyproject.toml these came from; patterns are relative to it.
    pub root: Option<PathBuf>,
    per_file: Option<(GlobSet, Vec<usize>)>,
    excluded: Option<GlobSet>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            selection: Selection::default(),
            target: DEFAULT_TARGET,
            exclude: Vec::new(),
            per_file_ignores: Vec::new(),
            severity: HashMap::new(),
            root: None,
            per_file: None,
            excluded: None,
        }
    }
}

fn strings(v: Option<&toml::Value>, key: &str) -> Result<Vec<String>, String> {
    match v {
        None => Ok(Vec::new()),
        Some(toml::Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("`{key}` must be a list of strings"))
            })
            .collect(),
        Some(_) => Err(format!("`{key}` must be a list of strings")),
    }
}

/// "3.11", "py311" or ">=3.10,<4" to (3, 11) / (3, 10).
pub fn parse_version(s: &str) -> Option<Version> {
    let s = s.trim().trim_start_matches("py");
    if !s.contains('.') && s.len() >= 2 && s.chars().all(|c| c.is_ascii_digit()) {
        return Some((s[..1].parse().ok()?, s[1..].parse().ok()?));
    }
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let mut parts = s[start..].split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

fn globset(patterns: &[String]) -> Result<GlobSet, String> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let p = p.trim_end_matches('/');
        for variant in [
            p.to_string(),
            format!("{p}/**"),
            format!("**/{p}"),
            format!("**/{p}/**"),
        ] {
            b.add(Glob::new(&variant).map_err(|e| format!("bad pattern `{p}`: {e}"))?);
        }
    }
    b.build().map_err(|e| e.to_string())
}

impl Settings {
    /// Reads `[tool.pymastery]` (and `requires-python`) from the text of a pyproject.toml.
    pub fn from_pyproject(text: &str, root: Option<PathBuf>) -> Result<Settings, String> {
        let doc: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| format!("invalid TOML: {}", e.message()))?;
        let mut s = Settings {
            root,
            ..Settings::default()
        };
        let requires = doc
            .get("project")
            .and_then(|p| p.get("requires-python"))
            .and_then(|v| v.as_str());
        if let Some(v) = requires.and_then(parse_version) {
            s.target = v;
        }
        let Some(tool) = doc.get("tool").and_then(|t| t.get("pymastery")) else {
            return s.compiled();
        };
        let tool = tool
            .as_table()
            .ok_or("`[tool.pymastery]` must be a table")?;
        for key in tool.keys() {
            if ![
                "select",
                "extend-select",
                "ignore",
                "exclude",
                "target-version",
                "per-file-ignores",
                "severity",
            ]
            .contains(&key.as_str())
            {
                return Err(format!("unknown setting `{key}` in [tool.pymastery]"));
            }
        }
        if tool.contains_key("select") {
            s.selection.select = Some(strings(tool.get("select"), "select")?);
        }
        s.selection.extend_select = strings(tool.get("extend-select"), "extend-select")?;
        s.selection.ignore = strings(tool.get("ignore"), "ignore")?;
        s.exclude = strings(tool.get("exclude"), "exclude")?;
        if let Some(v) = tool.get("target-version") {
            let v = v
                .as_str()
                .ok_or("`target-version` must be a string such as \"3.11\"")?;
            s.target = parse_version(v)
                .ok_or_else(|| format!("`target-version` = {v:?} is not a Python version"))?;
        }
        if let Some(t) = tool.get("per-file-ignores") {
            let t = t
                .as_table()
                .ok_or("`per-file-ignores` must be a table of pattern = [codes]")?;
            for (pattern, codes) in t {
                s.per_file_ignores
                    .push((pattern.clone(), strings(Some(codes), "per-file-ignores")?));
            }
        }
        if let Some(t) = tool.get("severity") {
            let t = t
                .as_table()
                .ok_or("`severity` must be a table of code = level")?;
            for (code, level) in t {
                let lv = level.as_str().and_then(Severity::parse).ok_or_else(|| {
                    format!("severity of {code} must be error, warning, information or hint")
                })?;
                s.severity.insert(code.to_ascii_uppercase(), lv);
            }
        }
        s.compiled()
    }

    fn compiled(mut self) -> Result<Settings, String> {
        if !self.per_file_ignores.is_empty() {
            let mut b = GlobSetBuilder::new();
            let mut owner = Vec::new();
            for (i, (p, _)) in self.per_file_ignores.iter().enumerate() {
                for variant in [p.clone(), format!("**/{p}")] {
                    b.add(Glob::new(&variant).map_err(|e| format!("bad pattern `{p}`: {e}"))?);
                    owner.push(i);
                }
            }
            self.per_file = Some((b.build().map_err(|e| e.to_string())?, owner));
        }
        if !self.exclude.is_empty() {
            self.excluded = Some(globset(&self.exclude)?);
        }
        Ok(self)
    }

    /// Finds the pyproject.toml nearest above `path` and reads it; defaults when there is none.
    pub fn discover(path: &Path) -> Result<Settings, String> {
        match find_pyproject(path) {
            Some(file) => {
                let text = std::fs::read_to_string(&file)
                    .map_err(|e| format!("{}: {e}", file.display()))?;
                Settings::from_pyproject(&text, file.parent().map(Path::to_path_buf))
                    .map_err(|e| format!("{}: {e}", file.display()))
            }
            None => Ok(Settings::default()),
        }
    }

    fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        match &self.root {
            Some(root) => path.strip_prefix(root).unwrap_or(path),
            None => path,
        }
    }

    /// What `path` says about the file, judged below the project root (so a checkout that
    /// happens to live under a folder named `tests` is not all test code).
    pub fn file_role(&self, path: &Path) -> crate::syntax::FileRole {
        crate::syntax::FileRole::of_path(self.relative(path))
    }

    pub fn is_excluded(&self, path: &Path) -> bool {
        self.excluded
            .as_ref()
            .is_some_and(|g| g.is_match(self.relative(path)))
    }

    /// Whether `code` runs on `path` (None for an unsaved buffer).
    pub fn enabled(&self, code: &str, default_on: bool, path: Option<&Path>) -> bool {
        if !self.selection.enabled(code, default_on) {
            return false;
        }
        let (Some(path), Some((set, owner))) = (path, &self.per_file) else {
            return true;
        };
        !set.matches(self.relative(path)).into_iter().any(|i| {
            self.per_file_ignores[owner[i]]
                .1
                .iter()
                .any(|c| c.eq_ignore_ascii_case("ALL") || code.starts_with(&c.to_ascii_uppercase()))
        })
    }

    pub fn severity(&self, code: &str) -> Severity {
        self.severity
            .get(code)
            .copied()
            .unwrap_or(Severity::Warning)
    }
}

pub fn find_pyproject(path: &Path) -> Option<PathBuf> {
    let start = if path.is_dir() {
        Some(path)
    } else {
        path.parent()
    };
    let mut dir = start;
    while let Some(d) = dir {
        let candidate = d.join("pyproject.toml");
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tool_table_and_requires_python() {
        let s = Settings::from_pyproject(
            "[project]\nrequires-python = \">=3.10\"\n[tool.pymastery]\nignore = [\"PM0102\"]\nper-file-ignores = { \"tests/*\" = [\"PM0105\"] }\nseverity = { PM0101 = \"hint\" }\n",
            Some(PathBuf::from("/p")),
        )
        .expect("valid");
        assert_eq!(s.target, (3, 10));
        assert!(!s.enabled("PM0102", true, None));
        assert!(!s.enabled("PM0105", true, Some(Path::new("/p/tests/test_a.py"))));
        assert!(s.enabled("PM0105", true, Some(Path::new("/p/src/a.py"))));
        assert_eq!(s.severity("PM0101"), Severity::Hint);
    }

    #[test]
    fn clear_errors() {
        let e = Settings::from_pyproject("[tool.pymastery\n", None).unwrap_err();
        assert!(e.starts_with("invalid TOML"), "{e}");
        let e = Settings::from_pyproject("[tool.pymastery]\nselct = []\n", None).unwrap_err();
        assert!(e.contains("unknown setting `selct`"), "{e}");
        let e = Settings::from_pyproject("[tool.pymastery]\ntarget-version = \"x\"\n", None)
            .unwrap_err();
        assert!(e.contains("not a Python version"), "{e}");
    }

    #[test]
    fn versions() {
        assert_eq!(parse_version("3.11"), Some((3, 11)));
        assert_eq!(parse_version("py312"), Some((3, 12)));
        assert_eq!(parse_version(">=3.8, <4"), Some((3, 8)));
    }
}
