//! PM1006: a call to an `async def` of this module (a top-level coroutine function, or a
//! method of the same class called through `self`) used as a bare statement: the coroutine
//! object is made and dropped, and its body never runs (§10.2.1).

use super::api_util::Func;
use super::conc_common::enclosing_async;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct CoroutineNotAwaited;

const CODE: &str = "PM1006";

impl Rule for CoroutineNotAwaited {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Expr]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Expr(stmt)) = node else {
            return;
        };
        let Expr::Call(call) = &*stmt.value else {
            return;
        };
        let Some(func) = innermost_function(ctx) else {
            return;
        };
        let shown = match &*call.func {
            Expr::Name(n) => {
                let name = n.id.as_str();
                if !module_coroutine(name, ctx) {
                    return;
                }
                name.to_string()
            }
            Expr::Attribute(a) => {
                let Expr::Name(recv) = &*a.value else { return };
                if !self_coroutine(recv.id.as_str(), a.attr.as_str(), func, ctx) {
                    return;
                }
                format!("{}.{}", recv.id, a.attr)
            }
            _ => return,
        };
        let fix = enclosing_async(ctx).map(|_| {
            let (s, _) = span(&*stmt.value);
            ctx.fix(
                CODE,
                &[],
                Safety::Unsafe,
                vec![Edit {
                    start: s,
                    end: s,
                    text: "await ".into(),
                }],
            )
        });
        ctx.report(CODE, span(&*stmt.value), &[("call", shown.as_str())], fix);
    }
}

/// The innermost function around the node being checked, when no class body or lambda stands
/// between them.
fn innermost_function<'a>(ctx: &Ctx<'a>) -> Option<Func<'a>> {
    for p in ctx.parents.iter().rev() {
        match p {
            Node::Stmt(s @ (Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))) => {
                return Func::of(s)
            }
            Node::Stmt(Stmt::ClassDef(_)) | Node::Expr(Expr::Lambda(_)) => return None,
            _ => {}
        }
    }
    None
}

/// True when `name` is a coroutine function defined (undecorated, every time) at the top
/// level of this module, and no enclosing function, import or class rebinds it.
fn module_coroutine(name: &str, ctx: &Ctx<'_>) -> bool {
    let mut defs = ctx.module.functions_named(name).peekable();
    if defs.peek().is_none() {
        return false;
    }
    if !defs.all(|f| f.is_async && f.decorators.is_empty()) {
        return false;
    }
    if ctx.module.class(name).is_some() || ctx.module.imports.imported(name).is_some() {
        return false;
    }
    // A parameter, local assignment or import of the same name in any enclosing function.
    !ctx.parents.iter().any(|p| match p {
        Node::Stmt(s) => Func::of(s)
            .is_some_and(|f| f.params().contains(&name) || BlockNames::of(f.body).binds(name)),
        Node::Expr(_) => false,
    })
}

/// True when `recv.attr` is `self.method` in a method whose class defines `method` only as an
/// undecorated (or static/class method) `async def`.
fn self_coroutine(recv: &str, attr: &str, func: Func<'_>, ctx: &Ctx<'_>) -> bool {
    let Some(Node::Stmt(Stmt::ClassDef(class))) = ctx
        .parents
        .iter()
        .rev()
        .skip_while(|p| !matches!(p, Node::Stmt(s) if std::ptr::eq(*s, func.stmt)))
        .nth(1)
    else {
        return false;
    };
    if func.decorated_with(&["staticmethod", "classmethod"]) {
        return false;
    }
    if func.params().first() != Some(&recv) {
        return false;
    }
    let mut defs = class
        .body
        .iter()
        .filter_map(Func::of)
        .filter(|f| f.name == attr)
        .peekable();
    defs.peek().is_some()
        && defs.all(|f| {
            f.is_async
                && f.decorators.iter().all(|d| {
                    matches!(d, Expr::Name(n) if matches!(n.id.as_str(), "staticmethod" | "classmethod"))
                })
        })
        && !class.body.iter().any(|s| assigns_name(s, attr))
        // Last: it walks the whole method, and this runs for every `self.x(...)` statement.
        && !BlockNames::of(func.body).assigns(recv)
}

