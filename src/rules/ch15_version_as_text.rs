//! PM1501: the interpreter version handled as text: `sys.version` compared with a string, or
//! sliced (`sys.version[:3]`), which gets two-digit minor versions wrong (§15.4.1).

use super::conc_common::qualified;
use super::design_util::{short, text_of};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, CmpOp, Constant, Expr};
use crate::syntax::span;

pub struct VersionAsText;

const CODE: &str = "PM1501";

impl Rule for VersionAsText {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Compare, Kind::Subscript]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        match node {
            Node::Expr(e @ Expr::Compare(c)) => compare(e, c, node, ctx),
            Node::Expr(e @ Expr::Subscript(s)) if is_head_slice(&s.slice) => {
                // A slice that is compared is reported with its comparison.
                if let Some(Node::Expr(Expr::Compare(c))) = ctx.parents.last() {
                    if std::iter::once(&*c.left)
                        .chain(&c.comparators)
                        .any(|x| std::ptr::eq(x, e))
                        && c.comparators.iter().chain([&*c.left]).any(str_literal)
                    {
                        return;
                    }
                }
                let names = BlockNames::of_block(node, ctx);
                if is_sys_version(&s.value, &names, ctx) {
                    let written = short(text_of(ctx.source, e));
                    ctx.report(CODE, span(e), &[("written", written)], None);
                }
            }
            _ => {}
        }
    }
}

/// `[:N]` with a literal `N`: the slice that cuts a version number out of the banner (other
/// slices parse the compiler or build part of it, which is text).
fn is_head_slice(e: &Expr) -> bool {
    matches!(e, Expr::Slice(s) if s.lower.is_none() && s.step.is_none()
        && matches!(s.upper.as_deref(), Some(Expr::Constant(c)) if matches!(c.value, Constant::Int(_))))
}

fn str_literal(e: &Expr) -> bool {
    matches!(e, Expr::Constant(c) if matches!(c.value, Constant::Str(_)))
}

fn is_sys_version(e: &Expr, names: &BlockNames, ctx: &Ctx<'_>) -> bool {
    matches!(e, Expr::Attribute(_) | Expr::Name(_))
        && qualified(names, ctx.module, e).as_deref() == Some("sys.version")
}

/// `sys.version` or a slice of it: the attribute expression.
fn version_operand<'a>(e: &'a Expr, names: &BlockNames, ctx: &Ctx<'_>) -> Option<&'a Expr> {
    match e {
        Expr::Subscript(s) if is_head_slice(&s.slice) => {
            is_sys_version(&s.value, names, ctx).then_some(&*s.value)
        }
        _ => is_sys_version(e, names, ctx).then_some(e),
    }
}

