//! Reading the knowledge files: `outline.tsv`, `chapters/*.md`, `rules/*.md`.

use super::{Entry, Knowledge, RuleDoc, Section, Trigger};

pub fn build(files: &[(&str, &str)]) -> Knowledge {
    let mut kb = Knowledge::default();
    for (path, text) in files {
        if *path == "outline.tsv" {
            outline(&mut kb, text);
        }
    }
    for (path, text) in files {
        if path.starts_with("chapters/") {
            for entry in entries(path, text, &mut kb.problems) {
                for t in &entry.triggers {
                    kb.triggers
                        .entry(t.key.clone())
                        .or_default()
                        .push((entry.id.clone(), t.primary));
                }
                if kb.entries.contains_key(&entry.id) {
                    kb.problems
                        .push(format!("{path}: entry {} written twice", entry.id));
                }
                kb.entries.insert(entry.id.clone(), entry);
            }
        } else if path.starts_with("rules/") {
            match rule_doc(text) {
                Some(doc) => {
                    kb.rules.insert(doc.code.clone(), doc);
                }
                None => kb.problems.push(format!("{path}: not a rule document")),
            }
        }
    }
    kb
}

fn outline(kb: &mut Knowledge, text: &str) {
    for line in text.lines().skip(1) {
        let mut cols = line.split('\t');
        let (Some(id), Some(level), Some(title)) = (cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        kb.index.insert(id.to_string(), kb.sections.len());
        kb.sections.push(Section {
            id: id.to_string(),
            level: level.parse().unwrap_or(2),
            title: title.to_string(),
        });
    }
}

const FIELDS: [&str; 5] = [
    "Summary:",
    "Explanation:",
    "Example:",
    "See also:",
    "Triggers:",
];

fn entries(path: &str, text: &str, problems: &mut Vec<String>) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut current: Option<(Entry, String, String)> = None; // entry, field, accumulated text
    let mut in_code = false;
    for line in text.lines() {
        let fence = line.trim_start().starts_with("```");
        if !in_code && line.starts_with("## ") {
            if let Some((e, f, v)) = current.take() {
                out.push(finish(e, &f, &v));
            }
            let entry = Entry {
                id: line[3..].trim().to_string(),
                ..Entry::default()
            };
            current = Some((entry, String::new(), String::new()));
            continue;
        }
        let Some((entry, field, value)) = current.as_mut() else {
            continue;
        };
        if !in_code {
            if let Some(f) = FIELDS.iter().find(|f| line.starts_with(*f)) {
                let done = std::mem::take(value);
                let prev = std::mem::replace(field, f.to_string());
                *entry = finish(std::mem::take(entry), &prev, &done);
                value.push_str(line[f.len()..].trim());
                continue;
            }
        }
        if fence {
            in_code = !in_code;
        }
        if !value.is_empty() {
            value.push('\n');
        }
        value.push_str(line);
    }
    if let Some((e, f, v)) = current.take() {
        out.push(finish(e, &f, &v));
    }
    if out.is_empty() {
        problems.push(format!("{path}: no entries"));
    }
    out
}

fn finish(mut e: Entry, field: &str, value: &str) -> Entry {
    let v = value.trim();
    match field {
        "Summary:" => e.summary = join_lines(v),
        "Explanation:" => e.explanation = join_lines(v),
        "Example:" => e.example = code_block(v),
        "See also:" => {
            e.see_also = v
                .split(',')
                .map(|s| {
                    s.trim()
                        .trim_end_matches('.')
                        .trim_start_matches('§')
                        .to_string()
                })
                .filter(|s| !s.is_empty())
                .collect()
        }
        "Triggers:" => {
            e.triggers = v
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| match s.strip_prefix('~') {
                    Some(rest) => Trigger {
                        key: rest.trim().to_string(),
                        primary: false,
                    },
                    None => Trigger {
                        key: s.to_string(),
                        primary: true,
                    },
                })
                .collect()
        }
        _ => {}
    }
    e
}

/// Paragraph text re-flowed onto one line (the files wrap at 100 columns).
fn join_lines(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The code inside the first fenced block, its common indentation removed.
fn code_block(v: &str) -> Option<String> {
    let mut lines = v.lines().skip_while(|l| !l.trim_start().starts_with("```"));
    let fence = lines.next()?;
    let indent = fence.len() - fence.trim_start().len();
    let body: Vec<&str> = lines
        .take_while(|l| !l.trim_start().starts_with("```"))
        .map(|l| {
            if l.len() >= indent && l[..indent].trim().is_empty() {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect();
    if body.iter().all(|l| l.trim().is_empty()) {
        return None;
    }
    Some(body.join("\n"))
}

fn rule_doc(text: &str) -> Option<RuleDoc> {
    let mut lines = text.lines();
    let head = lines.next()?.strip_prefix("# ")?;
    let (code, name) = head.split_once(' ')?;
    let mut doc = RuleDoc {
        code: code.trim().to_string(),
        name: name.trim().to_string(),
        ..RuleDoc::default()
    };
    let mut body = Vec::new();
    let mut in_header = true;
    for line in lines {
        if in_header {
            if let Some((k, v)) = line.split_once(':') {
                let v = v.trim().to_string();
                match k {
                    "Section" => doc.section = v,
                    "Default" => doc.default_on = v == "on",
                    "Fix" => doc.fix = v,
                    "Message" => doc.message = v,
                    "Fix title" => doc.fix_title = v,
                    "Other fix title" => doc.other_fix_title = v,
                    _ => {}
                }
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            in_header = false;
        }
        body.push(line);
    }
    doc.body = body.join("\n").trim().to_string();
    Some(doc)
}
