//! PM1906: SQL text built with an f-string, `%`, `.format()` or `+` from a value that is not a
//! constant, passed to `.execute()`, `.executemany()` or `.executescript()` (§19.2.1).

use super::security_util::{is_constant_name, only_binding, scope_body, str_value};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Operator, Stmt};
use crate::syntax::span;

pub struct SqlFormatting;

const CODE: &str = "PM1906";

/// Words that make a string SQL when it is handed to `execute`.
const SQL_WORDS: &[&str] = &[
    "SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER", "PRAGMA",
    "WHERE", "VALUES", "FROM", "INTO", "ATTACH",
];

impl Rule for SqlFormatting {
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
        let Expr::Attribute(m) = &*call.func else {
            return;
        };
        let method = m.attr.as_str();
        if !matches!(method, "execute" | "executemany" | "executescript") {
            return;
        }
        let query = call.args.first().or_else(|| {
            call.keywords
                .iter()
                .find(|k| matches!(k.arg.as_deref(), Some("sql" | "operation" | "query")))
                .map(|k| &k.value)
        });
        let Some(query) = query else { return };
        let body = scope_body(node, ctx);
        let Some(how) = built_sql(query, body, 2) else {
            return;
        };
        ctx.report(CODE, span(query), &[("how", how), ("method", method)], None);
    }
}

/// How `e` builds SQL text from a run-time value, if it does: `"an f-string"`, ...
fn built_sql(e: &Expr, body: &[Stmt], depth: u8) -> Option<&'static str> {
    match e {
        Expr::JoinedStr(j) => {
            let mut text = String::new();
            let mut dynamic = false;
            for v in &j.values {
                match v {
                    Expr::FormattedValue(f) => dynamic |= !harmless(&f.value),
                    other => text.push_str(str_value(other).unwrap_or("")),
                }
            }
            (dynamic && is_sql(&text)).then_some("an f-string")
        }
        Expr::BinOp(b) if b.op == Operator::Mod => {
            let text = literal_text(&b.left)?;
            let values: Vec<&Expr> = match &*b.right {
                Expr::Tuple(t) => t.elts.iter().collect(),
                Expr::Dict(d) => d.values.iter().collect(),
                other => vec![other],
            };
            (is_sql(&text) && values.iter().any(|v| !harmless(v))).then_some("`%` formatting")
        }
        Expr::BinOp(b) if b.op == Operator::Add => {
            let mut parts = Vec::new();
            add_parts(e, &mut parts);
            let text: String = parts.iter().filter_map(|p| literal_text(p)).collect();
            let dynamic = parts
                .iter()
                .any(|p| literal_text(p).is_none() && !harmless(p));
            (dynamic && is_sql(&text)).then_some("`+` concatenation")
        }
        Expr::Call(c) => {
            let Expr::Attribute(a) = &*c.func else {
                return None;
            };
            if a.attr.as_str() != "format" {
                return None;
            }
            let text = literal_text(&a.value)?;
            let dynamic = c.args.iter().any(|x| !harmless(x))
                || c.keywords.iter().any(|k| !harmless(&k.value));
            (dynamic && is_sql(&text)).then_some("`.format()`")
        }
        Expr::Name(n) if depth > 0 => {
            built_sql(only_binding(body, n.id.as_str())?, body, depth - 1)
        }
        _ => None,
    }
}

/// The operands of a chain of `+`, left to right.
fn add_parts<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::BinOp(b) if b.op == Operator::Add => {
            add_parts(&b.left, out);
            add_parts(&b.right, out);
        }
        other => out.push(other),
    }
}

/// The text of a string literal (an f-string's literal parts included).
fn literal_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Constant(_) => str_value(e).map(str::to_string),
        Expr::JoinedStr(j) => Some(j.values.iter().filter_map(str_value).collect()),
        _ => None,
    }
}

/// True when the text holds an SQL keyword as a whole word, in any case.
fn is_sql(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    upper
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| SQL_WORDS.contains(&w))
}

/// A value that cannot carry text from outside into the query: a literal, a number, a name
/// in capitals (a constant), `len(...)`, or an expression that builds placeholders (its only
/// string literals are made of `?`, `%s`, commas, spaces and brackets).
fn harmless(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => !matches!(c.value, Constant::Ellipsis),
        Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "len") => true,
        _ if is_constant_name(e) => true,
        _ => builds_placeholders(e),
    }
}

fn builds_placeholders(e: &Expr) -> bool {
    let mut lits = Vec::new();
    super::iter_util::scan_expr(e, &mut |x| {
        if let Some(s) = str_value(x) {
            lits.push(s.to_string());
        }
    });
    lits.iter().any(|s| s.contains('?') || s.contains("%s"))
        && lits.iter().all(|s| {
            let rest = s.replace("%s", "").replace('?', "");
            rest.chars().all(|c| matches!(c, ',' | ' ' | '(' | ')'))
        })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_formatted_sql_passed_to_execute() {
        let src = "def find(cur, name, uid):\n    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n    cur.execute(\"delete from users where id = %s\" % uid)\n    cur.execute('UPDATE t SET a = {}'.format(name))\n    cur.executemany('INSERT INTO t VALUES (' + name + ')', rows)\n    q = f'select id from t where n = {name}'\n    cur.execute(q)\n";
        let found = findings(src, "PM1906", T);
        assert_eq!(
            flagged(src, &found),
            [
                "f\"SELECT * FROM users WHERE name = '{name}'\"",
                "\"delete from users where id = %s\" % uid",
                "'UPDATE t SET a = {}'.format(name)",
                "'INSERT INTO t VALUES (' + name + ')'",
                "q"
            ]
        );
        assert_eq!(
            found[0].message,
            "SQL built with an f-string and passed to `.execute()`: a quote in the value changes the query. Pass the values as parameters (`?` or `%s` placeholders and a tuple)"
        );
        assert_eq!(
            found[1].message.split(':').next(),
            Some("SQL built with `%` formatting and passed to `.execute()`")
        );
        assert_eq!(found[0].section, "19.2.1");
    }

    #[test]
    fn silent_on_parameters_constants_and_placeholders() {
        for src in [
            "cur.execute('SELECT * FROM t WHERE id = ?', (uid,))\n",
            "cur.execute(\"SELECT * FROM t WHERE id = %s\", (uid,))\n",
            "cur.execute(f'SELECT * FROM {TABLE} WHERE id = ?', (uid,))\n",
            "cur.execute(f\"INSERT INTO t VALUES ({', '.join('?' * len(row))})\", row)\n",
            "cur.execute(f\"INSERT INTO t VALUES ({','.join(['?'] * n)})\", row)\n",
            "cur.execute('SELECT ' + 'name FROM t')\n",
            "cur.execute(f'{verb} {obj}')\n",
            "log.info(f'SELECT * FROM t WHERE id = {uid}')\n",
            "cur.execute(query, params)\n",
            "def f(cur, x):\n    q = 'SELECT 1'\n    q = q + x\n    cur.execute(q)\n",
            "cur.execute('SELECT %d' % 3)\n",
        ] {
            assert!(findings(src, "PM1906", T).is_empty(), "{src}");
        }
    }
}
