//! Turning entries and rule documents into the text people read: hover Markdown, plain text
//! for clients without Markdown, and the terminal output of `explain`.

use super::{Entry, Knowledge, RuleDoc, Section};

pub const BOOK: &str = "Staff-Level Python Mastery";

/// The last line of every hover: the book and the section.
pub fn reference(kb: &Knowledge, id: &str) -> String {
    format!("{BOOK}, {}", kb.cite(id))
}

fn title(kb: &Knowledge, id: &str) -> String {
    kb.section(id)
        .map_or_else(|| id.to_string(), |s| s.title.replace('`', ""))
}

/// A hover's text for an entry: title, summary, explanation, example, the sections that also
/// cover the construct, and the reference line; Markdown or plain text.
fn entry_text(kb: &Knowledge, entry: &Entry, also: &[&Section], markdown: bool) -> String {
    let heading = if markdown { "### " } else { "" };
    let mut out = format!(
        "{heading}{}\n\n{}\n\n{}",
        title(kb, &entry.id),
        entry.summary,
        entry.explanation
    );
    if let Some(ex) = &entry.example {
        out.push_str(&if markdown {
            format!("\n\n```python\n{ex}\n```")
        } else {
            format!("\n\n{ex}")
        });
    }
    if !also.is_empty() {
        let list: Vec<String> = also
            .iter()
            .map(|s| format!("§{} {}", s.id, s.title))
            .collect();
        out.push_str(&format!("\n\nAlso: {}", list.join("; ")));
    }
    let rule = if markdown { "\n\n---\n" } else { "\n\n" };
    out.push_str(&format!("{rule}{}", reference(kb, &entry.id)));
    out
}

pub fn entry_markdown(kb: &Knowledge, entry: &Entry, also: &[&Section]) -> String {
    entry_text(kb, entry, also, true)
}

pub fn entry_plain(kb: &Knowledge, entry: &Entry, also: &[&Section]) -> String {
    entry_text(kb, entry, also, false)
}

pub fn rule_markdown(kb: &Knowledge, doc: &RuleDoc) -> String {
    format!(
        "### {} {}\n\n{}\n\n---\n{}",
        doc.code,
        doc.name,
        doc.body,
        reference(kb, &doc.section)
    )
}

/// Terminal text for `pymastery explain`: the entry, then the rules that cite it.
pub fn explain_entry(kb: &Knowledge, entry: &Entry) -> String {
    let mut out = format!(
        "{}\n\n{}\n\n{}\n",
        kb.cite(&entry.id),
        entry.summary,
        entry.explanation
    );
    if let Some(ex) = &entry.example {
        out.push_str(&format!("\nExample:\n{}\n", indent(ex)));
    }
    if !entry.see_also.is_empty() {
        let list: Vec<String> = entry.see_also.iter().map(|id| kb.cite(id)).collect();
        out.push_str(&format!("\nSee also: {}\n", list.join("; ")));
    }
    let mut rules: Vec<&RuleDoc> = kb
        .rules
        .values()
        .filter(|r| r.section == entry.id)
        .collect();
    rules.sort_by(|a, b| a.code.cmp(&b.code));
    for r in rules {
        out.push_str(&format!(
            "\nRule {} {}: {}\n",
            r.code,
            r.name,
            first_paragraph(&r.body)
        ));
    }
    out.push_str(&format!("\n{}\n", reference(kb, &entry.id)));
    out
}

pub fn explain_rule(kb: &Knowledge, doc: &RuleDoc) -> String {
    format!(
        "{} {}\nSection: {}\nDefault: {}\nFix: {}\n\n{}\n\n{}\n",
        doc.code,
        doc.name,
        kb.cite(&doc.section),
        if doc.default_on { "on" } else { "off" },
        doc.fix,
        doc.body,
        reference(kb, &doc.section)
    )
}

fn indent(code: &str) -> String {
    code.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn first_paragraph(body: &str) -> String {
    body.lines()
        .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
