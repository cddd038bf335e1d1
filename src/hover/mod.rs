//! What a hover shows: the findings on the line, the rule behind a `# noqa` code, and the
//! knowledge entry of the construct under the cursor. Synchronous; the server only converts.

mod construct;

use crate::analysis::Snapshot;
use crate::knowledge::book::{self, BookIndex};
use crate::knowledge::{self, render, Knowledge};
use crate::rules::{noqa, Finding};
use crate::syntax::names::Imports;

pub use construct::keys_at;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub text: String,
    /// Byte range the hover is about.
    pub start: usize,
    pub end: usize,
}

/// Every module-level import of the file, from the blocks that parse.
pub fn imports(snap: &Snapshot) -> &Imports {
    &snap.module.imports
}

/// The explanation of a finding: its message, then why the rule exists, then the section.
fn finding_text(kb: &Knowledge, f: &Finding, markdown: bool) -> String {
    if f.is_syntax_error() {
        return f.message.clone();
    }
    let why = kb
        .rule(f.code)
        .map(|d| why_paragraph(&d.body))
        .unwrap_or_default();
    let reference = render::reference(kb, &f.section);
    if markdown {
        format!("**{}** {}\n\n{}\n\n{}", f.code, f.message, why, reference)
    } else {
        format!("{} {}\n\n{}\n\n{}", f.code, f.message, why, reference)
    }
}

/// The paragraph under "## Why it is flagged" in a rule document.
pub fn why_paragraph(body: &str) -> String {
    let mut lines = body.lines().skip_while(|l| !l.starts_with("## Why"));
    lines.next();
    lines
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("## "))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The hover at byte `offset`, given the findings shown for this file; None where nothing is
/// known (never a filler text).
pub fn hover(
    snap: &Snapshot,
    visible: &[Finding],
    offset: usize,
    markdown: bool,
    book: Option<&BookIndex>,
) -> Option<Hover> {
    let kb = knowledge::get();
    let text = &*snap.text;
    let offset = offset.min(text.len());
    let line_no = snap.lines().line_of(offset);
    let line_start = snap.lines().line_start(line_no);
    let line = snap.lines().line_text(text, line_no);

    if let Some(code) = noqa::code_at(line, offset - line_start) {
        if let Some(doc) = kb.rule(code) {
            let at = line_start + line.find(code).unwrap_or(0);
            let body = if markdown {
                render::rule_markdown(kb, doc)
            } else {
                render::explain_rule(kb, doc)
            };
            return Some(Hover {
                text: body,
                start: at,
                end: at + code.len(),
            });
        }
    }

    let mut parts = Vec::new();
    let mut range = None;
    for f in visible {
        let (first, last) = (
            snap.lines().line_of(f.start),
            snap.lines().line_of(f.end.max(f.start + 1) - 1),
        );
        if (first..=last).contains(&line_no) {
            parts.push(finding_text(kb, f, markdown));
            range.get_or_insert((f.start, f.end));
        }
    }

    if let Some((key_range, entry, also)) = construct::lookup(kb, snap, imports(snap), offset) {
        let mut body = if markdown {
            render::entry_markdown(kb, entry, &also)
        } else {
            render::entry_plain(kb, entry, &also)
        };
        if let Some(quote) = book.and_then(|b| book::excerpt(b, &entry.id, 320)) {
            body.push_str(&if markdown {
                format!("\n\n> From your copy: {quote}")
            } else {
                format!("\n\nFrom your copy: {quote}")
            });
        }
        parts.push(body);
        range = Some(key_range);
    }
    let (start, end) = range?;
    let sep = if markdown { "\n\n---\n\n" } else { "\n\n" };
    Some(Hover {
        text: parts.join(sep),
        start,
        end,
    })
}

#[cfg(test)]
mod tests;
