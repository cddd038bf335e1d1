//! The rule engine: one walk over a block's tree, each node handed to the rules that asked for
//! its kind. Rules live one per file, grouped by book chapter; `registry.rs` lists them.
//!
//! A rule sees one block (a top-level statement) with offsets relative to the block's start;
//! the analysis shifts its findings into place. Rules never see LSP types.

mod ctx;
mod finding;
mod kind;
pub mod noqa;
mod registry;
pub mod selection;
pub mod source;
#[cfg(test)]
mod testing;

mod ch01_dunder_call;
mod ch01_eq_without_hash;
mod ch01_finally_jump;
mod ch01_getattr_constant;
mod ch01_hasattr_call;
mod ch01_init_return;
mod ch01_is_literal;
mod ch01_mutable_default;
mod ch01_raise_not_implemented;
mod ch01_repr_non_str;
mod ch01_slots_string;
mod ch01_super_args;
mod ch01_unknown_dunder;
mod ch02_bare_type_ignore;
mod ch02_builtin_generics;
mod ch02_dataclass_mutable_default;
mod ch02_functional_syntax;
mod ch02_implicit_optional;
mod ch02_iter_returns_iterable;
mod ch02_overload_misuse;
mod ch02_union_syntax;
mod typing_names;

pub use ctx::{check_block, Ctx, Scope};
pub use finding::{Edit, Finding, Fix, Safety};
pub use kind::{Kind, Node};
pub use registry::{all, by_code};

/// A rule: its code, the node kinds it looks at, and the check itself.
/// Its message, section, default and fix title live in `knowledge/rules/<CODE>.md`.
pub trait Rule: Send + Sync {
    fn code(&self) -> &'static str;
    fn kinds(&self) -> &'static [Kind];
    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>);
}

/// The target Python version, as (major, minor).
pub type Version = (u8, u8);
