//! PM0102: `is` / `is not` against a str, bytes or number literal, whose result depends on
//! interning and caching, not on the values (§1.11).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{CmpOp, Constant, Expr, UnaryOp};
use crate::syntax::span;

pub struct IsLiteral;

const CODE: &str = "PM0102";

fn literal_kind(e: &Expr) -> Option<&'static str> {
    match e {
        Expr::Constant(c) => match c.value {
            Constant::Str(_) => Some("a str"),
            Constant::Bytes(_) => Some("a bytes"),
            Constant::Int(_) => Some("an int"),
            Constant::Float(_) => Some("a float"),
            Constant::Complex { .. } => Some("a complex"),
            _ => None,
        },
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::USub | UnaryOp::UAdd) => {
            literal_kind(&u.operand).filter(|k| matches!(*k, "an int" | "a float" | "a complex"))
        }
        _ => None,
    }
}

/// Byte range of the `is` / `is not` operator between two operands.
fn operator_range(src: &str, from: usize, to: usize, negated: bool) -> Option<(usize, usize)> {
    let between = src.get(from..to)?;
    let word_at = |s: &str, w: &str| -> Option<usize> {
        let mut at = 0;
        while let Some(i) = s[at..].find(w) {
            let p = at + i;
            let ok_before = p == 0 || !s[..p].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            let ok_after = !s[p + w.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_');
            if ok_before && ok_after {
                return Some(p);
            }
            at = p + w.len();
        }
        None
    };
    let is = word_at(between, "is")?;
    let end = if negated {
        let rest = &between[is + 2..];
        is + 2 + word_at(rest, "not")? + 3
    } else {
        is + 2
    };
    Some((from + is, from + end))
}

impl Rule for IsLiteral {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Compare]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(Expr::Compare(cmp)) = node else {
            return;
        };
        for (i, op) in cmp.ops.iter().enumerate() {
            let negated = match op {
                CmpOp::Is => false,
                CmpOp::IsNot => true,
                _ => continue,
            };
            let left = if i == 0 {
                &*cmp.left
            } else {
                &cmp.comparators[i - 1]
            };
            let right = &cmp.comparators[i];
            let Some(kind) = literal_kind(right).or_else(|| literal_kind(left)) else {
                continue;
            };
            let (op_text, replacement) = if negated {
                ("is not", "!=")
            } else {
                ("is", "==")
            };
            let fix =
                operator_range(ctx.source, span(left).1, span(right).0, negated).map(|(s, e)| {
                    let args = [("op", op_text), ("replacement", replacement)];
                    ctx.fix(
                        CODE,
                        &args,
                        Safety::Safe,
                        vec![Edit {
                            start: s,
                            end: e,
                            text: replacement.into(),
                        }],
                    )
                });
            let range = (span(left).0, span(right).1);
            ctx.report(
                CODE,
                range,
                &[
                    ("op", op_text),
                    ("kind", kind),
                    ("replacement", replacement),
                ],
                fix,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_identity_against_literals() {
        let src = "a = x is 'on'\nb = 3 is not y\nc = x is -1\nd = x is b'z'\ne = 0 < x is 2.5\n";
        let found = findings(src, "PM0102", T);
        assert_eq!(
            flagged(src, &found),
            [
                "x is 'on'",
                "3 is not y",
                "x is -1",
                "x is b'z'",
                "x is 2.5"
            ]
        );
        assert_eq!(found[0].message, "`is` compares identity, not value: against a str literal the result depends on interning and caching; use `==`");
        assert!(
            found[1].message.contains("against an int literal")
                && found[1].message.ends_with("use `!=`")
        );
    }

    #[test]
    fn silent_on_singletons_and_names() {
        let src = "a = x is None\nb = x is not True\nc = x is ...\nd = x is y\ne = x == 'on'\nf = x in (1, 2)\n";
        assert!(findings(src, "PM0102", T).is_empty());
    }

    #[test]
    fn fix_replaces_only_the_operator() {
        assert_eq!(
            fixed("if (x) is 'on':\n    pass\n", "PM0102", T),
            "if (x) == 'on':\n    pass\n"
        );
        assert_eq!(fixed("ok = x is  not 3\n", "PM0102", T), "ok = x != 3\n");
    }
}
