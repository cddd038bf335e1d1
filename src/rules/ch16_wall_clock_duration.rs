//! PM1603: a duration measured as the difference of two `time.time()` readings, a wall clock
//! that can jump, instead of `time.perf_counter()` (§16.3.7).

use super::conc_common::{bindings, block_stmts, qualified};
use super::iter_util::{enclosing_function, scan};
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Expr, ExprContext, Operator, Stmt};
use crate::syntax::facts::ModuleFacts;
use crate::syntax::span;
use std::collections::HashMap;

pub struct WallClockDuration;

const CODE: &str = "PM1603";

impl Rule for WallClockDuration {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::BinOp]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::BinOp(b)) = node else {
            return;
        };
        if !matches!(b.op, Operator::Sub) {
            return;
        }
        // The cheap test first: each side is a name or a call of something called `time`.
        let plausible = |x: &Expr| match x {
            Expr::Name(_) => true,
            Expr::Call(c) => super::typing_names::last_name(&c.func) == Some("time"),
            _ => false,
        };
        if !plausible(&b.left) || !plausible(&b.right) {
            return;
        }
        let scope: &[Stmt] = match enclosing_function(ctx) {
            Some((_, body, _)) => body,
            None if super::iter_util::innermost_scope(ctx).is_none() => block_stmts(node, ctx),
            None => return,
        };
        let names = BlockNames::of_block(node, ctx);
        let clocks = Clocks::of(scope, &names, ctx.module);
        let (Some(l), Some(r)) = (clocks.reading(&b.left), clocks.reading(&b.right)) else {
            return;
        };
        if l.is_empty() && r.is_empty() {
            return;
        }
        // The fix turns every reading of both names into perf_counter, so it is offered only
        // when the names serve nothing but such differences.
        let fix = clocks
            .edits(&b.left, &b.right, scope)
            .map(|edits| ctx.fix(CODE, &[], Safety::Unsafe, edits));
        let written = super::design_util::short(super::design_util::text_of(ctx.source, e));
        ctx.report(CODE, span(e), &[("written", written)], fix);
    }
}

/// The `time.time()` readings of one scope: the names bound only to them.
struct Clocks<'a> {
    names: &'a BlockNames,
    module: &'a ModuleFacts,
    /// Name -> the calls it is bound to (every binding of the name in the scope is one).
    bound: HashMap<&'a str, Vec<&'a ast::ExprCall>>,
}

