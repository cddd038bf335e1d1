//! PM1203: the last `except` clause of a `try` only re-raises (`except X: raise`), which is
//! what happens without it (§12.6.2).

use super::iter_util::scan;
use super::source::{indentation, line_start, next_line_start, rest_of_line_blank, starts_line};
use super::{Ctx, Edit, Fix, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Constant, Expr, Stmt};
use crate::syntax::span;

pub struct ReraiseOnlyHandler;

const CODE: &str = "PM1203";

impl Rule for ReraiseOnlyHandler {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Try]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt @ Stmt::Try(t)) = node else {
            return;
        };
        let Some(ast::ExceptHandler::ExceptHandler(last)) = t.handlers.last() else {
            return;
        };
        let [Stmt::Raise(r)] = &last.body[..] else {
            return;
        };
        if r.exc.is_some() || r.cause.is_some() {
            return;
        }
        let fix = (t.handlers.len() == 1 && t.orelse.is_empty() && t.finalbody.is_empty())
            .then(|| unwrap_try(stmt, &t.body, last, ctx))
            .flatten();
        let (s, _) = span(last);
        let (_, e) = span(r);
        ctx.report(CODE, (s, e), &[], fix);
    }
}

/// Replaces the whole `try` statement by its body, one indentation level out. None when the
/// `try:` line or the clause do not stand on lines of their own, or when dedenting could
/// change a string (a literal spanning lines).
fn unwrap_try(
    stmt: &Stmt,
    body: &[Stmt],
    handler: &ast::ExceptHandlerExceptHandler,
    ctx: &Ctx<'_>,
) -> Option<Fix> {
    let src = ctx.source;
    let (ts, te) = span(stmt);
    let first = body.first()?;
    let (bs, _) = span(first);
    let (hs, _) = span(handler);
    if !starts_line(src, ts) || !starts_line(src, bs) || !starts_line(src, hs) {
        return None;
    }
    if !rest_of_line_blank(src, te) || multiline_string(body, src) {
        return None;
    }
    // A comment on the clause would be lost with it: leave that to the author.
    if src
        .get(hs..next_line_start(src, te))
        .is_none_or(|c| c.contains('#'))
    {
        return None;
    }
    let outer = indentation(src, ts);
    let inner = indentation(src, bs);
    inner.strip_prefix(outer).filter(|u| !u.is_empty())?;
    let region = src.get(line_start(src, bs)..line_start(src, hs))?;
    let mut text = String::new();
    for line in region.split_inclusive('\n') {
        match line.strip_prefix(inner) {
            Some(rest) => {
                text.push_str(outer);
                text.push_str(rest);
            }
            // A continuation line or a comment left of the body: kept as written.
            None => text.push_str(line),
        }
    }
    let start = line_start(src, ts);
    let end = next_line_start(src, te);
    if end == src.len() && !src.ends_with(['\n', '\r']) {
        // The clause ends the text: drop the last line break of the body too.
        let trimmed = text.trim_end_matches(['\n', '\r']).len();
        text.truncate(trimmed);
    }
    Some(ctx.fix(CODE, &[], Safety::Unsafe, vec![Edit { start, end, text }]))
}

/// True when a string literal (or f-string) in `body` spans more than one line.
fn multiline_string(body: &[Stmt], src: &str) -> bool {
    let mut found = false;
    scan(body, |n| {
        if let Node::Expr(e @ (Expr::Constant(_) | Expr::JoinedStr(_))) = n {
            let is_str = match e {
                Expr::Constant(c) => matches!(c.value, Constant::Str(_) | Constant::Bytes(_)),
                _ => true,
            };
            let (s, t) = span(e);
            if is_str && src.get(s..t).is_some_and(|x| x.contains(['\n', '\r'])) {
                found = true;
            }
        }
    });
    // Nested scopes are not scanned above; look at their text as a whole.
    found
        || body.iter().any(|s| {
            matches!(
                s,
                Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_)
            ) && {
                let (a, b) = span(s);
                src.get(a..b)
                    .is_some_and(|x| x.contains("\"\"\"") || x.contains("'''"))
            }
        })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_handlers_that_only_reraise() {
        let src = "\
def f():
    try:
        work()
    except ValueError:
        raise
    try:
        work()
    except KeyError:
        handle()
    except Exception as e:
        raise
    finally:
        done()
";
        let found = findings(src, "PM1203", T);
        assert_eq!(
            flagged(src, &found),
            [
                "except ValueError:\n        raise",
                "except Exception as e:\n        raise"
            ]
        );
        assert_eq!(
            found[0].message,
            "This `except` clause only re-raises what it caught, which is what would happen without it"
        );
        assert_eq!(found[0].section, "12.6.2");
        assert!(found[0].fix.is_some());
        assert!(found[1].fix.is_none(), "other handlers and finally stay");
    }

    #[test]
    fn silent_when_the_reraise_shields_later_handlers_or_does_more() {
        let src = "\
try:
    work()
except KeyError:
    raise
except Exception:
    log()
try:
    work()
except KeyError:
    log()
    raise
try:
    work()
except KeyError as e:
    raise e
try:
    work()
except* KeyError:
    raise
";
        assert!(findings(src, "PM1203", T).is_empty());
    }

    #[test]
    fn fix_unwraps_the_try() {
        let src = "def f(x):\n    try:  # guard\n        y = x + 1\n        # keep me\n        if y:\n            return [\n              y]\n    except ValueError:\n        raise\n    return 0\n";
        assert_eq!(
            fixed(src, "PM1203", T),
            "def f(x):\n    y = x + 1\n    # keep me\n    if y:\n        return [\n          y]\n    return 0\n"
        );
        let crlf_tabs = "try:\r\n\tgo()\r\nexcept:\r\n\traise";
        assert_eq!(fixed(crlf_tabs, "PM1203", T), "go()");
        let commented = "try:\n    go()\nexcept E:\n    raise  # why\n";
        assert!(findings(commented, "PM1203", T)[0].fix.is_none());
        let one_line = "try: go()\nexcept E: raise\n";
        assert!(findings(one_line, "PM1203", T)[0].fix.is_none());
        let doc = "try:\n    s = '''a\n    b'''\nexcept E:\n    raise\n";
        assert!(findings(doc, "PM1203", T)[0].fix.is_none());
    }
}
