//! The knowledge base is complete and consistent: an entry for every section of the outline,
//! every rule documented and citing a real section, triggers unique unless marked secondary,
//! and nothing copied from the book.

use pymastery::knowledge;
use std::collections::{HashMap, HashSet};
use std::path::Path;

#[test]
fn parses_without_problems() {
    let kb = knowledge::get();
    assert!(kb.problems.is_empty(), "{:?}", kb.problems);
}

#[test]
fn every_section_of_the_outline_has_a_full_entry() {
    let kb = knowledge::get();
    assert_eq!(kb.sections.len(), 756);
    let mut missing = Vec::new();
    for s in &kb.sections {
        match kb.entry(&s.id) {
            None => missing.push(s.id.clone()),
            Some(e) => {
                assert!(!e.summary.is_empty(), "{}: empty summary", s.id);
                assert!(!e.explanation.is_empty(), "{}: empty explanation", s.id);
                assert!(
                    e.summary.split_whitespace().count() <= 25,
                    "{}: summary over 25 words",
                    s.id
                );
                if let Some(ex) = &e.example {
                    assert!(ex.lines().count() <= 8, "{}: example over 8 lines", s.id);
                }
            }
        }
    }
    assert!(missing.is_empty(), "sections without an entry: {missing:?}");
    let unknown: Vec<&String> = kb
        .entries
        .keys()
        .filter(|id| kb.section(id).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "entries for ids not in the outline: {unknown:?}"
    );
}

#[test]
fn see_also_points_to_real_sections() {
    let kb = knowledge::get();
    for e in kb.entries.values() {
        for id in &e.see_also {
            assert!(kb.section(id).is_some(), "{} sees also unknown {id}", e.id);
        }
    }
}

#[test]
fn every_rule_is_documented_and_cites_a_real_section() {
    let kb = knowledge::get();
    let codes: HashSet<&str> = pymastery::rules::all().iter().map(|r| r.code()).collect();
    for code in &codes {
        let doc = kb
            .rule(code)
            .unwrap_or_else(|| panic!("{code} has no knowledge/rules/{code}.md"));
        assert!(
            kb.section(&doc.section).is_some(),
            "{code} cites unknown section {}",
            doc.section
        );
        assert!(
            !doc.message.is_empty() && !doc.name.is_empty(),
            "{code}: message and name required"
        );
        assert!(
            matches!(doc.fix.as_str(), "safe" | "unsafe" | "none"),
            "{code}: Fix must be safe, unsafe or none"
        );
        for heading in [
            "## What it does",
            "## Why it is flagged",
            "## Known false positives",
            "## Example",
            "## Use instead",
            "## Fix safety",
        ] {
            assert!(doc.body.contains(heading), "{code}: missing {heading}");
        }
        assert!(
            code.len() == 6 && code.starts_with("PM"),
            "{code}: codes are PM + 4 digits"
        );
        let chapter: u32 = code[2..4].parse().unwrap_or(0);
        let section_chapter: u32 = doc
            .section
            .split('.')
            .next()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        assert_eq!(
            chapter, section_chapter,
            "{code}: the code's chapter differs from its section's"
        );
    }
    for code in kb.rules.keys() {
        assert!(
            codes.contains(code.as_str()),
            "{code} is documented but not registered"
        );
    }
}

/// The README's rules table is what `pymastery rules` prints: every rule, its name, default
/// and fix kind (regenerate it from `pymastery rules --json` after adding a rule).
#[test]
fn the_readme_lists_every_rule_as_documented() {
    let kb = knowledge::get();
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let table: Vec<&str> = readme.lines().filter(|l| l.starts_with("| PM")).collect();
    assert_eq!(
        table.len(),
        pymastery::rules::all().len(),
        "README table rows"
    );
    for r in pymastery::rules::all() {
        let doc = kb.rule(r.code()).expect("documented");
        let default = if doc.default_on { "on" } else { "off" };
        let row = table
            .iter()
            .find(|l| l.starts_with(&format!("| {} |", r.code())))
            .unwrap_or_else(|| panic!("{} missing from the README table", r.code()));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells[2], doc.name, "{}: name", r.code());
        assert!(
            cells[3].starts_with(&format!("§{} ", doc.section)),
            "{}: section",
            r.code()
        );
        assert_eq!(cells[4], default, "{}: default", r.code());
        assert_eq!(cells[5], doc.fix, "{}: fix", r.code());
    }
}

