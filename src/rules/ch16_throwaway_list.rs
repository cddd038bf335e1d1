//! PM1602: a list built only to be read once: `list(x)[0]`, `sorted(x)[0]`, `sorted(x)[-1]`,
//! and `for v in list(y):` over a local `y` the loop never touches (§16.4.6).

use super::conc_common::bindings;
use super::design_util::{
    any_name_in, bare_method_call, builtin_call_arg, builtin_here, short, text_of,
};
use super::iter_util::enclosing_function;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Constant, Expr, ExprContext, Stmt};
use crate::syntax::span;

pub struct ThrowawayList;

const CODE: &str = "PM1602";

impl Rule for ThrowawayList {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Subscript, Kind::For]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        match node {
            Node::Expr(e @ Expr::Subscript(s)) if matches!(s.ctx, ExprContext::Load) => {
                first_or_last(e, s, node, ctx)
            }
            Node::Stmt(Stmt::For(f)) => loop_copy(f, node, ctx),
            _ => {}
        }
    }
}

fn first_or_last(e: &Expr, s: &ast::ExprSubscript, node: Node<'_>, ctx: &mut Ctx<'_>) {
    let index = text_of(ctx.source, &s.slice);
    let last = match index {
        "0" => false,
        "-1" => true,
        _ => return,
    };
    let names = BlockNames::of_block(node, ctx);
    let whole = text_of(ctx.source, e);
    let (better, fix_text) =
        if let Some(arg) = builtin_call_arg(&s.value, "list", &[], &names, ctx.module) {
            if last
                || !builtin_here(&names, ctx.module, "next")
                || !builtin_here(&names, ctx.module, "iter")
            {
                return;
            }
            let x = text_of(ctx.source, arg);
            (
                format!("next(iter({}))", short(x)),
                Some(format!("next(iter({x}))")),
            )
        } else if let Some(arg) =
            builtin_call_arg(&s.value, "sorted", &["key", "reverse"], &names, ctx.module)
        {
            let Expr::Call(call) = &*s.value else { return };
            let kw = |name: &str| {
                call.keywords
                    .iter()
                    .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name))
                    .map(|k| &k.value)
            };
            let reverse = match kw("reverse") {
                None => Some(false),
                Some(Expr::Constant(c)) => match c.value {
                    Constant::Bool(b) => Some(b),
                    _ => None,
                },
                Some(_) => None,
            };
            // Without a literal `reverse`, which end is which is known only at run time.
            let func = match reverse.map(|r| r != last) {
                Some(true) => "max",
                Some(false) | None => "min",
            };
            let key = kw("key").map(|k| format!(", key={}", text_of(ctx.source, k)));
            let x = text_of(ctx.source, arg);
            let better = match (&key, reverse) {
                (_, None) => "min(...) or max(...)".to_string(),
                (None, _) => format!("{func}({})", short(x)),
                (Some(_), _) => format!("{func}({}, key=...)", short(x)),
            };
            let usable = builtin_here(&names, ctx.module, func);
            let fix_text = (reverse.is_some() && usable)
                .then(|| format!("{func}({x}{})", key.unwrap_or_default()));
            (better, fix_text)
        } else {
            return;
        };
    let fix = fix_text.map(|text| {
        let (a, b) = span(e);
        ctx.fix(
            CODE,
            &[("better", &better)],
            Safety::Unsafe,
            vec![Edit {
                start: a,
                end: b,
                text,
            }],
        )
    });
    ctx.report(
        CODE,
        span(e),
        &[("written", short(whole)), ("better", &better)],
        fix,
    );
}

/// An assignment that makes `y` another name for an object reachable some other way (an
/// alias, an attribute, an item, a dict view or an iterator over something else).
fn aliasing(value: &Expr) -> bool {
    matches!(
        value,
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_)
    ) || ["keys", "values", "items"]
        .iter()
        .any(|m| bare_method_call(value, m).is_some())
        || matches!(value, Expr::Call(c) if matches!(&*c.func, Expr::Name(n)
            if matches!(n.id.as_str(), "iter" | "reversed" | "vars" | "globals" | "locals")))
}

