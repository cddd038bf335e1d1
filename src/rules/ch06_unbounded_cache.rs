//! PM0603: a function that fills a global dict as a cache (`if key in CACHE` / `CACHE.get(key)`,
//! then `CACHE[key] = ...`) and never evicts anything: it grows for the life of the process
//! (§6.11.1).

use super::iter_util::{enclosing_function, scan};
use super::thread_util::method_call;
use super::typing_names::{text, BlockNames};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{CmpOp, Expr, ExprContext, Stmt};
use crate::syntax::span;

pub struct UnboundedCache;

const CODE: &str = "PM0603";

/// Methods that remove entries.
const EVICTS: &[&str] = &["pop", "popitem", "clear", "__delitem__"];

impl Rule for UnboundedCache {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Assign(a)) = node else {
            return;
        };
        for t in &a.targets {
            if let Expr::Subscript(sub) = t {
                self.target(ctx, t, sub);
            }
        }
    }
}

impl UnboundedCache {
    fn target(&self, ctx: &mut Ctx<'_>, t: &Expr, sub: &crate::syntax::ast::ExprSubscript) {
        let Expr::Name(n) = &*sub.value else { return };
        let name = n.id.as_str();
        let lower = name.to_ascii_lowercase();
        if !(lower.contains("cache") || lower.contains("memo")) {
            return;
        }
        let Some((def, body, _)) = enclosing_function(ctx) else {
            return;
        };
        // A global: not bound by the function, not an import.
        let own = BlockNames::of(std::slice::from_ref(def));
        let declared_global = {
            let mut g = false;
            scan(body, |x| {
                if let Node::Stmt(Stmt::Global(s)) = x {
                    g |= s.names.iter().any(|i| i.as_str() == name);
                }
            });
            g
        };
        if (own.binds(name) && !declared_global) || ctx.module.imports.imported(name).is_some() {
            return;
        }
        let key = text(ctx.source, &*sub.slice);
        let is_name = |e: &Expr| matches!(e, Expr::Name(x) if x.id.as_str() == name);
        let (mut checked, mut evicts) = (false, false);
        scan(body, |x| match x {
            Node::Expr(Expr::Compare(c)) => {
                checked |= c.ops.iter().any(|o| matches!(o, CmpOp::In | CmpOp::NotIn))
                    && c.comparators.iter().any(is_name);
            }
            Node::Expr(e @ Expr::Call(_)) => {
                if method_call(e, &["get", "setdefault"]).is_some_and(is_name) {
                    checked = true;
                }
                if method_call(e, EVICTS).is_some_and(is_name) {
                    evicts = true;
                }
            }
            Node::Expr(Expr::Subscript(s)) if s.ctx == ExprContext::Del && is_name(&s.value) => {
                evicts = true
            }
            // A try/except KeyError lookup counts as the check too.
            Node::Expr(Expr::Subscript(s)) if s.ctx == ExprContext::Load && is_name(&s.value) => {
                checked = true
            }
            // Any rebinding of the name resets the cache.
            Node::Expr(Expr::Name(x)) if x.ctx == ExprContext::Store && x.id.as_str() == name => {
                evicts = true
            }
            _ => {}
        });
        if !checked || evicts {
            return;
        }
        ctx.report(CODE, span(t), &[("cache", name), ("key", key)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);
    const C: &str = "PM0603";

    #[test]
    fn flags_a_global_cache_that_only_grows() {
        let src = "_cache = {}\n\ndef lookup(key):\n    if key in _cache:\n        return _cache[key]\n    value = _cache[key] = compute(key)\n    return value\n\ndef other(k):\n    hit = MEMO.get(k)\n    if hit is None:\n        MEMO[k] = hit = slow(k)\n    return hit\n";
        let found = findings(src, C, T);
        assert_eq!(flagged(src, &found), ["_cache[key]", "MEMO[k]"]);
        let src2 = "def lookup(key):\n    if key in _cache:\n        return _cache[key]\n    _cache[key] = compute(key)\n    return _cache[key]\n";
        let found = findings(src2, C, T);
        assert_eq!(flagged(src2, &found), ["_cache[key]"]);
        assert_eq!(
            found[0].message,
            "`_cache[key] = ...` adds to a module-level cache that nothing here ever evicts: every distinct key stays in memory for the life of the process; bound it (`functools.lru_cache(maxsize=...)`) or clear it"
        );
        assert_eq!(found[0].section, "6.11.1");
    }

    #[test]
    fn silent_when_local_evicted_or_not_a_cache() {
        let src = "def a(key):\n    _cache = {}\n    if key in _cache:\n        return _cache[key]\n    _cache[key] = 1\n\ndef b(key):\n    if key in _cache:\n        return _cache[key]\n    if len(_cache) > 100:\n        _cache.clear()\n    _cache[key] = 1\n\ndef c(key):\n    if key in registry:\n        return registry[key]\n    registry[key] = 1\n\ndef d(self, key):\n    if key in self._cache:\n        return 1\n    self._cache[key] = 1\n\ndef e(key):\n    _cache[key] = 1\n\ndef f(key, _cache):\n    if key in _cache:\n        return 1\n    _cache[key] = 2\n";
        assert!(findings(src, C, T).is_empty());
    }
}
