//! `pymastery check` end to end: output formats, selection, exit codes, file discovery,
//! configuration errors, bad files.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_pymastery");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .arg("check")
        .args(args)
        .output()
        .expect("run pymastery")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, rel: &str, text: &[u8]) {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

const BAD: &str = "def f(x=[]):\n    return x\n\n\nok = x is 'a'\n";

#[test]
fn bundled_examples_show_findings_sorted_with_sections() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let o = run(root, &["examples"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("examples/inventory.py:16:9: PM0101 `Sku` defines `__eq__`"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("examples/inventory.py:20:23: PM0105 Mutable default for `log`"),
        "{out}"
    );
    assert!(
        lines[1].ends_with("[§1.5.1 The Mutable Default Argument Trap]"),
        "{out}"
    );
    assert!(
        lines[2].starts_with("examples/inventory.py:27:8: PM0102"),
        "{out}"
    );
    assert!(stderr(&o).contains("3 findings in 2 files checked"));
}

#[test]
fn clean_code_exits_0() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "a.py", b"def f(x=None):\n    return x\n");
    let o = run(d.path(), &["."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert_eq!(stdout(&o), "");
}

#[test]
fn select_and_ignore_codes_prefixes_and_all() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "a.py", BAD.as_bytes());
    let only = |args: &[&str]| -> Vec<String> {
        stdout(&run(d.path(), args))
            .lines()
            .map(|l| l.split(' ').nth(1).unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(only(&["--select", "PM0102", "."]), ["PM0102"]);
    assert_eq!(
        only(&["--select", "ALL", "--ignore", "PM0105", "."]),
        ["PM0102"]
    );
    assert!(only(&["--ignore", "PM01", "."]).is_empty());
    assert_eq!(
        only(&["--select", "PM01", "--ignore", "PM0102", "."]),
        ["PM0105"]
    );
    let o = run(d.path(), &["--select", "PM9999", "."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("unknown rule code or prefix `PM9999`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn json_sarif_and_github_formats() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "a.py", BAD.as_bytes());
    let json: Value =
        serde_json::from_str(&stdout(&run(d.path(), &["--output-format", "json", "."])))
            .expect("json");
    assert_eq!(json[0]["code"], "PM0105");
    assert_eq!(json[0]["line"], 1);
    assert_eq!(json[0]["column"], 9);
    assert_eq!(json[0]["section"], "1.5.1");
    assert_eq!(
        json[0]["section_title"],
        "The Mutable Default Argument Trap"
    );
    assert_eq!(json[0]["fix"]["safety"], "unsafe");
    assert_eq!(json[1]["fix"]["safety"], "safe");

    let sarif: Value =
        serde_json::from_str(&stdout(&run(d.path(), &["--output-format", "sarif", "."])))
            .expect("sarif");
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["ruleId"], "PM0105");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(rules.iter().any(|r| r["id"] == "PM0101"));

    let gh = stdout(&run(d.path(), &["--output-format", "github", "."]));
    assert!(gh.starts_with("::warning file=./a.py,line=1,col=9,endLine=1,endColumn=11,title=pymastery PM0105::Mutable default"), "{gh}");
}

#[test]
fn skips_gitignored_hidden_virtualenv_and_excluded_files() {
    let d = tempfile::tempdir().expect("tempdir");
    let p = d.path();
    write(p, "src/a.py", BAD.as_bytes());
    write(p, "build/gen.py", BAD.as_bytes());
    write(p, ".gitignore", b"build/\n");
    write(p, ".hidden/b.py", BAD.as_bytes());
    write(p, "env/pyvenv.cfg", b"home = /usr\n");
    write(p, "env/lib/c.py", BAD.as_bytes());
    write(p, "legacy/old.py", BAD.as_bytes());
    write(
        p,
        "pyproject.toml",
        b"[tool.pymastery]\nexclude = [\"legacy\"]\n",
    );
    let out = stdout(&run(p, &["."]));
    let files: std::collections::BTreeSet<&str> =
        out.lines().filter_map(|l| l.split(':').next()).collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        ["./src/a.py"],
        "{out}"
    );
    // A file named on the command line is always checked.
    assert_eq!(run(p, &["legacy/old.py"]).status.code(), Some(1));
}

#[test]
fn pyproject_settings_apply_per_file() {
    let d = tempfile::tempdir().expect("tempdir");
    let p = d.path();
    write(p, "tests/test_a.py", BAD.as_bytes());
    write(p, "pyproject.toml", b"[tool.pymastery]\nignore = [\"PM0102\"]\nper-file-ignores = { \"tests/*\" = [\"PM0105\"] }\n");
    let o = run(p, &["."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

#[test]
fn the_path_decides_package_init_and_test_files_below_the_project_root() {
    // The project itself lives under a folder named `tests`: that must not make it test code.
    let d = tempfile::tempdir().expect("tempdir");
    let p = d.path().join("tests").join("proj");
    let star = b"from .models import *\n";
    let assert_arg = b"def area(w):\n    assert w > 0\n    return w\n";
    write(
        &p,
        "pyproject.toml",
        b"[tool.pymastery]\nselect = [\"PM1401\", \"PM1204\"]\n",
    );
    write(&p, "pkg/__init__.py", star);
    write(&p, "pkg/api.py", star);
    write(&p, "pkg/geometry.py", assert_arg);
    write(&p, "tests/test_geometry.py", assert_arg);
    let o = run(&p, &["--output-format", "json", "."]);
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let mut got: Vec<String> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            format!(
                "{} {}",
                f["path"].as_str().unwrap_or(""),
                f["code"].as_str().unwrap_or("")
            )
        })
        .collect();
    got.sort();
    assert_eq!(
        got,
        ["./pkg/api.py PM1401", "./pkg/geometry.py PM1204"],
        "{v}"
    );
}

#[test]
fn a_broken_pyproject_is_a_clear_error() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "a.py", BAD.as_bytes());
    write(d.path(), "pyproject.toml", b"[tool.pymastery\nselect = 3\n");
    let o = run(d.path(), &["."]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("pyproject.toml: invalid TOML"), "{err}");
}

#[test]
fn invalid_utf8_is_reported_and_the_run_goes_on() {
    let d = tempfile::tempdir().expect("tempdir");
    write(d.path(), "bad.py", b"x = '\xff\xfe'\n");
    write(d.path(), "good.py", BAD.as_bytes());
    let o = run(d.path(), &["."]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.py: error: not valid UTF-8 (invalid byte at offset 5)"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o).lines().count(), 2, "good.py still checked");
}

#[test]
fn noqa_and_syntax_errors_in_check() {
    let d = tempfile::tempdir().expect("tempdir");
    write(
        d.path(),
        "a.py",
        b"def f(x=[]):  # noqa: PM0105\n    return x\n\n\ndef g(:\n    pass\n",
    );
    let out = stdout(&run(d.path(), &["."]));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("./a.py:5:7: SyntaxError Syntax error:"),
        "{out}"
    );
}

#[test]
fn a_missing_path_is_an_error() {
    let d = tempfile::tempdir().expect("tempdir");
    let o = run(d.path(), &["nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope: error: no such file or directory"));
}

#[test]
fn explain_and_rules_commands() {
    let o = Command::new(BIN)
        .args(["explain", "PM0105"])
        .output()
        .expect("run");
    assert!(stdout(&o).starts_with(
        "PM0105 mutable-default-argument\nSection: §1.5.1 The Mutable Default Argument Trap"
    ));
    let o = Command::new(BIN)
        .args(["explain", "asyncio.gather"])
        .output()
        .expect("run");
    assert!(
        stdout(&o).starts_with("§10.3.1 asyncio.gather"),
        "{}",
        stdout(&o)
    );
    let o = Command::new(BIN)
        .args(["explain", "1.5.1"])
        .output()
        .expect("run");
    assert!(stdout(&o).contains("Rule PM0105 mutable-default-argument"));
    let o = Command::new(BIN)
        .args(["explain", "nothing.here"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let o = Command::new(BIN)
        .args(["rules", "--json"])
        .output()
        .expect("run");
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(
        v.as_array().map(Vec::len),
        Some(pymastery::rules::all().len())
    );
    let pm0105 = v
        .as_array()
        .and_then(|a| a.iter().find(|r| r["code"] == "PM0105"))
        .expect("PM0105 listed");
    assert_eq!(pm0105["default"], "on");
}

#[test]
fn fix_diff_and_unsafe_fixes() {
    let d = tempfile::tempdir().expect("tempdir");
    let src = "def f(x=[]):\n    return x\n\n\nok = x is 'a'\n";
    write(d.path(), "a.py", src.as_bytes());
    // --diff prints what would change and writes nothing.
    let o = run(d.path(), &["--diff", "."]);
    assert_eq!(o.status.code(), Some(1));
    let diff = stdout(&o);
    assert!(diff.contains("-ok = x is 'a'\n+ok = x == 'a'\n"), "{diff}");
    assert!(
        !diff.contains("x=None"),
        "unsafe fixes only when asked: {diff}"
    );
    assert_eq!(
        std::fs::read_to_string(d.path().join("a.py")).expect("read"),
        src
    );
    // --fix applies the safe fix and reports what is left.
    let o = run(d.path(), &["--fix", "."]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("fixed 1 finding"), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1);
    // --unsafe-fixes takes the rest; a second run changes nothing.
    let o = run(d.path(), &["--fix", "--unsafe-fixes", "."]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let fixed = std::fs::read_to_string(d.path().join("a.py")).expect("read");
    assert_eq!(
        fixed,
        "def f(x=None):\n    if x is None:\n        x = []\n    return x\n\n\nok = x == 'a'\n"
    );
    let o = run(d.path(), &["--fix", "--unsafe-fixes", "."]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(d.path().join("a.py")).expect("read"),
        fixed
    );
}
