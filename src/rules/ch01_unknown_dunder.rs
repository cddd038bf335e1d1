//! PM0107: a method named like a special method (`__x__`) that Python never looks up, most
//! often a misspelling such as `__innit__` or a Python 2 name (§1.3).

use super::source::def_name;
use super::{Ctx, Edit, Kind, Node, Rule, Safety, Scope};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct UnknownDunder;

const CODE: &str = "PM0107";

/// Special names the interpreter or the standard library gives a meaning to: methods it calls,
/// attributes it reads or sets (a class may define those as properties).
#[rustfmt::skip]
const KNOWN: &[&str] = &[
    // construction, lifecycle, representation
    "__new__", "__init__", "__del__", "__repr__", "__str__", "__bytes__", "__format__",
    "__post_init__", "__init_subclass__", "__set_name__", "__class_getitem__",
    "__mro_entries__", "__prepare__", "__instancecheck__", "__subclasscheck__",
    "__subclasshook__", "__subclasses__", "__sizeof__", "__dir__", "__fspath__",
    "__conform__",
    // comparison, hashing, truth
    "__lt__", "__le__", "__eq__", "__ne__", "__gt__", "__ge__", "__hash__", "__bool__",
    // attribute access and descriptors
    "__getattr__", "__getattribute__", "__setattr__", "__delattr__", "__get__", "__set__",
    "__delete__", "__objclass__",
    // callables, containers, iteration
    "__call__", "__len__", "__length_hint__", "__getitem__", "__setitem__", "__delitem__",
    "__missing__", "__iter__", "__reversed__", "__contains__", "__next__",
    // context managers, async
    "__enter__", "__exit__", "__aenter__", "__aexit__", "__await__", "__aiter__", "__anext__",
    // buffers
    "__buffer__", "__release_buffer__",
    // arithmetic, reflected and in-place
    "__add__", "__sub__", "__mul__", "__matmul__", "__truediv__", "__floordiv__", "__mod__",
    "__divmod__", "__pow__", "__lshift__", "__rshift__", "__and__", "__xor__", "__or__",
    "__radd__", "__rsub__", "__rmul__", "__rmatmul__", "__rtruediv__", "__rfloordiv__",
    "__rmod__", "__rdivmod__", "__rpow__", "__rlshift__", "__rrshift__", "__rand__",
    "__rxor__", "__ror__", "__iadd__", "__isub__", "__imul__", "__imatmul__", "__itruediv__",
    "__ifloordiv__", "__imod__", "__ipow__", "__ilshift__", "__irshift__", "__iand__",
    "__ixor__", "__ior__", "__neg__", "__pos__", "__abs__", "__invert__", "__complex__",
    "__int__", "__float__", "__index__", "__round__", "__trunc__", "__floor__", "__ceil__",
    // pickle, copy, copyreg
    "__reduce__", "__reduce_ex__", "__getnewargs__", "__getnewargs_ex__", "__getstate__",
    "__setstate__", "__copy__", "__deepcopy__", "__replace__", "__slotnames__", "__newobj__",
    "__newobj_ex__",
    // tzinfo pickling in datetime; PEP 246 adaptation in sqlite3; warnings' per-module registry
    "__getinitargs__", "__adapt__", "__warningregistry__",
    // attributes of classes, functions, modules and exceptions
    "__slots__", "__dict__", "__weakref__", "__class__", "__doc__", "__module__", "__name__",
    "__qualname__", "__bases__", "__base__", "__mro__", "__basicsize__", "__itemsize__",
    "__flags__", "__dictoffset__", "__weakrefoffset__", "__annotations__", "__annotate__", "__type_params__", "__orig_bases__",
    "__orig_class__", "__classcell__", "__firstlineno__", "__static_attributes__",
    "__abstractmethods__", "__isabstractmethod__", "__match_args__", "__func__", "__self__",
    "__wrapped__", "__signature__", "__text_signature__", "__defaults__", "__kwdefaults__",
    "__code__", "__globals__", "__closure__", "__builtins__", "__file__", "__path__",
    "__package__", "__loader__", "__spec__", "__cached__", "__all__", "__test__",
    "__cause__", "__context__", "__traceback__", "__suppress_context__", "__notes__",
    "__self_class__", "__thisclass__", "__callback__", "__import__", "__build_class__",
    "__debug__", "__main__", "__version__", "__author__",
    // dataclasses, typing, enum, warnings
    "__dataclass_fields__", "__dataclass_params__", "__dataclass_transform__",
    "__parameters__", "__args__", "__origin__", "__typing_subst__",
    "__typing_prepare_subst__", "__typing_unpacked_tuple_args__",
    "__typing_is_unpacked_typevartuple__", "__required_keys__", "__optional_keys__",
    "__readonly_keys__", "__mutable_keys__", "__total__", "__protocol_attrs__",
    "__non_callable_proto_members__", "__final__", "__override__", "__no_type_check__",
    "__deprecated__", "__supertype__", "__bound__", "__constraints__", "__covariant__",
    "__contravariant__", "__infer_variance__", "__default__", "__metadata__", "__unpacked__",
    "__value__", "__members__",
    // ctypes
    "__ctypes_from_outparam__", "__ctype_be__", "__ctype_le__",
];

