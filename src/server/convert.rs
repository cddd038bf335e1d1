//! LSP <-> core conversions: positions through the negotiated encoding, findings to
//! diagnostics, fixes to workspace edits.

use crate::config::Severity;
use crate::document::{position, Encoding, Pos};
use crate::knowledge;
use crate::rules::{Edit, Finding};
use ropey::Rope;
use tower_lsp::lsp_types as lsp;

pub fn pos(p: lsp::Position) -> Pos {
    Pos::new(p.line, p.character)
}

pub fn lsp_pos(p: Pos) -> lsp::Position {
    lsp::Position::new(p.line, p.col)
}

pub fn offset(rope: &Rope, p: lsp::Position, enc: Encoding) -> usize {
    rope.char_to_byte(position::to_char(rope, pos(p), enc))
}

pub fn range(rope: &Rope, start: usize, end: usize, enc: Encoding) -> lsp::Range {
    lsp::Range::new(
        lsp_pos(position::from_byte(rope, start, enc)),
        lsp_pos(position::from_byte(rope, end, enc)),
    )
}

fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// A finding as the editor shows it: the message ends with the book section it cites.
pub fn diagnostic(rope: &Rope, f: &Finding, enc: Encoding, level: Severity) -> lsp::Diagnostic {
    let kb = knowledge::get();
    let (message, code, sev) = if f.is_syntax_error() {
        (f.message.clone(), None, lsp::DiagnosticSeverity::ERROR)
    } else {
        (
            format!("{} [{}]", f.message, kb.cite(&f.section)),
            Some(lsp::NumberOrString::String(f.code.to_string())),
            severity(level),
        )
    };
    lsp::Diagnostic {
        range: range(rope, f.start, f.end, enc),
        severity: Some(sev),
        code,
        source: Some("pymastery".into()),
        message,
        ..lsp::Diagnostic::default()
    }
}

pub fn text_edits(rope: &Rope, edits: &[Edit], enc: Encoding) -> Vec<lsp::TextEdit> {
    edits
        .iter()
        .map(|e| lsp::TextEdit::new(range(rope, e.start, e.end, enc), e.text.clone()))
        .collect()
}