impl<'a> Clocks<'a> {
    fn of(scope: &'a [Stmt], names: &'a BlockNames, module: &'a ModuleFacts) -> Clocks<'a> {
        let mut c = Clocks {
            names,
            module,
            bound: HashMap::new(),
        };
        let mut bad: Vec<&str> = Vec::new();
        let all = bindings(scope);
        for b in &all {
            match b.value {
                Expr::Call(call) if !b.with_item && c.is_time(call) => {
                    c.bound.entry(b.name).or_default().push(call)
                }
                _ => bad.push(b.name),
            }
        }
        // Any other way of binding the name (a loop target, `+=`, `:=`, a parameter) counts
        // as a binding that is not a reading.
        let mut stores: HashMap<&str, usize> = HashMap::new();
        super::design_util::any_name_in(scope, |n| {
            if !matches!(n.ctx, ExprContext::Load) {
                *stores.entry(n.id.as_str()).or_default() += 1;
            }
            false
        });
        c.bound.retain(|name, calls| {
            !bad.contains(name) && stores.get(name).copied().unwrap_or(0) == calls.len()
        });
        c
    }

    fn is_time(&self, call: &ast::ExprCall) -> bool {
        call.args.is_empty()
            && call.keywords.is_empty()
            && qualified(self.names, self.module, &call.func).as_deref() == Some("time.time")
    }

    /// The calls behind a side of the subtraction: a name bound only to readings (its calls),
    /// or a reading itself (no calls); None for anything else.
    fn reading(&self, e: &'a Expr) -> Option<&[&'a ast::ExprCall]> {
        match e {
            Expr::Name(n) => self.bound.get(n.id.as_str()).map(Vec::as_slice),
            Expr::Call(c) if self.is_time(c) => Some(&[]),
            _ => None,
        }
    }

    /// Edits turning `time.time()` into `time.perf_counter()` in every reading of both sides,
    /// when the names are read only as operands of such differences and every call is spelled
    /// `<module>.time()`.
    fn edits(&self, left: &'a Expr, right: &'a Expr, scope: &'a [Stmt]) -> Option<Vec<Edit>> {
        let mut calls: Vec<&ast::ExprCall> = Vec::new();
        let mut tracked: Vec<&str> = Vec::new();
        for side in [left, right] {
            match side {
                Expr::Name(n) => {
                    tracked.push(n.id.as_str());
                    calls.extend(self.reading(side)?);
                }
                Expr::Call(c) => calls.push(c),
                _ => return None,
            }
        }
        // Loads of the tracked names outside a difference of two readings.
        let mut loads: HashMap<&str, isize> = HashMap::new();
        super::design_util::any_name_in(scope, |n| {
            if matches!(n.ctx, ExprContext::Load) && tracked.contains(&n.id.as_str()) {
                *loads.entry(n.id.as_str()).or_default() += 1;
            }
            false
        });
        scan(scope, |node| {
            if let Node::Expr(Expr::BinOp(b)) = node {
                if matches!(b.op, Operator::Sub)
                    && self.reading(&b.left).is_some()
                    && self.reading(&b.right).is_some()
                {
                    for side in [&*b.left, &*b.right] {
                        if let Expr::Name(n) = side {
                            if let Some(k) = loads.get_mut(n.id.as_str()) {
                                *k -= 1;
                            }
                        }
                    }
                }
            }
        });
        if loads.values().any(|k| *k != 0) {
            return None;
        }
        let mut edits = Vec::new();
        for c in calls {
            let Expr::Attribute(a) = &*c.func else {
                return None;
            };
            let (_, end) = span(&*c.func);
            edits.push(Edit {
                start: end - a.attr.len(),
                end,
                text: "perf_counter".into(),
            });
        }
        edits.sort_by_key(|e| e.start);
        edits.dedup_by_key(|e| e.start);
        Some(edits)
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_differences_of_wall_clock_readings() {
        let src = "import time\n\ndef run(job):\n    start = time.time()\n    job()\n    end = time.time()\n    log(end - start)\n    return time.time() - start\n";
        let found = findings(src, "PM1603", T);
        assert_eq!(flagged(src, &found), ["end - start", "time.time() - start"]);
        assert_eq!(
            found[0].message,
            "`end - start` measures a duration with `time.time()`, a wall clock that can jump or stand still: read `time.perf_counter()` instead"
        );
        assert_eq!(found[0].section, "16.3.7");
    }

    #[test]
    fn fix_switches_every_reading() {
        let src = "import time as t\n\ndef run(job):\n    start = t.time()\n    job()\n    end = t.time()\n    return end - start\n";
        assert_eq!(
            fixed(src, "PM1603", T),
            "import time as t\n\ndef run(job):\n    start = t.perf_counter()\n    job()\n    end = t.perf_counter()\n    return end - start\n"
        );
        let module_level =
            "import time\nif True:\n    t0 = time.time()\n    work()\n    print(time.time() - t0)";
        assert_eq!(
            fixed(module_level, "PM1603", T),
            "import time\nif True:\n    t0 = time.perf_counter()\n    work()\n    print(time.perf_counter() - t0)"
        );
    }

    #[test]
    fn no_fix_when_a_reading_is_also_a_timestamp() {
        let src = "import time\ndef run():\n    start = time.time()\n    record(started_at=start)\n    return time.time() - start\n";
        let found = findings(src, "PM1603", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
        let bare =
            "from time import time\ndef run():\n    start = time()\n    return time() - start\n";
        let found = findings(bare, "PM1603", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none(), "no fix for a bare `time()`");
    }

    #[test]
    fn silent_on_other_clocks_and_other_values() {
        let src = "import time\ndef a(deadline):\n    return deadline - time.time()\ndef b():\n    s = time.monotonic()\n    return time.monotonic() - s\ndef c(start):\n    return time.time() - start\ndef d():\n    s = time.time()\n    s = s - 5\n    return time.time() - s\ndef e():\n    s = time.time()\n    for s in xs:\n        pass\n    return time.time() - s\ndef f(time):\n    s = time.time()\n    return time.time() - s\ndef g():\n    return time.time() - time.time()\n";
        assert!(
            findings(src, "PM1603", T).is_empty(),
            "{:?}",
            findings(src, "PM1603", T)
        );
    }
}