/// Protocols that widely used third-party libraries look up; not Python's, but not mistakes.
#[rustfmt::skip]
const LIBRARY: &[&str] = &[
    "__array__", "__array_ufunc__", "__array_function__", "__array_interface__",
    "__array_struct__", "__array_priority__", "__array_wrap__", "__array_finalize__",
    "__array_namespace__", "__dlpack__", "__dlpack_device__", "__cuda_array_interface__",
    "__dataframe__", "__arrow_c_array__", "__arrow_c_stream__", "__arrow_c_schema__",
    "__torch_function__", "__torch_dispatch__", "__jax_array__", "__attrs_pre_init__",
    "__attrs_post_init__", "__attrs_init__", "__get_pydantic_core_schema__",
    "__get_pydantic_json_schema__", "__get_validators__", "__modify_schema__", "__rich__",
    "__rich_repr__", "__rich_console__", "__rich_measure__", "__html__",
    "__clause_element__", "__composite_values__", "__declare_first__", "__declare_last__",
    "__sklearn_tags__", "__sklearn_is_fitted__", "__sklearn_clone__",
];

/// Python 2 names and their Python 3 counterparts; the flag says whether a rename keeps the
/// method's signature.
const PYTHON2: &[(&str, &str, bool)] = &[
    ("__nonzero__", "__bool__", true),
    ("__unicode__", "__str__", true),
    ("__div__", "__truediv__", true),
    ("__rdiv__", "__rtruediv__", true),
    ("__idiv__", "__itruediv__", true),
    ("__long__", "__int__", true),
    ("__getslice__", "__getitem__", false),
    ("__setslice__", "__setitem__", false),
    ("__delslice__", "__delitem__", false),
    ("__cmp__", "__eq__", false),
    ("__rcmp__", "__eq__", false),
    ("__oct__", "__index__", false),
    ("__hex__", "__index__", false),
];

/// Edit distance counting an adjacent transposition as one edit.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// The real name `name` most likely stands for, and whether renaming to it is a fair fix: a
/// Python 2 counterpart, or the only known name one edit away (two for longer names).
fn closest(name: &str) -> (&'static str, bool) {
    if let Some((_, new, fixable)) = PYTHON2.iter().find(|(old, _, _)| *old == name) {
        return (new, *fixable);
    }
    let (near, dist, unique) = nearest(name);
    let inner = name.len().saturating_sub(4);
    let close = dist == 1 || (dist == 2 && inner >= 6);
    (near, unique && close)
}

/// The nearest known name, its distance, and whether it is the only one at that distance.
fn nearest(name: &str) -> (&'static str, usize, bool) {
    let mut best = ("__init__", usize::MAX, true);
    for k in KNOWN {
        let d = distance(name, k);
        if d < best.1 {
            best = (k, d, true);
        } else if d == best.1 {
            best.2 = false;
        }
    }
    best
}

fn is_dunder(name: &str) -> bool {
    name.len() > 4 && name.starts_with("__") && name.ends_with("__") && {
        let inner = &name[2..name.len() - 2];
        !inner.starts_with('_') && !inner.ends_with('_')
    }
}

fn defined_names(body: &[Stmt]) -> impl Iterator<Item = &str> {
    body.iter().filter_map(|s| match s {
        Stmt::FunctionDef(f) => Some(f.name.as_str()),
        Stmt::AsyncFunctionDef(f) => Some(f.name.as_str()),
        Stmt::Assign(a) => a.targets.iter().find_map(|t| match t {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => None,
        }),
        _ => None,
    })
}

