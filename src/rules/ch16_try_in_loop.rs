//! PM1606: before Python 3.11, a `try` that is a loop's whole body, when every handler leaves
//! the loop anyway: the handler is set up on every pass, while one `try` around the loop
//! would do the same (§16.2.1).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{ExceptHandler, Stmt};
use crate::syntax::span;

pub struct TryInLoop;

const CODE: &str = "PM1606";

impl Rule for TryInLoop {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::For, Kind::While]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        if ctx.target >= (3, 11) {
            return;
        }
        let Node::Stmt(s) = node else { return };
        let (body, orelse, header) = match s {
            Stmt::For(f) => (&f.body[..], &f.orelse[..], "iteration"),
            Stmt::While(w) => (&w.body[..], &w.orelse[..], "condition"),
            _ => return,
        };
        // A loop `else` would move inside the `try` and come under its handlers.
        if !orelse.is_empty() {
            return;
        }
        let [Stmt::Try(t)] = body else { return };
        // A `finally` or an `else` runs once per pass; around the loop it would run once.
        if t.handlers.is_empty() || !t.finalbody.is_empty() || !t.orelse.is_empty() {
            return;
        }
        let all_leave = t.handlers.iter().all(|h| {
            let ExceptHandler::ExceptHandler(h) = h;
            leaves_loop(&h.body)
        });
        if !all_leave {
            return;
        }
        let (ts, _) = span(t);
        let end = ts + "try".len();
        if ctx.source.get(ts..end) != Some("try") {
            return;
        }
        ctx.report(CODE, (ts, end), &[("header", header)], None);
    }
}

/// True when a handler's body always ends the loop: its last statement is `break`, `return`
/// or `raise`, and no `continue` of this loop sits anywhere in it.
fn leaves_loop(body: &[Stmt]) -> bool {
    let ends = matches!(
        body.last(),
        Some(Stmt::Break(_) | Stmt::Return(_) | Stmt::Raise(_))
    );
    ends && !continues(body)
}

/// True when `stmts` hold a `continue` (or a `break`, which would also not be the last
/// statement) that belongs to the loop around them, not to a loop nested in them.
fn continues(stmts: &[Stmt]) -> bool {
    super::iter_util::any_stmt_by_loop(stmts, |s, own| own && matches!(s, Stmt::Continue(_)))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 10);

    #[test]
    fn flags_a_try_that_leaves_the_loop_in_every_handler() {
        let src = "\
def read(lines):
    for line in lines:
        try:
            handle(line)
        except ValueError:
            log(line)
            break
        except KeyError:
            raise
    while True:
        try:
            step()
        except StopIteration:
            return None
";
        let found = findings(src, "PM1606", T);
        assert_eq!(flagged(src, &found), ["try", "try"]);
        assert_eq!(
            found[0].message,
            "Before Python 3.11, entering a `try` runs a block-setup instruction, here on every pass of the loop; every handler leaves the loop, so one `try` around the whole loop does the same, provided the loop's iteration cannot raise what the handlers catch"
        );
        assert_eq!(found[0].section, "16.2.1");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn only_before_python_3_11() {
        let src = "for x in xs:\n    try:\n        f(x)\n    except E:\n        break\n";
        assert_eq!(findings(src, "PM1606", (3, 10)).len(), 1);
        assert!(findings(src, "PM1606", (3, 11)).is_empty());
    }

    #[test]
    fn silent_when_a_handler_stays_in_the_loop_or_the_try_is_not_alone() {
        let src = "\
for x in xs:
    try:
        f(x)
    except E:
        continue
for x in xs:
    try:
        f(x)
    except E:
        pass
for x in xs:
    try:
        f(x)
    except E:
        if x:
            continue
        break
for x in xs:
    try:
        f(x)
    except E:
        break
    g(x)
for x in xs:
    try:
        f(x)
    finally:
        g(x)
for x in xs:
    try:
        f(x)
    except E:
        break
    else:
        g(x)
for x in xs:
    try:
        f(x)
    except E:
        break
else:
    g()
";
        let found = findings(src, "PM1606", T);
        assert!(found.is_empty(), "{:?}", flagged(src, &found));
    }

    #[test]
    fn a_continue_in_a_nested_loop_of_the_handler_is_fine() {
        let src = "for x in xs:\n    try:\n        f(x)\n    except E:\n        for y in ys:\n            continue\n        break\n";
        assert_eq!(findings(src, "PM1606", T).len(), 1);
    }
}
