//! PM0235: the result of `json.loads(...)`, `json.load(...)` or `resp.json()` handed straight
//! to a class's constructor (`User(**json.loads(s))`, `Config(json.load(f))`): the class's
//! annotations are not checked at run time, so nothing validates the data (§2.11).

use super::typing_names::text;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr};
use crate::syntax::span;

pub struct JsonIntoConstructor;

const CODE: &str = "PM0235";

impl Rule for JsonIntoConstructor {
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
        if !is_class_like(&call.func, ctx) {
            return;
        }
        let passed = call
            .args
            .iter()
            .chain(
                call.keywords
                    .iter()
                    .filter(|k| k.arg.is_none())
                    .map(|k| &k.value),
            )
            .find(|a| json_source(a, ctx));
        let Some(source) = passed else { return };
        let class = text(ctx.source, &*call.func);
        let source = match source {
            Expr::Call(c) => text(ctx.source, &*c.func),
            _ => return,
        };
        ctx.report(CODE, span(e), &[("class", class), ("source", source)], None);
    }
}

/// A callee that names a class: a capitalised name or attribute (`User`, `models.User`), or a
/// class defined in this module; exceptions and the builtins are not.
fn is_class_like(func: &Expr, ctx: &Ctx<'_>) -> bool {
    let name = match func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    if name.ends_with("Error") || name.ends_with("Exception") || name.ends_with("Warning") {
        return false;
    }
    let capitalised = name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && name.chars().any(|c| c.is_ascii_lowercase());
    capitalised || (matches!(func, Expr::Name(_)) && ctx.module.class(name).is_some())
}

/// `json.loads(...)`, `json.load(...)` (through the module's imports) or `x.json()`.
fn json_source(e: &Expr, ctx: &Ctx<'_>) -> bool {
    let Expr::Call(c) = e else { return false };
    if let Expr::Attribute(ast::ExprAttribute { attr, value, .. }) = &*c.func {
        if attr.as_str() == "json" && c.args.is_empty() && c.keywords.is_empty() {
            // `resp.json()`, but not `self.json()` on a class that defines its own.
            return !matches!(&**value, Expr::Name(n) if n.id.as_str() == "self" || n.id.as_str() == "cls");
        }
    }
    matches!(
        ctx.module.imports.resolve(&c.func).as_deref(),
        Some("json.loads" | "json.load")
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_json_passed_straight_to_a_constructor() {
        let src = "import json\nfrom json import load as jload\ndef f(s, fh, resp):\n    a = User(**json.loads(s))\n    b = models.Config(jload(fh))\n    c = Order(id=1, **resp.json())\n    return a, b, c\n";
        let found = findings(src, "PM0235", T);
        assert_eq!(
            flagged(src, &found),
            [
                "User(**json.loads(s))",
                "models.Config(jload(fh))",
                "Order(id=1, **resp.json())"
            ]
        );
        assert_eq!(
            found[0].message,
            "`User` is built straight from `json.loads(...)`: type hints are not checked at run time, so a missing, extra or mistyped field passes unnoticed or fails far from here; validate the data first"
        );
        assert_eq!(found[0].section, "2.11");
    }

    #[test]
    fn stays_silent_on_validated_or_unrelated_data() {
        let src = "\
import json
from mylib import loads
def f(s, fh):
    a = User(**validate(json.loads(s)))
    b = dict(json.loads(s))
    c = ValueError(json.loads(s))
    d = User(**loads(s))
    e = User.from_dict(json.loads(s))
    g = User(json.dumps(s))
    h = User(**self.json())
    i = User(**x.json(strict=True))
    data = json.loads(s)
    return User(data=data)
";
        assert!(findings(src, "PM0235", T).is_empty());
    }
}
