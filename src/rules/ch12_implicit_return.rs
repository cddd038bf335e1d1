//! PM1201: a function that returns a value on some paths and runs off the end of its body on
//! others, returning None there without saying so (§12.3.3).

use super::api_util::{never_completes, Func};
use super::iter_util::{is_generator, scan};
use super::source::{def_name, indentation, next_line_start, rest_of_line_blank, starts_line};
use super::typing_names::last_name;
use super::{Ctx, Edit, Fix, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct ImplicitReturn;

const CODE: &str = "PM1201";

impl Rule for ImplicitReturn {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else { return };
        let Some(f) = Func::of(stmt) else { return };
        if f.is_abstract()
            || f.decorated_with(&["overload"])
            || f.returns
                .is_some_and(|r| matches!(last_name(r), Some("NoReturn" | "Never")))
            || !returns_value(&f)
            || is_generator(f.body)
            || never_completes(f.body)
        {
            return;
        }
        let fix = return_none_fix(&f, ctx);
        let range = def_name(ctx.source, span(stmt).0, f.decorators, f.name);
        ctx.report(CODE, range, &[("name", f.name)], fix);
    }
}

/// True when the body has `return <value>` in its own scope, the value neither a literal
/// None nor a call that only delegates (`return self.other(...)`, `return cls.make(...)`, or
/// a recursive call): those often just hand on another procedure's None, so they alone do
/// not show that the function means to return values.
fn returns_value(f: &Func<'_>) -> bool {
    let receiver = f.params().first().copied();
    let delegates = |v: &Expr| {
        let Expr::Call(c) = v else { return false };
        match &*c.func {
            Expr::Name(n) => n.id.as_str() == f.name,
            Expr::Attribute(a) => {
                matches!(&*a.value, Expr::Name(n) if Some(n.id.as_str()) == receiver)
            }
            _ => false,
        }
    };
    let mut found = false;
    scan(f.body, |n| {
        if let Node::Stmt(Stmt::Return(r)) = n {
            if r.value.as_deref().is_some_and(|v| {
                !matches!(v, Expr::Constant(c) if matches!(c.value, Constant::None))
                    && !delegates(v)
            }) {
                found = true;
            }
        }
    });
    found
}

/// `return None` as a new last line of the body, at the body's indentation.
fn return_none_fix(f: &Func<'_>, ctx: &Ctx<'_>) -> Option<Fix> {
    let first = f.body.first()?;
    let last = f.body.last()?;
    let (s, _) = span(first);
    let (_, t) = span(last);
    if !starts_line(ctx.source, s) || !rest_of_line_blank(ctx.source, t) {
        return None;
    }
    let indent = indentation(ctx.source, s);
    let nl = ctx.newline();
    let at = next_line_start(ctx.source, t);
    let text = if at == ctx.source.len() && !ctx.source.ends_with(['\n', '\r']) {
        format!("{nl}{indent}return None")
    } else {
        format!("{indent}return None{nl}")
    };
    Some(ctx.fix(
        CODE,
        &[],
        Safety::Safe,
        vec![Edit {
            start: at,
            end: at,
            text,
        }],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_functions_that_fall_off_the_end() {
        let src = "\
def find(items, key):
    for item in items:
        if item.key == key:
            return item

class Config:
    async def get(self, name):
        if name in self.values:
            return self.values[name]
        elif name in self.defaults:
            return self.defaults[name]

def parse(text):
    try:
        return int(text)
    except ValueError:
        log(text)

def loop(q):
    while q:
        if q.pop():
            return 1
";
        let found = findings(src, "PM1201", T);
        assert_eq!(flagged(src, &found), ["find", "get", "parse", "loop"]);
        assert_eq!(
            found[0].message,
            "`find` returns a value on some paths but runs off the end of its body on others, where it returns None without saying so"
        );
        assert_eq!(found[0].section, "12.3.3");
    }

    #[test]
    fn silent_when_every_path_ends_or_no_value_is_returned() {
        let src = "\
import sys, os

def a(x):
    if x:
        return 1
    return None

def b(x):
    if x:
        return 1
    raise ValueError(x)

def c(x):
    if x:
        return 1
    else:
        return 2

def d(q):
    while True:
        if q.ready():
            return q.get()

def e(x):
    if x:
        return 1
    sys.exit(1)

def f(x):
    if x:
        return 1
    os._exit(2)

def g(x):
    if x:
        return 1
    assert False, 'unreachable'

def h(x):
    if x:
        return
    print(x)

def i(x):
    if x:
        return None

def j(xs):
    for x in xs:
        yield x
        return x

def k(x):
    try:
        return int(x)
    except ValueError:
        return 0

def l(x):
    match x:
        case 1:
            return 'one'
        case _:
            return 'many'

def m(x):
    def inner():
        return 1
    print(inner)

def n(x):
    with lock:
        return x

def o(x):
    try:
        if x:
            return 1
    finally:
        raise Stop

class A(ABC):
    @abstractmethod
    def p(self, x):
        if x:
            return 1

def q(x) -> NoReturn:
    if x:
        return 1

def t(self, x):
    if x:
        return self.other(x)
    self.log(x)

def u(x):
    if x:
        return u(x - 1)
    print(x)
";
        assert!(findings(src, "PM1201", T).is_empty());
        let loops = "\
def r(q):
    while True:
        if q.done():
            break
        if q.ok():
            return 1

def s(q):
    while 1:
        for x in q:
            break
        if q:
            return 2
";
        let found = findings(loops, "PM1201", T);
        assert_eq!(
            flagged(loops, &found),
            ["r"],
            "a break of the while loop falls through"
        );
    }

    #[test]
    fn fix_appends_return_none() {
        let src = "def find(items, key):\n    for item in items:\n        if item.key == key:\n            return item  # found\n\n\n";
        assert_eq!(
            fixed(src, "PM1201", T),
            "def find(items, key):\n    for item in items:\n        if item.key == key:\n            return item  # found\n    return None\n\n\n"
        );
        let tabs_crlf = "class C:\r\n\tdef f(self, x):\r\n\t\tif x:\r\n\t\t\treturn 1";
        assert_eq!(
            fixed(tabs_crlf, "PM1201", T),
            "class C:\r\n\tdef f(self, x):\r\n\t\tif x:\r\n\t\t\treturn 1\r\n\t\treturn None"
        );
        let doc =
            "def f(x):\n    \"\"\"Doc.\"\"\"\n    if x: return 1\n    # trailing comment\nX = 1\n";
        assert_eq!(
            fixed(doc, "PM1201", T),
            "def f(x):\n    \"\"\"Doc.\"\"\"\n    if x: return 1\n    return None\n    # trailing comment\nX = 1\n"
        );
    }

    #[test]
    fn fix_goes_after_a_continued_last_line() {
        let src = "def g(x):\n    if x: return 1\n    total = (x +\n        2)\n";
        let found = findings(src, "PM1201", T);
        assert_eq!(flagged(src, &found), ["g"]);
        assert_eq!(
            fixed(src, "PM1201", T),
            "def g(x):\n    if x: return 1\n    total = (x +\n        2)\n    return None\n"
        );
    }
}
