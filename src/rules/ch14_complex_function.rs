//! PM1403: a function whose cyclomatic complexity (McCabe) is above 10, more independent paths
//! than a handful of tests can cover (§14.9.1).

use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct ComplexFunction;

const CODE: &str = "PM1403";

/// The highest complexity that is not reported.
const BOUND: usize = 10;

impl Rule for ComplexFunction {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let (s, name, body, decorators) = match node {
            Node::Stmt(s @ Stmt::FunctionDef(f)) => {
                (s, f.name.as_str(), &f.body, &f.decorator_list)
            }
            Node::Stmt(s @ Stmt::AsyncFunctionDef(f)) => {
                (s, f.name.as_str(), &f.body, &f.decorator_list)
            }
            _ => return,
        };
        let count = complexity(body);
        if count <= BOUND {
            return;
        }
        let range = def_name(ctx.source, span(s).0, decorators, name);
        let count = count.to_string();
        let bound = BOUND.to_string();
        ctx.report(
            CODE,
            range,
            &[("name", name), ("count", &count), ("bound", &bound)],
            None,
        );
    }
}

/// 1 plus one for each decision in the body, nested functions and classes left out (they are
/// judged on their own); lambdas count with the function that holds them.
fn complexity(body: &[Stmt]) -> usize {
    let mut v = Decisions { count: 1 };
    walk(body, &mut v);
    v.count
}

struct Decisions {
    count: usize,
}

impl<'a> Visitor<'a> for Decisions {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let add = match node {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)) => {
                return false
            }
            // An `elif` is an `If` inside the `orelse` of the one before, so it counts too.
            Node::Stmt(Stmt::If(_) | Stmt::For(_) | Stmt::AsyncFor(_) | Stmt::While(_)) => 1,
            Node::Stmt(Stmt::Try(t)) => t.handlers.len(),
            Node::Stmt(Stmt::TryStar(t)) => t.handlers.len(),
            Node::Stmt(Stmt::Match(m)) => m.cases.iter().map(case_decisions).sum(),
            Node::Expr(Expr::BoolOp(b)) => b.values.len().saturating_sub(1),
            Node::Expr(Expr::IfExp(_)) => 1,
            Node::Expr(Expr::ListComp(c)) => generators(&c.generators),
            Node::Expr(Expr::SetComp(c)) => generators(&c.generators),
            Node::Expr(Expr::DictComp(c)) => generators(&c.generators),
            Node::Expr(Expr::GeneratorExp(c)) => generators(&c.generators),
            _ => 0,
        };
        self.count += add;
        true
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

/// A `case` is a decision, and so is its guard; a last `case _:` without a guard is the
/// `else` of the match and adds nothing.
fn case_decisions(c: &ast::MatchCase) -> usize {
    let wildcard =
        matches!(&c.pattern, ast::Pattern::MatchAs(p) if p.pattern.is_none() && p.name.is_none());
    match (wildcard, c.guard.is_some()) {
        (true, false) => 0,
        (true, true) => 1,
        (false, false) => 1,
        (false, true) => 2,
    }
}

/// One decision for each `for` and each `if` of a comprehension.
fn generators(g: &[ast::Comprehension]) -> usize {
    g.iter().map(|c| 1 + c.ifs.len()).sum()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    /// A function with `n` `if` statements in a row: complexity `n + 1`.
    fn ifs(name: &str, n: usize) -> String {
        let mut s = format!("def {name}(x):\n");
        for i in 0..n {
            s += &format!("    if x == {i}:\n        x += 1\n");
        }
        s
    }

    #[test]
    fn flags_functions_above_ten() {
        let src = format!("{}\n@deco\n{}", ifs("small", 9), ifs("big", 10));
        let found = findings(&src, "PM1403", T);
        assert_eq!(flagged(&src, &found), ["big"]);
        assert_eq!(
            found[0].message,
            "`big` has a cyclomatic complexity of 11, above the bound of 10: each independent path is one more case to test; split it into smaller functions"
        );
        assert_eq!(found[0].section, "14.9.1");
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn counts_each_kind_of_decision() {
        // 1 + if/elif 2 + for 1 + while 1 + except 2 + `and`/`or` 2 + conditional 1
        // + comprehension for/if 3 + cases 2 (`case 1 if ys` 2, `case _` 0) = 15.
        let src = "async def f(x, ys):\n    if x:\n        pass\n    elif x > 1:\n        pass\n    else:\n        pass\n    for y in ys:\n        pass\n    else:\n        pass\n    while x:\n        break\n    try:\n        pass\n    except ValueError:\n        pass\n    except (KeyError, OSError):\n        pass\n    finally:\n        pass\n    z = x and ys or None\n    w = 1 if x else 2\n    v = [a for a in ys if a for b in a]\n    match x:\n        case 1 if ys:\n            pass\n        case _:\n            pass\n    with open(x) as fh:\n        pass\n";
        let found = findings(src, "PM1403", T);
        assert_eq!(flagged(src, &found), ["f"]);
        assert!(
            found[0].message.contains("complexity of 15,"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn nested_definitions_count_on_their_own() {
        // The outer function has 6 + 1 of its own; `inner` and the method have 8 + 1 each.
        let mut src = ifs("outer", 6);
        for line in ifs("inner", 8).lines() {
            src += &format!("    {line}\n");
        }
        src += "    class K:\n";
        for line in ifs("m", 8).lines() {
            src += &format!("        {line}\n");
        }
        src += "    return lambda a: a if a else (a or x)\n";
        let found = findings(&src, "PM1403", T);
        assert!(found.is_empty(), "{:?}", flagged(&src, &found));
        // The lambda's 2 decisions belong to `outer`: 7 + 2 = 9, still within the bound; two
        // more `if`s make it 11.
        let more = src.replace(
            "    return lambda",
            "    if x:\n        pass\n    if x:\n        pass\n    return lambda",
        );
        let found = findings(&more, "PM1403", T);
        assert_eq!(flagged(&more, &found), ["outer"]);
    }
}
