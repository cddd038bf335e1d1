//! Parsing: segmentation into top-level blocks, rustpython-parser on one block, and the
//! lookups over a tree that hovers and rules share.

pub mod facts;
mod file_role;
pub mod name_uses;
pub mod names;
mod segment;
pub mod walk;

pub use file_role::FileRole;
pub use rustpython_parser::ast;
pub use segment::{resegment, segment, Block};

use rustpython_parser::{Mode, Parse};

/// Why a block failed to parse, at an offset relative to the block's start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// Parses one block on its own; offsets in the tree are relative to the block's start.
pub fn parse_block(text: &str) -> Result<Vec<ast::Stmt>, SyntaxError> {
    match ast::Suite::parse(text, "<block>") {
        Ok(stmts) => Ok(stmts),
        Err(e) => Err(SyntaxError {
            offset: (u32::from(e.offset) as usize).min(text.len()),
            message: e.error.to_string(),
        }),
    }
}

/// Parses a block as if it sat at `offset` in its file, for comparing with a whole-file parse.
pub fn parse_block_at(text: &str, offset: usize) -> Result<Vec<ast::Stmt>, SyntaxError> {
    let start = rustpython_parser::text_size::TextSize::from(offset as u32);
    match rustpython_parser::parse_starts_at(text, Mode::Module, "<block>", start) {
        Ok(ast::Mod::Module(m)) => Ok(m.body),
        Ok(_) => Ok(Vec::new()),
        Err(e) => Err(SyntaxError {
            offset: (u32::from(e.offset) as usize).saturating_sub(offset),
            message: e.error.to_string(),
        }),
    }
}

/// Parses a whole file at once (the reference the block-wise parse is tested against).
pub fn parse_file(text: &str) -> Result<Vec<ast::Stmt>, SyntaxError> {
    parse_block(text)
}

/// Start and end byte offsets of a node's range.
pub fn span<T: ast::Ranged>(node: &T) -> (usize, usize) {
    let r = node.range();
    (u32::from(r.start()) as usize, u32::from(r.end()) as usize)
}
