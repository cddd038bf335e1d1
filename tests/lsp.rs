//! The real binary over stdio: lifecycle, diagnostics, hovers, code actions, bad input.

mod common;

use common::{utf16_caps, utf8_caps, Client};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const URI: &str = "file:///tmp/pymastery-test/inventory.py";

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .map(|d| d["code"].as_str().unwrap_or("syntax").to_string())
        .collect()
}

#[test]
fn shutdown_then_exit_ends_with_status_0_quickly() {
    let (c, _) = Client::start(utf16_caps());
    let started = Instant::now();
    assert_eq!(c.shutdown(), Some(0));
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn exit_without_shutdown_ends_with_status_1() {
    let (mut c, _) = Client::start(utf16_caps());
    c.notify("exit", json!(null));
    assert_eq!(c.wait_exit(Duration::from_secs(5)), Some(1));
}

#[test]
fn closing_stdin_ends_the_server() {
    let (mut c, _) = Client::start(utf16_caps());
    c.close_stdin();
    assert!(c.wait_exit(Duration::from_secs(5)).is_some());
}

#[test]
fn negotiates_position_encoding() {
    let (_c, init) = Client::start(utf8_caps());
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let (_c, init) = Client::start(utf16_caps());
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    let (_c, init) = Client::start(json!({ "general": { "positionEncodings": ["utf-32"] } }));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-32");
}

#[test]
fn publishes_book_linked_diagnostics_with_the_version() {
    let (mut c, _) = Client::start(utf16_caps());
    c.open(
        URI,
        "def restock(item, log=[]):\n    log.append(item)\n    return log\n",
    );
    let diags = c.diagnostics(URI, 0);
    assert_eq!(codes(&diags), ["PM0105"]);
    let d = &diags[0];
    assert_eq!(
        d["range"],
        json!({ "start": { "line": 0, "character": 22 }, "end": { "line": 0, "character": 24 } })
    );
    assert_eq!(d["source"], "pymastery");
    let msg = d["message"].as_str().unwrap_or_default();
    assert!(msg.contains("Mutable default for `log`"), "{msg}");
    assert!(
        msg.ends_with("[§1.5.1 The Mutable Default Argument Trap]"),
        "{msg}"
    );

    // Fix it: the next version has no finding.
    c.change(URI, 1, json!([{ "range": { "start": { "line": 0, "character": 22 }, "end": { "line": 0, "character": 24 } }, "text": "()" }]));
    assert!(c.diagnostics(URI, 1).is_empty());
}

#[test]
fn a_syntax_error_costs_one_block_only() {
    let (mut c, _) = Client::start(utf16_caps());
    let text = "def broken(:\n    pass\n\n\ndef later(x={}):\n    return x\n\nok = 1 is 1\n";
    c.open(URI, text);
    let diags = c.diagnostics(URI, 0);
    assert_eq!(codes(&diags), ["syntax", "PM0105", "PM0102"]);
    assert_eq!(diags[0]["range"]["start"]["line"], 0);
    assert_eq!(diags[0]["severity"], 1);
    let msg = diags[0]["message"].as_str().unwrap_or_default();
    assert!(
        msg.starts_with("Syntax error:") && msg.contains("rest of the file is still checked"),
        "{msg}"
    );
    assert_eq!(diags[1]["range"]["start"]["line"], 4);
}

/// While a function is typed into a state that does not parse, the other blocks keep what
/// they knew of it: `main` is still told that `fetch` is a coroutine function.
#[test]
fn typing_through_a_syntax_error_keeps_what_other_blocks_know() {
    let (mut c, _) = Client::start(utf16_caps());
    let text = "async def fetch():\n    x = 1\n    return x\n\n\ndef main():\n    fetch()\n";
    c.open(URI, text);
    assert_eq!(codes(&c.diagnostics(URI, 0)), ["PM1006"]);
    let at = json!({ "line": 2, "character": 0 });
    c.change(
        URI,
        1,
        json!([{ "range": { "start": at, "end": at }, "text": " " }]),
    );
    let diags = c.diagnostics(URI, 1);
    assert_eq!(codes(&diags), ["syntax", "PM1006"]);
    assert_eq!(diags[1]["range"]["start"]["line"], 6);
    let end = json!({ "line": 2, "character": 1 });
    c.change(
        URI,
        2,
        json!([{ "range": { "start": at, "end": end }, "text": "" }]),
    );
    assert_eq!(codes(&c.diagnostics(URI, 2)), ["PM1006"]);
}

#[test]
fn noqa_silences_a_code_or_the_line() {
    let (mut c, _) = Client::start(utf16_caps());
    let text = "def a(x=[]):  # noqa: PM0105\n    pass\n\n\ndef b(x=[]):  # noqa\n    pass\n\n\ndef c(x=[]):  # noqa: PM0101\n    pass\n";
    c.open(URI, text);
    let diags = c.diagnostics(URI, 0);
    assert_eq!(codes(&diags), ["PM0105"]);
    assert_eq!(diags[0]["range"]["start"]["line"], 8);
}

#[test]
fn five_thousand_changes_back_to_back_keep_the_text_in_order() {
    let (mut c, _) = Client::start(utf16_caps());
    c.open(URI, "");
    let mut expected = String::new();
    for v in 1..=5000i64 {
        let ch = ["a", "é", "😀", "\n", "b"][(v % 5) as usize];
        // Append at the end: line and column of the end in UTF-16.
        let line = expected.matches('\n').count();
        let last = expected.rsplit('\n').next().unwrap_or("");
        let col: usize = last.encode_utf16().count();
        c.change(URI, v, json!([{ "range": { "start": { "line": line, "character": col }, "end": { "line": line, "character": col } }, "text": ch }]));
        expected.push_str(ch);
    }
    assert_eq!(c.server_text(URI), expected);
    // The last published diagnostics are for the last version; none for a later one is missing.
    c.diagnostics(URI, 5000);
}

#[test]
fn hover_explains_a_dunder_with_the_book_section() {
    let (mut c, _) = Client::start(utf16_caps());
    let text = "class Money:\n    def __eq__(self, other):\n        return True\n\n    def __hash__(self):\n        return 1\n";
    c.open(URI, text);
    let h = c.hover(URI, 1, 10);
    let value = h["contents"]["value"].as_str().unwrap_or_default();
    assert_eq!(h["contents"]["kind"], "markdown");
    assert!(
        value.contains("Staff-Level Python Mastery, §1.3.3 Comparison and Hashing"),
        "{value}"
    );
    assert_eq!(
        h["range"],
        json!({ "start": { "line": 1, "character": 8 }, "end": { "line": 1, "character": 14 } })
    );
}

#[test]
fn hover_resolves_import_aliases() {
    let (mut c, _) = Client::start(utf16_caps());
    let text = "import asyncio as aio\nfrom typing import Protocol as P\n\nasync def main(jobs):\n    return await aio.gather(*jobs)\n\nclass Shape(P):\n    pass\n";
    c.open(URI, text);
    let value = c.hover(URI, 4, 22)["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        value.ends_with("Staff-Level Python Mastery, §10.3.1 asyncio.gather"),
        "{value}"
    );
    let value = c.hover(URI, 6, 12)["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(value.contains("Protocol"), "{value}");
}

#[test]
fn hover_on_a_line_with_a_finding_shows_the_finding_first() {
    let (mut c, _) = Client::start(utf16_caps());
    c.open(URI, "def f(x=[]):\n    return x\n");
    let value = c.hover(URI, 0, 9)["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        value.starts_with("**PM0105** Mutable default for `x`"),
        "{value}"
    );
    assert!(value.contains("§1.5.1"), "{value}");
}

#[test]
fn hover_on_a_noqa_code_shows_the_rule() {
    let (mut c, _) = Client::start(utf16_caps());
    c.open(URI, "def f(x=[]):  # noqa: PM0105\n    return x\n");
    let value = c.hover(URI, 0, 25)["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        value.starts_with("### PM0105 mutable-default-argument"),
        "{value}"
    );
}

#[test]
fn hover_works_on_keywords_in_a_block_that_does_not_parse() {
    let (mut c, _) = Client::start(utf16_caps());
    c.open(
        URI,
        "def outer():\n    count = 0\n    def inner(:\n        nonlocal count\n",
    );
    let value = c.hover(URI, 3, 10)["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(value.contains("nonlocal"), "{value}");
}

#[test]
fn no_hover_where_nothing_is_known() {
    let (mut c, _) = Client::start(utf16_caps());
    c.open(URI, "total = 1 + 2\n\n\nprint(total)\n");
    assert_eq!(c.hover(URI, 0, 2), Value::Null);
    assert_eq!(c.hover(URI, 1, 0), Value::Null);
}

#[test]
fn plain_text_hover_for_clients_without_markdown() {
    let caps = json!({ "textDocument": { "hover": { "contentFormat": ["plaintext"] } } });
    let (mut c, _) = Client::start(caps);
    c.open(
        URI,
        "import asyncio\n\nasync def main():\n    await asyncio.gather()\n",
    );
    let h = c.hover(URI, 3, 20);
    assert_eq!(h["contents"]["kind"], "plaintext");
    let v = h["contents"]["value"].as_str().unwrap_or_default();
    assert!(!v.contains("###") && v.contains("§10.3.1"), "{v}");
}

fn apply(text: &str, edits: &[Value]) -> String {
    // Edits of one WorkspaceEdit never overlap: apply from the end.
    let mut sorted: Vec<&Value> = edits.iter().collect();
    sorted.sort_by_key(|e| {
        (
            e["range"]["start"]["line"].as_u64(),
            e["range"]["start"]["character"].as_u64(),
        )
    });
    let mut out = text.to_string();
    for e in sorted.into_iter().rev() {
        let at = |p: &Value| {
            let line = p["line"].as_u64().unwrap_or(0) as usize;
            let ch = p["character"].as_u64().unwrap_or(0) as usize;
            let start: usize = out.split_inclusive('\n').take(line).map(str::len).sum();
            let line_text = out[start..].split('\n').next().unwrap_or("");
            start
                + line_text
                    .char_indices()
                    .nth(ch)
                    .map_or(line_text.len(), |(i, _)| i)
        };
        let (s, t) = (at(&e["range"]["start"]), at(&e["range"]["end"]));
        out.replace_range(s..t, e["newText"].as_str().unwrap_or_default());
    }
    out
}

#[test]
fn quick_fix_edit_applied_gives_the_expected_text() {
    let (mut c, _) = Client::start(utf16_caps());
    let text = "def restock(item, log=[]):\n    \"\"\"Add one.\"\"\"\n    log.append(item)\n    return log\n";
    c.open(URI, text);
    let diags = c.diagnostics(URI, 0);
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": diags[0]["range"], "context": { "diagnostics": diags } }),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["title"].as_str())
        .collect();
    assert!(
        titles.contains(&"Suppress PM0105 on this line"),
        "{titles:?}"
    );
    assert!(
        titles.iter().any(|t| t.starts_with("Explain PM0105")),
        "{titles:?}"
    );
    let fix = actions
        .as_array()
        .and_then(|a| {
            a.iter().find(|a| {
                a["title"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Default `log` to None"))
            })
        })
        .cloned()
        .expect("quick fix offered");
    let edits = fix["edit"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        apply(text, &edits),
        "def restock(item, log=None):\n    \"\"\"Add one.\"\"\"\n    if log is None:\n        log = []\n    log.append(item)\n    return log\n"
    );
}

/// The code actions offered for the first diagnostic of `code` in `text`.
fn actions_for(c: &mut Client, text: &str, code: &str) -> Vec<Value> {
    c.open(URI, text);
    let diags: Vec<Value> = c
        .diagnostics(URI, 0)
        .into_iter()
        .filter(|d| d["code"] == code)
        .collect();
    assert!(!diags.is_empty(), "no {code} in {text}");
    let actions = c.request(
        "textDocument/codeAction",
        json!({ "textDocument": { "uri": URI }, "range": diags[0]["range"], "context": { "diagnostics": [diags[0].clone()] } }),
    );
    actions.as_array().cloned().unwrap_or_default()
}

fn edits_of(action: &Value) -> Vec<Value> {
    action["edit"]["changes"][URI]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_finding_with_two_fixes_offers_both_and_prefers_the_safe_one() {
    let (mut c, _) = Client::start(utf16_caps());
    let text = "class Point:\n    def __eq__(self, other):\n        return (self.x, self.y) == (other.x, other.y)\n";
    let actions = actions_for(&mut c, text, "PM0101");
    let fixes: Vec<&Value> = actions.iter().filter(|a| a["edit"].is_object()).collect();
    let none = fixes
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Declare `__hash__ = None`"))
        })
        .expect("the safe fix");
    assert_eq!(none["isPreferred"], true);
    let hash = fixes
        .iter()
        .find(|a| {
            a["title"].as_str()
                == Some("Write `__hash__` over the compared fields `x`, `y` (PM0101, unsafe: may change behaviour)")
        })
        .expect("the alternative fix");
    assert_eq!(hash["isPreferred"], false);
    assert_eq!(
        apply(text, &edits_of(hash)),
        "class Point:\n    def __eq__(self, other):\n        return (self.x, self.y) == (other.x, other.y)\n\n    def __hash__(self):\n        return hash((self.x, self.y))\n"
    );
}

#[test]
fn a_fix_can_add_an_import_at_the_top_of_the_file() {
    let (mut c, _) = Client::start(utf16_caps());
    // The default target is 3.9, where `int | None` in a signature fails at import time.
    let text = "\"\"\"Parsing helpers.\"\"\"\nimport re\n\n\ndef parse(raw: str) -> int | None:\n    return None\n";
    let actions = actions_for(&mut c, text, "PM0227");
    let fix = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Add `from __future__ import annotations`"))
        })
        .expect("the fix");
    assert_eq!(
        apply(text, &edits_of(fix)),
        "\"\"\"Parsing helpers.\"\"\"\nfrom __future__ import annotations\nimport re\n\n\ndef parse(raw: str) -> int | None:\n    return None\n"
    );
}

#[test]
fn pull_diagnostics_for_clients_that_ask() {
    let caps = json!({ "textDocument": { "diagnostic": { "dynamicRegistration": false } } });
    let (mut c, init) = Client::start(caps);
    assert!(init["capabilities"]["diagnosticProvider"].is_object());
    c.open(URI, "x = 1 is 1\n");
    let r = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert_eq!(r["kind"], "full");
    assert_eq!(
        codes(r["items"].as_array().map_or(&[][..], |v| v)),
        ["PM0102"]
    );
    let again = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": URI }, "previousResultId": r["resultId"] }),
    );
    assert_eq!(again["kind"], "unchanged");
    // A settings change asks the client to pull again, and the next pull is new.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "pymastery": { "ignore": ["PM0102"] } } }),
    );
    c.wait_for(|m| m["method"] == "workspace/diagnostic/refresh")
        .expect("refresh requested");
    let after = c.request(
        "textDocument/diagnostic",
        json!({ "textDocument": { "uri": URI }, "previousResultId": r["resultId"] }),
    );
    assert_eq!(after["kind"], "full");
    assert_eq!(after["items"], json!([]));
}

