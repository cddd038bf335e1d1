//! PM1701: a bare `except:` that does not re-raise (§17). It also catches KeyboardInterrupt,
//! SystemExit and GeneratorExit, which are how Ctrl+C, `sys.exit()` and generator cleanup work.

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Stmt};
use crate::syntax::span;

pub struct BareExcept;

const CODE: &str = "PM1701";

impl Rule for BareExcept {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Try]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::Try(t)) = node else {
            return;
        };
        for h in &t.handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            if h.type_.is_some() || reraises(&h.body) {
                continue;
            }
            let (s, _) = span(h);
            let kw = s + "except".len();
            if ctx.source.get(s..kw) != Some("except") {
                continue;
            }
            let fix = ctx.fix(
                CODE,
                &[],
                Safety::Unsafe,
                vec![Edit {
                    start: kw,
                    end: kw,
                    text: " Exception".into(),
                }],
            );
            ctx.report(CODE, (s, kw), &[], Some(fix));
        }
    }
}

/// The handler ends by re-raising what it caught (cleanup, then `raise`).
fn reraises(body: &[Stmt]) -> bool {
    matches!(body.last(), Some(Stmt::Raise(r)) if r.exc.is_none())
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_bare_except_that_swallows() {
        let src = "try:\n    run()\nexcept:\n    log('failed')\n";
        let found = findings(src, "PM1701", T);
        assert_eq!(flagged(src, &found), ["except"]);
        assert_eq!(
            found[0].message,
            "Bare `except:` also catches KeyboardInterrupt and SystemExit: catch `Exception` (or something narrower)"
        );
        assert_eq!(found[0].section, "17");
    }

    #[test]
    fn silent_on_typed_handlers_and_cleanup_that_reraises() {
        for src in [
            "try:\n    run()\nexcept Exception:\n    pass\n",
            "try:\n    run()\nexcept:\n    cleanup()\n    raise\n",
            "try:\n    run()\nexcept BaseException:\n    pass\n",
        ] {
            assert!(findings(src, "PM1701", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_catches_exception() {
        assert_eq!(
            fixed("try:\n    run()\nexcept:  # noisy\n    pass\n", "PM1701", T),
            "try:\n    run()\nexcept Exception:  # noisy\n    pass\n"
        );
    }
}