#[test]
fn triggers_are_unique_unless_secondary_and_have_a_known_kind() {
    let kb = knowledge::get();
    let mut primaries: HashMap<&str, Vec<&str>> = HashMap::new();
    for (key, hits) in &kb.triggers {
        let kind = key.split(':').next().unwrap_or("");
        assert!(
            matches!(kind, "name" | "dunder" | "kw" | "syntax"),
            "unknown trigger kind in {key}"
        );
        for (id, primary) in hits {
            if *primary {
                primaries.entry(key).or_default().push(id);
            }
        }
        assert!(
            hits.iter().any(|(_, p)| *p),
            "{key} is only ever secondary: give it a home"
        );
    }
    let dups: Vec<_> = primaries.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(
        dups.is_empty(),
        "triggers claimed by several sections: {dups:?}"
    );
}

#[test]
fn the_constructs_the_issue_names_have_a_hover() {
    let kb = knowledge::get();
    let required = [
        "dunder:__eq__",
        "dunder:__hash__",
        "dunder:__slots__",
        "dunder:__init_subclass__",
        "dunder:__set_name__",
        "dunder:__class_getitem__",
        "name:property",
        "name:property.setter",
        "name:classmethod",
        "name:staticmethod",
        "name:dataclasses.dataclass",
        "name:dataclasses.field",
        "name:functools.wraps",
        "name:functools.lru_cache",
        "name:functools.cache",
        "name:functools.cached_property",
        "name:functools.total_ordering",
        "name:functools.singledispatch",
        "name:functools.partial",
        "name:contextlib.contextmanager",
        "name:contextlib.asynccontextmanager",
        "name:contextlib.suppress",
        "name:contextlib.ExitStack",
        "name:contextlib.closing",
        "name:abc.abstractmethod",
        "name:typing.overload",
        "name:typing.final",
        "name:typing.runtime_checkable",
        "name:typing.TypeVar",
        "name:typing.Generic",
        "name:typing.Protocol",
        "name:typing.TypedDict",
        "name:typing.NamedTuple",
        "name:typing.Literal",
        "name:typing.Final",
        "name:typing.ClassVar",
        "name:typing.Any",
        "name:typing.Optional",
        "name:typing.Union",
        "syntax:union-pipe",
        "name:typing.ParamSpec",
        "name:typing.Concatenate",
        "name:typing.TypeVarTuple",
        "name:typing.Unpack",
        "name:typing.Self",
        "name:typing.TypeGuard",
        "name:typing.TypeIs",
        "name:typing.cast",
        "name:typing.TYPE_CHECKING",
        "name:typing.Callable",
        "name:typing.Iterator",
        "name:typing.Generator",
        "name:__future__.annotations",
        "kw:nonlocal",
        "kw:global",
        "kw:yield",
        "kw:yield from",
        "kw:async def",
        "kw:await",
        "kw:async for",
        "kw:async with",
        "kw:with",
        "kw:is",
        "kw:is not",
        "kw:lambda",
        "kw:match",
        "name:asyncio.gather",
        "name:asyncio.TaskGroup",
        "name:threading.Lock",
        "name:queue.Queue",
        "name:concurrent.futures.ThreadPoolExecutor",
        "name:multiprocessing.Pool",
        "name:copy.deepcopy",
        "name:weakref.ref",
        "name:gc.collect",
        "name:sys.getrefcount",
        "name:dis.dis",
        "name:tracemalloc.start",
        "name:cProfile.run",
        "name:timeit.timeit",
        "name:pickle.loads",
        "name:subprocess.run",
        "name:hmac.compare_digest",
        "name:secrets.token_hex",
        "name:hashlib.sha256",
        "name:logging.getLogger",
        "name:pdb.set_trace",
        "name:faulthandler.enable",
        "name:inspect.signature",
        "name:itertools.groupby",
        "name:operator.itemgetter",
        "name:importlib.import_module",
        "name:enum.Enum",
    ];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| kb.lookup(k).is_none())
        .collect();
    assert!(missing.is_empty(), "no entry for: {missing:?}");
}

#[test]
fn no_passage_repeats_the_book() {
    let guard = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/copyguard.py");
    if !guard.exists() {
        eprintln!("skipped: {} is not here", guard.display());
        return;
    }
    let out = std::process::Command::new("python3")
        .arg(&guard)
        .arg(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs copyguard");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "copyguard found copied passages:\n{text}"
    );
}
