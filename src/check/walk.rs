//! Finding the Python files under the paths given: .gitignore respected, hidden folders and
//! virtual environments skipped, `exclude` patterns applied. A file named explicitly is
//! always checked.

use std::path::{Path, PathBuf};

fn is_virtualenv(dir: &Path) -> bool {
    dir.join("pyvenv.cfg").is_file()
        || matches!(
            dir.file_name().and_then(|n| n.to_str()),
            Some("__pycache__" | "site-packages" | "node_modules" | "venv" | ".venv")
        )
}

fn is_python(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("py" | "pyi")
    )
}

/// The files to check, and the paths that could not be read with why.
pub fn python_files(
    paths: &[PathBuf],
    excluded: impl Fn(&Path) -> bool + Sync,
) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        if root.is_file() {
            files.push(root.clone());
            continue;
        }
        if !root.exists() {
            errors.push((root.clone(), "no such file or directory".to_string()));
            continue;
        }
        let walker = ignore::WalkBuilder::new(root)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .require_git(false)
            .filter_entry(|e| {
                let p = e.path();
                !(e.file_type().is_some_and(|t| t.is_dir()) && e.depth() > 0 && is_virtualenv(p))
            })
            .build();
        for entry in walker {
            match entry {
                Ok(e) => {
                    let p = e.path();
                    if e.file_type().is_some_and(|t| t.is_file()) && is_python(p) && !excluded(p) {
                        files.push(p.to_path_buf());
                    }
                }
                Err(err) => errors.push((root.clone(), err.to_string())),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
}
