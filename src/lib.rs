//! pymastery: a Python language server that explains code with references to
//! *Staff-Level Python Mastery*. The library holds the synchronous core; `main.rs` and
//! `server/` are thin shells over it. ARCHITECTURE.md is the map.

pub mod analysis;
pub mod check;
pub mod config;
pub mod document;
pub mod explain;
pub mod hover;
pub mod knowledge;
pub mod rules;
pub mod server;
pub mod syntax;
