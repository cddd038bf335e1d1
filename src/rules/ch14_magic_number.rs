//! PM1402: a name, attribute or call compared with a bare number whose meaning the code does
//! not state, a value that belongs in a named constant (§14.2).

use super::design_util::{short, text_of};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{CmpOp, Constant, Expr, Stmt, UnaryOp};
use crate::syntax::span;

pub struct MagicNumber;

const CODE: &str = "PM1402";

/// Values whose meaning is the number itself: emptiness, one, the ends of a fraction, halves,
/// percent; compared by value, so `0x00`, `1.` and `1e2` count too.
const PLAIN: &[f64] = &[0.0, 1.0, -1.0, 2.0, 0.5, 100.0];

/// Lengths this small are read as "one item", "a pair", "a triple".
const SMALL_LEN: u32 = 4;

impl Rule for MagicNumber {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Compare]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(Expr::Compare(c)) = node else {
            return;
        };
        if ctx.module.file.test || in_skipped_context(ctx) {
            return;
        }
        let operands: Vec<&Expr> = std::iter::once(&*c.left).chain(&c.comparators).collect();
        if operands.iter().any(|e| is_version_check(ctx.source, e)) {
            return;
        }
        if is_range_check(ctx.source, &c.ops, &operands) {
            return;
        }
        let mut reported: Vec<*const Expr> = Vec::new();
        for (i, op) in c.ops.iter().enumerate() {
            if matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::In | CmpOp::NotIn) {
                continue;
            }
            let (Some(a), Some(b)) = (operands.get(i), operands.get(i + 1)) else {
                continue;
            };
            for (lit, other) in [(*a, *b), (*b, *a)] {
                let Some(value) = number_text(ctx.source, lit) else {
                    continue;
                };
                if value_of(value).is_some_and(|v| PLAIN.contains(&v))
                    || is_width_bound(value)
                    || !matches!(other, Expr::Name(_) | Expr::Attribute(_) | Expr::Call(_))
                    || small_len(other, value)
                    || reported.contains(&(lit as *const Expr))
                {
                    continue;
                }
                reported.push(lit);
                let other = short(text_of(ctx.source, other));
                ctx.report(CODE, span(lit), &[("value", value), ("other", other)], None);
            }
        }
    }
}

/// Inside an `assert` (a check that states its own expectation) or under
/// `if __name__ == "__main__":` (a script's own driver code).
fn in_skipped_context(ctx: &Ctx<'_>) -> bool {
    ctx.parents.iter().any(|p| match p {
        Node::Stmt(Stmt::Assert(_)) => true,
        Node::Stmt(Stmt::If(i)) => is_main_test(&i.test),
        _ => false,
    })
}

fn is_main_test(e: &Expr) -> bool {
    let Expr::Compare(c) = e else { return false };
    let is_name = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "__name__");
    let is_main = |e: &Expr| matches!(e, Expr::Constant(k) if matches!(&k.value, Constant::Str(s) if s == "__main__"));
    match (&*c.left, &c.comparators[..]) {
        (l, [r]) => (is_name(l) && is_main(r)) || (is_main(l) && is_name(r)),
        _ => false,
    }
}

/// `sys.version_info` and `sys.hexversion` are compared with release numbers by design.
fn is_version_check(source: &str, e: &Expr) -> bool {
    let t = text_of(source, e);
    t.contains("version_info") || t.contains("hexversion")
}

/// The source text of an int or float literal, with its minus sign if it has one.
fn number_text<'s>(source: &'s str, e: &Expr) -> Option<&'s str> {
    let inner = match e {
        Expr::UnaryOp(u) if matches!(u.op, UnaryOp::USub) => &*u.operand,
        other => other,
    };
    match inner {
        Expr::Constant(k) if matches!(k.value, Constant::Int(_) | Constant::Float(_)) => {
            let t = text_of(source, e);
            (!t.is_empty()).then_some(t)
        }
        _ => None,
    }
}

/// `lo <= x < hi` with literal ends: the two numbers state a domain together (an hour, a
/// month, a byte, a class of status codes) and read as a range, not as one unexplained value.
fn is_range_check(source: &str, ops: &[CmpOp], operands: &[&Expr]) -> bool {
    let up = |o: &CmpOp| matches!(o, CmpOp::Lt | CmpOp::LtE);
    let down = |o: &CmpOp| matches!(o, CmpOp::Gt | CmpOp::GtE);
    match (ops, operands) {
        ([a, b], [lo, x, hi]) => {
            ((up(a) && up(b)) || (down(a) && down(b)))
                && number_text(source, lo).is_some()
                && number_text(source, hi).is_some()
                && number_text(source, x).is_none()
        }
        _ => false,
    }
}

