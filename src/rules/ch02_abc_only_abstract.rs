//! PM0219: an ABC whose body is only abstract methods: an interface that a `Protocol` states
//! without forcing implementers to inherit (§2.5).

use super::source::def_name;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};

pub struct AbcOnlyAbstract;

const CODE: &str = "PM0219";

fn is_docstring(s: &Stmt) -> bool {
    matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_))))
}

fn is_abc(e: &Expr, names: &BlockNames, member: &str) -> bool {
    names
        .resolve(e)
        .is_some_and(|r| r.member == member && r.is_in(&["abc"]))
}

impl Rule for AbcOnlyAbstract {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::ClassDef(class)) = node else {
            return;
        };
        if !class.decorator_list.is_empty() {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let abc = match (&class.bases[..], &class.keywords[..]) {
            ([b], []) => is_abc(b, &names, "ABC"),
            ([], [k]) => {
                k.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass")
                    && is_abc(&k.value, &names, "ABCMeta")
            }
            _ => false,
        };
        if !abc {
            return;
        }
        let mut methods = 0;
        for s in class.body.iter().filter(|s| !is_docstring(s)) {
            let decos = match s {
                Stmt::FunctionDef(f) => &f.decorator_list,
                Stmt::AsyncFunctionDef(f) => &f.decorator_list,
                _ => return,
            };
            if !decos.iter().any(|d| is_abc(d, &names, "abstractmethod")) {
                return;
            }
            methods += 1;
        }
        if methods == 0 {
            return;
        }
        let range = def_name(
            ctx.source,
            node.span().0,
            &class.decorator_list,
            class.name.as_str(),
        );
        ctx.report(CODE, range, &[("class", class.name.as_str())], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_pure_interfaces() {
        let src = "class Reader(ABC):\n    \"\"\"Reads.\"\"\"\n    @abstractmethod\n    def read(self, n: int) -> bytes: ...\n    @property\n    @abc.abstractmethod\n    def name(self) -> str: ...\n\nclass Sink(metaclass=abc.ABCMeta):\n    @abc.abstractmethod\n    def write(self, b: bytes) -> None:\n        raise NotImplementedError\n";
        let found = findings(src, "PM0219", T);
        assert_eq!(flagged(src, &found), ["Reader", "Sink"]);
        assert_eq!(
            found[0].message,
            "`{class}` is an ABC with only abstract methods: if implementers need not inherit from it, a `typing.Protocol` states the same interface structurally".replace("{class}", "Reader")
        );
        assert_eq!(found[0].section, "2.5");
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "class A(ABC):\n    @abstractmethod\n    def f(self): ...\n    def g(self):\n        return self.f()\n",
            "class A(ABC):\n    limit = 3\n    @abstractmethod\n    def f(self): ...\n",
            "class A(Base, ABC):\n    @abstractmethod\n    def f(self): ...\n",
            "class A(ABC):\n    pass\n",
            "class A(Protocol):\n    def f(self): ...\n",
        ] {
            assert!(findings(s, "PM0219", T).is_empty(), "{s}");
        }
    }
}
