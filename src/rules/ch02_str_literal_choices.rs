//! PM0233: a `str` parameter that the function only compares with a fixed set of string
//! literals (`mode == "r"`, `mode in ("a", "w")`): `Literal[...]` would let the type checker
//! reject any other string at the call site (§2.3.5).

use super::pack1_util::{fn_def, params, uses, Use};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, CmpOp, Constant, Expr};
use crate::syntax::span;

pub struct StrLiteralChoices;

const CODE: &str = "PM0233";

impl Rule for StrLiteralChoices {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Some(def) = fn_def(node) else { return };
        let mut names: Option<std::rc::Rc<BlockNames>> = None;
        for p in params(def.args) {
            let Some(Expr::Name(ann)) = p.def.annotation.as_deref() else {
                continue;
            };
            if ann.id.as_str() != "str" {
                continue;
            }
            let names = names.get_or_insert_with(|| BlockNames::of_block(node, ctx));
            if names.binds("str") {
                continue;
            }
            let name = p.def.arg.as_str();
            let mut literals: Vec<String> = Vec::new();
            let mut compared = false;
            let all_fixed = uses(def.body, name).iter().all(|u| match u {
                Use::Compare(c) => {
                    compared = true;
                    choices(c, name, &mut literals)
                }
                Use::Formatted => true,
                Use::Arg(c) => {
                    matches!(&*c.func, Expr::Name(f) if REPORTING.contains(&f.id.as_str()))
                }
                _ => false,
            });
            if !compared || !all_fixed || literals.len() < 2 {
                continue;
            }
            let list = literals
                .iter()
                .map(|s| py_repr(s))
                .collect::<Vec<_>>()
                .join(", ");
            let default_ok = p.default.as_deref().is_none_or(|d| {
                matches!(d, Expr::Constant(c) if matches!(&c.value, Constant::Str(s) if literals.contains(s)))
            });
            if !default_ok {
                continue;
            }
            ctx.report(
                CODE,
                span(&p.def),
                &[("param", name), ("literals", &list)],
                None,
            );
        }
    }
}

/// A string literal as Python would write it, in double quotes.
fn py_repr(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Calls that only report the value (in an error message or a log line).
const REPORTING: &[&str] = &["print", "repr", "ValueError", "TypeError", "KeyError"];

/// Collects the string literals of `name == "x"`, `name != "x"`, `name in ("x", "y")`; false
/// for any other comparison of the name.
fn choices(c: &ast::ExprCompare, name: &str, out: &mut Vec<String>) -> bool {
    if c.ops.len() != 1 || c.comparators.len() != 1 {
        return false;
    }
    let (left, right) = (&*c.left, &c.comparators[0]);
    let is_param = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
    let other = match (&c.ops[0], is_param(left), is_param(right)) {
        (CmpOp::Eq | CmpOp::NotEq, true, false) => right,
        (CmpOp::Eq | CmpOp::NotEq, false, true) => left,
        (CmpOp::In | CmpOp::NotIn, true, false) => right,
        _ => return false,
    };
    let elts: Vec<&Expr> = match other {
        Expr::Tuple(t) if matches!(c.ops[0], CmpOp::In | CmpOp::NotIn) => t.elts.iter().collect(),
        Expr::List(t) if matches!(c.ops[0], CmpOp::In | CmpOp::NotIn) => t.elts.iter().collect(),
        Expr::Set(t) if matches!(c.ops[0], CmpOp::In | CmpOp::NotIn) => t.elts.iter().collect(),
        e if matches!(c.ops[0], CmpOp::Eq | CmpOp::NotEq) => vec![e],
        _ => return false,
    };
    for e in elts {
        let Expr::Constant(k) = e else { return false };
        let Constant::Str(s) = &k.value else {
            return false;
        };
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_str_parameters_with_a_fixed_set_of_values() {
        let src = "def open_it(path, mode: str = 'r'):\n    if mode == 'r':\n        return 1\n    elif mode in ('w', 'a'):\n        return 2\n    raise ValueError(f'bad mode {mode!r}')\nclass A:\n    def m(self, *, how: str):\n        return 'left' == how or how != 'right'\n";
        let found = findings(src, "PM0233", T);
        assert_eq!(flagged(src, &found), ["mode: str", "how: str"]);
        assert_eq!(
            found[0].message,
            "`mode: str` is only ever compared with \"r\", \"w\", \"a\": `Literal[\"r\", \"w\", \"a\"]` would let the type checker reject any other string where the function is called"
        );
        assert_eq!(found[0].section, "2.3.5");
    }

    #[test]
    fn writes_the_literals_as_python_does() {
        let src = "def f(ch: str):\n    return ch in ('\\x03', '\"q\"', 'a\\\\b')\n";
        let found = findings(src, "PM0233", T);
        assert_eq!(found.len(), 1);
        assert!(
            found[0]
                .message
                .contains(r#"with "\x03", "\"q\"", "a\\b":"#),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn stays_silent_on_open_ended_strings() {
        let src = "\
def a(path: str):
    if path == '-':
        return None
    return open(path)
def b(mode: str):
    return mode == 'r'
def c(mode: str):
    if mode.startswith('r') or mode == 'w' or mode == 'a':
        pass
def d(mode: str = 'x'):
    return mode in ('r', 'w')
def e(mode: bytes):
    return mode in (b'r', b'w')
def f(mode: str):
    return mode in MODES or mode == 'w'
def g(mode: str):
    return mode < 'm' or mode == 'w'
def h(mode: str):
    def inner():
        return mode == 'a'
    return mode == 'r' or mode == 'w' or inner()
";
        assert!(findings(src, "PM0233", T).is_empty());
    }
}
