//! The machine's Python standard library as a corpus of real code no one here wrote, shared
//! by the stdlib-wide tests and the benchmarks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The stdlib folder of the `python3` on PATH, if there is one.
pub fn stdlib() -> Option<PathBuf> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    p.is_dir().then_some(p)
}

/// Every `.py` file below `dir`, sorted, skipping site-packages and caches.
pub fn python_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name()
                    .is_some_and(|n| n != "site-packages" && n != "__pycache__")
                {
                    walk(&p, out);
                }
            } else if p.extension().is_some_and(|x| x == "py") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}
