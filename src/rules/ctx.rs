//! The dispatch table and the context rules report through.

use super::typing_names::BlockNames;
use super::{registry, Finding, Fix, Kind, Node, Rule, Safety, Version};
use crate::knowledge;
use crate::syntax::ast::{self, Stmt};
use crate::syntax::facts::ModuleFacts;
use crate::syntax::walk::{walk, Visitor};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

/// The innermost definition around a node.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Module,
    Class(&'a ast::StmtClassDef),
    Function(&'a Stmt),
}

pub struct Ctx<'a> {
    /// The block's text; every offset a rule sees or reports is relative to it.
    pub source: &'a str,
    pub target: Version,
    /// What the whole module says at its top level: imports, classes, functions. A rule that
    /// reads it is re-run on every block whenever these facts change.
    pub module: &'a ModuleFacts,
    /// Ancestors of the node being checked, outermost first.
    pub parents: Vec<Node<'a>>,
    findings: Vec<Finding>,
    /// The names of the top-level statement last asked about (`BlockNames::of_block`): every
    /// rule and node of a statement shares one collection.
    names: StmtMemo<BlockNames>,
    /// Answers of `mentions`, so a rule's text prefilter scans the block once, not per node.
    mentioned: RefCell<Vec<(&'static str, bool)>>,
    /// Per top-level statement: for each name it defines with `def`, whether every such
    /// definition is a plain generator function (`gen_util::makes_generator`).
    generator_defs: StmtMemo<HashMap<String, bool>>,
}

/// One value made for the top-level statement last asked about, keyed by its address: rules
/// ask on every node, and the value depends only on the statement.
struct StmtMemo<T>(RefCell<Option<(*const Stmt, Rc<T>)>>);

impl<T> Default for StmtMemo<T> {
    fn default() -> Self {
        StmtMemo(RefCell::new(None))
    }
}

impl<T> StmtMemo<T> {
    fn get(&self, top: &Stmt, make: impl FnOnce() -> T) -> Rc<T> {
        let key = top as *const Stmt;
        if let Some((k, v)) = &*self.0.borrow() {
            if *k == key {
                return v.clone();
            }
        }
        let v = Rc::new(make());
        *self.0.borrow_mut() = Some((key, v.clone()));
        v
    }
}

impl<'a> Ctx<'a> {
    /// The names collected for top-level statement `top`, made by `make` the first time.
    pub(super) fn block_names(
        &self,
        top: &Stmt,
        make: impl FnOnce() -> BlockNames,
    ) -> Rc<BlockNames> {
        self.names.get(top, make)
    }

    /// True when the block's text contains `word`. Rules use it as a cheap prefilter; the
    /// answer is kept, since a rule asks on every node of its kinds and a class block can be
    /// thousands of lines long.
    pub fn mentions(&self, word: &'static str) -> bool {
        if let Some(&(_, hit)) = self.mentioned.borrow().iter().find(|(w, _)| *w == word) {
            return hit;
        }
        let hit = self.source.contains(word);
        self.mentioned.borrow_mut().push((word, hit));
        hit
    }

    /// The generator-definition table of top-level statement `top`, made by `make` once.
    pub(super) fn generator_defs(
        &self,
        top: &Stmt,
        make: impl FnOnce() -> HashMap<String, bool>,
    ) -> Rc<HashMap<String, bool>> {
        self.generator_defs.get(top, make)
    }

    /// The innermost class or function containing the current node.
    pub fn scope(&self) -> Scope<'a> {
        for p in self.parents.iter().rev() {
            match p {
                Node::Stmt(Stmt::ClassDef(c)) => return Scope::Class(c),
                Node::Stmt(s @ (Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))) => {
                    return Scope::Function(s)
                }
                _ => {}
            }
        }
        Scope::Module
    }

    /// The statement list that holds `stmt` directly, when its parent is a compound statement;
    /// None for a top-level statement.
    pub fn body_holding(&self, stmt: &Stmt) -> Option<&'a [Stmt]> {
        let Some(Node::Stmt(parent)) = self.parents.last().copied() else {
            return None;
        };
        let handlers = |hs: &'a [ast::ExceptHandler]| {
            hs.iter()
                .map(|h| {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    &h.body[..]
                })
                .collect::<Vec<_>>()
        };
        let bodies: Vec<&'a [Stmt]> = match parent {
            Stmt::FunctionDef(f) => vec![&f.body],
            Stmt::AsyncFunctionDef(f) => vec![&f.body],
            Stmt::ClassDef(c) => vec![&c.body],
            Stmt::If(x) => vec![&x.body, &x.orelse],
            Stmt::For(x) => vec![&x.body, &x.orelse],
            Stmt::AsyncFor(x) => vec![&x.body, &x.orelse],
            Stmt::While(x) => vec![&x.body, &x.orelse],
            Stmt::With(x) => vec![&x.body],
            Stmt::AsyncWith(x) => vec![&x.body],
            Stmt::Try(x) => {
                let mut v: Vec<&[Stmt]> = vec![&x.body, &x.orelse, &x.finalbody];
                v.extend(handlers(&x.handlers));
                v
            }
            Stmt::TryStar(x) => {
                let mut v: Vec<&[Stmt]> = vec![&x.body, &x.orelse, &x.finalbody];
                v.extend(handlers(&x.handlers));
                v
            }
            Stmt::Match(m) => m.cases.iter().map(|c| &c.body[..]).collect(),
            _ => Vec::new(),
        };
        bodies
            .into_iter()
            .find(|b| b.iter().any(|s| std::ptr::eq(s, stmt)))
    }

    /// An edit that deletes statement `stmt` with its line, or turns it into `pass` when it is
    /// alone in its body. None when other code shares its lines.
    pub fn delete_statement(&self, stmt: &Stmt) -> Option<super::Edit> {
        use super::source::{line_start, next_line_start, rest_of_line_blank, starts_line};
        let (s, t) = crate::syntax::span(stmt);
        if !starts_line(self.source, s) || !rest_of_line_blank(self.source, t) {
            return None;
        }
        if self.body_holding(stmt).is_some_and(|b| b.len() == 1) {
            return Some(super::Edit {
                start: s,
                end: t,
                text: "pass".into(),
            });
        }
        Some(super::Edit {
            start: line_start(self.source, s),
            end: next_line_start(self.source, t),
            text: String::new(),
        })
    }

    /// The line break this file uses.
    pub fn newline(&self) -> &'static str {
        if self.source.contains("\r\n") {
            "\r\n"
        } else if self.source.contains('\r') {
            "\r"
        } else {
            "\n"
        }
    }

    /// Reports a finding; its message is the rule document's template filled with `args`.
    pub fn report(
        &mut self,
        code: &'static str,
        range: (usize, usize),
        args: &[(&str, &str)],
        fix: Option<Fix>,
    ) {
        self.report_with_alternatives(code, range, args, fix, Vec::new());
    }

    /// Reports a finding with a main fix and other fixes offered beside it.
    pub fn report_with_alternatives(
        &mut self,
        code: &'static str,
        range: (usize, usize),
        args: &[(&str, &str)],
        fix: Option<Fix>,
        alternatives: Vec<Fix>,
    ) {
        let kb = knowledge::get();
        let (message, section) = match kb.rule(code) {
            Some(doc) => (knowledge::fill(&doc.message, args), doc.section.clone()),
            None => (code.to_string(), String::new()),
        };
        self.findings.push(Finding {
            code,
            start: range.0,
            end: range.1,
            message,
            section,
            fix,
            alternatives,
        });
    }

    /// An edit that adds `line` (an import) as a line of its own at the top of the file, after
    /// the module docstring and `__future__` imports. Goes in `Fix::file_edits`.
    pub fn import_edit(&self, line: &str) -> super::Edit {
        let nl = self.newline();
        let lead = if self.module.import_needs_newline {
            nl
        } else {
            ""
        };
        super::Edit {
            start: self.module.import_at,
            end: self.module.import_at,
            text: format!("{lead}{line}{nl}"),
        }
    }

    /// A second fix, titled by the rule document's `Other fix title`, filled with `args`.
    pub fn other_fix(
        &self,
        code: &str,
        args: &[(&str, &str)],
        safety: Safety,
        edits: Vec<super::Edit>,
    ) -> Fix {
        let title = knowledge::get()
            .rule(code)
            .map(|d| knowledge::fill(&d.other_fix_title, args))
            .unwrap_or_else(|| format!("Fix {code}"));
        Fix {
            title,
            safety,
            edits,
            file_edits: Vec::new(),
        }
    }

    /// A fix titled by the rule document's `Fix title`, filled with `args`.
    pub fn fix(
        &self,
        code: &str,
        args: &[(&str, &str)],
        safety: Safety,
        edits: Vec<super::Edit>,
    ) -> Fix {
        let title = knowledge::get()
            .rule(code)
            .map(|d| knowledge::fill(&d.fix_title, args))
            .unwrap_or_else(|| format!("Fix {code}"));
        Fix {
            title,
            safety,
            edits,
            file_edits: Vec::new(),
        }
    }
}

