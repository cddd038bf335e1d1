//! PM0140: `global x` in a function that rebinds `x`, so that calling the function changes
//! module state behind its callers' backs (§1.5.2).

use super::ch01_nonlocal_misuse::ScopeBindings;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Stmt;
use crate::syntax::span;

pub struct GlobalRebind;

const CODE: &str = "PM0140";

impl Rule for GlobalRebind {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Global]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::Global(g)) = node else {
            return;
        };
        let Some(own) = ctx.parents.iter().rev().find(|p| {
            matches!(
                p,
                Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            )
        }) else {
            return;
        };
        let scope = match own {
            Node::Stmt(Stmt::FunctionDef(f)) => ScopeBindings::of_function(&f.args, &f.body),
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => ScopeBindings::of_function(&f.args, &f.body),
            _ => return,
        };
        let rebound: Vec<String> = g
            .names
            .iter()
            .filter(|n| scope.bound.contains(n.as_str()))
            .map(|n| format!("`{}`", n.as_str()))
            .collect();
        if rebound.is_empty() {
            return;
        }
        ctx.report(CODE, span(stmt), &[("names", &rebound.join(", "))], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_global_that_is_assigned() {
        let src = "\
def configure(path):
    global _settings, _cache, _unused
    _settings = load(path)
    _cache += 1

async def reset():
    global _pool
    for _pool in range(2):
        pass
";
        let found = findings(src, "PM0140", T);
        assert_eq!(
            flagged(src, &found),
            ["global _settings, _cache, _unused", "global _pool"]
        );
        assert_eq!(
            found[0].message,
            "`global` lets this function rebind module state (`_settings`, `_cache`): every caller and test now shares and depends on it"
        );
        assert_eq!(found[0].section, "1.5.2");
    }

    #[test]
    fn silent_when_only_read_or_mutated() {
        let src = "\
def read():
    global _registry
    _registry.append(1)
    _registry['a'] = 2
    return _registry

def outer():
    global n
    def inner():
        n = 1
    return inner

global top
";
        assert!(findings(src, "PM0140", T).is_empty());
    }
}
