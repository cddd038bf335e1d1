//! `pymastery explain PM0105 | 1.5.1 | asyncio.gather`: the text of a rule, a section, or the
//! entry a construct points to.

use crate::knowledge::{self, render};

pub fn explain(query: &str) -> Option<String> {
    let kb = knowledge::get();
    let q = query.trim().trim_start_matches('§').trim_start_matches('@');
    if let Some(doc) = kb.rule(q) {
        return Some(render::explain_rule(kb, doc));
    }
    if let Some(entry) = kb.entry(q) {
        return Some(render::explain_entry(kb, entry));
    }
    let keys = if q.contains(':') {
        vec![q.to_string()]
    } else {
        ["name", "dunder", "kw", "syntax"]
            .iter()
            .map(|k| format!("{k}:{q}"))
            .collect()
    };
    keys.iter()
        .find_map(|k| kb.lookup(k))
        .map(|(entry, _)| render::explain_entry(kb, entry))
}
