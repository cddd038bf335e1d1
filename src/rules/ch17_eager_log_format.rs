//! PM1704: a logging call whose message is already formatted: an f-string, `%` or
//! `str.format` applied in place, or a concatenation (§17.4.3). The text is built even when
//! the level is disabled, and handlers that group records by template see every message as new.

use super::log_util::{log_call, str_constant};
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, ConversionFlag, Expr, Operator};
use crate::syntax::span;

pub struct EagerLogFormat;

const CODE: &str = "PM1704";

impl Rule for EagerLogFormat {
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
        // Cheap test first: a message that is formatted in place.
        let Some(msg) = call.args.iter().take(2).find(|a| eager(a).is_some()) else {
            return;
        };
        let Some(lc) = log_call(node, ctx) else {
            return;
        };
        if !lc.msg().is_some_and(|m| std::ptr::eq(m, msg)) {
            return;
        }
        let Some(how) = eager(msg) else { return };
        // Further positional arguments would be applied to the formatted text with `%`.
        let alone = call.args.len() == lc.msg_index + 1;
        let fix = if alone {
            lazy(msg, ctx).map(|(text, safety)| {
                let (s, t) = span(msg);
                ctx.fix(
                    CODE,
                    &[],
                    safety,
                    vec![Edit {
                        start: s,
                        end: t,
                        text,
                    }],
                )
            })
        } else {
            None
        };
        ctx.report(CODE, span(msg), &[("how", how.label())], fix);
    }
}

#[derive(Clone, Copy)]
enum How {
    FString,
    Percent,
    Format,
    Concat,
}

impl How {
    fn label(self) -> &'static str {
        match self {
            How::FString => "an f-string",
            How::Percent => "`%` formatting",
            How::Format => "`str.format`",
            How::Concat => "string concatenation",
        }
    }
}

/// How a message expression formats its text in place, if it does.
fn eager(e: &Expr) -> Option<How> {
    match e {
        Expr::JoinedStr(j) => j
            .values
            .iter()
            .any(|v| matches!(v, Expr::FormattedValue(_)))
            .then_some(How::FString),
        Expr::BinOp(b) if b.op == Operator::Mod && str_constant(&b.left).is_some() => {
            Some(How::Percent)
        }
        Expr::BinOp(b) if b.op == Operator::Add => {
            let mut parts = Vec::new();
            add_operands(e, &mut parts);
            let texty = parts
                .iter()
                .any(|p| str_constant(p).is_some() || matches!(p, Expr::JoinedStr(_)));
            let variable = parts
                .iter()
                .any(|p| !matches!(p, Expr::Constant(_) | Expr::JoinedStr(_)));
            (texty && variable).then_some(How::Concat)
        }
        Expr::Call(c) => match &*c.func {
            Expr::Attribute(a)
                if a.attr.as_str() == "format"
                    && str_constant(&a.value).is_some_and(|s| s.contains('{'))
                    && (!c.args.is_empty() || !c.keywords.is_empty()) =>
            {
                Some(How::Format)
            }
            _ => None,
        },
        _ => None,
    }
}

fn add_operands<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::BinOp(b) if b.op == Operator::Add => {
            add_operands(&b.left, out);
            add_operands(&b.right, out);
        }
        _ => out.push(e),
    }
}

/// The lazy form of a formatted message: `"template", arg, ...`, with how safe it is.
fn lazy(msg: &Expr, ctx: &Ctx<'_>) -> Option<(String, Safety)> {
    match msg {
        Expr::JoinedStr(j) => from_fstring(j, ctx).map(|t| (t, Safety::Safe)),
        Expr::BinOp(b) if b.op == Operator::Mod => from_percent(b, ctx),
        Expr::Call(c) => from_format(c, ctx).map(|t| (t, Safety::Safe)),
        _ => None,
    }
}

fn text<'s>(ctx: &Ctx<'s>, e: &Expr) -> Option<&'s str> {
    let (s, t) = span(e);
    ctx.source.get(s..t).filter(|x| !x.is_empty())
}

/// `f"x={x!r} y={y}"` → `"x=%r y=%s", x, y`; None when a field has a format spec or an
/// `!a` conversion.
fn from_fstring(j: &ast::ExprJoinedStr, ctx: &Ctx<'_>) -> Option<String> {
    let (js, jt) = span(j);
    let quote = quote_of(ctx.source.get(js..jt)?);
    let mut template = String::new();
    let mut args = Vec::new();
    for v in &j.values {
        match v {
            Expr::Constant(_) => template.push_str(&str_constant(v)?.replace('%', "%%")),
            Expr::FormattedValue(f) => {
                if f.format_spec.is_some() {
                    return None;
                }
                template.push_str(match f.conversion {
                    ConversionFlag::None | ConversionFlag::Str => "%s",
                    ConversionFlag::Repr => "%r",
                    ConversionFlag::Ascii => return None,
                });
                let (s, t) = span(&*f.value);
                if s < js || t > jt {
                    return None;
                }
                args.push(text(ctx, &f.value)?.trim());
            }
            _ => return None,
        }
    }
    Some(joined(&literal(&template, quote), &args))
}

