//! Resolving names through imports and aliases: `import asyncio as aio` makes `aio.gather`
//! mean `asyncio.gather`; `from concurrent import futures` makes `futures.X` mean
//! `concurrent.futures.X`. Names nobody imported resolve to themselves (builtins).

use super::ast::{Expr, Stmt};
use std::collections::HashMap;

/// Local name -> fully qualified name, from the import statements seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Imports {
    map: HashMap<String, String>,
}

impl Imports {
    /// Records the imports of `body`, descending into `if`/`try`/`with` (TYPE_CHECKING blocks,
    /// optional imports) but not into functions or classes.
    pub fn add(&mut self, body: &[Stmt]) {
        for s in body {
            match s {
                Stmt::Import(i) => {
                    for a in &i.names {
                        let full = a.name.as_str();
                        match &a.asname {
                            Some(alias) => self.bind(alias.as_str(), full),
                            None => {
                                let head = full.split('.').next().unwrap_or(full);
                                self.bind(head, head)
                            }
                        }
                    }
                }
                Stmt::ImportFrom(i) => {
                    let level = i.level.as_ref().map_or(0, |l| l.to_u32());
                    let (Some(module), 0) = (&i.module, level) else {
                        continue;
                    };
                    for a in &i.names {
                        let name = a.name.as_str();
                        if name == "*" {
                            continue;
                        }
                        let local = a.asname.as_ref().map_or(name, |x| x.as_str());
                        self.bind(local, &format!("{}.{name}", module.as_str()));
                    }
                }
                Stmt::If(x) => {
                    self.add(&x.body);
                    self.add(&x.orelse);
                }
                Stmt::Try(x) => {
                    self.add(&x.body);
                    for h in &x.handlers {
                        let super::ast::ExceptHandler::ExceptHandler(h) = h;
                        self.add(&h.body);
                    }
                    self.add(&x.orelse);
                }
                Stmt::With(x) => self.add(&x.body),
                _ => {}
            }
        }
    }

    pub fn bind(&mut self, local: &str, full: &str) {
        self.map.insert(local.to_string(), full.to_string());
    }

    /// Every (local name, qualified name) pair, in no particular order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(a, b)| (a.as_str(), b.as_str()))
    }

    /// The qualified name a local name was imported as, if it was imported.
    pub fn imported(&self, local: &str) -> Option<&str> {
        self.map.get(local).map(String::as_str)
    }

    /// The qualified name of a dotted expression: `aio.gather` -> `asyncio.gather`.
    pub fn resolve(&self, e: &Expr) -> Option<String> {
        match e {
            Expr::Name(n) => {
                let id = n.id.as_str();
                Some(self.map.get(id).cloned().unwrap_or_else(|| id.to_string()))
            }
            Expr::Attribute(a) => Some(format!("{}.{}", self.resolve(&a.value)?, a.attr.as_str())),
            _ => None,
        }
    }

    /// The qualified name of a dotted name written as text (for blocks that do not parse).
    pub fn resolve_text(&self, dotted: &str) -> String {
        let (head, rest) = dotted.split_once('.').unwrap_or((dotted, ""));
        let head = self.map.get(head).map_or(head, String::as_str);
        if rest.is_empty() {
            head.to_string()
        } else {
            format!("{head}.{rest}")
        }
    }
}
