//! PM0148: `@abstractmethod` written above `@property`, which fails when the class is created
//! because a property's `__isabstractmethod__` cannot be set (§1.7).

use super::ch01_property_params::is_abstract;
use super::typing_names::last_name;
use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct AbstractOverProperty;

const CODE: &str = "PM0148";

fn is_property(d: &Expr) -> bool {
    matches!(d, Expr::Name(_) | Expr::Attribute(_)) && last_name(d) == Some("property")
}

impl Rule for AbstractOverProperty {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let decorators = match node {
            Node::Stmt(Stmt::FunctionDef(f)) => &f.decorator_list,
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => &f.decorator_list,
            _ => return,
        };
        for pair in decorators.windows(2) {
            let [outer, inner] = pair else { continue };
            if !is_abstract(outer) || !is_property(inner) {
                continue;
            }
            let (o0, o1) = span(outer);
            let (i0, i1) = span(inner);
            let fix = match (ctx.source.get(o0..o1), ctx.source.get(i0..i1)) {
                (Some(o), Some(i)) => Some(ctx.fix(
                    CODE,
                    &[],
                    Safety::Safe,
                    vec![
                        Edit {
                            start: o0,
                            end: o1,
                            text: i.to_string(),
                        },
                        Edit {
                            start: i0,
                            end: i1,
                            text: o.to_string(),
                        },
                    ],
                )),
                _ => None,
            };
            ctx.report(CODE, (o0, o1), &[], fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_abstractmethod_above_property() {
        let src = "\
class Shape(ABC):
    @abc.abstractmethod
    @property
    def area(self):
        ...
";
        let found = findings(src, "PM0148", T);
        assert_eq!(flagged(src, &found), ["abc.abstractmethod"]);
        assert_eq!(
            found[0].message,
            "`@abstractmethod` above `@property` raises AttributeError when the class is created: put `@property` on top"
        );
        assert_eq!(found[0].section, "1.7");
    }

    #[test]
    fn silent_on_the_right_order() {
        let src = "\
class Shape(ABC):
    @property
    @abstractmethod
    def area(self):
        ...
    @abstractmethod
    @functools.cached_property
    def size(self):
        ...
    @abstractmethod
    def name(self):
        ...
";
        assert!(findings(src, "PM0148", T).is_empty());
    }

    #[test]
    fn fix_swaps_the_decorators() {
        assert_eq!(
            fixed(
                "class S(ABC):\n    @abstractmethod\n    @property\n    def area(self): ...\n",
                "PM0148",
                T
            ),
            "class S(ABC):\n    @property\n    @abstractmethod\n    def area(self): ...\n"
        );
    }
}
