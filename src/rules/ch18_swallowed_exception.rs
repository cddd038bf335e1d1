//! PM1801: `except Exception: pass` (or `continue`), which drops every failure without a trace
//! (§18.1). A bare `except:` is PM1701's; `BaseException` inside `async def` is PM1004's.

use super::conc_common::enclosing_async;
use super::log_util::is_broad_handler;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::span;

pub struct SwallowedException;

const CODE: &str = "PM1801";

impl Rule for SwallowedException {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Try, Kind::TryStar]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let handlers = match node {
            Node::Stmt(Stmt::Try(t)) => &t.handlers,
            Node::Stmt(Stmt::TryStar(t)) => &t.handlers,
            _ => return,
        };
        let mut names = None;
        for h in handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            let Some(t) = &h.type_ else { continue };
            let Some(action) = drops(&h.body) else {
                continue;
            };
            let names = names.get_or_insert_with(|| BlockNames::of_block(node, ctx));
            if !is_broad_handler(h, names, ctx) {
                continue;
            }
            let (s, e) = (span(h).0, span(&**t).1);
            let Some(caught) = ctx.source.get(span(&**t).0..e) else {
                continue;
            };
            if caught.contains("BaseException") && enclosing_async(ctx).is_some() {
                continue;
            }
            // A comment in the handler says the silence is deliberate.
            if ctx
                .source
                .get(e..span(h).1)
                .is_some_and(|x| x.contains('#'))
            {
                continue;
            }
            if in_cleanup(ctx) {
                continue;
            }
            let caught = caught.to_string();
            ctx.report(
                CODE,
                (s, e),
                &[("caught", &caught), ("action", action)],
                None,
            );
        }
    }
}

/// True inside a finaliser or a cleanup method, where an error has nowhere useful to go.
fn in_cleanup(ctx: &Ctx<'_>) -> bool {
    let name = match super::iter_util::enclosing_function(ctx) {
        Some((Stmt::FunctionDef(f), _, _)) => f.name.as_str(),
        Some((Stmt::AsyncFunctionDef(f), _, _)) => f.name.as_str(),
        _ => return false,
    };
    matches!(name, "__del__" | "__exit__" | "__aexit__")
        || ["close", "cleanup", "shutdown", "teardown", "dispose"]
            .iter()
            .any(|w| name.to_ascii_lowercase().contains(w))
}

/// `pass`, `continue` or `...` alone: the handler does nothing with what it caught.
fn drops(body: &[Stmt]) -> Option<&'static str> {
    let mut action = None;
    for s in body {
        action = Some(match s {
            Stmt::Pass(_) => action.unwrap_or("pass"),
            Stmt::Continue(_) => "continue",
            Stmt::Expr(x) if matches!(&*x.value, Expr::Constant(c) if matches!(c.value, Constant::Ellipsis)) => {
                action.unwrap_or("...")
            }
            _ => return None,
        });
    }
    action
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_broad_handlers_that_do_nothing() {
        let src = "for x in xs:\n    try:\n        run(x)\n    except Exception:\n        pass\n    try:\n        run(x)\n    except (ValueError, BaseException) as e:\n        continue\n    try:\n        run(x)\n    except Exception:\n        ...\n";
        let found = findings(src, "PM1801", T);
        assert_eq!(
            flagged(src, &found),
            [
                "except Exception",
                "except (ValueError, BaseException)",
                "except Exception"
            ]
        );
        assert_eq!(
            found[0].message,
            "`except Exception: pass` drops every failure without a trace: catch only the exceptions you expect, or log what was caught"
        );
        assert_eq!(found[1].message, "`except (ValueError, BaseException): continue` drops every failure without a trace: catch only the exceptions you expect, or log what was caught");
        assert_eq!(found[0].section, "18.1");
    }

    #[test]
    fn silent_on_narrow_handlers_handlers_that_act_and_bare_except() {
        for src in [
            "try:\n    run()\nexcept KeyError:\n    pass\n",
            "try:\n    run()\nexcept Exception:\n    log.exception('x')\n",
            "try:\n    run()\nexcept Exception:\n    result = None\n",
            "try:\n    run()\nexcept:\n    pass\n",
            "class Exception(Base):\n    pass\ntry:\n    run()\nexcept Exception:\n    pass\n",
            "async def f():\n    try:\n        await run()\n    except BaseException:\n        pass\n",
            "try:\n    run()\nexcept Exception:  # best effort\n    pass\n",
            "try:\n    run()\nexcept Exception:\n    # the probe may fail\n    pass\n",
            "class C:\n    def __del__(self):\n        try:\n            self.close()\n        except Exception:\n            pass\n",
            "def close_all(xs):\n    for x in xs:\n        try:\n            x.close()\n        except Exception:\n            continue\n",
        ] {
            assert!(findings(src, "PM1801", T).is_empty(), "{src}");
        }
    }
}
