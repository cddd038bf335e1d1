//! PM0801: `threading.Thread(func)` (or `multiprocessing.Process(func)`), where the first
//! positional parameter is `group`, not `target` (§8.2.1).

use super::conc_common::qualified;
use super::typing_names::{last_name, BlockNames};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Constant, Expr};
use crate::syntax::span;

pub struct ThreadPositionalTarget;

const CODE: &str = "PM0801";

const CLASSES: &[&str] = &["threading.Thread", "multiprocessing.Process"];

impl Rule for ThreadPositionalTarget {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(Expr::Call(call)) = node else {
            return;
        };
        let Some(first) = call.args.first() else {
            return;
        };
        if matches!(first, Expr::Starred(_))
            || matches!(first, Expr::Constant(c) if matches!(c.value, Constant::None))
        {
            return;
        }
        if !matches!(last_name(&call.func), Some("Thread" | "Process")) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let Some(q) = qualified(&names, ctx.module, &call.func) else {
            return;
        };
        if !CLASSES.contains(&q.as_str()) {
            return;
        }
        let has_target = call
            .keywords
            .iter()
            .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "target"));
        let fix = (call.args.len() == 1 && !has_target).then(|| {
            let (s, _) = span(first);
            ctx.fix(
                CODE,
                &[],
                Safety::Unsafe,
                vec![Edit {
                    start: s,
                    end: s,
                    text: "target=".into(),
                }],
            )
        });
        ctx.report(CODE, span(first), &[("class", q.as_str())], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_a_positional_callable() {
        let src = "import threading\nfrom multiprocessing import Process\n\ndef main():\n    t = threading.Thread(worker, daemon=True)\n    p = Process(job, 'job-1')\n";
        let found = findings(src, "PM0801", T);
        assert_eq!(flagged(src, &found), ["worker", "job"]);
        assert_eq!(
            found[0].message,
            "The first positional parameter of `threading.Thread` is `group`, not `target`: pass the callable as `target=...`"
        );
        assert_eq!(found[0].section, "8.2.1");
        assert!(found[1].fix.is_none(), "two positional arguments: no fix");
    }

    #[test]
    fn silent_on_keywords_none_and_other_classes() {
        let src = "def main(Thread):\n    threading.Thread(target=worker)\n    threading.Thread(None, worker)\n    threading.Timer(1.0, worker)\n    Thread(worker)\n    threading.Thread(*args)\n";
        assert!(findings(src, "PM0801", T).is_empty());
    }

    #[test]
    fn fix_names_the_target() {
        let src =
            "import threading\n\ndef main():\n    threading.Thread(worker, name='w').start()\n";
        assert_eq!(
            fixed(src, "PM0801", T),
            "import threading\n\ndef main():\n    threading.Thread(target=worker, name='w').start()\n"
        );
    }
}