impl Rule for UnknownDunder {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::FunctionDef, Kind::AsyncFunctionDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(stmt) = node else {
            return;
        };
        let (name, decorators) = match stmt {
            Stmt::FunctionDef(f) => (f.name.as_str(), &f.decorator_list),
            Stmt::AsyncFunctionDef(f) => (f.name.as_str(), &f.decorator_list),
            _ => return,
        };
        let Scope::Class(class) = ctx.scope() else {
            return;
        };
        if !is_dunder(name) || KNOWN.contains(&name) || LIBRARY.contains(&name) {
            return;
        }
        let (near, fixable) = closest(name);
        let range = def_name(ctx.source, span(stmt).0, decorators, name);
        let taken = defined_names(&class.body).any(|n| n == near);
        let fix = (fixable && !taken && range.0 < range.1).then(|| {
            ctx.fix(
                CODE,
                &[("name", name), ("closest", near)],
                Safety::Unsafe,
                vec![Edit {
                    start: range.0,
                    end: range.1,
                    text: near.to_string(),
                }],
            )
        });
        ctx.report(CODE, range, &[("name", name), ("closest", near)], fix);
    }
}

#[cfg(test)]
mod tests {
    use super::{distance, is_dunder, KNOWN, LIBRARY, PYTHON2};
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn the_lists_are_well_formed() {
        for k in KNOWN.iter().chain(LIBRARY) {
            assert!(is_dunder(k), "{k}");
        }
        let mut all: Vec<&str> = KNOWN.iter().chain(LIBRARY).copied().collect();
        all.sort_unstable();
        let n = all.len();
        all.dedup();
        assert_eq!(n, all.len(), "duplicates in the name lists");
        for (old, new, _) in PYTHON2 {
            assert!(!all.contains(old) && KNOWN.contains(new), "{old} {new}");
        }
        assert_eq!(distance("__innit__", "__init__"), 1);
        assert_eq!(distance("__itre__", "__iter__"), 1);
    }

    #[test]
    fn flags_misspelled_and_python2_names() {
        let src = "class Point:\n    def __innit__(self, x):\n        self.x = x\n\n    def __nonzero__(self):\n        return bool(self.x)\n\n    @property\n    async def __aenterr__(self):\n        return self\n";
        let found = findings(src, "PM0107", T);
        assert_eq!(
            flagged(src, &found),
            ["__innit__", "__nonzero__", "__aenterr__"]
        );
        assert_eq!(
            found[0].message,
            "`__innit__` is not a special name Python looks up, so nothing calls it implicitly; the closest real one is `__init__`"
        );
        assert_eq!(found[0].section, "1.3");
        assert!(found[1]
            .message
            .ends_with("the closest real one is `__bool__`"));
        assert!(
            found[1].fix.is_some(),
            "a Python 2 name has a Python 3 counterpart"
        );
        assert!(found[2].fix.is_some());
    }

    #[test]
    fn silent_on_real_protocols_and_outside_classes() {
        for src in [
            "class A:\n    def __init__(self): pass\n    def __reduce_ex__(self, p): pass\n    def __getnewargs_ex__(self): pass\n    def __class_getitem__(cls, i): pass\n    def __set_name__(self, o, n): pass\n    def __length_hint__(self): pass\n    def __buffer__(self, f): pass\n    def __release_buffer__(self, b): pass\n    async def __aexit__(self, *a): pass\n    def __post_init__(self): pass\n",
            "class A:\n    def __array__(self): pass\n    def _private_(self): pass\n    def __mangled(self): pass\n    def ___odd___(self): pass\n",
            "def __innit__(self): pass\n",
            "class A:\n    def f(self):\n        def __innit__(): pass\n",
        ] {
            assert!(findings(src, "PM0107", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_renames_to_the_unique_closest_name() {
        assert_eq!(
            fixed(
                "class A:\n    @staticmethod\n    def __innit__(self):\n        pass\n",
                "PM0107",
                T
            ),
            "class A:\n    @staticmethod\n    def __init__(self):\n        pass\n"
        );
        assert_eq!(
            fixed("class A:\n    def __itre__(self): pass\n", "PM0107", T),
            "class A:\n    def __iter__(self): pass\n"
        );
        assert_eq!(
            fixed(
                "class A:\n    def __nonzero__(self): return True\n",
                "PM0107",
                T
            ),
            "class A:\n    def __bool__(self): return True\n"
        );
        for src in [
            // `__copy__` is two edits away, too many for a three-letter name
            "class A:\n    def __cmp__(self, o): pass\n",
            "class A:\n    def __getslice__(self, i, j): pass\n",
            "class A:\n    def __zzzzz__(self): pass\n",
        ] {
            let found = findings(src, "PM0107", T);
            assert!(found.len() == 1 && found[0].fix.is_none(), "{src}");
        }
        let taken = findings(
            "class A:\n    def __init__(self): pass\n    def __innit__(self): pass\n",
            "PM0107",
            T,
        );
        assert!(taken[0].fix.is_none(), "the real name is already defined");
    }
}
