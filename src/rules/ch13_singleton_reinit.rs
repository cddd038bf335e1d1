//! PM1302: a singleton made in `__new__` (the instance cached on the class) in a class that
//! also defines `__init__`, which Python runs again on the cached instance at every call
//! (§13.3.4).

use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::span;

pub struct SingletonReinit;

const CODE: &str = "PM1302";

impl Rule for SingletonReinit {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::ClassDef(c)) = node else {
            return;
        };
        let method = |name: &str| {
            c.body.iter().find_map(|s| match s {
                Stmt::FunctionDef(f) if f.name.as_str() == name => Some(f),
                _ => None,
            })
        };
        let (Some(new), Some(init)) = (method("__new__"), method("__init__")) else {
            return;
        };
        let Some(attr) = cached_instance(new) else {
            return;
        };
        if guarded(&init.body) {
            return;
        }
        let (s, _) = span(init);
        let at = def_name(ctx.source, s, &init.decorator_list, "__init__");
        ctx.report(
            CODE,
            at,
            &[("class", c.name.as_str()), ("attr", attr)],
            None,
        );
    }
}

/// The class attribute a `__new__` caches its instance in: it assigns
/// `cls.<attr> = <something>.__new__(cls, ...)` and returns `cls.<attr>`.
fn cached_instance<'a>(new: &'a ast::StmtFunctionDef) -> Option<&'a str> {
    let cls = new.args.posonlyargs.iter().chain(&new.args.args).next()?;
    let cls = cls.def.arg.as_str();
    fn attr_of<'e>(e: &'e Expr, cls: &str) -> Option<&'e str> {
        match e {
            Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == cls) => {
                Some(a.attr.as_str())
            }
            _ => None,
        }
    }
    let on_cls = |e: &'a Expr| attr_of(e, cls);
    let mut stored: Vec<&str> = Vec::new();
    let mut returned: Vec<&str> = Vec::new();
    super::iter_util::scan(&new.body, |n| match n {
        Node::Stmt(Stmt::Assign(a)) => {
            let makes = matches!(&*a.value, Expr::Call(c)
                if matches!(&*c.func, Expr::Attribute(f) if f.attr.as_str() == "__new__"));
            if makes {
                stored.extend(a.targets.iter().filter_map(on_cls));
            }
        }
        Node::Stmt(Stmt::Return(r)) => {
            returned.extend(r.value.as_deref().and_then(on_cls));
        }
        _ => {}
    });
    stored.into_iter().find(|s| returned.contains(s))
}

/// An `__init__` that checks first whether it already ran: an `if` at its top level whose
/// body returns, or one that wraps the whole initialisation.
fn guarded(body: &[Stmt]) -> bool {
    let code: Vec<&Stmt> = body
        .iter()
        .filter(|s| !matches!(s, Stmt::Expr(e) if matches!(&*e.value, Expr::Constant(_))))
        .collect();
    if let [Stmt::If(_)] = &code[..] {
        return true;
    }
    code.iter()
        .any(|s| matches!(s, Stmt::If(i) if i.body.iter().any(|b| matches!(b, Stmt::Return(_)))))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_init_beside_a_caching_new() {
        let src = "class Registry:\n    _instance = None\n\n    def __new__(cls, *a):\n        if cls._instance is None:\n            cls._instance = super().__new__(cls)\n        return cls._instance\n\n    def __init__(self):\n        self.entries = {}\n";
        let found = findings(src, "PM1302", T);
        assert_eq!(flagged(src, &found), ["__init__"]);
        assert_eq!(
            found[0].message,
            "`Registry.__new__` returns the one instance cached in `_instance`, but Python still runs `__init__` on it at every `Registry(...)` call, resetting its state"
        );
        assert_eq!(found[0].section, "13.3.4");
        let object_new = "class S:\n    def __new__(klass):\n        if not hasattr(klass, 'one'):\n            klass.one = object.__new__(klass)\n        return klass.one\n    def __init__(self):\n        self.n = 0\n";
        assert_eq!(findings(object_new, "PM1302", T).len(), 1);
    }

    #[test]
    fn silent_with_a_guard_or_without_caching() {
        let src = "class A:\n    _i = None\n    def __new__(cls):\n        if cls._i is None:\n            cls._i = super().__new__(cls)\n        return cls._i\n    def __init__(self):\n        if getattr(self, 'ready', False):\n            return\n        self.ready = True\n\nclass B:\n    _i = None\n    def __new__(cls):\n        if cls._i is None:\n            cls._i = super().__new__(cls)\n        return cls._i\n\nclass C:\n    def __new__(cls):\n        self = super().__new__(cls)\n        return self\n    def __init__(self):\n        self.x = 1\n\nclass D:\n    _i = None\n    def __new__(cls):\n        if cls._i is None:\n            cls._i = super().__new__(cls)\n        return cls._i\n    def __init__(self):\n        if not self.__dict__:\n            self.x = 1\n";
        assert!(
            findings(src, "PM1302", T).is_empty(),
            "{:?}",
            findings(src, "PM1302", T)
        );
    }
}