/// `"a %s b %d" % (x, y)` → `"a %s b %d", x, y` (safe); `"a %s" % x` → `"a %s", x` (unsafe:
/// `x` may be a tuple or a mapping at run time).
fn from_percent(b: &ast::ExprBinOp, ctx: &Ctx<'_>) -> Option<(String, Safety)> {
    let template = text(ctx, &b.left)?;
    let specs = percent_specs(str_constant(&b.left)?)?;
    match &*b.right {
        Expr::Tuple(t) => {
            if t.elts.is_empty() || t.elts.iter().any(|e| matches!(e, Expr::Starred(_))) {
                return None;
            }
            if specs.mapping || specs.count != t.elts.len() {
                return None;
            }
            let args = t
                .elts
                .iter()
                .map(|e| text(ctx, e))
                .collect::<Option<Vec<_>>>()?;
            Some((joined(template, &args), Safety::Safe))
        }
        Expr::Dict(d)
            if specs.mapping && !d.keys.is_empty() && d.keys.iter().all(Option::is_some) =>
        {
            Some((joined(template, &[text(ctx, &b.right)?]), Safety::Safe))
        }
        Expr::Dict(_) | Expr::Starred(_) => None,
        right if !specs.mapping && specs.count == 1 => {
            Some((joined(template, &[text(ctx, right)?]), Safety::Unsafe))
        }
        _ => None,
    }
}

struct Specs {
    count: usize,
    mapping: bool,
}

/// The conversion specifiers of a `%` template; None when one takes its width or precision
/// from the arguments (`%*d`) or the template ends in a lone `%`.
fn percent_specs(s: &str) -> Option<Specs> {
    let mut out = Specs {
        count: 0,
        mapping: false,
    };
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            continue;
        }
        if chars.peek() == Some(&'(') {
            out.mapping = true;
            for k in chars.by_ref() {
                if k == ')' {
                    break;
                }
            }
        }
        loop {
            match chars.next() {
                Some('*') => return None,
                Some(k) if "#0- +.0123456789hlL".contains(k) => {}
                Some(_) => break,
                None => return None,
            }
        }
        out.count += 1;
    }
    Some(out)
}

/// `"x={} y={!r}".format(x, y)` → `"x=%s y=%r", x, y`; only automatic `{}` fields with no
/// format spec and at most `!s`/`!r`, and as many positional arguments as fields.
fn from_format(c: &ast::ExprCall, ctx: &Ctx<'_>) -> Option<String> {
    let Expr::Attribute(a) = &*c.func else {
        return None;
    };
    if !c.keywords.is_empty() || c.args.iter().any(|e| matches!(e, Expr::Starred(_))) {
        return None;
    }
    let quote = quote_of(text(ctx, &a.value)?);
    let src = str_constant(&a.value)?;
    let mut template = String::new();
    let mut fields = 0;
    let mut chars = src.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                template.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                template.push('}');
            }
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(k) => field.push(k),
                        None => return None,
                    }
                }
                template.push_str(match field.as_str() {
                    "" | "!s" => "%s",
                    "!r" => "%r",
                    _ => return None,
                });
                fields += 1;
            }
            '}' => return None,
            '%' => template.push_str("%%"),
            k => template.push(k),
        }
    }
    if fields == 0 || fields != c.args.len() {
        return None;
    }
    let args = c
        .args
        .iter()
        .map(|e| text(ctx, e))
        .collect::<Option<Vec<_>>>()?;
    Some(joined(&literal(&template, quote), &args))
}

fn joined(template: &str, args: &[&str]) -> String {
    let mut out = template.to_string();
    for a in args {
        out.push_str(", ");
        out.push_str(a);
    }
    out
}

/// The quote character a string literal's text uses (after its prefix letters).
fn quote_of(lit: &str) -> char {
    lit.chars().find(|c| *c == '"' || *c == '\'').unwrap_or('"')
}

