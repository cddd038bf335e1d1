//! Printing a check report: text for people, JSON and SARIF for tools, GitHub annotations.

use super::{Located, Report};
use crate::knowledge;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
}

fn code(l: &Located) -> &str {
    if l.finding.is_syntax_error() {
        "SyntaxError"
    } else {
        l.finding.code
    }
}

fn cite(l: &Located) -> String {
    if l.finding.section.is_empty() {
        String::new()
    } else {
        format!(" [{}]", knowledge::get().cite(&l.finding.section))
    }
}

pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => report
            .findings
            .iter()
            .map(|l| format!("{}:{}:{}: {} {}{}\n", l.path.display(), l.line, l.col, code(l), l.finding.message, cite(l)))
            .collect(),
        Format::Github => report
            .findings
            .iter()
            .map(|l| {
                let msg = format!("{}{}", l.finding.message, cite(l)).replace('%', "%25").replace('\n', "%0A");
                format!(
                    "::warning file={},line={},col={},endLine={},endColumn={},title=pymastery {}::{}\n",
                    l.path.display(),
                    l.line,
                    l.col,
                    l.end_line,
                    l.end_col,
                    code(l),
                    msg
                )
            })
            .collect(),
        Format::Json => {
            let items: Vec<Value> = report.findings.iter().map(json_item).collect();
            let mut s = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
            s.push('\n');
            s
        }
        Format::Sarif => {
            let mut s = serde_json::to_string_pretty(&sarif(report)).unwrap_or_else(|_| "{}".into());
            s.push('\n');
            s
        }
    }
}

fn json_item(l: &Located) -> Value {
    let kb = knowledge::get();
    let f = &l.finding;
    json!({
        "path": l.path.display().to_string(),
        "line": l.line,
        "column": l.col,
        "end_line": l.end_line,
        "end_column": l.end_col,
        "code": if f.is_syntax_error() { Value::Null } else { Value::String(f.code.into()) },
        "message": f.message,
        "section": if f.section.is_empty() { Value::Null } else { Value::String(f.section.clone()) },
        "section_title": kb.section(&f.section).map(|s| s.title.clone()),
        "fix": f.fix,
    })
}

fn sarif(report: &Report) -> Value {
    let kb = knowledge::get();
    let rules: Vec<Value> = crate::rules::all()
        .iter()
        .filter_map(|r| kb.rule(r.code()))
        .map(|d| {
            json!({
                "id": d.code,
                "name": d.name,
                "shortDescription": { "text": crate::hover::why_paragraph(&d.body) },
                "fullDescription": { "text": d.body },
                "properties": { "section": d.section, "sectionTitle": kb.cite(&d.section) },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|l| {
            json!({
                "ruleId": code(l),
                "level": if l.finding.is_syntax_error() { "error" } else { "warning" },
                "message": { "text": format!("{}{}", l.finding.message, cite(l)) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": l.path.display().to_string().replace('\\', "/") },
                        "region": {
                            "startLine": l.line,
                            "startColumn": l.col,
                            "endLine": l.end_line,
                            "endColumn": l.end_col,
                        }
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pymastery",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/pymastery/pymastery",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