fn loop_copy(f: &ast::StmtFor, node: Node<'_>, ctx: &mut Ctx<'_>) {
    let names = BlockNames::of_block(node, ctx);
    let Some(Expr::Name(y)) = builtin_call_arg(&f.iter, "list", &[], &names, ctx.module) else {
        return;
    };
    let y = y.id.as_str();
    let Some((func, body, _)) = enclosing_function(ctx) else {
        return;
    };
    let args = match func {
        Stmt::FunctionDef(d) => &d.args,
        Stmt::AsyncFunctionDef(d) => &d.args,
        _ => return,
    };
    let param = args
        .posonlyargs
        .iter()
        .chain(&args.args)
        .chain(&args.kwonlyargs)
        .any(|a| a.def.arg.as_str() == y);
    let own = bindings(body);
    let mut mine = own.iter().filter(|b| b.name == y).peekable();
    let local = param || mine.peek().is_some();
    if !local || mine.any(|b| b.with_item || aliasing(b.value)) {
        return;
    }
    let global = super::conc_common::any_in_scope(body, |n| match n {
        Node::Stmt(Stmt::Global(g)) => g.names.iter().any(|x| x.as_str() == y),
        Node::Stmt(Stmt::Nonlocal(g)) => g.names.iter().any(|x| x.as_str() == y),
        _ => false,
    });
    if global
        || any_name_in(&f.body, |n| n.id.as_str() == y)
        || any_name_in(&f.orelse, |n| n.id.as_str() == y)
    {
        return;
    }
    let target = short(text_of(ctx.source, &f.target));
    let written = format!("for {target} in list({y})");
    let better = format!("for {target} in {y}");
    let (a, b) = span(&*f.iter);
    let fix = ctx.fix(
        CODE,
        &[("better", &better)],
        Safety::Unsafe,
        vec![Edit {
            start: a,
            end: b,
            text: y.to_string(),
        }],
    );
    ctx.report(
        CODE,
        (a, b),
        &[("written", &written), ("better", &better)],
        Some(fix),
    );
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_first_and_last_of_a_fresh_list() {
        let src = "a = list(rows)[0]\nb = sorted(scores)[0]\nc = sorted(scores)[-1]\nd = sorted(xs, key=len, reverse=True)[0]\n";
        let found = findings(src, "PM1602", T);
        assert_eq!(
            flagged(src, &found),
            [
                "list(rows)[0]",
                "sorted(scores)[0]",
                "sorted(scores)[-1]",
                "sorted(xs, key=len, reverse=True)[0]"
            ]
        );
        assert_eq!(
            found[0].message,
            "`list(rows)[0]` builds a list that nothing needs: `next(iter(rows))` does the same without the copy"
        );
        assert_eq!(found[0].section, "16.4.6");
        assert_eq!(
            found[3].message.split(": ").nth(1),
            Some("`max(xs, key=...)` does the same without the copy")
        );
    }

    #[test]
    fn fixes_pick_min_max_and_keep_the_key() {
        assert_eq!(
            fixed("a = list(rows)[0]\n", "PM1602", T),
            "a = next(iter(rows))\n"
        );
        assert_eq!(fixed("a = sorted(s)[0]\n", "PM1602", T), "a = min(s)\n");
        assert_eq!(fixed("a = sorted(s)[-1]\n", "PM1602", T), "a = max(s)\n");
        assert_eq!(
            fixed("a = sorted(s, reverse=True)[-1]", "PM1602", T),
            "a = min(s)"
        );
        assert_eq!(
            fixed(
                "a = sorted(s, key=lambda p: p.age, reverse=False)[0]\r\n",
                "PM1602",
                T
            ),
            "a = min(s, key=lambda p: p.age)\r\n"
        );
    }

    #[test]
    fn no_fix_with_a_computed_reverse() {
        let found = findings("a = sorted(s, reverse=desc)[0]\n", "PM1602", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn silent_on_other_subscripts_and_shadowed_builtins() {
        let src = "a = list(x)[1]\nb = list(x)[-1]\nc = sorted(x)[1:]\nd = sorted(x, cmp=f)[0]\ne = list(*xs)[0]\nf = list()[0]\ng = x[0]\nlist(x)[0] = 1\ndef h(list):\n    return list(x)[0]\n";
        assert!(
            findings(src, "PM1602", T).is_empty(),
            "{:?}",
            findings(src, "PM1602", T)
        );
        let shadowed_min = findings("def k(min):\n    return sorted(x)[0]\n", "PM1602", T);
        assert!(shadowed_min.len() == 1 && shadowed_min[0].fix.is_none());
        let module_def = "def sorted(x):\n    return x\n\nv = sorted(y)[0]\n";
        assert!(findings(module_def, "PM1602", T).is_empty());
    }

    #[test]
    fn flags_a_loop_over_a_copy_it_does_not_need() {
        let src =
            "def total(rows):\n    n = 0\n    for r in list(rows):\n        n += r\n    return n\n";
        let found = findings(src, "PM1602", T);
        assert_eq!(flagged(src, &found), ["list(rows)"]);
        assert_eq!(
            found[0].message,
            "`for r in list(rows)` builds a list that nothing needs: `for r in rows` does the same without the copy"
        );
        assert_eq!(
            fixed(src, "PM1602", T),
            "def total(rows):\n    n = 0\n    for r in rows:\n        n += r\n    return n\n"
        );
    }

    #[test]
    fn silent_when_the_loop_may_change_what_it_copies() {
        let src = "def prune(d, keep):\n    for k in list(d):\n        if k not in keep:\n            del d[k]\n\ndef alias(self):\n    kids = self.children\n    for c in list(kids):\n        self.children.remove(c)\n\ndef view(d):\n    ks = d.keys()\n    for k in list(ks):\n        d.pop(k)\n\ndef glob():\n    global items\n    for i in list(items):\n        f(i)\n\nfor i in list(items):\n    f(i)\n\ndef unknown():\n    for i in list(items):\n        f(i)\n";
        assert!(
            findings(src, "PM1602", T).is_empty(),
            "{:?}",
            findings(src, "PM1602", T)
        );
    }
}
