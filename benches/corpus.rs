//! Benchmark inputs: Python files of this machine's standard library, and large files built
//! from them.
#![allow(dead_code)]

#[path = "../tests/support/stdlib.rs"]
mod support;
#[allow(unused_imports)]
pub use support::python_files;

pub fn stdlib() -> std::path::PathBuf {
    support::stdlib().expect("python3 and its standard library are needed for the benchmarks")
}

/// About `lines` lines of real code: whole top-level stdlib modules that parse, concatenated.
pub fn python_file(lines: usize) -> String {
    let root = stdlib();
    let mut out = String::new();
    let mut n = 0;
    for name in [
        "argparse.py",
        "typing.py",
        "inspect.py",
        "pathlib.py",
        "dataclasses.py",
        "enum.py",
        "functools.py",
        "subprocess.py",
        "threading.py",
        "tarfile.py",
        "zipfile.py",
        "difflib.py",
        "pydoc.py",
        "statistics.py",
        "fractions.py",
        "configparser.py",
        "logging/__init__.py",
        "asyncio/base_events.py",
        "collections/__init__.py",
        "ast.py",
        "_pydecimal.py",
        "doctest.py",
    ] {
        let Ok(text) = std::fs::read_to_string(root.join(name)) else {
            continue;
        };
        for line in text.lines() {
            out.push_str(line);
            out.push('\n');
            n += 1;
        }
        if n >= lines {
            break;
        }
    }
    while n < lines {
        let more = out.clone();
        n *= 2;
        out.push_str(&more);
    }
    out
}

/// Byte offset of a line inside a function body (indented, not a blank line), near `fraction`
/// of the file.
pub fn line_inside_function(text: &str, fraction: f64) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let mut i = ((lines.len() as f64) * fraction) as usize;
    while i < lines.len() {
        let l = lines[i];
        if l.starts_with("        ")
            && l.trim().len() > 3
            && !l.trim_start().starts_with('#')
            && !l.contains("\"\"\"")
            && !l.contains("'''")
        {
            return (i, l.len() - l.trim_start().len());
        }
        i += 1;
    }
    (0, 0)
}
