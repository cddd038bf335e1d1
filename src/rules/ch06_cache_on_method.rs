//! PM0601: `functools.lru_cache` or `functools.cache` on a method: the cache keys hold `self`,
//! so every instance that was ever called stays alive as long as the cache does (§6.11.1).

use super::ch05_abcmeta_keyword::qualified;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct CacheOnMethod;

const CODE: &str = "PM0601";

impl Rule for CacheOnMethod {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s) = node else { return };
        let (args, decs) = match s {
            Stmt::FunctionDef(f) => (&*f.args, &f.decorator_list),
            Stmt::AsyncFunctionDef(f) => (&*f.args, &f.decorator_list),
            _ => return,
        };
        if !matches!(ctx.parents.last(), Some(Node::Stmt(Stmt::ClassDef(_)))) {
            return;
        }
        let first = args.posonlyargs.iter().chain(&args.args).next();
        if first.map(|a| a.def.arg.as_str()) != Some("self") {
            return;
        }
        let plain = |d: &Expr| match d {
            Expr::Name(n) => matches!(n.id.as_str(), "staticmethod" | "classmethod"),
            _ => false,
        };
        if decs.iter().any(plain) {
            return;
        }
        for d in decs.iter() {
            let callee = match d {
                Expr::Call(c) => &*c.func,
                other => other,
            };
            let Some(q) = qualified(ctx, callee) else {
                continue;
            };
            let name = match q.as_str() {
                "functools.lru_cache" | "lru_cache" => "lru_cache",
                "functools.cache" => "cache",
                _ => continue,
            };
            ctx.report(CODE, span(d), &[("decorator", name)], None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_caches_on_methods() {
        let src = "import functools\nfrom functools import cache\nclass Repo:\n    @functools.lru_cache(maxsize=64)\n    def load(self, key):\n        return key\n    @cache\n    def total(self):\n        return 0\n";
        let found = findings(src, "PM0601", T);
        assert_eq!(
            flagged(src, &found),
            ["functools.lru_cache(maxsize=64)", "cache"]
        );
        assert_eq!(
            found[0].message,
            "`@lru_cache` on a method keeps `self` in the cache: instances stay alive as long as the cache does, and the cache is shared by all of them"
        );
        assert_eq!(found[0].section, "6.11.1");
    }

    #[test]
    fn silent_on_functions_static_and_class_methods() {
        let src = "import functools\n@functools.lru_cache\ndef f(x):\n    return x\nclass A:\n    @staticmethod\n    @functools.lru_cache\n    def g(x):\n        return x\n    @classmethod\n    @functools.cache\n    def h(cls):\n        return cls\n    @functools.cached_property\n    def p(self):\n        return 1\n    @cache\n    def q(self):\n        return 1\n";
        assert!(findings(src, "PM0601", T).is_empty());
    }
}
