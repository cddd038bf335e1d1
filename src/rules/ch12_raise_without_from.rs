//! PM1202: `raise NewError(...)` inside `except ... as err:` with no `from`, so the new error
//! is chained only implicitly, as if raised by accident while handling (§12.6.2).

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::span;

pub struct RaiseWithoutFrom;

const CODE: &str = "PM1202";

impl Rule for RaiseWithoutFrom {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Raise]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Raise(r)) = node else {
            return;
        };
        let (Some(exc), None) = (r.exc.as_deref(), r.cause.as_deref()) else {
            return;
        };
        let Some(name) = handler_name(node, ctx) else {
            return;
        };
        // Re-raising the caught error itself, or a copy of it, keeps its own chain.
        let own = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == name);
        match exc {
            e if own(e) => return,
            Expr::Call(c) if matches!(&*c.func, Expr::Attribute(a) if own(&a.value)) => return,
            _ => {}
        }
        // The statement's end, not the expression's: it includes closing parentheses.
        let (_, t) = span(r);
        let fix = ctx.fix(
            CODE,
            &[("name", name)],
            Safety::Unsafe,
            vec![Edit {
                start: t,
                end: t,
                text: format!(" from {name}"),
            }],
        );
        ctx.report(CODE, span(r), &[("name", name)], Some(fix));
    }
}

/// The `as` name of the innermost `except` clause whose body holds the node being checked,
/// when no function, lambda or class stands between them; None when that clause names nothing.
fn handler_name<'a>(node: Node<'a>, ctx: &Ctx<'a>) -> Option<&'a str> {
    let chain: Vec<Node<'a>> = ctx.parents.iter().copied().chain([node]).collect();
    for i in (0..chain.len().saturating_sub(1)).rev() {
        match chain[i] {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return None,
            Node::Stmt(Stmt::Try(t)) => {
                if let Some(h) = holding_handler(&t.handlers, chain[i + 1]) {
                    return h.name.as_ref().map(|n| n.as_str());
                }
            }
            Node::Stmt(Stmt::TryStar(t)) => {
                if let Some(h) = holding_handler(&t.handlers, chain[i + 1]) {
                    return h.name.as_ref().map(|n| n.as_str());
                }
            }
            _ => {}
        }
    }
    None
}

fn holding_handler<'a>(
    handlers: &'a [ast::ExceptHandler],
    child: Node<'_>,
) -> Option<&'a ast::ExceptHandlerExceptHandler> {
    let Node::Stmt(child) = child else {
        return None;
    };
    handlers.iter().find_map(|h| {
        let ast::ExceptHandler::ExceptHandler(h) = h;
        h.body.iter().any(|s| std::ptr::eq(s, child)).then_some(h)
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_new_errors_raised_in_named_handlers() {
        let src = "\
def load(path):
    try:
        return open(path).read()
    except OSError as err:
        if err.errno == 2:
            raise ConfigMissing(path)
        raise ConfigError(f'cannot read {path}: {err}')
    except KeyError as e:
        try:
            cleanup()
        finally:
            raise LookupError
";
        let found = findings(src, "PM1202", T);
        assert_eq!(
            flagged(src, &found),
            [
                "raise ConfigMissing(path)",
                "raise ConfigError(f'cannot read {path}: {err}')",
                "raise LookupError"
            ]
        );
        assert_eq!(
            found[0].message,
            "A new exception is raised while handling `err` without `from`: write `from err` to mark `err` as its cause, or `from None` to hide it"
        );
        assert_eq!(found[0].section, "12.6.2");
        assert_eq!(found[2].message.matches("`e`").count(), 2);
    }

    #[test]
    fn silent_on_reraise_explicit_cause_unnamed_or_nested_scopes() {
        let src = "\
try:
    run()
except OSError as err:
    raise
except ValueError as err:
    raise err
except TypeError as err:
    raise err.with_traceback(None)
except KeyError as err:
    raise LookupError('x') from err
except IndexError as err:
    raise LookupError('x') from None
except RuntimeError:
    raise Failed()
except ArithmeticError as err:
    def later():
        raise Failed()
    try:
        pass
    except Exception:
        raise Other()
else:
    raise Failed()
";
        assert!(findings(src, "PM1202", T).is_empty());
    }

    #[test]
    fn fix_adds_from() {
        let src = "try:\n    x()\nexcept KeyError as exc:\n    raise LookupError(\n        'missing'\n    )  # why\n";
        assert_eq!(
            fixed(src, "PM1202", T),
            "try:\n    x()\nexcept KeyError as exc:\n    raise LookupError(\n        'missing'\n    ) from exc  # why\n"
        );
        let parens = "try:\n    x()\nexcept E as e:\n    raise (F(1)\n        )\n";
        assert_eq!(
            fixed(parens, "PM1202", T),
            "try:\n    x()\nexcept E as e:\n    raise (F(1)\n        ) from e\n"
        );
        let one_line = "try: x()\nexcept E as e: raise F";
        assert_eq!(
            fixed(one_line, "PM1202", T),
            "try: x()\nexcept E as e: raise F from e"
        );
    }
}
