//! Every rule, in code order. Adding a rule: its file, its `knowledge/rules/<CODE>.md`, and one
//! line here.

use super::Rule;
use super::{ch01_eq_without_hash, ch01_is_literal, ch01_mutable_default};

static RULES: &[&dyn Rule] = &[
    &ch01_eq_without_hash::EqWithoutHash,
    &ch01_is_literal::IsLiteral,
    &ch01_mutable_default::MutableDefault,
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