/// The limits of the fixed-width integers (`127`, `0xff`, `256`, `0x7fffffff`, `-2**31`
/// written out): 2**k or 2**k - 1 for k in 7, 8, 15, 16, 31, 32, 63, 64.
fn is_width_bound(text: &str) -> bool {
    let Some(n) = int_magnitude(text) else {
        return false;
    };
    [7u32, 8, 15, 16, 31, 32, 63, 64]
        .iter()
        .any(|k| n == 1u128 << k || n == (1u128 << k) - 1)
}

/// The absolute value of an int literal's text (decimal, hex, octal or binary, with `_`).
fn int_magnitude(text: &str) -> Option<u128> {
    let digits: String = text
        .trim_start_matches('-')
        .trim()
        .chars()
        .filter(|c| *c != '_')
        .collect::<String>()
        .to_ascii_lowercase();
    let parsed = if let Some(h) = digits.strip_prefix("0x") {
        u128::from_str_radix(h, 16)
    } else if let Some(o) = digits.strip_prefix("0o") {
        u128::from_str_radix(o, 8)
    } else if let Some(b) = digits.strip_prefix("0b") {
        u128::from_str_radix(b, 2)
    } else {
        digits.parse::<u128>()
    };
    parsed.ok()
}

/// The value of a number literal's text, with its sign; None for what does not parse (`1j`).
fn value_of(text: &str) -> Option<f64> {
    let negative = text.starts_with('-');
    let magnitude = match int_magnitude(text) {
        Some(n) => n as f64,
        None => {
            let t: String = text
                .trim_start_matches('-')
                .trim()
                .chars()
                .filter(|c| *c != '_')
                .collect();
            t.parse::<f64>().ok()?
        }
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `len(x)` compared with a length small enough to read as a count of items.
fn small_len(other: &Expr, value: &str) -> bool {
    let Expr::Call(c) = other else { return false };
    matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "len")
        && value.parse::<u32>().is_ok_and(|n| n <= SMALL_LEN)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, findings_in, flagged};
    use crate::syntax::FileRole;

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_unexplained_numbers_in_comparisons() {
        let src = "def f(resp, items, e):\n    if resp.status == 429:\n        pass\n    if retries <= 10:\n        pass\n    if len(items) > 50 or e.errno == -13:\n        pass\n    while elapsed() >= 2.5:\n        pass\n    return [x for x in items if x.size != 4096]\n\nif 3 < n < m or 1 <= n < 0x100 or n > 0x7ffe:\n    pass\n";
        let found = findings(src, "PM1402", T);
        assert_eq!(
            flagged(src, &found),
            ["429", "10", "50", "-13", "2.5", "4096", "3", "0x7ffe"]
        );
        assert_eq!(
            found[0].message,
            "`resp.status` is compared with the bare number `429`: name it with a constant that says what it stands for, so the value is explained and defined in one place"
        );
        assert_eq!(found[0].section, "14.2");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_plain_values_and_excused_places() {
        let src = "import sys\nif sys.version_info.major == 3 or sys.hexversion >= 50790640:\n    pass\ndef f(x, args):\n    if x == 0x00 or x > 1. or x == 1e2 or x == -1 or x <= 2 or x < 0.5 or x >= 100 or x == 1.0:\n        pass\n    if len(args) == 3 or len(args) > 4:\n        pass\n    if x % 7 == 3 or x[5] == 9 or 7 in x or x is 5:\n        pass\n    if 0 <= x.hour <= 23 or not 200 <= code < 300 or 90 > y >= 65:\n        pass\n    if c > 127 or c <= 0xFF or n < 256 or -0x8000_0000 <= n or n > 0xffffffff:\n        pass\n    assert x.count == 42\nif __name__ == '__main__':\n    if len(sys.argv) > 7:\n        pass\n";
        let found = findings(src, "PM1402", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }

    #[test]
    fn silent_in_test_files() {
        let src = "if resp.status == 429:\n    pass\n";
        let test = FileRole {
            test: true,
            ..FileRole::default()
        };
        assert!(findings_in(src, "PM1402", T, test).is_empty());
        assert_eq!(findings(src, "PM1402", T).len(), 1);
    }
}