#[test]
fn search_book_command_ranks_sections() {
    let (mut c, _) = Client::start(utf16_caps());
    let hits = c.request(
        "workspace/executeCommand",
        json!({ "command": "pymastery.searchBook", "arguments": ["mutable default"] }),
    );
    assert_eq!(hits[0]["id"], "1.5.1", "{hits}");
    assert!(hits[0]["first_line"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
}

#[test]
fn bad_input_never_ends_the_server() {
    let (mut c, _) = Client::start(utf16_caps());
    // Malformed JSON in a well-formed frame.
    c.send_raw(b"Content-Length: 9\r\n\r\n{not json");
    // Unknown method.
    let r = c.request_full("pymastery/noSuchThing", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    // Requests on a document that was never opened.
    assert_eq!(c.hover("file:///nowhere.py", 0, 0), Value::Null);
    c.change("file:///nowhere.py", 3, json!([{ "text": "x" }]));
    // Positions far outside the document are clamped.
    c.open(URI, "ab\ncd");
    c.change(URI, 1, json!([{ "range": { "start": { "line": 0, "character": 99 }, "end": { "line": 0, "character": 120 } }, "text": "!" }]));
    c.change(URI, 2, json!([{ "range": { "start": { "line": 70, "character": 0 }, "end": { "line": 90, "character": 4 } }, "text": "?" }]));
    c.change(URI, 3, json!([{ "range": { "start": { "line": 1, "character": 1 }, "end": { "line": 0, "character": 0 } }, "text": "" }]));
    // "ab\ncd" -> "ab!\ncd" -> "ab!\ncd?" -> the reversed range deletes "ab!\nc".
    assert_eq!(c.server_text(URI), "d?");
    // Far past the end clamps to the last line, which holds a syntax error.
    let h = c.hover(URI, 400, 400);
    assert!(
        h["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.starts_with("Syntax error")),
        "{h}"
    );
    // A garbage header: the server reports it and keeps serving.
    c.send_raw(b"Content-Length: abc\r\n\r\n");
    let hits = c.request(
        "workspace/executeCommand",
        json!({ "command": "pymastery.searchBook", "arguments": ["slots"] }),
    );
    assert!(hits.as_array().is_some_and(|h| !h.is_empty()));
    assert!(c.is_running());
    assert_eq!(c.shutdown(), Some(0));
}

#[test]
fn a_fifty_megabyte_document_does_not_block_other_work() {
    let (mut c, _) = Client::start(utf16_caps());
    let unit = "def handler(event, seen=[]):\n    seen.append(event)\n    return seen\n\n\n";
    let big: String = unit.repeat(50 * 1024 * 1024 / unit.len() + 1);
    c.open("file:///tmp/big.py", &big);
    c.open(URI, "x = 1 is 1\n");
    // The small file is answered while the big one is still being analysed.
    assert_eq!(codes(&c.diagnostics(URI, 0)), ["PM0102"]);
    let h = c.hover(URI, 0, 6);
    assert!(h.is_object());
    assert!(c.is_running());
}

#[test]
fn configuration_changes_apply_to_open_documents_at_once() {
    let (mut c, _) = Client::start(utf16_caps());
    c.open(URI, "x = 1 is 1\n\n\ndef f(a=[]):\n    return a\n");
    assert_eq!(codes(&c.diagnostics(URI, 0)), ["PM0102", "PM0105"]);
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "pymastery": { "ignore": ["PM0102"] } } }),
    );
    assert_eq!(codes(&c.diagnostics(URI, 0)), ["PM0105"]);
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "pymastery": { "select": ["PM0102"] } } }),
    );
    assert_eq!(codes(&c.diagnostics(URI, 0)), ["PM0102"]);
    // Hovers can be turned off.
    c.notify(
        "workspace/didChangeConfiguration",
        json!({ "settings": { "pymastery": { "hover": { "enable": false } } } }),
    );
    c.diagnostics(URI, 0);
    assert_eq!(c.hover(URI, 3, 9), Value::Null);
}

