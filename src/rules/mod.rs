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

mod ch01_eq_without_hash;
mod ch01_is_literal;
mod ch01_mutable_default;

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