/// True when a class-body statement assigns `name` (`fetch = something`).
fn assigns_name(s: &Stmt, name: &str) -> bool {
    match s {
        Stmt::Assign(a) => a
            .targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name)),
        Stmt::AnnAssign(a) => matches!(&*a.target, Expr::Name(n) if n.id.as_str() == name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_coroutines_called_as_statements() {
        let src = "\
async def fetch(url):
    return url

async def main(urls):
    fetch(urls[0])
    for u in urls:
        fetch(u)

def sync_caller():
    fetch('x')

class Client:
    async def close(self):
        pass

    async def run(self):
        self.close()

    def stop(self):
        self.close()
";
        let found = findings(src, "PM1006", T);
        assert_eq!(
            flagged(src, &found),
            [
                "fetch(urls[0])",
                "fetch(u)",
                "fetch('x')",
                "self.close()",
                "self.close()"
            ]
        );
        assert_eq!(
            found[0].message,
            "`fetch()` is an `async def`: calling it without `await` only makes a coroutine object, and its body never runs"
        );
        assert_eq!(found[0].section, "10.2.1");
        assert!(found[0].fix.is_some());
        assert!(found[2].fix.is_none(), "no await possible in a plain def");
        assert!(found[4].fix.is_none());
    }

    #[test]
    fn silent_on_awaited_scheduled_or_passed_coroutines() {
        let src = "\
import asyncio

async def fetch(url):
    return url

async def main(urls, loop):
    await fetch(urls[0])
    t = asyncio.create_task(fetch(urls[1]))
    await asyncio.gather(fetch('a'), fetch('b'))
    loop.run_until_complete(fetch('c'))
    x = fetch('d')
    return t, x

fetch('at module level')
";
        assert!(findings(src, "PM1006", T).is_empty());
    }

    #[test]
    fn silent_on_near_misses() {
        // A sync function of the same name, a shadowing parameter, a decorated coroutine,
        // another object's method, a sync method, a class attribute rebinding the method.
        let src = "\
def fetch(url):
    return url

def deco(f):
    return f

@deco
async def wrapped():
    pass

async def main(close, other):
    fetch('x')
    close()
    wrapped()
    other.close()

async def shadowed():
    def helper():
        pass
    helper()

async def helper():
    pass

async def local():
    from somewhere import helper
    helper()

class Client:
    async def close(self):
        pass

    def flush(self):
        pass

    async def run(self):
        self.flush()
        other = Client()
        other.close()

    @staticmethod
    async def tool():
        self.close()

class Sub:
    async def ping(self):
        pass
    ping = sync_version(ping)

    async def go(self):
        self.ping()
";
        assert!(findings(src, "PM1006", T).is_empty());
        let imported = "from lib import fetch\n\nasync def fetch():\n    pass\n\nasync def m():\n    fetch()\n";
        assert!(findings(imported, "PM1006", T).is_empty());
        let both = "if X:\n    async def f():\n        pass\nelse:\n    def f():\n        pass\n\nasync def m():\n    f()\n";
        assert!(findings(both, "PM1006", T).is_empty());
    }

    #[test]
    fn fix_adds_await() {
        let src = "async def ping():\n    pass\n\nasync def main():\n    ping()  # keepalive\n";
        assert_eq!(
            fixed(src, "PM1006", T),
            "async def ping():\n    pass\n\nasync def main():\n    await ping()  # keepalive\n"
        );
        let one_line = "class C:\r\n\tasync def a(self): pass\r\n\tasync def b(self): self.a()";
        assert_eq!(
            fixed(one_line, "PM1006", T),
            "class C:\r\n\tasync def a(self): pass\r\n\tasync def b(self): await self.a()"
        );
    }
}
