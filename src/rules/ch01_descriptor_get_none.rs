//! PM0115: a descriptor's `__get__` that uses its instance parameter without handling class
//! access, where Python passes None (§1.2.3).

use super::source::{indent_unit, indentation, line_start, starts_line};
use super::{Ctx, Edit, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct DescriptorGetNone;

const CODE: &str = "PM0115";

/// What the body of `__get__` does with the instance parameter.
struct Uses<'a> {
    param: &'a str,
    /// The parameter appears in a condition or a `try` guards the body: None is handled.
    handled: bool,
    /// The parameter is dereferenced: `instance.x`, `instance[k]`, `vars(instance)`...
    deref: bool,
}

impl Uses<'_> {
    fn mentions(&self, e: &Expr) -> bool {
        struct Find<'p> {
            param: &'p str,
            found: bool,
        }
        impl<'a> Visitor<'a> for Find<'_> {
            fn enter(&mut self, node: Node<'a>) -> bool {
                if let Node::Expr(Expr::Name(n)) = node {
                    self.found |= n.id.as_str() == self.param;
                }
                !self.found
            }
            fn leave(&mut self, _node: Node<'a>) {}
        }
        let mut f = Find {
            param: self.param,
            found: false,
        };
        // `walk` takes statements; wrap the expression's names by visiting it directly.
        let stmt = Stmt::Expr(crate::syntax::ast::StmtExpr {
            range: Default::default(),
            value: Box::new(e.clone()),
        });
        walk(std::slice::from_ref(&stmt), &mut f);
        f.found
    }

    fn is_param(&self, e: &Expr) -> bool {
        matches!(e, Expr::Name(n) if n.id.as_str() == self.param)
    }
}

impl<'a> Visitor<'a> for Uses<'_> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        match node {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return false,
            Node::Stmt(Stmt::Try(_) | Stmt::TryStar(_)) => self.handled = true,
            Node::Stmt(Stmt::If(i)) => self.handled |= self.mentions(&i.test),
            Node::Stmt(Stmt::While(w)) => self.handled |= self.mentions(&w.test),
            Node::Stmt(Stmt::Assert(a)) => self.handled |= self.mentions(&a.test),
            Node::Stmt(Stmt::Match(m)) => self.handled |= self.mentions(&m.subject),
            Node::Expr(Expr::IfExp(i)) => self.handled |= self.mentions(&i.test),
            Node::Expr(Expr::BoolOp(b)) => {
                self.handled |= b.values.iter().any(|v| self.mentions(v))
            }
            Node::Expr(Expr::Compare(c)) => {
                self.handled |= std::iter::once(&*c.left)
                    .chain(&c.comparators)
                    .any(|v| self.is_param(v))
            }
            Node::Expr(Expr::Attribute(a)) => self.deref |= self.is_param(&a.value),
            Node::Expr(Expr::Subscript(s)) => self.deref |= self.is_param(&s.value),
            Node::Expr(Expr::Call(c)) => {
                let f = match &*c.func {
                    Expr::Name(n) => n.id.as_str(),
                    // `x.__get__(instance, owner)` delegates, and the delegate handles None.
                    Expr::Attribute(a) if a.attr.as_str() == "__get__" => {
                        self.handled = true;
                        ""
                    }
                    _ => "",
                };
                if matches!(f, "vars" | "getattr" | "setattr" | "delattr") {
                    self.deref |= c.args.first().is_some_and(|a| self.is_param(a));
                }
            }
            _ => {}
        }
        true
    }

    fn leave(&mut self, _node: Node<'a>) {}
}

fn is_docstring(s: &Stmt) -> bool {
    matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_))))
}

/// `if instance is None: return self` at the top of the body, after a docstring.
fn guard_fix(ctx: &Ctx<'_>, def: &Stmt, body: &[Stmt], param: &str, this: &str) -> Option<Edit> {
    let src = ctx.source;
    let nl = ctx.newline();
    let first = match body {
        [doc, next, ..] if is_docstring(doc) => next,
        [first, ..] => first,
        [] => return None,
    };
    let anchor = span(first).0;
    if !starts_line(src, anchor) {
        return None;
    }
    let def_indent = indentation(src, span(def).0);
    let indent = indentation(src, anchor);
    let unit = indent_unit(def_indent, indent);
    let at = line_start(src, anchor);
    Some(Edit {
        start: at,
        end: at,
        text: format!("{indent}if {param} is None:{nl}{indent}{unit}return {this}{nl}"),
    })
}