#[test]
fn a_pyproject_change_on_disk_applies_to_open_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("pyproject.toml");
    std::fs::write(&project, "[tool.pymastery]\n").expect("write");
    let caps = json!({ "workspace": { "didChangeWatchedFiles": { "dynamicRegistration": true } } });
    let (mut c, _) = Client::start(caps);
    let reg = c
        .wait_for(|m| m["method"] == "client/registerCapability")
        .expect("a watcher is registered");
    assert_eq!(
        reg["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"],
        "**/pyproject.toml"
    );
    let uri = format!("file://{}/a.py", dir.path().display());
    c.open(&uri, "x = 1 is 1\n");
    assert_eq!(codes(&c.diagnostics(&uri, 0)), ["PM0102"]);
    std::fs::write(&project, "[tool.pymastery]\nignore = [\"PM0102\"]\n").expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": format!("file://{}", project.display()), "type": 2 }] }),
    );
    assert!(c.diagnostics(&uri, 0).is_empty());
    // A broken pyproject: the defaults apply.
    std::fs::write(&project, "[tool.pymastery\n").expect("write");
    c.notify(
        "workspace/didChangeWatchedFiles",
        json!({ "changes": [{ "uri": format!("file://{}", project.display()), "type": 2 }] }),
    );
    assert_eq!(codes(&c.diagnostics(&uri, 0)), ["PM0102"]);
}
