//! Code actions: each finding's quick fix, "suppress on this line", "explain", and fix-all.

use super::convert;
use super::state::{Analysed, State};
use crate::rules::{noqa, Edit, Finding, Safety};
use std::collections::HashMap;
use tower_lsp::lsp_types::*;

pub const FIX_ALL: &str = "source.fixAll.pymastery";

fn workspace_edit(uri: &Url, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// The edit that adds `code` to the line's `# noqa` comment, or appends one.
fn suppress_edit(a: &Analysed, f: &Finding) -> Edit {
    let text = &a.snapshot.text;
    let lines = a.snapshot.lines();
    let line_no = lines.line_of(f.start);
    let start = lines.line_start(line_no);
    let line = lines.line_text(text, line_no);
    let end = start + line.len();
    if let Some(codes) = noqa::parse(line) {
        if !codes.is_empty() {
            return Edit {
                start: end,
                end,
                text: format!(", {}", f.code),
            };
        }
    }
    Edit {
        start: end,
        end,
        text: format!("  # noqa: {}", f.code),
    }
}

pub fn code_actions(state: &State, a: &Analysed, params: &CodeActionParams) -> CodeActionResponse {
    let enc = state.encoding();
    let uri = &params.text_document.uri;
    let path = State::path_of(uri);
    let visible = a.snapshot.visible(&a.settings, path.as_deref());
    let only = params.context.only.as_ref();
    let wants = |kind: &str| only.is_none_or(|o| o.iter().any(|k| kind.starts_with(k.as_str())));
    let mut out = Vec::new();

    if wants("quickfix") {
        let lo = params.range.start.line;
        let hi = params.range.end.line;
        for f in visible.iter().filter(|f| !f.is_syntax_error()) {
            let diag = convert::diagnostic(&a.rope, f, enc, a.settings.severity(f.code));
            if diag.range.end.line < lo || diag.range.start.line > hi {
                continue;
            }
            for (i, fix) in f.fix.iter().chain(&f.alternatives).enumerate() {
                let edits = convert::text_edits(&a.rope, &fix.edits, enc);
                let title = match fix.safety {
                    Safety::Safe => format!("{} ({})", fix.title, f.code),
                    Safety::Unsafe => {
                        format!("{} ({}, unsafe: may change behaviour)", fix.title, f.code)
                    }
                };
                out.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diag.clone()]),
                    edit: Some(workspace_edit(uri, edits)),
                    // Only the main fix may be preferred (applied by "auto fix" keys).
                    is_preferred: Some(i == 0 && f.fix.is_some() && fix.safety == Safety::Safe),
                    ..CodeAction::default()
                }));
            }
            let sup = suppress_edit(a, f);
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Suppress {} on this line", f.code),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag.clone()]),
                edit: Some(workspace_edit(
                    uri,
                    convert::text_edits(&a.rope, &[sup], enc),
                )),
                ..CodeAction::default()
            }));
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!(
                    "Explain {} ({})",
                    f.code,
                    crate::knowledge::get().cite(&f.section)
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diag]),
                command: Some(Command {
                    title: format!("Explain {}", f.code),
                    command: super::EXPLAIN_COMMAND.into(),
                    arguments: Some(vec![f.code.into(), "show".into()]),
                }),
                ..CodeAction::default()
            }));
        }
    }

    let fix_all_requested = only.is_some_and(|o| {
        o.iter()
            .any(|k| FIX_ALL.starts_with(k.as_str()) && k.as_str() != "quickfix")
    });
    if fix_all_requested || only.is_none() {
        let edits = crate::analysis::fixes::compatible_edits(&visible, false);
        if !edits.is_empty() {
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: "Fix all safe pymastery findings".into(),
                kind: Some(CodeActionKind::new(FIX_ALL)),
                edit: Some(workspace_edit(
                    uri,
                    convert::text_edits(&a.rope, &edits, enc),
                )),
                ..CodeAction::default()
            }));
        }
    }
    out
}