/// A one-line Python string literal holding `value`.
fn literal(value: &str, quote: char) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push(quote);
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_messages_formatted_in_place() {
        let src = "import logging\nlogger = logging.getLogger(__name__)\n\ndef f(x, n):\n    logger.info(f\"got {x}\")\n    logging.warning(\"n=%d\" % n)\n    self.log.debug(\"a {}\".format(x))\n    log.error(\"failed: \" + str(x))\n    logger.log(logging.INFO, f\"{x!r}\")\n";
        let found = findings(src, "PM1704", T);
        assert_eq!(
            flagged(src, &found),
            [
                "f\"got {x}\"",
                "\"n=%d\" % n",
                "\"a {}\".format(x)",
                "\"failed: \" + str(x)",
                "f\"{x!r}\""
            ]
        );
        assert_eq!(
            found[0].message,
            "The log message is built with an f-string even when the level is disabled: pass a `%s` template and the values as arguments"
        );
        assert_eq!(found[3].message, "The log message is built with string concatenation even when the level is disabled: pass a `%s` template and the values as arguments");
        assert_eq!(found[0].section, "17.4.3");
    }

    #[test]
    fn flags_names_bound_to_get_logger() {
        let src = "def f(x):\n    audit = logging.getLogger('audit')\n    audit.info(f'{x}')\n";
        assert_eq!(flagged(src, &findings(src, "PM1704", T)), ["f'{x}'"]);
    }

    #[test]
    fn silent_on_lazy_calls_and_other_objects() {
        for src in [
            "logger.info('got %s', x)\n",
            "logger.info(f'no fields')\n",
            "logger.info('a' 'b')\n",
            "print(f'{x}')\n",
            "console.info(f'{x}')\n",
            "from distutils import log\nlog.info(f'{x}')\n",
            "def f(log):\n    pass\nmath.log(f'{x}')\n",
            "logger.info(msg + suffix)\n",
            "logger.info('a' + 'b')\n",
            "logger.info('{}'.format)\n",
            "logger.info(x, f'{y}')\n",
            "raise ValueError(f'{x}')\n",
            "warnings.warn(f'{x}')\n",
        ] {
            assert!(findings(src, "PM1704", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_turns_fstring_fields_into_arguments() {
        assert_eq!(
            fixed(
                "logger.info(f\"x={x} y={o.y!r} at 50% {d['k']}\")\n",
                "PM1704",
                T
            ),
            "logger.info(\"x=%s y=%r at 50%% %s\", x, o.y, d['k'])\n"
        );
        assert_eq!(
            fixed("log.debug(f'{a=}', exc_info=True)\r\n", "PM1704", T),
            "log.debug('a=%r', a, exc_info=True)\r\n"
        );
        assert_eq!(
            fixed("log.debug(rf'\\d {a} \"q\"')", "PM1704", T),
            "log.debug('\\\\d %s \"q\"', a)"
        );
        assert_eq!(
            fixed("log.debug(f'''two\n{a} lines''')\n", "PM1704", T),
            "log.debug('two\\n%s lines', a)\n"
        );
    }

    #[test]
    fn fix_turns_percent_and_format_into_arguments() {
        assert_eq!(
            fixed(
                "logger.info('%s of %d (100%%)' % (a, len(b)))\n",
                "PM1704",
                T
            ),
            "logger.info('%s of %d (100%%)', a, len(b))\n"
        );
        assert_eq!(
            fixed("logger.info('{} is {!r}, 5%'.format(a, b))\n", "PM1704", T),
            "logger.info('%s is %r, 5%%', a, b)\n"
        );
        assert_eq!(
            fixed("logging.info('%(a)s' % {'a': 1})\n", "PM1704", T),
            "logging.info('%(a)s', {'a': 1})\n"
        );
    }

    #[test]
    fn single_value_percent_fix_is_unsafe() {
        let found = findings("logger.info('n=%d' % n)\n", "PM1704", T);
        let fix = found[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.safety, crate::rules::Safety::Unsafe);
        assert_eq!(
            fix.apply("logger.info('n=%d' % n)\n"),
            "logger.info('n=%d', n)\n"
        );
        let found = findings("logger.info(f'{x}')\n", "PM1704", T);
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.safety),
            Some(crate::rules::Safety::Safe)
        );
    }

    #[test]
    fn no_fix_where_not_mechanical() {
        for src in [
            "logger.info(f'{x:>10}')\n",
            "logger.info(f'{x!a}')\n",
            "logger.info('%s %s' % t)\n",
            "logger.info('%*d' % (w, n))\n",
            "logger.info('%s %s' % (a,))\n",
            "logger.info('{0} {0}'.format(a))\n",
            "logger.info('{name}'.format(name=a))\n",
            "logger.info('a: ' + str(x))\n",
            "logger.log(level, f'{x}', extra_arg)\n",
        ] {
            let found = findings(src, "PM1704", T);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }
}