type Table = Vec<Vec<&'static dyn Rule>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Table = vec![Vec::new(); Kind::COUNT];
        for rule in registry::all() {
            for k in rule.kinds() {
                t[*k as usize].push(*rule);
            }
        }
        t
    })
}

struct Dispatch<'a> {
    ctx: Ctx<'a>,
    table: &'static Table,
}

impl<'a> Visitor<'a> for Dispatch<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        for rule in &self.table[Kind::of(node) as usize] {
            rule.check(node, &mut self.ctx);
        }
        self.ctx.parents.push(node);
        true
    }

    fn leave(&mut self, _node: Node<'a>) {
        self.ctx.parents.pop();
    }
}

/// Runs every rule on one block's statements; offsets are relative to `source`.
pub fn check_block(
    stmts: &[Stmt],
    source: &str,
    target: Version,
    module: &ModuleFacts,
) -> Vec<Finding> {
    let ctx = Ctx {
        source,
        target,
        module,
        parents: Vec::new(),
        findings: Vec::new(),
        names: StmtMemo::default(),
        mentioned: RefCell::new(Vec::new()),
        generator_defs: StmtMemo::default(),
    };
    let mut d = Dispatch {
        ctx,
        table: table(),
    };
    walk(stmts, &mut d);
    d.ctx.findings
}
