//! PM0144: a `@property` getter with a required parameter besides `self`, which attribute
//! access can never pass (§1.7). Also the property helpers PM0145 shares.

use super::ch01_getattribute_self::Method;
use super::typing_names::last_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct PropertyParams;

const CODE: &str = "PM0144";

/// True for `abstractmethod` / `abc.abstractmethod`.
pub fn is_abstract(d: &Expr) -> bool {
    matches!(d, Expr::Name(_) | Expr::Attribute(_)) && last_name(d) == Some("abstractmethod")
}

/// True when `m` is a property getter: `@property` or `@cached_property` (bare or dotted) with
/// nothing but `@abstractmethod` between it and the `def`.
pub fn is_getter(m: &Method<'_>) -> bool {
    let Some(i) = m.decorators.iter().position(|d| {
        matches!(d, Expr::Name(_) | Expr::Attribute(_))
            && matches!(last_name(d), Some("property" | "cached_property"))
    }) else {
        return false;
    };
    m.decorators[i + 1..].iter().all(is_abstract)
}

impl Rule for PropertyParams {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Some(m) = Method::of(node, ctx) else {
            return;
        };
        if !is_getter(&m) {
            return;
        }
        let a = m.args;
        let required = a
            .posonlyargs
            .iter()
            .chain(&a.args)
            .skip(1)
            .chain(&a.kwonlyargs)
            .filter(|p| p.default.is_none());
        for p in required {
            ctx.report(
                CODE,
                span(&p.def),
                &[("name", m.name), ("param", p.def.arg.as_str())],
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_required_parameters() {
        let src = "\
class Box:
    @property
    def area(self, scale):
        return self.w * scale
    @functools.cached_property
    def total(self, *, unit):
        return 0
";
        let found = findings(src, "PM0144", T);
        assert_eq!(flagged(src, &found), ["scale", "unit"]);
        assert_eq!(
            found[0].message,
            "Property `area` requires the parameter `scale`, but attribute access passes only the instance: every read raises TypeError"
        );
        assert_eq!(found[0].section, "1.7");
    }

    #[test]
    fn silent_on_optional_parameters_setters_and_plain_methods() {
        let src = "\
class Box:
    @property
    def area(self, scale=1, *args, **kw):
        return self.w * scale
    @area.setter
    def area(self, value):
        self.w = value
    @property
    @cache_with(key)
    def other(self, key):
        return key
    def plain(self, x):
        return x
";
        assert!(findings(src, "PM0144", T).is_empty());
    }
}
