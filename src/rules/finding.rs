//! What a rule reports: a finding with its code, range, message, book section and fix.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Keeps behaviour; applied by fix-all.
    Safe,
    /// May change behaviour (a signature, a value passed as None); offered, never applied in bulk.
    Unsafe,
}

/// Replace bytes `[start, end)` with `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub title: String,
    pub safety: Safety,
    pub edits: Vec<Edit>,
    /// Edits at offsets in the whole file rather than the block (an import at the top of the
    /// file, from `Ctx::import_edit`); `shifted` merges them into `edits`.
    #[serde(skip)]
    pub file_edits: Vec<Edit>,
}

impl Fix {
    /// Places a block's fix in the file: block offsets move by `by`, file edits join them.
    pub fn shifted(mut self, by: usize) -> Fix {
        for e in &mut self.edits {
            e.start += by;
            e.end += by;
        }
        self.edits.append(&mut self.file_edits);
        self.edits.sort_by_key(|e| (e.start, e.end));
        self
    }

    /// The text after applying this fix's edits.
    pub fn apply(&self, text: &str) -> String {
        let mut edits = self.edits.clone();
        edits.sort_by_key(|e| (e.start, e.end));
        crate::analysis::fixes::apply(text, &edits)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `PM0105`; empty for a syntax error, which has no rule.
    pub code: &'static str,
    pub start: usize,
    pub end: usize,
    pub message: String,
    /// Book section id (`1.5.1`); empty for a syntax error.
    pub section: String,
    pub fix: Option<Fix>,
    /// Other ways to fix it, offered as further quick fixes; never applied by fix-all or
    /// `check --fix`, which take only `fix`.
    pub alternatives: Vec<Fix>,
}

impl Finding {
    pub fn shifted(mut self, by: usize) -> Finding {
        self.start += by;
        self.end += by;
        self.fix = self.fix.map(|f| f.shifted(by));
        self.alternatives = self
            .alternatives
            .into_iter()
            .map(|f| f.shifted(by))
            .collect();
        self
    }

    pub fn is_syntax_error(&self) -> bool {
        self.code.is_empty()
    }
}
