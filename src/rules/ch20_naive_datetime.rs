//! PM2002: `datetime.now()`, `datetime.utcnow()` and `datetime.utcfromtimestamp()`, which
//! return naive datetimes (§20.2.1). A timestamp without a zone is ambiguous in logs, events
//! and anything compared across machines.

use super::conc_common::qualified;
use super::log_util::add_keyword;
use super::typing_names::BlockNames;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct NaiveDatetime;

const CODE: &str = "PM2002";

impl Rule for NaiveDatetime {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        let Expr::Attribute(a) = &*call.func else {
            return;
        };
        let method = a.attr.as_str();
        let simple =
            call.keywords.is_empty() && !call.args.iter().any(|x| matches!(x, Expr::Starred(_)));
        let (better, what) = match method {
            "now" if call.args.is_empty() && call.keywords.is_empty() => {
                ("now", "in local time with no zone attached")
            }
            "utcnow" if call.args.is_empty() && call.keywords.is_empty() => (
                "now",
                "that most code takes for local time (deprecated since Python 3.12)",
            ),
            "utcfromtimestamp" if simple && call.args.len() == 1 => (
                "fromtimestamp",
                "that most code takes for local time (deprecated since Python 3.12)",
            ),
            _ => return,
        };
        let names = BlockNames::of_block(node, ctx);
        if qualified(&names, ctx.module, &call.func).as_deref()
            != Some(&format!("datetime.datetime.{method}"))
        {
            return;
        }
        let receiver = {
            let (s, t) = span(&*a.value);
            ctx.source.get(s..t).unwrap_or("datetime").to_string()
        };
        let shown = match method {
            "utcfromtimestamp" => format!("{receiver}.fromtimestamp(ts, timezone.utc)"),
            _ => format!("{receiver}.now(timezone.utc)"),
        };
        let fix = timezone_spelling(a, &names, ctx).and_then(|(tz, import)| {
            let (_, end) = span(&*call.func);
            let start = end.checked_sub(method.len())?;
            if ctx.source.get(start..end) != Some(method) {
                return None;
            }
            let mut edits = Vec::new();
            if better != method {
                edits.push(Edit {
                    start,
                    end,
                    text: better.to_string(),
                });
            }
            edits.push(add_keyword(ctx, call, &tz)?);
            let mut fix = ctx.fix(CODE, &[("tz", &tz)], Safety::Unsafe, edits);
            if import {
                fix.file_edits
                    .push(ctx.import_edit("from datetime import timezone"));
            }
            Some(fix)
        });
        ctx.report(
            CODE,
            span(e),
            &[
                ("call", &format!("{receiver}.{method}")),
                ("what", what),
                ("better", &shown),
            ],
            fix,
        );
    }
}

/// How the fix can name `timezone.utc` here, and whether it must import `timezone`:
/// `dt.timezone.utc` when the class was reached through the module (`dt.datetime.now()`),
/// `timezone.utc` when `timezone` is imported from `datetime` or is free to import.
fn timezone_spelling(
    a: &crate::syntax::ast::ExprAttribute,
    names: &BlockNames,
    ctx: &Ctx<'_>,
) -> Option<(String, bool)> {
    if let Expr::Attribute(inner) = &*a.value {
        let (s, t) = span(&*inner.value);
        let module = ctx.source.get(s..t)?;
        return Some((format!("{module}.timezone.utc"), false));
    }
    match ctx.module.imports.imported("timezone") {
        Some("datetime.timezone") if !names.assigns("timezone") => {
            return Some(("timezone.utc".into(), false));
        }
        Some(_) => return None,
        None => {}
    }
    let free = !names.binds("timezone")
        && !names.reads("timezone")
        && ctx.module.class("timezone").is_none()
        && ctx.module.functions_named("timezone").next().is_none();
    free.then(|| ("timezone.utc".into(), true))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_naive_constructors() {
        let src = "import datetime as dt\nfrom datetime import datetime\n\na = datetime.now()\nb = dt.datetime.utcnow()\nc = datetime.utcfromtimestamp(ts)\n";
        let found = findings(src, "PM2002", T);
        assert_eq!(
            flagged(src, &found),
            [
                "datetime.now()",
                "dt.datetime.utcnow()",
                "datetime.utcfromtimestamp(ts)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`datetime.now()` returns a naive datetime in local time with no zone attached: pass a zone, as in `datetime.now(timezone.utc)`"
        );
        assert_eq!(
            found[2].message,
            "`datetime.utcfromtimestamp()` returns a naive datetime that most code takes for local time (deprecated since Python 3.12): pass a zone, as in `datetime.fromtimestamp(ts, timezone.utc)`"
        );
        assert_eq!(found[0].section, "20.2.1");
    }

    #[test]
    fn silent_on_aware_calls_and_other_classes() {
        for src in [
            "from datetime import datetime, timezone\nx = datetime.now(timezone.utc)\n",
            "from datetime import datetime\nx = datetime.now(tz=tz)\n",
            "from datetime import datetime\nx = datetime.fromtimestamp(ts, tz)\n",
            "import pendulum\nx = pendulum.now()\n",
            "x = loop.now()\n",
            "import datetime\nx = datetime.date.today()\n",
            "class datetime:\n    pass\nx = datetime.now()\n",
        ] {
            assert!(findings(src, "PM2002", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_passes_utc_and_imports_timezone_when_needed() {
        assert_eq!(
            fixed("from datetime import datetime\n\nx = datetime.utcnow()\n", "PM2002", T),
            "from datetime import timezone\nfrom datetime import datetime\n\nx = datetime.now(timezone.utc)\n"
        );
        assert_eq!(
            fixed(
                "from datetime import datetime, timezone\n\nx = datetime.utcfromtimestamp(t)\n",
                "PM2002",
                T
            ),
            "from datetime import datetime, timezone\n\nx = datetime.fromtimestamp(t, timezone.utc)\n"
        );
        assert_eq!(
            fixed(
                "import datetime\nx = datetime.datetime.now()\n",
                "PM2002",
                T
            ),
            "import datetime\nx = datetime.datetime.now(datetime.timezone.utc)\n"
        );
    }

    #[test]
    fn no_fix_when_timezone_means_something_else() {
        let src = "from datetime import datetime\nfrom pytz import timezone\nx = datetime.now()\n";
        let found = findings(src, "PM2002", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
