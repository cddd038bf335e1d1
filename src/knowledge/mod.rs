//! The knowledge base: the book's outline, an entry per section, the triggers that point
//! constructs at entries, and the rules' documentation. Parsed once from the files embedded at
//! build time; read-only afterwards.

pub mod book;
mod parse;
pub mod render;
pub mod search;

use std::collections::HashMap;
use std::sync::OnceLock;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/knowledge_files.rs"));
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub level: u8,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub struct Entry {
    pub id: String,
    pub summary: String,
    pub explanation: String,
    pub example: Option<String>,
    pub see_also: Vec<String>,
    pub triggers: Vec<Trigger>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub key: String,
    pub primary: bool,
}

/// A rule's documentation: the header fields the engine reads, and the prose `explain` prints.
#[derive(Debug, Clone, Default)]
pub struct RuleDoc {
    pub code: String,
    pub name: String,
    pub section: String,
    pub default_on: bool,
    pub fix: String,
    pub message: String,
    pub fix_title: String,
    /// The title of a second fix some rules offer beside the main one (`Other fix title`).
    pub other_fix_title: String,
    pub body: String,
}

#[derive(Debug, Default)]
pub struct Knowledge {
    pub sections: Vec<Section>,
    index: HashMap<String, usize>,
    pub entries: HashMap<String, Entry>,
    /// Trigger key -> (section id, primary?) in file order.
    pub triggers: HashMap<String, Vec<(String, bool)>>,
    pub rules: HashMap<String, RuleDoc>,
    /// What did not parse, for the validation tests; empty in a healthy build.
    pub problems: Vec<String>,
}

impl Knowledge {
    pub fn from_files(files: &[(&str, &str)]) -> Knowledge {
        parse::build(files)
    }

    pub fn section(&self, id: &str) -> Option<&Section> {
        self.index.get(id).map(|&i| &self.sections[i])
    }

    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id)
    }

    pub fn rule(&self, code: &str) -> Option<&RuleDoc> {
        self.rules.get(&code.to_ascii_uppercase())
    }

    /// The entry a trigger points to first, then the entries that name it as secondary.
    pub fn lookup(&self, key: &str) -> Option<(&Entry, Vec<&Section>)> {
        let hits = self.triggers.get(key)?;
        let (primary, _) = hits.iter().find(|(_, p)| *p).or_else(|| hits.first())?;
        let entry = self.entries.get(primary)?;
        let also = hits
            .iter()
            .filter(|(id, _)| id != primary)
            .filter_map(|(id, _)| self.section(id))
            .collect();
        Some((entry, also))
    }

    /// "§1.5.1 The Mutable Default Argument Trap", or the bare id if the outline lacks it.
    pub fn cite(&self, id: &str) -> String {
        match self.section(id) {
            Some(s) => format!("§{} {}", s.id, s.title),
            None => format!("§{id}"),
        }
    }
}

/// The knowledge base embedded in this binary.
pub fn get() -> &'static Knowledge {
    static KB: OnceLock<Knowledge> = OnceLock::new();
    KB.get_or_init(|| Knowledge::from_files(embedded::FILES))
}

/// Fills `{name}` placeholders of a rule's message or fix title.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}
