//! The command line: `serve` (LSP over stdio), `check`, `explain`, `rules`.

use clap::{Parser, Subcommand};
use pymastery::check::{self, Format};
use pymastery::knowledge;
use pymastery::rules::selection::Selection;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "pymastery",
    version,
    about = "Python hints and checks that teach, from Staff-Level Python Mastery"
)]
struct Cli {
    /// Log level for stderr (error, warn, info, debug, trace); RUST_LOG also works.
    #[arg(long, global = true)]
    log_level: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the language server on stdin/stdout.
    Serve {
        /// Accepted for editors that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check files and folders; exit 0 when clean, 1 with findings, 2 on error.
    Check {
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Rules to run instead of the defaults: codes, prefixes (PM01) or ALL.
        #[arg(long, value_delimiter = ',')]
        select: Option<Vec<String>>,
        /// Rules to skip: codes, prefixes or ALL.
        #[arg(long, value_delimiter = ',')]
        ignore: Vec<String>,
        #[arg(long, value_enum, default_value = "text")]
        output_format: Format,
        /// Apply the safe fixes (and the unsafe ones with --unsafe-fixes), then report what is left.
        #[arg(long)]
        fix: bool,
        /// Include fixes that may change behaviour.
        #[arg(long)]
        unsafe_fixes: bool,
        /// Print the fixes as a unified diff instead of writing them; exit 1 if there are any.
        #[arg(long)]
        diff: bool,
    },
    /// Print what the book teaches about a rule (PM0105), a section (1.5.1) or a construct (asyncio.gather).
    Explain { query: String },
    /// Index your own copy of the book (text, Markdown or EPUB) so hovers quote it.
    Index { path: PathBuf },
    /// List every rule.
    Rules {
        #[arg(long)]
        json: bool,
    },
}

fn init_logging(level: Option<&str>) {
    let filter = match level {
        Some(l) => tracing_subscriber::EnvFilter::new(l),
        None => tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_env_filter(filter)
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_level.as_deref());
    match cli.command {
        Command::Serve { .. } => serve(),
        Command::Check {
            paths,
            select,
            ignore,
            output_format,
            fix,
            unsafe_fixes,
            diff,
        } => {
            let fix = match (diff, fix) {
                (true, _) => check::FixMode::Diff,
                (false, true) => check::FixMode::Apply,
                _ => check::FixMode::Report,
            };
            let opts = check::Options {
                paths,
                cli: Selection {
                    select,
                    extend_select: Vec::new(),
                    ignore,
                },
                fix,
                unsafe_fixes,
            };
            run_check(&opts, output_format)
        }
        Command::Explain { query } => match pymastery::explain::explain(&query) {
            Some(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("pymastery: nothing known about {query:?}; try a rule code, a section id or a name such as asyncio.gather");
                ExitCode::from(2)
            }
        },
        Command::Index { path } => index(&path),
        Command::Rules { json } => {
            print!("{}", rules_listing(json));
            ExitCode::SUCCESS
        }
    }
}

fn index(path: &std::path::Path) -> ExitCode {
    use pymastery::knowledge::book;
    let kb = knowledge::get();
    let result = book::index_file(kb, path).and_then(|idx| {
        let file = book::cache_file().ok_or("no cache folder: set PYMASTERY_CACHE_DIR or HOME")?;
        book::save(&idx, &file)?;
        Ok((idx, file))
    });
    match result {
        Ok((idx, file)) => {
            let missing: Vec<&str> = kb
                .sections
                .iter()
                .filter(|s| !idx.sections.contains_key(&s.id))
                .map(|s| s.id.as_str())
                .collect();
            println!(
                "indexed {} of {} sections from {} into {}",
                idx.sections.len(),
                kb.sections.len(),
                path.display(),
                file.display()
            );
            if !missing.is_empty() {
                println!("not found: {}", missing.join(", "));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pymastery: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn serve() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("pymastery: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    // Parse the knowledge base before the first request needs it.
    knowledge::get();
    let code = runtime.block_on(pymastery::server::serve());
    std::process::exit(code);
}

fn run_check(opts: &check::Options, format: Format) -> ExitCode {
    let report = match check::run(opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("pymastery: error: {e}");
            return ExitCode::from(2);
        }
    };
    if opts.fix == check::FixMode::Diff {
        let out: String = report.diffs.concat();
        print!("{out}");
        for (path, e) in &report.errors {
            eprintln!("{}: error: {e}", path.display());
        }
        eprintln!(
            "pymastery: {} fix{} would be applied",
            report.fixed,
            if report.fixed == 1 { "" } else { "es" }
        );
        return if !report.errors.is_empty() {
            ExitCode::from(2)
        } else if report.fixed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        };
    }
    if report.fixed > 0 {
        eprintln!(
            "pymastery: fixed {} finding{}",
            report.fixed,
            if report.fixed == 1 { "" } else { "s" }
        );
    }
    let out = check::output::render(&report, format);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    for (path, e) in &report.errors {
        eprintln!("{}: error: {e}", path.display());
    }
    if format == Format::Text {
        eprintln!(
            "pymastery: {} finding{} in {} file{} checked",
            report.findings.len(),
            if report.findings.len() == 1 { "" } else { "s" },
            report.files,
            if report.files == 1 { "" } else { "s" }
        );
    }
    if !report.errors.is_empty() {
        ExitCode::from(2)
    } else if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn rules_listing(json: bool) -> String {
    let kb = knowledge::get();
    let rows: Vec<_> = pymastery::rules::all()
        .iter()
        .map(|r| {
            let doc = kb.rule(r.code()).cloned().unwrap_or_default();
            (r.code(), doc)
        })
        .collect();
    if json {
        let v: Vec<_> = rows
            .iter()
            .map(|(code, d)| {
                serde_json::json!({
                    "code": code, "name": d.name, "section": d.section,
                    "section_title": kb.section(&d.section).map(|s| s.title.clone()),
                    "default": if d.default_on { "on" } else { "off" }, "fix": d.fix,
                })
            })
            .collect();
        return serde_json::to_string_pretty(&v).unwrap_or_default() + "\n";
    }
    let mut out = format!(
        "{:<8} {:<28} {:<4} {:<7} {}\n",
        "CODE", "NAME", "ON", "FIX", "SECTION"
    );
    for (code, d) in rows {
        out.push_str(&format!(
            "{:<8} {:<28} {:<4} {:<7} {}\n",
            code,
            d.name,
            if d.default_on { "on" } else { "off" },
            d.fix,
            kb.cite(&d.section)
        ));
    }
    out
}
