//! Every rule, in code order. Adding a rule: its file, its `knowledge/rules/<CODE>.md`, and one
//! line here.

use super::Rule;
use super::{ch01_eq_without_hash, ch01_is_literal, ch01_mutable_default};

static RULES: &[&dyn Rule] = &[
    &ch01_eq_without_hash::EqWithoutHash,
    &ch01_is_literal::IsLiteral,
    &super::ch01_super_args::SuperArgs,
    &super::ch01_raise_not_implemented::RaiseNotImplemented,
    &ch01_mutable_default::MutableDefault,
    &super::ch01_dunder_call::DunderCall,
    &super::ch01_unknown_dunder::UnknownDunder,
    &super::ch01_init_return::InitReturn,
    &super::ch01_repr_non_str::ReprNonStr,
    &super::ch01_hasattr_call::HasattrCall,
    &super::ch01_finally_jump::FinallyJump,
    &super::ch01_slots_string::SlotsString,
    &super::ch01_getattr_constant::GetattrConstant,
    &super::ch02_builtin_generics::BuiltinGenerics,
    &super::ch02_union_syntax::UnionSyntax,
    &super::ch02_implicit_optional::ImplicitOptional,
    &super::ch02_functional_syntax::FunctionalSyntax,
    &super::ch02_dataclass_mutable_default::DataclassMutableDefault,
    &super::ch02_overload_misuse::OverloadMisuse,
    &super::ch02_iter_returns_iterable::IterReturnsIterable,
    &super::ch02_bare_type_ignore::BareTypeIgnore,
];

pub fn all() -> &'static [&'static dyn Rule] {
    RULES
}

pub fn by_code(code: &str) -> Option<&'static dyn Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.code().eq_ignore_ascii_case(code))
}