impl Rule for DescriptorGetNone {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(def @ Stmt::FunctionDef(f)) = node else {
            return;
        };
        if f.name.as_str() != "__get__" || !matches!(ctx.scope(), Scope::Class(_)) {
            return;
        }
        let mut params = f.args.posonlyargs.iter().chain(&f.args.args);
        let (Some(this), Some(inst)) = (params.next(), params.next()) else {
            return;
        };
        let decorated = !f.decorator_list.is_empty();
        if decorated {
            return;
        }
        let param = inst.def.arg.as_str();
        let mut uses = Uses {
            param,
            handled: false,
            deref: false,
        };
        walk(&f.body, &mut uses);
        if uses.handled || !uses.deref {
            return;
        }
        let this = this.def.arg.as_str();
        let fix = guard_fix(ctx, def, &f.body, param, this).map(|edit| {
            ctx.fix(
                CODE,
                &[("param", param), ("self", this)],
                Safety::Unsafe,
                vec![edit],
            )
        });
        let range = super::source::def_name(ctx.source, span(def).0, &f.decorator_list, "__get__");
        ctx.report(CODE, range, &[("param", param), ("self", this)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_get_that_dereferences_the_instance() {
        let src = "class Field:\n    def __get__(self, instance, owner):\n        return instance.__dict__[self.name]\n\nclass Lazy:\n    def __get__(self, obj, cls=None):\n        value = self.func(obj)\n        setattr(obj, self.name, value)\n        return value\n";
        let found = findings(src, "PM0115", T);
        assert_eq!(flagged(src, &found), ["__get__", "__get__"]);
        assert_eq!(
            found[0].message,
            "`__get__` uses `instance` without handling access through the class, where `instance` is None: `Owner.attribute` fails instead of returning the descriptor"
        );
        assert_eq!(found[0].section, "1.2.3");
    }

    #[test]
    fn silent_when_none_is_handled_or_the_instance_is_not_dereferenced() {
        for src in [
            "class F:\n    def __get__(self, instance, owner):\n        if instance is None:\n            return self\n        return instance.__dict__[self.name]\n",
            "class F:\n    def __get__(self, obj, owner):\n        return self if obj is None else obj.x\n",
            "class F:\n    def __get__(self, obj, owner):\n        if not obj:\n            return self\n        return obj.x\n",
            "class F:\n    def __get__(self, obj, owner):\n        return self.func.__get__(obj, owner)\n",
            "class F:\n    def __get__(self, obj, owner):\n        try:\n            return obj.__dict__['x']\n        except AttributeError:\n            return self\n",
            "class F:\n    def __get__(self, obj, owner):\n        return self.value\n",
            "class F:\n    def __get__(self, obj, owner):\n        return functools.partial(self.func, obj)\n",
            "class F:\n    @overload\n    def __get__(self, obj: None, owner) -> 'F': ...\n",
            "def __get__(self, obj, owner):\n    return obj.x\n",
            "class F:\n    def __get__(self, obj, owner):\n        return owner.x\n",
        ] {
            assert!(findings(src, "PM0115", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_returns_the_descriptor_after_the_docstring() {
        let src = "class Field:\n    def __get__(self, instance, owner):\n        \"\"\"Read it.\"\"\"\n        return instance.__dict__[self.name]\n";
        assert_eq!(
            fixed(src, "PM0115", T),
            "class Field:\n    def __get__(self, instance, owner):\n        \"\"\"Read it.\"\"\"\n        if instance is None:\n            return self\n        return instance.__dict__[self.name]\n"
        );
        let src = "class F:\r\n\tdef __get__(me, obj, t):\r\n\t\treturn obj.x\r\n";
        assert_eq!(
            fixed(src, "PM0115", T),
            "class F:\r\n\tdef __get__(me, obj, t):\r\n\t\tif obj is None:\r\n\t\t\treturn me\r\n\t\treturn obj.x\r\n"
        );
        let one_line = "class F:\n    def __get__(self, obj, t): return obj.x\n";
        assert!(findings(one_line, "PM0115", T)[0].fix.is_none());
    }
}
