//! PM1709: `print(...)` used for diagnostics in library code (§17.4). Off by default: output
//! is the job of many functions, and the rule cannot always tell a script from a library.

use super::conc_common::qualified;
use super::log_util::{keyword, script_context};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct PrintInLibrary;

const CODE: &str = "PM1709";

/// Modules whose import makes a file read as a command-line program.
const CLI_MODULES: &[&str] = &["argparse", "optparse", "getopt", "click", "typer", "fire"];

/// Function names that announce that printing is their job.
const OUTPUT_PREFIXES: &[&str] = &[
    "print", "_print", "show", "_show", "display", "dump", "_dump", "report", "usage", "help",
    "test", "cli", "_cli", "run", "repl", "interact",
];

impl Rule for PrintInLibrary {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        if !matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "print") {
            return;
        }
        // `print(..., file=f)` writes to a chosen stream; only the standard streams are logs.
        if let Some(k) = keyword(call, "file") {
            let std = matches!(&k.value, Expr::Attribute(a)
                if matches!(a.attr.as_str(), "stderr" | "stdout")
                    && matches!(&*a.value, Expr::Name(m) if m.id.as_str() == "sys"));
            if !std {
                return;
            }
        }
        if script_context(ctx) || looks_like_script(ctx) || in_output_function(ctx) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        if qualified(&names, ctx.module, &call.func).as_deref() != Some("print") {
            return;
        }
        ctx.report(CODE, span(e), &[], None);
    }
}

fn looks_like_script(ctx: &Ctx<'_>) -> bool {
    ctx.module.imports.entries().any(|(_, full)| {
        let top = full.split('.').next().unwrap_or(full);
        CLI_MODULES.contains(&top)
    })
}

fn in_output_function(ctx: &Ctx<'_>) -> bool {
    ctx.parents.iter().any(|p| {
        let name = match p {
            Node::Stmt(Stmt::FunctionDef(f)) => f.name.as_str(),
            Node::Stmt(Stmt::AsyncFunctionDef(f)) => f.name.as_str(),
            _ => return false,
        };
        OUTPUT_PREFIXES.iter().any(|p| name.starts_with(p))
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_print_in_library_functions() {
        let src = "import sys\n\ndef load(path):\n    print('loading', path)\n    print('oops', file=sys.stderr)\n";
        let found = findings(src, "PM1709", T);
        assert_eq!(
            flagged(src, &found),
            ["print('loading', path)", "print('oops', file=sys.stderr)"]
        );
        assert_eq!(
            found[0].message,
            "`print()` in library code writes to stdout with no level, no logger name and no way to turn it off: log through `logging.getLogger(__name__)`"
        );
        assert_eq!(found[0].section, "17.4");
    }

    #[test]
    fn silent_in_scripts_output_functions_and_on_other_prints() {
        for src in [
            "if __name__ == '__main__':\n    print('hi')\n",
            "def main():\n    print('hi')\n",
            "def main():\n    pass\ndef helper():\n    print('hi')\n",
            "import argparse\ndef helper():\n    print('hi')\n",
            "def print_report(rows):\n    print(rows)\n",
            "def write(rows, out):\n    print(rows, file=out)\n",
            "from rich import print\ndef f():\n    print('x')\n",
            "def f(print):\n    print('x')\n",
            "def f():\n    pprint('x')\n",
        ] {
            assert!(findings(src, "PM1709", T).is_empty(), "{src}");
        }
    }
}
