//! Node kinds the engine dispatches on: one per statement and expression variant.

use crate::syntax::ast::{Expr, Stmt};
pub use crate::syntax::walk::Node;

macro_rules! kinds {
    (stmt: $($s:ident),* ; expr: $($e:ident),* $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Kind { $($s,)* $($e,)* }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$s,)* $(Kind::$e,)*];
            pub const COUNT: usize = Self::ALL.len();

            pub fn of(node: Node<'_>) -> Kind {
                match node {
                    $(Node::Stmt(Stmt::$s(_)) => Kind::$s,)*
                    $(Node::Expr(Expr::$e(_)) => Kind::$e,)*
                }
            }
        }
    };
}

kinds! {
    stmt: FunctionDef, AsyncFunctionDef, ClassDef, Return, Delete, Assign, TypeAlias, AugAssign,
        AnnAssign, For, AsyncFor, While, If, With, AsyncWith, Match, Raise, Try, TryStar, Assert,
        Import, ImportFrom, Global, Nonlocal, Expr, Pass, Break, Continue;
    expr: BoolOp, NamedExpr, BinOp, UnaryOp, Lambda, IfExp, Dict, Set, ListComp, SetComp,
        DictComp, GeneratorExp, Await, Yield, YieldFrom, Compare, Call, FormattedValue, JoinedStr,
        Constant, Attribute, Subscript, Starred, Name, List, Tuple, Slice,
}
