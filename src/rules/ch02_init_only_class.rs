//! PM0218: a class whose body is only an `__init__` that stores each parameter on `self`: the
//! boilerplate `@dataclass` writes for you (§2.7).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};

pub struct InitOnlyClass;

const CODE: &str = "PM0218";

fn is_docstring(s: &Stmt) -> bool {
    matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_))))
}

impl Rule for InitOnlyClass {
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
        if !class.decorator_list.is_empty()
            || !class.keywords.is_empty()
            || !class
                .bases
                .iter()
                .all(|b| matches!(b, Expr::Name(n) if n.id.as_str() == "object"))
        {
            return;
        }
        let body: Vec<&Stmt> = class.body.iter().filter(|s| !is_docstring(s)).collect();
        let [Stmt::FunctionDef(init)] = &body[..] else {
            return;
        };
        if init.name.as_str() != "__init__" || !init.decorator_list.is_empty() {
            return;
        }
        let a = &init.args;
        if a.vararg.is_some() || a.kwarg.is_some() || !a.posonlyargs.is_empty() {
            return;
        }
        let mut params = a.args.iter().chain(&a.kwonlyargs);
        let Some(this) = params.next() else { return };
        let this = this.def.arg.as_str();
        let params: Vec<&str> = params.map(|p| p.def.arg.as_str()).collect();
        if params.len() < 2 {
            return;
        }
        let stmts: Vec<&Stmt> = init.body.iter().filter(|s| !is_docstring(s)).collect();
        if stmts.len() != params.len() {
            return;
        }
        let mut stored: Vec<&str> = Vec::new();
        for s in stmts {
            let (target, value) = match s {
                Stmt::Assign(x) if x.targets.len() == 1 => (&x.targets[0], &*x.value),
                Stmt::AnnAssign(x) => match &x.value {
                    Some(v) => (&*x.target, &**v),
                    None => return,
                },
                _ => return,
            };
            let (Expr::Attribute(attr), Expr::Name(v)) = (target, value) else {
                return;
            };
            if !matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == this)
                || attr.attr.as_str() != v.id.as_str()
                || !params.contains(&v.id.as_str())
                || stored.contains(&v.id.as_str())
            {
                return;
            }
            stored.push(v.id.as_str());
        }
        let range = super::source::def_name(
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
    fn flags_init_only_classes() {
        let src = "class Point:\n    \"\"\"A point.\"\"\"\n    def __init__(self, x: int, y: int) -> None:\n        self.x = x\n        self.y: int = y\n";
        let found = findings(src, "PM0218", T);
        assert_eq!(flagged(src, &found), ["Point"]);
        assert_eq!(
            found[0].message,
            "Class `Point` only stores its constructor arguments: `@dataclass` writes this `__init__` and adds `__repr__` and `__eq__`"
        );
        assert_eq!(found[0].section, "2.7");
    }

    #[test]
    fn silent_on_near_misses() {
        for s in [
            "class A:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y * 2\n",
            "class A:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n    def f(self): ...\n",
            "class A(Base):\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n",
            "class A:\n    def __init__(self, x, y):\n        self.x = x\n",
            "class A:\n    def __init__(self, x):\n        self.x = x\n",
            "class A:\n    def __init__(self, x, y):\n        self._x = x\n        self.y = y\n",
        ] {
            assert!(findings(s, "PM0218", T).is_empty(), "{s}");
        }
    }
}
