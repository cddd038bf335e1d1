//! PM0146: a `@staticmethod` whose first parameter is named `self` or `cls`, which a static
//! method never receives (§1.7).

use super::ch01_getattribute_self::Method;
use super::typing_names::last_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct StaticmethodSelf;

const CODE: &str = "PM0146";

impl Rule for StaticmethodSelf {
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
        // `__new__` is a static method that does receive the class, explicitly.
        if m.name == "__new__"
            || !m.decorators.iter().any(|d| {
                matches!(d, Expr::Name(_) | Expr::Attribute(_))
                    && last_name(d) == Some("staticmethod")
            })
        {
            return;
        }
        let Some(first) = m.args.posonlyargs.iter().chain(&m.args.args).next() else {
            return;
        };
        let param = first.def.arg.as_str();
        if param == "self" || param == "cls" {
            ctx.report(
                CODE,
                span(&first.def),
                &[("name", m.name), ("param", param)],
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
    fn flags_self_and_cls() {
        let src = "\
class Parser:
    @staticmethod
    def parse(self, text):
        return text.split()
    @staticmethod
    def build(cls):
        return cls()
";
        let found = findings(src, "PM0146", T);
        assert_eq!(flagged(src, &found), ["self", "cls"]);
        assert_eq!(
            found[0].message,
            "Static method `parse` names its first parameter `self`, but a static method is passed no instance or class: `self` takes the caller's first argument"
        );
        assert_eq!(found[0].section, "1.7");
    }

    #[test]
    fn silent_on_other_methods() {
        let src = "\
class Parser:
    @staticmethod
    def parse(text, self=None):
        return text
    @staticmethod
    def __new__(cls, *a):
        return object.__new__(cls)
    @classmethod
    def build(cls):
        return cls()
    def run(self):
        return self
";
        assert!(findings(src, "PM0146", T).is_empty());
    }
}