/// `"3.10"` as the numbers of a version tuple.
fn version_numbers(e: &Expr) -> Option<Vec<u32>> {
    let Expr::Constant(c) = e else { return None };
    let Constant::Str(s) = &c.value else {
        return None;
    };
    let parts: Option<Vec<u32>> = s
        .split('.')
        .map(|p| {
            (!p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    parts.filter(|p| (1..=3).contains(&p.len()))
}

fn compare(e: &Expr, c: &ast::ExprCompare, node: Node<'_>, ctx: &mut Ctx<'_>) {
    let operands: Vec<&Expr> = std::iter::once(&*c.left).chain(&c.comparators).collect();
    // `"GCC" in sys.version` searches the banner's text, which is what it is for.
    if c.ops
        .iter()
        .any(|o| matches!(o, CmpOp::In | CmpOp::NotIn | CmpOp::Is | CmpOp::IsNot))
        || !operands.iter().any(|x| str_literal(x))
    {
        return;
    }
    let names = BlockNames::of_block(node, ctx);
    let Some((vi, attr)) = operands
        .iter()
        .enumerate()
        .find_map(|(i, x)| version_operand(x, &names, ctx).map(|a| (i, a)))
    else {
        return;
    };
    let written = short(text_of(ctx.source, e));
    let fix = fix_for(c, &operands, vi, attr, ctx);
    ctx.report(CODE, span(e), &[("written", written)], fix);
}

/// A rewrite of a single comparison `sys.version[...] <op> "a.b"` (either order) to
/// `sys.version_info[...] <op> (a, b)`: the full tuple for an ordering, the prefix of the
/// literal's length for `==` and `!=`.
fn fix_for(
    c: &ast::ExprCompare,
    operands: &[&Expr],
    vi: usize,
    attr: &Expr,
    ctx: &Ctx<'_>,
) -> Option<super::Fix> {
    let [op] = &c.ops[..] else { return None };
    let Expr::Attribute(a) = attr else {
        return None;
    };
    let other = operands[1 - vi];
    let numbers = version_numbers(other)?;
    let tuple = match &numbers[..] {
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            numbers
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let prefix = match op {
        CmpOp::Eq | CmpOp::NotEq => format!("[:{}]", numbers.len()),
        CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE => String::new(),
        _ => return None,
    };
    let (a0, _) = span(attr);
    let (_, a1) = span(a);
    let head = ctx.source.get(a0..a1 - a.attr.len())?;
    let (v0, v1) = span(operands[vi]);
    let (o0, o1) = span(other);
    Some(ctx.fix(
        CODE,
        &[],
        Safety::Unsafe,
        vec![
            Edit {
                start: v0,
                end: v1,
                text: format!("{head}version_info{prefix}"),
            },
            Edit {
                start: o0,
                end: o1,
                text: tuple,
            },
        ],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_text_comparisons_and_slices() {
        let src = "import sys\nif sys.version[:3] == '3.1':\n    pass\nok = sys.version >= \"3.10\"\ntag = 'py' + sys.version[:3]\n";
        let found = findings(src, "PM1501", T);
        assert_eq!(
            flagged(src, &found),
            [
                "sys.version[:3] == '3.1'",
                "sys.version >= \"3.10\"",
                "sys.version[:3]"
            ]
        );
        assert_eq!(
            found[0].message,
            "`sys.version[:3] == '3.1'` treats the Python version as text, where \"3.10\" sorts before \"3.9\" and `[:3]` cuts it to \"3.1\": use `sys.version_info`, a tuple of numbers"
        );
        assert_eq!(found[0].section, "15.4.1");
        assert!(found[2].fix.is_none());
    }

    #[test]
    fn fixes_to_version_info() {
        assert_eq!(
            fixed("import sys\nok = sys.version >= \"3.10\"\n", "PM1501", T),
            "import sys\nok = sys.version_info >= (3, 10)\n"
        );
        assert_eq!(
            fixed(
                "import sys as _s\nif _s.version[:3] == '2.7': pass",
                "PM1501",
                T
            ),
            "import sys as _s\nif _s.version_info[:2] == (2, 7): pass"
        );
        assert_eq!(
            fixed("import sys\nold = '3' > sys.version[:1]\r\n", "PM1501", T),
            "import sys\nold = (3,) > sys.version_info\r\n"
        );
    }

    #[test]
    fn no_fix_when_not_mechanical() {
        let src = "import sys\na = sys.version == 'unknown'\nb = '2.0' < sys.version < '4.0'\n";
        let found = findings(src, "PM1501", T);
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|f| f.fix.is_none()));
        let bare = "from sys import version\nok = version >= '3.10'\n";
        let found = findings(bare, "PM1501", T);
        assert!(found.len() == 1 && found[0].fix.is_none());
    }

    #[test]
    fn silent_on_version_info_and_other_versions() {
        let src = "import sys\na = sys.version_info >= (3, 10)\nb = pkg.version >= '1.2'\nprint(sys.version)\nc = sys.version[0]\ne = sys.version[i:].split()\nf = sys.version[:sys.version.index(' ')]\nd = sys.version.split()[0]\ng = 'GCC' in sys.version\ndef f(sys):\n    return sys.version >= '3'\n";
        assert!(
            findings(src, "PM1501", T).is_empty(),
            "{:?}",
            findings(src, "PM1501", T)
        );
    }
}
